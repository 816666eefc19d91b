"""``write``: atomic writes that keep mode bits, and a pair written all or nothing."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest

from lambda2layer import write


def leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.endswith(".l2l-tmp"))


def test_atomic_write_replaces_and_keeps_the_mode_of_the_file(tmp_path: Path) -> None:
    target = tmp_path / "model.py"
    target.write_text("old\n")
    target.chmod(0o640)
    write.atomic_write(target, b"new\r\n", mode_from=target)
    assert target.read_bytes() == b"new\r\n"
    assert stat.S_IMODE(target.stat().st_mode) == 0o640
    assert leftovers(tmp_path) == []


def test_a_failed_atomic_write_leaves_no_temp_file(tmp_path: Path, monkeypatch) -> None:
    def refuse(src, dst):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(write.os, "replace", refuse)
    target = tmp_path / "model.py"
    target.write_text("old\n")
    with pytest.raises(OSError):
        write.atomic_write(target, b"new\n")
    assert target.read_text() == "old\n" and leftovers(tmp_path) == []


def test_write_pair_writes_the_module_then_the_model(tmp_path: Path) -> None:
    model, module = tmp_path / "model.py", tmp_path / "model_layers.py"
    model.write_text("old\n")
    model.chmod(0o600)
    assert write.write_pair(model, b"patched\n", module, b"generated\n") is None
    assert (model.read_bytes(), module.read_bytes()) == (b"patched\n", b"generated\n")
    assert stat.S_IMODE(module.stat().st_mode) == 0o600  # the model's bits


def test_write_pair_takes_the_new_module_back_when_the_model_fails(
    tmp_path: Path, monkeypatch
) -> None:
    model, module = tmp_path / "model.py", tmp_path / "model_layers.py"
    model.write_text("old\n")
    real = write.atomic_write

    def failing(path, data, **kwargs):
        if path == model:
            raise PermissionError(13, "Permission denied")
        real(path, data, **kwargs)

    monkeypatch.setattr(write, "atomic_write", failing)
    problem = write.write_pair(model, b"patched\n", module, b"generated\n")
    assert problem == "write failed: Permission denied"
    assert model.read_text() == "old\n" and not module.exists()


def test_check_writable_names_the_folder_that_is_missing(tmp_path: Path) -> None:
    assert write.check_writable(tmp_path / "model.py") is None
    gone = tmp_path / "gone" / "model.py"
    assert write.check_writable(gone) == f"folder {gone.parent} is not writable"


def _dead_pid() -> int:
    """The pid of a process that has ended."""
    import subprocess
    import sys

    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait()
    return child.pid


def test_stale_temps_of_a_stopped_run_are_removed(tmp_path: Path) -> None:
    import os

    dead = tmp_path / f".model.py.{_dead_pid()}.0.l2l-tmp"
    mine = tmp_path / f".model.py.{os.getpid()}.3.l2l-tmp"  # a write in progress
    other = tmp_path / ".model.py.swp"
    for path in (dead, mine, other):
        path.write_text("half\n")
    assert write.remove_stale_temps(tmp_path) == [dead]
    assert not dead.exists() and mine.exists() and other.exists()
    assert write.remove_stale_temps(tmp_path / "absent") == []
