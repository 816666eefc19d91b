"""Find Keras ``Lambda`` constructions by import resolution, not by spelling."""

from __future__ import annotations

import ast
from dataclasses import dataclass

from lambda2layer.scope import ModuleScopes

# Module prefixes that all mean "Keras" for our purpose.
_KERAS_ROOTS = ("tensorflow.python.keras", "tensorflow.keras", "tf_keras", "keras")
_LAMBDA_MODULES = {
    "keras.layers",
    "keras.layers.core",
    "keras.layers.core.lambda_layer",
    "keras.src.layers",
    "keras.src.layers.core.lambda_layer",
    "keras.api.layers",
}
_LAMBDA_PARAMS = ("function", "output_shape", "mask", "arguments")
_IMPORTS = (ast.Import, ast.ImportFrom)


@dataclass(frozen=True, slots=True)
class LambdaSite:
    """One ``Lambda(...)`` construction and what surrounds it."""

    call: ast.Call
    application: ast.Call | None  # ``Lambda(...)(x)``: the immediate call
    function: ast.expr | None
    output_shape: ast.expr | None
    mask: ast.expr | None
    arguments: ast.expr | None
    kept_keywords: tuple[ast.keyword, ...]  # name=, dtype=, trainable=, ...
    layer_name: str | None  # the literal ``name=`` if there is one
    assigned_to: str | None  # ``up = Lambda(...)``
    extra_positional: bool  # more positional arguments than Lambda takes
    wrapped: bool = (
        False  # inside TimeDistributed(...) / Bidirectional(...): needs compute_output_shape
    )

    @property
    def line(self) -> int:
        return self.call.lineno

    @property
    def col(self) -> int:
        return self.call.col_offset + 1


def canonical_module(qualified: str) -> str | None:
    """``tensorflow.keras.layers`` -> ``keras.layers``; None if not Keras."""
    for root in _KERAS_ROOTS:
        if qualified == root or qualified.startswith(root + "."):
            return "keras" + qualified[len(root) :]
    return None


def keras_path(qualified: str) -> str | None:
    """``tensorflow.keras.layers.X``, ``tf_keras.layers.X`` or ``tensorflow.python.keras...``
    -> ``keras.layers.X``; None if the path is not Keras."""
    canon = canonical_module(qualified)
    if canon is None and qualified.startswith("tensorflow."):
        canon = canonical_module(qualified[len("tensorflow.") :])
    return canon


def import_table(
    tree: ast.Module, nodes: list[ast.AST] | None = None
) -> tuple[dict[str, str], list[str]]:
    """Names bound by imports (anywhere in the file) -> dotted path; star-imported modules."""
    table: dict[str, str] = {}
    stars: list[str] = []
    every = nodes if nodes is not None else ast.walk(tree)
    for node in [n for n in every if n.__class__ in _IMPORTS]:
        if isinstance(node, ast.Import):
            for alias in node.names:
                if alias.asname:
                    table[alias.asname] = alias.name
                else:
                    root = alias.name.split(".")[0]
                    table[root] = root
        elif isinstance(node, ast.ImportFrom):
            module = "." * node.level + (node.module or "")
            for alias in node.names:
                if alias.name == "*":
                    stars.append(module)
                else:
                    table[alias.asname or alias.name] = f"{module}.{alias.name}"
    for (
        stmt
    ) in tree.body:  # module aliases: ``K = keras.backend``, ``KL = tf.keras.layers``
        if (
            isinstance(stmt, ast.Assign)
            and len(stmt.targets) == 1
            and isinstance(stmt.targets[0], ast.Name)
            and stmt.targets[0].id not in table
            and isinstance(stmt.value, ast.Attribute)
        ):
            path = qualify(stmt.value, table)
            if path is not None:
                table[stmt.targets[0].id] = path
    return table, stars


def qualify(node: ast.expr, table: dict[str, str]) -> str | None:
    if isinstance(node, ast.Name):
        return table.get(node.id)
    if isinstance(node, ast.Attribute):
        base = qualify(node.value, table)
        return f"{base}.{node.attr}" if base else None
    return None


def _root_name(node: ast.expr) -> str | None:
    while isinstance(node, ast.Attribute):
        node = node.value
    return node.id if isinstance(node, ast.Name) else None


