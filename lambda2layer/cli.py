"""Command line: options, configuration and exit codes; the work happens elsewhere."""

from __future__ import annotations

import json
import os
import sys
import time
from enum import Enum
from pathlib import Path
from typing import Annotated, Optional

import typer

from lambda2layer import __version__, exits
from lambda2layer.diagnostics import Severity
from lambda2layer.discover import discover
from lambda2layer.options import ConfigError, Options, load_options, with_overrides
from lambda2layer.result import FileResult, Status
from lambda2layer.report import (
    color_diff,
    diagnostics_github,
    diagnostics_json,
    diagnostics_sarif,
    scan_rows,
    site_records,
    summarize,
    unified_diff,
)
from lambda2layer.run import convert_files
from lambda2layer.write import write_pair

app = typer.Typer(
    add_completion=False,
    no_args_is_help=True,
    help="Rewrite Keras Lambda layers into registered custom layers that save and load with safe_mode=True.",
)


class Mode(str, Enum):
    WRITE = "write"
    CHECK = "check"
    DIFF = "diff"


class OutputFormat(str, Enum):
    TEXT = "text"
    JSON = "json"
    GITHUB = "github"
    SARIF = "sarif"


def _err(text: str) -> None:
    typer.echo(text, err=True)


def _options(paths: list[Path], **overrides) -> Options:
    try:
        return with_overrides(
            load_options(paths[0] if paths else Path.cwd()), **overrides
        )
    except ConfigError as exc:
        _err(f"lambda2layer: {exc}")
        raise typer.Exit(exits.Exit.USAGE) from exc


def _progress(total: int):
    """A progress bar on stderr for long runs on a terminal; a no-op otherwise."""
    if total < 200 or not sys.stderr.isatty():
        return None, None
    from rich.progress import Progress

    bar = Progress(transient=True, console=None)
    bar.start()
    task = bar.add_task("converting", total=total)
    return bar, lambda n: bar.advance(task, n)


def _run(
    paths: list[Path],
    options: Options,
    verbose: bool,
    emit: bool = True,
    write: bool = False,
) -> list[FileResult]:
    found = discover(
        paths, exclude=options.exclude, extend_exclude=options.extend_exclude
    )
    if found.missing:
        for path in found.missing:
            _err(f"{path}: no such file or directory")
        raise typer.Exit(exits.Exit.USAGE)
    for skip in found.skipped:
        if verbose or skip.problem:
            _err(f"skipped {skip.path}: {skip.reason}")
    bar, advance = _progress(len(found.files))
    try:
        return convert_files(found.files, options, advance, emit, write)
    finally:
        if bar is not None:
            bar.stop()


def _emit_diagnostics(results: list[FileResult], fmt: OutputFormat) -> None:
    if fmt is OutputFormat.TEXT:
        for result in results:
            for diag in result.diagnostics:
                _err(diag.format())
    elif fmt is OutputFormat.JSON:
        sys.stdout.write(diagnostics_json(results))
    elif fmt is OutputFormat.GITHUB:
        sys.stdout.write(diagnostics_github(results))
    else:
        sys.stdout.write(diagnostics_sarif(results, __version__))


Paths = Annotated[list[Path], typer.Argument(help="Files or folders.")]
Jobs = Annotated[
    Optional[int],
    typer.Option("--jobs", "-j", help="Worker processes (default: CPU count)."),
]
Exclude = Annotated[
    Optional[list[str]],
    typer.Option(
        "--exclude", help="Gitignore-style patterns to skip (replaces the defaults)."
    ),
]
ExtendExclude = Annotated[
    Optional[list[str]],
    typer.Option("--extend-exclude", help="Patterns to skip on top of the defaults."),
]
Verbose = Annotated[
    bool, typer.Option("--verbose", "-v", help="Explain every skipped path.")
]


