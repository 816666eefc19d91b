"""Detector trained with a loss per output, metrics per output, and a Lambda layer."""
import numpy as np
import tensorflow as tf
from tensorflow import keras
from tensorflow.keras import layers

TOLERANCE = 0.1  # within +-0.1 counts as a hit
SCALE = 255.0


# objectness: a smooth L1 on the logits
def smooth_l1(y_true, y_pred):
    err = tf.abs(y_true - y_pred)
    return tf.reduce_mean(tf.where(err < 1.0, 0.5 * err**2, err - 0.5), axis=-1)


def build():
    inputs = keras.Input(shape=(8,))
    x = layers.Lambda(lambda t: t / SCALE, name="to_unit")(inputs)
    box = layers.Dense(4, name="box")(x)
    cls = layers.Dense(3, name="cls")(x)
    model = keras.Model(inputs, {"box": box, "cls": cls})
    model.compile(
        optimizer="adam",
        loss={
            "box": smooth_l1,  # regression
            "cls": lambda y_true, y_pred: tf.reduce_mean(tf.square(y_true - y_pred), axis=-1),
        },
        metrics={
            "box": ["mae", lambda y_true, y_pred: tf.cast(tf.abs(y_true - y_pred) < TOLERANCE, tf.float32)],
            "cls": ["accuracy"],
        },
        weighted_metrics=[smooth_l1],
    )
    return model
