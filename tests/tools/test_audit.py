"""``lambda2layer.audit``: saved model files are inspected, never loaded.

Real artifacts are built once per session by Keras 3 in a subprocess; hostile
and broken files are crafted by hand with ``zipfile`` and ``h5py``.
"""

from __future__ import annotations

import ast
import base64
import json
import marshal
import os
import subprocess
import sys
import textwrap
import zipfile
from dataclasses import dataclass
from pathlib import Path

import h5py
import pytest

from lambda2layer import audit
from lambda2layer.audit import (
    AuditResult,
    audit_file,
    audit_paths,
    exit_code,
    render_json,
    render_text,
)

GENERATOR = r"""
import json, os, sys
from pathlib import Path

import keras
from keras import layers

out = Path(sys.argv[1])
marker = out / "PWNED"


@keras.saving.register_keras_serializable(package="audit_demo")
def scale(x, factor=1.0):
    return x * factor


def nested_model():
    inp = keras.Input((4,), name="inp")
    x = layers.Lambda(lambda t: t * 2.0, name="double")(inp)
    x = layers.Lambda(
        scale, arguments={"factor": 0.5}, output_shape=(4,), name="scale"
    )(x)
    enc_in = keras.Input((4,))
    block = keras.Sequential(
        [
            keras.Input((4,)),
            layers.Lambda(scale, arguments={"factor": 3.0}, name="seqscale"),
        ],
        name="block",
    )
    normalized = layers.Lambda(lambda t: t - 1.0, name="normalize")(enc_in)
    encoder = keras.Model(enc_in, block(normalized), name="encoder")
    x = layers.Dense(2, name="head")(encoder(x))
    return keras.Model(inp, x, name="outer")


def named_only_model():
    inp = keras.Input((4,))
    x = layers.Lambda(scale, arguments={"factor": 2.0}, name="halve")(inp)
    return keras.Model(inp, x, name="named_only")


def clean_model():
    inp = keras.Input((4,))
    return keras.Model(inp, layers.Dense(3, name="dense")(inp), name="clean")


def trap_model():
    payload = eval(f"lambda x: (open({str(marker)!r}, 'w').close(), x)[1]")
    inp = keras.Input((4,))
    return keras.Model(inp, layers.Lambda(payload, name="trap")(inp), name="trap")


model = nested_model()
model.save(out / "nested.keras")
model.save(out / "nested.h5")
named_only_model().save(out / "named_only.keras")
clean = clean_model()
clean.save(out / "clean.keras")
clean.save(out / "clean.h5")
clean.save_weights(out / "clean.weights.h5")

trap = trap_model()  # building the model calls the lambda once
marker.unlink()
trap.save(out / "trap.keras")
keras.saving.load_model(out / "trap.keras", safe_mode=False)
armed = marker.exists()
marker.unlink(missing_ok=True)

(out / "manifest.json").write_text(
    json.dumps({"keras_version": keras.__version__, "trap_armed": armed})
)
"""


@dataclass(frozen=True, slots=True)
class Artifacts:
    root: Path
    keras_version: str
    marker: Path

    def __truediv__(self, name: str) -> Path:
        return self.root / name


