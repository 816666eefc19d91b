"""Check that a lambda2layer conversion kept a model's behaviour and made it safe to load.

Usage: python scripts/demo_check.py ORIGINAL_DIR CONVERTED_DIR [--module model]

Each step runs in its own fresh Python process, so nothing registered or imported by
one step can help the next:

1. original:  build the original model, give it deterministic weights, predict, and
              save the weights, the inputs and the outputs to a scratch folder;
2. converted: build the converted model, load those weights, predict, compare, save
              it as ``.keras`` and check that its config holds no ``Lambda`` layer;
3. reload:    import only the generated ``*_layers.py`` module(s), reload the ``.keras``
              file with ``safe_mode=True``, predict and compare again.

Exits 0 when every step passes, 1 otherwise.  Uses only the standard library, numpy
and keras.
"""

from __future__ import annotations

import argparse
import contextlib
import importlib
import json
import os
import shutil
import subprocess
import sys
import tempfile
import traceback
import zipfile
from pathlib import Path

ATOL = 1e-5
STAGES = ("original", "converted", "reload")


class CheckFailed(Exception):
    """A check did not hold; the message says which and why."""


@contextlib.contextmanager
def _guard(what: str):
    """Turn any exception raised by ``what`` into a one-line CheckFailed (traceback to stderr)."""
    try:
        yield
    except CheckFailed:
        raise
    except Exception as exc:
        traceback.print_exc()
        lines = [line for line in str(exc).splitlines() if line.strip()] or [""]
        raise CheckFailed(f"{what} failed: {type(exc).__name__}: {lines[-1].strip()}") from exc


def _use_project(project_dir: str) -> None:
    """Make ``project_dir`` the first import location, replacing this script's folder."""
    sys.path[0] = str(Path(project_dir).resolve())


def _as_list(value) -> list:
    """Model inputs or outputs as a list of numpy arrays."""
    import numpy as np

    items = value if isinstance(value, (list, tuple)) else [value]
    return [np.asarray(item) for item in items]


def _compare(expected: list, actual: list, what: str) -> float:
    """Raise CheckFailed unless the two output lists agree within ATOL; return the max abs diff."""
    import numpy as np

    if len(expected) != len(actual):
        raise CheckFailed(f"{what}: {len(actual)} output(s), expected {len(expected)}")
    worst = 0.0
    for index, (want, got) in enumerate(zip(expected, actual)):
        if want.shape != got.shape:
            raise CheckFailed(f"{what}: output {index} has shape {got.shape}, expected {want.shape}")
        diff = float(np.max(np.abs(want - got))) if want.size else 0.0
        worst = max(worst, diff)
        if not np.allclose(want, got, atol=ATOL):
            raise CheckFailed(f"{what}: outputs differ (max abs diff {diff:.3g} > atol {ATOL})")
    return worst


def _load_npz(path: Path, prefix: str) -> list:
    """The arrays saved under ``prefix0``, ``prefix1``, ... in order."""
    import numpy as np

    with np.load(path) as data:
        return [data[f"{prefix}{i}"] for i in range(sum(k.startswith(prefix) for k in data.files))]


def _lambda_layers(keras_file: Path) -> list[str]:
    """Names of the layers whose class is ``Lambda`` in a ``.keras`` file's config.json."""
    with zipfile.ZipFile(keras_file) as archive:
        config = json.loads(archive.read("config.json"))
    found, stack = [], [config]
    while stack:
        node = stack.pop()
        if isinstance(node, dict):
            if node.get("class_name") == "Lambda":
                found.append(node.get("config", {}).get("name", "?"))
            stack.extend(node.values())
        elif isinstance(node, list):
            stack.extend(node)
    return found


def stage_original(project: str, module: str, work: Path) -> None:
    """Build the original model with seeded weights; save weights, inputs and outputs."""
    import numpy as np

    _use_project(project)
    with _guard(f"building the original model ({module}.build_model)"):
        mod = importlib.import_module(module)
        model = mod.build_model()
    weights = [np.random.default_rng(i).normal(0.0, 0.3, w.shape).astype(w.dtype)
               for i, w in enumerate(model.get_weights())]
    model.set_weights(weights)
    inputs = _as_list(mod.sample_inputs())
    outputs = _as_list(model.predict(inputs, verbose=0))
    model.save_weights(work / "model.weights.h5")
    arrays = {f"x{i}": x for i, x in enumerate(inputs)} | {f"y{i}": y for i, y in enumerate(outputs)}
    np.savez(work / "original.npz", **arrays)
    peak = max(float(np.max(np.abs(y))) for y in outputs)
    print(f"original model built and predicted: {len(model.layers)} layers, {len(weights)} seeded weight "
          f"arrays, output shape(s) {[y.shape for y in outputs]}, max |output| {peak:.3g}")


