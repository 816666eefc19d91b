from dataclasses import dataclass

import keras
from keras import layers


@dataclass(frozen=True)
class Config:
    clip: float = 1.0
    steps: int = 2


CONFIG = Config(clip=0.5)


class Head:
    def __init__(self, temperature):
        self.temperature = temperature

    def __call__(self, x):
        return layers.Lambda(lambda z: z / self.temperature, name="temper")(x)


def tail(x, n, dims=(1, 2)):
    return layers.Lambda(lambda t: keras.ops.sum(t[:, -n:], axis=dims))(x)


def build_model():
    inp = keras.Input((6, 3, 2))
    h = layers.Lambda(lambda t: keras.ops.clip(t, -CONFIG.clip, CONFIG.clip))(inp)
    if (k := CONFIG.steps) > 1:
        h = layers.Lambda(lambda t: t[:, :k])(h)
    h = tail(h, 2)
    return keras.Model(inp, Head(2.0)(h))
