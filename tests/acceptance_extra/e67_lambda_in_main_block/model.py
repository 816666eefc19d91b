import numpy as np
import keras
from keras import layers

BIAS = 0.25


def build_model():
    inp = keras.Input((4,))
    h = layers.Lambda(lambda t: keras.ops.square(t) - BIAS)(inp)
    return keras.Model(inp, layers.Dense(2)(h))


def sample_inputs():
    return np.linspace(-1.0, 1.0, 8, dtype="float32").reshape(2, 4)


if __name__ == "__main__":
    import sys

    model = build_model()
    debug = keras.Sequential(
        [keras.Input((4,)), layers.Lambda(lambda t: t - BIAS, name="debias")]
    )
    print(
        model.predict(sample_inputs()), debug.predict(sample_inputs()), file=sys.stderr
    )