def stage_converted(project: str, module: str, work: Path) -> None:
    """Build the converted model, load the original weights, compare, save as .keras."""
    _use_project(project)
    with _guard(f"building the converted model ({module}.build_model)"):
        mod = importlib.import_module(module)
        model = mod.build_model()
    with _guard("loading the original weights into the converted model"):
        model.load_weights(work / "model.weights.h5")
    outputs = _as_list(model.predict(mod.sample_inputs(), verbose=0))
    worst = _compare(_load_npz(work / "original.npz", "y"), outputs, "converted model")
    print(f"converted model loaded the original weights; outputs equal (max abs diff {worst:.3g})")
    model.save(work / "converted.keras")
    lambdas = _lambda_layers(work / "converted.keras")
    if lambdas:
        raise CheckFailed(f"saved config still has Lambda layer(s): {', '.join(lambdas)}")
    print("saved as .keras; no Lambda layer left in config.json")


def stage_reload(project: str, module: str, work: Path) -> None:
    """In a fresh process, import only the generated layer modules and reload with safe_mode=True."""
    import keras

    _use_project(project)
    generated = sorted(p.stem for p in Path(project).glob("*_layers.py"))
    if not generated:
        raise CheckFailed(f"no generated *_layers.py module in {project}")
    with _guard(f"importing {', '.join(generated)}"):
        for name in generated:
            importlib.import_module(name)
    if module in sys.modules:
        raise CheckFailed(f"importing {generated} also imported the model module {module!r}")
    with _guard("keras.saving.load_model(..., safe_mode=True)"):
        model = keras.saving.load_model(work / "converted.keras", safe_mode=True)
    outputs = _as_list(model.predict(_load_npz(work / "original.npz", "x"), verbose=0))
    worst = _compare(_load_npz(work / "original.npz", "y"), outputs, "reloaded model")
    print(f"reloaded with safe_mode=True in a fresh process (imported only {', '.join(generated)}): OK; "
          f"outputs equal (max abs diff {worst:.3g})")


def run_stage(stage: str, project: str, module: str, work: Path) -> bool:
    """Run one stage in a fresh interpreter; echo its report and return whether it passed."""
    env = dict(os.environ, KERAS_BACKEND="tensorflow", TF_CPP_MIN_LOG_LEVEL="2")
    command = [sys.executable, __file__, "--stage", stage, "--work", str(work),
               "--module", module, project]
    proc = subprocess.run(command, env=env, capture_output=True, text=True)
    for line in proc.stdout.splitlines():
        print(f"[{stage}] {line}")
    if proc.returncode == 0:
        return True
    if "FAIL:" not in proc.stdout:  # a crash rather than a failed check: show the traceback
        tail = proc.stderr.strip().splitlines()[-15:]
        print(f"[{stage}] FAIL: the step crashed (exit {proc.returncode}):", *tail, sep="\n    ")
    return False


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("dirs", nargs="+", metavar="DIR", help="ORIGINAL_DIR CONVERTED_DIR")
    parser.add_argument("--module", default="model", help="model module name (default: model)")
    parser.add_argument("--stage", choices=STAGES, help=argparse.SUPPRESS)
    parser.add_argument("--work", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)

    if args.stage:  # inside a child process
        if len(args.dirs) != 1 or args.work is None:
            parser.error("--stage needs --work and exactly one project folder")
        stage = {"original": stage_original, "converted": stage_converted, "reload": stage_reload}
        try:
            stage[args.stage](args.dirs[0], args.module, args.work)
        except CheckFailed as exc:
            print(f"FAIL: {exc}")
            return 1
        return 0

    if len(args.dirs) != 2:
        parser.error("expected ORIGINAL_DIR CONVERTED_DIR")
    original, converted = args.dirs
    for folder in (original, converted):
        if not (Path(folder) / f"{args.module}.py").is_file():
            parser.error(f"{folder}: no {args.module}.py")
    work = Path(tempfile.mkdtemp(prefix="demo_check_"))
    plan = [("original", original), ("converted", converted), ("reload", converted)]
    for stage, project in plan:
        if not run_stage(stage, project, args.module, work):
            print(f"demo check FAILED at step '{stage}' (scratch files kept in {work})")
            return 1
    shutil.rmtree(work, ignore_errors=True)
    print("demo check passed: same outputs, no Lambda, loads with safe_mode=True")
    return 0


if __name__ == "__main__":
    sys.exit(main())
