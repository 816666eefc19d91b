"""Command line: options, configuration and exit codes; the work happens elsewhere."""

from __future__ import annotations

import json
import os
import sys
import time
from dataclasses import replace
from enum import Enum
from pathlib import Path
from typing import Annotated, NoReturn, Optional

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
    with_outcome_diagnostics,
)
from lambda2layer.run import Interrupted, convert_files

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
    """What ``convert`` prints its diagnostics as."""

    TEXT = "text"
    JSON = "json"
    GITHUB = "github"
    SARIF = "sarif"


class ReportFormat(str, Enum):
    """What ``verify``, ``migrate`` and ``audit`` print their report as."""

    TEXT = "text"
    JSON = "json"


class Target(str, Enum):
    AUTO = "auto"
    KERAS3 = "keras3"
    TF_KERAS = "tf_keras"


def _print_version(value: bool) -> None:
    if value:
        typer.echo(f"lambda2layer {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    version: Annotated[
        bool,
        typer.Option(
            "--version",
            "-V",
            callback=_print_version,
            is_eager=True,
            help="Print the version and exit.",
        ),
    ] = False,
) -> None:
    """Rewrite Keras Lambda layers into registered custom layers that save and load with safe_mode=True."""


def _use_color(flag: bool | None) -> bool:
    """``--color``/``--no-color``, else NO_COLOR / FORCE_COLOR, else a terminal."""
    if flag is not None:
        return flag
    if os.environ.get("NO_COLOR"):
        return False
    if os.environ.get("FORCE_COLOR"):
        return True
    return sys.stdout.isatty()


def _report_problem(path: Path) -> str | None:
    """Why ``--report PATH`` could not be written, known before any work is done."""
    if path.is_dir():
        return f"{path} is a folder"
    if not path.parent.is_dir():
        return f"{path.parent}: no such folder"
    if not os.access(path.parent, os.W_OK) or (
        path.exists() and not os.access(path, os.W_OK)
    ):
        return f"{path} is not writable"
    return None


RUNS_YOUR_CODE = (
    "lambda2layer {command}: this RUNS YOUR CODE (it imports your model files and "
    "builds the models, in separate processes)"
)


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


def _from_stdin(
    name: Path | None, options: Options, emit: bool
) -> tuple[FileResult, bytes]:
    """The text on stdin, converted as if it were the file ``name``."""
    from lambda2layer.run import convert_bytes

    data = sys.stdin.buffer.read()
    path = (name or Path("stdin.py")).absolute()
    display = str(name) if name is not None else "-"
    return convert_bytes(path, display, data, options, emit), data


def _stdin_written(result: FileResult) -> FileResult:
    """Write mode on stdin: the generated module to disk, beside --stdin-filename
    (without one there is no place for it); the converted text goes to stdout."""
    if not result.changed or result.module_path is None:
        return result
    if result.display == "-":
        _err(
            "lambda2layer: converting stdin generates a module: pass --stdin-filename "
            "to say where it goes (or use --diff)"
        )
        raise typer.Exit(exits.Exit.USAGE)
    from lambda2layer.write import atomic_write

    try:
        atomic_write(result.module_path, result.module_bytes)
    except OSError as exc:
        return replace(result, write_problem=f"write failed: {exc.strerror or exc}")
    return replace(result, written=True)


