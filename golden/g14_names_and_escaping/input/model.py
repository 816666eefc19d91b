import keras
from keras import layers


@keras.saving.register_keras_serializable(package="acme")
class Normalize(layers.Layer):
    def call(self, x):
        return x


def build_model():
    inp = keras.Input((3,))
    a = layers.Lambda(lambda t: t / 10.0, name="normalize")(inp)
    b = layers.Lambda(lambda t: t - 1.0, name="normalize")(a)
    c = layers.Lambda(lambda t: t * 2.0, name='odd """ name\n with "quotes" \\ end')(b)
    d = layers.Lambda(lambda t: t * 2.0, name="twice")(c)
    e = layers.Lambda(lambda t: t / 10.0)(d)
    return keras.Model(inp, Normalize()(e))
