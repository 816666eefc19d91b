"""One stage of ``verify``, run in a child process: this module RUNS USER CODE.

The parent (``lambda2layer.verify``) starts ``python -P verify_worker.py REQUEST``
three times per builder, each in a fresh interpreter:

``original``
    import the user's module, call the builder, give the model deterministic
    weights, make (or load) inputs, predict twice (a difference means the model
    is stochastic) and save inputs, weights and outputs to the work folder.
    A compiled model is also evaluated (``model.evaluate``) on generated
    targets: its loss and metric values are saved too.
``converted``
    the same from the converted copy, with the saved weights; compare the
    outputs (and, when the original was compiled, the loss and metric values)
    and save the model as ``converted.keras``.
``reload``
    import only the generated ``*_layers`` modules, load ``converted.keras``
    with ``safe_mode=True``, predict the saved inputs and compare again; a
    compiled original must come back compiled, with the same evaluate values.

Run as a script, this file imports nothing from ``lambda2layer`` and starts with
a clean ``sys.path`` (``-P``), so nothing of the tool shadows the user's modules.
The request and the result are JSON files; the result is written even when the
stage fails, with the first line of the exception as ``error``.
"""

from __future__ import annotations

import importlib
import json
import sys
from collections.abc import Iterator
from dataclasses import asdict, dataclass, fields
from enum import Enum
from pathlib import Path

import numpy as np

RESULT_SUFFIX = ".result.json"
INPUTS_FILE = "inputs.npz"
WEIGHTS_FILE = "weights.npz"
OUTPUTS_FILE = "outputs.npz"
CONVERTED_OUTPUTS_FILE = "converted_outputs.npz"
TARGETS_FILE = "targets.npz"
EVALUATION_FILE = "evaluation.json"
SAVED_MODEL = "converted.keras"

BATCH_SIZE = 2  # an unknown batch dimension
FREE_SIZE = 4  # any other unknown dimension
INT_HIGH = 10  # generated integer inputs lie in 0..9
WEIGHT_SCALE = 0.1
_MAX_REASON = 240
_KERAS_CAUSE = "Exception encountered: "


class Stage(str, Enum):
    ORIGINAL = "original"
    CONVERTED = "converted"
    RELOAD = "reload"


@dataclass(frozen=True, slots=True)
class Module:
    """A module to import: ``name`` (dotted) with ``base`` first on sys.path."""

    base: str
    name: str


@dataclass(frozen=True, slots=True)
class StageRequest:
    stage: Stage
    workdir: str
    modules: tuple[Module, ...]  # original/converted: the model file; reload: generated
    extra_path: tuple[str, ...]  # also on sys.path (the project root)
    builder: str
    kwargs_json: str
    seed: int
    atol: float
    inputs: str | None = None  # a user-supplied .npz (original stage only)
    stochastic: bool = False  # what the original stage found


@dataclass(frozen=True, slots=True)
class StageResult:
    error: str | None = None  # why the stage stopped, or a failure after comparing
    outputs_equal: bool | None = None
    max_abs_diff: float | None = None
    mismatch: str | None = None  # why the outputs differ from the original's
    round_trip: str | None = (
        None  # reload only: why they differ from the converted model's
    )
    stochastic: bool = False
    saved: bool = False  # converted.keras was written
    # original: the model was compiled and evaluated (loss and metric values
    # saved); converted/reload: they were compared, and agreed when
    # ``evaluate_problem`` is None
    evaluated: bool = False
    evaluate_problem: str | None = None


@dataclass(frozen=True, slots=True)
class Comparison:
    equal: bool
    max_abs_diff: float | None
    problem: str | None


class StageFailure(Exception):
    """A stage cannot go on; the message is the reason shown to the user."""


# --- protocol --------------------------------------------------------------


def request_to_json(request: StageRequest) -> str:
    return json.dumps(asdict(request), indent=2)


