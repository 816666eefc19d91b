"""Everything the user reads: diffs, diagnostics, the summary, the scan table."""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from pathlib import Path

from lambda2layer.pipeline import FileResult, Status


def _decode(data: bytes | None, encoding: str = "utf-8") -> str:
    if data is None:
        return ""
    for enc in (encoding, "utf-8", "latin-1"):
        try:
            return data.decode(enc)
        except UnicodeDecodeError:
            continue
    return data.decode("latin-1")


def unified_diff(result: FileResult) -> str:
    """Diff of the patched model file and of the new module."""
    from lambda2layer.source import SourceText

    chunks = []
    if result.changed:
        encoding = SourceText.decode(result.original).encoding
        before = _decode(result.original, encoding).splitlines(keepends=True)
        after = _decode(result.patched, encoding).splitlines(keepends=True)
        chunks.append("".join(difflib.unified_diff(before, after, f"a/{result.display}", f"b/{result.display}")))
    if result.module_bytes is not None and result.module_path is not None:
        new_display = str(Path(result.display).with_name(result.module_path.name))
        after = _decode(result.module_bytes).splitlines(keepends=True)
        chunks.append("".join(difflib.unified_diff([], after, "/dev/null", f"b/{new_display}")))
    text = "".join(c if c.endswith("\n") else c + "\n" for c in chunks if c)
    return text


@dataclass(frozen=True, slots=True)
class Summary:
    scanned: int
    changed: int
    converted: int
    refused: int
    skipped: int
    seconds: float

    def format(self) -> str:
        return (
            f"lambda2layer: {self.scanned} file(s) scanned, {self.changed} changed, "
            f"{self.converted} Lambda(s) converted, {self.refused} refused, {self.skipped} skipped "
            f"in {self.seconds:.2f}s"
        )


def summarize(results: list[FileResult], seconds: float) -> Summary:
    return Summary(
        scanned=len(results),
        changed=sum(r.changed for r in results),
        converted=sum(r.converted for r in results),
        refused=sum(r.refused for r in results),
        skipped=sum(r.status is Status.SKIPPED for r in results),
        seconds=seconds,
    )


def scan_rows(result: FileResult) -> list[str]:
    """One line per site: where, function kind, outcome, then a decision per free variable."""
    rows = []
    for site in result.sites:
        where = f"{result.display}:{site.line}:{site.col}"
        outcome = f"-> {site.class_name}" if site.status == "converted" else "refused"
        rows.append(f"{where}  {site.kind}  {outcome}")
        rows.extend(f"    {d}" for d in site.decisions)
    return rows
