"""One pass: a run converts every file against the project as it was when the run
began, so the tree it leaves does not depend on the order of its files, equals
what a second run leaves, and a run after a killed one cleans up after it.
Ctrl-C stops a run with exit 130 and says what was written."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest
from support import invoke, tree

from lambda2layer.options import Options
from lambda2layer.run import Interrupted, convert_files, write_all

HELPERS = """
import keras
from keras import layers


def scale(t, k):
    return t * k


def build_a():
    x = keras.Input((3,))
    return keras.Model(x, layers.Lambda(lambda t: scale(t, 2.0))(x))
"""

USER = """
import keras
from keras import layers
from a import scale


def build_b():
    x = keras.Input((3,))
    y = layers.Lambda(scale, arguments={"k": 3.0})(x)
    return keras.Model(x, y)
"""


def project(root: Path) -> Path:
    root.mkdir()
    (root / "pyproject.toml").write_text('[project]\nname = "proj"\n')
    (root / "a.py").write_text(textwrap.dedent(HELPERS))
    (root / "b.py").write_text(textwrap.dedent(USER))
    return root


def test_the_order_of_the_files_does_not_matter(tmp_path: Path) -> None:
    forward, backward = project(tmp_path / "f"), project(tmp_path / "r")
    options = Options(jobs=1)
    convert_files([forward / "a.py", forward / "b.py"], options, write=True)
    convert_files([backward / "b.py", backward / "a.py"], options, write=True)
    assert tree(forward) == tree(backward)
    assert (forward / "a_layers.py").exists() and (forward / "b_layers.py").exists()


def test_one_run_leaves_what_two_runs_leave(tmp_path: Path) -> None:
    root = project(tmp_path / "p")
    assert invoke("convert", str(root)).exit_code == 0
    once = tree(root)
    again = invoke("convert", str(root))
    assert again.exit_code == 0 and tree(root) == once
    assert "0 changed" in again.output


def test_a_run_after_a_killed_run_removes_its_temp_files(tmp_path: Path) -> None:
    root = project(tmp_path / "p")
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait()
    left = root / f".a.py.{child.pid}.0.l2l-tmp"  # a write the kill cut short
    left.write_text("half a file")
    assert invoke("convert", str(root)).exit_code == 0
    assert not left.exists()
    assert "Lambda(" not in (root / "a.py").read_text()


def test_ctrl_c_while_writing_finishes_the_file_and_stops(
    tmp_path: Path, monkeypatch
) -> None:
    root = project(tmp_path / "p")
    results = convert_files([root / "a.py", root / "b.py"], Options(jobs=1))
    from lambda2layer import run

    real = run.write_pair

    def press_ctrl_c_while_writing(*args):
        os.kill(os.getpid(), signal.SIGINT)  # lands in the middle of this pair
        return real(*args)

    monkeypatch.setattr(run, "write_pair", press_ctrl_c_while_writing)
    with pytest.raises(Interrupted) as stop:
        write_all(results)
    written = [r.path.name for r in stop.value.results if r.written]
    assert written == ["a.py"] and len(stop.value.results) == 2
    assert (root / "a_layers.py").exists() and "Lambda(" not in (
        root / "a.py"
    ).read_text()
    assert "Lambda(" in (root / "b.py").read_text()  # as it was
    assert not (root / "b_layers.py").exists()
    assert not [p for p in root.iterdir() if p.name.endswith(".l2l-tmp")]


def test_ctrl_c_exits_130_and_writes_nothing_half(tmp_path: Path) -> None:
    root = tmp_path / "big"
    root.mkdir()
    body = textwrap.dedent(HELPERS)
    for i in range(4000):
        (root / f"m{i:04}.py").write_text(body)
    before = tree(root)
    env = {**os.environ, "PYTHONDONTWRITEBYTECODE": "1"}
    proc = subprocess.Popen(
        [sys.executable, "-m", "lambda2layer", "convert", "--jobs", "1", str(root)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )
    time.sleep(1.2)  # started and converting
    proc.send_signal(signal.SIGINT)
    start = time.monotonic()
    _, err = proc.communicate(timeout=30)
    assert time.monotonic() - start < 5, "did not stop promptly"
    if proc.returncode == 0:
        pytest.fail("the run finished before it could be interrupted: " + err[-500:])
    assert proc.returncode == 130, err[-2000:]
    assert "interrupted" in err
    after = tree(root)
    assert not [name for name in after if name.endswith(".l2l-tmp")]
    for name, data in before.items():  # each model file is old or fully converted
        new = after[name]
        assert new == data or b"Lambda(" not in new
