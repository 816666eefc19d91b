"""Serialized callables end to end, on the TensorFlow and on the JAX backend.

A model whose compile loss is a factory's closure, whose metrics are a lambda and
a module def, and whose layers take a lambda activation, a lambda initializer and
a lambda regularizer (which adds to the loss) is converted, then ``verify`` builds
the original and the converted model with the same weights, compares their
outputs and ``evaluate`` values, saves the converted one and reloads it in a fresh
process with ``safe_mode=True``: it must come back compiled with the same values.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from lambda2layer.verify import verify
from support import one_file_project

pytestmark = pytest.mark.runtime  # builds, saves and reloads Keras models

MODEL = """
import keras
from keras import layers, ops

MARGIN = 0.25


def weighted_mse(weight):
    def loss(y_true, y_pred):
        return weight * ops.mean(ops.square(y_true - y_pred), axis=-1)

    return loss


def worst_error(y_true, y_pred):
    return ops.max(ops.abs(y_true - y_pred), axis=-1)


def build_model():
    inp = keras.Input((5,))
    h = layers.Dense(
        4,
        activation=lambda t: ops.maximum(t, MARGIN * t),
        kernel_initializer=lambda shape, dtype=None: keras.random.normal(shape, seed=1, dtype=dtype),
        kernel_regularizer=lambda w: 0.01 * ops.sum(ops.abs(w)),
    )(inp)
    out = layers.Dense(2)(h)
    model = keras.Model(inp, out)
    model.compile(
        optimizer="adam",
        loss=weighted_mse(0.3),
        metrics=[lambda y_true, y_pred: ops.mean(y_pred), worst_error],
    )
    return model
"""


@pytest.mark.parametrize("backend", ["tensorflow", "jax"])
def test_callables_come_back_compiled_with_the_same_values(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, backend: str
) -> None:
    monkeypatch.setenv("KERAS_BACKEND", backend)
    model = one_file_project(tmp_path, MODEL)
    (verdict,) = verify([f"{model}::build_model"])
    assert verdict.passed, verdict.reason
    assert verdict.outputs_equal is True
    assert verdict.evaluate_equal is True  # loss (with the regularizer) and metrics
    assert verdict.safe_mode_reload is True
    assert "lambda" in model.read_text()  # the user's file is untouched
