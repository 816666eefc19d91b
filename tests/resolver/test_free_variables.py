"""Free variables: each name the function reads from outside becomes a constructor
argument (module constant, enclosing value, static shape), or the Lambda is refused
with the reason. A captured ``self``: ``test_self_attributes.py``."""

from __future__ import annotations

from support import Converted, Unchanged, table_tests

CONVERTED = [
    Converted(
        "module-int-constant-becomes-argument",
        "W = 3\ndef b(x):\n    return layers.Lambda(lambda t: t[:, -W:])(x)\n",
        patched="from model_layers import Slice\nW = 3\ndef b(x):\n    return Slice(w=W)(x)\n",
        methods={
            "Slice.__init__": "def __init__(self, w, **kwargs):\n    super().__init__(**kwargs)\n    self.w = w",
            "Slice.call": "def call(self, t):\n    W = self.w\n    return t[:, -W:]",
        },
        decisions=(("W -> constructor argument `w`: module constant `W` (line 6)",),),
    ),
    Converted(
        "enclosing-parameter-becomes-argument",
        "def b(x, n):\n    return layers.Lambda(lambda t: t * n)(x)\n",
        patched="from model_layers import Scale\ndef b(x, n):\n    return Scale(n=n)(x)\n",
        methods={
            "Scale.__init__": "def __init__(self, n, **kwargs):\n    super().__init__(**kwargs)\n    self.n = n",
            "Scale.call": "def call(self, t):\n    n = self.n\n    return t * n",
        },
        decisions=(
            ("n -> constructor argument `n`: `n` where the Lambda was built (line 6)",),
        ),
    ),
    Converted(
        "reserved-parameter-names-are-renamed",
        "def b(x, name, _lock):\n    return layers.Lambda(lambda t: t * name * _lock)(x)\n",
        patched="from model_layers import Scale\ndef b(x, name, _lock):\n    return Scale(lock=_lock, name_value=name)(x)\n",
        methods={
            "Scale.__init__": "def __init__(self, lock, name_value, **kwargs):\n    super().__init__(**kwargs)\n    self.lock = lock\n    self.name_value = name_value",
            "Scale.call": "def call(self, t):\n    _lock = self.lock\n    name = self.name_value\n    return t * name * _lock",
        },
    ),
    Converted(
        "shape-value-is-not-a-tensor",
        "def b(x):\n    channels = K.int_shape(x)[-1]\n    return layers.Lambda(lambda t: t / channels)(x)\n",
        patched="from model_layers import Divide\ndef b(x):\n    channels = K.int_shape(x)[-1]\n    return Divide(channels=channels)(x)\n",
        methods={
            "Divide.call": "def call(self, t):\n    channels = self.channels\n    return t / channels"
        },
        decisions=(
            (
                "channels -> constructor argument `channels`: `channels` where the Lambda was built (line 7)",
            ),
        ),
    ),
    Converted(
        "static-shape-of-a-dangling-tensor",
        "def b(x):\n    ref = layers.Dense(4)(x)\n    return layers.Lambda(lambda t: t[..., : ref.shape[-1]])(x)\n",
        patched="from model_layers import Slice\ndef b(x):\n    ref = layers.Dense(4)(x)\n    return Slice(ref_shape=tuple(ref.shape))(x)\n",
        methods={
            "Slice.call": "def call(self, t):\n    ref_shape = self.ref_shape\n    return t[..., : ref_shape[-1]]"
        },
        decisions=(
            (
                "tuple(ref.shape) -> constructor argument `ref_shape`: static shape of `ref` where the Lambda was built",
            ),
        ),
    ),
    Converted(
        "default-pinned-loop-value",
        "def b(x):\n    return [layers.Lambda(lambda t, k=k: t[..., k])(x) for k in range(3)]\n",
        patched="from model_layers import Slice\ndef b(x):\n    return [Slice(k=k)(x) for k in range(3)]\n",
        methods={
            "Slice.call": "def call(self, t):\n    k = self.k\n    return t[..., k]"
        },
        decisions=(("k -> constructor argument `k`: default of parameter `k`",),),
    ),
]

UNCHANGED = [
    Unchanged(
        "module-name-reassigned",
        "G = 1\ndef b(x):\n    return layers.Lambda(lambda t: t * G)(x)\nG = 2\n",
        "L2L202",
        "model.py:8:40: L2L202 Lambda at line 8 not converted: `G` is bound more than once at module level (line 6, line 9); the value the Lambda sees depends on when it runs (bind it once, or pass the value explicitly with `arguments=`)",
    ),
    Unchanged(
        "global-rebound-by-a-function",
        "SCALE = 1.0\n\n\ndef set_scale(v):\n    global SCALE\n    SCALE = v\n\n\ndef b(x):\n    return layers.Lambda(lambda t: t * SCALE)(x)\n",
        "L2L202",
        "model.py:15:40: L2L202 Lambda at line 15 not converted: `SCALE` is bound more than once at module level (line 6, line 11); the value the Lambda sees depends on when it runs (bind it once, or pass the value explicitly with `arguments=`)",
    ),
    Unchanged(
        "unpicklable-lock",
        "import threading\nL = threading.Lock()\ndef b(x):\n    return layers.Lambda(lambda t: (L, t)[1])(x)\n",
        "L2L203",
        "model.py:9:37: L2L203 Lambda at line 9 not converted: `L` (line 7) is an unpicklable object (threading.Lock) that a layer config cannot hold (remove the object from the layer body; keep such state outside the model)",
    ),
    Unchanged(
        "captured-layer",
        "def b(x):\n    d = layers.Dense(2)\n    return layers.Lambda(lambda t: d(t))(x)\n",
        "L2L204",
        "model.py:8:36: L2L204 Lambda at line 8 not converted: `d` (line 7) is a Keras layer captured by the Lambda; a config cannot hold it and its weights would not be tracked (call the layer in the graph and pass its output to the Lambda)",
    ),
    Unchanged(
        "called-capture",
        "def b(x, make):\n    enc = make(4)\n    return layers.Lambda(lambda t: enc(t))(x)\n",
        "L2L204",
        "model.py:8:36: L2L204 Lambda at line 8 not converted: the Lambda calls `enc` (line 7), an object built at run time (a layer, a model or a function); a layer config cannot hold it (call it in the graph and pass its output to the Lambda, or use a module-level def)",
    ),
    Unchanged(
        "undefined-name",
        "def b(x):\n    return layers.Lambda(lambda t: t * MISSING)(x)\n",
        "L2L206",
        "model.py:7:40: L2L206 Lambda at line 7 not converted: `MISSING` is not defined or imported in this file (define or import it)",
    ),
    Unchanged(
        "opaque-module-object",
        "class C:\n    pass\nOBJ = C()\ndef b(x):\n    return layers.Lambda(lambda t: t * OBJ)(x)\n",
        "L2L210",
        "model.py:10:40: L2L210 Lambda at line 10 not converted: `OBJ` (line 8) is a module-level object built at import time; it cannot be copied or stored in a config (use only its attributes (`obj.attr`) in the Lambda, or pass plain values via `arguments=`)",
    ),
]


test_converted, test_stays_unchanged = table_tests(CONVERTED, UNCHANGED)
