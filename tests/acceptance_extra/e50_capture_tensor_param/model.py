import numpy as np
import tensorflow as tf
from tensorflow import keras
from tensorflow.keras import layers


def upsample_to(x, ref):
    return layers.Lambda(lambda t: tf.image.resize(t, ref.shape[1:3]))(x)


def build_model():
    img = keras.Input((8, 8, 2))
    skip = layers.Conv2D(3, 3, padding="same")(img)
    low = layers.MaxPooling2D(2)(skip)
    low = layers.Conv2D(3, 3, padding="same")(low)
    up = upsample_to(low, skip)
    merged = layers.Concatenate()([up, skip])
    return keras.Model(img, layers.Conv2D(1, 1)(merged))


def sample_inputs():
    return np.sin(np.arange(2 * 8 * 8 * 2, dtype="float32") / 7.0).reshape(2, 8, 8, 2)
