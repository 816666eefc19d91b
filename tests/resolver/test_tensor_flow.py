"""Tensor flow: a Keras tensor the function captures becomes an extra input of the
layer (packed with the input at the call site), or the Lambda is refused."""

from __future__ import annotations

from support import Converted, Unchanged, table_tests

CONVERTED = [
    Converted(
        "captured-tensor-becomes-extra-input",
        "def b():\n    i = keras.Input((4,))\n    j = keras.Input((4,))\n    return layers.Lambda(lambda t: t + j)(i)\n",
        patched="from model_layers import Shift\ndef b():\n    i = keras.Input((4,))\n    j = keras.Input((4,))\n    return Shift()([i, j])\n",
        methods={
            "Shift.call": "def call(self, inputs):\n    t, j = inputs\n    return t + j"
        },
        decisions=(("j -> extra input: a Keras tensor of the graph",),),
    ),
    Converted(
        "nested-application-with-captured-tensor",
        "def b():\n    x = keras.Input((3,))\n    y = layers.Dense(3)(x)\n    return layers.Lambda(lambda t: t + y)(layers.Lambda(lambda t: t * 2)(x))\n",
        patched="from model_layers import Scale, Shift\ndef b():\n    x = keras.Input((3,))\n    y = layers.Dense(3)(x)\n    return Shift()([Scale()(x), y])\n",
        methods={
            "Shift.call": "def call(self, inputs):\n    t, y = inputs\n    return t + y",
            "Scale.call": "def call(self, t):\n    return t * 2",
        },
        decisions=(("y -> extra input: a Keras tensor of the graph",), ()),
    ),
    Converted(
        "parameter-that-callers-pass-a-tensor-becomes-an-input",
        "def merge(x, skip):\n    return layers.Lambda(lambda t: t + skip)(x)\n\n\ndef b():\n    i = keras.Input((3,))\n    d = layers.Dense(3)(i)\n    return merge(d, i)\n",
        patched="from model_layers import Shift\ndef merge(x, skip):\n    return Shift()([x, skip])\n\n\ndef b():\n    i = keras.Input((3,))\n    d = layers.Dense(3)(i)\n    return merge(d, i)\n",
        methods={
            "Shift.call": "def call(self, inputs):\n    t, skip = inputs\n    return t + skip"
        },
        decisions=(("skip -> extra input: a Keras tensor of the graph",),),
    ),
]

UNCHANGED = [
    Unchanged(
        "tensor-but-not-applied",
        "def b():\n    i = keras.Input((2,))\n    lam = layers.Lambda(lambda t: t + i)\n    return lam(i)\n",
        "L2L208",
        "model.py:8:11: L2L208 Lambda at line 8 not converted: the Lambda captures the Keras tensor(s) `i`, which must become extra inputs, but the layer is not called right where it is built (write `Lambda(...)(x)` in one expression)",
    ),
    Unchanged(
        "mask-capturing-a-tensor",
        "def b():\n    i = keras.Input((2,))\n    y = layers.Dense(2)(i)\n    return layers.Lambda(lambda t: t + y, mask=lambda t, m: m if y is not None else None)(i)\n",
        "L2L211",
        "model.py:9:48: L2L211 Lambda at line 9 not converted: the mask= function captures the tensor `y`, which compute_mask cannot receive (compute the mask from inputs and mask only)",
    ),
]


test_converted, test_stays_unchanged = table_tests(CONVERTED, UNCHANGED)
