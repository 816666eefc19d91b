"""What a converted site's report says of each value it carries (one line each)."""

from __future__ import annotations

from lambda2layer.resolve.records import (
    ConstructorArg,
    KeptImport,
    MovedDefinition,
    marked,
)


def decision_lines(
    args: tuple[ConstructorArg, ...],
    kept: str,
    extra_inputs: tuple[str, ...],
    imports: tuple[KeptImport, ...],
    moved: tuple[MovedDefinition, ...],
) -> list[str]:
    """``kept``: what a carried value becomes (a constructor argument, a config value)."""
    out = [
        f"{a.call_expr} -> {kept} `{a.param}`: {marked(a.origin, '`')}" for a in args
    ]
    out += [f"{n} -> extra input: a Keras tensor of the graph" for n in extra_inputs]
    out += [f"{i.name} -> import kept: `{i.text}` (line {i.line})" for i in imports]
    out += [
        f"{m.name} -> moved into the generated module (line {m.stmt.lineno})"
        for m in moved
    ]
    return out
