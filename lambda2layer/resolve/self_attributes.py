"""``self`` of a builder method captured by a Lambda: plain attributes become
constructor arguments, anything else is refused."""

from __future__ import annotations

import ast

from lambda2layer.diagnostics import Why
from lambda2layer.resolve.chains import attribute_chains, chain_args
from lambda2layer.resolve.state import SiteState
from lambda2layer.scope import Bound, FreeName, ScopeKind, positional


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
    at = free.uses[0]
    for use, chain in zip(free.uses, chains):
        if chain is None:
            parent = state.ctx.scopes.parent(use)
            if isinstance(parent, ast.Attribute):
                raise state.ctx.refuse(
                    use, Why.SELF_METHOD_CALL, name=free.name, method=parent.attr
                )
            raise state.ctx.refuse(use, Why.SELF_ITSELF, name=free.name)
    owner = state.ctx.scopes.enclosing(free.resolved.bindings[0].stmt).node
    mutated = mutated_attributes(owner, free.name)
    for chain in chains:
        first = chain
        while isinstance(first.value, ast.Attribute):
            first = first.value
        if first.attr in mutated:
            raise state.ctx.refuse(
                at,
                Why.SELF_REASSIGNED,
                name=free.name,
                attr=first.attr,
                line=mutated[first.attr],
            )
    return chain_args(state, free, "{text} of the builder")


def mutated_attributes(cls: ast.ClassDef, self_name: str) -> dict[str, int]:
    out = {}
    for method in cls.body:
        if (
            not isinstance(method, (ast.FunctionDef, ast.AsyncFunctionDef))
            or method.name == "__init__"
        ):
            continue
        for node in ast.walk(method):
            targets = []
            if isinstance(node, ast.Assign):
                targets = node.targets
            elif isinstance(node, (ast.AugAssign, ast.AnnAssign)):
                targets = [node.target]
            for t in targets:
                if (
                    isinstance(t, ast.Attribute)
                    and isinstance(t.value, ast.Name)
                    and t.value.id == self_name
                ):
                    out.setdefault(t.attr, node.lineno)
    return out
