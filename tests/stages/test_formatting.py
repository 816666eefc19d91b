"""Block-by-block formatting through shapes gives exactly what black gives."""

from __future__ import annotations

import keyword
from pathlib import Path

import black
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from lambda2layer import emit, formatting
from lambda2layer.formatting import (
    Block,
    fits,
    format_block,
    format_body,
    format_module,
)
from lambda2layer.options import Options
from lambda2layer.pipeline import convert_source

ROOT = Path(__file__).resolve().parents[2]
SOURCES = sorted(
    [
        *(ROOT / "golden").glob("*/input/**/*.py"),
        *(ROOT / "tests" / "acceptance_extra").glob("*/*.py"),
        *(ROOT.parent / "shared" / "acceptance" / "public").glob("*/*.py"),
    ]
)


@pytest.fixture(autouse=True)
def fresh_caches():
    formatting.format_block.cache_clear()
    formatting._plan_for.cache_clear()
    yield


def _modules(whole_black: bool) -> list[bytes | None]:
    """Every generated module of the sources: as the tool writes it, or with black
    run on the whole unformatted module (method bodies as they came)."""
    out = []
    with pytest.MonkeyPatch.context() as patch:
        if whole_black:
            patch.setattr(emit, "_laid_out", lambda layer: layer)
            patch.setattr(
                emit,
                "format_module",
                lambda blocks: black.format_str(
                    "\n\n\n".join(b.text.strip("\n") for b in blocks) + "\n",
                    mode=formatting._mode(),
                ),
            )
        for path in SOURCES:
            result = convert_source(path, str(path), path.read_bytes(), Options())
            out.append(result.module_bytes)
    return out


def test_every_generated_module_is_what_black_makes_of_the_whole() -> None:
    ours, blacks = _modules(whole_black=False), _modules(whole_black=True)
    assert sum(m is not None for m in ours) > 80  # golden, extra and public inputs
    for mine, reference in zip(ours, blacks):
        assert mine == reference
        if mine is not None:  # and black as a user runs it leaves it alone
            text = mine.decode()
            assert black.format_str(text, mode=black.Mode()) == text


CLASS = '''@keras.saving.register_keras_serializable(package="l2l.{pkg}")
class {name}(keras.layers.Layer):
    """Replaces ``layers.Lambda(lambda t: t[:, -{const}:] * 0.5)`` (model_{pkg}.py:16)."""

    def __init__(self, {param}, **kwargs):
        super().__init__(**kwargs)
        self.{param} = {param}

    def call(self, t):
        return t[:, -self.{param}:] * 0.5

    def get_config(self):
        config = super().get_config()
        config.update({{
            "{param}": self.{param}
        }})
        return config
'''


def test_one_shape_is_formatted_by_black_once(monkeypatch) -> None:
    calls = []
    real = formatting._black
    monkeypatch.setattr(
        formatting, "_black", lambda text, *a: calls.append(text) or real(text, *a)
    )
    first = CLASS.format(pkg="m1", name="Slice1", const="W1", param="w1")
    second = CLASS.format(pkg="m22", name="Cropping22", const="K22", param="kernels")
    assert format_block(first) == real(first)
    assert len(calls) == 1
    assert format_block(second) == real(second)
    assert len(calls) == 1  # names of other widths, same narrow shape: no black run
    assert "class Cropping22(keras.layers.Layer)" in format_block(second)


def test_a_line_too_long_is_formatted_with_its_real_widths(monkeypatch) -> None:
    calls = []
    real = formatting._black
    monkeypatch.setattr(
        formatting, "_black", lambda text, *a: calls.append(text) or real(text, *a)
    )
    long = CLASS.format(pkg="m1", name="Slice1", const="W1", param="p" * 70)
    assert format_block(long) == real(long)  # the signature wraps
    assert any("x" * 70 in call for call in calls)  # through the exact shape
    again = CLASS.format(pkg="m2", name="Slice2", const="W2", param="q" * 70)
    before = len(calls)
    assert format_block(again) == real(again)
    assert len(calls) == before  # the same exact shape


@pytest.mark.parametrize(
    "text",
    [
        "x = 'it\"s'\n",  # keeps single quotes: fewer escapes
        "def f():\n    '''Doc   \n    with trailing spaces.   '''\n    return 1\n",
        "X = ('a'\n     'b')\n",
        "Y = u'text'\n",
        "Z = f'{a!r} {b}'\n",  # f-string: no shape
        "W = 'back\\\\slash'\n",  # escapes: no shape
        "V = 'caf\u00e9'  # non-ASCII stays in the shape\n",
        "n = 1.e5 + 0x1F + 1_000j\n",
        "def g(a,b):\n  # a comment with Names\n  return a if b else None\n",
        "match = {'case': 1}\ntype = match\n",
    ],
)
def test_tricky_tokens_come_back_as_black_writes_them(text: str) -> None:
    assert format_block(text) == formatting._black(text)


