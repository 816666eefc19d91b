"""Generated code really runs: non-JSON constructor values survive a safe_mode reload.

Each check builds in one interpreter and reloads in a fresh one (the only sound
test of ``safe_mode=True``), so these are the slow tests of the unit suite.
"""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest
from support import invoke, run_python

pytestmark = pytest.mark.runtime  # every test here builds Keras models

MODEL = """
import numpy as np
import keras
from keras import layers


def build_model(weights=np.array([1.0, 2.0, 3.0], dtype="float32"), axes=(1,)):
    inp = keras.Input((4, 3))
    h = layers.Lambda(lambda t: keras.ops.sum(t * weights, axis=axes))(inp)
    h = layers.Lambda(lambda t: t * 2.0, name="twice.scaled-2")(h)
    return keras.Model(inp, h)


def sample_inputs():
    return np.arange(24, dtype="float32").reshape(2, 4, 3) / 10.0
"""

BUILD = """
import sys, numpy as np
sys.path.insert(0, sys.argv[1])
import model
m = model.build_model()
out = m.predict(model.sample_inputs(), verbose=0)
np.save(sys.argv[2] + ".npy", out)
m.save(sys.argv[2])
layer = m.layers[1]
restored = type(layer).from_config(layer.get_config())
assert isinstance(restored.weights_value if hasattr(restored, "weights_value") else restored.weights_, np.ndarray)
assert isinstance(restored.axes, tuple), type(restored.axes)
"""

LOAD = """
import sys, numpy as np, keras
sys.path.insert(0, sys.argv[1])
import model_layers  # the generated module registers the classes
m = keras.saving.load_model(sys.argv[2], safe_mode=True)
sys.path.remove(sys.argv[1])
out = m.predict(np.arange(24, dtype="float32").reshape(2, 4, 3) / 10.0, verbose=0)
np.testing.assert_allclose(out, np.load(sys.argv[2] + ".npy"), atol=1e-6)
print("reloaded", type(m.layers[1]).__name__, m.layers[2].name)
"""


def test_array_and_tuple_values_survive_safe_mode_reload(tmp_path: Path) -> None:
    project = tmp_path / "proj"
    project.mkdir()
    (project / "model.py").write_text(textwrap.dedent(MODEL))
    result = invoke("convert", str(project))
    assert result.exit_code == 0, result.output
    saved = str(tmp_path / "m.keras")
    built = run_python(BUILD, str(project), saved, timeout=300)
    assert built.returncode == 0, built.stderr[-3000:]
    loaded = run_python(LOAD, str(project), saved, timeout=300)
    assert loaded.returncode == 0, loaded.stderr[-3000:]
    assert "reloaded Sum twice.scaled-2" in loaded.stdout, loaded.stdout
