import keras
from keras import layers
from model_layers import NormalizeLayer, NormalizeLayer2, OddNameWithQuotesEnd


@keras.saving.register_keras_serializable(package="acme")
class Normalize(layers.Layer):
    def call(self, x):
        return x


def build_model():
    inp = keras.Input((3,))
    a = NormalizeLayer(name="normalize")(inp)
    b = NormalizeLayer2(name="normalize")(a)
    c = OddNameWithQuotesEnd(name='odd """ name\n with "quotes" \\ end')(b)
    d = OddNameWithQuotesEnd(name="twice")(c)
    e = NormalizeLayer()(d)
    return keras.Model(inp, Normalize()(e))
