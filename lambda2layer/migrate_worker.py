"""Child process of ``migrate``: RUNS USER CODE (the converted builder).

Stages, one fresh interpreter each:

* ``build``: build the model from the converted source, check the old
  artifact's weights against it by structure and shape, load them (read as h5
  datasets only, never the old config), predict on generated inputs, save the
  new ``.keras`` file to a temporary path;
* ``reload``: import only the generated module(s), load the new file with
  ``safe_mode=True``, predict, compare; a model the builder compiled must come
  back compiled, with the same ``evaluate`` values on generated targets;
* ``old``: only with ``--trust-old-artifact``: load the OLD artifact with unsafe
  deserialization and compare its outputs too.

Run as ``python -P migrate_worker.py REQUEST.json``; the result goes to
``<stage>.result.json`` in the work folder.
"""

from __future__ import annotations

import importlib
import importlib.util
import json
import sys
import zipfile
from dataclasses import asdict, dataclass
from pathlib import Path

_VW_PATH = Path(__file__).with_name("verify_worker.py")
_spec = importlib.util.spec_from_file_location("_l2l_verify_worker", _VW_PATH)
vw = importlib.util.module_from_spec(_spec)
sys.modules[_spec.name] = vw
_spec.loader.exec_module(vw)

INPUTS = "inputs.npz"
_OPTIMIZER = "optimizer/"
OUTPUTS = "outputs.npz"


@dataclass(frozen=True, slots=True)
class MigrateRequest:
    stage: str  # build | reload | old
    workdir: str
    modules: tuple[tuple[str, str], ...]  # (sys.path base, dotted name)
    extra_path: tuple[str, ...]
    builder: str
    kwargs_json: str
    old: str
    old_format: str  # keras | h5
    new_tmp: str
    atol: float
    seed: int = 0


@dataclass(frozen=True, slots=True)
class MigrateResult:
    error: str | None = None
    weights: int = 0
    max_abs_diff: float | None = None
    evaluated: bool = False  # compiled: the loss and metric values were compared


def _datasets(path: Path) -> dict[str, tuple[int, ...]]:
    import h5py

    found: dict[str, tuple[int, ...]] = {}
    with h5py.File(path, "r") as f:
        f.visititems(
            lambda name, obj: (
                found.__setitem__(name, tuple(obj.shape))
                if isinstance(obj, h5py.Dataset)
                else None
            )
        )
    return found


def _model_datasets(path: Path) -> dict[str, tuple[int, ...]]:
    """The layers' weights: an optimizer's state (a compiled model's, or an old
    artifact saved after training) is not carried over."""
    return {
        name: shape
        for name, shape in _datasets(path).items()
        if not name.startswith(_OPTIMIZER)
    }


def _check_keras3_weights(model, old_weights: Path, work: Path) -> int:
    """Both files keyed by layer path: every path and shape must agree."""
    new_weights = work / "layout.weights.h5"
    model.save_weights(new_weights)
    old, new = _model_datasets(old_weights), _model_datasets(new_weights)
    for path in sorted(set(old) | set(new)):
        if path not in old:
            raise vw.StageFailure(
                f"weights do not match: the new model has {path} {new[path]}, the old artifact has no such weight"
            )
        if path not in new:
            raise vw.StageFailure(
                f"weights do not match: the old artifact has {path} {old[path]}, the new model has no such weight"
            )
        if old[path] != new[path]:
            raise vw.StageFailure(
                f"weights do not match: {path} has shape {old[path]} in the old artifact, {new[path]} in the new model"
            )
    return len(old)


def _legacy_layers(path: Path) -> list[tuple[str, list[tuple[int, ...]]]]:
    import h5py

    def text(value) -> str:
        return value.decode("utf-8") if isinstance(value, bytes) else str(value)

    with h5py.File(path, "r") as f:
        group = f["model_weights"] if "model_weights" in f else f
        layers = []
        for name in (text(n) for n in group.attrs.get("layer_names", [])):
            weight_names = [text(w) for w in group[name].attrs.get("weight_names", [])]
            if weight_names:
                layers.append(
                    (name, [tuple(group[name][w].shape) for w in weight_names])
                )
        return layers


