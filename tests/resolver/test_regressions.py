"""Inputs that once produced a wrong or broken conversion: each must now convert
correctly or be refused with a reason."""

from __future__ import annotations

from pathlib import Path

import pytest

from lambda2layer.pipeline import Status, convert_source

HEADER = "import keras\nimport tensorflow as tf\nfrom keras import backend as K\nfrom keras import layers\n"


def convert(tmp_path: Path, body: str, name: str = "model.py"):
    path = tmp_path / name
    text = HEADER + body
    path.write_text(text)
    return convert_source(path, name, text.encode())


CONVERTED = [
    (
        "one-line-nested-def",
        "def b(x):\n    def f(t): return t * 2\n    return layers.Lambda(f)(x)\n",
        "def call(self, t):\n        return t * 2",
        "F()(x)",
    ),
    (
        "explicit-none-defaults",
        "def b(x):\n    return layers.Lambda(lambda t: t * 2, output_shape=None, mask=None)(x)\n",
        "return t * 2",
        "Scale()(x)",
    ),
    (
        "shape-value-is-not-a-tensor",
        "def b(x):\n    channels = K.int_shape(x)[-1]\n    return layers.Lambda(lambda t: t / channels)(x)\n",
        "channels = self.channels",
        "Divide(channels=channels)(x)",
    ),
    (
        "static-shape-of-dangling-tensor",
        "def b(x):\n    ref = layers.Dense(4)(x)\n    return layers.Lambda(lambda t: t[..., : ref.shape[-1]])(x)\n",
        "t[..., : ref_shape[-1]]",
        "Slice(ref_shape=tuple(ref.shape))(x)",
    ),
    (
        "chained-constant-moves-whole-and-both-names-come-back",
        "MEAN = BASE = (0.5, 0.5)\n\n\ndef b(x):\n    return layers.Lambda(lambda t: t - MEAN[0])(x)\n",
        "MEAN = BASE = (0.5, 0.5)",
        "from model_layers import BASE, MEAN, Subtract",
    ),
    (
        "unpacked-constants",
        "LOW, HIGH = -0.5, 0.5\nSIZE = (4, 6)\nH, W = SIZE\n\n\ndef b(x):\n    return layers.Lambda(lambda t: t[:, :H] * HIGH)(x)\n",
        "H, W = SIZE",
        "from model_layers import H, Scale, SIZE, W",
    ),
    (
        "helper-default-from-unpacked-constants-moves-the-statement",
        "LOW, HIGH = -0.5, 0.5\n\n\ndef clip(t, lo=LOW, hi=HIGH):\n    return keras.ops.clip(t, lo, hi)\n\n\ndef b(x):\n    return layers.Lambda(clip)(x)\n",
        "LOW, HIGH = -0.5, 0.5",
        "from model_layers import Clip, HIGH, LOW, clip",
    ),
    (
        "try-except-import-fallback",
        "try:\n    import tensorflow.keras as keras2\nexcept ImportError:\n    import keras as keras2\n\n\ndef b(x):\n    return layers.Lambda(lambda t: keras2.ops.abs(t))(x)\n",
        "try:\n    import tensorflow.keras as keras2\nexcept ImportError:\n    import keras as keras2",
        "Abs()(x)",
    ),
    (
        "nested-application-with-captured-tensor",
        "def b():\n    x = keras.Input((3,))\n    y = layers.Dense(3)(x)\n    return layers.Lambda(lambda t: t + y)(layers.Lambda(lambda t: t * 2)(x))\n",
        "t, y = inputs",
        "Shift()([Scale()(x), y])",
    ),
    (
        "parameter-that-callers-pass-a-tensor-becomes-an-input",
        "def merge(x, skip):\n    return layers.Lambda(lambda t: t + skip)(x)\n\n\ndef b():\n    i = keras.Input((3,))\n    d = layers.Dense(3)(i)\n    return merge(d, i)\n",
        "t, skip = inputs",
        "Shift()([x, skip])",
    ),
    (
        "lambda-bound-to-a-name",
        "def b(x):\n    f = lambda t: t * 3\n    return layers.Lambda(f)(x)\n",
        "return t * 3",
        "F()(x)",
    ),
    (
        "arguments-from-dict-call",
        "def f(x, a):\n    return x * a\n\n\ndef b(x, s):\n    return layers.Lambda(f, arguments=dict(a=s))(x)\n",
        "f(inputs, a=self.a)",
        "F(a=s)(x)",
    ),
    (
        "keyword-only-training-keeps-its-default",
        "def b(x):\n    return layers.Lambda(lambda t, *, training=None: t * 2 if training else t)(x)\n",
        "training = None",
        "Conditional()(x)",
    ),
    (
        "import-keras-and-keras-ops",
        "import keras.ops\n\n\ndef b(x):\n    return layers.Lambda(lambda t: keras.ops.tanh(t))(x)\n",
        "import keras.ops",
        "Tanh()(x)",
    ),
]


@pytest.mark.parametrize(
    "case,body,module,patched", CONVERTED, ids=[c[0] for c in CONVERTED]
)
def test_converted_correctly(
    tmp_path: Path, case: str, body: str, module: str, patched: str
) -> None:
    result = convert(tmp_path, body)
    assert result.status is Status.CONVERTED, [d.format() for d in result.diagnostics]
    generated = result.module_bytes.decode()
    compile(generated, "model_layers.py", "exec")
    assert module in generated, generated
    assert patched in result.patched.decode(), result.patched.decode()


