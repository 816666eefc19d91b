"""``self`` captured by a Lambda built in a method: its plain attributes become
constructor arguments read when the layer is built, wherever the class binds them
(``__init__``, ``configure()``, ``build()``, ``call()``, a base class); set outside
``__init__`` that is an L2L102 warning. Refused: an attribute provably rebound after
the Lambda is built (later in the method that builds it, or in a loop around it), a
property that computes its value, a weight, a layer or an unpicklable object read
whole, a method."""

from __future__ import annotations

from support import Converted, Unchanged, table_tests

CONVERTED = [
    Converted(
        "set-in-init-becomes-argument",
        "class B:\n    def __init__(self):\n        self.k = 2\n    def go(self, x):\n        return layers.Lambda(lambda t: t * self.k)(x)\n",
        patched="from model_layers import Scale\nclass B:\n    def __init__(self):\n        self.k = 2\n    def go(self, x):\n        return Scale(k=self.k)(x)\n",
        methods={"Scale.call": "def call(self, t):\n    k = self.k\n    return t * k"},
        decisions=(("self.k -> constructor argument `k`: `self.k` of the builder",),),
    ),
    Converted(
        "set-in-configure-warns",
        "class B:\n    def configure(self, k):\n        self.k = k\n    def go(self, x):\n        return layers.Lambda(lambda t: t * self.k)(x)\n",
        patched="from model_layers import Scale\nclass B:\n    def configure(self, k):\n        self.k = k\n    def go(self, x):\n        return Scale(k=self.k)(x)\n",
        methods={
            "Scale.__init__": "def __init__(self, k, **kwargs):\n    super().__init__(**kwargs)\n    self.k = k",
            "Scale.call": "def call(self, t):\n    k = self.k\n    return t * k",
        },
        decisions=(("self.k -> constructor argument `k`: `self.k` of the builder",),),
        diagnostics=(
            "model.py:10:16: L2L102 `self.k` (set in `configure()`, line 8) is read when the layer is built, not each time it runs",
        ),
    ),
    Converted(
        "set-before-the-lambda-in-the-builder-warns",
        "class B:\n    def go(self, x):\n        self.k = 3\n        return layers.Lambda(lambda t: t * self.k)(x)\n",
        patched="from model_layers import Scale\nclass B:\n    def go(self, x):\n        self.k = 3\n        return Scale(k=self.k)(x)\n",
        decisions=(("self.k -> constructor argument `k`: `self.k` of the builder",),),
        diagnostics=(
            "model.py:9:16: L2L102 `self.k` (set in `go()`, line 8) is read when the layer is built, not each time it runs",
        ),
    ),
    Converted(
        "set-in-build-of-a-keras-layer",
        "class Block(keras.layers.Layer):\n    def build(self, input_shape):\n        self.scale = float(input_shape[-1]) ** -0.5\n        self.lam = layers.Lambda(lambda t: t * self.scale)\n    def call(self, x):\n        return self.lam(x)\n",
        patched="from model_layers import Scale\nclass Block(keras.layers.Layer):\n    def build(self, input_shape):\n        self.scale = float(input_shape[-1]) ** -0.5\n        self.lam = Scale(scale=self.scale)\n    def call(self, x):\n        return self.lam(x)\n",
        methods={
            "Scale.call": "def call(self, t):\n    scale = self.scale\n    return t * scale"
        },
        decisions=(
            (
                "self.scale -> constructor argument `scale`: `self.scale` of the builder",
            ),
        ),
        diagnostics=(
            "model.py:9:20: L2L102 `self.scale` (set in `build()`, line 8) is read when the layer is built, not each time it runs",
        ),
    ),
    Converted(
        "set-in-call-of-a-keras-model",
        "class Net(keras.Model):\n    def __init__(self):\n        super().__init__()\n        self.dense = layers.Dense(3)\n    def call(self, x):\n        self.factor = 2.0\n        return layers.Lambda(lambda t: t * self.factor)(self.dense(x))\n",
        patched="from model_layers import Scale\nclass Net(keras.Model):\n    def __init__(self):\n        super().__init__()\n        self.dense = layers.Dense(3)\n    def call(self, x):\n        self.factor = 2.0\n        return Scale(factor=self.factor)(self.dense(x))\n",
        decisions=(
            (
                "self.factor -> constructor argument `factor`: `self.factor` of the builder",
            ),
        ),
        diagnostics=(
            "model.py:12:16: L2L102 `self.factor` (set in `call()`, line 11) is read when the layer is built, not each time it runs",
        ),
    ),
    Converted(
        "rebound-in-another-method-is-no-provable-order",
        "class B:\n    def __init__(self):\n        self.k = 1\n    def go(self, x):\n        return layers.Lambda(lambda t: t * self.k)(x)\n    def retune(self):\n        self.k = 5\n",
        patched="from model_layers import Scale\nclass B:\n    def __init__(self):\n        self.k = 1\n    def go(self, x):\n        return Scale(k=self.k)(x)\n    def retune(self):\n        self.k = 5\n",
        decisions=(("self.k -> constructor argument `k`: `self.k` of the builder",),),
        diagnostics=(
            "model.py:10:16: L2L102 `self.k` (set in `retune()`, line 12) is read when the layer is built, not each time it runs",
        ),
    ),
    Converted(
        "chain-set-in-setup-warns-once",
        "class B:\n    def setup(self, cfg):\n        self.cfg = cfg\n    def go(self, x):\n        return layers.Lambda(lambda t: t * self.cfg.scale + self.cfg.bias)(x)\n",
        patched="from model_layers import Shift\nclass B:\n    def setup(self, cfg):\n        self.cfg = cfg\n    def go(self, x):\n        return Shift(bias=self.cfg.bias, scale=self.cfg.scale)(x)\n",
        methods={
            "Shift.call": "def call(self, t):\n    bias = self.bias\n    scale = self.scale\n    return t * scale + bias"
        },
        decisions=(
            (
                "self.cfg.bias -> constructor argument `bias`: `self.cfg.bias` of the builder",
                "self.cfg.scale -> constructor argument `scale`: `self.cfg.scale` of the builder",
            ),
        ),
        diagnostics=(
            "model.py:10:16: L2L102 `self.cfg` (set in `setup()`, line 8) is read when the layer is built, not each time it runs",
        ),
    ),
    Converted(
        "set-in-a-base-class-method",
        "class Base:\n    def configure(self, k):\n        self.k = k\nclass B(Base):\n    def go(self, x):\n        return layers.Lambda(lambda t: t * self.k)(x)\n",
        patched="from model_layers import Scale\nclass Base:\n    def configure(self, k):\n        self.k = k\nclass B(Base):\n    def go(self, x):\n        return Scale(k=self.k)(x)\n",
        decisions=(("self.k -> constructor argument `k`: `self.k` of the builder",),),
        diagnostics=(
            "model.py:11:16: L2L102 `self.k` (set in `Base.configure()`, line 8) is read when the layer is built, not each time it runs",
        ),
    ),
    Converted(
        "nested-def-reads-an-attribute-set-in-configure",
        "class Tower:\n    def configure(self, gain):\n        self.gain = gain\n    def __call__(self, x):\n        def _rescale(t):\n            return t * self.gain\n        return layers.Lambda(_rescale)(x)\n",
        patched="from model_layers import Rescale\nclass Tower:\n    def configure(self, gain):\n        self.gain = gain\n    def __call__(self, x):\n        def _rescale(t):\n            return t * self.gain\n        return Rescale(gain=self.gain)(x)\n",
        methods={
            "Rescale.call": "def call(self, t):\n    gain = self.gain\n    return t * gain"
        },
        decisions=(
            ("self.gain -> constructor argument `gain`: `self.gain` of the builder",),
        ),
        diagnostics=(
            "model.py:12:16: L2L102 `self.gain` (set in `configure()`, line 8) is read when the layer is built, not each time it runs",
        ),
    ),
    Converted(
        "setattr-with-a-literal-name-in-init",
        'class B:\n    def __init__(self, **kw):\n        setattr(self, "k", kw["k"])\n    def go(self, x):\n        return layers.Lambda(lambda t: t * self.k)(x)\n',
        patched='from model_layers import Scale\nclass B:\n    def __init__(self, **kw):\n        setattr(self, "k", kw["k"])\n    def go(self, x):\n        return Scale(k=self.k)(x)\n',
        decisions=(("self.k -> constructor argument `k`: `self.k` of the builder",),),
    ),
    Converted(
        "setattr-with-a-computed-name-warns",
        "class B:\n    def configure(self, **kw):\n        for name, value in kw.items():\n            setattr(self, name, value)\n    def go(self, x):\n        return layers.Lambda(lambda t: t * self.k)(x)\n",
        patched="from model_layers import Scale\nclass B:\n    def configure(self, **kw):\n        for name, value in kw.items():\n            setattr(self, name, value)\n    def go(self, x):\n        return Scale(k=self.k)(x)\n",
        decisions=(("self.k -> constructor argument `k`: `self.k` of the builder",),),
        diagnostics=(
            "model.py:11:16: L2L102 `self.k` (possibly set by `setattr` in `configure()`, line 9) is read when the layer is built, not each time it runs",
        ),
    ),
    Converted(
        "another-attribute-set-after-the-lambda",
        "class B:\n    def go(self, x):\n        self.k = 2\n        y = layers.Lambda(lambda t: t * self.k)(x)\n        self.other = y\n        return y\n",
        patched="from model_layers import Scale\nclass B:\n    def go(self, x):\n        self.k = 2\n        y = Scale(k=self.k)(x)\n        self.other = y\n        return y\n",
        decisions=(("self.k -> constructor argument `k`: `self.k` of the builder",),),
        diagnostics=(
            "model.py:9:13: L2L102 `self.k` (set in `go()`, line 8) is read when the layer is built, not each time it runs",
        ),
    ),
    Converted(
        "property-returning-an-attribute",
        'class B:\n    def __init__(self, k):\n        self._k = k\n    @property\n    def k(self):\n        """The gain."""\n        return self._k\n    def go(self, x):\n        return layers.Lambda(lambda t: t * self.k)(x)\n',
        patched='from model_layers import Scale\nclass B:\n    def __init__(self, k):\n        self._k = k\n    @property\n    def k(self):\n        """The gain."""\n        return self._k\n    def go(self, x):\n        return Scale(k=self.k)(x)\n',
        decisions=(("self.k -> constructor argument `k`: `self.k` of the builder",),),
    ),
    Converted(
        "a-value-read-from-a-layer-attribute",
        "class B:\n    def configure(self):\n        self.d = layers.Dense(3)\n    def go(self, x):\n        return layers.Lambda(lambda t: t * self.d.units)(x)\n",
        patched="from model_layers import Scale\nclass B:\n    def configure(self):\n        self.d = layers.Dense(3)\n    def go(self, x):\n        return Scale(units=self.d.units)(x)\n",
        decisions=(
            (
                "self.d.units -> constructor argument `units`: `self.d.units` of the builder",
            ),
        ),
        diagnostics=(
            "model.py:10:16: L2L102 `self.d` (set in `configure()`, line 8) is read when the layer is built, not each time it runs",
        ),
    ),
    Converted(
        "loop-binds-through-a-default",
        "class B:\n    def go(self, x):\n        out = []\n        for i in range(3):\n            self.k = i\n            out.append(layers.Lambda(lambda t, k=self.k: t * k)(x))\n        return out\n",
        patched="from model_layers import Scale\nclass B:\n    def go(self, x):\n        out = []\n        for i in range(3):\n            self.k = i\n            out.append(Scale(k=self.k)(x))\n        return out\n",
        methods={"Scale.call": "def call(self, t):\n    k = self.k\n    return t * k"},
        decisions=(("self.k -> constructor argument `k`: default of parameter `k`",),),
    ),
]

