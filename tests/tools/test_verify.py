"""``verify`` passes a correct conversion and catches deliberately broken ones.

The slow tests each start three interpreters that import TensorFlow; the broken
copies are made from one converted copy built once for the module.
"""

from __future__ import annotations

import ast
import json
import math
import shutil
import textwrap
from pathlib import Path

import numpy as np
import pytest

from lambda2layer.verify import (
    BuilderVerdict,
    VerifyError,
    convert_copy,
    import_site,
    parse_kwargs,
    parse_target,
    project_root,
    render_json,
    render_text,
    verify,
)
from lambda2layer.verify_worker import (
    Evaluation,
    compare,
    evaluation_problem,
    make_targets,
    make_weights,
)

MODEL = """
import keras
from keras import layers

SCALE = 2.0


def shift(x):
    return x + 1.0


def build_model(vocab=20):
    tokens = keras.Input((6,), dtype="int32", name="tokens")
    h = layers.Embedding(vocab, 4, mask_zero=True)(tokens)
    h = layers.Lambda(lambda x: x * 1.0, mask=lambda inputs, mask: mask)(h)
    h = layers.GlobalAveragePooling1D()(h)
    h = layers.Lambda(lambda t: t * SCALE)(h)
    h = layers.Lambda(lambda t: t * 2.0)(h)
    h = layers.Lambda(shift)(h)
    return keras.Model(tokens, layers.Dense(3)(h))


def mean_abs(y_true, y_pred):
    return keras.ops.mean(keras.ops.abs(y_true - y_pred))


def build_compiled(**_ignored):
    inp = keras.Input((4,))
    out = layers.Dense(2)(layers.Lambda(lambda t: t * SCALE)(inp))
    model = keras.Model(inp, out)
    model.compile(
        optimizer="adam",
        loss=lambda y_true, y_pred: keras.ops.mean(keras.ops.square(y_true - y_pred)) * 3.0,
        metrics=[mean_abs],
    )
    return model


def build_noisy(**_ignored):
    inp = keras.Input((4,))
    noisy = layers.Lambda(lambda t: t + keras.random.normal(keras.ops.shape(t)))(inp)
    return keras.Model(inp, noisy)
"""

LAYERS = "model_layers.py"


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("verify") / "proj"
    root.mkdir()
    (root / "pyproject.toml").write_text('[project]\nname = "proj"\n')
    (root / "model.py").write_text(textwrap.dedent(MODEL))
    return root


