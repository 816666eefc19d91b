"""Feature preprocessing shared by the training pipeline and the model."""
import tensorflow as tf

# added before the log so silent frames do not produce -inf
LOG_FLOOR = 1e-4


def log_compress(x):
    """Natural-log compression of a non-negative power spectrogram."""
    return tf.math.log(x + LOG_FLOOR)
