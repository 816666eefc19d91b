# BOM and CRLF must survive
import keras
from keras import layers
from model_layers import Scale


def build_model():
    inp = keras.Input((3,))
    out = Scale()(inp)
    return keras.Model(inp, out)