def test_black_accepts_what_python_does_not_compile() -> None:
    with pytest.raises(SyntaxError):
        format_block("def f(a, a):\n    return a\n")  # duplicate parameter


def test_blank_lines_between_blocks_follow_black() -> None:
    blocks = [
        Block('"""Doc."""\n\nimport keras\n', "", "import"),
        Block("# note\nA = 1\n", "comment", "statement"),
        Block("def f():\n    return A\n", "def", "def"),
        Block("B = f()\n", "statement", "statement"),
    ]
    whole = "\n\n\n".join(b.text.strip("\n") for b in blocks) + "\n"
    assert format_module(blocks) == black.format_str(whole, mode=formatting._mode())


NAME = st.from_regex(r"[a-zA-Z_][a-zA-Z0-9_]{0,30}", fullmatch=True).filter(
    lambda n: not keyword.iskeyword(n) and not keyword.issoftkeyword(n)
)


@settings(max_examples=150, deadline=None)
@given(
    names=st.lists(NAME, min_size=4, max_size=4), text=st.text("abc \"'", max_size=12)
)
def test_renamed_blocks_format_like_black(names: list[str], text: str) -> None:
    a, b, c, d = names
    block = (
        f"@{a}.{b}(package={text!r})\nclass {c}({a}.layers.Layer):\n"
        f"    def call(self, {d}, **kwargs):\n        return {a}.ops.{b}({d}[:, 0], {c}={text!r})\n"
    )
    assert format_block(block) == formatting._black(block)


def _in_class(lines) -> str:
    body = "".join(f"        {line}\n" if line else "\n" for line in lines)
    return f"class C(keras.layers.Layer):\n    def call(self, t):\n{body}"


@settings(max_examples=80, deadline=None)
@given(terms=st.integers(1, 14), name=NAME)
def test_method_bodies_wrap_as_they_would_inside_the_class(
    terms: int, name: str
) -> None:
    """A body formatted on its own, four columns narrower, then put in the class, is
    what black makes of the whole class (lines around 88 columns decide it)."""
    line = "return " + " + ".join([f"{name}(t)"] * terms)
    mine = _in_class(format_body(("self", "t"), (line,)))
    reference = formatting._black(_in_class((line,)))
    laid_out = mine if fits(mine) else format_block(mine)
    assert laid_out == reference
    assert fits(mine) == fits(reference)  # no black run on the class was needed


def _layer_class(summary: str, notes: tuple[str, ...], origin: str, package: str):
    from lambda2layer.emit import GeneratedLayer, MethodText
    from lambda2layer.resolve import ConstructorArg

    args = (ConstructorArg("width", "WIDTH", origin, True),) if origin else ()
    layer = GeneratedLayer(
        name="Slice",
        summary=summary,
        notes=notes,
        args=args,
        methods=(MethodText("call", ("t",), ("return t[:, -self.width :]",)),),
        supports_masking=False,
        deserialized=(),
    )
    macros = emit._environment().get_template("module.py.j2").module
    return str(macros.layer_class(layer, "keras.saving", package))


# text of any width up to well past the line length (a plain text strategy
# rarely draws long ones)
WIDE = st.builds(
    lambda word, width: (word * 200)[:width].strip() or "x",
    st.text("abcdefgh ()`=:.", min_size=1, max_size=8),
    st.integers(1, 120),
)


@settings(max_examples=150, deadline=None)
@given(
    summary=WIDE,
    notes=st.lists(WIDE, max_size=2).map(tuple),
    origin=st.one_of(st.just(""), WIDE),
    package=st.sampled_from(
        ["l2l.m", "l2l.src.project.models.vision.blocks", "l2l." + "nested.package" * 6]
    ),
)
def test_a_class_whose_long_lines_are_docstring_lines_needs_no_black(
    summary, notes, origin, package
) -> None:
    """black leaves docstring lines of any length alone, and the template's
    docstrings never end on a long line: such a class is written as it is, and it
    is exactly what black makes of it; so is a decorator too long for one line.
    Only a package name too long even for a line of its own needs black."""
    text = _layer_class(f"Replaces {summary}.", notes, origin, package)
    reference = formatting._black(text)
    calls = []
    real = formatting.format_block
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(
            formatting, "format_block", lambda t, *a: calls.append(t) or real(t, *a)
        )
        assert format_module([Block(text, laid_out=True)]) == reference
    long_decorator = len(f'    package="{package}"') > formatting.LINE_LENGTH
    assert bool(calls) == long_decorator


def test_a_docstring_line_black_would_split_is_not_taken_as_laid_out() -> None:
    """black measures a docstring's last line with ``str.splitlines``, which also
    breaks at a form feed: such a line is not exempt from the width check."""
    text = _layer_class("Replaces x.\x0c" + "y" * 90 + ".", (), "", "l2l.m")
    assert format_module([Block(text, laid_out=True)]) == formatting._black(text)
