"""Find the user callables a Keras model serializes: the values of ``loss=``,
``metrics=``, ``weighted_metrics=``, ``activation=``, ``recurrent_activation=``,
``*_initializer=``, ``*_regularizer=``, ``*_constraint=`` in any call, and the first
argument of ``Activation(...)``; list, tuple, set and dict literals are looked into.

A user callable is a lambda, a name bound to a def (or to a lambda) of this file, or a
call of such a def (a factory). Strings, Keras objects and names imported from Keras
or a library are not: they serialize by themselves or are registered where they are
defined. Two more kinds are sites so that they are never passed over in silence
(``decide`` refuses them): an unregistered def of another module of the project
(``from losses import my_loss``, ``losses.my_loss``, read from its file, never
imported), and a method or lambda reached through ``self`` (``loss=self.my_loss``)."""

from __future__ import annotations

import ast
from typing import Callable

from lambda2layer.callables.records import CallableSite, role_of
from lambda2layer.project import ModuleFunction
from lambda2layer.scope import Bound, ModuleScopes, Scope, ScopeKind

# (module as imported, import level, name) -> that def, when the module is a project file
ProjectLookup = Callable[[str, int, str], "ModuleFunction | None"]


def _no_project(module: str, level: int, name: str) -> None:
    return None


def _is_activation_layer(func: ast.expr) -> bool:
    return (isinstance(func, ast.Name) and func.id == "Activation") or (
        isinstance(func, ast.Attribute) and func.attr == "Activation"
    )


def find_callable_sites(
    scopes: ModuleScopes, nodes: list[ast.AST], project: ProjectLookup = _no_project
) -> list[CallableSite]:
    sites: list[CallableSite] = []
    calls = [n for n in nodes if n.__class__ is ast.Call]
    by_hand = _registered_by_hand(calls, nodes)
    for call in calls:
        values = [
            (kw.arg, kw.value)
            for kw in call.keywords
            if kw.arg is not None and role_of(kw.arg) is not None
        ]
        if call.args and _is_activation_layer(call.func):
            values.append(("activation", call.args[0]))
        for keyword, value in values:
            for node, key in _candidates(value, None):
                if _is_user_callable(scopes, call, node):
                    sites.append(CallableSite(call, node, keyword, key))
                    continue
                target = node.func if isinstance(node, ast.Call) else node
                module = None
                if ast.unparse(target) not in by_hand:
                    module = _project_module(scopes, call, target, project)
                attribute = None if module else _self_attribute(scopes, call, target)
                if module or attribute:
                    sites.append(
                        CallableSite(call, node, keyword, key, module, attribute)
                    )
    sites.sort(key=lambda s: (s.line, s.col))
    return sites


def _candidates(value: ast.expr, key: str | None):
    """The elements of a keyword value, literals looked into, with their dict key."""
    if isinstance(value, (ast.List, ast.Tuple, ast.Set)):
        for e in value.elts:
            yield from _candidates(e, key)
    elif isinstance(value, ast.Dict):
        for k, v in zip(value.keys, value.values):
            name = (
                k.value
                if isinstance(k, ast.Constant) and isinstance(k.value, str)
                else None
            )
            yield from _candidates(v, name or key)
    else:
        yield value, key


def _is_user_callable(scopes: ModuleScopes, call: ast.Call, node: ast.expr) -> bool:
    if isinstance(node, ast.Lambda):
        return True
    target = node.func if isinstance(node, ast.Call) else node
    if not isinstance(target, ast.Name):
        return False
    res = scopes.lookup(target.id, scopes.enclosing(call))
    if res.scope is None:
        return False
    for b in res.bindings:
        if b.kind is Bound.DEF:
            return True
        if (
            not isinstance(node, ast.Call)
            and b.kind is Bound.ASSIGN
            and isinstance(b.value, ast.Lambda)
        ):
            return True
    return False


