"""Golden cases: ``golden/<case>/input`` is converted; the whole tree must equal ``output``.

``golden/<case>/diagnostics.txt`` pins the exit code and every diagnostic. A
second run must change nothing and exit the same way. ``make golden``
(L2L_UPDATE_GOLDEN=1) rewrites the expectations for review in the diff.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from support import invoke, tree

GOLDEN = Path(__file__).resolve().parent.parent / "golden"
UPDATE = os.environ.get("L2L_UPDATE_GOLDEN") == "1"
CASES = sorted(p.name for p in GOLDEN.iterdir() if (p / "input").is_dir())


def run(root: Path) -> tuple[int, str]:
    result = invoke("convert", str(root))
    lines = [
        line.replace(str(root), "<root>")
        for line in result.stderr.splitlines()
        if not line.startswith("lambda2layer: ")
    ]
    return result.exit_code, "\n".join([f"exit {result.exit_code}", *lines]) + "\n"


def write_tree(root: Path, files: dict[str, bytes]) -> None:
    shutil.rmtree(root, ignore_errors=True)
    for rel, data in files.items():
        target = root / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)


@pytest.mark.parametrize("case", CASES)
def test_golden(case: str, tmp_path: Path) -> None:
    here = GOLDEN / case
    work = tmp_path / "tree"
    shutil.copytree(here / "input", work)
    code, diagnostics = run(work)
    after = tree(work)
    if UPDATE:
        write_tree(here / "output", after)
        (here / "diagnostics.txt").write_text(diagnostics)
    assert diagnostics == (here / "diagnostics.txt").read_text()
    assert after == tree(here / "output")
    before = tree(here / "input")
    for rel, data in after.items():
        if rel.endswith(".py") and before.get(rel) != data:
            compile(data, rel, "exec")  # every file we wrote parses
    again_code, _ = run(work)
    assert tree(work) == after, "a second run changed the tree"
    assert again_code == code


def test_every_case_has_expectations() -> None:
    for case in CASES:
        assert (GOLDEN / case / "output").is_dir(), case
        assert (GOLDEN / case / "diagnostics.txt").is_file(), case