REFUSED = [
    (
        "mask-capturing-a-tensor",
        "def b():\n    i = keras.Input((2,))\n    y = layers.Dense(2)(i)\n    return layers.Lambda(lambda t: t + y, mask=lambda t, m: m if y is not None else None)(i)\n",
        "L2L211",
        "`y`",
    ),
    (
        "multi-line-string-in-body",
        'def b(x):\n    return layers.Lambda(lambda t: (t, """a\nb""")[0])(x)\n',
        "L2L212",
        "multi-line string",
    ),
    (
        "called-capture",
        "def b(x, make):\n    enc = make(4)\n    return layers.Lambda(lambda t: enc(t))(x)\n",
        "L2L204",
        "`enc`",
    ),
    (
        "global-rebound-by-a-function",
        "SCALE = 1.0\n\n\ndef set_scale(v):\n    global SCALE\n    SCALE = v\n\n\ndef b(x):\n    return layers.Lambda(lambda t: t * SCALE)(x)\n",
        "L2L202",
        "`SCALE`",
    ),
    (
        "partial-binding-training",
        "from functools import partial\n\n\ndef s(t, factor, training=None):\n    return t * factor\n\n\ndef b(x):\n    return layers.Lambda(partial(s, factor=2, training=False))(x)\n",
        "L2L212",
        "keyword argument repeated",
    ),
]


@pytest.mark.parametrize("case,body,code,words", REFUSED, ids=[r[0] for r in REFUSED])
def test_refused_with_reason(
    tmp_path: Path, case: str, body: str, code: str, words: str
) -> None:
    result = convert(tmp_path, body)
    assert result.status is Status.REFUSED
    assert result.patched is None
    assert any(d.code == code and words in d.format() for d in result.diagnostics), [
        d.format() for d in result.diagnostics
    ]


def test_import_goes_below_code_that_sets_the_backend(tmp_path: Path) -> None:
    text = (
        'import os\nos.environ["KERAS_BACKEND"] = "jax"\n\nimport keras\nfrom keras import layers\n\n\n'
        "def b(x):\n    return layers.Lambda(lambda t: keras.ops.abs(t))(x)\n"
    )
    path = tmp_path / "be.py"
    path.write_text(text)
    lines = convert_source(path, "be.py", text.encode()).patched.decode().splitlines()
    assert (
        lines.index("from be_layers import Abs")
        == lines.index("from keras import layers") + 1
    )


def test_annotated_helper_moves_with_postponed_annotations(tmp_path: Path) -> None:
    body = "SHIFT: float = 1.0\n\n\ndef double(t: tf.Tensor) -> tf.Tensor:\n    return t * 2 + SHIFT\n\n\ndef b(x):\n    return layers.Lambda(double)(x)\n"
    generated = convert(tmp_path, body).module_bytes.decode()
    assert "from __future__ import annotations" in generated
    compile(generated, "g.py", "exec")


def test_file_stem_that_is_not_an_identifier(tmp_path: Path) -> None:
    result = convert(
        tmp_path,
        "def b(x):\n    return layers.Lambda(lambda t: t + 1.0)(x)\n",
        name="my-model.py",
    )
    assert result.module_path.name == "my_model_layers.py"
    assert "from my_model_layers import Shift" in result.patched.decode()


def test_trailing_comment_of_a_moved_constant_travels_with_it(tmp_path: Path) -> None:
    body = "import numpy as np\nMEAN = np.array([1.0, 2.0])  # per band\n\n\ndef b(x):\n    return layers.Lambda(lambda t: t - MEAN)(x)\n"
    result = convert(tmp_path, body)
    assert "MEAN = np.array([1.0, 2.0])  # per band" in result.module_bytes.decode()


def test_old_keras_source_converts_with_a_data_format_note(tmp_path: Path) -> None:
    text = (
        "from keras.layers import Lambda, Input, Convolution2D\nfrom keras import backend as K\n\n\n"
        "def build():\n    x = Input((8, 8, 3))\n    h = Convolution2D(64, 3, 3, border_mode='same')(x)\n"
        "    axis = 1 if K.image_dim_ordering() == 'th' else -1\n    return Lambda(lambda t: K.sum(t, axis=axis))(h)\n"
    )
    path = tmp_path / "old.py"
    path.write_text(text)
    result = convert_source(path, "old.py", text.encode())
    assert result.status is Status.CONVERTED
    assert "Sum(axis=axis)(h)" in result.patched.decode()
    assert any(
        d.code == "L2L103" and d.severity.value == "note" for d in result.diagnostics
    )


def test_a_value_split_over_lines_stays_on_one_docstring_line(tmp_path: Path) -> None:
    """``cfg\\n.scale`` once put a line break into the ``Args:`` text, and black
    then re-indented the docstring: the module was not black's output."""
    import black

    result = convert(
        tmp_path,
        "def b(x, cfg):\n" "    return layers.Lambda(lambda t: t * cfg\n.scale)(x)\n",
    )
    assert result.status is Status.CONVERTED
    module = result.module_bytes.decode()
    assert "``cfg .scale``" in module
    assert black.format_str(module, mode=black.Mode()) == module
