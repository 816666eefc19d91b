"""Forms real projects write (issue 11), end to end through ``verify``: converted,
same outputs with the same weights, ``safe_mode=True`` reload in a fresh process."""

from __future__ import annotations

from pathlib import Path

import pytest

from lambda2layer.verify import verify
from support import one_file_project

pytestmark = pytest.mark.runtime  # builds, saves and reloads Keras models

OUTPUT_SHAPES = """
import keras
import numpy as np
from keras import layers, ops

HALF = (2,)
HALVES = [(2,), (2,)]
TEMPLATE = np.zeros((7, 4))


def build_model(width=(4,)):
    inp = keras.Input((4,))

    def doubled_shape(s):
        return (s[0], 2 * s[1])

    a = layers.Lambda(lambda t: t[:, :2], output_shape=HALF)(inp)
    b = layers.Lambda(lambda t: t * 2.0, output_shape=TEMPLATE.shape[1:])(inp)
    c = layers.Lambda(lambda t: t + 1.0, output_shape=width)(inp)
    d = layers.Lambda(lambda t: ops.concatenate([t, t], axis=-1), output_shape=doubled_shape)(inp)
    e, f = layers.Lambda(lambda t: [t[:, :2], t[:, 2:] * 3.0], output_shape=HALVES)(inp)
    out = layers.Concatenate()([a, b, c, d, e, f])
    return keras.Model(inp, layers.Dense(3)(out))
"""


def verified(tmp_path: Path, source: str):
    """``source`` as ``model.py`` of a project, its ``build_model`` verified."""
    model = one_file_project(tmp_path, source)
    (verdict,) = verify([f"{model}::build_model"])
    assert verdict.passed, verdict.reason
    assert verdict.outputs_equal is True and verdict.safe_mode_reload is True
    return verdict


def test_output_shape_given_as_any_value(tmp_path: Path) -> None:
    verified(tmp_path, OUTPUT_SHAPES)


FLOW_BOUND_DEF = """
import keras
from keras import layers, ops


def build_model():
    a = keras.Input((4,))
    b = keras.Input((4,))
    h = layers.Dense(4, name="d")(a)

    def loss(inputs):
        y, t = inputs
        return ops.mean(ops.square(y - t), axis=-1, keepdims=True)

    loss = layers.Lambda(loss, name="loss")([h, b])
    return keras.Model([a, b], loss)
"""


def test_a_def_rebound_by_the_lambda_it_builds(tmp_path: Path) -> None:
    verified(tmp_path, FLOW_BOUND_DEF)


MODULE_ALIASES = """
import keras

K = keras.backend
KL = keras.layers
USE_KERAS_OPS = True
if USE_KERAS_OPS:
    from keras import ops as xp
else:
    import numpy as xp


def build_model():
    inp = keras.Input((4,))
    h = KL.Dense(4, name="d")(inp)
    h = KL.Lambda(lambda t: xp.sum(t, axis=-1, keepdims=True) + xp.abs(t) * K.epsilon())(h)
    return keras.Model(inp, h)
"""


def test_module_aliases_by_assignment_and_by_condition(tmp_path: Path) -> None:
    verified(tmp_path, MODULE_ALIASES)
