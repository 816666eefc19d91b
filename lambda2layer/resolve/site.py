"""One site, start to end: check the call, then let each decision family decide."""

from __future__ import annotations

import ast

from lambda2layer.diagnostics import Why
from lambda2layer.extract import LambdaSite
from lambda2layer.naming import body_name, camel, is_default_lambda_name
from lambda2layer.resolve.context import Context
from lambda2layer.resolve.functions import bound_arguments, main_function
from lambda2layer.resolve.notes import note_data_format
from lambda2layer.resolve.records import (
    Declined,
    LayerPlan,
    Planned,
    Refused,
    Resolution,
)
from lambda2layer.resolve.shape_and_mask import mask_method, output_shape_method
from lambda2layer.resolve.state import SiteState


class SiteResolver:
    def __init__(self, ctx: Context, site: LambdaSite):
        self.state = SiteState(ctx, site)

    def resolve(self) -> LayerPlan:
        site = self.state.site
        if site.extra_positional:
            raise self.state.ctx.refuse(site.call, Why.EXTRA_POSITIONAL)
        if site.function is None:
            raise self.state.ctx.refuse(site.call, Why.NO_FUNCTION)
        arguments = bound_arguments(self.state)
        call, name_hint = main_function(self.state, site.function, arguments)
        shape = (
            output_shape_method(self.state, site.output_shape)
            if site.output_shape is not None
            else None
        )

        mask = mask_method(self.state, site.mask) if site.mask is not None else None
        if self.state.out.extra_inputs and site.application is None:
            raise self.state.ctx.refuse(
                site.call,
                Why.TENSOR_NOT_APPLIED,
                tensors=", ".join(f"`{n}`" for n in self.state.out.extra_inputs),
            )
        if self.state.out.extra_inputs and site.application is not None:
            app = site.application
            if len(app.args) != 1 or any(isinstance(a, ast.Starred) for a in app.args):
                raise self.state.ctx.refuse(site.call, Why.TENSOR_SEVERAL_ARGUMENTS)
        note_data_format(self.state)
        return LayerPlan(
            site=site,
            name_hint=self.class_stem(name_hint),
            snippet=self.state.ctx.src.segment(site.call),
            call=call,
            compute_output_shape=shape,
            compute_mask=mask,
            ctor_args=tuple(self.state.out.ctor.values()),
            extra_inputs=tuple(self.state.out.extra_inputs),
            imports=tuple(self.state.out.imports.values()),
            moved=tuple(self.state.out.moved.values()),
            warnings=tuple(self.state.out.warnings),
            notes=tuple(self.state.out.notes),
            infer_output_shape=shape is None and site.wrapped,
        )

    def class_stem(self, from_function: str | None) -> str:
        site = self.state.site
        for candidate in (from_function, site.layer_name, site.assigned_to):
            if candidate and camel(candidate) and not is_default_lambda_name(candidate):
                return camel(candidate)
        fn = site.function
        if isinstance(fn, ast.Lambda):
            return body_name(fn.body, self.state.ctx.scopes.walk(fn.body))
        return "Function"

    # -- arguments= --------------------------------------------------------------


def resolve_site(ctx: Context, site: LambdaSite) -> Resolution:
    try:
        return Planned(site, SiteResolver(ctx, site).resolve())
    except Refused as refused:
        return Declined(site, refused.refusal)