def _run(
    paths: list[Path],
    options: Options,
    verbose: bool,
    emit: bool = True,
    write: bool = False,
    force_exclude: bool = False,
) -> list[FileResult]:
    found = discover(
        paths,
        exclude=options.exclude,
        extend_exclude=options.extend_exclude,
        force_exclude=force_exclude,
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
    except Interrupted as stop:
        _report_interrupted(stop.results)
    except KeyboardInterrupt:
        _report_interrupted([])
    finally:
        if bar is not None:
            bar.stop()


_LISTED = 20  # files named by name after Ctrl-C, per group


def _report_interrupted(results: list[FileResult]) -> NoReturn:
    """Ctrl-C: what was written, what was not (each such file is as it was)."""
    written = [r for r in results if r.written]
    left = [r for r in results if r.changed and not r.written]
    for label, group in (("written", written), ("not written", left)):
        for result in group[:_LISTED]:
            _err(f"{label}: {result.display}")
        if len(group) > _LISTED:
            _err(f"{label}: ... and {len(group) - _LISTED} more")
    if not results:
        _err("interrupted while converting: nothing was written")
    else:
        _err(f"interrupted: {len(written)} file(s) written, {len(left)} not written")
    raise typer.Exit(exits.Exit.INTERRUPTED)


def _emit_diagnostics(
    results: list[FileResult], fmt: OutputFormat, quiet: bool = False
) -> None:
    if fmt is OutputFormat.TEXT:
        for result in results:
            for diag in result.diagnostics:
                if not quiet or diag.severity is Severity.ERROR:
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
Quiet = Annotated[
    bool,
    typer.Option(
        "--quiet", "-q", help="Print only errors: no notes, warnings or summary."
    ),
]
Ignore = Annotated[
    Optional[list[str]],
    typer.Option(
        "--ignore",
        help="Accept refusals and warnings with this code (repeatable), e.g. L2L203.",
    ),
]


@app.command()
def convert(
    paths: Paths,
    diff: Annotated[
        bool,
        typer.Option(
            "--diff",
            help="Print a unified diff of all changes; write nothing. With a machine "
            "--output-format the diff goes to stderr.",
        ),
    ] = False,
    check: Annotated[
        bool,
        typer.Option(
            "--check",
            help="Write nothing; list every pending change; exit 1 if anything would change.",
        ),
    ] = False,
    color: Annotated[
        Optional[bool],
        typer.Option(
            "--color/--no-color",
            help="Colour the diff (default: on a terminal, unless NO_COLOR is set).",
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
        Optional[Target],
        typer.Option(help="Keras of the generated code (auto: per file)."),
    ] = None,
    ignore: Ignore = None,
    unused_ignores: Annotated[
        bool,
        typer.Option(
            "--unused-ignores",
            help="List `# lambda2layer: ignore` comments that accept nothing.",
        ),
    ] = False,
    stdin_filename: Annotated[
        Optional[Path],
        typer.Option(
            "--stdin-filename",
            help="With PATH `-`: the file the text on stdin is (names, flavour, and "
            "where the generated module goes).",
        ),
    ] = None,
    force_exclude: Annotated[
        bool,
        typer.Option(
            "--force-exclude",
            help="Apply excludes and .gitignore to files given by name too (pre-commit).",
        ),
    ] = False,
    jobs: Jobs = None,
    exclude: Exclude = None,
    extend_exclude: ExtendExclude = None,
    verbose: Verbose = False,
    quiet: Quiet = False,
) -> None:
    """Convert every Lambda layer it can, in place; refuse the rest with a diagnostic.

    PATH `-` reads one file from stdin and prints the converted text to stdout
    (with --diff: the diff; with --check: nothing); the generated module is written
    beside --stdin-filename."""
    options = _options(
        paths,
        jobs=jobs,
        module_suffix=module_suffix,
        package_prefix=package_prefix,
        target=target.value if target is not None else None,
        ignore=tuple(ignore) if ignore else None,
        exclude=tuple(exclude) if exclude else None,
        extend_exclude=tuple(extend_exclude) if extend_exclude else None,
    )
    if report is not None and (problem := _report_problem(report)):
        _err(f"lambda2layer: --report {problem}; nothing was converted")
        raise typer.Exit(exits.Exit.USAGE)
    mode = Mode.CHECK if check else Mode.DIFF if diff else Mode.WRITE
    start = time.perf_counter()
    stdin = paths == [Path("-")]
    if stdin:
        result, data = _from_stdin(stdin_filename, options, diff or not check)
        if mode is Mode.WRITE:
            result = _stdin_written(result)
            if not result.write_problem:
                sys.stdout.buffer.write(result.patched if result.written else data)
        results = [result]
    else:
        if Path("-") in paths:
            _err("lambda2layer: `-` (stdin) cannot be combined with other paths")
            raise typer.Exit(exits.Exit.USAGE)
        results = _run(
            paths,
            options,
            verbose,
            emit=diff or not check,
            write=mode is Mode.WRITE,
            force_exclude=force_exclude,
        )
    results = [with_outcome_diagnostics(r, pending=check) for r in results]
    _emit_diagnostics(results, output_format, quiet)
    if diff:
        to = sys.stdout if output_format is OutputFormat.TEXT else sys.stderr
        colored = _use_color(color) if to is sys.stdout else bool(color)
        for result in results:
            if result.changed:
                text = unified_diff(result)
                to.write(color_diff(text) if colored else text)
    if verbose and mode is Mode.WRITE:
        for result in results:
            if result.written:
                _err(f"converted {result.display} -> {result.module_path.name}")
    if unused_ignores:
        for result in results:
            for line in result.unused_suppressions:
                typer.echo(f"{result.display}:{line}: unused `lambda2layer: ignore`")
    if report is not None:
        report.write_text(json.dumps(site_records(results), indent=2) + "\n")
    summary = summarize(
        results, time.perf_counter() - start, would=mode is not Mode.WRITE
    )
    if not quiet:
        _err(summary.format())
    status = exits.of_convert(
        summary.refused,
        summary.skipped,
        summary.failed_writes,
        summary.changed if check else 0,
    )
    if status:
        raise typer.Exit(status)


@app.command()
def scan(
    paths: Paths,
    ignore: Ignore = None,
    jobs: Jobs = None,
    extend_exclude: ExtendExclude = None,
    verbose: Verbose = False,
) -> None:
    """List every Lambda, what it captures and what convert would do. Writes nothing."""
    options = _options(
        paths,
        jobs=jobs,
        ignore=tuple(ignore) if ignore else None,
        extend_exclude=tuple(extend_exclude) if extend_exclude else None,
    )
    start = time.perf_counter()
    results = _run(paths, options, verbose, emit=False)
    for result in results:
        for row in scan_rows(result):
            typer.echo(row)
        for diag in result.diagnostics:
            if result.status is Status.SKIPPED or diag.severity is not Severity.ERROR:
                _err(diag.format())
    _err(summarize(results, time.perf_counter() - start, would=True).format())
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
        ReportFormat, typer.Option("--output-format", help="How the report is printed.")
    ] = ReportFormat.TEXT,
    keep: Annotated[bool, typer.Option("--keep", help="Keep the work folder.")] = False,
) -> None:
    """RUNS YOUR CODE: build original and converted models, compare outputs, reload with safe_mode=True.

    Exit 0 only if every builder passes."""
    from lambda2layer import verify as verify_lib

    _err(RUNS_YOUR_CODE.format(command="verify"))

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
    if output_format is ReportFormat.JSON:
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
    force: Annotated[
        bool, typer.Option("--force", help="Replace an existing --output file.")
    ] = False,
    output_format: Annotated[
        ReportFormat, typer.Option("--output-format", help="How the report is printed.")
    ] = ReportFormat.TEXT,
) -> None:
    """RUNS YOUR CODE: move trained weights from an old Lambda artifact into a new .keras built
    from the converted source, without ever running the old artifact's bytecode."""
    from lambda2layer import migrate as migrate_lib
    from lambda2layer.verify import VerifyError, parse_kwargs

    _err(RUNS_YOUR_CODE.format(command="migrate"))

    try:
        report = migrate_lib.migrate(
            old,
            builder,
            output,
            parse_kwargs(kwargs),
            compare,
            trust_old_artifact,
            atol,
            force,
        )
    except (migrate_lib.MigrateError, VerifyError) as exc:
        _err(f"lambda2layer migrate: {exc}; nothing was written")
        raise typer.Exit(exits.Exit.USAGE) from exc
    render = (
        migrate_lib.render_json
        if output_format is ReportFormat.JSON
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
        ReportFormat, typer.Option("--output-format", help="How the report is printed.")
    ] = ReportFormat.TEXT,
) -> None:
    """List Lambda layers and other unsafe content in saved models, without loading or running them.

    Exit 0 when clean, 1 when anything unsafe is found, 2 for unreadable input."""
    from lambda2layer import audit as audit_lib

    results = audit_lib.audit_paths(paths)
    if output_format is ReportFormat.JSON:
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
