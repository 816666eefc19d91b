"""Check that a lambda2layer conversion kept a model's outputs and made it safe to load.

Usage: python scripts/demo_check.py ORIGINAL_DIR CONVERTED_DIR [--module model]

Each step runs in a fresh Python process, so nothing one step imports or registers
can help the next:

1. original:  build the original model with seeded weights, predict, and save the
              weights, inputs and outputs to a scratch folder;
2. converted: build the converted model, load those weights, predict and compare,
              save it as ``.keras`` and check that its config has no ``Lambda``;
3. reload:    import only the generated ``*_layers.py`` module(s), reload the
              ``.keras`` file with ``safe_mode=True``, predict and compare again.

Exits 0 when every step passes, 1 otherwise.
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

import numpy as np

ATOL = 1e-5


class CheckFailed(Exception):
    """A check did not hold; the message says which and why."""


@contextlib.contextmanager
def _guard(what: str):
    """Turn an exception raised while doing ``what`` into a one-line CheckFailed."""
    try:
        yield
    except CheckFailed:
        raise
    except Exception as exc:
        traceback.print_exc()  # the full story goes to stderr, shown only on a crash
        lines = [line.strip() for line in str(exc).splitlines() if line.strip()] or [""]
        raise CheckFailed(f"{what} failed: {type(exc).__name__}: {lines[-1]}") from exc


def _build(project: str, module: str):
    """Import ``module`` from ``project`` (first on sys.path) and build its model."""
    sys.path[0] = str(Path(project).resolve())  # replaces this script's folder
    with _guard(f"building the model ({project}/{module}.py: build_model)"):
        mod = importlib.import_module(module)
        return mod, mod.build_model()


def _as_list(value) -> list:
    """Model inputs or outputs as a list of numpy arrays."""
    items = value if isinstance(value, (list, tuple)) else [value]
    return [np.asarray(item) for item in items]


def _load_npz(path: Path, prefix: str) -> list:
    """The arrays saved under ``prefix0``, ``prefix1``, ... in order."""
    with np.load(path) as data:
        count = sum(key.startswith(prefix) for key in data.files)
        return [data[f"{prefix}{i}"] for i in range(count)]


def _compare(expected: list, actual: list, what: str) -> float:
    """Raise CheckFailed unless the outputs agree within ATOL; return max abs diff."""
    if [a.shape for a in expected] != [a.shape for a in actual]:
        shapes = [a.shape for a in actual], [a.shape for a in expected]
        raise CheckFailed(f"{what}: output shapes {shapes[0]}, expected {shapes[1]}")
    pairs = list(zip(expected, actual))
    worst = max(float(np.max(np.abs(e - a), initial=0.0)) for e, a in pairs)
    if not all(np.allclose(e, a, atol=ATOL) for e, a in pairs):
        raise CheckFailed(f"{what}: outputs differ (max abs diff {worst:.3g} > {ATOL})")
    return worst


def _lambda_layers(keras_file: Path) -> list[str]:
    """Names of the ``Lambda`` layers in a ``.keras`` file's config.json."""
    with zipfile.ZipFile(keras_file) as archive:
        stack, found = [json.loads(archive.read("config.json"))], []
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
    """Build the original model with seeded weights; save weights, inputs, outputs."""
    mod, model = _build(project, module)
    weights = [
        np.random.default_rng(i).normal(0.0, 0.3, w.shape).astype(w.dtype)
        for i, w in enumerate(model.get_weights())
    ]
    model.set_weights(weights)
    inputs = _as_list(mod.sample_inputs())
    outputs = _as_list(model.predict(inputs, verbose=0))
    model.save_weights(work / "model.weights.h5")
    arrays = {f"x{i}": x for i, x in enumerate(inputs)}
    arrays.update({f"y{i}": y for i, y in enumerate(outputs)})
    np.savez(work / "original.npz", **arrays)
    peak = max(float(np.max(np.abs(y))) for y in outputs)
    print(f"original model: {len(model.layers)} layers, {len(weights)} weight arrays")
    print(f"original outputs: shapes {[y.shape for y in outputs]}, max |y| {peak:.3g}")


