"""Serialized callables outside Lambda layers (issue 12): compile losses and
metrics, layer activations, initializers, regularizers and constraints, loss
factories. Input -> the exact patched file and generated code; what stays as it is
(refused with this code and message); Keras' own names and objects untouched."""

from __future__ import annotations

from pathlib import Path

import pytest

from lambda2layer.pipeline import Status, convert_source
from support import HEADER, Converted, Unchanged, convert, table_tests

CONVERTED = [
    Converted(
        "compile-loss-lambda-becomes-a-registered-function",
        "def b(m):\n    m.compile(loss=lambda y_true, y_pred: y_pred)\n",
        patched="from model_layers import loss_fn\ndef b(m):\n    m.compile(loss=loss_fn)\n",
        decisions=((),),
        top_level=(
            "import keras",
            'def loss_fn(y_true, y_pred):\n    """Replaces the compile loss ``lambda y_true, y_pred: y_pred`` (model.py:7)."""\n    return y_pred',
        ),
    ),
    Converted(
        "dict-loss-module-def-moves-registered-and-the-site-stays",
        'def huber(y_true, y_pred):\n    return keras.ops.mean(keras.ops.abs(y_true - y_pred), axis=-1)\n\n\ndef b(m):\n    m.compile(loss={"out": huber, "aux": "mse"})\n',
        patched='from model_layers import huber\n\n\ndef b(m):\n    m.compile(loss={"out": huber, "aux": "mse"})\n',
        decisions=(
            (
                "keras -> import kept: `import keras` (line 1)",
                "huber -> moved into the generated module (line 6)",
                "huber -> registered in the generated module",
            ),
        ),
        top_level=(
            "import keras",
            "def huber(y_true, y_pred):\n    return keras.ops.mean(keras.ops.abs(y_true - y_pred), axis=-1)",
        ),
    ),
    Converted(
        "nested-metrics-list-with-a-def-and-a-lambda",
        'def peak(y_true, y_pred):\n    return keras.ops.max(y_pred, axis=-1)\n\n\ndef b(m):\n    m.compile(loss="mse", metrics=[["mae", peak], [lambda t, p: keras.ops.min(p)]])\n',
        patched='from model_layers import metric_fn, peak\n\n\ndef b(m):\n    m.compile(loss="mse", metrics=[["mae", peak], [metric_fn]])\n',
        top_level=(
            "import keras",
            "def peak(y_true, y_pred):\n    return keras.ops.max(y_pred, axis=-1)",
            'def metric_fn(t, p):\n    """Replaces the metric ``lambda t, p: keras.ops.min(p)`` (model.py:11)."""\n    return keras.ops.min(p)',
        ),
    ),
    Converted(
        "activation-layer-with-a-module-def",
        "def swish(x):\n    return x * keras.ops.sigmoid(x)\n\n\ndef b(x):\n    return layers.Activation(swish)(x)\n",
        patched="from model_layers import swish\n\n\ndef b(x):\n    return layers.Activation(swish)(x)\n",
        top_level=(
            "import keras",
            "def swish(x):\n    return x * keras.ops.sigmoid(x)",
        ),
    ),
    Converted(
        "regularizer-lambda-over-a-module-constant-becomes-a-regularizer-class",
        "PENALTY = 1e-3\n\n\ndef b(x):\n    return layers.Dense(2, kernel_regularizer=lambda w: PENALTY * keras.ops.sum(w))(x)\n",
        patched="from model_layers import KernelRegularizerFn\nPENALTY = 1e-3\n\n\ndef b(x):\n    return layers.Dense(2, kernel_regularizer=KernelRegularizerFn(penalty=PENALTY))(x)\n",
        methods={
            "KernelRegularizerFn.__init__": "def __init__(self, penalty):\n    self.penalty = penalty",
            "KernelRegularizerFn.__call__": "def __call__(self, w):\n    PENALTY = self.penalty\n    return PENALTY * keras.ops.sum(w)",
            "KernelRegularizerFn.get_config": 'def get_config(self):\n    return {"penalty": self.penalty}',
        },
        decisions=(
            (
                "PENALTY -> config value `penalty`: module constant `PENALTY` (line 6)",
                "keras -> import kept: `import keras` (line 1)",
            ),
        ),
    ),
    Converted(
        "loss-factory-with-a-keyword-and-a-default-becomes-a-loss-class",
        "def focal(gamma, alpha=0.25):\n    def loss(y_true, y_pred):\n        return alpha * keras.ops.mean((1 - y_pred) ** gamma * y_true, axis=-1)\n\n    return loss\n\n\ndef b(m):\n    m.compile(loss=focal(gamma=2.0))\n",
        patched="from model_layers import Focal\ndef focal(gamma, alpha=0.25):\n    def loss(y_true, y_pred):\n        return alpha * keras.ops.mean((1 - y_pred) ** gamma * y_true, axis=-1)\n\n    return loss\n\n\ndef b(m):\n    m.compile(loss=Focal(gamma=2.0, alpha=0.25))\n",
        methods={
            "Focal.__init__": 'def __init__(self, gamma, alpha, name="focal", **kwargs):\n    super().__init__(name=name, **kwargs)\n    self.gamma = gamma\n    self.alpha = alpha',
            "Focal.call": "def call(self, y_true, y_pred):\n    alpha = self.alpha\n    gamma = self.gamma\n    return alpha * keras.ops.mean((1 - y_pred) ** gamma * y_true, axis=-1)",
            "Focal.get_config": 'def get_config(self):\n    config = super().get_config()\n    config.update({"gamma": self.gamma, "alpha": self.alpha})\n    return config',
        },
        decisions=(
            (
                "2.0 -> config value `gamma`: parameter `gamma` of factory `focal`",
                "0.25 -> config value `alpha`: parameter `alpha` of factory `focal`",
                "keras -> import kept: `import keras` (line 1)",
            ),
        ),
    ),
    Converted(
        "nested-def-over-a-parameter-becomes-a-loss-class-and-says-so",
        "def b(m, scale):\n    def scaled(y_true, y_pred):\n        return scale * keras.ops.mean(y_pred - y_true)\n\n    m.compile(loss=scaled)\n",
        patched="from model_layers import Scaled\ndef b(m, scale):\n    def scaled(y_true, y_pred):\n        return scale * keras.ops.mean(y_pred - y_true)\n\n    m.compile(loss=Scaled(scale=scale))\n",
        methods={
            "Scaled.call": "def call(self, y_true, y_pred):\n    scale = self.scale\n    return scale * keras.ops.mean(y_pred - y_true)",
            "Scaled.from_config": 'def from_config(cls, config):\n    config = dict(config)\n    config["scale"] = _from_config(config["scale"])\n    return cls(**config)',
        },
        diagnostics=(
            "model.py:10:20: L2L105 the compile loss `scaled` (line 7) is copied into the generated module as `Scaled` and the call site now uses the copy; the def stays where it is, change both together or delete the original",
        ),
    ),
    Converted(
        "constraint-lambda-over-self-attribute",
        "class B:\n    def __init__(self, limit):\n        self.limit = limit\n\n    def build(self, x):\n        return layers.Dense(2, kernel_constraint=lambda w: keras.ops.clip(w, -self.limit, self.limit))(x)\n",
        patched="from model_layers import KernelConstraintFn\nclass B:\n    def __init__(self, limit):\n        self.limit = limit\n\n    def build(self, x):\n        return layers.Dense(2, kernel_constraint=KernelConstraintFn(limit=self.limit))(x)\n",
        methods={
            "KernelConstraintFn.__call__": "def __call__(self, w):\n    limit = self.limit\n    return keras.ops.clip(w, -limit, limit)",
        },
        decisions=(
            (
                "self.limit -> config value `limit`: `self.limit` of the builder",
                "keras -> import kept: `import keras` (line 1)",
            ),
        ),
    ),
]