@pytest.fixture(scope="session")
def artifacts(tmp_path_factory: pytest.TempPathFactory) -> Artifacts:
    root = tmp_path_factory.mktemp("saved_models")
    script = root.parent / "generate_artifacts.py"
    script.write_text(GENERATOR)
    env = dict(os.environ, KERAS_BACKEND="tensorflow", TF_CPP_MIN_LOG_LEVEL="3")
    done = subprocess.run(
        [sys.executable, str(script), str(root)],
        check=False,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    manifest = json.loads((root / "manifest.json").read_text())
    assert manifest["trap_armed"], "the booby-trapped lambda must really fire"
    return Artifacts(root, manifest["keras_version"], root / "PWNED")


def by_path(result: AuditResult) -> dict[str, audit.LambdaFinding]:
    return {finding.layer_path: finding for finding in result.lambdas}


def kinds(result: AuditResult) -> set[str]:
    return {finding.kind for finding in result.unsafe}


# -- real Keras 3 artifacts ----------------------------------------------------------

EXPECTED_NESTED = {
    "outer/double": ("double", "bytecode", None, {}, None),
    "outer/scale": ("scale", "named", "audit_demo>scale", {"factor": 0.5}, [4]),
    "outer/encoder/normalize": ("normalize", "bytecode", None, {}, None),
    "outer/encoder/block/seqscale": (
        "seqscale",
        "named",
        "audit_demo>scale",
        {"factor": 3.0},
        None,
    ),
}


@pytest.mark.runtime
@pytest.mark.parametrize("name", ["nested.keras", "nested.h5"])
def test_lists_every_lambda_with_its_place_and_config(
    artifacts: Artifacts, name: str
) -> None:
    result = audit_file(artifacts / name)
    assert result.error is None
    assert result.format == name.rsplit(".", 1)[1]
    assert result.keras_version == artifacts.keras_version
    found = {
        path: (f.name, f.function_kind, f.function_ref, f.arguments, f.output_shape)
        for path, f in by_path(result).items()
    }
    assert found == EXPECTED_NESTED
    assert [f.layer_path for f in result.lambdas] == list(EXPECTED_NESTED)
    assert {f.keras_version for f in result.lambdas} == {artifacts.keras_version}
    assert {f.path for f in result.lambdas} == {str(artifacts / name)}


@pytest.mark.runtime
@pytest.mark.parametrize("name", ["nested.keras", "nested.h5"])
def test_bytecode_lambdas_are_unsafe_and_named_ones_are_not(
    artifacts: Artifacts, name: str
) -> None:
    result = audit_file(artifacts / name)
    assert [(u.kind, u.where) for u in result.unsafe] == [
        ("bytecode", "outer/double:config.function"),
        ("bytecode", "outer/encoder/normalize:config.function"),
    ]
    assert result.status == "unsafe"
    assert exit_code([result]) == 1


@pytest.mark.runtime
def test_h5_backend_attribute_is_read(artifacts: Artifacts) -> None:
    assert audit_file(artifacts / "nested.h5").backend == "tensorflow"


@pytest.mark.runtime
def test_named_function_lambdas_alone_are_clean(artifacts: Artifacts) -> None:
    result = audit_file(artifacts / "named_only.keras")
    assert [
        (f.layer_path, f.function_kind, f.function_ref) for f in result.lambdas
    ] == [("named_only/halve", "named", "audit_demo>scale")]
    assert result.unsafe == ()
    assert exit_code([result]) == 0


@pytest.mark.runtime
@pytest.mark.parametrize("name", ["clean.keras", "clean.h5"])
def test_model_without_lambda_is_clean(artifacts: Artifacts, name: str) -> None:
    result = audit_file(artifacts / name)
    assert (result.error, result.lambdas, result.unsafe) == (None, (), ())
    assert exit_code([result]) == 0


@pytest.mark.runtime
def test_weights_only_h5_is_clean_with_a_note(artifacts: Artifacts) -> None:
    result = audit_file(artifacts / "clean.weights.h5")
    assert result.status == "clean"
    assert [note.kind for note in result.notes] == ["weights-only"]


@pytest.mark.runtime
def test_booby_trapped_lambda_is_reported_and_never_runs(
    artifacts: Artifacts,
) -> None:
    assert not artifacts.marker.exists()
    result = audit_file(artifacts / "trap.keras")
    assert not artifacts.marker.exists()
    assert [(f.layer_path, f.function_kind) for f in result.lambdas] == [
        ("trap/trap", "bytecode")
    ]
    (finding,) = result.unsafe
    assert (finding.kind, finding.where) == ("bytecode", "trap/trap:config.function")
    assert "open" in finding.detail and "close" in finding.detail
    assert exit_code([result]) == 1


@pytest.mark.runtime
def test_directory_scan_is_recursive_and_sorted(
    artifacts: Artifacts, tmp_path: Path
) -> None:
    (tmp_path / "sub" / "deeper").mkdir(parents=True)
    (tmp_path / "sub" / "deeper" / "b.h5").write_bytes(
        (artifacts / "clean.h5").read_bytes()
    )
    (tmp_path / "sub" / "a.keras").write_bytes((artifacts / "clean.keras").read_bytes())
    (tmp_path / "README.txt").write_text("not a model")
    (tmp_path / "sub" / "model.py").write_text("import keras\n")
    results = audit_paths([tmp_path, tmp_path / "sub" / "a.keras"])
    assert [Path(r.path).relative_to(tmp_path).as_posix() for r in results] == [
        "sub/a.keras",
        "sub/deeper/b.h5",
    ]
    assert exit_code(results) == 0


@pytest.mark.runtime
def test_audit_loads_neither_keras_nor_tensorflow(artifacts: Artifacts) -> None:
    code = textwrap.dedent(f"""
        import sys
        from pathlib import Path
        from lambda2layer.audit import audit_paths, exit_code
        results = audit_paths([Path({str(artifacts.root)!r})])
        loaded = sorted(
            m for m in sys.modules if m.split(".")[0] in {{"keras", "tensorflow"}}
        )
        print(exit_code(results), len(results), loaded)
        """)
    done = subprocess.run(
        [sys.executable, "-c", code],
        check=False,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["1", "7", "[]"]
    assert not artifacts.marker.exists()


def test_audit_module_imports_nothing_that_could_run_model_code() -> None:
    tree = ast.parse(Path(audit.__file__).read_text())
    imported = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            imported |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module:
            imported.add(node.module.split(".")[0])
    forbidden = {"marshal", "pickle", "dill", "cloudpickle", "keras", "tensorflow"}
    assert not imported & (forbidden | {"importlib", "tf_keras"})
    calls = {
        node.func.id
        for node in ast.walk(tree)
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name)
    }
    assert not calls & {"eval", "exec", "compile", "__import__"}


# -- hand-crafted hostile configs ----------------------------------------------------


def layer(class_name: str, name: str, module: str | None = "keras.layers", **config):
    return {
        "module": module,
        "class_name": class_name,
        "config": {"name": name, "trainable": True, **config},
        "registered_name": None,
    }


def functional(name: str, *layers: dict) -> dict:
    return {
        "module": "keras.src.models.functional",
        "class_name": "Functional",
        "config": {"name": name, "trainable": True, "layers": list(layers)},
        "registered_name": "Functional",
    }


def write_keras(path: Path, config: object, version: str = "3.15.1") -> Path:
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("metadata.json", json.dumps({"keras_version": version}))
        archive.writestr("config.json", json.dumps(config))
    return path


def code_b64(source: str) -> str:
    """What Keras stores for a lambda: base64 of marshalled code (test input only)."""
    code = compile(source, "<crafted>", "eval").co_consts[0]
    return base64.b64encode(marshal.dumps(code)).decode("ascii")


HOSTILE = functional(
    "evil",
    layer("system", "pwn", module="os", command="touch /tmp/x"),
    layer("TFSMLayer", "tfsm", filepath="/models/exported", call_endpoint="serve"),
    layer(
        "Dense",
        "dense",
        units=2,
        activation={
            "module": "builtins",
            "class_name": "function",
            "config": "eval",
            "registered_name": "function",
        },
    ),
    layer(
        "Dense",
        "note",
        units=2,
        doc="call keras.config.enable_unsafe_deserialization()",
    ),
    layer(
        "Lambda",
        "shape_by_code",
        function={
            "module": "builtins",
            "class_name": "function",
            "config": "pkg>fn",
            "registered_name": "function",
        },
        output_shape={
            "class_name": "__lambda__",
            "config": {"code": code_b64("lambda s: s"), "defaults": None},
        },
        arguments={"k": {"class_name": "__tuple__", "config": {"value": [1, 2]}}},
    ),
    {
        "module": "keras.utils",
        "class_name": "function",
        "config": "get_file",
        "registered_name": "function",
    },
    layer("Popen", "spawn", module="subprocess"),
    layer("Mystery", "mystery", module="evil_pkg.layers"),
    {
        "module": "my_project.layers",
        "class_name": "Scale",
        "config": {"name": "custom", "trainable": True},
        "registered_name": "my_project>Scale",
    },
)


def test_hostile_config_entries_are_flagged(tmp_path: Path) -> None:
    result = audit_file(write_keras(tmp_path / "evil.keras", HOSTILE))
    flagged = {(u.kind, u.where) for u in result.unsafe}
    assert flagged == {
        ("stdlib-module", "evil/pwn"),
        ("tfsm-layer", "evil/tfsm"),
        ("stdlib-module", "evil/dense:config.activation"),
        ("unsafe-deserialization", "evil/note:config.doc"),
        ("bytecode", "evil/shape_by_code:config.output_shape"),
        ("non-modeling-api", "evil:config.layers[5]"),
        ("stdlib-module", "evil/spawn"),
        ("non-keras-module", "evil/mystery"),
    }
    (lam,) = result.lambdas
    assert (lam.function_kind, lam.function_ref) == ("named", "pkg>fn")
    assert lam.output_shape == "<bytecode lambda>"
    assert lam.arguments == {"k": [1, 2]}
    tfsm = next(u for u in result.unsafe if u.kind == "tfsm-layer")
    assert "/models/exported" in tfsm.detail
    assert exit_code([result]) == 1


def test_registered_custom_objects_are_notes_not_unsafe(tmp_path: Path) -> None:
    custom = {
        "module": "my_project.layers",
        "class_name": "Scale",
        "config": {"name": "custom", "trainable": True},
        "registered_name": "my_project>Scale",
    }
    main_custom = {**custom, "module": None, "registered_name": "Scale"}
    path = write_keras(tmp_path / "custom.keras", functional("m", custom, main_custom))
    result = audit_file(path)
    assert result.unsafe == ()
    assert [(n.kind, n.where) for n in result.notes] == [
        ("registered-object", "m/custom"),
        ("registered-object", "m/custom"),
    ]
    assert exit_code([result]) == 0


def test_lambda_inside_a_wrapper_is_found(tmp_path: Path) -> None:
    inner = layer(
        "Lambda", "per_step", function={"class_name": "__lambda__", "config": {}}
    )
    wrapper = layer("TimeDistributed", "td", layer=inner)
    result = audit_file(write_keras(tmp_path / "w.keras", functional("m", wrapper)))
    assert [(f.layer_path, f.function_kind) for f in result.lambdas] == [
        ("m/td/per_step", "bytecode")
    ]


def write_legacy_h5(path: Path, config: object, **attrs: bytes) -> Path:
    with h5py.File(path, "w") as handle:
        handle.attrs["model_config"] = json.dumps(config).encode("utf-8")
        for key, value in attrs.items():
            handle.attrs[key] = value
    return path


def legacy_lambda(name: str, **config: object) -> dict:
    return {
        "class_name": "Lambda",
        "config": {"name": name, "trainable": True, "dtype": "float32", **config},
        "name": name,
        "inbound_nodes": [],
    }


def test_tf_keras_2_h5_lambdas(tmp_path: Path) -> None:
    config = {
        "class_name": "Functional",
        "config": {
            "name": "model",
            "layers": [
                legacy_lambda(
                    "inline",
                    function=[code_b64("lambda x: x * 2"), None, None],
                    function_type="lambda",
                    module="__main__",
                    output_shape=[code_b64("lambda s: s"), None, None],
                    output_shape_type="lambda",
                    output_shape_module=None,
                    arguments={},
                ),
                legacy_lambda(
                    "named",
                    function="my_fn",
                    function_type="function",
                    module="my_models",
                    output_shape=[3],
                    output_shape_type="raw",
                    arguments={"axis": -1},
                ),
                legacy_lambda(
                    "shell",
                    function="system",
                    function_type="function",
                    module="os",
                    arguments={},
                ),
            ],
        },
    }
    path = write_legacy_h5(
        tmp_path / "tf2.h5", config, keras_version=b"2.15.0", backend=b"tensorflow"
    )
    result = audit_file(path)
    assert (result.keras_version, result.backend) == ("2.15.0", "tensorflow")
    assert [
        (f.layer_path, f.function_kind, f.function_ref, f.arguments, f.output_shape)
        for f in result.lambdas
    ] == [
        ("model/inline", "bytecode", None, {}, "<bytecode lambda>"),
        ("model/named", "named", "my_models.my_fn", {"axis": -1}, [3]),
        ("model/shell", "named", "os.system", {}, None),
    ]
    assert [(u.kind, u.where) for u in result.unsafe] == [
        ("bytecode", "model/inline:config.function"),
        ("bytecode", "model/inline:config.output_shape"),
        ("stdlib-module", "model/shell:config.module"),
    ]
    assert {f.keras_version for f in result.lambdas} == {"2.15.0"}


def test_training_config_is_scanned_too(tmp_path: Path) -> None:
    with h5py.File(tmp_path / "t.h5", "w") as handle:
        handle.attrs["model_config"] = json.dumps(functional("m"))
        handle.attrs["training_config"] = json.dumps(
            {"loss": {"class_name": "__lambda__", "config": {"value": ["", None]}}}
        )
    result = audit_file(tmp_path / "t.h5")
    assert [(u.kind, u.where) for u in result.unsafe] == [
        ("bytecode", "training_config:loss")
    ]


# -- unreadable input ----------------------------------------------------------------


def assert_unreadable(result: AuditResult, path: Path, *words: str) -> None:
    assert result.error is not None and result.error.startswith(f"{path}: ")
    for word in words:
        assert word in result.error
    assert (result.status, exit_code([result])) == ("error", 2)


@pytest.mark.runtime
def test_truncated_keras_archive(artifacts: Artifacts, tmp_path: Path) -> None:
    data = (artifacts / "nested.keras").read_bytes()
    path = tmp_path / "truncated.keras"
    path.write_bytes(data[: len(data) // 2])
    assert_unreadable(audit_file(path), path, "corrupt or truncated zip")


@pytest.mark.runtime
def test_corrupt_config_member(artifacts: Artifacts, tmp_path: Path) -> None:
    path = tmp_path / "crc.keras"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_STORED) as archive:
        archive.writestr("config.json", json.dumps(functional("m")))
    data = bytearray(path.read_bytes())
    start = data.index(b'"module"')
    data[start + 1 : start + 7] = b"XXXXXX"
    path.write_bytes(bytes(data))
    assert_unreadable(audit_file(path), path, "config.json")


def test_archive_without_config(tmp_path: Path) -> None:
    path = tmp_path / "empty.keras"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("metadata.json", "{}")
    assert_unreadable(audit_file(path), path, "no config.json")


def test_config_that_is_not_json(tmp_path: Path) -> None:
    path = tmp_path / "bad.keras"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("config.json", "{not json")
    assert_unreadable(audit_file(path), path, "config.json is not valid JSON")


@pytest.mark.parametrize("text", ["null", "[1, 2]", '"model"'])
def test_config_that_is_not_an_object(tmp_path: Path, text: str) -> None:
    path = tmp_path / "odd.keras"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("config.json", text)
    assert_unreadable(audit_file(path), path, "not a model config object")


def test_text_file_renamed_keras(tmp_path: Path) -> None:
    path = tmp_path / "notes.keras"
    path.write_text("just some text\n")
    assert_unreadable(audit_file(path), path, "not a zip archive")


def test_empty_file(tmp_path: Path) -> None:
    path = tmp_path / "empty.h5"
    path.write_bytes(b"")
    assert_unreadable(audit_file(path), path, "empty file")


@pytest.mark.runtime
def test_truncated_h5(artifacts: Artifacts, tmp_path: Path) -> None:
    data = (artifacts / "nested.h5").read_bytes()
    path = tmp_path / "truncated.h5"
    path.write_bytes(data[: len(data) // 2])
    assert_unreadable(audit_file(path), path, "unreadable HDF5 file")


def test_h5_that_is_not_a_model(tmp_path: Path) -> None:
    path = tmp_path / "data.h5"
    with h5py.File(path, "w") as handle:
        handle.create_dataset("x", data=[1, 2, 3])
    assert_unreadable(audit_file(path), path, "no model_config")


def test_missing_path(tmp_path: Path) -> None:
    path = tmp_path / "gone.keras"
    (result,) = audit_paths([path])
    assert_unreadable(result, path, "no such file")


def test_empty_directory_is_clean(tmp_path: Path) -> None:
    assert audit_paths([tmp_path]) == []
    assert exit_code([]) == 0
    assert "no model files found" in render_text([])


@pytest.mark.runtime
def test_unreadable_wins_over_unsafe(artifacts: Artifacts, tmp_path: Path) -> None:
    broken = tmp_path / "broken.keras"
    broken.write_text("x")
    results = audit_paths([artifacts / "nested.keras", broken])
    assert [r.status for r in results] == ["unsafe", "error"]
    assert exit_code(results) == 2


# -- rendering -----------------------------------------------------------------------


@pytest.mark.runtime
def test_text_report_puts_summary_first(artifacts: Artifacts, tmp_path: Path) -> None:
    broken = tmp_path / "broken.keras"
    broken.write_text("x")
    results = audit_paths([artifacts / "nested.keras", artifacts / "clean.h5", broken])
    text = render_text(results)
    first, *rest = text.splitlines()
    assert first == (
        "lambda2layer audit: 3 file(s): 1 clean, 1 unsafe, 1 unreadable; "
        "4 Lambda layer(s) (2 bytecode), 2 unsafe finding(s)"
    )
    body = "\n".join(rest)
    assert "outer/encoder/block/seqscale" in body
    assert "named audit_demo>scale" in body
    assert '{"factor": 0.5}' in body
    assert f"{broken}: ERROR not a zip archive" in body
    assert "4wEAAA" not in text  # no bytecode blobs in the report


@pytest.mark.runtime
def test_json_report_round_trips(artifacts: Artifacts) -> None:
    results = audit_paths([artifacts / "nested.keras", artifacts / "clean.keras"])
    document = json.loads(render_json(results))
    assert document["exit_code"] == 1
    assert document["summary"]["lambdas"] == 4
    nested, clean = document["files"]
    assert (nested["status"], clean["status"]) == ("unsafe", "clean")
    assert nested["keras_version"] == artifacts.keras_version
    assert [lam["layer_path"] for lam in nested["lambdas"]] == list(EXPECTED_NESTED)
    assert nested["lambdas"][1]["arguments"] == {"factor": 0.5}
    assert nested["unsafe"][0]["kind"] == "bytecode"
