import keras
from keras import ops


def weighted_mse(w):
    """MSE weighted by w."""

    def loss(y_true, y_pred):
        return w * ops.mean(ops.square(y_true - y_pred), axis=-1)

    return loss


def focal_loss(gamma=2.0, alpha=0.25):
    return lambda y_true, y_pred: -alpha * ops.mean((1.0 - y_pred) ** gamma * ops.log(y_pred), axis=-1)


def hit_rate(threshold):
    def hits(y_true, y_pred):
        return ops.cast(ops.abs(y_true - y_pred) < threshold, "float32")

    return hits


def compile_all(a, b, c):
    a.compile(loss=weighted_mse(0.3), metrics=[hit_rate(threshold=0.05)])
    b.compile(loss=focal_loss(alpha=0.5))
    c.compile(loss=focal_loss(3.0, 0.1), metrics=["mae"])
