"""Everything the user reads: diffs, diagnostics, the summary, the scan table."""

from __future__ import annotations

import difflib
import json
from dataclasses import dataclass, replace
from pathlib import Path

from lambda2layer import diagnostics as codes
from lambda2layer.diagnostics import Diagnostic, Severity
from lambda2layer.result import FileResult, Status


def table(rows: list[tuple[str, ...]], indent: str = "") -> list[str]:
    """Rows as aligned columns, two spaces apart; the last column is not padded."""
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]) - 1)]
    return [
        indent
        + "".join(cell.ljust(width) + "  " for cell, width in zip(row, widths))
        + row[-1]
        for row in rows
    ]


def _decode(data: bytes | None, encoding: str = "utf-8") -> str:
    if data is None:
        return ""
    for enc in (encoding, "utf-8", "latin-1"):
        try:
            return data.decode(enc)
        except UnicodeDecodeError:
            continue
    return data.decode("latin-1")


def _side(prefix: str, display: str) -> str:
    return display if Path(display).is_absolute() else f"{prefix}/{display}"


def unified_diff(result: FileResult) -> str:
    """Diff of the patched model file and of the new module."""
    from lambda2layer.source import SourceText

    chunks = []
    if result.changed:
        encoding = SourceText.decode(result.original).encoding
        before = _decode(result.original, encoding).splitlines(keepends=True)
        after = _decode(result.patched, encoding).splitlines(keepends=True)
        chunks.append(
            "".join(
                difflib.unified_diff(
                    before,
                    after,
                    _side("a", result.display),
                    _side("b", result.display),
                )
            )
        )
    if result.module_bytes is not None and result.module_path is not None:
        new_display = str(Path(result.display).with_name(result.module_path.name))
        after = _decode(result.module_bytes).splitlines(keepends=True)
        chunks.append(
            "".join(
                difflib.unified_diff([], after, "/dev/null", _side("b", new_display))
            )
        )
    text = "".join(c if c.endswith("\n") else c + "\n" for c in chunks if c)
    return text


@dataclass(frozen=True, slots=True)
class Summary:
    scanned: int
    changed: int  # files written (or, for a run that writes nothing, that would change)
    converted: int
    refused: int
    ignored: int
    skipped: int  # files left unread: not decodable, not parsable, too big
    failed_writes: int
    seconds: float
    would: bool = False  # a run that writes nothing (--check, --diff, scan)
    callables: int = 0  # of ``converted``: losses, metrics, activations ...

    def format(self) -> str:
        what = f"{self.converted - self.callables} Lambda(s)"
        if self.callables:
            what += f" and {self.callables} serialized callable(s)"
        if self.would:
            changed = f"{self.changed} would change"
            converted = f"{what} would be converted"
        else:
            changed = f"{self.changed} changed"
            converted = f"{what} converted"
        parts = [f"{self.scanned} file(s) scanned", changed, converted]
        parts.append(f"{self.refused} refused")
        if self.ignored:
            parts.append(f"{self.ignored} ignored")
        parts.append(f"{self.skipped} skipped")
        if self.failed_writes:
            parts.append(f"{self.failed_writes} not written")
        return f"lambda2layer: {', '.join(parts)} in {self.seconds:.2f}s"


def summarize(
    results: list[FileResult], seconds: float, would: bool = False
) -> Summary:
    return Summary(
        scanned=len(results),
        changed=sum(
            (r.changed and not r.write_problem) if would else r.written for r in results
        ),
        converted=sum(r.converted for r in results if would or r.written),
        refused=sum(r.refused for r in results),
        ignored=sum(r.ignored for r in results),
        skipped=sum(r.status is Status.SKIPPED for r in results),
        failed_writes=sum(r.write_problem is not None for r in results),
        seconds=seconds,
        would=would,
        callables=sum(r.converted_callables for r in results if would or r.written),
    )


def with_outcome_diagnostics(result: FileResult, pending: bool = False) -> FileResult:
    """``result`` with a diagnostic for what the run did not do: a write that failed
    (L2L004), and, for ``--check`` (``pending``), every site that would be converted
    (L2L006), so that CI formats show what is left to do."""
    extra: list[Diagnostic] = []
    if result.write_problem:
        extra.append(
            Diagnostic(
                result.display,
                1,
                1,
                Severity.ERROR,
                codes.WRITE_FAILED,
                f"not written: {result.write_problem}; nothing was changed",
            )
        )
    if pending and result.changed:
        extra += [
            Diagnostic(
                result.display,
                site.line,
                site.col,
                Severity.ERROR,
                codes.PENDING,
                f"would convert this {site.kind} to {site.class_name}",
                "run `lambda2layer convert` to apply",
            )
            for site in result.sites
            if site.status == "converted"
        ]
    if not extra:
        return result
    merged = sorted(result.diagnostics + tuple(extra), key=lambda d: (d.line, d.col))
    return replace(result, diagnostics=tuple(merged))


