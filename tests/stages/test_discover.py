"""``discover``: paths -> candidate files, each skip with its reason."""

from __future__ import annotations

import subprocess
from pathlib import Path

from lambda2layer.discover import Skipped, discover

DEFAULT = "excluded by default or by --exclude"


def make_tree(root: Path) -> None:
    for name in ["a.py", "ignored.py", "pkg/b.py", "pkg/n.ipynb", "notes.txt"]:
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text("")
    for folder in [".venv", "build"]:
        (root / folder).mkdir()
        (root / folder / "x.py").write_text("")
    (root / ".gitignore").write_text("ignored.py\n")


def test_python_files_and_notebooks_with_every_skip_explained(
    tmp_path: Path, monkeypatch
) -> None:
    make_tree(tmp_path / "proj")
    subprocess.run(["git", "init", "-q", str(tmp_path / "proj")], check=True)
    monkeypatch.chdir(tmp_path)
    found = discover([Path("proj"), Path("proj/a.py"), Path("nope")])
    assert found.files == (
        Path("proj/a.py"),
        Path("proj/pkg/b.py"),
        Path("proj/pkg/n.ipynb"),
    )  # proj/a.py, given twice, comes once
    assert found.skipped == (
        Skipped(Path("proj/.git"), DEFAULT),
        Skipped(Path("proj/.venv"), DEFAULT),
        Skipped(Path("proj/build"), DEFAULT),
        Skipped(Path("proj/ignored.py"), "ignored by proj/.gitignore"),
    )
    assert found.missing == (Path("nope"),)


def test_extend_exclude_adds_to_the_defaults(tmp_path: Path, monkeypatch) -> None:
    make_tree(tmp_path / "proj")
    monkeypatch.chdir(tmp_path)
    found = discover([Path("proj")], extend_exclude=("pkg",))
    assert Path("proj/pkg/b.py") not in found.files
    assert Skipped(Path("proj/pkg"), DEFAULT) in found.skipped
    assert Skipped(Path("proj/.venv"), DEFAULT) in found.skipped