def request_from_json(text: str) -> StageRequest:
    raw = json.loads(text)
    raw["stage"] = Stage(raw["stage"])
    raw["modules"] = tuple(Module(**m) for m in raw["modules"])
    raw["extra_path"] = tuple(raw["extra_path"])
    return StageRequest(**raw)


def result_to_json(result: StageResult) -> str:
    return json.dumps(asdict(result), indent=2)


def result_from_json(text: str) -> StageResult:
    raw = json.loads(text)
    known = {f.name for f in fields(StageResult)}
    return StageResult(**{k: v for k, v in raw.items() if k in known})


def result_path(workdir: Path, stage: Stage) -> Path:
    return workdir / f"{stage.value}{RESULT_SUFFIX}"


def first_line(exc: BaseException) -> str:
    """``Type: first line of the message``, cut to a readable length.

    Keras wraps a failure while deserializing a nested object in a long message
    ending with ``Exception encountered: <the cause>``; the cause is kept."""
    message = str(exc)
    _, marker, cause = message.rpartition(_KERAS_CAUSE)
    lines = (cause if marker else message).strip().splitlines()
    text = f"{type(exc).__name__}: {lines[0]}" if lines else type(exc).__name__
    if len(text) > _MAX_REASON:
        text = text[: _MAX_REASON - 3].rstrip() + "..."
    return text


class _Step:
    """``with _Step("building model failed"):`` turns any exception into a
    StageFailure whose message is the label and the exception's first line."""

    def __init__(self, label: str) -> None:
        self.label = label

    def __enter__(self) -> None:
        return None

    def __exit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: object
    ) -> bool:
        if exc is None or isinstance(exc, StageFailure):
            return False
        if isinstance(exc, (KeyboardInterrupt, GeneratorExit)):
            return False
        raise StageFailure(f"{self.label}: {first_line(exc)}") from exc


# --- arrays ----------------------------------------------------------------


def save_list(path: Path, arrays: list[np.ndarray]) -> None:
    np.savez(path, *arrays)


def load_list(path: Path) -> list[np.ndarray]:
    with np.load(path, allow_pickle=False) as data:
        return [data[f"arr_{i}"] for i in range(len(data.files))]


def _as_float(array: np.ndarray) -> np.ndarray:
    return np.asarray(array).astype(np.float64)


def _max_abs_diff(expected: list[np.ndarray], actual: list[np.ndarray]) -> float:
    worst = 0.0
    for a, b in zip(expected, actual):
        a64, b64 = _as_float(a), _as_float(b)
        both_nan = np.isnan(a64) & np.isnan(b64)
        diff = np.where(both_nan, 0.0, np.abs(a64 - b64))
        diff = np.where(np.isnan(diff), np.inf, diff)
        if diff.size:
            worst = max(worst, float(diff.max()))
    return worst


def _structure_problem(
    expected: list[np.ndarray], actual: list[np.ndarray]
) -> str | None:
    if len(expected) != len(actual):
        return f"the original has {len(expected)} outputs, this model {len(actual)}"
    for i, (a, b) in enumerate(zip(expected, actual)):
        if np.shape(a) != np.shape(b):
            return f"output {i} has shape {np.shape(a)} originally, {np.shape(b)} here"
    return None


def compare(
    expected: list[np.ndarray], actual: list[np.ndarray], atol: float, stochastic: bool
) -> Comparison:
    """Values within ``atol``; for a stochastic model only shapes and finiteness."""
    problem = _structure_problem(expected, actual)
    if problem is not None:
        return Comparison(False, None, problem)
    if stochastic:
        for i, b in enumerate(actual):
            if not np.all(np.isfinite(_as_float(b))):
                return Comparison(False, None, f"output {i} has non-finite values")
        return Comparison(True, None, None)
    diff = _max_abs_diff(expected, actual)
    close = all(
        np.allclose(_as_float(a), _as_float(b), rtol=0.0, atol=atol, equal_nan=True)
        for a, b in zip(expected, actual)
    )
    if close:
        return Comparison(True, diff, None)
    return Comparison(False, diff, f"max abs diff {diff:.3g} > {atol:g}")


