"""``self`` of a builder method captured by a Lambda: plain attributes become
constructor arguments, read when the layer is built; anything else is refused.

Wherever the class binds the attribute (``__init__``, ``configure()``, ``build()``),
the layer gets the value it has when the Lambda is built; set outside ``__init__``
that is worth a warning (L2L102). Refused only where the value provably changes
after the Lambda is built: a later assignment in the method that builds it, or
one in a loop around it."""

from __future__ import annotations

import ast

from lambda2layer.diagnostics import Caution, Why
from lambda2layer.resolve.chains import attribute_chains, chain_args
from lambda2layer.resolve.records import Warning_
from lambda2layer.resolve.self_writes import (
    Write,
    alias_of,
    is_weight,
    plain_methods_of,
    properties_of,
    writes_of,
)
from lambda2layer.resolve.state import SiteState
from lambda2layer.scope import Bound, FreeName, ScopeKind, positional

_LOOPS = (ast.For, ast.AsyncFor, ast.While)


def is_self(state: SiteState, free: FreeName) -> bool:
    bindings = free.resolved.bindings
    if len(bindings) != 1 or bindings[0].kind is not Bound.PARAM:
        return False
    fn = bindings[0].stmt
    if not isinstance(fn, (ast.FunctionDef, ast.AsyncFunctionDef)):
        return False
    params = positional(fn.args)
    owner = state.ctx.scopes.enclosing(fn)
    return (
        owner.kind is ScopeKind.CLASS and bool(params) and params[0] is bindings[0].node
    )


def self_attributes(
    state: SiteState, free: FreeName
) -> list[tuple[ast.expr, str, str]]:
    chains = attribute_chains(state, free)
    for use, chain in zip(free.uses, chains):
        if chain is None:
            parent = state.ctx.scopes.parent(use)
            if isinstance(parent, ast.Attribute):
                raise state.ctx.refuse(
                    use, Why.SELF_METHOD_CALL, name=free.name, method=parent.attr
                )
            raise state.ctx.refuse(use, Why.SELF_ITSELF, name=free.name)
    cls = state.ctx.scopes.enclosing(free.resolved.bindings[0].stmt).node
    writes = writes_of(state.ctx.scopes, cls)
    properties = properties_of(state.ctx.scopes, cls)
    methods = plain_methods_of(state.ctx.scopes, cls) - properties.keys()
    warned: set[str] = set()
    for use, chain in zip(free.uses, chains):
        text = state.ctx.src.segment(chain)
        path = read_path(state, use, chain, properties, text)
        if path[0] in methods:
            raise state.ctx.refuse(use, Why.SELF_METHOD_USED, name=text)
        touching = [w for w in writes if w.touches(path)]
        for w in touching:
            if w.path == path:
                refuse_object(state, use, text, w)
        judge(state, use, text, touching, warned)
    return chain_args(state, free, "{text} of the builder")


def read_path(
    state: SiteState,
    use: ast.Name,
    chain: ast.Attribute,
    properties: dict[str, ast.AST],
    text: str,
) -> tuple[str, ...]:
    """The attributes ``chain`` reads, through properties that only return an attribute."""
    path: list[str] = []
    node: ast.expr = chain
    while isinstance(node, ast.Attribute):
        path.append(node.attr)
        node = node.value
    path.reverse()
    for _ in range(len(properties)):
        getter = properties.get(path[0])
        if getter is None:
            break
        alias = alias_of(getter)
        if alias is None:
            raise state.ctx.refuse(
                use, Why.SELF_PROPERTY, name=text, line=getter.lineno
            )
        path[:1] = alias
    return tuple(path)


def judge(
    state: SiteState, use: ast.Name, text: str, writes: list[Write], warned: set[str]
) -> None:
    """Refuse a rebinding after the Lambda is built; warn for one outside ``__init__``."""
    scopes, call = state.ctx.scopes, state.site.call
    builder = scopes.enclosing(call).function_scope().node
    around = []  # the loops around the call, inside the function that builds it
    for anc in scopes.ancestors(call):
        if anc is builder:
            break
        if isinstance(anc, _LOOPS):
            around.append(anc)
    for w in writes:
        if (
            w.path is None
            or scopes.enclosing(w.node).function_scope().node is not builder
        ):
            continue
        if any(w.node is loop or loop in scopes.ancestors(w.node) for loop in around):
            raise state.ctx.refuse(
                use, Why.SELF_REBOUND_IN_LOOP, name=text, line=w.node.lineno
            )
        if after(state, w.node, call):
            raise state.ctx.refuse(
                use,
                Why.SELF_REBOUND_AFTER,
                name=text,
                line=w.node.lineno,
                method=w.method,
            )
    outside = next((w for w in writes if not w.in_init), None)
    if outside is None:
        return
    name = text if outside.path is None else ".".join([use.id, *outside.path])
    if name not in warned:
        warned.add(name)
        how = "possibly set by `setattr`" if outside.path is None else "set"
        where = f"{how} in `{outside.method}()`, line {outside.node.lineno}"
        state.out.warnings.append(
            Warning_.of(Caution.READ_WHEN_BUILT, name=name, where=where)
        )


def refuse_object(state: SiteState, use: ast.Name, text: str, w: Write) -> None:
    """A weight, a layer or an unpicklable object read whole cannot be a config value."""
    if w.value is None:
        return
    where = f"line {w.node.lineno}"
    if is_weight(w.value):
        raise state.ctx.refuse(use, Why.SELF_WEIGHT, name=text, where=where)
    if state.ctx.is_layer_construction(w.value):
        raise state.ctx.refuse(use, Why.LOCAL_LAYER, name=text, where=where)
    if state.ctx.is_unpicklable(w.value):
        raise state.ctx.refuse(use, Why.LOCAL_UNPICKLABLE, name=text, where=where)


def after(state: SiteState, node: ast.AST, call: ast.Call) -> bool:
    """Does ``node`` bind after ``call`` has built the layer?"""
    binds_a_value = isinstance(node, (ast.Assign, ast.AugAssign, ast.AnnAssign))
    if (binds_a_value or isinstance(node, ast.Call)) and any(
        anc is node for anc in state.ctx.scopes.ancestors(call)
    ):
        return True  # self.k = f(Lambda(...)): bound once the value is built
    return (node.lineno, node.col_offset) >= (call.end_lineno, call.end_col_offset)
