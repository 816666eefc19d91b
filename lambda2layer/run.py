"""Files -> results, in a process pool; a crash in one file never costs another's result.

Workers only convert; the parent writes, once every result is in. So every file
of a run is converted against the project as it was when the run began (a file
that imports from a sibling never sees the sibling half-converted), the result
does not depend on the order files are converted in, and one run gives the tree
two runs would. A worker that dies has written nothing; a run stopped while
writing leaves each file whole, old or new, and the next run removes the temp
files such a stop leaves behind.
"""

from __future__ import annotations

import gc
import signal
import threading
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path
from typing import Callable, Iterable

from lambda2layer import diagnostics as codes
from lambda2layer import suppress
from lambda2layer.diagnostics import INTERNAL_ERROR
from lambda2layer.options import Options
from lambda2layer.prefilter import might_convert
from lambda2layer.project import ProjectIndex
from lambda2layer.result import FileResult, Status, skipped
from lambda2layer.suppress import might_suppress
from lambda2layer.write import remove_stale_temps, write_pair

_SERIAL_BELOW = 8  # a pool costs more than it saves on a handful of files
MAX_BYTES = 16 * 2**20  # a bigger .py file is generated data, not a model


def convert_path(
    path: Path,
    display: str,
    options: Options | None = None,
    emit: bool = True,
    index: ProjectIndex | None = None,
) -> FileResult:
    """Read one file and convert it. Most files of a tree are settled here, by the
    byte prefilter, without loading the converter at all."""
    try:
        size = path.stat().st_size
        if size > MAX_BYTES:
            message = f"skipped: {size / 2**20:.0f} MB is larger than any model file ({MAX_BYTES // 2**20} MB limit)"
            return skipped(path, display, codes.UNREADABLE, message)
        data = path.read_bytes()
    except OSError as exc:
        return skipped(
            path, display, codes.UNREADABLE, f"cannot read file: {exc.strerror or exc}"
        )
    return convert_bytes(path, display, data, options, emit, index)


def convert_bytes(
    path: Path,
    display: str,
    data: bytes,
    options: Options | None = None,
    emit: bool = True,
    index: ProjectIndex | None = None,
) -> FileResult:
    """Convert bytes read from ``path`` (or from stdin, for ``path``), then apply the
    suppressions the source and the options hold."""
    if not might_convert(data):
        return FileResult(path, display, Status.UNCHANGED)
    from lambda2layer import pipeline  # the converter proper, only for candidates

    options = options or Options()
    notebook = path.suffix == ".ipynb"
    if notebook:  # its cells' comments are not read for suppressions: --ignore only
        result = pipeline.convert_notebook(path, display, data, options, index)
    else:
        result = pipeline.convert_source(path, display, data, options, emit, index)
    if options.ignore or (not notebook and might_suppress(data)):
        text = None if notebook else _text(data)
        result = suppress.apply(result, text, options.ignore)
    return result


def _text(data: bytes) -> str | None:
    from lambda2layer.source import SourceError, SourceText

    try:
        return SourceText.decode(data).text
    except SourceError:
        return None


def _converted(
    path: Path,
    display: str,
    options: Options,
    emit: bool,
    index: ProjectIndex | None = None,
) -> FileResult:
    try:
        return convert_path(path, display, options, emit, index)
    except Exception as exc:  # noqa: BLE001 - reported as a diagnostic, file left alone
        message = f"internal error, file left unchanged: {type(exc).__name__}: {exc}"
        return skipped(path, display, INTERNAL_ERROR, message)


def _written(result: FileResult) -> FileResult:
    if not result.changed:
        return result
    problem = write_pair(
        result.path, result.patched, result.module_path, result.module_bytes
    )
    if problem:
        return replace(result, write_problem=problem)
    # on disk now: no need to carry the bytes back
    return replace(result, written=True, original=None, patched=None, module_bytes=None)


