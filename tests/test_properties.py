"""Property tests over generated model files: the tool never raises, output parses,
a second run is a no-op, and bytes outside Lambda sites and imports are kept."""

from __future__ import annotations

import ast
import difflib
from pathlib import Path

from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from lambda2layer.pipeline import convert_source
from lambda2layer.prefilter import might_convert
from lambda2layer.result import Status

HEADERS = [
    "import keras\nfrom keras import layers\n",
    "import tensorflow as tf\nfrom tensorflow.keras import layers\n",
    "from keras.layers import Lambda\nimport keras.layers as layers\n",
]
SITES = [
    "layers.Lambda(lambda t: t * {c})({x})",
    "layers.Lambda(lambda t: t[:, -{n}:])({x})",
    "layers.Lambda(lambda t, k={c}: t + k, name='{name}')({x})",
    "layers.Lambda(helper)({x})",
    "layers.Lambda(lambda t: helper(t) * CONST)({x})",
    "layers.Lambda(lambda t: t + {x})({x})",
    "layers.Lambda(lambda t: t * unknown_name)({x})",
    "layers.Lambda(\n        lambda t: t - {c},\n        output_shape=({n},),\n    )({x})",
    "layers.Lambda(fn)({x})",
]
FILLER = [
    "# a comment with Lambda in it",
    "value = {c}  # trailing comment",
    "text = 'layers.Lambda(lambda t: t)'",
    "pairs = [(i, i * 2) for i in range({n})]",
    "",
]

names = st.from_regex(r"[a-z][a-z0-9_]{0,8}", fullmatch=True)


@st.composite
def model_files(draw) -> str:
    header = draw(st.sampled_from(HEADERS))
    lines = [
        header,
        "CONST = 3",
        "",
        "",
        "def helper(t):",
        "    return t + CONST",
        "",
        "",
    ]
    lines.append("def build(x, n, fn):")
    for _ in range(draw(st.integers(1, 6))):
        if draw(st.booleans()):
            template = draw(st.sampled_from(FILLER))
        else:
            template = "x = " + draw(st.sampled_from(SITES))
        text = template.format(
            c=draw(st.integers(0, 9)),
            n=draw(st.integers(1, 5)),
            x="x",
            name=draw(names),
        )
        lines.extend("    " + line if line else "" for line in text.split("\n"))
    lines.append("    return x")
    newline = draw(st.sampled_from(["\n", "\r\n"]))
    return (
        newline.join(lines).replace("\n", newline).replace("\r\r\n", "\r\n") + newline
    )


def lambda_calls(tree: ast.Module) -> list[ast.Call]:
    return [
        node
        for node in ast.walk(tree)
        if isinstance(node, ast.Call) and "Lambda" in ast.dump(node.func)
    ]


def site_lines(tree: ast.Module) -> set[int]:
    out = set()
    for node in ast.walk(tree):
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            out |= set(range(node.lineno, node.end_lineno + 1))
    for node in lambda_calls(tree):
        out |= set(range(node.lineno, node.end_lineno + 1))
    return out


def moved_lines(original: ast.Module, generated: ast.Module) -> set[int]:
    """Lines of top-level definitions that now live in the generated module."""
    defined = {
        n.name for n in generated.body if isinstance(n, (ast.FunctionDef, ast.ClassDef))
    }
    defined |= {
        t.id
        for n in generated.body
        if isinstance(n, ast.Assign)
        for t in n.targets
        if isinstance(t, ast.Name)
    }
    out = set()
    for node in original.body:
        names = (
            {node.name}
            if isinstance(node, (ast.FunctionDef, ast.ClassDef))
            else {t.id for t in getattr(node, "targets", []) if isinstance(t, ast.Name)}
        )
        if names and names <= defined:
            out |= set(range(node.lineno, node.end_lineno + 1))
    return out


