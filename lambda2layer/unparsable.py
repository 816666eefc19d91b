"""Lambda calls in text that Python's ``ast`` cannot parse.

A file that is not valid Python 3 (a Python 2 ``print "x"``, a merge conflict, a
half-finished edit) is left exactly as it is, but it must not hide its Lambda
layers: each one is reported at its line and column. ``ast`` stops at the first
syntax error; tree-sitter's Python grammar (through ast-grep) recovers around
it and still yields every call node with its range, and it knows a string or a
comment that merely contains ``Lambda(`` from a call.
"""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass

from lambda2layer.source import SourceText

# a call whose callee is the name ``Lambda`` or an attribute ``<anything>.Lambda``
_LAMBDA_CALL = {
    "kind": "call",
    "has": {
        "field": "function",
        "any": [
            {"kind": "identifier", "regex": "^Lambda$"},
            {"kind": "attribute", "has": {"field": "attribute", "regex": "^Lambda$"}},
        ],
    },
}


@dataclass(frozen=True, slots=True)
class CallSite:
    """One ``Lambda(...)`` call: where it starts, as ``ast`` would number it
    (``line`` from 1, ``col`` = UTF-8 byte offset + 1, like a site in a file that
    parses), and its character range in the text."""

    line: int
    col: int
    start: int
    end: int
    callee: str


def lambda_calls(src: SourceText) -> list[CallSite]:
    """Every ``Lambda(...)`` call in ``src``, in source order, syntax errors or not.

    Lines are counted as ``ast`` counts them (``\\r``, ``\\n`` and ``\\r\\n``
    each end one), so a site has the same position whether the file parses or not."""
    from ast_grep_py import SgRoot  # loaded only for the rare file ast rejects

    sites = []
    for node in SgRoot(src.text, "python").root().find_all(**_LAMBDA_CALL):
        where = node.range()
        line = bisect_right(src.line_starts, where.start.index)
        before = src.text[src.line_starts[line - 1] : where.start.index]
        callee = node.field("function")
        sites.append(
            CallSite(
                line,
                len(before.encode("utf-8")) + 1,
                where.start.index,
                where.end.index,
                "".join(callee.text().split()) if callee else "Lambda",
            )
        )
    return sites
