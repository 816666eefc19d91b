"""The translation table, entry by entry: the exact Keras 3 text each Keras-2 call
is rewritten to (its numbers are checked against tf_keras in
tests/runtime/test_legacy_numeric.py), and what the engine refuses."""

from __future__ import annotations

import ast

import pytest

from lambda2layer.legacy.rewrite import classify, problems, rewrite
from lambda2layer.legacy.table import BACKEND, TENSORFLOW

IMPORTS = {"K": "keras.backend", "tf": "tensorflow", "kb": "keras.backend.sum"}

# (table key, Keras 2 call, Keras 3 text)
ROWS = [
    ("sum", "K.sum(x)", "ops.sum(x)"),
    ("sum", "K.sum(x, 1, True)", "ops.sum(x, axis=1, keepdims=True)"),
    ("mean", "K.mean(x, axis=1)", "ops.mean(x, axis=1)"),
    ("max", "K.max(x, axis=-1, keepdims=True)", "ops.max(x, axis=-1, keepdims=True)"),
    ("min", "K.min(x, keepdims=True)", "ops.min(x, keepdims=True)"),
    ("prod", "K.prod(x, axis=(1, 2))", "ops.prod(x, axis=(1, 2))"),
    ("std", "K.std(x, axis=0)", "ops.std(x, axis=0)"),
    ("var", "K.var(x, 2)", "ops.var(x, axis=2)"),
    ("any", "K.any(x > 0, axis=1)", "ops.any(x > 0, axis=1)"),
    ("all", "K.all(x > 0)", "ops.all(x > 0)"),
    # Keras 2's default axis is -1, keras.ops' is None: made explicit
    ("argmax", "K.argmax(x)", "ops.argmax(x, axis=-1)"),
    ("argmin", "K.argmin(x, 1)", "ops.argmin(x, axis=1)"),
    ("expand_dims", "K.expand_dims(x)", "ops.expand_dims(x, axis=-1)"),
    ("squeeze", "K.squeeze(x, 1)", "ops.squeeze(x, axis=1)"),
    ("reshape", "K.reshape(x, (-1, 4))", "ops.reshape(x, (-1, 4))"),
    ("shape", "K.shape(x)[0]", "ops.shape(x)[0]"),
    ("int_shape", "K.int_shape(x)[1]", "tuple(x.shape)[1]"),
    ("int_shape", "K.int_shape(x + y)", "tuple((x + y).shape)"),
    ("ndim", "K.ndim(x)", "len(x.shape)"),
    ("dtype", "K.dtype(x)", "keras.backend.standardize_dtype(x.dtype)"),
    (
        "permute_dimensions",
        "K.permute_dimensions(x, (0, 2, 1))",
        "ops.transpose(x, axes=(0, 2, 1))",
    ),
    ("transpose", "K.transpose(x)", "ops.transpose(x)"),
    ("repeat_elements", "K.repeat_elements(x, 2, axis=2)", "ops.repeat(x, 2, axis=2)"),
    ("repeat", "K.repeat(s, 5)", "ops.repeat(ops.expand_dims(s, 1), 5, axis=1)"),
    ("tile", "K.tile(x, [1, 2, 1])", "ops.tile(x, [1, 2, 1])"),
    ("stack", "K.stack([x, y])", "ops.stack([x, y], axis=0)"),
    ("concatenate", "K.concatenate([x, y])", "ops.concatenate([x, y], axis=-1)"),
    ("concatenate", "K.concatenate([x, y], axis=1)", "ops.concatenate([x, y], axis=1)"),
    ("flatten", "K.flatten(x)", "ops.reshape(x, (-1,))"),
    ("batch_dot", "K.batch_dot(x, y, axes=[2, 2])", "_legacy_batch_dot(x, y, [2, 2])"),
    ("batch_dot", "K.batch_dot(x, y)", "_legacy_batch_dot(x, y)"),
    ("dot", "K.dot(x, w)", "_legacy_dot(x, w)"),
    ("cast", "K.cast(x > 0, 'float32')", "ops.cast(x > 0, 'float32')"),
    (
        "constant",
        "K.constant([1, 2])",
        "ops.convert_to_tensor([1, 2], dtype=keras.config.floatx())",
    ),
    ("greater", "K.greater(x, 0.5)", "ops.greater(x, 0.5)"),
    ("greater_equal", "K.greater_equal(x, y)", "ops.greater_equal(x, y)"),
    ("less", "K.less(x, y)", "ops.less(x, y)"),
    ("less_equal", "K.less_equal(x, y)", "ops.less_equal(x, y)"),
    ("equal", "K.equal(x, y)", "ops.equal(x, y)"),
    ("not_equal", "K.not_equal(x, y)", "ops.not_equal(x, y)"),
    ("maximum", "K.maximum(x, 0.0)", "ops.maximum(x, 0.0)"),
    ("minimum", "K.minimum(x, y)", "ops.minimum(x, y)"),
    # Keras 2's cumsum/cumprod run along axis 0 by default, keras.ops' flatten
    ("cumsum", "K.cumsum(x)", "ops.cumsum(x, axis=0)"),
    ("cumprod", "K.cumprod(x, axis=1)", "ops.cumprod(x, axis=1)"),
    (
        "l2_normalize",
        "K.l2_normalize(x, axis=-1)",
        "ops.normalize(x, axis=-1, order=2, epsilon=1e-6)",
    ),
    (
        "l2_normalize",
        "K.l2_normalize(x)",
        "ops.normalize(x, axis=None, order=2, epsilon=1e-6)",
    ),
    (
        "resize_images",
        "K.resize_images(x, 2, 3, 'channels_last')",
        "_legacy_resize_images(x, 2, 3, 'channels_last')",
    ),
    ("softmax", "K.softmax(x)", "ops.softmax(x, axis=-1)"),
    ("sqrt", "K.sqrt(x)", "ops.sqrt(ops.maximum(x, 0.0))"),
    ("square", "K.square(x)", "ops.square(x)"),
    ("exp", "K.exp(0.5 * x)", "ops.exp(0.5 * x)"),
    ("log", "K.log(x)", "ops.log(x)"),
    ("abs", "K.abs(x)", "ops.abs(x)"),
    ("sign", "K.sign(x)", "ops.sign(x)"),
    ("round", "K.round(x)", "ops.round(x)"),
    ("sin", "K.sin(x)", "ops.sin(x)"),
    ("cos", "K.cos(x)", "ops.cos(x)"),
    ("sigmoid", "K.sigmoid(x)", "ops.sigmoid(x)"),
    ("tanh", "K.tanh(x)", "ops.tanh(x)"),
    ("softplus", "K.softplus(x)", "ops.softplus(x)"),
    ("softsign", "K.softsign(x)", "ops.softsign(x)"),
    ("zeros_like", "K.zeros_like(x)", "ops.zeros_like(x)"),
    ("ones_like", "K.ones_like(x)", "ops.ones_like(x)"),
    ("pow", "K.pow(x, 3)", "ops.power(x, 3)"),
    ("clip", "K.clip(x, 0.0, 1.0)", "ops.clip(x, 0.0, 1.0)"),
    ("relu", "K.relu(x)", "ops.relu(x)"),
    ("relu", "K.relu(x, alpha=0.0)", "ops.relu(x)"),
    ("elu", "K.elu(x)", "ops.elu(x, alpha=1.0)"),
    ("gather", "K.gather(x, [0, 0])", "ops.take(x, [0, 0], axis=0)"),
    ("one_hot", "K.one_hot(i, 4)", "ops.one_hot(i, 4)"),
    # random draws take the layer's own SeedGenerator (the seed= goes to it)
    (
        "random_normal",
        "K.random_normal(K.shape(x), stddev=0.1)",
        "keras.random.normal(ops.shape(x), mean=0.0, stddev=0.1, seed=self._seed_generator)",
    ),
    (
        "random_uniform",
        "K.random_uniform((2, 3), dtype='float16', seed=4)",
        "keras.random.uniform((2, 3), minval=0.0, maxval=1.0, dtype='float16', seed=self._seed_generator)",
    ),
    (
        "truncated_normal",
        "K.truncated_normal((4,))",
        "keras.random.truncated_normal((4,), mean=0.0, stddev=1.0, seed=self._seed_generator)",
    ),
    (
        "dropout",
        "K.dropout(x, 0.5, noise_shape=(2, 1))",
        "keras.random.dropout(x, 0.5, noise_shape=(2, 1), seed=self._seed_generator)",
    ),
    ("floatx", "K.cast(x, K.floatx())", "ops.cast(x, keras.config.floatx())"),
    ("epsilon", "x + K.epsilon()", "x + keras.config.epsilon()"),
    ("image_data_format", "K.image_data_format()", "keras.config.image_data_format()"),
    (
        "image_dim_ordering",
        "K.image_dim_ordering() == 'th'",
        '("th" if keras.config.image_data_format() == "channels_first" else "tf") == \'th\'',
    ),
    (
        "tf:image.resize_bilinear",
        "tf.image.resize_bilinear(x, (12, 12))",
        "_legacy_resize_bilinear(x, (12, 12))",
    ),
    ("tf:to_float", "tf.to_float(i)", 'ops.cast(i, "float32")'),
    ("tf:to_double", "tf.to_double(i)", 'ops.cast(i, "float64")'),
    ("tf:to_int32", "tf.to_int32(x)", 'ops.cast(x, "int32")'),
    ("tf:to_int64", "tf.to_int64(x)", 'ops.cast(x, "int64")'),
    ("tf:log", "tf.log(x)", "ops.log(x)"),
]