def _registered_by_hand(calls: list[ast.Call], nodes: list[ast.AST]) -> set[str]:
    """The names (as written) this file hands to Keras itself: in a ``custom_objects=``
    argument, ``get_custom_objects().update(...)`` or ``get_custom_objects()[k] = f``.
    """

    def is_registry(node: ast.AST) -> bool:
        parts = _dotted(node.func) if isinstance(node, ast.Call) else None
        return bool(parts) and parts[-1] == "get_custom_objects"

    found: list[ast.AST] = []
    for call in calls:
        found += [kw.value for kw in call.keywords if kw.arg == "custom_objects"]
        func = call.func
        if isinstance(func, ast.Attribute) and is_registry(func.value):
            found += [*call.args, *(kw.value for kw in call.keywords)]
        if isinstance(func, ast.Name | ast.Attribute) and (
            (_dotted(func) or [""])[-1] == "CustomObjectScope"
        ):
            found += call.args
    for node in nodes:
        if node.__class__ is ast.Assign and any(
            isinstance(t, ast.Subscript) and is_registry(t.value) for t in node.targets
        ):
            found.append(node.value)
    return {
        ast.unparse(n)
        for tree in found
        for n in ast.walk(tree)
        if isinstance(n, (ast.Name, ast.Attribute))
    }


def _dotted(node: ast.expr) -> list[str] | None:
    """``a.b.c`` as ``["a", "b", "c"]``; None for anything but names and attributes."""
    parts: list[str] = []
    while isinstance(node, ast.Attribute):
        parts.insert(0, node.attr)
        node = node.value
    if not isinstance(node, ast.Name):
        return None
    return [node.id, *parts]


def _project_module(
    scopes: ModuleScopes, call: ast.Call, target: ast.expr, project: ProjectLookup
) -> str | None:
    """The project module an unregistered def ``target`` comes from: ``my_loss``
    imported with ``from losses import my_loss``, or ``losses.my_loss`` after
    ``import losses``; None for anything else."""
    parts = _dotted(target)
    if parts is None:
        return None
    res = scopes.lookup(parts[0], scopes.enclosing(call))
    imports = [b for b in res.bindings if b.kind is Bound.IMPORT]
    if len(imports) != 1 or len(res.bindings) != 1:
        return None
    stmt, alias = imports[0].stmt, imports[0].node
    if isinstance(stmt, ast.ImportFrom):
        # ``from m import f`` (f), ``from pkg import m`` / ``from . import m`` (m.f)
        module = ".".join(filter(None, [stmt.module, alias.name, *parts[1:-1]]))
        level = stmt.level
        if len(parts) == 1:
            module = stmt.module or ""
    else:  # ``import m`` / ``import pkg.m as m``: the rest of the chain is in m
        if len(parts) == 1:
            return None
        module = ".".join([alias.name, *parts[1:-1]])
        level = 0
    if not module:
        return None
    found = project(module, level, parts[-1])
    if found is None or found.registered:
        return None
    return found.module


def _self_attribute(
    scopes: ModuleScopes, call: ast.Call, target: ast.expr
) -> str | None:
    """What ``self.NAME`` is, when it is a method of the enclosing class or a lambda or
    def assigned to ``self.NAME`` in it: Keras would save it by name and could not find
    it on load. None for any other attribute (``self.activation = "relu"``)."""
    parts = _dotted(target)
    if parts is None or len(parts) != 2:
        return None
    owner, name = parts
    method = _method_of(scopes.enclosing(call))
    if method is None or not method.args.args or method.args.args[0].arg != owner:
        return None
    cls = scopes.ancestors(method)
    klass = next((a for a in cls if isinstance(a, ast.ClassDef)), None)
    if klass is None:
        return None
    for node in klass.body:
        if (
            isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef))
            and node.name == name
        ):
            return f"the method `{klass.name}.{name}` (line {node.lineno})"
    for node in ast.walk(klass):
        if not isinstance(node, ast.Assign):
            continue
        for t in node.targets:
            if _dotted(t) == [owner, name] and _is_function_value(scopes, node):
                what = (
                    "a lambda" if isinstance(node.value, ast.Lambda) else "a function"
                )
                return f"{what} assigned at line {node.lineno}"
    return None


def _method_of(scope: Scope | None):
    """The def of the method ``scope`` is in (a def directly in a class body)."""
    while scope is not None:
        if (
            scope.kind is ScopeKind.FUNCTION
            and scope.parent
            and scope.parent.kind is ScopeKind.CLASS
        ):
            return scope.node
        scope = scope.parent
    return None


def _is_function_value(scopes: ModuleScopes, assign: ast.Assign) -> bool:
    value = assign.value
    if isinstance(value, ast.Lambda):
        return True
    if not isinstance(value, ast.Name):
        return False
    res = scopes.lookup(value.id, scopes.enclosing(assign))
    return any(b.kind is Bound.DEF for b in res.bindings)
