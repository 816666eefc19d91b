"""Tensor data flow: which captured names are Keras tensors (extra inputs) and which
uses read only a static shape."""

from __future__ import annotations

import ast

from lambda2layer.resolve.state import SiteState
from lambda2layer.scope import Binding, Bound, FreeName, Scope, positional_names

_PLAIN_VALUE_CALLS = {
    "int_shape",
    "len",
    "int",
    "float",
    "bool",
    "str",
    "tuple",
    "list",
    "range",
    "print",
    "type",
    "isinstance",
}


def static_shape_uses(state: SiteState, free: FreeName) -> list[ast.expr] | None:
    """``x.shape`` / ``K.int_shape(x)`` nodes if every use reads only the static shape."""
    nodes = []
    for use in free.uses:
        parent = state.ctx.scopes.parent(use)
        if isinstance(parent, ast.Attribute) and parent.attr == "shape":
            outer = state.ctx.scopes.parent(parent)
            if isinstance(outer, ast.Attribute):  # x.shape.as_list(): TensorShape API
                return None
            nodes.append(parent)
        elif (
            isinstance(parent, ast.Call)
            and parent.args
            and parent.args[0] is use
            and len(parent.args) == 1
            and isinstance(parent.func, (ast.Attribute, ast.Name))
            and (
                parent.func.attr
                if isinstance(parent.func, ast.Attribute)
                else parent.func.id
            )
            == "int_shape"
        ):
            nodes.append(parent)
        else:
            return None
    return nodes


def connected(state: SiteState, name: str, scope: Scope) -> bool:
    """Is the tensor used outside this Lambda, so that making it an input adds nothing new?"""
    inside = set(map(id, state.ctx.scopes.walk(state.site.call)))
    for node in state.ctx.scopes.walk(scope.node):
        if (
            isinstance(node, ast.Name)
            and node.id == name
            and isinstance(node.ctx, ast.Load)
            and id(node) not in inside
        ):
            return True
    res = state.ctx.scopes.lookup(name, scope)
    return any(
        b.kind in (Bound.ASSIGN, Bound.NAMEDEXPR) and state.ctx.is_input(b.value)
        for b in res.bindings
    )


def is_tensor(state: SiteState, name: str, scope: Scope, bindings, depth: int) -> bool:
    if depth > 6:
        return False
    for b in bindings:
        if b.kind in (Bound.ASSIGN, Bound.NAMEDEXPR) and tensor_expr(
            state, b.value, scope, depth
        ):
            return True
        if b.kind is Bound.PARAM and tensor_argument(state, b, depth):
            return True
    return used_as_layer_input(state, name, scope.node)


def tensor_argument(state: SiteState, param: Binding, depth: int) -> bool:
    """A parameter is a tensor if a call of its function in this file passes one
    (``def up_block(x, skip)`` called as ``up_block(d, skip)``)."""
    fn = param.stmt
    if not isinstance(fn, (ast.FunctionDef, ast.AsyncFunctionDef)):
        return False
    names = positional_names(fn.args)
    if param.node.arg not in names:
        return False
    index = names.index(param.node.arg)
    for node in state.ctx.scopes.nodes:
        if not (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Name)
            and node.func.id == fn.name
        ):
            continue
        given = node.args[index] if index < len(node.args) else None
        given = given or next(
            (k.value for k in node.keywords if k.arg == param.node.arg), None
        )
        if given is not None and tensor_expr(
            state, given, state.ctx.scopes.enclosing(node), depth + 1
        ):
            return True
    return False


def tensor_expr(
    state: SiteState, value: ast.expr | None, scope: Scope, depth: int
) -> bool:
    if value is None:
        return False
    if state.ctx.is_input(value):
        return True
    if isinstance(value, ast.Call):
        if isinstance(value.func, ast.Call):
            return True  # Layer(...)(x)
        func = value.func
        called = (
            func.attr
            if isinstance(func, ast.Attribute)
            else func.id if isinstance(func, ast.Name) else ""
        )
        if called in _PLAIN_VALUE_CALLS:
            return False  # K.int_shape(x)[-1], len(xs): plain Python values
        return any(tensor_expr(state, a, scope, depth + 1) for a in value.args)
    if isinstance(value, ast.BinOp):
        return tensor_expr(state, value.left, scope, depth + 1) or tensor_expr(
            state, value.right, scope, depth + 1
        )
    if isinstance(value, (ast.Subscript, ast.UnaryOp)):
        inner = value.value if isinstance(value, ast.Subscript) else value.operand
        return tensor_expr(state, inner, scope, depth + 1)
    if isinstance(value, (ast.List, ast.Tuple)):
        return any(tensor_expr(state, e, scope, depth + 1) for e in value.elts)
    if isinstance(value, ast.Attribute) and value.attr in ("output", "input"):
        return True
    if isinstance(value, ast.Name):
        res = state.ctx.scopes.lookup(value.id, scope)
        if res.scope is None or res.scope is state.ctx.scopes.module:
            return False
        return is_tensor(state, value.id, res.scope, res.bindings, depth + 1)
    return False


def used_as_layer_input(state: SiteState, name: str, scope_node: ast.AST) -> bool:
    for node in state.ctx.scopes.walk(scope_node):
        if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Call)):
            continue
        for arg in node.args:
            items = arg.elts if isinstance(arg, (ast.List, ast.Tuple)) else [arg]
            if any(isinstance(i, ast.Name) and i.id == name for i in items):
                return True
    return False