# --- weights and inputs ----------------------------------------------------


def _dtype_name(dtype: object) -> str:
    return str(getattr(dtype, "name", dtype))


def _numpy_dtype(dtype: str) -> np.dtype:
    """The numpy dtype arrays are made in (bfloat16 as float32)."""
    try:
        return np.dtype("float32" if dtype == "bfloat16" else dtype)
    except TypeError as exc:
        raise StageFailure(
            f"cannot make arrays of dtype {dtype}; pass --inputs FILE.npz"
        ) from exc


def make_weight(
    index: int, name: str, shape: tuple[int, ...], dtype: str, seed: int
) -> np.ndarray:
    """Weight ``index``: normal * 0.1 from a generator seeded by (seed, index, *shape)."""
    rng = np.random.default_rng([seed, index, *shape])
    target = _numpy_dtype(dtype)
    kind = target.kind
    if kind in "iub":
        values = rng.integers(0, 2 if kind == "b" else INT_HIGH, size=shape)
    else:
        values = rng.standard_normal(shape) * WEIGHT_SCALE
        if "variance" in name.lower():
            values = np.abs(values) + WEIGHT_SCALE
    return values.astype(target)


def make_weights(model: object, seed: int) -> list[np.ndarray]:
    weights = []
    for index, variable in enumerate(model.weights):
        name = str(getattr(variable, "path", None) or variable.name)
        shape = tuple(int(d) for d in variable.shape)
        weights.append(
            make_weight(index, name, shape, _dtype_name(variable.dtype), seed)
        )
    return weights


def _concrete_shape(shape: tuple[int | None, ...]) -> tuple[int, ...]:
    return tuple(
        (BATCH_SIZE if i == 0 else FREE_SIZE) if d is None else int(d)
        for i, d in enumerate(shape)
    )