def _check_legacy_weights(model, old: Path) -> int:
    """Legacy h5 files key weights by layer order: compare layer by layer."""
    old_layers = _legacy_layers(old)
    new_layers = [
        (layer.name, [tuple(int(d) for d in w.shape) for w in layer.weights])
        for layer in model.layers
        if layer.weights
    ]
    for i, (old_layer, new_layer) in enumerate(zip(old_layers, new_layers)):
        if old_layer[1] != new_layer[1]:
            raise vw.StageFailure(
                f"weights do not match: layer {i} is {old_layer[0]!r} with shapes {old_layer[1]} in the old artifact, "
                f"{new_layer[0]!r} with shapes {new_layer[1]} in the new model"
            )
    if len(old_layers) != len(new_layers):
        raise vw.StageFailure(
            f"weights do not match: the old artifact has {len(old_layers)} layers with weights, the new model {len(new_layers)}"
        )
    return sum(len(shapes) for _, shapes in old_layers)


def _stage_request(req: MigrateRequest) -> vw.StageRequest:
    """The request verify's stages take, for the helpers shared with them."""
    return vw.StageRequest(
        vw.Stage.CONVERTED,
        req.workdir,
        tuple(vw.Module(b, n) for b, n in req.modules[:1]),
        req.extra_path,
        req.builder,
        req.kwargs_json,
        req.seed,
        req.atol,
    )


def run_build(req: MigrateRequest) -> MigrateResult:
    work = Path(req.workdir)
    model = vw.build(_stage_request(req), "converted")
    old = Path(req.old)
    if req.old_format == "keras":
        weights_file = work / "old.weights.h5"
        with zipfile.ZipFile(old) as archive:
            weights_file.write_bytes(archive.read("model.weights.h5"))
        count = _check_keras3_weights(model, weights_file, work)
        with vw._Step("loading the old weights failed"):
            model.load_weights(weights_file)
    else:
        count = _check_legacy_weights(model, old)
        with vw._Step("loading the old weights failed"):
            model.load_weights(old)
    inputs = vw.make_inputs(model, req.seed)
    outputs = vw.predict(model, inputs, "new model predict failed")
    vw.save_list(work / INPUTS, inputs)
    vw.save_list(work / OUTPUTS, outputs)
    evaluated = vw.is_compiled(model)
    if evaluated:
        targets = vw.make_targets(outputs, req.seed)
        found = vw.evaluate(model, inputs, targets, "new model evaluate failed")
        vw.save_list(work / vw.TARGETS_FILE, targets)
        vw.save_evaluation(work / vw.EVALUATION_FILE, found)
    with vw._Step("saving the new model failed"):
        model.save(req.new_tmp)
    return MigrateResult(weights=count, evaluated=evaluated)


def _compare_with_build(model, req: MigrateRequest, label: str) -> MigrateResult:
    work = Path(req.workdir)
    inputs = vw.load_list(work / INPUTS)
    outputs = vw.predict(model, inputs, f"{label} predict failed")
    result = vw.compare(vw.load_list(work / OUTPUTS), outputs, req.atol, False)
    if not result.equal:
        return MigrateResult(
            error=f"{label} outputs differ: {result.problem}",
            max_abs_diff=result.max_abs_diff,
        )
    return MigrateResult(max_abs_diff=result.max_abs_diff)


def run_reload(req: MigrateRequest) -> MigrateResult:
    import keras

    for base, name in req.modules[1:]:
        with vw._Step(f"importing generated module {name!r} failed"):
            importlib.import_module(name)
    with vw._Step("safe_mode reload of the new model failed"):
        model = keras.saving.load_model(req.new_tmp, safe_mode=True)
    result = _compare_with_build(model, req, "reloaded new model")
    if result.error:
        return result
    evaluation = vw.compare_evaluation(model, _stage_request(req), "reloaded new")
    if evaluation is None:
        return result
    return MigrateResult(
        error=evaluation.evaluate_problem,
        max_abs_diff=result.max_abs_diff,
        evaluated=True,
    )


