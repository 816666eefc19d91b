"""Notes and warnings: a conversion that is done but needs a human's eye says so
(L2L1xx), and the generated docstring explains each argument."""

from __future__ import annotations

from pathlib import Path

import black
from support import Converted, convert, table_tests

from lambda2layer.pipeline import Status

CONVERTED = [
    Converted(
        "late-binding-loop-warns-and-binds-per-iteration",
        "def b(x):\n    out = []\n    for i in range(3):\n        out.append(layers.Lambda(lambda t: t[..., i])(x))\n    return out\n",
        patched="from model_layers import Slice\ndef b(x):\n    out = []\n    for i in range(3):\n        out.append(Slice(i=i)(x))\n    return out\n",
        methods={
            "Slice.call": "def call(self, t):\n    i = self.i\n    return t[..., i]"
        },
        decisions=(
            ("i -> constructor argument `i`: `i` where the Lambda was built (line 8)",),
        ),
        diagnostics=(
            "model.py:9:20: L2L101 late binding: `i` is a loop variable; the original Lambda read its last value when the model ran, the converted layer binds the value at construction (`i=i`) - check this is what you meant",
        ),
    ),
    Converted(
        "unnamed-lambda-looked-up-by-its-default-name-warns",
        'def b(x):\n    h = layers.Lambda(lambda t: t * 2.0)(x)\n    m = keras.Model(x, h)\n    return m.get_layer("lambda").output\n',
        patched='from model_layers import Scale\ndef b(x):\n    h = Scale()(x)\n    m = keras.Model(x, h)\n    return m.get_layer("lambda").output\n',
        diagnostics=(
            "model.py:7:9: L2L106 the Lambda has no `name=`: Keras named it `lambda`, `lambda_1`, ... and now names it after its class (`scale`, `scale_1`, ...), while this file looks a layer up by such a name (`'lambda'` at line 9); give the Lambda a `name=` before converting, or update the lookup",
        ),
    ),
    Converted(
        "named-lambda-keeps-its-name-so-no-warning",
        'def b(x):\n    h = layers.Lambda(lambda t: t * 2.0, name="lambda_1")(x)\n    return keras.Model(x, h).get_layer("lambda_1")\n',
        patched='from model_layers import Scale\ndef b(x):\n    h = Scale(name="lambda_1")(x)\n    return keras.Model(x, h).get_layer("lambda_1")\n',
    ),
]


test_converted, _ = table_tests(CONVERTED)


def test_old_keras_source_converts_with_a_data_format_note(tmp_path: Path) -> None:
    text = (
        "from keras.layers import Lambda, Input, Convolution2D\nfrom keras import backend as K\n\n\n"
        "def build():\n    x = Input((8, 8, 3))\n    h = Convolution2D(64, 3, 3, border_mode='same')(x)\n"
        "    axis = 1 if K.image_dim_ordering() == 'th' else -1\n    return Lambda(lambda t: K.sum(t, axis=axis))(h)\n"
    )
    result = convert(tmp_path, text, name="old.py", header="")
    assert result.status is Status.CONVERTED
    assert result.patched.decode() == (
        "from keras.layers import Input, Convolution2D\nfrom keras import backend as K\nfrom old_layers import Sum\n\n\n"
        "def build():\n    x = Input((8, 8, 3))\n    h = Convolution2D(64, 3, 3, border_mode='same')(x)\n"
        "    axis = 1 if K.image_dim_ordering() == 'th' else -1\n    return Sum(axis=axis)(h)\n"
    )
    assert [(d.severity.value, d.format()) for d in result.diagnostics] == [
        (
            "note",
            "old.py:9:12: L2L103 the Lambda depends on the image data format (`image_dim_ordering`, in its body or in a value it captures); a converted model saved under one data format and loaded under another sees the other channel axis, as the Lambda did",
        ),
        (  # the generated layer targets Keras 3, whose keras.backend has no sum
            "note",
            "old.py:9:12: L2L104 legacy backend calls rewritten: K.sum -> ops.sum",
        ),
    ]
    assert "return ops.sum(t, axis=axis)" in result.module_bytes.decode()


def test_a_value_split_over_lines_stays_on_one_docstring_line(tmp_path: Path) -> None:
    """``cfg\\n.scale`` once put a line break into the ``Args:`` text, and black
    then re-indented the docstring: the module was not black's output."""
    result = convert(
        tmp_path,
        "def b(x, cfg):\n    return layers.Lambda(lambda t: t * cfg\n.scale)(x)\n",
    )
    assert result.status is Status.CONVERTED
    module = result.module_bytes.decode()
    lines = module.splitlines()
    start = lines.index(
        '    """Replaces ``layers.Lambda(lambda t: t * cfg .scale)`` (model.py:7).'
    )
    assert lines[start : start + 5] == [
        '    """Replaces ``layers.Lambda(lambda t: t * cfg .scale)`` (model.py:7).',
        "",
        "    Args:",
        "        scale: ``cfg .scale`` where the Lambda was built.",
        '    """',
    ]
    assert black.format_str(module, mode=black.Mode()) == module
