"""``pipeline.convert_source``: one file in, one result out (the prefilter, the
module's name, where the import goes)."""

from __future__ import annotations

from pathlib import Path

from support import convert

from lambda2layer.pipeline import Status, convert_source


def test_lambda_free_file_is_not_parsed(tmp_path: Path) -> None:
    result = convert_source(
        tmp_path / "x.py", "x.py", b"print 'python 2 but no layers'\n"
    )
    assert result.status is Status.UNCHANGED and not result.diagnostics
    assert result.patched is None and result.module_bytes is None


def test_import_goes_below_code_that_sets_the_backend(tmp_path: Path) -> None:
    text = (
        'import os\nos.environ["KERAS_BACKEND"] = "jax"\n\nimport keras\nfrom keras import layers\n\n\n'
        "def b(x):\n    return layers.Lambda(lambda t: keras.ops.abs(t))(x)\n"
    )
    result = convert(tmp_path, text, name="be.py", header="")
    assert result.patched.decode() == (
        'import os\nos.environ["KERAS_BACKEND"] = "jax"\n\nimport keras\nfrom keras import layers\n'
        "from be_layers import Abs\n\n\n"
        "def b(x):\n    return Abs()(x)\n"
    )


def test_file_stem_that_is_not_an_identifier(tmp_path: Path) -> None:
    result = convert(
        tmp_path,
        "def b(x):\n    return layers.Lambda(lambda t: t + 1.0)(x)\n",
        name="my-model.py",
    )
    assert result.module_path == tmp_path / "my_model_layers.py"
    assert (
        result.patched.decode().splitlines()[5] == "from my_model_layers import Shift"
    )


def test_a_file_that_is_not_python3_lists_its_lambda_sites() -> None:
    data = (
        b"from keras.layers import Lambda\n"
        b'print "legacy"  # Lambda(in a comment)\n'
        b"f = Lambda(lambda x: x)\n"
        b's = "Lambda(in a string)"\n'
        b"g = keras.layers.Lambda(lambda t: t * 2)\n"
    )
    result = convert_source(Path("train.py"), "train.py", data)
    assert result.status is Status.SKIPPED
    assert [d.format() for d in result.diagnostics] == [
        "train.py:2:1: L2L002 skipped: not valid Python 3: Missing parentheses in call"
        " to 'print'. Did you mean print(...)? (line 2) (the file is left as it is)",
        "train.py:3:5: L2L002 Lambda(...) not converted: the file is not valid"
        " Python 3 (fix the syntax error, then run again)",
        "train.py:5:5: L2L002 keras.layers.Lambda(...) not converted: the file is not"
        " valid Python 3 (fix the syntax error, then run again)",
    ]
