"""``output_shape=`` and ``mask=``: the compute_output_shape and compute_mask methods."""

from __future__ import annotations

import ast
from dataclasses import replace

from lambda2layer.diagnostics import Why
from lambda2layer.resolve.bodies import (
    body_text,
    carried,
    inline_method,
    locals_for_args,
)
from lambda2layer.resolve.free_vars import free_names
from lambda2layer.resolve.context import chain_root
from lambda2layer.resolve.functions import named_function
from lambda2layer.resolve.records import (
    Bind,
    Body,
    Code,
    LiteralShapes,
    Method,
    OutputShape,
    Refused,
    ShapeArgument,
    prose,
)
from lambda2layer.resolve.state import SiteState
from lambda2layer.scope import Bound, positional_names


def output_shape_method(state: SiteState, node: ast.expr) -> OutputShape:
    first_input = bool(state.out.extra_inputs)
    pre = (Bind("input_shape", "input_shape[0]"),) if first_input else ()
    if isinstance(node, (ast.Tuple, ast.List)):
        if all(_is_dimension(e) for e in node.elts):
            return LiteralShapes((_dims(node),), False, first_input)
        if any(isinstance(e, (ast.Tuple, ast.List)) for e in node.elts):
            if not all(
                isinstance(e, (ast.Tuple, ast.List))
                and all(_is_dimension(d) for d in e.elts)
                for e in node.elts
            ):
                raise state.ctx.refuse(node, Why.SHAPES_NOT_LITERAL)
            return LiteralShapes(tuple(_dims(e) for e in node.elts), True, first_input)
        return _declared_value(state, node, flat=True)
    if isinstance(node, ast.Lambda):
        return _inlined_shape_function(state, node, pre)
    if _is_shape_value(state, node):
        return _declared_value(state, node, flat=False)
    definition, text, _ = _named(state, node, "output_shape=")
    # a def or lambda of this file that is not at module level (an imported def is
    # only a signature: it is called by name, its import kept)
    nested = isinstance(definition, (ast.Lambda, ast.FunctionDef, ast.AsyncFunctionDef))
    if nested and definition not in state.ctx.tree.body:
        return _inlined_shape_function(state, definition, pre)
    return Method(("input_shape",), pre, Body(returns=f"{text}(input_shape)"))


def _is_dimension(node: ast.expr) -> bool:
    return isinstance(node, ast.Constant) and (
        node.value is None or type(node.value) is int
    )


def _dims(node: ast.Tuple | ast.List) -> tuple[int | None, ...]:
    return tuple(e.value for e in node.elts)


def _named(state: SiteState, node: ast.expr, argument: str):
    """``named_function`` for the function given as ``argument``: a refusal names
    that argument, not the Lambda's function."""
    try:
        return named_function(state, node)
    except Refused as refused:
        r = refused.refusal
        message = r.message.replace(
            "the Lambda's function", f"the Lambda's `{argument}`"
        )
        raise Refused(replace(r, message=message)) from None


def _declared_value(state: SiteState, node: ast.expr, flat: bool) -> ShapeArgument:
    """A shape computed where the Lambda is built (``(n, 4)``, ``SHAPE``,
    ``x.shape[1:]``, ``K.int_shape(t)[1:]``, a parameter): the same value, passed to
    the constructor there. ``flat``: written as a tuple of dimensions; otherwise it
    may also be a list of shapes (one per output)."""
    arg = state.value_arg(
        "output_dims",
        node,
        prose(
            "{arg} of the Lambda (without the batch dimension)",
            arg=Code("output_shape"),
        ),
    )
    return ShapeArgument(arg.param, flat, bool(state.out.extra_inputs))


def _inlined_shape_function(state: SiteState, fn, pre: tuple[Bind, ...]) -> Method:
    """A lambda or nested def given as ``output_shape=``: its body becomes the method."""
    method = inline_method(state, fn, "input_shape", {}, role="shape")
    first = positional_names(fn.args)[0]
    binds = method.binds
    if first != "input_shape" or pre:
        binds = (*pre, Bind(first, "input_shape"), *binds)
    return replace(method, params=("input_shape",), binds=binds)


def _is_shape_value(state: SiteState, node: ast.expr) -> bool:
    """``output_shape=`` given as a value rather than a function: anything but a name
    bound to a def, a lambda or an import, or an attribute of an imported module."""
    if isinstance(node, ast.Name):
        res = state.ctx.scopes.lookup(node.id, state.site_scope)
        return bool(res.bindings) and not any(
            b.kind in (Bound.DEF, Bound.IMPORT)
            or (b.kind is Bound.ASSIGN and isinstance(b.value, ast.Lambda))
            for b in res.bindings
        )
    if isinstance(node, ast.Attribute):
        root = chain_root(node)
        if isinstance(root, ast.Name):
            res = state.ctx.scopes.lookup(root.id, state.site_scope)
            return not any(b.kind is Bound.IMPORT for b in res.bindings)
        return True
    return not isinstance(node, ast.Lambda)


def mask_method(state: SiteState, node: ast.expr) -> Method:
    pre = ()
    if state.out.extra_inputs:
        pre = (
            Bind("inputs", "inputs[0]"),
            Bind("mask", "None if mask is None else mask[0]"),
        )
    if isinstance(node, ast.Lambda):
        params = positional_names(node.args)
        if len(params) != 2:
            raise state.ctx.refuse(node, Why.MASK_SIGNATURE)
        saved = list(state.out.extra_inputs)
        state.out.extra_inputs.clear()
        try:
            replacements = free_names(state, node)
            captured = list(state.out.extra_inputs)
        finally:
            state.out.extra_inputs[:] = saved
        if captured:
            raise state.ctx.refuse(node, Why.MASK_CAPTURES_TENSOR, name=captured[0])
        rename = (
            ()
            if params == ["inputs", "mask"]
            else (Bind(f"{params[0]}, {params[1]}", "inputs, mask"),)
        )
        binds = (*pre, *rename, *carried(locals_for_args(state, replacements)))
        return Method(
            ("inputs", "mask=None"), binds, body_text(state, node, replacements)
        )
    if isinstance(node, (ast.Name, ast.Attribute)):
        definition, text, _ = _named(state, node, "mask=")
        return Method(
            ("inputs", "mask=None"), pre, Body(returns=f"{text}(inputs, mask)")
        )
    raise state.ctx.refuse(node, Why.MASK_NOT_FUNCTION)
