"""Accepted refusals: ``# lambda2layer: ignore`` comments and ``--ignore CODE``.

A comment ``# lambda2layer: ignore`` (every code) or ``# lambda2layer: ignore[L2L203]``
(those codes, comma-separated) on a site's first line, or on the line a diagnostic
points at, takes that site's diagnostics out of the output and the exit status; the
site is reported as ``ignored``. ``ignore`` codes from the command line or the
configuration do the same everywhere. The file itself is never changed by this.
"""

from __future__ import annotations

import io
import re
import tokenize
from dataclasses import dataclass, replace

from lambda2layer.diagnostics import Diagnostic
from lambda2layer.result import FileResult, SiteReport

_MARK = b"lambda2layer: ignore"
_COMMENT = re.compile(r"#\s*lambda2layer:\s*ignore(?:\[([^\]]*)\])?")
_AT_LINE = re.compile(r"\bat line (\d+)\b")


@dataclass(frozen=True, slots=True)
class Suppression:
    line: int
    codes: frozenset[str]  # empty: every code

    def covers(self, code: str) -> bool:
        return not self.codes or code in self.codes


def suppressions(text: str) -> dict[int, Suppression]:
    """Every suppression comment of a Python source, by line (comments only:
    the same words inside a string do not count)."""
    found: dict[int, Suppression] = {}
    try:
        for tok in tokenize.generate_tokens(io.StringIO(text).readline):
            if tok.type != tokenize.COMMENT:
                continue
            match = _COMMENT.search(tok.string)
            if match:
                listed = match.group(1) or ""
                codes = frozenset(c.strip() for c in listed.split(",") if c.strip())
                found[tok.start[0]] = Suppression(tok.start[0], codes)
    except (tokenize.TokenError, SyntaxError):
        pass  # a file that does not tokenize has no sites to suppress
    return found


def _site_line(diag: Diagnostic, sites: tuple[SiteReport, ...]) -> int | None:
    """The first line of the site a diagnostic is about, where it says so."""
    match = _AT_LINE.search(diag.message)
    if match:
        return int(match.group(1))
    lines = {s.line for s in sites}
    return diag.line if diag.line in lines else None


def apply(
    result: FileResult, text: str | None, ignore: tuple[str, ...] = ()
) -> FileResult:
    """``result`` without the diagnostics its source or ``ignore`` accepts; their
    sites become ``ignored``, and comments that accepted nothing are listed."""
    comments = suppressions(text) if text is not None else {}
    if not comments and not ignore:
        return result
    kept: list[Diagnostic] = []
    used: set[int] = set()
    ignored_sites: set[int] = set()
    for diag in result.diagnostics:
        site_line = _site_line(diag, result.sites)
        by_comment = [
            c
            for c in (comments.get(diag.line), comments.get(site_line))
            if c is not None and c.covers(diag.code)
        ]
        if diag.code in ignore or by_comment:
            used.update(c.line for c in by_comment)
            if site_line is not None:
                ignored_sites.add(site_line)
            continue
        kept.append(diag)
    still_reported = {_site_line(d, result.sites) for d in kept}
    sites = tuple(
        (
            replace(s, status="ignored")
            if s.status == "refused"
            and s.line in ignored_sites
            and s.line not in still_reported
            else s
        )
        for s in result.sites
    )
    unused = tuple(sorted(set(comments) - used))
    return replace(
        result, diagnostics=tuple(kept), sites=sites, unused_suppressions=unused
    )


def might_suppress(data: bytes) -> bool:
    return _MARK in data
