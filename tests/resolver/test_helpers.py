"""Helpers and closures: module-level definitions, constants and imports the
function needs move (or are kept) in the generated module, and come back to the
model file by import."""

from __future__ import annotations

from pathlib import Path

from support import Converted, Unchanged, convert, table_tests

CONVERTED = [
    Converted(
        "numpy-constant-moves-with-helper",
        "M = np.array([1.0, 2.0])\ndef _h(t):\n    return t - M\ndef b(x):\n    return layers.Lambda(lambda t: _h(t))(x)\n",
        patched="from model_layers import H, M\ndef b(x):\n    return H()(x)\n",
        methods={"H.call": "def call(self, t):\n    return _h(t)"},
        decisions=(
            (
                "np -> import kept: `import numpy as np` (line 2)",
                "_h -> moved into the generated module (line 7)",
                "M -> moved into the generated module (line 6)",
            ),
        ),
        top_level=(
            "import keras",
            "import numpy as np",
            "M = np.array([1.0, 2.0])",
            "def _h(t):\n    return t - M",
        ),
    ),
    Converted(
        "module-alias-by-assignment-is-bound-the-same-way",
        "nn = tf.nn\nKL = keras.layers\n\n\ndef b(x):\n    return KL.Lambda(lambda t: nn.relu(t) * 2.0)(x)\n",
        patched="from model_layers import Relu\nnn = tf.nn\nKL = keras.layers\n\n\ndef b(x):\n    return Relu()(x)\n",
        methods={"Relu.call": "def call(self, t):\n    return nn.relu(t) * 2.0"},
        top_level=("import keras", "import tensorflow as tf", "nn = tf.nn"),
    ),
    Converted(
        "module-alias-by-condition-is-one-binding-with-its-condition",
        "USE_NP = True\nif USE_NP:\n    import numpy as xp\nelse:\n    import math as xp\n\n\ndef b(x):\n    return layers.Lambda(lambda t: t * xp.pi)(x)\n",
        patched="from model_layers import Scale\nUSE_NP = True\nif USE_NP:\n    import numpy as xp\nelse:\n    import math as xp\n\n\ndef b(x):\n    return Scale()(x)\n",
        methods={"Scale.call": "def call(self, t):\n    return t * xp.pi"},
        top_level=(
            "import keras",
            "USE_NP = True",
            "if USE_NP:\n    import numpy as xp\nelse:\n    import math as xp",
        ),
    ),
    Converted(
        "a-backend-alias-is-rewritten-like-the-backend-for-keras-3",
        "B = keras.backend\n\n\ndef b(x):\n    return layers.Lambda(lambda t: B.sum(t, axis=-1))(x)\n",
        patched="from model_layers import Sum\nB = keras.backend\n\n\ndef b(x):\n    return Sum()(x)\n",
        methods={"Sum.call": "def call(self, t):\n    return ops.sum(t, axis=-1)"},
        top_level=("from keras import ops", "import keras"),
        diagnostics=(
            "model.py:10:12: L2L104 legacy backend calls rewritten: B.sum -> ops.sum",
        ),
    ),
    Converted(
        "chained-constant-moves-whole-and-both-names-come-back",
        "MEAN = BASE = (0.5, 0.5)\n\n\ndef b(x):\n    return layers.Lambda(lambda t: t - MEAN[0])(x)\n",
        patched="from model_layers import BASE, MEAN, SubtractLayer\n\n\ndef b(x):\n    return SubtractLayer()(x)\n",
        top_level=("import keras", "MEAN = BASE = (0.5, 0.5)"),
    ),
    Converted(
        "unpacked-constants",
        "LOW, HIGH = -0.5, 0.5\nSIZE = (4, 6)\nH, W = SIZE\n\n\ndef b(x):\n    return layers.Lambda(lambda t: t[:, :H] * HIGH)(x)\n",
        patched="from model_layers import H, Scale, SIZE, W\nLOW, HIGH = -0.5, 0.5\n\n\ndef b(x):\n    return Scale(high=HIGH)(x)\n",
        methods={
            "Scale.call": "def call(self, t):\n    HIGH = self.high\n    return t[:, :H] * HIGH"
        },
        top_level=("import keras", "SIZE = (4, 6)", "H, W = SIZE"),
    ),
    Converted(
        "helper-default-from-unpacked-constants-moves-the-statement",
        "LOW, HIGH = -0.5, 0.5\n\n\ndef clip(t, lo=LOW, hi=HIGH):\n    return keras.ops.clip(t, lo, hi)\n\n\ndef b(x):\n    return layers.Lambda(clip)(x)\n",
        patched="from model_layers import Clip, HIGH, LOW, clip\n\n\ndef b(x):\n    return Clip()(x)\n",
        methods={"Clip.call": "def call(self, inputs):\n    return clip(inputs)"},
        top_level=(
            "import keras",
            "LOW, HIGH = -0.5, 0.5",
            "def clip(t, lo=LOW, hi=HIGH):\n    return keras.ops.clip(t, lo, hi)",
        ),
    ),
    Converted(
        "try-except-import-fallback-is-kept-whole",
        "try:\n    import tensorflow.keras as keras2\nexcept ImportError:\n    import keras as keras2\n\n\ndef b(x):\n    return layers.Lambda(lambda t: keras2.ops.abs(t))(x)\n",
        patched="from model_layers import Abs\ntry:\n    import tensorflow.keras as keras2\nexcept ImportError:\n    import keras as keras2\n\n\ndef b(x):\n    return Abs()(x)\n",
        top_level=(
            "import keras",
            "try:\n    import tensorflow.keras as keras2\nexcept ImportError:\n    import keras as keras2",
        ),
    ),
    Converted(
        "import-keras-and-keras-ops",
        "import keras.ops\n\n\ndef b(x):\n    return layers.Lambda(lambda t: keras.ops.tanh(t))(x)\n",
        patched="import keras.ops\nfrom model_layers import Tanh\n\n\ndef b(x):\n    return Tanh()(x)\n",
        top_level=("import keras", "import keras.ops"),
        decisions=(
            (
                "keras -> import kept: `import keras` (line 1)",
                "keras -> import kept: `import keras.ops` (line 6)",
            ),
        ),
    ),
    Converted(
        "annotated-helper-moves-with-postponed-annotations",
        "SHIFT: float = 1.0\n\n\ndef double(t: tf.Tensor) -> tf.Tensor:\n    return t * 2 + SHIFT\n\n\ndef b(x):\n    return layers.Lambda(double)(x)\n",
        patched="from model_layers import Double, SHIFT, double\n\n\ndef b(x):\n    return Double()(x)\n",
        top_level=(
            "from __future__ import annotations",
            "import keras",
            "SHIFT: float = 1.0",
            "def double(t: tf.Tensor) -> tf.Tensor:\n    return t * 2 + SHIFT",
        ),
    ),
]

