"""``naming``: class, parameter and registration names (collision-free, stable)."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from lambda2layer import naming
from lambda2layer.project import ProjectIndex


@pytest.mark.parametrize(
    "text,camel,snake",
    [
        ("add_two", "AddTwo", "add_two"),
        ("half-c", "HalfC", "half_c"),
        ("CONV_WIDTH", "CONVWIDTH", "conv_width"),  # inner capitals are kept
        ("_TRACE_LOCK", "TRACELOCK", "trace_lock"),
        ("2d", "Layer2d", "value_2d"),
        ("batchNorm", "BatchNorm", "batch_norm"),
    ],
)
def test_camel_and_snake(text: str, camel: str, snake: str) -> None:
    assert (naming.camel(text), naming.snake(text)) == (camel, snake)


def test_parameter_names_shadow_nothing_and_never_repeat() -> None:
    taken: set[str] = set()
    got = [
        naming.parameter_name(raw, taken)
        for raw in ["name", "_lock", "W", "w", "class"]
    ]
    assert got == ["name_value", "lock", "w", "w_2", "class_value"]
    assert taken == set(got)


def test_class_names_avoid_taken_and_keras_names() -> None:
    taken = {"Scale"}
    got = [
        naming.unique_class_name(b, taken) for b in ["Scale", "Scale", "Dense", "Slice"]
    ]
    assert got == ["ScaleLayer", "ScaleLayer2", "DenseLayer", "Slice"]


@pytest.mark.parametrize(
    "body,name",
    [
        ("tf.nn.relu(t)", "Relu"),
        ("t * 2", "Scale"),
        ("t[:, 0]", "Slice"),
        ("[t, t]", "Split"),
        ("-t", "Negate"),
        ("t if c else 0", "Conditional"),
        ("t % 2", "Elementwise"),
        ("t", "Function"),
    ],
)
def test_body_name(body: str, name: str) -> None:
    assert naming.body_name(ast.parse(body, mode="eval").body) == name


def test_registration_package_is_the_dotted_path_from_the_project_root(
    tmp_path: Path,
) -> None:
    (tmp_path / "pyproject.toml").write_text("")
    (tmp_path / "src" / "my-app").mkdir(parents=True)
    parts = ProjectIndex().module_parts(tmp_path / "src" / "my-app" / "model.v2.py")
    assert parts == ("src", "my-app", "model.v2")
    assert naming.registration_package(parts) == "l2l.src.my_app.model_v2"
    assert naming.registration_package(parts, "acme") == "acme.src.my_app.model_v2"