@pytest.mark.parametrize(("key", "old", "new"), ROWS, ids=[r[1] for r in ROWS])
def test_entry_rewrites_to(key: str, old: str, new: str) -> None:
    tree = ast.parse(old, mode="eval")
    assert problems([tree], IMPORTS, lambda n: ast.unparse(n)) == []
    assert rewrite(f"return {old}", IMPORTS, "ops", body=True).text == f"return {new}"


def test_every_entry_has_a_row() -> None:
    covered = {k for k, _o, _n in ROWS}
    table = set(BACKEND) | {f"tf:{k}" for k in TENSORFLOW}
    assert table - covered == set()


def test_nested_calls_keep_comments_and_other_text() -> None:
    text = (
        "steps = K.int_shape(x)[1]  # time steps\n"
        "y = K.expand_dims(K.max(x, axis=-1),\n"
        "                  axis=-1)  # keep the axis\n"
        "return tf.nn.relu(y) + np.float32(steps)"
    )
    out = rewrite(text, IMPORTS, "keras.ops", body=True)
    assert out.text == (
        "steps = tuple(x.shape)[1]  # time steps\n"
        "y = keras.ops.expand_dims(keras.ops.max(x, axis=-1), axis=-1)  # keep the axis\n"
        "return tf.nn.relu(y) + np.float32(steps)"
    )
    assert out.rewritten == (
        ("K.int_shape", "tuple(x.shape)"),
        ("K.expand_dims", "keras.ops.expand_dims"),
        ("K.max", "keras.ops.max"),
    )
    assert out.helpers == frozenset()


