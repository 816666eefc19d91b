"""Warnings and notes on a converted site (late binding, image data format)."""

from __future__ import annotations

import ast

from lambda2layer.diagnostics import Caution
from lambda2layer.resolve.records import Code, Warning_, prose
from lambda2layer.resolve.state import SiteState
from lambda2layer.scope import Binding, Bound

_DATA_FORMAT_NAMES = {
    "image_data_format",
    "image_dim_ordering",
    "set_image_data_format",
    "set_image_dim_ordering",
}


def note_data_format(state: SiteState) -> None:
    """Bodies that branch on the image data format or the channel axis get a note."""
    nodes = [
        state.site.function,
        *(m.stmt for m in state.out.moved.values()),
        *state.captured_values,
    ]
    for node in (
        n for root in nodes if root is not None for n in state.ctx.scopes.walk(root)
    ):
        name = (
            node.attr
            if isinstance(node, ast.Attribute)
            else node.id if isinstance(node, ast.Name) else ""
        )
        if name in _DATA_FORMAT_NAMES:
            state.out.warnings.append(Warning_.of(Caution.IMAGE_DATA_FORMAT, name=name))
            return


def warn_late_binding(
    state: SiteState, name: str, bindings: tuple[Binding, ...]
) -> None:
    call = state.site.call
    ancestors = set(map(id, state.ctx.scopes.ancestors(call)))
    loop = next(
        (
            b
            for b in bindings
            if b.kind in (Bound.FOR, Bound.COMPREHENSION)
            and id(b.stmt if b.kind is Bound.COMPREHENSION else b.node) in ancestors
        ),
        None,
    )
    later = [
        b
        for b in bindings
        if getattr(b.node, "lineno", 0) > call.lineno and b.kind is not Bound.PARAM
    ]
    if loop is not None or later:
        state.out.warnings.append(
            Warning_.of(Caution.LATE_BINDING_LOOP, name=name)
            if loop is not None
            else Warning_.of(
                Caution.LATE_BINDING_REASSIGNED, name=name, line=later[0].node.lineno
            )
        )
        state.out.notes.append(
            prose(
                "{name} is bound when the layer is built (the original closure was late-binding).",
                name=Code(name),
            )
        )
