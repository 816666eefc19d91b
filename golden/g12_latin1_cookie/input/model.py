# -*- coding: latin-1 -*-
# Décalage mesuré à l'atelier (°C)
import keras

DECALAGE = 0.25  # écart


def build_model():
    entree = keras.Input((2,))
    # recentrer (± décalage)
    x = keras.layers.Lambda(lambda t: t - DECALAGE)(entree)
    return keras.Model(entree, x)
