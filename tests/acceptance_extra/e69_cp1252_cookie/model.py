# -*- coding: cp1252 -*-
"""Modèle « héritage » – v2 ™ (prix en €)."""

import numpy as np
import keras
from keras import layers

FACTEUR = 1.5  # facteur « magique »


def build_model():
    def atténuer(t):
        """Atténue – légèrement – le signal."""
        return t * 0.9

    inp = keras.Input((4,))
    h = layers.Lambda(lambda t: t * FACTEUR)(inp)  # « échelle » en €
    h = layers.Lambda(atténuer, name="attenuer")(h)
    return keras.Model(inp, layers.Dense(2)(h))


def sample_inputs():
    return np.linspace(-1.0, 1.0, 8, dtype="float32").reshape(2, 4)