def _chunk(args: tuple[list[Path], Options, bool, ProjectIndex]) -> list[FileResult]:
    """A worker's task: convert, never write. A worker that dies, or is stopped
    because another died, leaves nothing half-reported: every file without a
    result is as it was and can be converted afresh."""
    paths, options, emit, index = args
    return [_converted(p, str(p), options, emit, index) for p in paths]


def convert_files(
    files: Iterable[Path],
    options: Options,
    progress: Callable[[int], None] | None = None,
    emit: bool = True,
    write: bool = False,
) -> list[FileResult]:
    """Convert ``files``; with ``write``, write every changed file (``FileResult.written``,
    or ``write_problem`` when it could not be written). Files whose generated module
    another file of the run could claim are written last, once their names are settled.
    """
    index = ProjectIndex()
    results = _convert_all(list(files), options, progress, emit, index)
    results = _separate_modules(results, options, emit, index)
    results = _separate_registrations(results, options, emit, index)
    if not write:
        return results
    return write_all(results)


class Interrupted(Exception):
    """Ctrl-C while a run wrote: ``results`` says which files were written
    (``written``) and which were not (each of those is as it was)."""

    def __init__(self, results: list[FileResult]) -> None:
        super().__init__("interrupted")
        self.results = results


def write_all(results: list[FileResult]) -> list[FileResult]:
    """Write every changed result, after removing what a stopped run left in
    the folders written to."""
    folders = {r.path.parent for r in results if r.changed}
    folders |= {r.module_path.parent for r in results if r.changed and r.module_path}
    for folder in sorted(folders):
        remove_stale_temps(folder)
    out: list[FileResult] = []
    with _ctrl_c_between_files() as stopped:
        for result in results:
            if stopped():
                raise Interrupted(out + results[len(out) :])
            out.append(_written(result))
    return out


@contextmanager
def _ctrl_c_between_files():
    """Ctrl-C while writing takes effect between two files: a file and its
    module are written both or neither, and no temp file is left. Yields a
    function that says whether Ctrl-C was pressed."""
    pressed: list[int] = []
    if threading.current_thread() is not threading.main_thread():
        yield lambda: False
        return
    before = signal.signal(signal.SIGINT, lambda signum, frame: pressed.append(signum))
    try:
        yield lambda: bool(pressed)
    finally:
        signal.signal(signal.SIGINT, before)


def _separate_modules(
    results: list[FileResult], options: Options, emit: bool, index: ProjectIndex
) -> list[FileResult]:
    """Two files of one run (train.py, train.ipynb) never share a generated module."""
    real_path = index.real_path
    claimed: set[str] = set()
    out = []
    for result in results:
        key = real_path(result.module_path) if result.module_path is not None else None
        if key is not None and key in claimed and not result.written:
            result = _converted(
                result.path, result.display, options, emit, index.claiming(claimed)
            )
            key = (
                real_path(result.module_path)
                if result.module_path is not None
                else None
            )
        if key is not None:
            claimed.add(key)
        out.append(result)
    return out


def _separate_registrations(
    results: list[FileResult], options: Options, emit: bool, index: ProjectIndex
) -> list[FileResult]:
    """Two files of one run never register under one package: Keras keeps the
    last class registered under a name, so one model would load the other's
    layers. Files that nothing else names apart (no project root, no package:
    ``yolo2/models/layers.py`` and ``yolo5/models/layers.py``) are converted again
    with their folders' names in the package, as many as tell them apart."""
    by_package: dict[str, list[int]] = {}
    for i, result in enumerate(results):
        if result.registration is not None:
            by_package.setdefault(result.registration, []).append(i)
    clashing = [group for group in by_package.values() if len(group) > 1]
    if not clashing:
        return results
    folders: dict[str, tuple[str, ...]] = {}
    for group in clashing:
        real = [index.real_folder(results[i].path.parent) for i in group]
        folders.update(_telling_apart(real))
    qualified = index.qualifying(folders)
    out = list(results)
    for group in clashing:
        for i in group:
            out[i] = _converted(
                results[i].path, results[i].display, options, emit, qualified
            )
    return out


