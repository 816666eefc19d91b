"""Never silent (issue 11 item 10): every ``Lambda(`` in a file is converted or gets
``path:line:col``, a code and a reason, also where the file imports no Keras, and a
binary file with a ``.py`` suffix is reported as unreadable."""

from __future__ import annotations

from pathlib import Path

from support import invoke, tree

RUN_TIME_BOUND = (
    "def build(layers, x):\n"
    "    return layers.Lambda(lambda t: t * 2)(x)\n"
    "\n"
    "\n"
    "class Net:\n"
    "    def f(self, x):\n"
    "        return [kl.Lambda(lambda t: t + i)(x) for i in range(3)]\n"
)
STAR = "from common import *\n\n\ndef build(x):\n    return Lambda(lambda t: t)(x)\n"
OTHER_LAMBDA = (
    "from sympy import Lambda, symbols\n\nx = symbols('x')\nf = Lambda(x, x**2)\n"
)


def test_every_lambda_call_without_keras_is_reported(tmp_path: Path) -> None:
    (tmp_path / "runtime.py").write_text(RUN_TIME_BOUND)
    (tmp_path / "star.py").write_text(STAR)
    (tmp_path / "symbolic.py").write_text(OTHER_LAMBDA)
    (tmp_path / "blob.py").write_bytes(b"\x00\x01Lambda(\x02keras\xff")
    before = tree(tmp_path)
    result = invoke("convert", str(tmp_path))
    assert result.exit_code == 1
    lines = [line for line in result.stderr.splitlines() if ": L2L" in line]
    where = sorted(line.split(" ")[0] + " " + line.split(" ")[1] for line in lines)
    assert where == [
        f"{tmp_path / 'blob.py'}:1:1: L2L001",
        f"{tmp_path / 'runtime.py'}:2:12: L2L221",
        f"{tmp_path / 'runtime.py'}:7:17: L2L221",
        f"{tmp_path / 'star.py'}:5:12: L2L221",
    ]
    assert "`layers` is not bound by an import of this file" in result.stderr
    assert "the star import of `common` may" in result.stderr
    assert "a binary file" in result.stderr
    assert tree(tmp_path) == before  # nothing written; sympy's Lambda is not ours


def test_an_unbound_lambda_can_be_accepted(tmp_path: Path) -> None:
    text = STAR.replace("(x)\n", "(x)  # lambda2layer: ignore[L2L221]\n")
    (tmp_path / "star.py").write_text(text)
    result = invoke("convert", str(tmp_path))
    assert result.exit_code == 0, result.stderr
    assert "1 ignored" in result.stderr
