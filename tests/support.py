"""What the test folders share: one model file through ``convert_source``, and
the parts of the generated module a table row pins exactly.

A resolver table row is either ``Converted`` (input -> the exact patched file,
the exact methods of the generated class, the exact decisions) or ``Unchanged``
(input -> the file stays as it is, refused with exactly this diagnostic).
"""

from __future__ import annotations

import ast
import os
import subprocess
import sys
import textwrap
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from typer.testing import CliRunner

from lambda2layer.cli import app
from lambda2layer.pipeline import Status, convert_source
from lambda2layer.result import FileResult

# Every resolver row is a model body below these five lines (so body line 1 is line 6).
HEADER = (
    "import keras\n"
    "import numpy as np\n"
    "import tensorflow as tf\n"
    "from keras import backend as K\n"
    "from keras import layers\n"
)


def invoke(*args: str):
    """The CLI in this process (``lambda2layer *args``), its output captured."""
    return CliRunner().invoke(app, list(args))


def tree(root: Path) -> dict[str, bytes]:
    """Every file under ``root`` (no ``__pycache__``), by its relative path."""
    return {
        p.relative_to(root).as_posix(): p.read_bytes()
        for p in sorted(root.rglob("*"))
        if p.is_file() and "__pycache__" not in p.parts
    }


def run_python(
    code: str, *args: str, env: dict[str, str] | None = None, timeout: int = 600
) -> subprocess.CompletedProcess:
    """``python -c code *args`` in a fresh process (TensorFlow backend unless
    ``env`` says otherwise): how the runtime tests build and load models."""
    full = dict(os.environ, KERAS_BACKEND="tensorflow", TF_CPP_MIN_LOG_LEVEL="3")
    full.update(env or {})
    return subprocess.run(
        [sys.executable, "-c", code, *args],
        capture_output=True,
        text=True,
        env=full,
        timeout=timeout,
    )


def convert(
    tmp_path: Path, body: str, name: str = "model.py", header: str = HEADER
) -> FileResult:
    """``header + body`` written as ``tmp_path/name`` and converted (nothing is written)."""
    path = tmp_path / name
    text = header + body
    path.write_text(text)
    return convert_source(path, name, text.encode())


def methods_of(module: str) -> dict[str, str]:
    """``"Class.method"`` -> the method's source, dedented, for every generated class."""
    out = {}
    for node in ast.parse(module).body:
        if isinstance(node, ast.ClassDef):
            for item in node.body:
                if isinstance(item, ast.FunctionDef):
                    text = ast.get_source_segment(module, item, padded=True)
                    out[f"{node.name}.{item.name}"] = textwrap.dedent(text)
    return out


def top_level_of(module: str) -> tuple[str, ...]:
    """The generated module's top-level statements other than its docstring and
    classes, each as its source text: kept imports, moved constants and helpers."""
    tree = ast.parse(module)
    return tuple(
        ast.get_source_segment(module, node)
        for node in tree.body
        if not isinstance(node, ast.ClassDef)
        and not (isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant))
    )


@dataclass(frozen=True)
class Converted:
    """Input -> expected. ``patched`` is the whole patched file below HEADER."""

    id: str
    body: str
    patched: str
    methods: dict[str, str] = field(default_factory=dict)  # "Class.method" -> source
    decisions: tuple[tuple[str, ...], ...] | None = None  # one tuple per site
    top_level: tuple[str, ...] | None = None  # see top_level_of
    diagnostics: tuple[str, ...] = ()  # every diagnostic, formatted


@dataclass(frozen=True)
class Unchanged:
    """Stays unchanged: refused with ``code``, and exactly ``message`` (formatted)."""

    id: str
    body: str
    code: str
    message: str


def rows(cases: list) -> list:
    return [pytest.param(case, id=case.id) for case in cases]


def table_tests(converted: list[Converted], unchanged: list[Unchanged] = ()):
    """The two tests of a family's tables; a family module binds them to
    ``test_converted`` and ``test_stays_unchanged``."""

    @pytest.mark.parametrize("case", rows(converted))
    def test_converted(tmp_path: Path, case: Converted) -> None:
        assert_converted(tmp_path, case)

    @pytest.mark.parametrize("case", rows(list(unchanged)))
    def test_stays_unchanged(tmp_path: Path, case: Unchanged) -> None:
        assert_unchanged(tmp_path, case)

    return test_converted, test_stays_unchanged


def assert_converted(tmp_path: Path, case: Converted) -> None:
    result = convert(tmp_path, case.body)
    diagnostics = tuple(d.format() for d in result.diagnostics)
    assert result.status is Status.CONVERTED, diagnostics
    assert diagnostics == case.diagnostics
    assert result.patched.decode() == HEADER + case.patched
    module = result.module_bytes.decode()
    compile(module, "model_layers.py", "exec")
    methods = methods_of(module)
    for name, source in case.methods.items():
        assert methods.get(name) == source, (name, sorted(methods))
    if case.decisions is not None:
        assert tuple(site.decisions for site in result.sites) == case.decisions
    if case.top_level is not None:
        assert top_level_of(module) == case.top_level


def assert_unchanged(tmp_path: Path, case: Unchanged) -> None:
    result = convert(tmp_path, case.body)
    assert result.status is Status.REFUSED, result.status
    assert result.patched is None and result.module_bytes is None
    assert [(d.code, d.format()) for d in result.diagnostics] == [
        (case.code, case.message)
    ]
    assert all(site.status == "refused" for site in result.sites)


def one_file_project(tmp_path: Path, source: str) -> Path:
    """A project (``pyproject.toml``) holding ``source`` as ``model.py``; its path."""
    project = tmp_path / "proj"
    project.mkdir()
    (project / "pyproject.toml").write_text('[project]\nname = "proj"\n')
    (project / "model.py").write_text(textwrap.dedent(source))
    return project / "model.py"
