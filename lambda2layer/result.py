"""What one file's conversion comes to, and the cheap first look at a file.

Kept apart from the converter so that a run over files without any Lambda never
imports it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import Enum
from pathlib import Path

from lambda2layer import diagnostics as codes
from lambda2layer.diagnostics import Diagnostic, Severity
from lambda2layer.options import Options
from lambda2layer.project import ProjectIndex

MAX_BYTES = 16 * 2**20  # a bigger .py file is generated data, not a model

# ``from m import *`` as a statement; in a notebook's JSON, anywhere in a line
_STAR_IMPORT = re.compile(rb"^[ \t]*from[ \t]+[\w.]+[ \t]+import[ \t(]*\*", re.M)
_STAR_IMPORT_JSON = re.compile(rb"from[ \t]+[\w.]+[ \t]+import[ \t(]*\*")


def might_convert(data: bytes, notebook: bool = False) -> bool:
    """The byte prefilter: a file can build a Keras Lambda only if it says ``Lambda``
    and imports Keras or TensorFlow, or star-imports something that might be Keras.
    The same test the extractor makes after parsing, done on bytes first."""
    if b"Lambda" not in data:
        return False
    if b"keras" in data or b"tensorflow" in data:
        return True
    return bool((_STAR_IMPORT_JSON if notebook else _STAR_IMPORT).search(data))


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
    status: str  # converted / refused
    class_name: str | None
    kind: str  # inline lambda, module function, functools.partial, ...
    decisions: tuple[str, ...]  # one per free variable, or the refusal


@dataclass(frozen=True, slots=True)
class FileResult:
    path: Path
    display: str
    status: Status
    original: bytes | None = None
    patched: bytes | None = None
    module_path: Path | None = None
    module_bytes: bytes | None = None
    diagnostics: tuple[Diagnostic, ...] = ()
    sites: tuple[SiteReport, ...] = ()
    pending: bool = (
        False  # decided without generating code: conversion would change the file
    )
    written: bool = False  # written by the run (run.convert_files); bytes dropped
    write_problem: str | None = None  # why writing it failed; nothing was changed

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
    def refused(self) -> int:
        return sum(s.status == "refused" for s in self.sites)


def skipped(
    path: Path, display: str, code: str, message: str, hint: str = ""
) -> FileResult:
    """A file left exactly as it is, with the one reason why."""
    diagnostic = Diagnostic(display, 1, 1, Severity.ERROR, code, message, hint)
    return FileResult(path, display, Status.SKIPPED, diagnostics=(diagnostic,))


def read_file(
    path: Path,
    display: str,
    options: Options | None = None,
    emit: bool = True,
    index: ProjectIndex | None = None,
) -> FileResult:
    """Read one file and convert it. Most files of a tree are settled here, by the
    byte prefilter, without loading the converter at all."""
    try:
        size = path.stat().st_size
        if size > MAX_BYTES:
            message = f"skipped: {size / 2**20:.0f} MB is larger than any model file ({MAX_BYTES // 2**20} MB limit)"
            return skipped(path, display, codes.UNREADABLE, message)
        data = path.read_bytes()
    except OSError as exc:
        return skipped(
            path, display, codes.UNREADABLE, f"cannot read file: {exc.strerror or exc}"
        )
    if not might_convert(data, path.suffix == ".ipynb"):
        return FileResult(path, display, Status.UNCHANGED)
    from lambda2layer import pipeline  # the converter proper, only for candidates

    options = options or Options()
    if path.suffix == ".ipynb":
        return pipeline.convert_notebook(path, display, data, options, index)
    return pipeline.convert_source(path, display, data, options, emit, index)
