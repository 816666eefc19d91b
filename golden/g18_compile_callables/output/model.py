"""Detector trained with a loss per output, metrics per output, and a Lambda layer."""
import numpy as np
import tensorflow as tf
from tensorflow import keras
from tensorflow.keras import layers
from model_layers import BoxFn, ToUnit, cls_fn, smooth_l1

TOLERANCE = 0.1  # within +-0.1 counts as a hit
SCALE = 255.0


def build():
    inputs = keras.Input(shape=(8,))
    x = ToUnit(scale=SCALE, name="to_unit")(inputs)
    box = layers.Dense(4, name="box")(x)
    cls = layers.Dense(3, name="cls")(x)
    model = keras.Model(inputs, {"box": box, "cls": cls})
    model.compile(
        optimizer="adam",
        loss={
            "box": smooth_l1,  # regression
            "cls": cls_fn,
        },
        metrics={
            "box": ["mae", BoxFn(tolerance=TOLERANCE)],
            "cls": ["accuracy"],
        },
        weighted_metrics=[smooth_l1],
    )
    return model
