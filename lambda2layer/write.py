"""Atomic writes: a temp file beside the target, then a rename; mode bits kept."""

from __future__ import annotations

import functools
import itertools
import os
import re
import stat
from pathlib import Path

_serial = itertools.count()
_TEMP = re.compile(
    r"\..+\.(\d+)\.\d+\.l2l-tmp"
)  # what atomic_write names its temp files


@functools.cache
def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def atomic_write(
    path: Path, data: bytes, mode_from: Path | None = None, mode: int | None = None
) -> None:
    """``data`` to a new file beside ``path``, then renamed over it: a reader, or a
    run killed at any moment, sees the old file or the new one, never a mix. The
    new file gets ``mode``, or the mode bits of ``mode_from``, or the umask's.

    There is no fsync, as in black and ruff: it guards against a power cut, not
    a killed run, and it made writing a tree of files several times slower (a
    create after an fsync waits for the journal)."""
    if mode is None and mode_from is not None:
        mode = _mode_of(mode_from)
    if mode is None:
        mode = 0o666 & ~_umask()
    while True:  # a name no other writer (or leftover of a killed run) holds
        tmp = path.with_name(f".{path.name}.{os.getpid()}.{next(_serial)}.l2l-tmp")
        try:
            fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, mode)
            break
        except FileExistsError:
            continue
    try:
        try:
            view = memoryview(data)
            while view:
                view = view[os.write(fd, view) :]
            if mode & _umask():  # the umask took bits the file must have
                os.fchmod(fd, mode)
        finally:
            os.close(fd)
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise


def _running(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # someone else's process
        return True
    return True


def remove_stale_temps(folder: Path) -> list[Path]:
    """Remove the temp files a stopped run of ours left in ``folder`` (their
    writer's process is gone); return them."""
    removed = []
    try:
        names = os.listdir(folder)
    except OSError:
        return removed
    for name in names:
        found = _TEMP.fullmatch(name)
        if found and not _running(int(found.group(1))):
            try:
                os.unlink(folder / name)
            except OSError:
                continue
            removed.append(folder / name)
    return removed


def _mode_of(path: Path) -> int | None:
    try:
        return stat.S_IMODE(os.stat(path).st_mode)
    except FileNotFoundError:
        return None


def check_writable(path: Path) -> str | None:
    """Why ``path`` cannot be replaced by this user, or None."""
    if not os.access(path.parent, os.W_OK):
        return f"folder {path.parent} is not writable"
    if not os.access(path, os.W_OK) and path.exists():
        return f"{path.name} is read-only"
    return None


def write_pair(
    model: Path, patched: bytes, module: Path | None, module_bytes: bytes | None
) -> str | None:
    """Write the generated module, then the patched model file; on failure undo the module.

    Returns why nothing was written, or None."""
    existed = module is not None and module.exists()
    problem = check_writable(model) or (
        check_writable(module)
        if module is not None and (existed or module.parent != model.parent)
        else None
    )
    if problem:
        return problem
    try:
        mode = _mode_of(model)
        if module is not None and module_bytes is not None:
            atomic_write(module, module_bytes, mode=mode)
        atomic_write(model, patched, mode=mode)
    except OSError as exc:
        if module is not None and not existed:
            module.unlink(missing_ok=True)
        return f"write failed: {exc.strerror or exc}"
    return None


def move_into_place(tmp: Path, path: Path, overwrite: bool = True) -> str | None:
    """A finished file written beside ``path`` by someone else (a worker process)
    takes its place in one rename; without ``overwrite`` an existing ``path`` is kept.
    Returns why it was not moved, or None."""
    if not overwrite and path.exists():
        return f"{path} exists (pass --force to replace it)"
    try:
        os.replace(tmp, path)
    except OSError as exc:
        return f"cannot write {path}: {exc.strerror or exc}"
    return None