def _source_scope(req: MigrateRequest) -> dict[str, object]:
    """The names the old lambdas were written against: the globals of the builder's
    module and of the generated modules (helpers moved there), builder's first."""
    scope: dict[str, object] = {}
    for _base, name in reversed(req.modules):
        with vw._Step(f"importing {name!r} for --compare failed"):
            module = importlib.import_module(name)
        scope.update((k, v) for k, v in vars(module).items() if not k.startswith("__"))
    return scope


def _captured(cell):
    """A closure cell as saved: a captured Keras tensor comes back as a symbolic
    tensor of the same shape and dtype (enough for a body that reads its shape)."""
    if isinstance(cell, dict) and cell.get("class_name") == "__keras_tensor__":
        import keras

        cfg = cell["config"]
        return keras.KerasTensor(tuple(cfg["shape"]), dtype=cfg["dtype"])
    return cell


def run_old(req: MigrateRequest) -> MigrateResult:
    """Load the OLD artifact with unsafe deserialization (the user trusts it). Keras 3
    rebuilds a saved lambda with Keras' own globals and finds a named function only if
    registered; so its lambdas get the source's module globals and its named functions
    are looked up there, as they were when the artifact was saved."""
    import keras
    from keras.src.layers.core import lambda_layer

    keras.config.enable_unsafe_deserialization()
    try:
        scope = _source_scope(req)
        real_load = lambda_layer.python_utils.func_load

        def func_load(code, defaults=None, closure=None, globs=None):
            if closure is not None:  # a captured tensor is saved as its spec only
                closure = tuple(_captured(cell) for cell in closure)
            return real_load(
                code, defaults, closure, globs if globs is not None else scope
            )

        functions = {k: v for k, v in scope.items() if callable(v)}
        lambda_layer.python_utils.func_load = func_load
        try:
            model = keras.saving.load_model(
                req.old, custom_objects=functions, safe_mode=False, compile=False
            )
        finally:
            lambda_layer.python_utils.func_load = real_load
        return _compare_with_build(model, req, "old artifact")
    except vw.StageFailure as failure:
        cause = str(failure)
    except (
        Exception
    ) as exc:  # noqa: BLE001 - the old artifact's code may raise anything
        cause = vw.first_line(exc)
        if "is not defined" in str(exc):
            missing = str(exc)[str(exc).find("name '") :].split("'")[1:2]
            cause = f"its Lambda code uses {missing[0] if missing else 'a name'!r}, a module global that Keras 3 does not restore when it rebuilds a lambda"
    raise vw.StageFailure(
        f"the old artifact could not be run for --compare ({cause}); run without --compare, or use `lambda2layer verify` on the source"
    )


def main(argv: list[str]) -> int:
    raw = json.loads(Path(argv[1]).read_text("utf-8"))
    raw["modules"] = tuple(tuple(m) for m in raw["modules"])
    raw["extra_path"] = tuple(raw["extra_path"])
    req = MigrateRequest(**raw)
    import keras  # noqa: F401 - before the user's folders join sys.path

    sys.path[:0] = list(dict.fromkeys([*(b for b, _ in req.modules), *req.extra_path]))
    stage = {"build": run_build, "reload": run_reload, "old": run_old}[req.stage]
    try:
        result = stage(req)
    except vw.StageFailure as failure:
        result = MigrateResult(error=str(failure))
    except Exception as exc:  # noqa: BLE001 - user code may raise anything
        result = MigrateResult(error=f"{req.stage} stage failed: {vw.first_line(exc)}")
    Path(req.workdir, f"{req.stage}.result.json").write_text(
        json.dumps(asdict(result)), "utf-8"
    )
    return 1 if result.error else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
