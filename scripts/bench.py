"""Benchmark: lambda2layer on a monorepo-sized tree, against ruff and a LibCST codemod.

Builds a reproducible tree (the running Python's standard library, ~5,000
files, plus 300 generated Keras model files with 6 Lambda sites each), then
times each command several times in this same run and prints medians and the
ratios the project targets. Nothing here is a unit test: run it with
``make bench``.
"""

from __future__ import annotations

import argparse
import compileall
import json
import os
import platform
import random
import resource
import shutil
import statistics
import subprocess
import sys
import sysconfig
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
N_STDLIB = 5000
N_MODELS = 300

MODEL = '''"""Generated benchmark model {i}."""
import numpy as np
import tensorflow as tf
from tensorflow import keras
from tensorflow.keras import layers

WIDTH_{i} = {w}
MEAN_{i} = np.array([0.1, 0.2, 0.3], dtype=np.float32)


def _center_{i}(x):
    return x - MEAN_{i}


def head_{i}(x, n):
    return layers.Lambda(lambda t: t[:, -n:] * {s})(x)


def build_model():
    inp = keras.Input((8, 3))
    skip = layers.Dense(3)(inp)
    x = layers.Lambda(lambda t: t[:, -WIDTH_{i}:, :])(inp)
    x = layers.Lambda(_center_{i})(x)
    x = layers.Lambda(lambda t: tf.image.resize(t[..., None], skip.shape[1:3])[..., 0])(x)
    x = layers.Lambda(lambda t, k={k}: t * k, name="scale_{i}")(x)
    x = head_{i}(x, {n})
    out = layers.Lambda(lambda ts: ts[0] + ts[1])([x, x])
    return keras.Model(inp, out)
'''

CODEMOD = r"""
import sys
from pathlib import Path
import libcst as cst


class Rename(cst.CSTTransformer):
    def leave_Name(self, original, updated):
        return updated.with_changes(value="LambdaLayer") if updated.value == "Lambda" else updated


for path in Path(sys.argv[1]).rglob("*.py"):
    source = path.read_text()
    path.write_text(cst.parse_module(source).visit(Rename()).code)
"""


def build_tree(dest: Path, copies: int = 1) -> None:
    """The standard library's .py files (first N_STDLIB, sorted) plus N_MODELS model files."""
    stdlib = Path(sysconfig.get_paths()["stdlib"])
    files = sorted(p for p in stdlib.rglob("*.py") if "site-packages" not in p.parts)
    rng = random.Random(20241122)
    for c in range(copies):
        base = dest / f"copy{c}"
        for n in range(N_STDLIB):  # the library repeated until there are N_STDLIB files
            path = files[n % len(files)]
            target = base / f"stdlib{n // len(files)}" / path.relative_to(stdlib)
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(path, target)
        models = base / "models"
        models.mkdir(parents=True, exist_ok=True)
        for i in range(N_MODELS):
            pkg = models / f"svc{i % 20}"
            pkg.mkdir(exist_ok=True)
            text = MODEL.format(
                i=i,
                w=rng.randint(1, 4),
                s=rng.choice([0.5, 2.0]),
                k=rng.randint(1, 5),
                n=rng.randint(1, 3),
            )
            (pkg / f"model_{i}.py").write_text(text)


def timed(cmd: list[str], runs: int, prepare=None) -> tuple[float, int]:
    """Median wall time over ``runs`` and the peak RSS (KB) of the largest child."""
    times = []
    for _ in range(runs):
        if prepare:
            prepare()
        start = time.perf_counter()
        subprocess.run(
            cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False
        )
        times.append(time.perf_counter() - start)
    return (
        statistics.median(times),
        resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss,
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--work", type=Path, default=ROOT / "bench-tree")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--json", type=Path, default=ROOT / "bench-results.json")
    args = parser.parse_args()
    tool = str(BIN / "lambda2layer")
    ruff = shutil.which("ruff", path=str(BIN)) or shutil.which("ruff")
    if ruff is None:
        print(
            "ruff is not installed (make bench installs the [bench] extra)",
            file=sys.stderr,
        )
        return 2
    # pip compiles an installed package's bytecode; an editable install under
    # PYTHONDONTWRITEBYTECODE=1 would recompile every module at every start
    compileall.compile_dir(ROOT / "lambda2layer", quiet=1)
    work = args.work
    shutil.rmtree(work, ignore_errors=True)
    tree, tree10 = work / "tree", work / "tree10"
    build_tree(tree)
    build_tree(tree10, copies=10)
    models = tree / "copy0" / "models"
    scratch = work / "scratch"

    def fresh_models():
        shutil.rmtree(scratch, ignore_errors=True)
        shutil.copytree(models, scratch)

    plain = work / "plain.py"
    plain.write_text("x = 1\n")
    n_files = sum(1 for _ in tree.rglob("*.py"))
    rows = {}
    rows["check_tree"], _ = timed([tool, "convert", "--check", str(tree)], args.runs)
    rows["ruff_e9"], _ = timed(
        [
            ruff,
            "check",
            "--select",
            "E9",
            "--no-cache",
            "--quiet",
            "--exit-zero",
            str(tree),
        ],
        args.runs,
    )
    rows["convert_models"], _ = timed(
        [tool, "convert", str(scratch)], args.runs, fresh_models
    )
    rows["libcst_codemod"], _ = timed(
        [sys.executable, "-c", CODEMOD, str(scratch)], args.runs, fresh_models
    )
    rows["check_one_plain_file"], _ = timed(
        [tool, "convert", "--check", str(plain)], args.runs
    )
    rows["check_tree_x10"], _ = timed(
        [tool, "convert", "--check", str(tree10)], max(1, args.runs // 2)
    )
    peak = peak_memory([tool, "convert", "--check", "--jobs", "1", str(tree)])
    ratios = {
        "check_tree / ruff_e9 (target <= 1.0)": rows["check_tree"] / rows["ruff_e9"],
        "convert_models / libcst_codemod (target <= 0.33)": rows["convert_models"]
        / rows["libcst_codemod"],
        "check_one_plain_file seconds (target < 0.15)": rows["check_one_plain_file"],
        "peak memory MB, one process (target < 200)": peak / 1024,
        "tree x10 / tree (target <= 11)": rows["check_tree_x10"] / rows["check_tree"],
    }
    machine = f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}"
    print(
        f"machine: {machine}; tree: {n_files} .py files ({N_MODELS} model files x 6 Lambda sites)"
    )
    print(f"median of {args.runs} runs (tree x10: {max(1, args.runs // 2)})")
    for name, value in rows.items():
        print(f"  {name:<24} {value:8.3f} s")
    for name, value in ratios.items():
        print(f"  {name:<52} {value:8.3f}")
    args.json.write_text(
        json.dumps(
            {"machine": machine, "files": n_files, "seconds": rows, "ratios": ratios},
            indent=2,
        )
    )
    shutil.rmtree(work, ignore_errors=True)
    return 0


def peak_memory(cmd: list[str]) -> int:
    """Peak RSS (KB) of one run, measured in a child that runs nothing else."""
    probe = (
        "import resource, subprocess, sys; subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL);"
        "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)"
    )
    out = subprocess.run(
        [sys.executable, "-c", probe, *cmd], capture_output=True, text=True, check=True
    )
    return int(out.stdout.strip())


if __name__ == "__main__":
    sys.exit(main())
