"""The decisions gathered while one site is resolved."""

from __future__ import annotations

import ast
from dataclasses import dataclass, field

from lambda2layer.naming import parameter_name
from lambda2layer.resolve.records import (
    ConstructorArg,
    KeptImport,
    MovedDefinition,
    Prose,
    Warning_,
)
from lambda2layer.scope import Binding


@dataclass
class Collector:
    ctor: dict[str, ConstructorArg] = field(default_factory=dict)  # keyed by call_expr
    taken: set[str] = field(default_factory=set)
    extra_inputs: list[str] = field(default_factory=list)
    imports: dict[str, KeptImport] = field(
        default_factory=dict
    )  # keyed by statement text
    moved: dict[str, MovedDefinition] = field(default_factory=dict)
    done: set[str] = field(
        default_factory=set
    )  # module-level names already made available
    warnings: list[Warning_] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def keep_import(self, name: str, binding: Binding) -> None:
        text = import_text(binding, name)
        self.imports.setdefault(text, KeptImport(name, text, binding.stmt.lineno))

    def arg(
        self, raw: str, call_expr: str, origin: Prose, literal: bool = False
    ) -> ConstructorArg:
        if call_expr in self.ctor:
            return self.ctor[call_expr]
        arg = ConstructorArg(
            parameter_name(raw, self.taken), call_expr, origin, literal
        )
        self.ctor[call_expr] = arg
        return arg


def import_text(binding: Binding, name: str) -> str:
    stmt, alias = binding.stmt, binding.node
    suffix = f" as {alias.asname}" if alias.asname else ""
    if isinstance(stmt, ast.Import):
        return f"import {alias.name}{suffix}"
    module = "." * stmt.level + (stmt.module or "")
    return f"from {module} import {alias.name}{suffix}"
