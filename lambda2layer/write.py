"""Atomic writes: a temp file beside the target, then a rename; mode bits kept."""

from __future__ import annotations

import functools
import itertools
import os
import stat
from pathlib import Path

_serial = itertools.count()


@functools.cache
def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def atomic_write(path: Path, data: bytes, mode_from: Path | None = None) -> None:
    """``data`` to a new file beside ``path``, then renamed over it: a reader, or a
    run killed at any moment, sees the old file or the new one, never a mix.

    There is no fsync, as in black and ruff: it guards against a power cut, not
    a killed run, and it made writing a tree of files several times slower (a
    create after an fsync waits for the journal)."""
    try:
        mode = stat.S_IMODE(os.stat(mode_from).st_mode) if mode_from else None
    except FileNotFoundError:
        mode = None
    if mode is None:
        mode = 0o666 & ~_umask()
    while True:  # a name no other writer (or leftover of a killed run) holds
        tmp = path.with_name(f".{path.name}.{os.getpid()}.{next(_serial)}.l2l-tmp")
        try:
            fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            break
        except FileExistsError:
            continue
    try:
        try:
            view = memoryview(data)
            while view:
                view = view[os.write(fd, view) :]
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


def check_writable(path: Path) -> str | None:
    """Why ``path`` cannot be replaced by this user, or None."""
    if path.exists() and not os.access(path, os.W_OK):
        return f"{path.name} is read-only"
    if not os.access(path.parent, os.W_OK):
        return f"folder {path.parent} is not writable"
    return None


def write_pair(
    model: Path, patched: bytes, module: Path | None, module_bytes: bytes | None
) -> str | None:
    """Write the generated module, then the patched model file; on failure undo the module.

    Returns why nothing was written, or None."""
    problem = check_writable(model) or (
        check_writable(module) if module is not None else None
    )
    if problem:
        return problem
    created = False
    try:
        if module is not None and module_bytes is not None:
            created = not module.exists()
            atomic_write(module, module_bytes, mode_from=model)
        atomic_write(model, patched, mode_from=model)
    except OSError as exc:
        if created and module is not None:
            module.unlink(missing_ok=True)
        return f"write failed: {exc.strerror or exc}"
    return None
