"""Free variables of an inline function: a decision for each (builtin, module name,
constructor argument, extra input, or refusal)."""

from __future__ import annotations

import ast

from lambda2layer.diagnostics import Caution, Why
from lambda2layer.resolve.chains import attribute_chains, chain_args
from lambda2layer.resolve.constants import is_constant
from lambda2layer.resolve.context import is_json_literal
from lambda2layer.resolve.notes import warn_late_binding
from lambda2layer.resolve.records import Code, Warning_, prose
from lambda2layer.resolve.self_attributes import is_self, self_attributes
from lambda2layer.resolve.state import SiteState
from lambda2layer.resolve.tensors import connected, is_tensor, static_shape_uses
from lambda2layer.scope import Bound, FreeName


def free_names(state: SiteState, fn) -> list[tuple[ast.expr, str, str | None]]:
    """Resolve every free name; returns text replacements (node, local name, ctor param)."""
    replacements: list[tuple[ast.expr, str, str | None]] = []
    for free in state.ctx.scopes.free_names(fn):
        res = free.resolved
        at = free.uses[0]
        if res.scope is None:
            state.modules.builtin_or_refuse(free.name, at)
        elif res.scope is state.ctx.scopes.module:
            replacements += module_name(state, free)
        else:
            replacements += local_name(state, free)
    return replacements


def module_name(
    state: SiteState, free: FreeName
) -> list[tuple[ast.expr, str, str | None]]:
    name, res, at = free.name, free.resolved, free.uses[0]
    binding = state.modules.single(name, res, at)
    if binding.kind is Bound.CLASS and all(attribute_chains(state, free)):
        return chain_args(
            state, free, "{text}, a class attribute read when the layer is built"
        )
    if binding.kind in (Bound.IMPORT, Bound.DEF, Bound.CLASS) or (
        binding.kind is Bound.ASSIGN and state.modules.module_alias(binding) is not None
    ):
        state.modules.need(name, at)
        return []
    if binding.kind is Bound.ASSIGN and is_constant(state.ctx, binding.value, set()):
        literal = is_json_literal(binding.value)
        if literal or not state.modules.movable(binding):
            arg = state.out.arg(
                name,
                name,
                prose(
                    "module constant {name} ({where})",
                    name=Code(name),
                    where=state.ctx.where(binding),
                ),
                literal,
            )
            return [(use, name, arg.param) for use in free.uses]
        state.modules.need(name, at)
        return []
    chains = attribute_chains(state, free)
    if (
        all(chains)
        and not state.ctx.is_unpicklable(binding.value)
        and not state.ctx.is_layer_construction(binding.value)
    ):
        state.out.warnings.append(
            Warning_.of(
                Caution.READ_WHEN_BUILT, name=name, where=state.ctx.where(binding)
            )
        )
        return chain_args(state, free, "{text}, read when the layer is built")
    state.modules.refuse_object(name, binding, at)
    return []


def local_name(
    state: SiteState, free: FreeName
) -> list[tuple[ast.expr, str, str | None]]:
    name, res, at = free.name, free.resolved, free.uses[0]
    bindings = res.bindings
    kinds = {b.kind for b in bindings}
    if is_self(state, free):
        return self_attributes(state, free)
    if kinds <= {Bound.IMPORT}:
        for b in bindings:
            state.out.keep_import(name, b)
        return []
    if kinds & {Bound.DEF, Bound.CLASS}:
        raise state.ctx.refuse(
            at, Why.LOCAL_DEFINITION, name=name, where=state.ctx.where(bindings[0])
        )
    for b in bindings:
        if b.kind in (Bound.ASSIGN, Bound.NAMEDEXPR) and state.ctx.is_unpicklable(
            b.value
        ):
            raise state.ctx.refuse(
                at, Why.LOCAL_UNPICKLABLE, name=name, where=state.ctx.where(b)
            )
        if b.kind is Bound.ASSIGN and state.ctx.is_layer_construction(b.value):
            raise state.ctx.refuse(
                at, Why.LOCAL_LAYER, name=name, where=state.ctx.where(b)
            )
    called = next((u for u in free.uses if is_called(state, u)), None)
    if called is not None:
        raise state.ctx.refuse(
            called,
            Why.CALLS_RUNTIME_OBJECT,
            name=name,
            where=state.ctx.where(bindings[0]),
        )
    shapes = static_shape_uses(state, free)
    tensor = is_tensor(state, name, res.scope, bindings, depth=0)
    if shapes is not None and (not tensor or not connected(state, name, res.scope)):
        # only its static shape is read, and it is not otherwise part of the graph:
        # the shape is a plain value known when the layer is built
        arg = state.out.arg(
            f"{name}_shape",
            f"tuple({name}.shape)",
            prose("static shape of {name} where the Lambda was built", name=Code(name)),
            False,
        )
        return [(node, arg.param, arg.param) for node in shapes]
    if tensor:
        if name not in state.out.extra_inputs:
            state.out.extra_inputs.append(name)
        return []
    warn_late_binding(state, name, bindings)
    chains = attribute_chains(state, free)
    if all(chains):
        return chain_args(state, free, "{text} where the Lambda was built")
    arg = state.out.arg(
        name,
        name,
        prose(
            "{name} where the Lambda was built ({where})",
            name=Code(name),
            where=state.ctx.where(bindings[0]),
        ),
        False,
    )
    state.captured_values.extend(b.value for b in bindings if b.value is not None)
    return [(use, name, arg.param) for use in free.uses]


def is_called(state: SiteState, use: ast.Name) -> bool:
    parent = state.ctx.scopes.parent(use)
    return isinstance(parent, ast.Call) and parent.func is use
