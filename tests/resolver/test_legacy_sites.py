"""Sites whose bodies call the Keras-2 backend, in a file that targets Keras 3:
converted whole with the calls rewritten (an L2L104 note lists them), or refused
whole (L2L213) when one call has no faithful equivalent. Moved helpers are
translated too, as copies: the model file keeps its own definition."""

from __future__ import annotations

from pathlib import Path

from support import HEADER, Converted, Unchanged, convert, table_tests, top_level_of

from lambda2layer.options import Options
from lambda2layer.pipeline import Status, convert_source

CONVERTED = [
    Converted(
        "reductions-in-a-lambda",
        "def b(x):\n    return layers.Lambda(lambda t: K.expand_dims(K.max(t, axis=-1)))(x)\n",
        patched="from model_layers import ExpandDims\ndef b(x):\n    return ExpandDims()(x)\n",
        methods={
            "ExpandDims.call": "def call(self, t):\n    return ops.expand_dims(ops.max(t, axis=-1), axis=-1)"
        },
        top_level=("import keras", "from keras import ops"),
        diagnostics=(
            "model.py:7:12: L2L104 legacy backend calls rewritten: K.expand_dims -> ops.expand_dims, K.max -> ops.max",
        ),
    ),
    Converted(
        # the helper stays in the model file for `other`; the generated module gets a
        # translated copy and does not import it back
        "translated-helper-is-copied-not-moved",
        "def flat(x):\n    return K.reshape(x, (-1, K.int_shape(x)[1] * 2))\n\n\n"
        "def b(x):\n    return layers.Lambda(flat)(x)\n\n\ndef other(x):\n    return flat(x)\n",
        patched="from model_layers import Flat\ndef flat(x):\n    return K.reshape(x, (-1, K.int_shape(x)[1] * 2))\n\n\n"
        "def b(x):\n    return Flat()(x)\n\n\ndef other(x):\n    return flat(x)\n",
        top_level=(
            "import keras",
            "from keras import ops",
            "def flat(x):\n    return ops.reshape(x, (-1, tuple(x.shape)[1] * 2))",
        ),
        diagnostics=(
            "model.py:11:12: L2L104 legacy backend calls rewritten: K.reshape -> ops.reshape, K.int_shape -> tuple(x.shape)",
        ),
    ),
    Converted(
        "helper-without-legacy-calls-still-moves",
        "def double(x):\n    return x * 2\n\n\ndef b(x):\n    return layers.Lambda(lambda t: K.sum(double(t), axis=1))(x)\n",
        patched="from model_layers import Sum, double\n\n\ndef b(x):\n    return Sum()(x)\n",
        top_level=(
            "import keras",
            "from keras import ops",
            "def double(x):\n    return x * 2",
        ),
        diagnostics=(
            "model.py:11:12: L2L104 legacy backend calls rewritten: K.sum -> ops.sum",
        ),
    ),
    Converted(
        "tensorflow-calls-are-kept-and-the-note-says-so",
        "def b(x):\n    return layers.Lambda(lambda t: tf.nn.relu(K.sum(t, axis=1)))(x)\n",
        patched="from model_layers import Relu\ndef b(x):\n    return Relu()(x)\n",
        methods={
            "Relu.call": "def call(self, t):\n    return tf.nn.relu(ops.sum(t, axis=1))"
        },
        top_level=("import keras", "from keras import ops", "import tensorflow as tf"),
        diagnostics=(
            "model.py:7:12: L2L104 legacy backend calls rewritten: K.sum -> ops.sum; the layer still calls TensorFlow (tf.*), so it needs the TensorFlow backend",
        ),
    ),
    Converted(
        "calls-keras-3-still-has-are-kept",
        "def b(x):\n    return layers.Lambda(lambda t: t if K.backend() == 'jax' else -t)(x)\n",
        patched="from model_layers import Backend\ndef b(x):\n    return Backend()(x)\n",
        methods={
            "Backend.call": 'def call(self, t):\n    return t if K.backend() == "jax" else -t'
        },
        top_level=("import keras", "from keras import backend as K"),
    ),
    Converted(
        "helper-functions-the-translation-needs-are-emitted",
        "def b(q, m):\n    return layers.Lambda(lambda ts: K.batch_dot(ts[0], ts[1], axes=[2, 2]))([q, m])\n",
        patched="from model_layers import BatchDot\ndef b(q, m):\n    return BatchDot()([q, m])\n",
        methods={
            "BatchDot.call": "def call(self, ts):\n    return _legacy_batch_dot(ts[0], ts[1], [2, 2])"
        },
        diagnostics=(
            "model.py:7:12: L2L104 legacy backend calls rewritten: K.batch_dot -> _legacy_batch_dot",
        ),
    ),
]

CONVERTED += [
    Converted(
        "random-draws-use-a-seed-generator-the-layer-owns",
        "def b(x):\n    return layers.Lambda(lambda t: K.dropout(t, 0.5, seed=3))(x)\n",
        patched="from model_layers import DropoutLayer\ndef b(x):\n    return DropoutLayer()(x)\n",
        methods={
            "DropoutLayer.__init__": "def __init__(self, **kwargs):\n    super().__init__(**kwargs)\n"
            "    self._seed_generator = keras.random.SeedGenerator(3)",
            "DropoutLayer.call": "def call(self, t):\n    return keras.random.dropout(t, 0.5, seed=self._seed_generator)",
        },
        diagnostics=(
            "model.py:7:12: L2L104 legacy backend calls rewritten: K.dropout -> keras.random.dropout",
        ),
    ),
]