UNCHANGED = [
    Unchanged(
        "loss-closing-over-a-tensor",
        "def b(m, x):\n    t = layers.Dense(2)(x)\n    m.compile(loss=lambda y_true, y_pred: keras.ops.mean(y_pred - t))\n",
        "L2L214",
        "model.py:8:20: L2L214 compile loss `lambda y_true, y_pred: keras.ops.mean...` at line 8 not converted: the compile loss closes over the Keras tensor(s) `t` of the graph it was built with; a saved function or config cannot hold a tensor (compute the value in the model and add it with `model.add_loss`, or make it an output)",
    ),
    Unchanged(
        "loss-mutating-builder-state",
        "def b(m):\n    seen = []\n\n    def logged(y_true, y_pred):\n        seen.append(1)\n        return y_pred\n\n    m.compile(loss=logged)\n",
        "L2L219",
        "model.py:13:20: L2L219 compile loss `logged` at line 13 not converted: the compile loss mutates `seen` (line 7), state it shares with the code that built it; a saved copy would not share that state (see line 10) (make the function pure)",
    ),
    Unchanged(
        "loss-calling-a-captured-layer",
        "def b(m, x):\n    enc = layers.Dense(2)\n\n    def perceptual(y_true, y_pred):\n        return keras.ops.mean(enc(y_true) - enc(y_pred))\n\n    m.compile(loss=perceptual)\n",
        "L2L204",
        "model.py:12:20: L2L204 compile loss `perceptual` at line 12 not converted: `enc` (line 7) is a Keras layer captured by the compile loss; a config cannot hold it and its weights would not be tracked (see line 10) (call the layer in the graph and pass its output to the function)",
    ),
    Unchanged(
        "factory-computing-before-it-returns",
        "def weighted(w):\n    k = w * 2\n    return lambda t, p: k * p\n\n\ndef b(m):\n    m.compile(loss=weighted(0.5))\n",
        "L2L216",
        "model.py:12:20: L2L216 loss factory `weighted(0.5)` at line 12 not converted: factory `weighted` (line 6) does more than return a nested function or a lambda (line 7); what it computes there would not be saved with the model (compute the values inside the nested function)",
    ),
    Unchanged(
        "factory-called-with-unpacked-arguments",
        "def weighted(w):\n    return lambda t, p: w * p\n\n\ndef b(m, cfg):\n    m.compile(loss=weighted(**cfg))\n",
        "L2L217",
        "model.py:11:20: L2L217 loss factory `weighted(**cfg)` at line 11 not converted: the call of factory `weighted` cannot be matched with its parameters (unpacked arguments) (pass the factory's parameters by position or keyword, without * or **)",
    ),
    Unchanged(
        "factory-parameter-without-value",
        "def weighted(w):\n    return lambda t, p: w * p\n\n\ndef b(m):\n    m.compile(loss=weighted())\n",
        "L2L217",
        "model.py:11:20: L2L217 loss factory `weighted()` at line 11 not converted: the call of factory `weighted` cannot be matched with its parameters (`w` has no value here and no literal default) (pass the factory's parameters by position or keyword, without * or **)",
    ),
    Unchanged(
        "decorated-activation",
        "import functools\n\n\n@functools.lru_cache\ndef act(x):\n    return x\n\n\ndef b(x):\n    return layers.Dense(2, activation=act)(x)\n",
        "L2L218",
        "model.py:15:39: L2L218 activation `act` at line 15 not converted: the activation `act` (line 10) is decorated; the tool cannot tell what the decorator makes of it (register it by hand with `@keras.saving.register_keras_serializable()`)",
    ),
    Unchanged(
        "lambda-default-not-literal",
        "SCALE = np.ones(2)\n\n\ndef b(x):\n    return layers.Dense(2, activation=lambda t, s=SCALE: t * s)(x)\n",
        "L2L218",
        "model.py:10:39: L2L218 activation `lambda t, s=SCALE: t * s` at line 10 not converted: parameter `s` of the activation has a default that is not a literal (make the default a literal)",
    ),
    Unchanged(
        "nonlocal-counter",
        "def b(m):\n    calls = 0\n\n    def counted(y_true, y_pred):\n        nonlocal calls\n        calls += 1\n        return y_pred\n\n    m.compile(loss=counted)\n",
        "L2L219",
        "model.py:14:20: L2L219 compile loss `counted` at line 14 not converted: the compile loss declares `nonlocal calls` and changes state outside itself; a saved copy would not share that state (see line 10) (make the function pure)",
    ),
    Unchanged(
        "def-bound-twice",
        "def b(m, flag):\n    if flag:\n        def f(t, p):\n            return p\n    else:\n        def f(t, p):\n            return t\n    m.compile(loss=f)\n",
        "L2L202",
        "model.py:13:20: L2L202 compile loss `f` at line 13 not converted: `f` is bound more than once (line 8, line 11); which function the compile loss is depends on when the code runs (bind it once)",
    ),
]

