import keras
from keras import layers, ops
from model_layers import (
    ActivationFn,
    KernelConstraintFn,
    KernelRegularizerFn,
    mish,
    ones_init,
    recurrent_activation_fn,
)

MAX_NORM = 2.0
L1 = 1e-4


class Block:
    def __init__(self, slope):
        self.slope = slope

    def __call__(self, x):
        x = layers.Dense(
            8,
            activation=mish,
            kernel_initializer=ones_init,
            bias_initializer="zeros",
            kernel_regularizer=KernelRegularizerFn(l1=L1),
            kernel_constraint=KernelConstraintFn(max_norm=MAX_NORM),
        )(x)
        x = layers.Activation(ActivationFn(slope=self.slope))(x)
        x = layers.GRU(4, recurrent_activation=recurrent_activation_fn, activation=keras.activations.gelu)(x)
        return layers.Activation("relu")(x)
