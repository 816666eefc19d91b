import keras
from keras import layers, ops


def scaled(k):
    factor = k * 2
    return lambda y_true, y_pred: factor * ops.mean(y_pred)


def build(inputs):
    features = layers.Dense(4)(inputs)
    encoder = layers.Dense(2)
    model = keras.Model(inputs, features)
    history = []

    def logged(y_true, y_pred):
        history.append(1)
        return ops.mean(ops.abs(y_true - y_pred))

    def perceptual(y_true, y_pred):
        return ops.mean(ops.square(encoder(y_true) - encoder(y_pred)))

    model.compile(
        loss=perceptual,
        metrics=[logged, lambda y_true, y_pred: ops.mean(y_pred - features)],
    )
    model.compile(loss=scaled(0.5))
    return model