@settings(
    max_examples=80,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(text=model_files())
def test_conversion_properties(tmp_path: Path, text: str) -> None:
    for old in tmp_path.iterdir():
        old.unlink()
    path = tmp_path / "model.py"
    data = text.encode()
    result = convert_source(path, "model.py", data)  # never raises
    if result.patched is None:  # nothing to write: say why, for every example
        has_sites = bool(lambda_calls(ast.parse(text)))
        assert result.status is (Status.REFUSED if has_sites else Status.UNCHANGED)
        assert result.module_bytes is None
        if has_sites:
            assert [s.status for s in result.sites] == ["refused"] * len(result.sites)
            assert result.sites and all(
                d.code.startswith("L2L2") for d in result.diagnostics
            )
        else:
            assert not result.diagnostics and not result.sites
        return
    assert result.status in (Status.CONVERTED, Status.PARTIAL)
    patched = result.patched.decode()
    ast.parse(patched)
    ast.parse(result.module_bytes.decode())
    allowed = site_lines(ast.parse(text)) | moved_lines(
        ast.parse(text), ast.parse(result.module_bytes)
    )
    before, after = text.splitlines(keepends=True), patched.splitlines(keepends=True)
    for tag, i1, i2, _j1, _j2 in difflib.SequenceMatcher(
        None, before, after, autojunk=False
    ).get_opcodes():
        if tag in ("replace", "delete"):
            touched = {n for n in range(i1 + 1, i2 + 1) if before[n - 1].strip()}
            assert touched <= allowed, (tag, before[i1:i2])
    if "\r\n" in text:
        assert patched.count("\n") == patched.count("\r\n")
    path.write_bytes(result.patched)
    result.module_path.write_bytes(result.module_bytes)
    again = convert_source(path, "model.py", result.patched)
    assert again.patched is None or again.patched == result.patched


# Headers under which a file calls Lambda but imports no Keras (Keras may be bound
# at run time), and headers through which Keras may come in
BARE_HEADERS = [
    "import numpy as np\nfrom mylib.layers import Lambda\n",
    "from mylib.layers import Lambda as L\n",
    "",
]
KEPT_HEADERS = [
    "from common import *\nfrom layers_lib import Lambda\n",
    "import tensorflow as tf\n",
    "from project.nn import *\n",
    "import keras\n",
]


def test_prefilter_drops_only_files_where_no_lambda_can_be() -> None:
    body = "def build(x):\n    return Lambda(lambda t: t)(x)\n"
    for header in KEPT_HEADERS + BARE_HEADERS:
        assert might_convert((header + body).encode()), header
    said = "# Lambda layers are not used here\nx = 1\n"
    assert not any(might_convert((h + said).encode()) for h in BARE_HEADERS)


def _unbound_lambda_calls(tree: ast.Module, header: str) -> set[tuple[int, int]]:
    """Where a call spelled like a Lambda is tied to no import: ``Lambda(...)``
    unless the header imports ``Lambda`` by that name, and ``x.Lambda(...)``."""
    bound = "import Lambda\n" in header
    return {
        (n.lineno, n.col_offset + 1)
        for n in ast.walk(tree)
        if isinstance(n, ast.Call)
        and (
            (isinstance(n.func, ast.Name) and n.func.id == "Lambda" and not bound)
            or (isinstance(n.func, ast.Attribute) and n.func.attr == "Lambda")
        )
    }


@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(text=model_files(), header=st.sampled_from(BARE_HEADERS))
def test_a_file_without_keras_never_passes_a_lambda_over(
    tmp_path: Path, text: str, header: str
) -> None:
    """A model file whose Keras imports are gone: every call that may build a Lambda
    is reported (L2L221) at its own place, and nothing is changed."""
    text = header + text.split("\n", 2)[-1]  # the generated file without its imports
    result = convert_source(tmp_path / "model.py", "model.py", text.encode())
    assert result.patched is None and result.module_bytes is None
    expected = _unbound_lambda_calls(ast.parse(text), header)
    reported = {(d.line, d.col) for d in result.diagnostics if d.code == "L2L221"}
    assert reported == expected
    assert result.status is (Status.REFUSED if expected else Status.UNCHANGED)
