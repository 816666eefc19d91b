"""Bird-call tagger: mel spectrogram + recording metadata -> tag logits.

Written in 2021 for TF 2.4 and never cleaned up; the Lambda layers below are
why the saved model can only be reloaded with ``safe_mode=False``.
"""
import numpy as np
import tensorflow as tf
from tensorflow import keras
from tensorflow.keras import layers

from preprocessing import log_compress

N_FRAMES = 24
N_MELS = 8
N_META = 3  # hour of day, temperature, recorder gain
N_TAGS = 5
CLIP_VALUE = 4.0

# per-band statistics of the log-mel features, computed on the 2021 training set
BAND_MEAN = np.array([-6.4, -5.9, -5.1, -4.6, -4.2, -3.9, -3.5, -3.1], dtype=np.float32)
BAND_STD = np.array([1.8, 1.7, 1.5, 1.4, 1.2, 1.1, 1.0, 0.9], dtype=np.float32)


def _log_mel(x):
    return log_compress(tf.nn.relu(x))


def normalize_bands(x):
    """Log-compress, then standardize every mel band with the offline statistics."""
    return (_log_mel(x) - BAND_MEAN) / BAND_STD


def affine(x, scale, offset):
    return x * scale + offset


def conv_block(x, filters):
    x = layers.Conv2D(filters, 3, padding="same")(x)
    return layers.Activation("relu")(x)


def attention_pool(frames, temperature):
    """Softmax-weighted average over time; smaller temperature = sharper focus."""
    scores = layers.Dense(1)(frames)
    weights = layers.Lambda(lambda s: tf.nn.softmax(s / temperature, axis=1))(scores)
    return layers.Lambda(lambda ts: tf.reduce_sum(ts[0] * ts[1], axis=1))([frames, weights])


def build_model():
    spec = keras.Input(shape=(N_FRAMES, N_MELS), name="spectrogram")
    meta = keras.Input(shape=(N_META,), name="metadata")

    x = layers.Lambda(normalize_bands)(spec)
    x = layers.Lambda(lambda t: tf.clip_by_value(t, -CLIP_VALUE, CLIP_VALUE))(x)
    x = layers.Lambda(lambda t: tf.expand_dims(t, -1), output_shape=(N_FRAMES, N_MELS, 1))(x)

    # tiny U-Net: downsample once, come back up to the skip resolution
    skip = conv_block(x, 8)
    down = layers.MaxPooling2D(2)(skip)
    down = conv_block(down, 8)
    up = layers.Lambda(lambda t: tf.image.resize(t, size=skip.shape[1:3]))(down)
    x = conv_block(layers.Concatenate()([up, skip]), 8)
    frames = layers.Lambda(lambda t: tf.reduce_mean(t, axis=2), output_shape=(N_FRAMES, 8))(x)

    emb = layers.Concatenate()([attention_pool(frames, 0.5), attention_pool(frames, 2.0)])

    m = layers.Lambda(affine, arguments={"scale": 0.1, "offset": -0.5})(meta)
    gate = layers.Dense(16)(m)
    fused = layers.Lambda(lambda ts: ts[0] * tf.sigmoid(ts[1]))([emb, gate])
    logits = layers.Dense(N_TAGS, name="tags")(fused)
    model = keras.Model([spec, meta], logits, name="birdcall_tagger")
    return model


def sample_inputs():
    t = np.arange(2 * N_FRAMES * N_MELS, dtype="float32").reshape(2, N_FRAMES, N_MELS)
    spec = (2.0 * np.sin(t / 7.0) ** 2).astype("float32")  # power in [0, 2]
    meta = np.array([[6.0, 12.5, 3.0], [21.0, 4.0, 9.0]], dtype="float32")
    return [spec, meta]
