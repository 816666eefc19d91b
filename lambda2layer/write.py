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
    """Why ``path`` cannot be replaced, or None."""
    if path.exists() and not os.access(path, os.W_OK):
        return "file is read-only"
    if not os.access(path.parent, os.W_OK):
        return f"folder {path.parent} is not writable"
    return None
