"""What the pipeline reports and edits for the serialized callables of one file:
diagnostics, site reports, text edits."""

from __future__ import annotations

import re

from lambda2layer.callables.records import (
    CallableDeclined,
    CallablePlan,
    CallableResolution,
)
from lambda2layer.diagnostics import Diagnostic, Severity
from lambda2layer.patch import TextEdit
from lambda2layer.result import SiteReport
from lambda2layer.source import SourceText
from lambda2layer.decisions import decision_lines


def _short(src: SourceText, res_site) -> str:
    text = re.sub(r"\s+", " ", src.segment(res_site.value)).strip()
    return text if len(text) <= 40 else text[:37] + "..."


def refusal_diagnostic(
    display: str, src: SourceText, res: CallableDeclined
) -> Diagnostic:
    """At the callable itself (inside the keyword value), whatever line the reason is on."""
    r, site = res.refusal, res.site
    where = f" (see line {r.line})" if r.line != site.line else ""
    return Diagnostic(
        display,
        site.line,
        site.col,
        Severity.ERROR,
        r.code,
        f"{site.kind} `{_short(src, site)}` at line {site.line} not converted: "
        f"{r.message}{where}",
        r.hint,
    )


def _decisions(plan: CallablePlan) -> tuple[str, ...]:
    draft = plan.draft
    out = decision_lines(draft.args, "config value", (), draft.imports, draft.moved)
    if draft.moved_def:
        out.append(f"{draft.moved_def} -> registered in the generated module")
    return tuple(out)


def site_reports(
    resolutions: list[CallableResolution], plans: list[CallablePlan]
) -> list[SiteReport]:
    out = [
        SiteReport(
            res.site.line,
            res.site.col,
            "refused",
            None,
            res.site.kind,
            (f"{res.refusal.code} {res.refusal.message}",),
            serialized_callable=True,
        )
        for res in resolutions
        if isinstance(res, CallableDeclined)
    ]
    out += [
        SiteReport(
            plan.site.line,
            plan.site.col,
            "converted",
            plan.class_name or plan.function,
            plan.site.kind,
            _decisions(plan),
            serialized_callable=True,
        )
        for plan in plans
    ]
    return out


def warnings(display: str, plans: list[CallablePlan]) -> list[Diagnostic]:
    return [
        Diagnostic(
            display,
            plan.site.line,
            plan.site.col,
            Severity.NOTE if w.note else Severity.WARNING,
            w.code,
            w.message,
        )
        for plan in plans
        for w in (*plan.draft.warnings, *plan.notes)
    ]


def site_edits(src: SourceText, plans: list[CallablePlan]) -> list[TextEdit]:
    """Each converted callable's span gets its replacement; a moved def's stays."""
    return [
        TextEdit(src.start(p.site.value), src.end(p.site.value), p.replacement)
        for p in plans
        if p.replacement is not None
    ]
