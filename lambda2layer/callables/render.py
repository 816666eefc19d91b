"""Plans -> the generated module's part for the callables: registered functions and
classes, rendered from ``templates/callables.py.j2`` (black formats them with the rest).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from lambda2layer.callables.records import CallablePlan, ModulePart
from lambda2layer.emit import body_lines
from lambda2layer.resolve import ConstructorArg

# the Keras base class of a registered callable that carries values, by role
_BASES = {
    "loss": "keras.losses.Loss",
    "metric": "keras.metrics.MeanMetricWrapper",
    "regularizer": "keras.regularizers.Regularizer",
    "initializer": "keras.initializers.Initializer",
    "constraint": "keras.constraints.Constraint",
    "activation": "",
}


@dataclass(frozen=True, slots=True)
class FunctionText:
    name: str
    params: str
    summary: str
    lines: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class ClassText:
    name: str
    base: str
    role: str
    summary: str
    args: tuple[ConstructorArg, ...]
    params: str
    lines: tuple[str, ...]
    default_name: str
    function: str | None
    deserialized: tuple[str, ...]


def summary(plans: list[CallablePlan], source_name: str) -> str:
    """The docstring's first line: what the definition replaces, and where."""
    plan = plans[0]
    site, draft = plan.site, plan.draft
    where = ", ".join(f"{source_name}:{p.site.line}" for p in plans)
    if len(plans) > 1:
        what = (
            f"{site.role} factory ``{draft.factory}(...)``"
            if draft.factory
            else site.kind
        )
        return (
            f"Replaces the identical {what} calls at {where}."
            if draft.factory
            else (f"Replaces the identical {what} callables at {where}.")
        )
    if draft.factory:
        text = f"the {site.role} factory call ``{_one_line(draft.snippet)}``"
        if len(text) > 70:
            text = f"the {site.role} factory ``{draft.factory}(...)``"
        return f"Replaces {text} ({where}); its parameters are kept in the config."
    snippet = _one_line(draft.snippet)
    if len(snippet) > 60:
        return f"Replaces the {site.kind} at {where}."
    return f"Replaces the {site.kind} ``{snippet}`` ({where})."


def _one_line(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def _has_docstring(lines: tuple[str, ...]) -> bool:
    return bool(lines) and lines[0].lstrip().startswith(('"', "'", 'r"', "r'"))


def module_part(
    plans: list[CallablePlan], source_name: str, package: str, saving: str
) -> ModulePart:
    from lambda2layer.emit import template_macros

    macros = template_macros("callables.py.j2")
    blocks, imports, moved, registered = [], {}, {}, set()
    converters = False
    rendered: set[tuple[str | None, str | None]] = set()
    for plan in plans:
        draft = plan.draft
        for imp in draft.imports:
            imports.setdefault(imp.text, imp)
        for m in draft.moved:
            moved.setdefault(m.name, m)
        if draft.moved_def:
            registered.add(draft.moved_def)
            continue
        if (plan.function, plan.class_name) in rendered:
            continue  # the same code at another site: defined once
        rendered.add((plan.function, plan.class_name))
        sharing = [
            p
            for p in plans
            if (p.function, p.class_name) == (plan.function, plan.class_name)
        ]
        about = summary(sharing, source_name)
        role = plan.site.role
        if plan.function is not None:
            params = draft.params
            lines = body_lines(draft.body)
            if (
                plan.class_name is not None
            ):  # a metric: its values are keyword arguments
                params = ", ".join(
                    [p for p in [draft.params] if p] + [a.param for a in draft.args]
                )
                lines = (
                    tuple(
                        f"{local} = {param}"
                        for local, param in draft.bindings
                        if local != param
                    )
                    + lines
                )
            text = FunctionText(
                plan.function, params, "" if _has_docstring(lines) else about, lines
            )
            blocks.append(str(macros.function(text, saving, package)))
        if plan.class_name is not None:
            deserialized = tuple(a.param for a in draft.args if not a.literal)
            converters = converters or bool(deserialized)
            prelude = tuple(
                f"{local} = self.{param}" for local, param in draft.bindings
            )
            text = ClassText(
                name=plan.class_name,
                base=_BASES[role],
                role=role,
                summary=about,
                args=draft.args,
                params=draft.params,
                lines=prelude + body_lines(draft.body),
                default_name=draft.factory or plan.function or draft.name_hint,
                function=plan.function,
                deserialized=deserialized,
            )
            blocks.append(str(macros.callable_class(text, saving, package)))
    return ModulePart(
        imports=tuple(imports.values()),
        moved=tuple(moved.values()),
        registered=frozenset(registered),
        blocks=tuple(blocks),
        converters=converters,
    )
