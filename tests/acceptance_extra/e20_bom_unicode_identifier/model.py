"""Modèle de régression — « petit » réseau (données synthétiques)."""

import numpy as np
import keras
from keras import layers

α = 0.25  # pente négative (leaky)
ÉCHELLE = 1.5


def build_model():
    entrée = keras.Input((4,))
    h = layers.Dense(4)(entrée)
    # activation « leaky » maison
    h = layers.Lambda(lambda t: ÉCHELLE * keras.ops.maximum(t, α * t))(h)
    return keras.Model(entrée, layers.Dense(2)(h))


def sample_inputs():
    return np.linspace(-2.0, 2.0, 8, dtype="float32").reshape(2, 4)
