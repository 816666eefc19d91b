"""Resolver decisions as tables: what gets converted how, and what is refused why."""

from __future__ import annotations

from pathlib import Path

import pytest

from lambda2layer.pipeline import Status, convert_source

HEADER = "import keras\nimport numpy as np\nimport tensorflow as tf\nfrom keras import layers\n"


def convert(tmp_path: Path, body: str):
    path = tmp_path / "model.py"
    text = HEADER + body
    path.write_text(text)
    return convert_source(path, "model.py", text.encode())


# (id, model body, substrings of the generated module, substrings of the patched file)
FIXES = [
    (
        "module-int-constant-becomes-argument",
        "W = 3\ndef b(x):\n    return layers.Lambda(lambda t: t[:, -W:])(x)\n",
        ["def __init__(self, w, **kwargs)", "W = self.w"],
        ["Slice(w=W)(x)"],
    ),
    (
        "numpy-constant-moves-with-helper",
        "M = np.array([1.0, 2.0])\ndef _h(t):\n    return t - M\ndef b(x):\n    return layers.Lambda(lambda t: _h(t))(x)\n",
        ["M = np.array([1.0, 2.0])", "def _h(t):", "import numpy as np"],
        ["from model_layers import H, M"],
    ),
    (
        "enclosing-parameter-becomes-argument",
        "def b(x, n):\n    return layers.Lambda(lambda t: t * n)(x)\n",
        ["n = self.n", "_from_config"],
        ["Scale(n=n)(x)"],
    ),
    (
        "arguments-dict-becomes-arguments",
        "def f(x, a):\n    return x * a\ndef b(x):\n    return layers.Lambda(f, arguments={'a': 2})(x)\n",
        ["return f(inputs, a=self.a)"],
        ["F(a=2)(x)"],
    ),
    (
        "captured-tensor-becomes-extra-input",
        "def b():\n    i = keras.Input((4,))\n    j = keras.Input((4,))\n    return layers.Lambda(lambda t: t + j)(i)\n",
        ["t, j = inputs"],
        ["Shift()([i, j])"],
    ),
    (
        "self-attribute-becomes-argument",
        "class B:\n    def __init__(self):\n        self.k = 2\n    def go(self, x):\n        return layers.Lambda(lambda t: t * self.k)(x)\n",
        ["k = self.k", "return t * k"],
        ["Scale(k=self.k)(x)"],
    ),
    (
        "training-is-passed-when-named",
        "def f(x, training=None):\n    return x\ndef b(x):\n    return layers.Lambda(f)(x)\n",
        ["def call(self, inputs, training=None):", "f(inputs, training=training)"],
        ["F()(x)"],
    ),
    (
        "mask-function-becomes-compute-mask",
        "def b(x):\n    return layers.Lambda(lambda t: t, mask=lambda i, m: m)(x)\n",
        ["def compute_mask(self, inputs, mask=None):", "self.supports_masking = True"],
        ["()(x)"],
    ),
    (
        "output-shape-tuple",
        "def b(x):\n    return layers.Lambda(lambda t: t, output_shape=(4, None))(x)\n",
        ["return (batch_size, 4, None)"],
        ["()(x)"],
    ),
    (
        "name-kept-at-call-site",
        "def b(x):\n    return layers.Lambda(lambda t: t, name='ident', dtype='float32')(x)\n",
        ["class Ident("],
        ["Ident(name='ident', dtype='float32')(x)"],
    ),
    (
        "library-function",
        "def b(x):\n    return layers.Lambda(tf.nn.relu)(x)\n",
        ["return tf.nn.relu(inputs)", "import tensorflow as tf"],
        ["Relu()(x)"],
    ),
    (
        "identical-lambdas-share-a-class",
        "def b(x):\n    x = layers.Lambda(lambda t: t * 0.5)(x)\n    return layers.Lambda(lambda t: t * 0.5)(x)\n",
        ["identical Lambda layers at model.py:6, model.py:7"],
        ["x = Scale()(x)\n    return Scale()(x)"],
    ),
    (
        "reserved-parameter-names-are-renamed",
        "def b(x, name, _lock):\n    return layers.Lambda(lambda t: t * name * _lock)(x)\n",
        ["self.name_value = name_value", "self.lock = lock"],
        ["name_value=name", "lock=_lock"],
    ),
]


@pytest.mark.parametrize("case,body,module,patched", FIXES, ids=[f[0] for f in FIXES])
def test_conversions(
    tmp_path: Path, case: str, body: str, module: list[str], patched: list[str]
) -> None:
    result = convert(tmp_path, body)
    assert result.status is Status.CONVERTED, [d.format() for d in result.diagnostics]
    generated = result.module_bytes.decode()
    new = result.patched.decode()
    for text in module:
        assert text in generated, generated
    for text in patched:
        assert text in new, new
    compile(generated, "model_layers.py", "exec")


