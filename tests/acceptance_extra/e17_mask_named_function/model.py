"""Bag-of-embeddings over zero-padded ids, with mask-aware Lambdas."""

import numpy as np
import keras
from keras import layers, ops


def pass_mask(inputs, mask=None):
    return mask


def masked_fill(x, mask=None):
    if mask is None:
        return x
    return x * ops.expand_dims(ops.cast(mask, x.dtype), -1) + 0.5


def build_model():
    tokens = keras.Input(shape=(None,), dtype="int32")
    emb = layers.Embedding(30, 6, mask_zero=True)(tokens)
    emb = layers.Lambda(lambda t: t * 2.0, mask=pass_mask)(emb)
    emb = layers.Lambda(masked_fill, mask=pass_mask, name="fill")(emb)
    pooled = layers.GlobalAveragePooling1D()(emb)
    return keras.Model(tokens, layers.Dense(2)(pooled))


def sample_inputs():
    return np.array([[3, 7, 9, 0, 0], [12, 0, 0, 0, 0], [4, 5, 6, 7, 8]], dtype="int32")
