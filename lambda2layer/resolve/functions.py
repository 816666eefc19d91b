"""The Lambda's function: an inline lambda, a def, ``functools.partial`` of one, an
imported function; and the values of ``arguments=``."""

from __future__ import annotations

import ast
from dataclasses import replace

from lambda2layer.diagnostics import Why
from lambda2layer.extract import qualify
from lambda2layer.resolve.bodies import inline_method, unpacked
from lambda2layer.resolve.context import chain_root, is_json_literal
from lambda2layer.resolve.records import (
    Body,
    Code,
    ConstructorArg,
    Method,
    Signature,
    prose,
)
from lambda2layer.resolve.state import SiteState
from lambda2layer.scope import Bound, Resolved, positional_names


def bound_arguments(state: SiteState) -> dict[str, ConstructorArg]:
    node = state.site.arguments
    if node is None or (isinstance(node, ast.Constant) and node.value is None):
        return {}
    via = None
    if isinstance(node, ast.Name):  # arguments=kw with kw bound once to a literal dict
        res = state.ctx.scopes.lookup(node.id, state.site_scope)
        if (
            len(res.bindings) == 1
            and res.bindings[0].kind is Bound.ASSIGN
            and res.bindings[0].value is not None
        ):
            via, node = node.id, res.bindings[0].value
    items = dict_items(node)
    if items is None:
        raise state.ctx.refuse(state.site.arguments, Why.ARGUMENTS_UNREADABLE)
    bound = {}
    for key, value in items:
        expr = f"{via}[{key!r}]" if via else state.ctx.src.segment(value)
        bound[key] = state.out.arg(
            key,
            expr,
            prose("{key}", key=Code(f"arguments[{key!r}]")),
            via is None and is_json_literal(value),
        )
    return bound


def dict_items(node: ast.expr) -> list[tuple[str, ast.expr]] | None:
    if isinstance(node, ast.Dict) and all(
        isinstance(k, ast.Constant)
        and isinstance(k.value, str)
        and k.value.isidentifier()
        for k in node.keys
    ):
        return [(k.value, v) for k, v in zip(node.keys, node.values)]
    if (
        isinstance(node, ast.Call)
        and isinstance(node.func, ast.Name)
        and node.func.id == "dict"
        and not node.args
    ):
        if all(k.arg is not None for k in node.keywords):
            return [(k.arg, k.value) for k in node.keywords]
    return None


def main_function(
    state: SiteState, fn: ast.expr, arguments: dict[str, ConstructorArg]
) -> tuple[Method, str | None]:
    if isinstance(fn, ast.Lambda):
        return inline_method(state, fn, "inputs", arguments, role="call"), None
    target, positional, keywords = fn, [], {}
    if isinstance(fn, ast.Call) and is_partial(state, fn.func):
        if (
            not fn.args
            or any(isinstance(a, ast.Starred) for a in fn.args)
            or any(k.arg is None for k in fn.keywords)
        ):
            raise state.ctx.refuse(fn, Why.PARTIAL_UNPACKED)
        target = fn.args[0]
        positional = fn.args[1:]
        keywords = {k.arg: k.value for k in fn.keywords}
    definition, text, name = named_function(state, target)
    inlined = isinstance(definition, ast.Lambda) or (
        isinstance(definition, (ast.FunctionDef, ast.AsyncFunctionDef))
        and definition not in state.ctx.tree.body
    )
    if (
        inlined
    ):  # a lambda bound to a name or a def nested in the builder: its body becomes call()
        if positional or keywords:
            raise state.ctx.refuse(fn, Why.PARTIAL_OF_INLINE)
        return (
            inline_method(state, definition, "inputs", arguments, role="call"),
            name,
        )
    params = signature(definition)
    args = []
    for i, value in enumerate(positional):
        raw = params[i] if definition is not None and i < len(params) else f"arg{i}"
        arg = state.value_arg(
            raw,
            value,
            prose("{fn} argument {n}", fn=Code("functools.partial"), n=i + 1),
        )
        args.append(f"self.{arg.param}")
    args.append("inputs")
    for key, value in keywords.items():
        arg = state.value_arg(
            key,
            value,
            prose("{fn} keyword {key}", fn=Code("functools.partial"), key=Code(key)),
        )
        args.append(f"{key}=self.{arg.param}")
    for key, arg in arguments.items():
        args.append(f"{key}=self.{arg.param}")
    call_params = ["inputs"]
    for special in ("mask", "training"):
        if special in params:
            call_params.append(f"{special}=None")
            args.append(f"{special}={special}")
    call = Body(returns=f"{text}({', '.join(args)})")
    return Method(tuple(call_params), unpacked(state, "inputs"), call), name


