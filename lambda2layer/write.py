"""Atomic writes: a temp file beside the target, then a rename; mode bits kept."""

from __future__ import annotations

import os
import stat
import tempfile
from pathlib import Path


def atomic_write(path: Path, data: bytes, mode_from: Path | None = None) -> None:
    folder = path.parent
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".l2l-tmp", dir=folder)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        source = mode_from if mode_from is not None and mode_from.exists() else None
        if source is not None:
            os.chmod(tmp, stat.S_IMODE(source.stat().st_mode))
        else:
            umask = os.umask(0)
            os.umask(umask)
            os.chmod(tmp, 0o666 & ~umask)
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
