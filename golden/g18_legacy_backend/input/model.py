"""Keras 2.2 attention head: Lambda bodies call the Keras-2 backend (K.*)."""
import numpy as np
import tensorflow as tf
from keras import backend as K
from keras.layers import Dense, Input, Lambda
from keras.models import Model

STEPS = 5


def attend(inputs):
    query, memory = inputs
    # (batch, q, d) x (batch, m, d) -> (batch, q, m)
    scores = K.batch_dot(query, memory, axes=[2, 2])
    return K.batch_dot(K.softmax(scores), memory, axes=[2, 1])


def numpy_rank(t):
    return tf.py_func(np.argsort, [t], tf.int64)


def build_model():
    q = Input((STEPS, 4))
    m = Input((7, 4))
    context = Lambda(attend, name="attend")([Dense(8)(q), Dense(8)(m)])
    pooled = Lambda(lambda t: K.concatenate([K.mean(t, axis=1), K.max(t, axis=1)]))(
        context
    )
    steps = Lambda(lambda t: K.repeat(t, STEPS))(pooled)
    mask = Lambda(lambda t: K.cast(K.greater(t, 0.0), K.floatx()))(steps)
    ranks = Lambda(numpy_rank)(pooled)
    return Model([q, m], [steps, mask, ranks])


def summary(t):
    # the model file's own use of the helper keeps the original
    return attend(t)
