import keras
from keras import ops
from model_layers import FocalLoss, HitRate, WeightedMse


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
    a.compile(loss=WeightedMse(w=0.3), metrics=[HitRate(threshold=0.05)])
    b.compile(loss=FocalLoss(gamma=2.0, alpha=0.5))
    c.compile(loss=FocalLoss(gamma=3.0, alpha=0.1), metrics=["mae"])
