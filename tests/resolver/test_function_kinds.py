"""Function kinds: what the Lambda's function is (inline lambda, def, library
function, ``arguments=``, ``mask=``, ``output_shape=``) and the layer it becomes."""

from __future__ import annotations

from pathlib import Path

from lambda2layer.pipeline import Status
from support import Converted, Unchanged, convert, methods_of, table_tests

CONVERTED = [
    Converted(
        "arguments-dict-becomes-arguments",
        "def f(x, a):\n    return x * a\ndef b(x):\n    return layers.Lambda(f, arguments={'a': 2})(x)\n",
        patched="from model_layers import F, f\ndef b(x):\n    return F(a=2)(x)\n",
        methods={
            "F.__init__": "def __init__(self, a, **kwargs):\n    super().__init__(**kwargs)\n    self.a = a",
            "F.call": "def call(self, inputs):\n    return f(inputs, a=self.a)",
        },
        decisions=(
            (
                "2 -> constructor argument `a`: `arguments['a']`",
                "f -> moved into the generated module (line 6)",
            ),
        ),
    ),
    Converted(
        "arguments-from-dict-call",
        "def f(x, a):\n    return x * a\n\n\ndef b(x, s):\n    return layers.Lambda(f, arguments=dict(a=s))(x)\n",
        patched="from model_layers import F, f\n\n\ndef b(x, s):\n    return F(a=s)(x)\n",
        methods={"F.call": "def call(self, inputs):\n    return f(inputs, a=self.a)"},
        decisions=(
            (
                "s -> constructor argument `a`: `arguments['a']`",
                "f -> moved into the generated module (line 6)",
            ),
        ),
    ),
    Converted(
        "training-is-passed-when-named",
        "def f(x, training=None):\n    return x\ndef b(x):\n    return layers.Lambda(f)(x)\n",
        patched="from model_layers import F, f\ndef b(x):\n    return F()(x)\n",
        methods={
            "F.call": "def call(self, inputs, training=None):\n    return f(inputs, training=training)"
        },
    ),
    Converted(
        "keyword-only-training-keeps-its-default",
        "def b(x):\n    return layers.Lambda(lambda t, *, training=None: t * 2 if training else t)(x)\n",
        patched="from model_layers import Conditional\ndef b(x):\n    return Conditional()(x)\n",
        methods={
            "Conditional.call": "def call(self, t):\n    training = None\n    return t * 2 if training else t"
        },
    ),
    Converted(
        "mask-function-becomes-compute-mask",
        "def b(x):\n    return layers.Lambda(lambda t: t, mask=lambda i, m: m)(x)\n",
        patched="from model_layers import Function\ndef b(x):\n    return Function()(x)\n",
        methods={
            "Function.__init__": "def __init__(self, **kwargs):\n    super().__init__(**kwargs)\n    self.supports_masking = True",
            "Function.call": "def call(self, t):\n    return t",
            "Function.compute_mask": "def compute_mask(self, inputs, mask=None):\n    i, m = inputs, mask\n    return m",
        },
        decisions=((),),
    ),
    Converted(
        "output-shape-tuple-excludes-the-batch-dimension",
        "def b(x):\n    return layers.Lambda(lambda t: t, output_shape=(4, None))(x)\n",
        patched="from model_layers import Function\ndef b(x):\n    return Function()(x)\n",
        methods={
            "Function.call": "def call(self, t):\n    return t",
            "Function.compute_output_shape": "def compute_output_shape(self, input_shape):\n    batch_size = _batch_dim(input_shape)\n    return (batch_size, 4, None)",
        },
    ),
    Converted(
        "output-shape-name-bound-to-a-tuple-is-passed-where-the-lambda-was-built",
        "SHAPE = (4, None)\n\n\ndef b(x):\n    return layers.Lambda(lambda t: t * 2, output_shape=SHAPE)(x)\n",
        patched="from model_layers import Scale\nSHAPE = (4, None)\n\n\ndef b(x):\n    return Scale(output_dims=SHAPE)(x)\n",
        methods={
            "Scale.call": "def call(self, t):\n    return t * 2",
            "Scale.compute_output_shape": "def compute_output_shape(self, input_shape):\n    batch_size = _batch_dim(input_shape)\n    dims = self.output_dims\n    if dims and isinstance(dims[0], (list, tuple)):\n        return [(batch_size, *shape) for shape in dims]\n    return (batch_size, *dims)",
        },
    ),
    Converted(
        "output-shape-numpy-shape-slice-is-passed-where-the-lambda-was-built",
        "ARR = np.zeros((3, 4))\n\n\ndef b(x):\n    return layers.Lambda(lambda t: t * 2, output_shape=ARR.shape[1:])(x)\n",
        patched="from model_layers import Scale\nARR = np.zeros((3, 4))\n\n\ndef b(x):\n    return Scale(output_dims=ARR.shape[1:])(x)\n",
        methods={
            "Scale.call": "def call(self, t):\n    return t * 2",
            "Scale.compute_output_shape": "def compute_output_shape(self, input_shape):\n    batch_size = _batch_dim(input_shape)\n    dims = self.output_dims\n    if dims and isinstance(dims[0], (list, tuple)):\n        return [(batch_size, *shape) for shape in dims]\n    return (batch_size, *dims)",
        },
    ),
    Converted(
        "output-shape-int-shape-of-a-tensor-is-passed-where-the-lambda-was-built",
        "def b(x):\n    return layers.Lambda(lambda t: t * 2, output_shape=K.int_shape(x)[1:])(x)\n",
        patched="from model_layers import Scale\ndef b(x):\n    return Scale(output_dims=K.int_shape(x)[1:])(x)\n",
        methods={
            "Scale.call": "def call(self, t):\n    return t * 2",
            "Scale.compute_output_shape": "def compute_output_shape(self, input_shape):\n    batch_size = _batch_dim(input_shape)\n    dims = self.output_dims\n    if dims and isinstance(dims[0], (list, tuple)):\n        return [(batch_size, *shape) for shape in dims]\n    return (batch_size, *dims)",
        },
    ),
    Converted(
        "output-shape-parameter-is-passed-where-the-lambda-was-built",
        "def b(x, shape=(4,)):\n    return layers.Lambda(lambda t: t * 2, output_shape=shape)(x)\n",
        patched="from model_layers import Scale\ndef b(x, shape=(4,)):\n    return Scale(output_dims=shape)(x)\n",
        methods={
            "Scale.call": "def call(self, t):\n    return t * 2",
            "Scale.compute_output_shape": "def compute_output_shape(self, input_shape):\n    batch_size = _batch_dim(input_shape)\n    dims = self.output_dims\n    if dims and isinstance(dims[0], (list, tuple)):\n        return [(batch_size, *shape) for shape in dims]\n    return (batch_size, *dims)",
        },
    ),
    Converted(
        "output-shape-nested-def-becomes-the-method",
        "def b(x):\n    def shp(s):\n        return (s[0], 2)\n\n    return layers.Lambda(lambda t: t[:, :2], output_shape=shp)(x)\n",
        patched="from model_layers import Slice\ndef b(x):\n    def shp(s):\n        return (s[0], 2)\n\n    return Slice()(x)\n",
        methods={
            "Slice.call": "def call(self, t):\n    return t[:, :2]",
            "Slice.compute_output_shape": "def compute_output_shape(self, input_shape):\n    s = input_shape\n    return (s[0], 2)",
        },
    ),
    Converted(
        "explicit-none-defaults-are-dropped",
        "def b(x):\n    return layers.Lambda(lambda t: t * 2, output_shape=None, mask=None)(x)\n",
        patched="from model_layers import Scale\ndef b(x):\n    return Scale()(x)\n",
        methods={"Scale.call": "def call(self, t):\n    return t * 2"},
    ),
    Converted(
        "name-and-dtype-kept-at-call-site",
        "def b(x):\n    return layers.Lambda(lambda t: t, name='ident', dtype='float32')(x)\n",
        patched="from model_layers import Ident\ndef b(x):\n    return Ident(name='ident', dtype='float32')(x)\n",
        methods={"Ident.call": "def call(self, t):\n    return t"},
    ),
    Converted(
        "library-function",
        "def b(x):\n    return layers.Lambda(tf.nn.relu)(x)\n",
        patched="from model_layers import Relu\ndef b(x):\n    return Relu()(x)\n",
        methods={"Relu.call": "def call(self, inputs):\n    return tf.nn.relu(inputs)"},
        decisions=(("tf -> import kept: `import tensorflow as tf` (line 3)",),),
        top_level=("import keras", "import tensorflow as tf"),
    ),
    Converted(
        "one-line-nested-def",
        "def b(x):\n    def f(t): return t * 2\n    return layers.Lambda(f)(x)\n",
        patched="from model_layers import F\ndef b(x):\n    def f(t): return t * 2\n    return F()(x)\n",
        methods={"F.call": "def call(self, t):\n    return t * 2"},
    ),
    Converted(
        "kwargs-hold-the-arguments-no-parameter-takes",
        'def b(x):\n    return layers.Lambda(lambda t, *rest, scale, **kw: t * scale + kw["shift"] + len(rest), arguments={"scale": 2.0, "shift": 1.0})(x)\n',
        patched="from model_layers import Len\ndef b(x):\n    return Len(scale=2.0, shift=1.0)(x)\n",
        methods={
            "Len.call": 'def call(self, t):\n    scale = self.scale\n    rest = ()\n    kw = {"shift": self.shift}\n    return t * scale + kw["shift"] + len(rest)'
        },
    ),
    Converted(
        "def-rebound-by-the-lambda-it-builds",
        'def b(x, y):\n    def loss(inputs):\n        a, c = inputs\n        return a - c\n\n    loss = layers.Lambda(loss, name="loss")([x, y])\n    return loss\n',
        patched='from model_layers import Loss\ndef b(x, y):\n    def loss(inputs):\n        a, c = inputs\n        return a - c\n\n    loss = Loss(name="loss")([x, y])\n    return loss\n',
        methods={
            "Loss.call": "def call(self, inputs):\n    a, c = inputs\n    return a - c"
        },
    ),
    Converted(
        "lambda-bound-to-a-name",
        "def b(x):\n    f = lambda t: t * 3\n    return layers.Lambda(f)(x)\n",
        patched="from model_layers import F\ndef b(x):\n    f = lambda t: t * 3\n    return F()(x)\n",
        methods={"F.call": "def call(self, t):\n    return t * 3"},
    ),
    Converted(
        "identical-lambdas-share-a-class",
        "def b(x):\n    x = layers.Lambda(lambda t: t * 0.5)(x)\n    return layers.Lambda(lambda t: t * 0.5)(x)\n",
        patched="from model_layers import Scale\ndef b(x):\n    x = Scale()(x)\n    return Scale()(x)\n",
        methods={"Scale.call": "def call(self, t):\n    return t * 0.5"},
        decisions=((), ()),
    ),
]