def _pad_tail(values: np.ndarray) -> np.ndarray:
    """Zero the last third of every sequence so masks (``mask_zero``) matter."""
    if values.ndim < 2 or values.shape[1] < 2:
        return values
    pad = max(1, values.shape[1] // 3)
    values = values.copy()
    values[:, -pad:] = 0
    return values


def make_input(
    index: int, shape: tuple[int | None, ...], dtype: str, seed: int
) -> np.ndarray:
    size = _concrete_shape(shape)
    rng = np.random.default_rng([seed, 1_000_000 + index, *size])
    target = _numpy_dtype(dtype)
    if target.kind == "b":
        return rng.random(size) < 0.5
    if target.kind in "iu":
        return _pad_tail(rng.integers(1, INT_HIGH, size=size).astype(target))
    if target.kind == "f":
        return rng.standard_normal(size).astype(target)
    raise StageFailure(
        f"cannot generate inputs of dtype {dtype}; pass --inputs FILE.npz"
    )


def _input_specs(model: object) -> list[object]:
    try:
        specs = list(model.inputs or [])
    except (AttributeError, ValueError):
        specs = []
    return specs


def make_inputs(model: object, seed: int) -> list[np.ndarray]:
    specs = _input_specs(model)
    if not specs:
        raise StageFailure(
            "cannot generate inputs: the model has no defined inputs "
            "(build it on keras.Input, or pass --inputs FILE.npz)"
        )
    return [
        make_input(i, tuple(spec.shape), _dtype_name(spec.dtype), seed)
        for i, spec in enumerate(specs)
    ]


def read_inputs(path: Path, model: object) -> list[np.ndarray]:
    """Arrays by input name when every name is present, else ``arr_0, arr_1, ...``."""
    with np.load(path, allow_pickle=False) as data:
        keys = list(data.files)
        names = [str(getattr(spec, "name", "")) for spec in _input_specs(model)]
        if names and all(n in keys for n in names):
            return [data[n] for n in names]
        ordered = [f"arr_{i}" for i in range(len(keys))]
        if sorted(keys) == sorted(ordered):
            return [data[k] for k in ordered]
        if len(keys) == 1:
            return [data[keys[0]]]
    raise StageFailure(
        f"inputs file {path.name} holds {', '.join(sorted(keys))}; "
        f"expected arr_0, arr_1, ... or the input names {', '.join(names) or '(none)'}"
    )


# --- models ----------------------------------------------------------------


def _flatten(outputs: object) -> list[np.ndarray]:
    import keras

    return [np.asarray(o) for o in keras.tree.flatten(outputs)]


def predict(model: object, inputs: list[np.ndarray], label: str) -> list[np.ndarray]:
    with _Step(label):
        feed = inputs[0] if len(inputs) == 1 else list(inputs)
        return _flatten(model.predict(feed, verbose=0))


def _resolve(module: object, dotted: str) -> object:
    target = module
    for part in dotted.split("."):
        target = getattr(target, part)
    return target


def _import(module: Module, label: str) -> object:
    with _Step(f"importing {label} module {module.name!r} failed"):
        return importlib.import_module(module.name)


def build(request: StageRequest, label: str) -> object:
    import keras

    keras.utils.set_random_seed(request.seed)
    module = _import(request.modules[0], label)
    kwargs = json.loads(request.kwargs_json)
    with _Step(f"building {label} model failed"):
        model = _resolve(module, request.builder)(**kwargs)
    if not isinstance(model, keras.Model):
        raise StageFailure(
            f"{request.builder} returned {type(model).__name__}, not a keras.Model"
        )
    return model


def _ensure_built(model: object, inputs: list[np.ndarray] | None) -> None:
    if getattr(model, "built", True) or inputs is None:
        return
    predict(model, inputs, "building the model on the given inputs failed")


def _check_weights(model: object, weights: list[np.ndarray]) -> None:
    own = [tuple(int(d) for d in v.shape) for v in model.weights]
    if len(own) != len(weights):
        raise StageFailure(
            f"weights differ: original has {len(weights)} arrays, converted {len(own)}"
        )
    for i, (shape, array) in enumerate(zip(own, weights)):
        if tuple(array.shape) != shape:
            raise StageFailure(
                f"weights differ: array {i} has shape {tuple(array.shape)} originally, "
                f"{shape} converted"
            )


# --- compiled models -------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Evaluation:
    """``model.evaluate`` on the saved inputs and targets: names and values in
    Keras' order (the loss first)."""

    names: tuple[str, ...]
    values: tuple[float, ...]


def is_compiled(model: object) -> bool:
    return bool(getattr(model, "compiled", False) or getattr(model, "optimizer", None))


def make_targets(outputs: list[np.ndarray], seed: int) -> list[np.ndarray]:
    """One target per output, of its shape and dtype: floats in [0, 1) (valid
    for probabilities and regression alike), integers in 0..1."""
    targets = []
    for index, output in enumerate(outputs):
        rng = np.random.default_rng([seed, 2_000_000 + index, *np.shape(output)])
        array = np.asarray(output)
        if array.dtype.kind in "iub":
            targets.append(rng.integers(0, 2, size=array.shape).astype(array.dtype))
        else:
            targets.append(rng.random(array.shape).astype(array.dtype))
    return targets


def _target_feed(model: object, targets: list[np.ndarray]) -> object:
    if len(targets) == 1:
        return targets[0]
    names = list(getattr(model, "output_names", None) or [])
    if len(names) == len(targets):
        return dict(zip(names, targets))
    return list(targets)


def evaluate(
    model: object, inputs: list[np.ndarray], targets: list[np.ndarray], label: str
) -> Evaluation:
    with _Step(label):
        feed = inputs[0] if len(inputs) == 1 else list(inputs)
        found = model.evaluate(
            feed,
            _target_feed(model, targets),
            batch_size=len(inputs[0]) if inputs else None,
            return_dict=True,
            verbose=0,
        )
    names = _in_compile_order(model, found)
    return Evaluation(tuple(names), tuple(float(found[n]) for n in names))


def _in_compile_order(model: object, logs: dict[str, object]) -> list[str]:
    """The loss, then the metrics in the order ``compile`` was given them (a
    converted lambda metric has a new name: values are compared by position)."""
    order: list[str] = []
    for metric in getattr(model, "metrics", []):
        inner = getattr(metric, "metrics", None)
        names = [m.name for m in inner] if isinstance(inner, list) else [metric.name]
        order.extend(n for n in names if n in logs and n not in order)
    return order + sorted(k for k in logs if k not in order)


def save_evaluation(path: Path, evaluation: Evaluation) -> None:
    path.write_text(json.dumps(asdict(evaluation)), "utf-8")


def load_evaluation(path: Path) -> Evaluation | None:
    if not path.exists():
        return None
    raw = json.loads(path.read_text("utf-8"))
    return Evaluation(tuple(raw["names"]), tuple(raw["values"]))


def evaluation_problem(
    expected: Evaluation, actual: Evaluation, atol: float
) -> str | None:
    """Values compared in order (a converted lambda metric may carry a new
    name); relative to their size, as losses can be large."""
    if len(expected.values) != len(actual.values):
        return (
            f"evaluate gives {len(expected.values)} values originally "
            f"({', '.join(expected.names)}), {len(actual.values)} here "
            f"({', '.join(actual.names)})"
        )
    for name, a, b in zip(expected.names, expected.values, actual.values):
        if not np.isclose(a, b, rtol=1e-5, atol=atol, equal_nan=True):
            return f"evaluate value {name!r} is {a:.6g} originally, {b:.6g} here"
    return None


def compare_evaluation(
    model: object, request: StageRequest, label: str
) -> StageResult | None:
    """None when the original was not compiled; else the comparison as a
    partial result (``evaluated`` and ``evaluate_problem``)."""
    work = Path(request.workdir)
    expected = load_evaluation(work / EVALUATION_FILE)
    if expected is None:
        return None
    if not is_compiled(model):
        return StageResult(
            evaluated=True,
            evaluate_problem=f"the {label} model is not compiled, the original is",
        )
    actual = evaluate(
        model,
        load_list(work / INPUTS_FILE),
        load_list(work / TARGETS_FILE),
        f"{label} model evaluate failed",
    )
    problem = evaluation_problem(expected, actual, request.atol)
    return StageResult(
        evaluated=True,
        evaluate_problem=None if problem is None else f"{label} model: {problem}",
    )


# --- stages ----------------------------------------------------------------


def run_original(request: StageRequest) -> StageResult:
    work = Path(request.workdir)
    model = build(request, "original")
    given = read_inputs(Path(request.inputs), model) if request.inputs else None
    _ensure_built(model, given)
    weights = make_weights(model, request.seed)
    with _Step("setting weights on the original model failed"):
        model.set_weights(weights)
    inputs = given if given is not None else make_inputs(model, request.seed)
    first = predict(model, inputs, "original model predict failed")
    second = predict(model, inputs, "original model predict failed")
    stochastic = not compare(first, second, request.atol, False).equal
    save_list(work / INPUTS_FILE, inputs)
    save_list(work / WEIGHTS_FILE, weights)
    save_list(work / OUTPUTS_FILE, first)
    evaluated = is_compiled(model) and not stochastic
    if evaluated:
        targets = make_targets(first, request.seed)
        found = evaluate(model, inputs, targets, "original model evaluate failed")
        save_list(work / TARGETS_FILE, targets)
        save_evaluation(work / EVALUATION_FILE, found)
    return StageResult(stochastic=stochastic, evaluated=evaluated)


def _save(model: object, path: Path) -> str | None:
    try:
        model.save(path)
    except Exception as exc:  # noqa: BLE001 - reported as the reason
        return f"saving converted model failed: {first_line(exc)}"
    return None


def run_converted(request: StageRequest) -> StageResult:
    work = Path(request.workdir)
    model = build(request, "converted")
    weights = load_list(work / WEIGHTS_FILE)
    inputs = load_list(work / INPUTS_FILE)
    _ensure_built(model, inputs)
    _check_weights(model, weights)
    with _Step("setting weights on the converted model failed"):
        model.set_weights(weights)
    outputs = predict(model, inputs, "converted model predict failed")
    found = compare(
        load_list(work / OUTPUTS_FILE), outputs, request.atol, request.stochastic
    )
    save_list(work / CONVERTED_OUTPUTS_FILE, outputs)
    evaluation = compare_evaluation(model, request, "converted") or StageResult()
    error = _save(model, work / SAVED_MODEL)
    return StageResult(
        error=error,
        evaluated=evaluation.evaluated,
        evaluate_problem=evaluation.evaluate_problem,
        outputs_equal=found.equal,
        max_abs_diff=found.max_abs_diff,
        mismatch=(
            None if found.equal else f"converted model outputs differ: {found.problem}"
        ),
        stochastic=request.stochastic,
        saved=error is None,
    )


def run_reload(request: StageRequest) -> StageResult:
    import keras

    work = Path(request.workdir)
    for module in request.modules:
        _import(module, "generated")
    with _Step("safe_mode reload failed"):
        model = keras.saving.load_model(work / SAVED_MODEL, safe_mode=True)
    outputs = predict(
        model, load_list(work / INPUTS_FILE), "reloaded model predict failed"
    )
    found = compare(
        load_list(work / OUTPUTS_FILE), outputs, request.atol, request.stochastic
    )
    kept = compare(
        load_list(work / CONVERTED_OUTPUTS_FILE),
        outputs,
        request.atol,
        request.stochastic,
    )
    evaluation = compare_evaluation(model, request, "reloaded") or StageResult()
    return StageResult(
        evaluated=evaluation.evaluated,
        evaluate_problem=evaluation.evaluate_problem,
        outputs_equal=found.equal,
        max_abs_diff=found.max_abs_diff,
        mismatch=(
            None
            if found.equal
            else f"reloaded model outputs differ from the original: {found.problem}"
        ),
        round_trip=(
            None
            if kept.equal
            else f"safe_mode reload changed the outputs: {kept.problem}"
        ),
        stochastic=request.stochastic,
    )


_STAGES = {
    Stage.ORIGINAL: run_original,
    Stage.CONVERTED: run_converted,
    Stage.RELOAD: run_reload,
}


def _search_path(request: StageRequest) -> Iterator[str]:
    seen: set[str] = set()
    for entry in [*(m.base for m in request.modules), *request.extra_path]:
        if entry not in seen:
            seen.add(entry)
            yield entry


def run(request: StageRequest) -> StageResult:
    """Run one stage; a failure becomes the result's ``error``."""
    import keras  # noqa: F401 - imported before the user's folders join sys.path

    sys.path[:0] = list(_search_path(request))
    try:
        return _STAGES[request.stage](request)
    except StageFailure as failure:
        return StageResult(error=str(failure), stochastic=request.stochastic)
    except SystemExit as exc:
        return StageResult(
            error=f"{request.stage.value} stage failed: user code called sys.exit({exc.code!r})",
            stochastic=request.stochastic,
        )
    except Exception as exc:  # noqa: BLE001 - user code may raise anything
        return StageResult(
            error=f"{request.stage.value} stage failed: {first_line(exc)}",
            stochastic=request.stochastic,
        )


def main(argv: list[str]) -> int:
    if len(argv) != 2:
        sys.stderr.write("usage: verify_worker.py REQUEST.json\n")
        return 2
    request = request_from_json(Path(argv[1]).read_text("utf-8"))
    result = run(request)
    result_path(Path(request.workdir), request.stage).write_text(
        result_to_json(result), "utf-8"
    )
    failed = (
        result.error or result.mismatch or result.round_trip or result.evaluate_problem
    )
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