@app.command()
def convert(
    paths: Paths,
    diff: Annotated[
        bool,
        typer.Option(
            "--diff", help="Print a unified diff of all changes; write nothing."
        ),
    ] = False,
    check: Annotated[
        bool,
        typer.Option("--check", help="Write nothing; exit 1 if anything would change."),
    ] = False,
    color: Annotated[
        Optional[bool],
        typer.Option(
            "--color/--no-color", help="Colour the diff (default: on a terminal)."
        ),
    ] = None,
    output_format: Annotated[
        OutputFormat,
        typer.Option("--output-format", help="How diagnostics are printed."),
    ] = OutputFormat.TEXT,
    report: Annotated[
        Optional[Path],
        typer.Option("--report", help="Write a JSON record of every Lambda site."),
    ] = None,
    module_suffix: Annotated[
        Optional[str], typer.Option(help="Generated module name: <stem><suffix>.py.")
    ] = None,
    package_prefix: Annotated[
        Optional[str], typer.Option(help="Registration package prefix.")
    ] = None,
    target: Annotated[
        Optional[str],
        typer.Option(
            help="Keras of the generated code: auto (per file), keras3 or tf_keras."
        ),
    ] = None,
    jobs: Jobs = None,
    exclude: Exclude = None,
    extend_exclude: ExtendExclude = None,
    verbose: Verbose = False,
) -> None:
    """Convert every Lambda layer it can, in place; refuse the rest with a diagnostic."""
    mode = Mode.DIFF if diff else Mode.CHECK if check else Mode.WRITE
    options = _options(
        paths,
        jobs=jobs,
        module_suffix=module_suffix,
        package_prefix=package_prefix,
        target=target,
        exclude=tuple(exclude) if exclude else None,
        extend_exclude=tuple(extend_exclude) if extend_exclude else None,
    )
    start = time.perf_counter()
    results = _run(
        paths, options, verbose, emit=mode is not Mode.CHECK, write=mode is Mode.WRITE
    )
    _emit_diagnostics(results, output_format)
    colored = sys.stdout.isatty() if color is None else color
    failed_writes = 0
    for result in results:
        if not result.changed:
            continue
        if mode is Mode.DIFF:
            text = unified_diff(result)
            sys.stdout.write(color_diff(text) if colored else text)
        elif mode is Mode.CHECK:
            _err(f"would convert {result.display}")
        else:
            problem = (
                result.write_problem
                if result.written or result.write_problem
                else write_pair(
                    result.path, result.patched, result.module_path, result.module_bytes
                )
            )
            if problem:
                failed_writes += 1
                _err(
                    f"{result.display}:1:1: L2L004 not written: {problem}; nothing was changed"
                )
            elif verbose:
                _err(f"converted {result.display} -> {result.module_path.name}")
    if report is not None:
        report.write_text(json.dumps(site_records(results), indent=2) + "\n")
    summary = summarize(results, time.perf_counter() - start)
    _err(summary.format())
    pending = summary.changed if mode is Mode.CHECK else 0
    status = exits.of_convert(summary.refused, summary.skipped, failed_writes, pending)
    if status:
        raise typer.Exit(status)


@app.command()
def scan(
    paths: Paths,
    jobs: Jobs = None,
    extend_exclude: ExtendExclude = None,
    verbose: Verbose = False,
) -> None:
    """List every Lambda, what it captures and what convert would do. Writes nothing."""
    options = _options(
        paths,
        jobs=jobs,
        extend_exclude=tuple(extend_exclude) if extend_exclude else None,
    )
    results = _run(paths, options, verbose, emit=False)
    for result in results:
        for row in scan_rows(result):
            typer.echo(row)
        for diag in result.diagnostics:
            if result.status is Status.SKIPPED or diag.severity is not Severity.ERROR:
                _err(diag.format())
    status = exits.of_scan(
        sum(1 for r in results if r.refused or r.status is Status.SKIPPED)
    )
    if status:
        raise typer.Exit(status)


@app.command()
def verify(
    targets: Annotated[
        list[str],
        typer.Argument(help="FILE::BUILDER, a function that returns a built model."),
    ],
    kwargs: Annotated[
        Optional[str],
        typer.Option(
            "--kwargs", help="JSON object of keyword arguments for the builder(s)."
        ),
    ] = None,
    converted: Annotated[
        Optional[Path],
        typer.Option("--converted", help="An already converted copy of the project."),
    ] = None,
    inputs: Annotated[
        Optional[Path],
        typer.Option(
            "--inputs",
            help="An .npz of real inputs (arr_0, arr_1, ... or by input name).",
        ),
    ] = None,
    atol: Annotated[
        float, typer.Option("--atol", help="Tolerance for equal outputs.")
    ] = 1e-5,
    output_format: Annotated[
        OutputFormat, typer.Option("--output-format", help="text or json.")
    ] = OutputFormat.TEXT,
    keep: Annotated[bool, typer.Option("--keep", help="Keep the work folder.")] = False,
) -> None:
    """RUNS YOUR CODE: build original and converted models, compare outputs, reload with safe_mode=True.

    Exit 0 only if every builder passes."""
    from lambda2layer import verify as verify_lib

    try:
        verdicts = verify_lib.verify(
            targets,
            verify_lib.parse_kwargs(kwargs),
            converted=converted,
            inputs=inputs,
            atol=atol,
            keep=keep,
        )
    except verify_lib.VerifyError as exc:
        _err(f"lambda2layer verify: {exc}")
        raise typer.Exit(exits.Exit.USAGE) from exc
    if output_format is OutputFormat.JSON:
        sys.stdout.write(verify_lib.render_json(verdicts))
    else:
        sys.stdout.write(verify_lib.render_text(verdicts))
    raise typer.Exit(exits.of_checks(verify_lib.all_passed(verdicts)))


