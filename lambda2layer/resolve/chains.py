"""Attribute chains (``name.a.b``) read through a captured name, made constructor
arguments."""

from __future__ import annotations

import ast

from lambda2layer.resolve.state import SiteState
from lambda2layer.scope import FreeName
from lambda2layer.resolve.records import Code, prose


def attribute_chains(state: SiteState, free: FreeName):
    """For each use: the longest ``name.a.b`` chain read as a value, or None for a bare use."""
    chains = []
    for use in free.uses:
        node: ast.expr = use
        parent = state.ctx.scopes.parent(node)
        while isinstance(parent, ast.Attribute) and isinstance(parent.ctx, ast.Load):
            grand = state.ctx.scopes.parent(parent)
            if isinstance(grand, ast.Call) and grand.func is parent:
                break
            node, parent = parent, grand
        chains.append(node if node is not use else None)
    return chains


def chain_args(
    state: SiteState, free: FreeName, origin: str
) -> list[tuple[ast.expr, str, str]]:
    out = []
    for chain in attribute_chains(state, free):
        text = state.ctx.src.segment(chain)
        arg = state.out.arg(chain.attr, text, prose(origin, text=Code(text)), False)
        out.append((chain, arg.param, arg.param))
    return out
