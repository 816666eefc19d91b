"""Find the user callables a Keras model serializes: the values of ``loss=``,
``metrics=``, ``weighted_metrics=``, ``activation=``, ``recurrent_activation=``,
``*_initializer=``, ``*_regularizer=``, ``*_constraint=`` in any call, and the first
argument of ``Activation(...)``; list, tuple, set and dict literals are looked into.

A user callable is a lambda, a name bound to a def (or to a lambda) of this file, or a
call of such a def (a factory). Strings, Keras objects and names imported from
anywhere are not: they serialize by themselves or are registered where they are
defined."""

from __future__ import annotations

import ast

from lambda2layer.callables.records import CallableSite, role_of
from lambda2layer.scope import ModuleScopes


def _is_activation_layer(func: ast.expr) -> bool:
    return (isinstance(func, ast.Name) and func.id == "Activation") or (
        isinstance(func, ast.Attribute) and func.attr == "Activation"
    )


def find_callable_sites(
    scopes: ModuleScopes, nodes: list[ast.AST]
) -> list[CallableSite]:
    sites: list[CallableSite] = []
    for call in [n for n in nodes if n.__class__ is ast.Call]:
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
        if b.kind == "def":
            return True
        if (
            not isinstance(node, ast.Call)
            and b.kind == "assign"
            and isinstance(b.value, ast.Lambda)
        ):
            return True
    return False