@app.command()
def migrate(
    old: Annotated[
        Path,
        typer.Argument(help="The old artifact (.keras or .h5) with Lambda layers."),
    ],
    builder: Annotated[
        str, typer.Option("--builder", help="FILE::BUILDER in the converted source.")
    ],
    output: Annotated[
        Path, typer.Option("--output", "-o", help="The new .keras file.")
    ],
    kwargs: Annotated[
        Optional[str],
        typer.Option(
            "--kwargs", help="JSON object of keyword arguments for the builder."
        ),
    ] = None,
    compare: Annotated[
        bool,
        typer.Option(
            "--compare",
            help="Also load the old artifact (needs --trust-old-artifact) and compare outputs.",
        ),
    ] = False,
    trust_old_artifact: Annotated[
        bool,
        typer.Option(
            "--trust-old-artifact",
            help="Allow --compare to run the old artifact's bytecode.",
        ),
    ] = False,
    atol: Annotated[float, typer.Option("--atol")] = 1e-5,
    output_format: Annotated[
        OutputFormat, typer.Option("--output-format", help="text or json.")
    ] = OutputFormat.TEXT,
) -> None:
    """RUNS YOUR CODE: move trained weights from an old Lambda artifact into a new .keras built
    from the converted source, without ever running the old artifact's bytecode."""
    from lambda2layer import migrate as migrate_lib
    from lambda2layer.verify import VerifyError, parse_kwargs

    try:
        report = migrate_lib.migrate(
            old,
            builder,
            output,
            parse_kwargs(kwargs),
            compare,
            trust_old_artifact,
            atol,
        )
    except (migrate_lib.MigrateError, VerifyError) as exc:
        _err(f"lambda2layer migrate: {exc}; nothing was written")
        raise typer.Exit(exits.Exit.USAGE) from exc
    render = (
        migrate_lib.render_json
        if output_format is OutputFormat.JSON
        else migrate_lib.render_text
    )
    sys.stdout.write(render(report))
    raise typer.Exit(exits.of_checks(report.written))


@app.command()
def audit(
    paths: Annotated[
        list[Path],
        typer.Argument(help="Saved models (.keras, .h5) or folders to search."),
    ],
    output_format: Annotated[
        OutputFormat, typer.Option("--output-format", help="text or json.")
    ] = OutputFormat.TEXT,
) -> None:
    """List Lambda layers and other unsafe content in saved models, without loading or running them.

    Exit 0 when clean, 1 when anything unsafe is found, 2 for unreadable input."""
    from lambda2layer import audit as audit_lib

    results = audit_lib.audit_paths(paths)
    if output_format is OutputFormat.JSON:
        sys.stdout.write(audit_lib.render_json(results))
    else:
        sys.stdout.write(audit_lib.render_text(results))
    raise typer.Exit(audit_lib.exit_code(results))


@app.command()
def version() -> None:
    """Print the version."""
    typer.echo(__version__)


def main() -> None:
    """The console script: the app, then a quick exit. Tearing down an interpreter
    that holds black, Jinja and typer costs tens of milliseconds on every run, and
    nothing is left to do by then: every file is written and closed."""
    try:
        app()
        code = 0
    except SystemExit as exc:
        code = exc.code
    if code is not None and not isinstance(code, int):
        print(code, file=sys.stderr)  # what sys.exit("message") does
        code = 1
    try:
        sys.stdout.flush()
        sys.stderr.flush()
    except OSError:  # a reader that went away (| head): as Python itself reports it
        code = code or 120
    os._exit(code or 0)