def scan_rows(result: FileResult) -> list[str]:
    """One line per site: where, function kind, outcome, then a decision per free variable."""
    rows = []
    for site in result.sites:
        where = f"{result.display}:{site.line}:{site.col}"
        outcome = f"-> {site.class_name}" if site.status == "converted" else site.status
        rows.append(f"{where}  {site.kind}  {outcome}")
        rows.extend(f"    {d}" for d in site.decisions)
    return rows


# -- machine-readable diagnostics --------------------------------------------------------

SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
_SARIF_LEVEL = {"error": "error", "warning": "warning", "note": "note"}


def _all_diagnostics(results: list[FileResult]):
    for result in results:
        yield from result.diagnostics


def diagnostics_json(results: list[FileResult]) -> str:
    rows = [
        {
            "path": d.path,
            "line": d.line,
            "col": d.col,
            "severity": d.severity.value,
            "code": d.code,
            "message": d.message,
            "hint": d.hint,
        }
        for d in _all_diagnostics(results)
    ]
    return json.dumps(rows, indent=2) + "\n"


def _github_escape(text: str, prop: bool = False) -> str:
    text = text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    return text.replace(":", "%3A").replace(",", "%2C") if prop else text


def diagnostics_github(results: list[FileResult]) -> str:
    lines = []
    for d in _all_diagnostics(results):
        kind = {"error": "error", "warning": "warning"}.get(d.severity.value, "notice")
        message = d.message + (f" ({d.hint})" if d.hint else "")
        if d.anchor is not None:  # a notebook cell: say which, point into the file
            message = f"{d.path} line {d.line}: {message}"
        path, line, col = d.in_file()
        lines.append(
            f"::{kind} file={_github_escape(path, True)},line={line},col={col},"
            f"title={_github_escape(d.code, True)}::{_github_escape(message)}"
        )
    return "\n".join(lines) + ("\n" if lines else "")


def diagnostics_sarif(results: list[FileResult], version: str) -> str:
    rule_ids = sorted({d.code for d in _all_diagnostics(results)})
    names = {
        v: k
        for k, v in vars(codes).items()
        if isinstance(v, str) and v.startswith("L2L")
    }
    rules = [
        {
            "id": rid,
            "name": "".join(
                w.title() for w in names.get(rid, "InternalError").split("_")
            ),
            "shortDescription": {
                "text": names.get(rid, "internal error").replace("_", " ").lower()
            },
        }
        for rid in rule_ids
    ]
    sarif_results = []
    for d in _all_diagnostics(results):
        text = d.message + (f" ({d.hint})" if d.hint else "")
        if d.anchor is not None:
            text = f"{d.path} line {d.line}: {text}"
        path, line, col = d.in_file()
        sarif_results.append(
            {
                "ruleId": d.code,
                "ruleIndex": rule_ids.index(d.code),
                "level": _SARIF_LEVEL[d.severity.value],
                "message": {"text": text},
                "locations": [
                    {
                        "physicalLocation": {
                            "artifactLocation": {"uri": Path(path).as_posix()},
                            "region": {"startLine": line, "startColumn": col},
                        }
                    }
                ],
            }
        )
    log = {
        "$schema": SARIF_SCHEMA,
        "version": "2.1.0",
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": "lambda2layer",
                        "version": version,
                        "rules": rules,
                    }
                },
                "results": sarif_results,
            }
        ],
    }
    return json.dumps(log, indent=2) + "\n"


def site_records(results: list[FileResult]) -> list[dict]:
    """Every Lambda site with its outcome: the ``--report`` file."""
    records = []
    for result in results:
        for site in result.sites:
            records.append(
                {
                    "path": result.display,
                    "line": site.line,
                    "col": site.col,
                    "status": site.status,
                    "kind": site.kind,
                    "class": site.class_name,
                    "module": (
                        str(result.module_path)
                        if site.status == "converted" and result.module_path
                        else None
                    ),
                    "decisions": list(site.decisions),
                    "diagnostics": [
                        d.format()
                        for d in result.diagnostics
                        if d.line == site.line or f"line {site.line} " in d.message
                    ],
                }
            )
        if result.status is Status.SKIPPED:
            records.append(
                {
                    "path": result.display,
                    "line": 1,
                    "col": 1,
                    "status": "skipped",
                    "kind": None,
                    "class": None,
                    "module": None,
                    "decisions": [],
                    "diagnostics": [d.format() for d in result.diagnostics],
                }
            )
    return records


def color_diff(text: str) -> str:
    """ANSI colours for a unified diff on a terminal."""
    out = []
    for line in text.splitlines(keepends=True):
        if line.startswith(("+++", "---")):
            out.append(f"\x1b[1m{line.rstrip(chr(10))}\x1b[0m\n")
        elif line.startswith("@@"):
            out.append(f"\x1b[36m{line.rstrip(chr(10))}\x1b[0m\n")
        elif line.startswith("+"):
            out.append(f"\x1b[32m{line.rstrip(chr(10))}\x1b[0m\n")
        elif line.startswith("-"):
            out.append(f"\x1b[31m{line.rstrip(chr(10))}\x1b[0m\n")
        else:
            out.append(line)
    return "".join(out)