UNCHANGED = [
    Unchanged(
        "reassigned-after-the-lambda",
        "class B:\n    def go(self, x):\n        self.k = 2\n        y = layers.Lambda(lambda t: t * self.k)(x)\n        self.k = 3\n        return y\n",
        "L2L205",
        "model.py:9:41: L2L205 Lambda at line 9 not converted: `self.k` is reassigned after the Lambda is built (line 10, in `go()`); the Lambda reads the new value when the model runs, a layer keeps the value it was built with (assign it before the Lambda is built, or pass the value explicitly with `arguments=`)",
    ),
    Unchanged(
        "chain-reassigned-after-the-lambda",
        "class B:\n    def go(self, x):\n        y = layers.Lambda(lambda t: t * self.cfg.scale)(x)\n        self.cfg.scale += 1\n        return y\n",
        "L2L205",
        "model.py:8:41: L2L205 Lambda at line 8 not converted: `self.cfg.scale` is reassigned after the Lambda is built (line 9, in `go()`); the Lambda reads the new value when the model runs, a layer keeps the value it was built with (assign it before the Lambda is built, or pass the value explicitly with `arguments=`)",
    ),
    Unchanged(
        "reassigned-after-the-lambda-in-init",
        "class B:\n    def __init__(self):\n        self.lam = layers.Lambda(lambda t: t * self.k)\n        self.k = 2\n",
        "L2L205",
        "model.py:8:48: L2L205 Lambda at line 8 not converted: `self.k` is reassigned after the Lambda is built (line 9, in `__init__()`); the Lambda reads the new value when the model runs, a layer keeps the value it was built with (assign it before the Lambda is built, or pass the value explicitly with `arguments=`)",
    ),
    Unchanged(
        "setattr-after-the-lambda",
        'class B:\n    def go(self, x):\n        y = layers.Lambda(lambda t: t * self.k)(x)\n        setattr(self, "k", 4)\n        return y\n',
        "L2L205",
        "model.py:8:41: L2L205 Lambda at line 8 not converted: `self.k` is reassigned after the Lambda is built (line 9, in `go()`); the Lambda reads the new value when the model runs, a layer keeps the value it was built with (assign it before the Lambda is built, or pass the value explicitly with `arguments=`)",
    ),
    Unchanged(
        "reassigned-in-the-loop-that-builds-it",
        "class B:\n    def go(self, x):\n        out = []\n        for i in range(3):\n            self.k = i\n            out.append(layers.Lambda(lambda t: t * self.k)(x))\n        return out\n",
        "L2L205",
        "model.py:11:52: L2L205 Lambda at line 11 not converted: `self.k` is reassigned in the loop that builds the Lambda (line 10); every Lambda built there reads its last value when the model runs, a layer keeps the value it was built with (bind the value per Lambda with a default (`lambda t, k=self.k: t * k`) or pass it with `arguments=`)",
    ),
    Unchanged(
        "loop-target-is-the-attribute",
        "class B:\n    def go(self, x):\n        out = []\n        for self.k in range(3):\n            out.append(layers.Lambda(lambda t: t * self.k)(x))\n        return out\n",
        "L2L205",
        "model.py:10:52: L2L205 Lambda at line 10 not converted: `self.k` is reassigned in the loop that builds the Lambda (line 9); every Lambda built there reads its last value when the model runs, a layer keeps the value it was built with (bind the value per Lambda with a default (`lambda t, k=self.k: t * k`) or pass it with `arguments=`)",
    ),
    Unchanged(
        "computed-property",
        "class B:\n    def __init__(self, k):\n        self._k = k\n    @property\n    def k(self):\n        return self._k * 2\n    def go(self, x):\n        return layers.Lambda(lambda t: t * self.k)(x)\n",
        "L2L205",
        "model.py:13:44: L2L205 Lambda at line 13 not converted: `self.k` is a property (line 10): its code runs each time the Lambda reads it, and a layer config can hold only a value (read the plain attribute it returns, or pass the value explicitly with `arguments=`)",
    ),
    Unchanged(
        "a-weight-of-a-keras-layer",
        'class Block(keras.layers.Layer):\n    def build(self, input_shape):\n        self.gamma = self.add_weight(shape=(input_shape[-1],), initializer="ones")\n        self.lam = layers.Lambda(lambda t: t * self.gamma)\n    def call(self, x):\n        return self.lam(x)\n',
        "L2L204",
        "model.py:9:48: L2L204 Lambda at line 9 not converted: `self.gamma` (line 8) is a weight captured by the Lambda; a config cannot hold it and the layer it belongs to would not train it through the Lambda (apply the weight in a layer's call (or in the graph) and pass the result to the Lambda)",
    ),
    Unchanged(
        "an-unpicklable-attribute",
        "import threading\nclass B:\n    def configure(self):\n        self.lock = threading.Lock()\n    def go(self, x):\n        return layers.Lambda(lambda t: (self.lock, t)[1])(x)\n",
        "L2L203",
        "model.py:11:41: L2L203 Lambda at line 11 not converted: `self.lock` (line 9) is an unpicklable object (keep such state outside the model)",
    ),
    Unchanged(
        "a-method-passed-on",
        "class B:\n    def fn(self, t):\n        return t\n    def go(self, x):\n        return layers.Lambda(lambda t: tf.map_fn(self.fn, t))(x)\n",
        "L2L205",
        "model.py:10:50: L2L205 Lambda at line 10 not converted: the Lambda uses the method `self.fn`, bound to the builder object, which cannot be stored in a layer config (move the method to module level)",
    ),
    Unchanged(
        "self-method-call",
        "class B:\n    def f(self, t):\n        return t\n    def go(self, x):\n        return layers.Lambda(lambda t: self.f(t))(x)\n",
        "L2L205",
        "model.py:10:40: L2L205 Lambda at line 10 not converted: the Lambda calls `self.f()`; the builder object cannot be stored in a layer config (read plain attributes only, or move the method to module level)",
    ),
]


test_converted, test_stays_unchanged = table_tests(CONVERTED, UNCHANGED)
