"""What one file's conversion comes to: records only, no work."""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum
from pathlib import Path

from lambda2layer.diagnostics import Diagnostic, Severity


class Status(str, Enum):
    UNCHANGED = "unchanged"  # nothing to convert
    CONVERTED = "converted"  # every site converted
    PARTIAL = "partial"  # some sites converted, some refused
    REFUSED = "refused"  # sites found, none converted
    SKIPPED = "skipped"  # unreadable or unparsable


@dataclass(frozen=True, slots=True)
class SiteReport:
    line: int
    col: int
    status: str  # converted / refused / ignored (a refusal the user accepted)
    class_name: str | None
    kind: str  # inline lambda, module function, functools.partial, ...
    decisions: tuple[str, ...]  # one per free variable, or the refusal
    serialized_callable: bool = False  # a loss, metric, activation ... not a Lambda


@dataclass(frozen=True, slots=True)
class FileResult:
    path: Path
    display: str
    status: Status
    original: bytes | None = None
    patched: bytes | None = None
    module_path: Path | None = None
    module_bytes: bytes | None = None
    registration: str | None = None  # the generated module's registration package
    diagnostics: tuple[Diagnostic, ...] = ()
    sites: tuple[SiteReport, ...] = ()
    pending: bool = (
        False  # decided without generating code: conversion would change the file
    )
    written: bool = False  # written by the run (run.convert_files); bytes dropped
    write_problem: str | None = None  # why writing it failed; nothing was changed
    unused_suppressions: tuple[
        int, ...
    ] = ()  # lines whose ignore comment accepted nothing

    @property
    def changed(self) -> bool:
        return (
            self.pending
            or self.written
            or (self.patched is not None and self.patched != self.original)
        )

    @property
    def converted(self) -> int:
        return sum(s.status == "converted" for s in self.sites)

    @property
    def converted_callables(self) -> int:
        """Of ``converted``, the serialized callables (losses, metrics, activations ...)."""
        return sum(
            s.status == "converted" and s.serialized_callable for s in self.sites
        )

    @property
    def refused(self) -> int:
        return sum(s.status == "refused" for s in self.sites)

    @property
    def ignored(self) -> int:
        """Refused sites whose refusal the user accepted (``lambda2layer: ignore``)."""
        return sum(s.status == "ignored" for s in self.sites)


def skipped(
    path: Path,
    display: str,
    code: str,
    message: str,
    hint: str = "",
    line: int = 1,
    col: int = 1,
) -> FileResult:
    """A file left exactly as it is, with the one reason why (at ``line``:``col``
    where the reason has a place, such as a syntax error)."""
    diagnostic = Diagnostic(display, line, col, Severity.ERROR, code, message, hint)
    return FileResult(path, display, Status.SKIPPED, diagnostics=(diagnostic,))