UNCHANGED += [
    Unchanged(
        "loss-through-a-self-attribute-lambda",
        "class T:\n    def __init__(self):\n        self.fn = lambda t, p: p\n\n    def build(self, m):\n        m.compile(loss=self.fn)\n",
        "L2L220",
        "model.py:11:24: L2L220 compile loss `self.fn` at line 11 not converted: the compile loss `self.fn` is a lambda assigned at line 8, reached through an attribute; Keras saves it by name and cannot find it again when the model is loaded (pass a def of this module instead (the tool registers it), or register a module-level function with `@keras.saving.register_keras_serializable()`)",
    ),
    Unchanged(
        "metric-a-method",
        "class T:\n    def peak(self, t, p):\n        return p\n\n    def build(self, m):\n        m.compile(loss='mse', metrics=[self.peak])\n",
        "L2L220",
        "model.py:11:40: L2L220 metric `self.peak` at line 11 not converted: the metric `self.peak` is the method `T.peak` (line 7), reached through an attribute; Keras saves it by name and cannot find it again when the model is loaded (pass a def of this module instead (the tool registers it), or register a module-level function with `@keras.saving.register_keras_serializable()`)",
    ),
]

test_converted, test_stays_unchanged = table_tests(CONVERTED, UNCHANGED)

SELF_ATTRIBUTES_THAT_SERIALIZE = (
    "class Block(layers.Layer):\n"
    "    def __init__(self, activation='relu'):\n"
    "        super().__init__()\n"
    "        self.activation = keras.activations.get(activation)\n"
    "        self.init = activation\n"
    "        self.dense = layers.Dense(2, activation=self.activation, kernel_initializer=self.init)\n"
)


