import keras
from keras import layers
from model_layers import Slice, SliceLayer, SliceLayer2


def build_model():
    inp = keras.Input((4, 3))
    heads = []
    for i in range(3):
        heads.append(Slice(i=i)(inp))
    pinned = [SliceLayer(j=j)(inp) for j in range(3)]
    late = [SliceLayer2(c=c)(inp) for c in range(3)]
    return keras.Model(inp, heads + pinned + late)
