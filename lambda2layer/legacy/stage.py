"""The legacy pass: after the resolver, a site that targets Keras 3 gets its
Keras-2 backend calls rewritten in the generated code, or is refused whole."""

from __future__ import annotations

import ast
from dataclasses import replace

from lambda2layer.diagnostics import Caution, Why
from lambda2layer.flavour import Flavour
from lambda2layer.legacy.rewrite import (
    Problem,
    Rewritten,
    bind,
    problems,
    references,
    rewrite,
)
from lambda2layer.resolve import Context, Declined, LayerPlan, Planned, Resolution
from lambda2layer.emit import method_lines
from lambda2layer.resolve.records import (
    Body,
    KeptImport,
    Method,
    OutputShape,
    MovedDefinition,
    Warning_,
    prose,
)

_OPS_IMPORT = "from keras import ops"


def _roots(plan: LayerPlan) -> list[ast.AST]:
    site = plan.site
    nodes = [site.function, site.output_shape, site.mask]
    return [n for n in nodes if n is not None] + [m.stmt for m in plan.moved]


def _ops_name(ctx: Context, roots: list[ast.AST]) -> str:
    """``ops`` (imported from keras), unless the file or the code uses that name
    for something else; then ``keras.ops``."""
    if ctx.imports.get("ops", "keras.ops") != "keras.ops":
        return "keras.ops"
    if ctx.scopes.lookup("ops", ctx.scopes.module).scope is not None and (
        "ops" not in ctx.imports
    ):
        return "keras.ops"
    for root in roots:
        for node in ast.walk(root):
            if (isinstance(node, ast.Name) and node.id == "ops") or (
                isinstance(node, ast.arg) and node.arg == "ops"
            ):
                if ctx.imports.get("ops") != "keras.ops":
                    return "keras.ops"
    return "ops"


def translate(ctx: Context, res: Resolution, flavour: Flavour) -> Resolution:
    """``res`` with its generated code on Keras 3's API, or refused (L2L213)."""
    if not isinstance(res, Planned) or flavour is not Flavour.KERAS3:
        return res
    plan = res.plan
    roots = _roots(plan)
    if not references(roots, ctx.imports):
        return res
    found = problems(roots, ctx.imports, ctx.src.segment)
    if found:
        first = min(found, key=lambda p: (p.node.lineno, p.node.col_offset))
        refused = ctx.refuse(
            first.node, Why.LEGACY_NO_EQUIVALENT, name=first.name, reason=first.reason
        )
        return Declined(res.site, refused.refusal)
    seed = _seed(ctx, plan)
    if isinstance(seed, Problem):
        refused = ctx.refuse(
            seed.node, Why.LEGACY_NO_EQUIVALENT, name=seed.name, reason=seed.reason
        )
        return Declined(res.site, refused.refusal)
    ops = _ops_name(ctx, roots)
    done: list[Rewritten] = []

    def method(m: OutputShape | None) -> OutputShape | None:
        if not isinstance(m, Method):
            return m  # a shape given as data calls no backend
        out = rewrite("\n".join(method_lines(m)), ctx.imports, ops, body=True)
        done.append(out)
        return Method(m.params, (), Body(tuple(out.text.split("\n"))))

    call = method(plan.call)
    shape = method(plan.compute_output_shape)
    mask = method(plan.compute_mask)
    moved = []
    for m in plan.moved:
        if not references([m.stmt], ctx.imports):
            moved.append(m)
            continue
        out = rewrite(ctx.src.definition_text(m.stmt), ctx.imports, ops, body=False)
        done.append(out)
        # a copy, not a move: the model file's own users keep the original
        moved.append(replace(m, text=out.text, copied=True))
    pairs = list(dict.fromkeys(p for r in done for p in r.rewritten))
    if not pairs:
        return res
    used = set()
    for m in (call, shape, mask):
        if m is not None:
            lines = method_lines(m)
            used |= _names_in("def _():\n" + "\n".join("    " + l for l in lines))
    for m in moved:
        used |= _names_in(m.text or ctx.src.definition_text(m.stmt))
    imports = [i for i in plan.imports if i.name == "keras" or i.name in used]
    while True:  # what a kept statement reads (``if USE_TF:``, ``K = keras.backend``)
        wanted = used.union(*(_names_in(i.text) for i in imports))
        more = [i for i in plan.imports if i.name in wanted and i not in imports]
        if not more:
            break
        used = wanted
        imports = [i for i in plan.imports if i in imports or i in more]
    if ops == "ops" and all(i.text != _OPS_IMPORT for i in imports):
        imports.insert(0, KeptImport("ops", _OPS_IMPORT, 0))
    listed = ", ".join(f"{old} -> {new}" for old, new in pairs)
    tf = any(ctx.imports.get(i.name, "").startswith("tensorflow") for i in imports)
    note = Warning_.of(
        Caution.LEGACY_REWRITTEN,
        calls=listed,
        backend=(
            "; the layer still calls TensorFlow (tf.*), so it needs the TensorFlow backend"
            if tf
            else ""
        ),
    )
    new_plan = replace(
        plan,
        call=call,
        compute_output_shape=shape,
        compute_mask=mask,
        moved=tuple(moved),
        imports=tuple(imports),
        warnings=(*plan.warnings, note),
        notes=(
            *plan.notes,
            prose("Keras-2 backend calls are written with Keras 3's keras.ops here."),
        ),
        helpers=tuple(sorted({h for r in done for h in r.helpers})),
        seed_generator=seed,
    )
    return Planned(res.site, new_plan)


_IN_HELPER = (
    "it draws random numbers inside the module-level helper `{name}`; a Keras 3 layer "
    "seeds its draws with a SeedGenerator of its own, which a helper cannot reach"
)


def _seed(ctx: Context, plan: LayerPlan) -> str | None | Problem:
    """The seed of the SeedGenerator the layer needs (``"None"`` when unseeded),
    None if nothing draws, or why the draws cannot be translated."""
    helpers = {id(n): m.name for m in plan.moved for n in ast.walk(m.stmt)}
    seeds = []
    for node, verdict, call in references(_roots(plan), ctx.imports):
        if verdict.entry is None or not verdict.entry.seeded:
            continue
        name = ctx.src.segment(node)
        if id(node) in helpers:
            return Problem(node, name, _IN_HELPER.format(name=helpers[id(node)]))
        value = bind(verdict.entry, call).get("seed")
        try:
            seed = None if value is None else ast.literal_eval(value)
        except ValueError:
            return Problem(call, name, "its `seed=` is not a literal integer")
        if seed is not None and type(seed) is not int:
            return Problem(call, name, "its `seed=` is not a literal integer")
        seeds.append(repr(seed))
    if len(set(seeds)) > 1:
        return Problem(
            plan.site.call,
            "random functions",
            "its draws use different seeds ({}), and the layer has one SeedGenerator".format(
                ", ".join(sorted(set(seeds)))
            ),
        )
    return seeds[0] if seeds else None


def _names_in(code: str) -> set[str]:
    """The names ``code`` (generated, so it parses) reads or binds."""
    return {n.id for n in ast.walk(ast.parse(code)) if isinstance(n, ast.Name)}
