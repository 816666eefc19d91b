"""Files -> results, in a process pool; a crash in one file never costs another's result."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import Callable, Iterable

from lambda2layer.diagnostics import INTERNAL_ERROR
from lambda2layer.options import Options
from lambda2layer.result import FileResult, read_file, skipped

_SERIAL_BELOW = 8  # a pool costs more than it saves on a handful of files


def convert_one(
    path: Path, display: str, options: Options, emit: bool = True
) -> FileResult:
    try:
        return read_file(path, display, options, emit)
    except Exception as exc:  # noqa: BLE001 - reported as a diagnostic, file left alone
        message = f"internal error, file left unchanged: {type(exc).__name__}: {exc}"
        return skipped(path, display, INTERNAL_ERROR, message)


def _chunk(args: tuple[list[Path], Options, bool]) -> list[FileResult]:
    paths, options, emit = args
    return [convert_one(p, str(p), options, emit) for p in paths]


def convert_files(
    files: Iterable[Path],
    options: Options,
    progress: Callable[[int], None] | None = None,
    emit: bool = True,
) -> list[FileResult]:
    from lambda2layer.naming import find_project_root

    find_project_root.cache_clear()  # folders are looked up once per run, not once ever
    results = _convert_all(list(files), options, progress, emit)
    return _separate_modules(results, options, emit)


def _separate_modules(
    results: list[FileResult], options: Options, emit: bool
) -> list[FileResult]:
    """Two files of one run (train.py, train.ipynb) never share a generated module."""
    claimed: set[str] = set()
    out = []
    for result in results:
        key = (
            str(result.module_path.resolve())
            if result.module_path is not None
            else None
        )
        if key is not None and key in claimed:
            result = convert_one(
                result.path,
                result.display,
                replace(options, reserved=frozenset(claimed)),
                emit,
            )
            key = (
                str(result.module_path.resolve())
                if result.module_path is not None
                else None
            )
        if key is not None:
            claimed.add(key)
        out.append(result)
    return out


def _convert_all(
    files: list[Path], options: Options, progress, emit: bool
) -> list[FileResult]:
    if options.jobs <= 1 or len(files) < _SERIAL_BELOW:
        results = []
        for path in files:
            results.append(convert_one(path, str(path), options, emit))
            if progress:
                progress(1)
        return results
    size = max(1, min(64, len(files) // (options.jobs * 4)))
    chunks = [files[i : i + size] for i in range(0, len(files), size)]
    results: list[FileResult] = []
    from concurrent.futures import ProcessPoolExecutor

    with ProcessPoolExecutor(max_workers=options.jobs) as pool:
        for done in pool.map(_chunk, [(c, options, emit) for c in chunks]):
            results.extend(done)
            if progress:
                progress(len(done))
    return results
