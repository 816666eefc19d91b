"""``patch``: minimal text edits to the model file (edits, import, unused imports)."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from lambda2layer.project import ProjectIndex
from lambda2layer.patch import (
    OverlappingEdits,
    TextEdit,
    apply_edits,
    import_edit,
    import_statement,
    removal_edit,
    unused_import_edits,
)
from lambda2layer.source import SourceText


def parsed(text: str) -> tuple[SourceText, ast.Module]:
    src = SourceText.decode(text.encode())
    return src, src.parse()


def test_edits_apply_back_to_front_and_may_not_overlap() -> None:
    text = "a = f(x)\nb = g(y)\n"
    edits = [
        TextEdit(13, 17, "H()(y)"),
        TextEdit(4, 8, "F()(x)"),
        TextEdit(0, 0, "# top\n"),
    ]
    assert apply_edits(text, edits) == "# top\na = F()(x)\nb = H()(y)\n"
    with pytest.raises(OverlappingEdits):
        apply_edits(text, [TextEdit(0, 5, ""), TextEdit(4, 8, "")])


def test_import_statement_is_sorted_and_wraps_like_black() -> None:
    assert (
        import_statement(None, [], "model_layers", ["Scale", "helper", "Abs", "MEAN"])
        == "from model_layers import Abs, MEAN, Scale, helper"
    )
    names = [f"LayerNumber{n}" for n in range(8)]
    assert import_statement(None, [], "model_layers", names) == (
        "from model_layers import (\n" + "".join(f"    {n},\n" for n in names) + ")"
    )


def test_a_module_in_a_package_is_imported_relatively(tmp_path: Path) -> None:
    (tmp_path / "pkg").mkdir()
    (tmp_path / "pkg" / "__init__.py").write_text("")
    package = ProjectIndex().package_of(tmp_path / "pkg")
    assert package == "pkg"
    statement = import_statement(package, [], "model_layers", ["A"])
    assert statement == "from .model_layers import A"


@pytest.mark.parametrize(
    "text,expected",
    [
        (
            '"""Doc."""\nimport keras\n\nx = 1\n',
            '"""Doc."""\nimport keras\nNEW\n\nx = 1\n',
        ),
        ('"""Doc."""\n\nx = 1\n', '"""Doc."""\nNEW\n\nx = 1\n'),
        ("#!/usr/bin/env python\nx = 1\n", "#!/usr/bin/env python\nNEW\nx = 1\n"),
        ("import a\r\nx = 1\r\n", "import a\r\nNEW\r\nx = 1\r\n"),
    ],
)
def test_the_import_goes_below_the_files_own_imports(text: str, expected: str) -> None:
    src, tree = parsed(text)
    assert (
        apply_edits(text, [import_edit(src, tree, "NEW", before_line=99)]) == expected
    )


@pytest.mark.parametrize(
    "text,expected",
    [
        ("from keras.layers import Lambda\nx = 1\n", "x = 1\n"),
        (
            "from keras.layers import Lambda, Dense\n",
            "from keras.layers import Dense\n",
        ),
        (
            "from keras.layers import Dense, Lambda\n",
            "from keras.layers import Dense\n",
        ),
        (
            "from keras.layers import Lambda; y = 2\n",
            "from keras.layers import Lambda; y = 2\n",
        ),
    ],
)
def test_an_unused_lambda_import_is_dropped(text: str, expected: str) -> None:
    src, tree = parsed(text)
    assert apply_edits(text, unused_import_edits(src, tree, {"Lambda"})) == expected


def test_a_moved_definition_leaves_with_its_comments_and_the_blank_lines_before() -> (
    None
):
    text = "import keras\n\n\n# helper\ndef h(t):\n    return t\n\n\nx = 1\n"
    src, tree = parsed(text)
    assert (
        apply_edits(text, [removal_edit(src, tree.body[1])])
        == "import keras\n\n\nx = 1\n"
    )