class LambdaFinder:
    """Decides whether a call constructs a Keras Lambda layer."""

    def __init__(self, tree: ast.Module, nodes: list[ast.AST] | None = None):
        self.nodes = nodes if nodes is not None else list(ast.walk(tree))
        self.table, stars = import_table(tree, self.nodes)
        self.stars = tuple(stars)  # the star-imported modules
        self.has_star_import = bool(stars)
        self.star_keras = any(
            (canonical_module(s) or "") in _LAMBDA_MODULES for s in stars
        )
        self.uses_keras = any(
            canonical_module(v) is not None or v.split(".")[0] == "tensorflow"
            for v in self.table.values()
        ) or bool(stars)
        self.aliases = self._lambda_aliases(tree)

    @property
    def might_have_sites(self) -> bool:
        """False when the file cannot construct a Keras Lambda (no Keras import at all)."""
        return self.uses_keras or bool(self.aliases)

    def _lambda_aliases(self, tree: ast.Module) -> set[str]:
        aliases = set()
        for name, path in self.table.items():
            if self._is_lambda_path(path):
                aliases.add(name)
        if self.star_keras and "Lambda" not in self.table:
            aliases.add("Lambda")
        assigns = [n for n in self.nodes if n.__class__ is ast.Assign]
        for node in assigns:  # ``Lam = keras.layers.Lambda``
            if self._is_lambda_ref(node.value, aliases):
                aliases.update(t.id for t in node.targets if isinstance(t, ast.Name))
        return aliases

    def _is_lambda_path(self, path: str | None) -> bool:
        if not path or not path.endswith(".Lambda"):
            return False
        tensorflow_keras = path.startswith("tensorflow.") and ".keras." in path
        module = keras_path(path[: -len(".Lambda")])
        return module in _LAMBDA_MODULES or (
            tensorflow_keras and path.endswith("layers.Lambda")
        )

    def _is_lambda_ref(self, node: ast.expr, aliases: set[str]) -> bool:
        if isinstance(node, ast.Name):
            return node.id in aliases
        if isinstance(node, ast.Attribute) and node.attr == "Lambda":
            path = qualify(node, self.table)
            if path is not None:
                return self._is_lambda_path(path)
            # Root not bound by an import (a parameter, say): trust the spelling
            # only in files that use Keras at all.
            return self.uses_keras and _root_name(node) is not None
        return False

    def is_lambda(self, call: ast.Call) -> bool:
        return self._is_lambda_ref(call.func, self.aliases)


def unbound_lambda_calls(finder: LambdaFinder) -> list[ast.Call]:
    """Calls spelled like a Keras Lambda that nothing in the file ties to Keras, so
    that they are reported rather than passed over: ``layers.Lambda(...)`` where
    ``layers`` is a parameter or a run-time value in a file that imports no Keras, and
    a bare ``Lambda(...)`` that no import or definition of the file binds (a star
    import of a project module may). A ``Lambda`` imported from elsewhere
    (``sympy.Lambda``) or defined in the file is something else."""
    defined = {
        n.name
        for n in finder.nodes
        if n.__class__ in (ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)
    } | {
        t.id
        for n in finder.nodes
        if n.__class__ is ast.Assign
        for t in n.targets
        if isinstance(t, ast.Name)
    }
    calls = []
    for call in [n for n in finder.nodes if n.__class__ is ast.Call]:
        func = call.func
        if finder.is_lambda(call) or qualify(func, finder.table) is not None:
            continue
        if (
            isinstance(func, ast.Name)
            and func.id == "Lambda"
            and "Lambda" not in defined
        ):
            calls.append(call)
        elif (
            isinstance(func, ast.Attribute)
            and func.attr == "Lambda"
            and _root_name(func) is not None
        ):
            calls.append(call)
    return calls


_WRAPPERS = {"TimeDistributed", "Bidirectional"}


def _is_wrapped(call: ast.Call, parent: ast.AST | None) -> bool:
    if not isinstance(parent, ast.Call) or parent.func is call:
        return False
    func = parent.func
    name = (
        func.attr
        if isinstance(func, ast.Attribute)
        else func.id if isinstance(func, ast.Name) else ""
    )
    return name in _WRAPPERS


def _string(node: ast.expr | None) -> str | None:
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    return None


def find_sites(
    tree: ast.Module, scopes: ModuleScopes, finder: LambdaFinder | None = None
) -> list[LambdaSite]:
    finder = finder or LambdaFinder(tree)
    sites = []
    for node in [n for n in finder.nodes if n.__class__ is ast.Call]:
        if not finder.is_lambda(node):
            continue
        parent = scopes.parent(node)
        application = (
            parent if isinstance(parent, ast.Call) and parent.func is node else None
        )
        params: dict[str, ast.expr] = dict(zip(_LAMBDA_PARAMS, node.args))
        kept = []
        for kw in node.keywords:
            if kw.arg in _LAMBDA_PARAMS and kw.arg not in params:
                params[kw.arg] = kw.value
            else:
                kept.append(kw)
        for optional in _LAMBDA_PARAMS[
            1:
        ]:  # output_shape=None is the default spelled out
            value = params.get(optional)
            if isinstance(value, ast.Constant) and value.value is None:
                del params[optional]
        name = next((_string(kw.value) for kw in kept if kw.arg == "name"), None)
        assigned = None
        if isinstance(parent, ast.Assign) and len(parent.targets) == 1:
            target = parent.targets[0]
            assigned = target.id if isinstance(target, ast.Name) else None
        sites.append(
            LambdaSite(
                call=node,
                application=application,
                function=params.get("function"),
                output_shape=params.get("output_shape"),
                mask=params.get("mask"),
                arguments=params.get("arguments"),
                kept_keywords=tuple(kept),
                layer_name=name,
                assigned_to=assigned,
                extra_positional=len(node.args) > len(_LAMBDA_PARAMS)
                or any(isinstance(a, ast.Starred) for a in node.args),
                wrapped=_is_wrapped(node, parent),
            )
        )
    sites.sort(key=lambda s: (s.call.lineno, s.call.col_offset))
    return sites


def function_kind(site: LambdaSite) -> str:
    fn = site.function
    if isinstance(fn, ast.Lambda):
        return "inline lambda"
    if isinstance(fn, ast.Name):
        return "named function"
    if isinstance(fn, ast.Attribute):
        return "library function"
    if isinstance(fn, ast.Call):
        return "functools.partial" if "partial" in ast.dump(fn.func) else "call result"
    return "other"
