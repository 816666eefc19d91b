"""What the resolver knows about one file, and how it classifies values built there
(Keras layers, unpicklable objects, inputs, JSON literals)."""

from __future__ import annotations

import ast
from dataclasses import dataclass
from typing import Callable

from lambda2layer.diagnostics import Why
from lambda2layer.extract import keras_path, qualify
from lambda2layer.resolve.records import Refusal, Refused
from lambda2layer.scope import Binding, Bound, ModuleScopes
from lambda2layer.source import SourceText

_UNPICKLABLE = {
    "threading.Lock",
    "threading.RLock",
    "threading.Event",
    "threading.Condition",
    "threading.Semaphore",
    "threading.BoundedSemaphore",
    "threading.Thread",
    "multiprocessing.Lock",
    "multiprocessing.RLock",
    "multiprocessing.Queue",
    "multiprocessing.Pool",
    "queue.Queue",
    "socket.socket",
    "io.open",
    "open",
    "sqlite3.connect",
    "tempfile.TemporaryFile",
    "tempfile.NamedTemporaryFile",
    "subprocess.Popen",
    "concurrent.futures.ThreadPoolExecutor",
}
_JSON_SCALARS = (int, float, str, bool, type(None))


def chain_root(node: ast.expr) -> ast.expr:
    while isinstance(node, (ast.Attribute, ast.Subscript, ast.Call)):
        node = node.func if isinstance(node, ast.Call) else node.value
    return node


@dataclass
class Context:
    """Everything the resolver needs to know about one file."""

    path: str
    src: SourceText
    tree: ast.Module
    scopes: ModuleScopes
    imports: dict[str, str]
    has_star_import: bool
    # parameters of a function imported from the user's project, if its source can be read
    imported_params: Callable[[ast.ImportFrom, ast.alias], list[str] | None] = (
        lambda stmt, alias: None
    )

    def refuse(self, node: ast.AST, why: Why, **params: object) -> Refused:
        """The refusal ``why`` at ``node``, its message filled in with ``params``."""
        refusal = Refusal(
            why.code, why.text(**params), why.hint, node.lineno, node.col_offset + 1
        )
        return Refused(refusal)

    def where(self, binding: Binding) -> str:
        node = (
            binding.stmt
            if binding.kind in (Bound.PARAM, Bound.IMPORT, Bound.COMPREHENSION)
            else binding.node
        )
        line = getattr(node, "lineno", None) or getattr(binding.node, "lineno", "?")
        return f"line {line}"

    def qualified_call(self, value: ast.expr | None) -> str | None:
        if isinstance(value, ast.Call):
            return qualify(value.func, self.imports) or (
                value.func.id if isinstance(value.func, ast.Name) else None
            )
        return None

    def is_layer_construction(self, value: ast.expr | None) -> bool:
        path = self.qualified_call(value)
        canon = keras_path(path) if path else None
        if canon is None:
            return False
        return canon.startswith(
            ("keras.layers.", "keras.models.", "keras.applications.")
        ) or canon in ("keras.Model", "keras.Sequential")

    def is_unpicklable(self, value: ast.expr | None) -> bool:
        path = self.qualified_call(value)
        return path in _UNPICKLABLE if path else False

    def is_input(self, value: ast.expr | None) -> bool:
        path = self.qualified_call(value)
        return bool(path) and (path == "Input" or path.endswith(".Input"))


def is_json_literal(node: ast.expr) -> bool:
    try:
        value = ast.literal_eval(node)
    except (ValueError, TypeError, SyntaxError, MemoryError, RecursionError):
        return False
    return _json_value(value)


def _json_value(value: object) -> bool:
    if isinstance(value, _JSON_SCALARS):
        return True
    if isinstance(value, list):
        return all(_json_value(v) for v in value)
    if isinstance(value, dict):
        return all(isinstance(k, str) and _json_value(v) for k, v in value.items())
    return False
