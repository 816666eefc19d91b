"""Which module-level values are constants the generated module may copy."""

from __future__ import annotations

import ast

from lambda2layer.extract import qualify
from lambda2layer.resolve.context import Context
from lambda2layer.scope import Bound

_CONSTANT_CALL_ROOTS = {"numpy", "math"}
_CONSTANT_BUILTINS = {
    "float",
    "int",
    "str",
    "bool",
    "tuple",
    "list",
    "dict",
    "set",
    "frozenset",
    "range",
    "len",
    "abs",
    "min",
    "max",
    "round",
    "sum",
}
_CONSTANT_METHODS = {
    "astype",
    "reshape",
    "copy",
    "tolist",
    "transpose",
    "flatten",
    "ravel",
    "squeeze",
    "round",
    "clip",
}


def is_constant(ctx: Context, node: ast.expr | None, seen: set[str]) -> bool:
    if node is None:
        return False
    if isinstance(node, ast.Constant):
        return True
    if isinstance(node, (ast.Tuple, ast.List, ast.Set)):
        return all(is_constant(ctx, e, seen) for e in node.elts)
    if isinstance(node, ast.Dict):
        return all(
            k is not None and is_constant(ctx, k, seen) for k in node.keys
        ) and all(is_constant(ctx, v, seen) for v in node.values)
    if isinstance(node, ast.UnaryOp):
        return is_constant(ctx, node.operand, seen)
    if isinstance(node, ast.BinOp):
        return is_constant(ctx, node.left, seen) and is_constant(ctx, node.right, seen)
    if isinstance(node, ast.Subscript):
        return is_constant(ctx, node.value, seen) and is_constant(ctx, node.slice, seen)
    if isinstance(node, ast.Slice):
        return all(
            is_constant(ctx, p, seen)
            for p in (node.lower, node.upper, node.step)
            if p is not None
        )
    if isinstance(node, ast.keyword):
        return is_constant(ctx, node.value, seen)
    if isinstance(node, ast.Attribute):
        if node.attr == "T" and is_constant(ctx, node.value, seen):
            return True
        path = qualify(node, ctx.imports)
        return bool(path) and path.split(".")[0] in _CONSTANT_CALL_ROOTS
    if isinstance(node, ast.Name):
        if node.id in seen:
            return False
        res = ctx.scopes.lookup(node.id, ctx.scopes.module)
        if res.scope is None:
            return node.id in ("True", "False", "None")
        if len(res.bindings) != 1:
            return False
        b = res.bindings[0]
        if b.kind is Bound.IMPORT:
            return True
        return b.kind is Bound.ASSIGN and is_constant(ctx, b.value, seen | {node.id})
    if isinstance(node, ast.Call):
        func_ok = False
        if (
            isinstance(node.func, ast.Attribute)
            and node.func.attr in _CONSTANT_METHODS
            and is_constant(ctx, node.func.value, seen)
        ):
            func_ok = True  # np.linspace(...).astype("float32")
        elif isinstance(node.func, ast.Name) and node.func.id in _CONSTANT_BUILTINS:
            func_ok = ctx.scopes.lookup(node.func.id, ctx.scopes.module).scope is None
        else:
            path = qualify(node.func, ctx.imports)
            func_ok = (
                bool(path)
                and path.split(".")[0] in _CONSTANT_CALL_ROOTS
                and ".random" not in path
            )
        return func_ok and all(
            is_constant(ctx, a, seen) for a in [*node.args, *node.keywords]
        )
    return False
