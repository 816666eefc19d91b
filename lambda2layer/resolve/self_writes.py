"""Where a class binds its own attributes: every ``self.a.b = ...`` (and ``+=``,
``for self.a in``, ``with ... as self.a``, ``del self.a``, ``setattr(self, "a", v)``)
in its methods and in those of the base classes defined in the same file, and the
properties it defines."""

from __future__ import annotations

import ast
from dataclasses import dataclass

from lambda2layer.scope import Bound, ModuleScopes

_FUNCTIONS = (ast.FunctionDef, ast.AsyncFunctionDef)
_PROPERTIES = {"property", "cached_property"}
_WEIGHTS = {"add_weight", "add_variable", "Variable"}


@dataclass(frozen=True, slots=True)
class Write:
    """One statement (or ``setattr`` call) that binds an attribute of ``self``."""

    path: tuple[str, ...] | None  # self.a.b = ... -> ("a", "b"); None: a computed name
    node: ast.AST  # the statement or the setattr call
    method: str  # "configure", or "Base.configure" for a base class's method
    in_init: bool  # directly in ``__init__`` (not in a def nested there)
    value: ast.expr | None  # what a plain ``self.a = value`` assigns

    def touches(self, path: tuple[str, ...]) -> bool:
        """Does it (re)bind what ``self.<path>`` reads?"""
        if self.path is None:
            return True
        n = min(len(path), len(self.path))
        return path[:n] == self.path[:n]


def classes_of(scopes: ModuleScopes, cls: ast.ClassDef) -> list[ast.ClassDef]:
    """``cls`` and its base classes defined at module level in the same file."""
    out = [cls]
    for item in out:
        for base in item.bases:
            bindings = (
                scopes.module.bindings.get(base.id, [])
                if isinstance(base, ast.Name)
                else []
            )
            if len(bindings) == 1 and bindings[0].kind is Bound.CLASS:
                if bindings[0].node not in out:
                    out.append(bindings[0].node)
    return out


def methods_of(cls: ast.ClassDef):
    """(method, the name it calls ``self``) for each method that has a ``self``."""
    for item in cls.body:
        if not isinstance(item, _FUNCTIONS):
            continue
        decorators = {_name(d) for d in item.decorator_list}
        positional = [*item.args.posonlyargs, *item.args.args]
        if positional and not decorators & {"staticmethod", "classmethod"}:
            yield item, positional[0].arg


def writes_of(scopes: ModuleScopes, cls: ast.ClassDef) -> list[Write]:
    out = []
    for owner in classes_of(scopes, cls):
        prefix = "" if owner is cls else f"{owner.name}."
        for method, me in methods_of(owner):
            for node in scopes.walk(method):
                for path, value in _bound_paths(node, me):
                    direct = scopes.enclosing(node).function_scope().node is method
                    in_init = direct and method.name == "__init__"
                    label = prefix + method.name
                    out.append(Write(path, node, label, in_init, value))
    return out


def properties_of(scopes: ModuleScopes, cls: ast.ClassDef) -> dict[str, ast.AST]:
    """Attribute name -> the getter def (or ``x = property(...)`` statement)."""
    out: dict[str, ast.AST] = {}
    for owner in reversed(classes_of(scopes, cls)):
        for item in owner.body:
            if isinstance(item, _FUNCTIONS) and any(
                _name(d) in _PROPERTIES for d in item.decorator_list
            ):
                out[item.name] = item
            elif (
                isinstance(item, ast.Assign)
                and isinstance(item.value, ast.Call)
                and _name(item.value.func) in _PROPERTIES
            ):
                for target in item.targets:
                    if isinstance(target, ast.Name):
                        out[target.id] = item
    return out


def plain_methods_of(scopes: ModuleScopes, cls: ast.ClassDef) -> set[str]:
    """Names of the methods that are neither properties nor shadowed by an attribute."""
    return {
        item.name
        for owner in classes_of(scopes, cls)
        for item in owner.body
        if isinstance(item, _FUNCTIONS)
        and not any(_name(d) in _PROPERTIES | {"setter"} for d in item.decorator_list)
    }


def alias_of(getter: ast.AST) -> tuple[str, ...] | None:
    """``@property def k(self): return self._k`` -> ("_k",); None for any other getter."""
    if not isinstance(getter, _FUNCTIONS):
        return None
    body = getter.body
    if (
        body
        and isinstance(body[0], ast.Expr)
        and isinstance(body[0].value, ast.Constant)
    ):
        body = body[1:]
    positional = [*getter.args.posonlyargs, *getter.args.args]
    if len(body) != 1 or not isinstance(body[0], ast.Return) or not positional:
        return None
    return _path(body[0].value, positional[0].arg, loads=True)


def is_weight(value: ast.expr | None) -> bool:
    """``self.add_weight(...)``, ``keras.Variable(...)``, ``tf.Variable(...)``."""
    return isinstance(value, ast.Call) and _name(value.func) in _WEIGHTS


def _bound_paths(node: ast.AST, me: str):
    """(path, value) for each attribute of ``me`` that ``node`` binds."""
    targets: list[ast.AST] = []
    value = None
    if isinstance(node, ast.Assign):
        targets, value = node.targets, node.value
    elif isinstance(node, ast.AugAssign) or (
        isinstance(node, ast.AnnAssign) and node.value is not None
    ):
        targets = [node.target]
        value = node.value if isinstance(node, ast.AnnAssign) else None
    elif isinstance(node, (ast.For, ast.AsyncFor)):
        targets = [node.target]
    elif isinstance(node, (ast.With, ast.AsyncWith)):
        targets = [i.optional_vars for i in node.items if i.optional_vars is not None]
    elif isinstance(node, ast.Delete):
        targets = node.targets
    elif isinstance(node, ast.Call) and _is_setattr(node, me):
        name = node.args[1]
        if isinstance(name, ast.Constant) and isinstance(name.value, str):
            yield (name.value,), node.args[2] if len(node.args) > 2 else None
        else:
            yield None, None
        return
    plain = len(targets) == 1
    for target in targets:
        for leaf in _leaves(target):
            path = _path(leaf, me, loads=False)
            if path is not None:
                yield path, value if plain and leaf is target else None


def _is_setattr(call: ast.Call, me: str) -> bool:
    func = _name(call.func)
    return (
        func in ("setattr", "__setattr__")
        and len(call.args) >= 2
        and isinstance(call.args[0], ast.Name)
        and call.args[0].id == me
    )


def _leaves(target: ast.AST):
    if isinstance(target, (ast.Tuple, ast.List)):
        for item in target.elts:
            yield from _leaves(item)
    elif isinstance(target, ast.Starred):
        yield from _leaves(target.value)
    else:
        yield target


def _path(node: ast.AST, me: str, loads: bool) -> tuple[str, ...] | None:
    """``me.a.b`` -> ("a", "b"); a subscript ends the path (``me.a[0] = v`` binds
    into ``a``); None when ``node`` is not rooted at ``me``."""
    attrs: list[str] = []
    while isinstance(node, (ast.Attribute, ast.Subscript)):
        if isinstance(node, ast.Attribute):
            attrs.append(node.attr)
        elif loads:
            return None
        else:
            attrs.clear()
        node = node.value
    if not (isinstance(node, ast.Name) and node.id == me and attrs):
        return None
    return tuple(reversed(attrs))


def _name(node: ast.AST) -> str:
    if isinstance(node, ast.Attribute):
        return node.attr
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Call):
        return _name(node.func)
    return ""
