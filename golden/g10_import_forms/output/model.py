import keras
import keras.layers as KL
import tensorflow as tf
from tensorflow.keras.layers import *
from model_layers import Negate, PlusOne, Relu, Scale, SubtractLayer


def build_model():
    inp = Input((4,))
    a = PlusOne(name="plus_one")(inp)
    b = SubtractLayer()(a)
    c = Scale()(b)
    d = Relu()(c)
    e = Negate()(d)
    return keras.Model(inp, e)
