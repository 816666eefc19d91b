"""Lambda sites in files ``ast`` cannot parse (lambda2layer.unparsable)."""

import ast
from pathlib import Path

import pytest

from lambda2layer.source import SourceError, SourceText
from lambda2layer.unparsable import lambda_calls

ROOT = Path(__file__).resolve().parents[2]


def _positions(text: str) -> list[tuple[int, int]]:
    return [(s.line, s.col) for s in lambda_calls(SourceText.from_text(text))]


def _ast_positions(text: str) -> list[tuple[int, int]]:
    found = []
    for node in ast.walk(ast.parse(text)):
        if isinstance(node, ast.Call):
            f = node.func
            name = f.id if isinstance(f, ast.Name) else getattr(f, "attr", None)
            if name == "Lambda":
                found.append((node.lineno, node.col_offset + 1))
    return sorted(found)


def test_sites_after_a_python2_statement_are_found():
    text = (
        "from keras.layers import Lambda\n"
        'print "legacy"\n'
        "f = Lambda(lambda x: x)\n"
        "g = keras.layers.Lambda(\n"
        "    lambda t: t * 2)\n"
        "exec 'code'\n"
        "h = layers . Lambda(fn)\n"
    )
    with pytest.raises(SyntaxError):
        ast.parse(text)
    sites = lambda_calls(SourceText.from_text(text))
    assert [(s.line, s.col, s.callee) for s in sites] == [
        (3, 5, "Lambda"),
        (4, 5, "keras.layers.Lambda"),
        (7, 5, "layers.Lambda"),
    ]
    assert text[sites[1].start : sites[1].end] == (
        "keras.layers.Lambda(\n    lambda t: t * 2)"
    )


def test_strings_comments_and_lookalikes_are_not_sites():
    text = (
        's = "Lambda(x)"  # Lambda(y)\n'
        "t = '''\nLambda(z)\n'''\n"
        "u = Lambdas(1), myLambda(2), obj.Lambda, Lambda\n"
        'print "py2"\n'
    )
    assert _positions(text) == []


def test_both_sides_of_a_merge_conflict_are_listed():
    text = (
        "from keras.layers import Lambda\n"
        "<<<<<<< HEAD\n"
        "z = Lambda(h)\n"
        "=======\n"
        "z = Lambda(k)\n"
        ">>>>>>> branch\n"
    )
    assert _positions(text) == [(3, 5), (5, 5)]


@pytest.mark.parametrize("newline", ["\n", "\r\n", "\r"])
def test_positions_are_counted_as_ast_counts_them(newline):
    lines = [
        "def f():",
        '    s = "é✓"; y = Lambda(f)',
        "",
        "    z = [Lambda(g) for g in fs]",
    ]
    text = newline.join(lines) + newline
    assert _positions(text) == _ast_positions(text)


def test_agrees_with_ast_on_every_golden_and_acceptance_input():
    files = sorted(ROOT.glob("golden/*/input/**/*.py"))
    files += sorted(ROOT.glob("tests/acceptance_extra/*/**/*.py"))
    checked = 0
    for path in files:
        try:
            text = SourceText.decode(path.read_bytes()).text
            expected = _ast_positions(text)
        except (SourceError, SyntaxError):
            continue
        assert _positions(text) == expected, path
        checked += 1
    assert checked > 50
