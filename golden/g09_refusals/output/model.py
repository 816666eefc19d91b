import threading

import keras
from keras import layers
from model_layers import Shift

LOCK = threading.Lock()
GAIN = 2.0
COUNTS = [0]


def counted(x):
    COUNTS[0] += 1
    return x


def make_fn():
    return lambda t: t * 3.0


def build_model(fn=None):
    inp = keras.Input((4,))
    proj = layers.Dense(4)
    a = layers.Lambda(lambda t: t if LOCK else t)(inp)
    b = layers.Lambda(lambda t: t * GAIN)(a)
    c = layers.Lambda(lambda t: proj(t) * 0.5)(b)
    d = layers.Lambda(make_fn())(c)
    e = layers.Lambda(fn)(d)
    f = layers.Lambda(counted)(e)
    g = Shift()(f)  # this one converts
    return keras.Model(inp, g)


GAIN = 0.5
