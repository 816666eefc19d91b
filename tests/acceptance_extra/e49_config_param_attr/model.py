from dataclasses import dataclass

import numpy as np
import tensorflow as tf
from tensorflow import keras


@dataclass
class HeadConfig:
    clip_value: float = 0.8
    offset: float = 0.0


def build_model(cfg=HeadConfig(clip_value=0.6, offset=0.25)):
    inp = keras.Input((4,))
    x = keras.layers.Dense(4)(inp)
    x = keras.layers.Lambda(
        lambda t: tf.clip_by_value(t, -cfg.clip_value, cfg.clip_value) + cfg.offset
    )(x)
    return keras.Model(inp, keras.layers.Dense(2)(x))


def sample_inputs():
    return np.linspace(-1.0, 1.0, 8, dtype="float32").reshape(2, 4)