UNCHANGED = [
    Unchanged(
        "helper-mutates-module",
        "N = [0]\ndef h(t):\n    N[0] += 1\n    return t\ndef b(x):\n    return layers.Lambda(h)(x)\n",
        "L2L207",
        "model.py:11:26: L2L207 Lambda at line 11 not converted: helper `h` (line 7) mutates module-level `N`; a copied layer would not share that state (make the helper pure)",
    ),
    Unchanged(
        "global-statement",
        "N = 0\ndef h(t):\n    global N\n    N = 1\n    return t\ndef b(x):\n    return layers.Lambda(h)(x)\n",
        "L2L207",
        "model.py:12:26: L2L207 Lambda at line 12 not converted: helper `h` (line 7) declares `global N` and mutates module state (make the helper pure)",
    ),
]


test_converted, test_stays_unchanged = table_tests(CONVERTED, UNCHANGED)


def test_trailing_comment_of_a_moved_constant_travels_with_it(tmp_path: Path) -> None:
    body = "MEAN = np.array([1.0, 2.0])  # per band\n\n\ndef b(x):\n    return layers.Lambda(lambda t: t - MEAN)(x)\n"
    lines = convert(tmp_path, body).module_bytes.decode().splitlines()
    assert "MEAN = np.array([1.0, 2.0])  # per band" in lines
