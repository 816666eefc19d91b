"""Every command's exit status, decided in one place.

- 0: nothing left to do: every Lambda converted (or none there), every check passed;
- 1: work left: a refusal, a skipped file, a failed write, a change ``--check``
  found pending, a builder that failed ``verify`` or ``migrate``, an unsafe artifact;
- 2: the command could not run as asked: a bad option or configuration, a path
  that does not exist, an artifact ``audit`` could not read.
"""

from __future__ import annotations

from collections.abc import Iterable
from enum import IntEnum


class Exit(IntEnum):
    OK = 0
    WORK_LEFT = 1
    USAGE = 2
    INTERRUPTED = 130  # Ctrl-C, as a shell reports SIGINT


def of_convert(refused: int, skipped: int, failed_writes: int, pending: int) -> Exit:
    """``convert`` (and ``--check``/``--diff``): ``pending`` counts the files a
    check would change."""
    return Exit.WORK_LEFT if refused or skipped or failed_writes or pending else Exit.OK


def of_scan(refused_or_skipped: int) -> Exit:
    return Exit.WORK_LEFT if refused_or_skipped else Exit.OK


def of_checks(passed: bool) -> Exit:
    """``verify`` (every builder passed) and ``migrate`` (the artifact was written)."""
    return Exit.OK if passed else Exit.WORK_LEFT


def of_audit(statuses: Iterable[str]) -> Exit:
    """An artifact that could not be read outranks one found unsafe."""
    seen = set(statuses)
    if "error" in seen:
        return Exit.USAGE
    return Exit.WORK_LEFT if "unsafe" in seen else Exit.OK
