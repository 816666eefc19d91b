import keras
from keras import layers
from model_layers import Scale

WIDTH = 3  # trailing steps kept
SCALE = 0.5


def build_model():
    model = keras.Sequential()
    model.add(keras.Input((10, 2)))
    model.add(Scale(scale=SCALE, width=WIDTH))
    model.add(layers.Flatten())
    return model