def test_a_directly_imported_function_and_helpers_are_reported() -> None:
    out = rewrite("return kb(x, 1) + K.batch_dot(a, b)", IMPORTS, "ops", body=True)
    assert out.text == "return ops.sum(x, axis=1) + _legacy_batch_dot(a, b)"
    assert out.helpers == frozenset({"batch_dot"})


def test_a_local_name_shadowing_the_backend_is_left_alone() -> None:
    text = "def f(K):\n    return K.sum(x)\n"
    assert rewrite(text, IMPORTS, "ops", body=False).text == text


def test_kept_and_untouched_names() -> None:
    assert classify("keras.backend.set_image_data_format").entry is None
    assert not classify("keras.backend.set_image_data_format").reason
    assert classify("tensorflow.nn.relu").entry is None
    assert not classify("tensorflow.nn.relu").reason
    assert classify("numpy.sum") is None


REFUSED = [
    ("tf.py_func(f, [x], tf.float32)", "tf.py_func", "a Python/numpy callback"),
    ("K.placeholder((None, 3))", "K.placeholder", "a graph placeholder"),
    ("K.get_session()", "K.get_session", "graph-mode session API"),
    ("K.function([a], [b])", "K.function", "graph-mode session API"),
    ("K.variable(x)", "K.variable", "a backend variable"),
    ("K.switch(c, x, y)", "K.switch", "K.switch is tf.cond"),
    ("K.hard_sigmoid(x)", "K.hard_sigmoid", "Keras 2's hard_sigmoid is clip"),
    (
        "K.batch_normalization(x, m, v, b, g)",
        "K.batch_normalization",
        "Keras 3's keras.backend has no `batch_normalization`",
    ),
    ("tf.placeholder(tf.float32)", "tf.placeholder", "a graph placeholder"),
    ("tf.contrib.layers.flatten(x)", "tf.contrib.layers.flatten", "tf.contrib"),
    (
        "tf.image.resize_images(x, (4, 4))",
        "tf.image.resize_images",
        "TF 1.x resize_images",
    ),
    ("K.sum(*xs)", "K.sum", "unpacked"),
    ("K.sum(x, axis=1, keep_dims=True)", "K.sum", "no argument `keep_dims`"),
    ("K.squeeze(x)", "K.squeeze", "argument `axis` is missing"),
    (
        "K.resize_images(x, 2, 2, f, 'bilinear')",
        "K.resize_images",
        "`interpolation=` other than 'nearest'",
    ),
    ("K.relu(x, alpha=0.1)", "K.relu", "`alpha=` other than 0.0"),
    (
        "tf.image.resize_bilinear(x, s, align_corners=True)",
        "tf.image.resize_bilinear",
        "`align_corners=` other than False",
    ),
    ("f(K.sum)", "K.sum", "used as a value"),
]


@pytest.mark.parametrize(
    ("code", "name", "reason"), REFUSED, ids=[r[0] for r in REFUSED]
)
def test_refused(code: str, name: str, reason: str) -> None:
    found = problems([ast.parse(code)], IMPORTS, lambda n: ast.unparse(n))
    assert [p.name for p in found] == [name]
    assert reason in found[0].reason
