"""Every Keras flavour: a converted layer builds, saves, and reloads with safe_mode=True
in a fresh process, with the same outputs.

Environments: Keras 3 + TensorFlow (.keras and .h5), Keras 3 + JAX for bodies
written with keras.ops only, tf_keras 2.21 (TF_USE_LEGACY_KERAS=1; its .h5 loader
ignores safe_mode, so the converted model must not need it), and a multi-output
layer under tf.distribute.MirroredStrategy over two logical CPUs.
"""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest
from support import invoke, run_python

pytestmark = pytest.mark.runtime  # every test here builds Keras models

TF_MODEL = """
import numpy as np
import tensorflow as tf
from tensorflow import keras
from tensorflow.keras import layers

SCALE = 2.0


def build_model():
    inp = keras.Input((4,))
    h = layers.Dense(3)(inp)
    h = layers.Lambda(lambda t: t * SCALE, output_shape=(3,))(h)
    a, b = layers.Lambda(lambda t: [t * 2.0, tf.nn.relu(t)])(h)
    return keras.Model(inp, [a, b])
"""

TF_KERAS_PACKAGE_MODEL = TF_MODEL.replace(
    "from tensorflow import keras", "import tf_keras as keras"
).replace("from tensorflow.keras import layers", "from tf_keras import layers")

OPS_MODEL = """
import keras
from keras import layers, ops

EPS = 1e-3


def build_model():
    inp = keras.Input((5,))
    h = layers.Dense(4)(inp)
    h = layers.Lambda(lambda t: t / (ops.norm(t, axis=-1, keepdims=True) + EPS))(h)
    h = layers.Lambda(lambda t, k=2: ops.concatenate([t[:, :k], ops.abs(t[:, k:])], axis=-1))(h)
    return keras.Model(inp, h)
"""

BUILD = """
import os, sys, numpy as np
sys.path.insert(0, sys.argv[1])
import tensorflow as tf  # noqa: F401 (tf_keras needs TF first)
import model
strategy = None
if os.environ.get("L2L_MIRRORED"):
    cpu = tf.config.list_physical_devices("CPU")[0]
    tf.config.set_logical_device_configuration(cpu, [tf.config.LogicalDeviceConfiguration()] * 2)
    strategy = tf.distribute.MirroredStrategy(["/cpu:0", "/cpu:1"])
if strategy is not None:
    with strategy.scope():
        m = model.build_model()
else:
    m = model.build_model()
rng = np.random.default_rng(0)
m.set_weights([rng.normal(size=w.shape).astype("float32") for w in m.get_weights()])
x = rng.normal(size=(3,) + tuple(m.inputs[0].shape[1:])).astype("float32")
out = m.predict(x, verbose=0)
np.savez(sys.argv[2] + ".npz", x=x, *([out] if not isinstance(out, list) else out))
m.save(sys.argv[2])
"""

LOAD = """
import os, sys, numpy as np
sys.path.insert(0, sys.argv[1])
import model_layers  # registers the generated classes; model.py is never imported
assert "model" not in sys.modules
legacy = os.environ.get("TF_USE_LEGACY_KERAS") == "1"
if legacy:
    import tensorflow as tf
    load = tf.keras.models.load_model
else:
    import keras
    load = keras.saving.load_model
path = sys.argv[2]
m = load(path, safe_mode=True) if path.endswith(".keras") or not legacy else load(path)
data = np.load(path + ".npz")
out = m.predict(data["x"], verbose=0)
outs = out if isinstance(out, list) else [out]
expected = [data[f"arr_{i}"] for i in range(len(outs))]
for got, want in zip(outs, expected):
    np.testing.assert_allclose(got, want, atol=1e-5)
print("OK", type(m.layers[2]).__module__)
"""


CASES = [
    ("keras3-tensorflow-keras", TF_MODEL, {"KERAS_BACKEND": "tensorflow"}, "m.keras"),
    ("keras3-tensorflow-h5", TF_MODEL, {"KERAS_BACKEND": "tensorflow"}, "m.h5"),
    ("keras3-jax-ops-only", OPS_MODEL, {"KERAS_BACKEND": "jax"}, "m.keras"),
    (
        "tf_keras-h5",
        TF_MODEL,
        {"KERAS_BACKEND": "tensorflow", "TF_USE_LEGACY_KERAS": "1"},
        "m.h5",
    ),
    (
        "tf_keras-keras",
        TF_MODEL,
        {"KERAS_BACKEND": "tensorflow", "TF_USE_LEGACY_KERAS": "1"},
        "m.keras",
    ),
    (
        "tf_keras-package-h5",
        TF_KERAS_PACKAGE_MODEL,
        {"KERAS_BACKEND": "tensorflow", "TF_USE_LEGACY_KERAS": "1"},
        "m.h5",
    ),
    (
        "mirrored-strategy-multi-output",
        TF_MODEL,
        {"KERAS_BACKEND": "tensorflow", "L2L_MIRRORED": "1"},
        "m.keras",
    ),
]


@pytest.mark.parametrize("name,source,env,artifact", CASES, ids=[c[0] for c in CASES])
def test_flavour_round_trip(
    tmp_path: Path, name: str, source: str, env: dict, artifact: str
) -> None:
    project = tmp_path / "proj"
    project.mkdir()
    (project / "model.py").write_text(textwrap.dedent(source))
    result = invoke("convert", str(project))
    assert result.exit_code == 0, result.output
    saved = str(tmp_path / artifact)
    built = run_python(BUILD, str(project), saved, env=env)
    assert built.returncode == 0, built.stderr[-4000:]
    loaded = run_python(LOAD, str(project), saved, env=env)
    assert loaded.returncode == 0, loaded.stderr[-4000:]
    assert "OK model_layers" in loaded.stdout
