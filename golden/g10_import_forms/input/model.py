import keras
import keras.layers as KL
import tensorflow as tf
from keras.layers import Lambda as L
from tensorflow.keras.layers import *


def build_model():
    inp = Input((4,))
    a = L(lambda t: t + 1.0, name="plus_one")(inp)
    b = KL.Lambda(lambda t: t - 1.0)(a)
    c = keras.layers.core.Lambda(lambda t: t * 3.0)(b)
    d = tf.keras.layers.Lambda(function=tf.nn.relu)(c)
    e = Lambda(lambda t: -t)(d)
    return keras.Model(inp, e)
