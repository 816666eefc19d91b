import keras
import tensorflow as tf
from keras import layers


def summed_shape(shape):
    return (shape[0], shape[2])


def keep_mask(inputs, mask=None):
    return mask


def build_model():
    tokens = keras.Input((None,), dtype="int32")
    emb = layers.Embedding(20, 4, mask_zero=True)(tokens)
    emb = layers.Lambda(lambda t: t * 2.0, mask=lambda inputs, mask: mask)(emb)
    emb = layers.Lambda(lambda t: t + 1.0, mask=keep_mask)(emb)
    total = layers.Lambda(lambda t: tf.reduce_sum(t, axis=1), output_shape=summed_shape)(emb)
    flat = layers.Lambda(
        lambda t: tf.reshape(t, (-1, 8)),
        output_shape=(8,),
    )(total)
    first = layers.Lambda(lambda t: t[:, :2], output_shape=lambda s: (s[0], 2))(flat)
    return keras.Model(tokens, first)