LOSSES = (
    "import keras\n\n\n"
    "def my_loss(y_true, y_pred):\n    return keras.ops.mean(y_pred - y_true)\n\n\n"
    "@keras.saving.register_keras_serializable()\n"
    "def registered(y_true, y_pred):\n    return y_pred\n\n\n"
    "def weighted(w):\n    return lambda t, p: w * p\n"
)


def test_defs_of_another_project_module_are_refused_by_name(tmp_path: Path) -> None:
    """``from losses import my_loss`` / ``losses.my_loss`` / a factory of that module
    are refused (L2L215) with their place; a registered def, a name handed to
    ``custom_objects=`` and a library's functions are not sites at all."""
    (tmp_path / "losses.py").write_text(LOSSES)
    body = (
        "import losses\n"
        "import keras_cv\n"
        "from losses import my_loss, registered\n\n\n"
        "def b(m, x):\n"
        "    h = layers.Dense(2, activation=losses.my_loss)(x)\n"
        "    m.compile(loss=my_loss, metrics=[registered, losses.weighted(0.5), keras_cv.losses.FocalLoss()])\n"
        "    return h\n"
    )
    result = convert(tmp_path, body)
    assert result.status is Status.REFUSED or result.patched is None
    assert [(d.line, d.col, d.code) for d in result.diagnostics] == [
        (12, 36, "L2L215"),
        (13, 20, "L2L215"),
        (13, 50, "L2L215"),
    ]
    assert (
        "the compile loss `my_loss` is imported from `losses`, another module of the project"
        in result.diagnostics[1].format()
    )
    assert "metric factory `losses.weighted(0.5)`" in result.diagnostics[2].format()
    handed = (
        body
        + "\n\ndef load(p):\n    return keras.models.load_model(p, custom_objects={'a': my_loss, 'b': losses.my_loss, 'c': losses.weighted})\n"
    )
    assert not convert(tmp_path, handed).diagnostics


KERAS_OWN = (
    "def b(m, x):\n"
    '    h = layers.Dense(2, activation=tf.nn.relu6, kernel_initializer="he_normal")(x)\n'
    '    m.compile(loss=keras.losses.Huber(), metrics=["mae", keras.metrics.AUC()])\n'
    "    return layers.Activation(keras.activations.gelu)(h)\n"
)


@pytest.mark.parametrize(
    "body", [KERAS_OWN, SELF_ATTRIBUTES_THAT_SERIALIZE], ids=["keras", "self-attrs"]
)
def test_keras_names_and_objects_are_not_user_callables(
    tmp_path: Path, body: str
) -> None:
    """Keras' own names and objects, and ``self.x`` attributes holding them."""
    result = convert(tmp_path, body)
    assert result.status is Status.UNCHANGED
    assert result.patched is None and not result.diagnostics and not result.sites


@pytest.mark.parametrize("case", CONVERTED, ids=[c.id for c in CONVERTED])
def test_a_second_run_changes_nothing(tmp_path: Path, case: Converted) -> None:
    first = convert(tmp_path, case.body)
    (tmp_path / "model_layers.py").write_bytes(first.module_bytes)
    path = tmp_path / "model.py"
    path.write_bytes(first.patched)
    again = convert_source(path, "model.py", first.patched)
    assert again.status is Status.UNCHANGED, [d.format() for d in again.diagnostics]
    assert again.patched is None


def test_sites_report_their_kind(tmp_path: Path) -> None:
    body = (
        "def b(m, x):\n"
        "    h = layers.Dense(2, activation=lambda t: t, bias_initializer=lambda s, dtype=None: keras.ops.zeros(s))(x)\n"
        "    m.compile(loss=lambda t, p: p, weighted_metrics=[lambda t, p: p])\n"
    )
    result = convert(tmp_path, body)
    assert result.status is Status.CONVERTED
    assert [s.kind for s in result.sites] == [
        "activation",
        "bias_initializer",
        "compile loss",
        "weighted metric",
    ]
    assert all(s.serialized_callable for s in result.sites)
    assert HEADER + body != result.patched.decode()