_HINT = "(rewrite that call with keras.ops by hand, or keep Keras 2 semantics with --target tf_keras)"

UNCHANGED = [
    Unchanged(
        "py-func-in-a-helper-refuses-the-whole-site",
        "def h(t):\n    return tf.py_func(np.sort, [t], tf.float32)\n\n\n"
        "def b(x):\n    return layers.Lambda(lambda t: K.reshape(h(t), (-1, 4)))(x)\n",
        "L2L213",
        "model.py:7:12: L2L213 Lambda at line 11 not converted: calls tf.py_func, which has no "
        "faithful Keras 3 equivalent: a Python/numpy callback: keras.ops has none, and TensorFlow 2 "
        "only has tf.compat.v1.py_func " + _HINT,
    ),
    Unchanged(
        "placeholder",
        "def b(x):\n    return layers.Lambda(lambda t: t + K.placeholder((None, 4)))(x)\n",
        "L2L213",
        "model.py:7:40: L2L213 Lambda at line 7 not converted: calls K.placeholder, which has no "
        "faithful Keras 3 equivalent: a graph placeholder: a Keras 3 layer has no graph or session "
        + _HINT,
    ),
    Unchanged(
        "a-backend-function-keras-3-lacks-and-the-table-does-not-hold",
        "def b(x):\n    return layers.Lambda(lambda t: K.batch_flatten(t))(x)\n",
        "L2L213",
        "model.py:7:36: L2L213 Lambda at line 7 not converted: calls K.batch_flatten, which has no "
        "faithful Keras 3 equivalent: Keras 3's keras.backend has no `batch_flatten` "
        + _HINT,
    ),
    Unchanged(
        "an-argument-without-a-faithful-translation",
        "def b(x):\n    return layers.Lambda(lambda t: K.relu(t, alpha=0.1))(x)\n",
        "L2L213",
        "model.py:7:36: L2L213 Lambda at line 7 not converted: calls K.relu, which has no faithful "
        "Keras 3 equivalent: `alpha=` other than 0.0 has no faithful translation "
        + _HINT,
    ),
]

UNCHANGED += [
    Unchanged(
        "random-draws-in-a-module-level-helper",
        "def sample(args):\n    m, v = args\n    return m + K.exp(v) * K.random_normal(shape=K.shape(m))\n\n\n"
        "def b(a, c):\n    return layers.Lambda(sample)([a, c])\n",
        "L2L213",
        "model.py:8:27: L2L213 Lambda at line 12 not converted: calls K.random_normal, which has no "
        "faithful Keras 3 equivalent: it draws random numbers inside the module-level helper "
        "`sample`; a Keras 3 layer seeds its draws with a SeedGenerator of its own, which a helper "
        "cannot reach " + _HINT,
    ),
    Unchanged(
        "random-draws-with-two-seeds",
        "def b(x):\n    return layers.Lambda(lambda t: K.random_uniform((2,), seed=1) + K.random_uniform((2,), seed=2))(x)\n",
        "L2L213",
        "model.py:7:12: L2L213 Lambda at line 7 not converted: calls random functions, which has no "
        "faithful Keras 3 equivalent: its draws use different seeds (1, 2), and the layer has one "
        "SeedGenerator " + _HINT,
    ),
]

test_converted, test_stays_unchanged = table_tests(CONVERTED, UNCHANGED)


def test_tf_keras_target_keeps_keras_2_calls(tmp_path: Path) -> None:
    body = "def b(x):\n    return layers.Lambda(lambda t: K.sum(t, axis=1))(x)\n"
    path = tmp_path / "model.py"
    result = convert_source(
        path, "model.py", (HEADER + body).encode(), Options(target="tf_keras")
    )
    assert result.status is Status.CONVERTED
    assert not [d for d in result.diagnostics if d.code in ("L2L104", "L2L213")]
    module = result.module_bytes.decode()
    assert "return K.sum(t, axis=1)" in module
    assert "from keras import backend as K" in top_level_of(module)


def test_keras_3_target_rewrites(tmp_path: Path) -> None:
    body = "def b(x):\n    return layers.Lambda(lambda t: K.sum(t, axis=1))(x)\n"
    result = convert_source(
        tmp_path / "model.py",
        "model.py",
        (HEADER + body).encode(),
        Options(target="keras3"),
    )
    assert "return ops.sum(t, axis=1)" in result.module_bytes.decode()


def test_an_ops_name_of_the_users_own_makes_the_calls_spell_keras_ops(
    tmp_path: Path,
) -> None:
    body = "def b(x):\n    return layers.Lambda(lambda ops: K.mean(ops, axis=1))(x)\n"
    module = convert(tmp_path, body).module_bytes.decode()
    assert "return keras.ops.mean(ops, axis=1)" in module
    assert "from keras import ops" not in module


def test_check_mode_refuses_the_same_sites(tmp_path: Path) -> None:
    body = "def b(x):\n    return layers.Lambda(lambda t: tf.py_func(np.sort, [t], tf.float32))(x)\n"
    result = convert_source(
        tmp_path / "model.py", "model.py", (HEADER + body).encode(), emit=False
    )
    assert result.status is Status.REFUSED
    assert [d.code for d in result.diagnostics] == ["L2L213"]
