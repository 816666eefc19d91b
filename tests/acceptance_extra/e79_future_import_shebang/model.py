#!/usr/bin/env python3
# -*- coding: utf-8 -*-
"""Legacy model with postponed annotations.

Run directly to print a summary.
"""

from __future__ import annotations

import typing

if typing.TYPE_CHECKING:
    import numpy.typing as npt

import numpy as np
import tensorflow as tf
from tensorflow import keras


def gelu_tanh(t: tf.Tensor) -> tf.Tensor:
    return 0.5 * t * (1.0 + tf.tanh(0.7978845608 * (t + 0.044715 * t**3)))


def build_model(width: int = 4) -> keras.Model:
    inp = keras.Input((width,))
    h = keras.layers.Dense(width)(inp)
    h = keras.layers.Lambda(gelu_tanh)(h)
    h = keras.layers.Lambda(lambda t: t[:, ::-1])(h)
    return keras.Model(inp, keras.layers.Dense(2)(h))


def sample_inputs() -> npt.NDArray[np.float32]:
    return np.linspace(-2.0, 2.0, 8, dtype="float32").reshape(2, 4)


if __name__ == "__main__":
    build_model().summary()
