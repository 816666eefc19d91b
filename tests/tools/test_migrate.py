"""migrate: trained weights from old Lambda artifacts into safe .keras files.

Artifacts are real: Keras 3 (.keras, .h5) and tf_keras (.h5), built once per
session in child processes. A booby-trapped artifact, whose lambda creates a
file when it runs, is audited and migrated without the file ever appearing.
"""

from __future__ import annotations

import json
import textwrap
from pathlib import Path

import pytest
from support import invoke, run_python

pytestmark = pytest.mark.runtime  # every test here builds Keras models

SOURCE = """
import keras
from keras import layers


def build_model(width=3):
    inp = keras.Input((4,))
    h = layers.Dense(width, name="d1")(inp)
    h = layers.Lambda(lambda t: t * 2.0)(h)
    return keras.Model(inp, layers.Dense(2, name="d2")(h))


def build_compiled():
    model = build_model()
    model.compile(
        optimizer="adam",
        loss=lambda y_true, y_pred: keras.ops.mean(keras.ops.abs(y_true - y_pred)),
        metrics=[lambda y_true, y_pred: keras.ops.max(y_pred)],
    )
    return model
"""

TRAP = """
import keras
from keras import layers
MARKER = {marker!r}


def build_model():
    inp = keras.Input((4,))
    h = layers.Dense(3, name="d1")(inp)
    h = layers.Lambda(lambda t: (open(MARKER, "w").close(), t * 2.0)[1])(h)
    return keras.Model(inp, layers.Dense(2, name="d2")(h))
"""

MAKE = """
import os, sys, numpy as np
sys.path.insert(0, sys.argv[1])
if os.environ.get("TF_USE_LEGACY_KERAS") == "1":
    import tensorflow as tf
    keras = tf.keras
    import model
    model.keras, model.layers = tf.keras, tf.keras.layers
else:
    import model
m = model.build_model()
rng = np.random.default_rng(7)
m.set_weights([rng.normal(size=w.shape).astype("float32") for w in m.get_weights()])
for path in sys.argv[2:]:
    m.save(path)
"""


def python(code: str, *args: str, **env: str) -> None:
    proc = run_python(code, *args, env=env)
    assert proc.returncode == 0, proc.stderr[-3000:]


@pytest.fixture(scope="module")
def artifacts(tmp_path_factory) -> dict[str, Path]:
    root = tmp_path_factory.mktemp("migrate")
    orig, conv, trap = root / "orig", root / "conv", root / "trap"
    for folder in (orig, conv, trap):
        folder.mkdir()
    (orig / "model.py").write_text(textwrap.dedent(SOURCE))
    (conv / "model.py").write_text(textwrap.dedent(SOURCE))
    marker = root / "PWNED"
    (trap / "model.py").write_text(textwrap.dedent(TRAP.format(marker=str(marker))))
    python(MAKE, str(orig), str(root / "k3.keras"), str(root / "k3.h5"))
    python(MAKE, str(orig), str(root / "tfk.h5"), TF_USE_LEGACY_KERAS="1")
    python(MAKE, str(trap), str(root / "trap.keras"))
    marker.unlink()  # building the trap model ran it once; from now on nothing may
    assert invoke("convert", str(conv)).exit_code == 0
    return {"root": root, "conv": conv, "marker": marker}


def migrate(artifacts, old: str, out: str, *extra: str, builder: str = "build_model"):
    target = f"{artifacts['conv'] / 'model.py'}::{builder}"
    return invoke(
        "migrate",
        str(artifacts["root"] / old),
        "--builder",
        target,
        "-o",
        str(artifacts["root"] / out),
        *extra,
    )


@pytest.mark.parametrize("old", ["k3.keras", "k3.h5", "tfk.h5"])
def test_migrated_model_reloads_safely_with_the_original_outputs(
    artifacts, old: str
) -> None:
    out = f"new_{old.replace('.', '_')}.keras"
    result = migrate(artifacts, old, out, "--compare", "--trust-old-artifact")
    assert result.exit_code == 0, result.output
    assert "4 weight arrays matched" in result.stdout
    assert "reloaded with safe_mode=True" in result.stdout
    assert (
        "old artifact (trusted" in result.stdout
    )  # same outputs as the original model
    assert (artifacts["root"] / out).is_file()


def test_a_compiled_builder_comes_back_compiled(artifacts) -> None:
    result = migrate(artifacts, "k3.keras", "compiled.keras", builder="build_compiled")
    assert result.exit_code == 0, result.output
    assert "came back compiled, with the same loss and metric values" in result.stdout
    assert (
        "came back compiled" not in migrate(artifacts, "k3.keras", "plain.keras").stdout
    )


