"""Diagnostics: one record type, one formatter.

Codes are stable so users can grep for them:

* ``L2L0xx`` input problems (unreadable or unparsable files, output names),
* ``L2L1xx`` warnings about a conversion that was done,
* ``L2L2xx`` refusals: the Lambda is left exactly as it was.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum


class Severity(str, Enum):
    ERROR = "error"
    WARNING = "warning"
    NOTE = "note"


@dataclass(frozen=True, slots=True)
class Diagnostic:
    path: str
    line: int
    col: int
    severity: Severity
    code: str
    message: str
    hint: str = ""

    def format(self) -> str:
        text = f"{self.path}:{self.line}:{self.col}: {self.code} {self.message}"
        if self.hint:
            text += f" ({self.hint})"
        return text


# Input problems
UNREADABLE = "L2L001"
UNPARSABLE = "L2L002"
OUTPUT_NAME_TAKEN = "L2L003"
WRITE_FAILED = "L2L004"
CELL_MAGIC = "L2L005"

# Warnings on converted sites
LATE_BINDING = "L2L101"
READ_AT_CONSTRUCTION = "L2L102"
DATA_FORMAT = "L2L103"

# Refusals
UNSUPPORTED_FUNCTION = "L2L201"
REASSIGNED_NAME = "L2L202"
UNPICKLABLE = "L2L203"
CAPTURED_LAYER = "L2L204"
MUTABLE_SELF = "L2L205"
UNRESOLVED_NAME = "L2L206"
MUTATES_MODULE_STATE = "L2L207"
TENSOR_NEEDS_APPLICATION = "L2L208"
UNSUPPORTED_SIGNATURE = "L2L209"
OPAQUE_OBJECT = "L2L210"
UNSUPPORTED_ARGUMENT = "L2L211"
UNSUPPORTED_BODY = "L2L212"
INTERNAL_ERROR = "L2L999"
