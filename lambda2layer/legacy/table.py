"""The translation table: Keras-2 backend (and TF 1.x) functions -> Keras 3 forms.

Data only. An ``Entry`` gives the old function's signature (``"name"`` or
``"name=default"``, in Keras 2's order) and the Keras 3 expression that does the
same thing. In a form:

* ``{ops}`` is the generated module's name for ``keras.ops``;
* ``{p}`` is the text of argument ``p`` (or its Keras-2 default when it was not
  passed); ``{p:atom}`` the same, parenthesized unless it is an atom;
* ``«...»`` is written only when every argument named inside was passed.

``fixed`` pins arguments whose other values have no faithful translation: passed
with another literal value (or a non-literal), the site is refused.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True, slots=True)
class Entry:
    params: tuple[str, ...]
    form: str
    helper: str = ""  # a function of templates/legacy.py.j2 the form calls
    fixed: dict[str, object] = field(default_factory=dict)
    # draws random numbers: seeded by the layer's own keras.random.SeedGenerator
    # (``self._seed_generator``, built from the call's literal ``seed=``)
    seeded: bool = False


def _reduction(name: str) -> Entry:
    return Entry(
        ("x", "axis=None", "keepdims=False"),
        "{ops}.%s({x}«, axis={axis}»«, keepdims={keepdims}»)" % name,
    )


def _unary(name: str) -> Entry:
    return Entry(("x",), "{ops}.%s({x})" % name)


def _binary(name: str) -> Entry:
    return Entry(("x", "y"), "{ops}.%s({x}, {y})" % name)


# keras.backend.<name> (Keras 2) -> Keras 3
BACKEND: dict[str, Entry] = {
    **{n: _reduction(n) for n in ("sum", "mean", "max", "min", "prod", "std", "var")},
    **{n: _reduction(n) for n in ("any", "all")},
    "argmax": Entry(("x", "axis=-1"), "{ops}.argmax({x}, axis={axis})"),
    "argmin": Entry(("x", "axis=-1"), "{ops}.argmin({x}, axis={axis})"),
    "expand_dims": Entry(("x", "axis=-1"), "{ops}.expand_dims({x}, axis={axis})"),
    "squeeze": Entry(("x", "axis"), "{ops}.squeeze({x}, axis={axis})"),
    "reshape": Entry(("x", "shape"), "{ops}.reshape({x}, {shape})"),
    "shape": Entry(("x",), "{ops}.shape({x})"),
    "int_shape": Entry(("x",), "tuple({x:atom}.shape)"),
    "ndim": Entry(("x",), "len({x:atom}.shape)"),
    "dtype": Entry(("x",), "keras.backend.standardize_dtype({x:atom}.dtype)"),
    "permute_dimensions": Entry(
        ("x", "pattern"), "{ops}.transpose({x}, axes={pattern})"
    ),
    "transpose": _unary("transpose"),
    "repeat_elements": Entry(
        ("x", "rep", "axis"), "{ops}.repeat({x}, {rep}, axis={axis})"
    ),
    # (batch, dim) -> (batch, n, dim)
    "repeat": Entry(("x", "n"), "{ops}.repeat({ops}.expand_dims({x}, 1), {n}, axis=1)"),
    "tile": Entry(("x", "n"), "{ops}.tile({x}, {n})"),
    "stack": Entry(("x", "axis=0"), "{ops}.stack({x}, axis={axis})"),
    # Keras 2 joins along the last axis by default, keras.ops along the first
    "concatenate": Entry(
        ("tensors", "axis=-1"), "{ops}.concatenate({tensors}, axis={axis})"
    ),
    "flatten": Entry(("x",), "{ops}.reshape({x}, (-1,))"),
    "batch_dot": Entry(
        ("x", "y", "axes=None"),
        "_legacy_batch_dot({x}, {y}«, {axes}»)",
        helper="batch_dot",
    ),
    "dot": Entry(("x", "y"), "_legacy_dot({x}, {y})", helper="dot"),
    "cast": Entry(("x", "dtype"), "{ops}.cast({x}, {dtype})"),
    "constant": Entry(
        ("value", "dtype=keras.config.floatx()", "shape=None", "name=None"),
        "{ops}.convert_to_tensor({value}, dtype={dtype})",
        fixed={"shape": None},
    ),
    **{
        n: _binary(n)
        for n in (
            "greater",
            "greater_equal",
            "less",
            "less_equal",
            "equal",
            "not_equal",
            "maximum",
            "minimum",
        )
    },
    "cumsum": Entry(("x", "axis=0"), "{ops}.cumsum({x}, axis={axis})"),
    "cumprod": Entry(("x", "axis=0"), "{ops}.cumprod({x}, axis={axis})"),
    # tf.linalg.l2_normalize: x * rsqrt(max(sum(x**2), 1e-12)) == x / max(norm, 1e-6)
    "l2_normalize": Entry(
        ("x", "axis=None"),
        "{ops}.normalize({x}, axis={axis}, order=2, epsilon=1e-6)",
    ),
    "resize_images": Entry(
        (
            "x",
            "height_factor",
            "width_factor",
            "data_format",
            "interpolation='nearest'",
        ),
        "_legacy_resize_images({x}, {height_factor}, {width_factor}, {data_format})",
        helper="resize_images",
        fixed={"interpolation": "nearest"},
    ),
    "softmax": Entry(("x", "axis=-1"), "{ops}.softmax({x}, axis={axis})"),
    # Keras 2 clips negative inputs to 0 before the square root
    "sqrt": Entry(("x",), "{ops}.sqrt({ops}.maximum({x}, 0.0))"),
    **{
        n: _unary(n)
        for n in (
            "square",
            "exp",
            "log",
            "abs",
            "sign",
            "round",
            "sin",
            "cos",
            "sigmoid",
            "tanh",
            "softplus",
            "softsign",
            "zeros_like",
            "ones_like",
        )
    },
    "pow": Entry(("x", "a"), "{ops}.power({x}, {a})"),
    "clip": Entry(
        ("x", "min_value", "max_value"), "{ops}.clip({x}, {min_value}, {max_value})"
    ),
    "relu": Entry(
        ("x", "alpha=0.0", "max_value=None", "threshold=0.0"),
        "{ops}.relu({x})",
        fixed={"alpha": 0.0, "max_value": None, "threshold": 0.0},
    ),
    "elu": Entry(("x", "alpha=1.0"), "{ops}.elu({x}, alpha={alpha})"),
    "gather": Entry(
        ("reference", "indices"), "{ops}.take({reference}, {indices}, axis=0)"
    ),
    "one_hot": Entry(
        ("indices", "num_classes"), "{ops}.one_hot({indices}, {num_classes})"
    ),
    "random_normal": Entry(
        ("shape", "mean=0.0", "stddev=1.0", "dtype=None", "seed=None"),
        "keras.random.normal({shape}, mean={mean}, stddev={stddev}«, dtype={dtype}», "
        "seed=self._seed_generator)",
        seeded=True,
    ),
    "random_uniform": Entry(
        ("shape", "minval=0.0", "maxval=1.0", "dtype=None", "seed=None"),
        "keras.random.uniform({shape}, minval={minval}, maxval={maxval}«, dtype={dtype}», "
        "seed=self._seed_generator)",
        seeded=True,
    ),
    "truncated_normal": Entry(
        ("shape", "mean=0.0", "stddev=1.0", "dtype=None", "seed=None"),
        "keras.random.truncated_normal({shape}, mean={mean}, stddev={stddev}«, dtype={dtype}», "
        "seed=self._seed_generator)",
        seeded=True,
    ),
    "dropout": Entry(
        ("x", "level", "noise_shape=None", "seed=None"),
        "keras.random.dropout({x}, {level}«, noise_shape={noise_shape}», "
        "seed=self._seed_generator)",
        seeded=True,
    ),
    "floatx": Entry((), "keras.config.floatx()"),
    "epsilon": Entry((), "keras.config.epsilon()"),
    "image_data_format": Entry((), "keras.config.image_data_format()"),
    "image_dim_ordering": Entry(
        (),
        '("th" if keras.config.image_data_format() == "channels_first" else "tf")',
    ),
}

# What Keras 3.15's keras.backend still has: kept as written
KERAS3_BACKEND = frozenset(
    {
        "backend",
        "clear_session",
        "epsilon",
        "floatx",
        "get_uid",
        "image_data_format",
        "is_float_dtype",
        "is_int_dtype",
        "is_keras_tensor",
        "result_type",
        "set_epsilon",
        "set_floatx",
        "set_image_data_format",
        "standardize_dtype",
    }
)

_NO_GRAPH = "a Keras 3 layer has no graph or session"
_GRAPH = "graph-mode session API: " + _NO_GRAPH

# keras.backend.<name> with a reason it is refused (every other name Keras 3 lacks
# and the table does not hold is refused as well, with a generic reason)
BACKEND_REFUSED: dict[str, str] = {
    "placeholder": "a graph placeholder: " + _NO_GRAPH,
    "function": _GRAPH,
    "get_session": _GRAPH,
    "set_session": _GRAPH,
    "variable": "a backend variable created inside the layer's call; a Keras 3 layer "
    "creates weights in build()",
    "eval": _GRAPH,
    "get_value": _GRAPH,
    "set_value": _GRAPH,
    "batch_get_value": _GRAPH,
    "batch_set_value": _GRAPH,
    "learning_phase": "the global learning phase; Keras 3 passes `training` to call()",
    "set_learning_phase": "the global learning phase; Keras 3 passes `training` to call()",
    "in_train_phase": "the global learning phase; Keras 3 passes `training` to call()",
    "in_test_phase": "the global learning phase; Keras 3 passes `training` to call()",
    "switch": "K.switch is tf.cond for a scalar condition and an element-wise select "
    "otherwise; which one applies depends on ranks the tool cannot see",
    "hard_sigmoid": "Keras 2's hard_sigmoid is clip(0.2 * x + 0.5, 0, 1), "
    "keras.ops.hard_sigmoid is relu6(x + 3) / 6",
}

# tensorflow.<path> (TF 1.x only) -> Keras 3
TENSORFLOW: dict[str, Entry] = {
    # TF 1.x resize: align_corners=False without half-pixel centres samples output
    # pixel i at input coordinate i * in / out (ops.image.resize uses half pixels)
    "image.resize_bilinear": Entry(
        (
            "images",
            "size",
            "align_corners=False",
            "name=None",
            "half_pixel_centers=False",
        ),
        "_legacy_resize_bilinear({images}, {size})",
        helper="resize_bilinear",
        fixed={"align_corners": False, "half_pixel_centers": False},
    ),
    "to_float": Entry(("x", "name=None"), '{ops}.cast({x}, "float32")'),
    "to_double": Entry(("x", "name=None"), '{ops}.cast({x}, "float64")'),
    "to_int32": Entry(("x", "name=None"), '{ops}.cast({x}, "int32")'),
    "to_int64": Entry(("x", "name=None"), '{ops}.cast({x}, "int64")'),
    "log": Entry(("x", "name=None"), "{ops}.log({x})"),
}

_TF1 = "TensorFlow 1.x API, gone from TensorFlow 2's namespace"

# tensorflow.<path> refused: TF 1.x only, with no backend-agnostic equivalent
TENSORFLOW_REFUSED: dict[str, str] = {
    "py_func": "a Python/numpy callback: keras.ops has none, and TensorFlow 2 only "
    "has tf.compat.v1.py_func",
    "placeholder": "a graph placeholder (" + _TF1 + ")",
    "placeholder_with_default": "a graph placeholder (" + _TF1 + ")",
    "sparse_placeholder": "a graph placeholder (" + _TF1 + ")",
    "Session": _GRAPH,
    "InteractiveSession": _GRAPH,
    "get_default_session": _GRAPH,
    "get_default_graph": _GRAPH,
    "get_variable": "a graph variable (" + _TF1 + ")",
    "variable_scope": "a graph variable scope (" + _TF1 + ")",
    "global_variables_initializer": _GRAPH,
    "Print": "a graph print op (" + _TF1 + ")",
    "image.resize_images": "TF 1.x resize_images; its method and align_corners "
    "semantics differ from TensorFlow 2's tf.image.resize",
    "image.resize_nearest_neighbor": _TF1,
    "image.resize_bicubic": _TF1,
    "image.resize_area": _TF1,
    "contrib": "tf.contrib (" + _TF1 + ")",
    "layers": "tf.layers (" + _TF1 + ")",
}