UNCHANGED = [
    Unchanged(
        "def-rebound-before-the-lambda-is-built",
        "def b(x):\n    def f(t):\n        return t\n\n    f = make()\n    return layers.Lambda(f)(x)\n",
        "L2L201",
        "model.py:11:26: L2L201 Lambda at line 11 not converted: the Lambda's function `f` (line 7) is a parameter, a factory result or a variable, not a function the tool can see (pass a module-level def, an inline lambda, or functools.partial of a def)",
    ),
    Unchanged(
        "a-refused-mask-names-the-argument",
        "def b(x, obj):\n    return layers.Lambda(lambda t: t, mask=obj.m)(x)\n",
        "L2L201",
        "model.py:7:44: L2L201 Lambda at line 7 not converted: the Lambda's `mask=` `obj.m` is an attribute of an object, not of an imported module (pass a module-level def or an inline lambda)",
    ),
    Unchanged(
        "function-from-parameter",
        "def b(x, fn):\n    return layers.Lambda(fn)(x)\n",
        "L2L201",
        "model.py:7:26: L2L201 Lambda at line 7 not converted: the Lambda's function `fn` (line 6) is a parameter, a factory result or a variable, not a function the tool can see (pass a module-level def, an inline lambda, or functools.partial of a def)",
    ),
    Unchanged(
        "function-from-factory",
        "def make():\n    return lambda t: t\ndef b(x):\n    return layers.Lambda(make())(x)\n",
        "L2L201",
        "model.py:9:26: L2L201 Lambda at line 9 not converted: the Lambda's function is computed by an expression (a call or factory result) (pass a module-level def, an inline lambda, or functools.partial of a def)",
    ),
    Unchanged(
        "varargs",
        "def b(x):\n    return layers.Lambda(lambda *ts: ts[0])(x)\n",
        "L2L209",
        "model.py:7:26: L2L209 Lambda at line 7 not converted: the function takes *args or **kwargs (name its parameters)",
    ),
    Unchanged(
        "arguments-not-literal",
        "def f(x, a):\n    return x\ndef b(x, kw):\n    return layers.Lambda(f, arguments=kw)(x)\n",
        "L2L211",
        "model.py:9:39: L2L211 Lambda at line 9 not converted: `arguments=` is not a dict whose keys the tool can read (a dict literal with string keys, dict(...), or a name bound once to one) (write the dict inline: arguments={'scale': s})",
    ),
    Unchanged(
        "partial-binding-training",
        "from functools import partial\n\n\ndef s(t, factor, training=None):\n    return t * factor\n\n\ndef b(x):\n    return layers.Lambda(partial(s, factor=2, training=False))(x)\n",
        "L2L212",
        "model.py:14:12: L2L212 Lambda at line 14 not converted: its body could not be turned into a method (keyword argument repeated: training (<generated layers>, line 3))",
    ),
    Unchanged(
        "multi-line-string-in-body",
        'def b(x):\n    return layers.Lambda(lambda t: (t, """a\nb""")[0])(x)\n',
        "L2L212",
        "model.py:7:40: L2L212 Lambda at line 7 not converted: the function body holds a multi-line string, whose text would change when the body is re-indented (move the string to a module-level constant)",
    ),
]


test_converted, test_stays_unchanged = table_tests(CONVERTED, UNCHANGED)


def test_output_shape_def_of_a_sibling_module_is_called_by_name(tmp_path: Path) -> None:
    """Converted in one run: the sibling's def is read, never imported, and the
    generated module imports it as the model file did."""
    (tmp_path / "shapes.py").write_text("def half(s):\n    return (s[0], 2)\n")
    body = (
        "from shapes import half\n\n\n"
        "def b(x):\n    return layers.Lambda(lambda t: t[:, :2], output_shape=half)(x)\n"
    )
    result = convert(tmp_path, body)
    assert result.status is Status.CONVERTED, [d.format() for d in result.diagnostics]
    module = result.module_bytes.decode()
    assert "from shapes import half" in module
    assert methods_of(module)["Slice.compute_output_shape"] == (
        "def compute_output_shape(self, input_shape):\n    return half(input_shape)"
    )
