"""The state of resolving one site, shared by the decision families."""

from __future__ import annotations

import ast
from dataclasses import dataclass, field

from lambda2layer.extract import LambdaSite
from lambda2layer.resolve.collector import Collector
from lambda2layer.resolve.context import Context, is_json_literal
from lambda2layer.resolve.module_names import ModuleResolver
from lambda2layer.resolve.records import ConstructorArg, Prose
from lambda2layer.scope import Scope


@dataclass
class SiteState:
    ctx: Context
    site: LambdaSite
    out: Collector = field(default_factory=Collector)
    modules: ModuleResolver = field(init=False)
    site_scope: Scope = field(init=False)
    captured_values: list[ast.expr] = field(
        default_factory=list
    )  # what captured locals were assigned from

    def __post_init__(self) -> None:
        self.modules = ModuleResolver(self.ctx, self.out)
        self.site_scope = self.ctx.scopes.enclosing(self.site.call)

    def value_arg(self, name: str, value: ast.expr, origin: Prose) -> ConstructorArg:
        """A constructor argument carrying the value written at ``value``."""
        return self.out.arg(
            name, self.ctx.src.segment(value), origin, is_json_literal(value)
        )