@pytest.fixture(scope="module")
def converted(project: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    copy = convert_copy(project, tmp_path_factory.mktemp("converted"))
    assert [site.module for site in copy.generated] == ["model_layers"]
    return copy.root


def broken_copy(converted: Path, tmp_path: Path, edit) -> Path:
    """A copy of the converted project with ``edit`` applied to the generated module."""
    copy = tmp_path / converted.name
    shutil.copytree(converted, copy)
    module = copy / LAYERS
    before = module.read_text()
    after = edit(before)
    assert after != before, "the break did not apply"
    module.write_text(after)
    return copy


def change_constant(text: str) -> str:
    assert text.count("return t * 2.0") == 1
    return text.replace("return t * 2.0", "return t * 3.0")


def drop_registration(text: str) -> str:
    """Drop the registration of every generated layer class (the loss and metric
    functions of ``build_compiled`` keep theirs)."""
    lines = text.splitlines(keepends=True)
    dropped = [
        i
        for i, line in enumerate(lines[:-1])
        if "register_keras_serializable" in line and lines[i + 1].startswith("class ")
    ]
    assert dropped, "no registered class found"
    return "".join(line for i, line in enumerate(lines) if i not in dropped)


def drop_mask(text: str) -> str:
    """Remove ``compute_mask`` (found with ast) and the ``supports_masking`` line."""
    method = next(
        node
        for node in ast.walk(ast.parse(text))
        if isinstance(node, ast.FunctionDef) and node.name == "compute_mask"
    )
    lines = text.splitlines(keepends=True)
    kept = lines[: method.lineno - 1] + lines[method.end_lineno :]
    return "".join(line for line in kept if "supports_masking" not in line)


def change_loss_factor(text: str) -> str:
    assert text.count("* 3.0") == 1
    return text.replace("* 3.0", "* 4.0")


def target(root: Path, builder: str = "build_model") -> str:
    return f"{root / 'model.py'}::{builder}"


# --- slow: real child processes ------------------------------------------------


@pytest.mark.runtime
def test_correct_conversion_passes(project: Path) -> None:
    verdicts = verify(
        [
            target(project),
            target(project, "build_noisy"),
            target(project, "build_compiled"),
        ],
        kwargs={"vocab": 12},
    )
    model, noisy, compiled = verdicts
    assert compiled.passed, compiled.reason
    assert compiled.evaluate_equal is True and compiled.safe_mode_reload
    assert model.evaluate_equal is None  # not compiled
    assert model.passed, model.reason
    assert model.outputs_equal and model.safe_mode_reload
    assert model.max_abs_diff is not None and model.max_abs_diff <= 1e-5
    assert not model.stochastic and model.reason is None
    assert noisy.passed, noisy.reason
    assert noisy.stochastic and noisy.max_abs_diff is None
    text = render_text(verdicts)
    assert "RUNS YOUR CODE" in text.splitlines()[0]
    assert "stochastic (shapes and finiteness compared)" in text
    assert "3 passed, 0 failed" in text
    assert "not compiled" in text and "equal" in text
    document = json.loads(render_json(verdicts))
    assert document["runs_user_code"] is True and document["passed"] is True
    assert not (project / "model_layers.py").exists(), "the user's project was written"
    assert "Lambda(" in (project / "model.py").read_text()


@pytest.mark.runtime
def test_wrong_constant_fails(project: Path, converted: Path, tmp_path: Path) -> None:
    copy = broken_copy(converted, tmp_path, change_constant)
    (verdict,) = verify([target(project)], converted=copy)
    assert not verdict.passed
    assert verdict.outputs_equal is False
    assert verdict.max_abs_diff is not None and verdict.max_abs_diff > 1e-5
    assert verdict.safe_mode_reload is True  # the round trip itself is faithful
    assert verdict.reason.startswith("converted model outputs differ: max abs diff")
    assert verdict.reason.endswith("> 1e-05")


@pytest.mark.runtime
def test_changed_loss_fails_evaluate(
    project: Path, converted: Path, tmp_path: Path
) -> None:
    copy = broken_copy(converted, tmp_path, change_loss_factor)
    (verdict,) = verify([target(project, "build_compiled")], converted=copy)
    assert not verdict.passed
    assert verdict.outputs_equal is True  # predict does not see the loss
    assert verdict.evaluate_equal is False
    assert verdict.reason.startswith("converted model: evaluate value 'loss' is")
    assert "DIFFER" in render_text([verdict])


@pytest.mark.runtime
def test_missing_registration_fails_safe_mode_reload(
    project: Path, converted: Path, tmp_path: Path
) -> None:
    copy = broken_copy(converted, tmp_path, drop_registration)
    (verdict,) = verify([target(project)], converted=copy)
    assert not verdict.passed
    assert verdict.outputs_equal is True
    assert verdict.safe_mode_reload is False
    assert verdict.reason.startswith(
        "safe_mode reload failed: TypeError: Could not locate class"
    )
    assert "FAIL" in render_text([verdict])


@pytest.mark.runtime
def test_dropped_mask_fails(project: Path, converted: Path, tmp_path: Path) -> None:
    copy = broken_copy(converted, tmp_path, drop_mask)
    padded = np.array([[3, 1, 4, 0, 0, 0], [5, 9, 2, 6, 0, 0]], dtype="int32")
    inputs = tmp_path / "padded.npz"
    np.savez(inputs, tokens=padded)
    (verdict,) = verify([target(project)], converted=copy, inputs=inputs)
    assert not verdict.passed
    assert verdict.outputs_equal is False
    assert verdict.reason.startswith("converted model outputs differ: max abs diff")


# --- fast: no child process ----------------------------------------------------


@pytest.mark.parametrize(
    ("text", "message"),
    [
        pytest.param("model.py", "expected FILE::BUILDER", id="no-separator"),
        pytest.param("::build", "expected FILE::BUILDER", id="no-file"),
        pytest.param("{dir}/model.py::", "expected FILE::BUILDER", id="no-builder"),
        pytest.param("{dir}/model.py::build-it", "not a Python name", id="bad-builder"),
        pytest.param(
            "{dir}/model.py::class", "not a Python name", id="keyword-builder"
        ),
        pytest.param("{dir}/absent.py::build", "no such file", id="missing-file"),
        pytest.param("{dir}/notes.txt::build", "not a Python file", id="not-python"),
        pytest.param("{dir}/my-model.py::build", "cannot be imported", id="bad-stem"),
    ],
)
def test_bad_targets_raise(tmp_path: Path, text: str, message: str) -> None:
    for name in ("model.py", "notes.txt", "my-model.py"):
        (tmp_path / name).write_text("")
    with pytest.raises(VerifyError, match=message):
        parse_target(text.format(dir=tmp_path))
    with pytest.raises(VerifyError, match=message):
        verify([text.format(dir=tmp_path)])


def test_parse_target_accepts_dotted_builder(tmp_path: Path) -> None:
    (tmp_path / "model.py").write_text("class Factory:\n    pass\n")
    path, builder = parse_target(f"{tmp_path}/model.py::Factory.build")
    assert path == tmp_path / "model.py" and builder == "Factory.build"


def test_usage_errors_raise(tmp_path: Path) -> None:
    (tmp_path / "model.py").write_text("def build():\n    pass\n")
    good = f"{tmp_path}/model.py::build"
    with pytest.raises(VerifyError, match="no FILE::BUILDER"):
        verify([])
    with pytest.raises(VerifyError, match="no such folder"):
        verify([good], converted=tmp_path / "nowhere")
    with pytest.raises(VerifyError, match="no such file"):
        verify([good], inputs=tmp_path / "nowhere.npz")
    with pytest.raises(VerifyError, match="atol"):
        verify([good], atol=-1.0)
    with pytest.raises(VerifyError, match="JSON values"):
        verify([good], kwargs={"x": object()})
    empty = tmp_path / "empty"
    empty.mkdir()
    with pytest.raises(VerifyError, match="no converted model.py"):
        verify([good], converted=empty)


@pytest.mark.parametrize(
    ("text", "expected"),
    [(None, {}), ("", {}), ('{"units": 4}', {"units": 4})],
)
def test_parse_kwargs(text: str | None, expected: dict) -> None:
    assert parse_kwargs(text) == expected


@pytest.mark.parametrize("text", ["{units: 4}", "[1, 2]"])
def test_parse_kwargs_rejects(text: str) -> None:
    with pytest.raises(VerifyError, match="--kwargs"):
        parse_kwargs(text)


def test_layout_of_a_package(tmp_path: Path) -> None:
    (tmp_path / "setup.cfg").write_text("")
    package = tmp_path / "src" / "pkg" / "models"
    package.mkdir(parents=True)
    for folder in (package, package.parent):
        (folder / "__init__.py").write_text("")
    file = package / "net.py"
    file.write_text("")
    assert project_root(file) == tmp_path
    site = import_site(file, tmp_path)
    assert site.module == "pkg.models.net" and site.base == tmp_path / "src"


def test_layout_without_markers_is_the_files_folder(tmp_path: Path) -> None:
    file = tmp_path / "model.py"
    file.write_text("")
    assert import_site(file, project_root(file)).module == "model"


@pytest.mark.parametrize(
    ("expected", "actual", "stochastic", "equal", "problem"),
    [
        pytest.param([np.ones(3)], [np.ones(3)], False, True, None, id="same"),
        pytest.param(
            [np.ones(3)],
            [np.ones(3) * 1.5],
            False,
            False,
            "max abs diff 0.5 > 1e-05",
            id="differ",
        ),
        pytest.param([np.ones(3)], [np.ones(4)], False, False, "shape", id="shape"),
        pytest.param([np.ones(3)], [], False, False, "1 outputs", id="count"),
        pytest.param([np.ones(3)], [np.zeros(3)], True, True, None, id="stochastic"),
        pytest.param(
            [np.ones(3)],
            [np.array([1, np.inf, 1])],
            True,
            False,
            "non-finite",
            id="stochastic-inf",
        ),
        pytest.param(
            [np.array([np.nan])], [np.array([np.nan])], False, True, None, id="nan-both"
        ),
    ],
)
def test_compare(expected, actual, stochastic, equal, problem) -> None:
    found = compare(expected, actual, 1e-5, stochastic)
    assert found.equal is equal
    if problem is None:
        assert found.problem is None
    else:
        assert problem in found.problem


def test_targets_follow_the_outputs() -> None:
    outputs = [np.zeros((2, 3), "float32"), np.zeros((2,), "int32")]
    first, second = make_targets(outputs, 0), make_targets(outputs, 0)
    assert [t.shape for t in first] == [(2, 3), (2,)]
    assert [t.dtype for t in first] == [np.float32, np.int32]
    assert ((first[0] >= 0) & (first[0] < 1)).all() and set(first[1]) <= {0, 1}
    assert all(np.array_equal(a, b) for a, b in zip(first, second))


@pytest.mark.parametrize(
    ("actual", "problem"),
    [
        pytest.param((0.5, 2.0), None, id="equal"),
        pytest.param((0.5, 2.0 + 1e-7), None, id="within-tolerance"),
        pytest.param(
            (0.5, 2.1), "evaluate value 'mae' is 2 originally, 2.1", id="differ"
        ),
        pytest.param(
            (0.5,), "evaluate gives 2 values originally (loss, mae)", id="count"
        ),
    ],
)
def test_evaluation_problem(actual, problem) -> None:
    expected = Evaluation(("loss", "mae"), (0.5, 2.0))
    names = ("loss", "mae")[: len(actual)]
    found = evaluation_problem(expected, Evaluation(names, actual), 1e-5)
    if problem is None:
        assert found is None
    else:
        assert found is not None and found.startswith(problem)


def test_weights_are_deterministic_and_variances_positive() -> None:
    class Variable:
        def __init__(self, path: str, shape: tuple[int, ...]) -> None:
            self.path, self.name, self.shape, self.dtype = path, path, shape, "float32"

    class Model:
        weights = (Variable("bn/gamma", (4,)), Variable("bn/moving_variance", (4,)))

    first, second = make_weights(Model(), 0), make_weights(Model(), 0)
    assert all(np.array_equal(a, b) for a, b in zip(first, second))
    assert (first[1] > 0).all()
    assert not np.array_equal(first[0], make_weights(Model(), 1)[0])


def test_render_text_explains_failures() -> None:
    failed = BuilderVerdict(
        target="m.py::build",
        passed=False,
        outputs_equal=None,
        max_abs_diff=None,
        stochastic=False,
        safe_mode_reload=None,
        seconds=3.0,
        evaluate_equal=None,
        reason="weights differ: original has 4 arrays, converted 3",
    )
    text = render_text([failed])
    assert "RUNS YOUR CODE" in text
    assert "m.py::build: weights differ: original has 4 arrays, converted 3" in text
    assert "0 passed, 1 failed" in text
    record = json.loads(render_json([failed]))["builders"][0]
    assert record["passed"] is False and math.isclose(record["seconds"], 3.0)


def test_project_root_without_markers_is_above_the_top_package(tmp_path: Path) -> None:
    from lambda2layer.verify import import_site, project_root

    nets = tmp_path / "proj" / "myproj" / "nets"
    nets.mkdir(parents=True)
    for folder in (nets, nets.parent):
        (folder / "__init__.py").write_text("")
    (nets / "classifier.py").write_text("x = 1\n")
    root = project_root(nets / "classifier.py")
    assert root == (tmp_path / "proj").resolve()
    site = import_site((nets / "classifier.py").resolve(), root)
    assert site.module == "myproj.nets.classifier"