# (id, model body, refusal code, words the message must name)
REFUSALS = [
    (
        "module-name-reassigned",
        "G = 1\ndef b(x):\n    return layers.Lambda(lambda t: t * G)(x)\nG = 2\n",
        "L2L202",
        ["`G`", "line 5", "line 8"],
    ),
    (
        "unpicklable-lock",
        "import threading\nL = threading.Lock()\ndef b(x):\n    return layers.Lambda(lambda t: (L, t)[1])(x)\n",
        "L2L203",
        ["`L`", "threading.Lock"],
    ),
    (
        "captured-layer",
        "def b(x):\n    d = layers.Dense(2)\n    return layers.Lambda(lambda t: d(t))(x)\n",
        "L2L204",
        ["`d`", "line 6"],
    ),
    (
        "mutable-self-state",
        "class B:\n    def go(self, x):\n        self.k = 3\n        return layers.Lambda(lambda t: t * self.k)(x)\n",
        "L2L205",
        ["self.k"],
    ),
    (
        "self-method-call",
        "class B:\n    def f(self, t):\n        return t\n    def go(self, x):\n        return layers.Lambda(lambda t: self.f(t))(x)\n",
        "L2L205",
        ["self.f()"],
    ),
    (
        "undefined-name",
        "def b(x):\n    return layers.Lambda(lambda t: t * MISSING)(x)\n",
        "L2L206",
        ["`MISSING`"],
    ),
    (
        "helper-mutates-module",
        "N = [0]\ndef h(t):\n    N[0] += 1\n    return t\ndef b(x):\n    return layers.Lambda(h)(x)\n",
        "L2L207",
        ["`N`"],
    ),
    (
        "global-statement",
        "N = 0\ndef h(t):\n    global N\n    N = 1\n    return t\ndef b(x):\n    return layers.Lambda(h)(x)\n",
        "L2L207",
        ["global N"],
    ),
    (
        "tensor-but-not-applied",
        "def b():\n    i = keras.Input((2,))\n    lam = layers.Lambda(lambda t: t + i)\n    return lam(i)\n",
        "L2L208",
        ["`i`"],
    ),
    (
        "function-from-parameter",
        "def b(x, fn):\n    return layers.Lambda(fn)(x)\n",
        "L2L201",
        ["`fn`"],
    ),
    (
        "function-from-factory",
        "def make():\n    return lambda t: t\ndef b(x):\n    return layers.Lambda(make())(x)\n",
        "L2L201",
        ["factory"],
    ),
    (
        "varargs",
        "def b(x):\n    return layers.Lambda(lambda *ts: ts[0])(x)\n",
        "L2L209",
        ["*args"],
    ),
    (
        "arguments-not-literal",
        "def f(x, a):\n    return x\ndef b(x, kw):\n    return layers.Lambda(f, arguments=kw)(x)\n",
        "L2L211",
        ["arguments="],
    ),
    (
        "opaque-module-object",
        "class C:\n    pass\nOBJ = C()\ndef b(x):\n    return layers.Lambda(lambda t: t * OBJ)(x)\n",
        "L2L210",
        ["`OBJ`"],
    ),
]


@pytest.mark.parametrize("case,body,code,words", REFUSALS, ids=[r[0] for r in REFUSALS])
def test_refusals(
    tmp_path: Path, case: str, body: str, code: str, words: list[str]
) -> None:
    result = convert(tmp_path, body)
    assert result.status is Status.REFUSED, result.status
    assert result.patched is None  # the file is not touched
    diag = next(d for d in result.diagnostics if d.code == code)
    text = diag.format()
    assert text.startswith("model.py:") and diag.line > 4
    for word in words:
        assert word in text, text
    assert diag.hint or code == "L2L209"


def test_late_binding_loop_warns_and_binds_per_iteration(tmp_path: Path) -> None:
    body = "def b(x):\n    out = []\n    for i in range(3):\n        out.append(layers.Lambda(lambda t: t[..., i])(x))\n    return out\n"
    result = convert(tmp_path, body)
    assert result.status is Status.CONVERTED
    assert "Slice(i=i)(x)" in result.patched.decode()
    assert any(
        d.code == "L2L101" and "late binding" in d.message for d in result.diagnostics
    )


def test_default_pinned_loop_value_does_not_warn(tmp_path: Path) -> None:
    body = "def b(x):\n    return [layers.Lambda(lambda t, k=k: t[..., k])(x) for k in range(3)]\n"
    result = convert(tmp_path, body)
    assert "Slice(k=k)(x)" in result.patched.decode()
    assert not any(d.code == "L2L101" for d in result.diagnostics)


def test_lambda_free_file_is_not_parsed(tmp_path: Path) -> None:
    result = convert_source(
        tmp_path / "x.py", "x.py", b"print 'python 2 but no layers'\n"
    )
    assert result.status is Status.UNCHANGED and not result.diagnostics
