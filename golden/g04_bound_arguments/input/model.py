import functools
from functools import partial

import keras
from keras import layers, ops


def affine(x, scale, shift=0.0):
    return x * scale + shift


def pool(x, axis, keepdims=False):
    return ops.max(x, axis=axis, keepdims=keepdims)


def clip(low, x, high=1.0):
    return ops.clip(x, low, high)


def build_model(shift=-1.0):
    inp = keras.Input((5, 3))
    h = layers.Lambda(affine, arguments={"scale": 0.5, "shift": shift})(inp)
    h = layers.Lambda(functools.partial(pool, axis=1))(h)
    h = layers.Lambda(partial(clip, -1.0, high=2.0))(h)
    h = layers.Lambda(ops.abs)(h)
    return keras.Model(inp, h)
