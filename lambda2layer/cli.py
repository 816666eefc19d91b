"""Command line: options and exit codes, nothing else."""

from __future__ import annotations

import sys
import time
from enum import Enum
from pathlib import Path
from typing import Annotated, Optional

import typer

from lambda2layer import __version__
from lambda2layer.diagnostics import Severity
from lambda2layer.discover import DEFAULT_EXCLUDES, discover
from lambda2layer.pipeline import FileResult, Status, read_file
from lambda2layer.report import scan_rows, summarize, unified_diff
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


def _err(text: str) -> None:
    typer.echo(text, err=True)


def _run(paths: list[Path], exclude: list[str], verbose: bool) -> list[FileResult]:
    found = discover(paths, extend_exclude=tuple(exclude))
    if found.missing:
        for path in found.missing:
            _err(f"{path}: no such file or directory")
        raise typer.Exit(2)
    if verbose:
        for skip in found.skipped:
            _err(f"skipped {skip.path}: {skip.reason}")
    results = []
    for path in found.files:
        try:
            results.append(read_file(path, str(path)))
        except Exception as exc:  # a bug in one file never costs another file's result
            from lambda2layer.diagnostics import Diagnostic

            results.append(FileResult(path, str(path), Status.SKIPPED, diagnostics=(
                Diagnostic(str(path), 1, 1, Severity.ERROR, "L2L999", f"internal error, file left unchanged: {type(exc).__name__}: {exc}"),
            )))
    return results


def _write(result: FileResult) -> str | None:
    return write_pair(result.path, result.patched, result.module_path, result.module_bytes)


@app.command()
def convert(
    paths: Annotated[list[Path], typer.Argument(help="Files or folders to convert.")],
    diff: Annotated[bool, typer.Option("--diff", help="Print a unified diff of all changes; write nothing.")] = False,
    check: Annotated[bool, typer.Option("--check", help="Write nothing; exit 1 if anything would change.")] = False,
    exclude: Annotated[Optional[list[str]], typer.Option("--extend-exclude", help="Extra gitignore-style patterns to skip.")] = None,
    verbose: Annotated[bool, typer.Option("--verbose", "-v", help="Explain every skipped path.")] = False,
) -> None:
    """Convert every Lambda layer it can, in place; refuse the rest with a diagnostic."""
    mode = Mode.DIFF if diff else Mode.CHECK if check else Mode.WRITE
    start = time.perf_counter()
    results = _run(paths, exclude or [], verbose)
    failed_writes = 0
    for result in results:
        for diag in result.diagnostics:
            _err(diag.format())
        if not result.changed:
            continue
        if mode is Mode.DIFF:
            sys.stdout.write(unified_diff(result))
        elif mode is Mode.CHECK:
            _err(f"would convert {result.display}")
        else:
            problem = _write(result)
            if problem:
                failed_writes += 1
                _err(f"{result.display}:1:1: L2L004 not written: {problem}; nothing was changed")
            elif verbose:
                _err(f"converted {result.display} -> {result.module_path.name}")
    summary = summarize(results, time.perf_counter() - start)
    _err(summary.format())
    pending = mode is Mode.CHECK and summary.changed > 0
    if summary.refused or summary.skipped or failed_writes or pending:
        raise typer.Exit(1)


@app.command()
def scan(
    paths: Annotated[list[Path], typer.Argument(help="Files or folders to scan.")],
    verbose: Annotated[bool, typer.Option("--verbose", "-v")] = False,
) -> None:
    """List every Lambda, what it captures and what convert would do. Writes nothing."""
    results = _run(paths, [], verbose)
    refused = 0
    for result in results:
        for row in scan_rows(result):
            typer.echo(row)
        for diag in result.diagnostics:
            if diag.severity is Severity.WARNING or result.status is Status.SKIPPED:
                _err(diag.format())
        refused += result.refused + (result.status is Status.SKIPPED)
    if refused:
        raise typer.Exit(1)


@app.command()
def version() -> None:
    """Print the version."""
    typer.echo(__version__)


def main() -> None:
    app()
