import numpy as np

try:
    import tensorflow.keras as keras
except ImportError:  # pragma: no cover - standalone keras
    import keras

try:
    from tensorflow.keras.layers import Lambda
except ImportError:  # pragma: no cover
    from keras.layers import Lambda

MARGIN = 0.3


def build_model():
    inp = keras.Input((4,))
    h = Lambda(lambda t: keras.ops.relu(t - MARGIN))(inp)
    h = keras.layers.Dense(4)(h)
    h = keras.layers.Lambda(lambda t: t * 2.0, name="double")(h)
    return keras.Model(inp, keras.layers.Dense(2)(h))


def sample_inputs():
    return np.linspace(-1.0, 1.0, 8, dtype="float32").reshape(2, 4)
