import numpy as np

from model import *  # noqa: F401,F403


def sample_inputs():
    base = np.linspace(-4.0, 4.0, 12, dtype="float32").reshape(3, 4)
    return np.asarray(hard_swish(base)) / SCALE