def is_partial(state: SiteState, func: ast.expr) -> bool:
    path = qualify(func, state.ctx.imports)
    return path == "functools.partial"


def named_function(state: SiteState, node: ast.expr):
    """(definition or None, text to call it by, name) for a function passed by name."""
    if isinstance(node, ast.Name):
        res = _as_bound_at_the_call(
            state, state.ctx.scopes.lookup(node.id, state.site_scope)
        )
        if res.scope is None:
            state.modules.builtin_or_refuse(node.id, node)
            return None, node.id, node.id
        if res.scope is state.ctx.scopes.module:
            binding = state.modules.single(node.id, res, node)
            if binding.kind is Bound.DEF:
                state.modules.move_function(binding.node, node)
                return binding.node, node.id, node.id
            if binding.kind is Bound.IMPORT:
                state.modules.need(node.id, node)
                params = None
                if isinstance(binding.stmt, ast.ImportFrom):
                    params = state.ctx.imported_params(binding.stmt, binding.node)
                return (
                    (Signature(tuple(params)) if params else None),
                    node.id,
                    node.id,
                )
            if binding.kind is Bound.ASSIGN and isinstance(binding.value, ast.Lambda):
                return binding.value, node.id, node.id
        elif len(res.bindings) == 1 and res.bindings[0].kind is Bound.DEF:
            return res.bindings[0].node, node.id, node.id
        elif (
            len(res.bindings) == 1
            and res.bindings[0].kind is Bound.ASSIGN
            and isinstance(res.bindings[0].value, ast.Lambda)
        ):
            return res.bindings[0].value, node.id, node.id
        binding = res.bindings[0] if res.bindings else None
        where = f" ({state.ctx.where(binding)})" if binding else ""
        raise state.ctx.refuse(node, Why.FUNCTION_UNSEEN, name=node.id, where=where)
    if isinstance(node, ast.Attribute):
        root = chain_root(node)
        if isinstance(root, ast.Name):
            res = state.ctx.scopes.lookup(root.id, state.site_scope)
            if (
                res.scope is state.ctx.scopes.module
                and res.bindings
                and res.bindings[0].kind is Bound.IMPORT
            ):
                state.modules.need(root.id, node)
                return None, state.ctx.src.segment(node), node.attr
        raise state.ctx.refuse(
            node, Why.FUNCTION_ATTRIBUTE, text=state.ctx.src.segment(node)
        )
    raise state.ctx.refuse(node, Why.FUNCTION_COMPUTED)


def _as_bound_at_the_call(state: SiteState, res: Resolved) -> Resolved:
    """``def loss(inputs): ...`` then ``loss = Lambda(loss)(...)``: while the Lambda is
    built the name is still the def, so the assignment that holds the Lambda call
    does not count. Only that form: one def, above the call, in the same block."""
    call = state.site.call
    defs = [b for b in res.bindings if b.kind is Bound.DEF]
    if len(defs) != 1 or len(res.bindings) < 2:
        return res
    (fn,) = defs
    block = _block_of(state, fn.node)
    others = [b for b in res.bindings if b is not fn]
    holds_call = all(
        b.kind is Bound.ASSIGN
        and any(n is call for n in ast.walk(b.node))
        and _block_of(state, b.node) is block
        and b.node.lineno > fn.node.end_lineno
        for b in others
    )
    return replace(res, bindings=(fn,)) if holds_call and block is not None else res


def _block_of(state: SiteState, statement: ast.AST) -> list | None:
    """The statement list ``statement`` is directly in."""
    parent = next(state.ctx.scopes.ancestors(statement), None)
    for field in ("body", "orelse", "finalbody"):
        block = getattr(parent, field, None)
        if isinstance(block, list) and any(s is statement for s in block):
            return block
    return None


def signature(definition) -> list[str]:
    if definition is None:
        return []
    if isinstance(definition, Signature):
        return list(definition.params)
    a = definition.args
    return positional_names(a)