def stage_converted(project: str, module: str, work: Path) -> None:
    """Build the converted model, load the original weights, compare, save .keras."""
    mod, model = _build(project, module)
    with _guard("loading the original weights into the converted model"):
        model.load_weights(work / "model.weights.h5")
    outputs = _as_list(model.predict(mod.sample_inputs(), verbose=0))
    worst = _compare(_load_npz(work / "original.npz", "y"), outputs, "converted model")
    print(f"converted model: outputs equal (max abs diff {worst:.3g})")
    model.save(work / "converted.keras")
    lambdas = _lambda_layers(work / "converted.keras")
    if lambdas:
        raise CheckFailed(f"saved config still has Lambda layer(s): {lambdas}")
    print("saved as .keras: no Lambda layer left in config.json")


def stage_reload(project: str, module: str, work: Path) -> None:
    """Import only the generated layer modules; reload with safe_mode=True, compare."""
    import keras

    sys.path[0] = str(Path(project).resolve())
    generated = sorted(p.stem for p in Path(project).glob("*_layers.py"))
    if not generated:
        raise CheckFailed(f"no generated *_layers.py module in {project}")
    with _guard(f"importing {', '.join(generated)}"):
        for name in generated:
            importlib.import_module(name)
    if module in sys.modules:
        raise CheckFailed(f"importing {generated} also imported {module}.py")
    with _guard("keras.saving.load_model(..., safe_mode=True)"):
        model = keras.saving.load_model(work / "converted.keras", safe_mode=True)
    print(f"reloaded with safe_mode=True in a fresh process (imports: {generated}): OK")
    inputs, expected = (_load_npz(work / "original.npz", key) for key in "xy")
    outputs = _as_list(model.predict(inputs, verbose=0))
    worst = _compare(expected, outputs, "reloaded model")
    print(f"reloaded model: outputs equal (max abs diff {worst:.3g})")


STAGES = dict(original=stage_original, converted=stage_converted, reload=stage_reload)


def run_stage(stage: str, project: str, module: str, work: Path) -> bool:
    """Run one stage in a fresh interpreter; echo its report; True if it passed."""
    env = dict(os.environ, KERAS_BACKEND="tensorflow", TF_CPP_MIN_LOG_LEVEL="2")
    env["PYTHONDONTWRITEBYTECODE"] = "1"  # leave the project folders as they were
    flags = ["--stage", stage, "--work", str(work), "--module", module, project]
    proc = subprocess.run(
        [sys.executable, __file__, *flags], env=env, capture_output=True, text=True
    )
    for line in proc.stdout.splitlines():
        print(f"[{stage}] {line}")
    if proc.returncode == 0:
        return True
    if "FAIL:" not in proc.stdout:  # a crash, not a failed check: show the traceback
        tail = proc.stderr.strip().splitlines()[-15:]
        print(f"[{stage}] FAIL: crashed (exit {proc.returncode}):", *tail, sep="\n    ")
    return False


def main(argv: list[str] | None = None) -> int:
    """Run the three steps in child processes (with --stage: run one step here)."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("dirs", nargs="+", metavar="DIR", help="ORIGINAL CONVERTED")
    parser.add_argument("--module", default="model", help="default: model")
    parser.add_argument("--stage", choices=STAGES, help=argparse.SUPPRESS)
    parser.add_argument("--work", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)

    if args.stage:  # inside a child process
        if len(args.dirs) != 1 or args.work is None:
            parser.error("--stage needs --work and exactly one project folder")
        try:
            STAGES[args.stage](args.dirs[0], args.module, args.work)
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
    print("demo check passed: same outputs, no Lambda left, loads with safe_mode=True")
    return 0


if __name__ == "__main__":
    sys.exit(main())
