"""Drafts -> plans: names for the registered functions and classes, and the text each
site becomes."""

from __future__ import annotations

import itertools
import keyword

from lambda2layer.callables.records import CallablePlan, Draft
from lambda2layer.diagnostics import Caution
from lambda2layer.naming import camel, snake
from lambda2layer.resolve import Warning_


def _unique(base: str, taken: set[str]) -> str:
    if keyword.iskeyword(base):
        base += "_fn"
    for name in itertools.chain([base], (f"{base}_{n}" for n in itertools.count(2))):
        if name not in taken:
            taken.add(name)
            return name
    raise AssertionError("unreachable")


def _unique_class(base: str, taken: set[str]) -> str:
    for name in itertools.chain([base], (f"{base}{n}" for n in itertools.count(2))):
        if name not in taken:
            taken.add(name)
            return name
    raise AssertionError("unreachable")


def _code(draft: Draft) -> tuple:
    """What makes two drafts the same generated code (docstrings aside)."""
    return (
        draft.site.role,
        draft.factory,
        draft.params,
        draft.body,
        draft.bindings,
        tuple((a.param, a.literal) for a in draft.args),
        tuple(i.text for i in draft.imports),
    )


def name_drafts(drafts: list[Draft], taken: set[str]) -> list[CallablePlan]:
    """One plan per draft, its names apart from ``taken`` (every name of the file and
    of the generated module so far), which grows with them."""
    plans = []
    seen: dict[tuple, tuple[str | None, str | None]] = {}
    for draft in drafts:
        if draft.moved_def:
            plans.append(CallablePlan(draft, draft.moved_def, None, None, ()))
            continue
        same = _code(draft)  # identical code at several sites: one definition
        if same in seen:
            function, class_name = seen[same]
        else:
            function = class_name = None
            if not draft.args or draft.site.role == "metric":
                function = _unique(snake(draft.name_hint), taken)
            if draft.args:
                class_name = _unique_class(camel(draft.name_hint) or "Callable", taken)
            seen[same] = function, class_name
        if draft.args:
            values = ", ".join(f"{a.param}={a.call_expr}" for a in draft.args)
            replacement = f"{class_name}({values})"
        else:
            replacement = function
        warnings = ()
        if draft.nested is not None:
            warnings = (
                Warning_.of(
                    Caution.NESTED_CALLABLE_COPIED,
                    kind=draft.site.kind,
                    name=draft.nested.name,
                    line=draft.nested.lineno,
                    new=class_name or function,
                ),
            )
        plans.append(CallablePlan(draft, function, class_name, replacement, warnings))
    return plans
