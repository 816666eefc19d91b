# -*- coding: latin-1 -*-
# Décalage mesuré à l'atelier (°C)
import keras
from model_layers import SubtractLayer

DECALAGE = 0.25  # écart


def build_model():
    entree = keras.Input((2,))
    # recentrer (± décalage)
    x = SubtractLayer(decalage=DECALAGE)(entree)
    return keras.Model(entree, x)
