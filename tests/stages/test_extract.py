"""``extract.find_sites``: Keras ``Lambda`` constructions found by what the names import."""

from __future__ import annotations

import ast

import pytest

from lambda2layer.extract import canonical_module, find_sites, function_kind
from lambda2layer.scope import ModuleScopes


def sites(source: str):
    tree = ast.parse(source)
    return find_sites(tree, ModuleScopes(tree))


@pytest.mark.parametrize(
    "source",
    [
        "from tensorflow.keras import layers as KL\ny = KL.Lambda(f)(x)\n",
        "from keras.layers import Lambda as L\ny = L(f)(x)\n",
        "import tf_keras\ny = tf_keras.layers.Lambda(f)(x)\n",
        "from keras.src.layers.core.lambda_layer import Lambda\ny = Lambda(f)(x)\n",
    ],
)
def test_every_spelling_of_keras_lambda_is_found(source: str) -> None:
    (site,) = sites(source)
    assert (site.line, site.col) == (2, 5)
    assert ast.unparse(site.function) == "f" and site.application is not None


@pytest.mark.parametrize(
    "source",
    [
        "from mylib.layers import Lambda\ny = Lambda(f)(x)\n",
        "Lambda = make()\ny = Lambda(f)(x)\n",
        "y = 'layers.Lambda(f)(x)'\n",
    ],
)
def test_a_lambda_that_is_not_keras_is_no_site(source: str) -> None:
    assert sites(source) == []


def test_a_site_records_its_parameters_and_surroundings() -> None:
    inner, outer = sites(
        "from keras import layers\n"
        "up = layers.Lambda(lambda t: t, (4,), None, name='up', dtype='float32')\n"
        "w = layers.TimeDistributed(layers.Lambda(f, arguments={'a': 1}))(x)\n"
    )
    assert ast.unparse(inner.output_shape) == "(4,)" and inner.mask is None
    assert [kw.arg for kw in inner.kept_keywords] == ["name", "dtype"]
    assert (inner.layer_name, inner.assigned_to, inner.application) == (
        "up",
        "up",
        None,
    )
    assert (inner.wrapped, function_kind(inner)) == (False, "inline lambda")
    assert ast.unparse(outer.arguments) == "{'a': 1}"
    assert (outer.wrapped, function_kind(outer)) == (True, "named function")


@pytest.mark.parametrize(
    "qualified,canonical",
    [
        ("tensorflow.keras.layers", "keras.layers"),
        ("tensorflow.python.keras.layers", "keras.layers"),
        ("tf_keras", "keras"),
        ("kerasx.layers", None),
        ("numpy", None),
    ],
)
def test_canonical_module(qualified: str, canonical: str | None) -> None:
    assert canonical_module(qualified) == canonical