def _telling_apart(folders: list[Path]) -> dict[str, tuple[str, ...]]:
    """Each folder's last ``k`` names, ``k`` the fewest that differ for all."""
    deepest = max(len(f.parts) for f in folders)
    for k in range(1, deepest + 1):
        tails = [tuple(f.parts[-k:]) for f in folders]
        if len(set(tails)) == len(tails):
            break
    return {str(f): tail for f, tail in zip(folders, tails)}


def _quiet_gc() -> None:
    """Conversion makes many short-lived AST objects and few cycles: collect rarely,
    and never walk the objects that were there before the work began."""
    gc.freeze()
    gc.set_threshold(50_000, 20, 20)


@contextmanager
def _quiet_gc_here():
    before = gc.get_threshold()
    _quiet_gc()
    try:
        yield
    finally:
        gc.set_threshold(*before)
        gc.unfreeze()


def _convert_all(
    items: list[Path],
    options: Options,
    progress,
    emit: bool,
    index: ProjectIndex,
) -> list[FileResult]:
    if options.jobs <= 1 or len(items) < _SERIAL_BELOW:
        results = []
        with _quiet_gc_here():
            for path in items:
                results.append(_converted(path, str(path), options, emit, index))
                if progress:
                    progress(1)
        return results
    # small chunks keep both workers busy to the end; a chunk is a few ms of work
    size = max(1, min(64, len(items) // (options.jobs * 8)))
    if emit:  # load the converter once, before the workers are forked from us
        from lambda2layer import emit as generate
        from lambda2layer import pipeline  # noqa: F401 - imported for the workers

        generate.preload()
    done: dict[int, FileResult] = {}
    # A worker that dies (a crash in C code, the OOM killer) breaks the whole
    # pool, and every task not yet back fails with it. Tasks start in order, so
    # the one that killed its worker is among the first ``jobs`` of those: each
    # of their files runs alone, in a pool of its own, and only a file that kills
    # that pool is reported. The rest go round again, one file a task.
    left = list(range(len(items)))
    while left:
        _pooled(items, left, size, options.jobs, options, emit, progress, done, index)
        left = [i for i in left if i not in done]
        for i in left[: options.jobs * size]:
            _pooled(items, [i], 1, 1, options, emit, progress, done, index)
            if i not in done:
                done[i] = _stopped(items[i])
                if progress:
                    progress(1)
        left = [i for i in left if i not in done]
        size = 1
    return [done[i] for i in range(len(items))]


def _stopped(path: Path) -> FileResult:
    return skipped(
        path,
        str(path),
        INTERNAL_ERROR,
        "internal error: the process converting this file stopped (a crash or "
        "out of memory); the file is left as it is",
        "run lambda2layer on this file alone, with --jobs 1, to see the crash",
    )


def _pooled(items, indices, size, jobs, options, emit, progress, done, index) -> None:
    """Convert ``items[i]`` for ``i`` in ``indices`` in a pool of ``jobs`` workers,
    ``size`` files a task, into ``done``; a broken pool ends the round early."""
    from concurrent.futures import ProcessPoolExecutor, as_completed
    from concurrent.futures.process import BrokenProcessPool

    tasks = [indices[k : k + size] for k in range(0, len(indices), size)]
    try:
        with ProcessPoolExecutor(max_workers=jobs, initializer=_quiet_gc) as pool:
            futures = {
                pool.submit(
                    _chunk, ([items[i] for i in task], options, emit, index)
                ): task
                for task in tasks
            }
            for future in as_completed(futures):
                try:
                    results = future.result()
                except BrokenProcessPool:
                    continue  # tried again by the caller
                for i, result in zip(futures[future], results):
                    done[i] = result
                if progress:
                    progress(len(results))
    except BrokenProcessPool:
        pass