def test_booby_trapped_artifact_is_audited_and_migrated_without_running(
    artifacts,
) -> None:
    audit = invoke(
        "audit", "--output-format", "json", str(artifacts["root"] / "trap.keras")
    )
    assert audit.exit_code == 1
    report = json.loads(audit.stdout)
    lambdas = report["files"][0]["lambdas"]
    assert [l["function_kind"] for l in lambdas] == ["bytecode"]
    result = migrate(artifacts, "trap.keras", "untrapped.keras")
    assert result.exit_code == 0, result.output
    assert not artifacts["marker"].exists()


def test_compare_needs_explicit_trust(artifacts) -> None:
    result = migrate(artifacts, "k3.keras", "x.keras", "--compare")
    assert result.exit_code == 2 and "--trust-old-artifact" in result.stderr
    assert not (artifacts["root"] / "x.keras").exists()


def test_mismatched_builder_names_the_first_mismatch_and_writes_nothing(
    artifacts,
) -> None:
    result = migrate(artifacts, "k3.keras", "bad.keras", "--kwargs", '{"width": 5}')
    assert result.exit_code == 1
    assert (
        "weights do not match: layers/dense/vars/0 has shape (4, 3) in the old artifact, (4, 5)"
        in result.stdout
    )
    assert not (artifacts["root"] / "bad.keras").exists()
    legacy = migrate(artifacts, "k3.h5", "bad.keras", "--kwargs", '{"width": 5}')
    assert legacy.exit_code == 1 and "layer 0 is 'd1'" in legacy.stdout


@pytest.mark.parametrize(
    "name,data,words",
    [
        ("truncated.keras", None, "corrupt"),
        ("text.keras", b"not a model at all\n", "neither"),
        ("truncated.h5", None, "HDF5"),
    ],
)
def test_unreadable_artifacts_exit_two(
    artifacts, name: str, data: bytes | None, words: str
) -> None:
    path = artifacts["root"] / name
    if data is None:
        source = artifacts["root"] / (
            "k3.keras" if name.endswith(".keras") else "k3.h5"
        )
        data = source.read_bytes()[: len(source.read_bytes()) // 2]
    path.write_bytes(data)
    result = migrate(artifacts, name, "never.keras")
    assert result.exit_code == 2 and words in result.stderr, result.output
    assert not (artifacts["root"] / "never.keras").exists()


def test_output_is_not_replaced_without_force(artifacts) -> None:
    out = artifacts["root"] / "taken.keras"
    out.write_bytes(b"precious")
    result = migrate(artifacts, "k3.keras", "taken.keras")
    assert result.exit_code == 2 and "--force" in result.stderr
    assert out.read_bytes() == b"precious"
    forced = migrate(artifacts, "k3.keras", "taken.keras", "--force")
    assert forced.exit_code == 0, forced.output
    assert out.read_bytes()[:2] == b"PK"


def test_a_builder_from_unconverted_source_is_refused(artifacts) -> None:
    target = f"{artifacts['root'] / 'orig' / 'model.py'}::build_model"
    result = invoke(
        "migrate",
        str(artifacts["root"] / "k3.keras"),
        "--builder",
        target,
        "-o",
        str(artifacts["root"] / "from_orig.keras"),
    )
    assert result.exit_code == 2 and (
        "still holds 1 Lambda layer and 2 serialized callables" in result.stderr
    )
    assert not (artifacts["root"] / "from_orig.keras").exists()


def test_a_wrong_builder_name_is_a_usage_error(artifacts) -> None:
    target = f"{artifacts['conv'] / 'model.py'}::build_modle"
    result = invoke(
        "migrate",
        str(artifacts["root"] / "k3.keras"),
        "--builder",
        target,
        "-o",
        str(artifacts["root"] / "typo.keras"),
    )
    assert result.exit_code == 2 and "defines no 'build_modle'" in result.stderr
    assert "RUNS YOUR CODE" in result.stderr.splitlines()[0]  # said before anything ran


def test_compare_runs_the_bundled_examples_old_artifact(tmp_path: Path) -> None:
    """The README's `migrate --compare --trust-old-artifact` on `make demo`'s example:
    its old lambdas read module globals, call named helpers and capture a tensor's
    shape, which a Keras 3 reload alone cannot restore."""
    import shutil

    example = Path(__file__).parents[2] / "examples" / "legacy_project"
    orig, conv = tmp_path / "orig", tmp_path / "conv"
    shutil.copytree(example, orig)
    shutil.copytree(example, conv)
    python(
        "import sys; sys.path.insert(0, sys.argv[1]); import model; "
        "model.build_model().save(sys.argv[2])",
        str(orig),
        str(tmp_path / "old.keras"),
    )
    assert invoke("convert", str(conv)).exit_code == 0
    result = invoke(
        "migrate",
        str(tmp_path / "old.keras"),
        "--builder",
        f"{conv / 'model.py'}::build_model",
        "-o",
        str(tmp_path / "new.keras"),
        "--compare",
        "--trust-old-artifact",
    )
    assert result.exit_code == 0, result.output
    assert "old artifact (trusted, unsafe load in its own process): same outputs" in (
        result.stdout
    )
    assert (tmp_path / "new.keras").is_file()
