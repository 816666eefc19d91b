"""Decoded source text with exact byte round-trips and AST position mapping.

The file is decoded with the encoding Python itself would use (coding cookie,
BOM), line endings are left untouched, and ``encode`` gives back the very same
bytes for every character that was not edited.
"""

from __future__ import annotations

import ast
import io
import keyword
import re
import tokenize
from dataclasses import dataclass, field

_LINE_BREAK = re.compile(r"\r\n|\r|\n")
# Names that are not identifiers to a lexical pass: keywords and soft keywords
KEYWORDS = frozenset(keyword.kwlist) | frozenset(keyword.softkwlist) | {"__future__"}

# The tokens that matter to a lexical pass over Python, left to right: comments,
# strings and numbers are matched so that nothing inside them is taken for a name;
# ``name`` is a whole identifier or keyword (see KEYWORDS). Scanning left to right
# from a token boundary, every match starts at one; the guard lets the engine
# skip the characters that cannot start a token.
TOKEN = re.compile(
    r"""(?=[\#'"\w.])(?:
    (?P<comment>\#[^\r\n]*)
  | (?P<string>(?P<prefix>[rRbBuUfF]{1,2}(?=['"])|)
        (?:'''(?:\\.|[^\\])*?'''|\"\"\"(?:\\.|[^\\])*?\"\"\"
          |'(?:\\.|[^'\\\r\n])*'|"(?:\\.|[^"\\\r\n])*"))
  | (?P<number>\.?\d[\w.]*)
  | (?P<name>[^\W\d]\w*))
    """,
    re.VERBOSE,
)


class SourceError(Exception):
    """The bytes cannot be decoded or parsed as Python 3; ``line``/``col`` (1-based)
    say where, when the parser knows."""

    def __init__(self, message: str, line: int = 1, col: int = 1) -> None:
        super().__init__(message)
        self.line = line
        self.col = col


@dataclass(frozen=True)
class SourceText:
    text: str
    encoding: str
    line_starts: tuple[int, ...] = field(repr=False)
    ascii: bool = field(default=False, repr=False)  # columns are characters then

    @classmethod
    def decode(cls, data: bytes) -> "SourceText":
        try:
            encoding, _ = tokenize.detect_encoding(io.BytesIO(data).readline)
            text = data.decode(encoding)
        except (SyntaxError, LookupError, UnicodeDecodeError) as exc:
            raise SourceError(f"cannot decode: {exc}") from exc
        return cls.from_text(text, encoding)

    @classmethod
    def from_text(cls, text: str, encoding: str = "utf-8") -> "SourceText":
        starts = [0] + [m.end() for m in _LINE_BREAK.finditer(text)]
        return cls(text, encoding, tuple(starts), text.isascii())

    def encode(self, text: str | None = None) -> bytes:
        return (self.text if text is None else text).encode(self.encoding)

    def parse(self) -> ast.Module:
        try:
            return ast.parse(self.text)
        except (SyntaxError, ValueError) as exc:
            line = getattr(exc, "lineno", None)
            where = f" (line {line})" if line else ""
            msg = getattr(exc, "msg", None) or str(exc)
            col = getattr(exc, "offset", None) or 1
            raise SourceError(
                f"not valid Python 3: {msg}{where}", line or 1, max(col, 1)
            ) from exc

    @property
    def newline(self) -> str:
        match = _LINE_BREAK.search(self.text)
        return match.group(0) if match else "\n"

    def line(self, lineno: int) -> str:
        start = self.line_starts[lineno - 1]
        end = (
            self.line_starts[lineno]
            if lineno < len(self.line_starts)
            else len(self.text)
        )
        return self.text[start:end]

    def offset(self, lineno: int, col_bytes: int) -> int:
        """Character offset of an AST position (its column counts UTF-8 bytes)."""
        if self.ascii:
            return self.line_starts[lineno - 1] + col_bytes
        line = self.line(lineno)
        col = len(line.encode("utf-8")[:col_bytes].decode("utf-8", errors="ignore"))
        return self.line_starts[lineno - 1] + col

    def start(self, node: ast.AST) -> int:
        return self.offset(node.lineno, node.col_offset)

    def end(self, node: ast.AST) -> int:
        return self.offset(node.end_lineno, node.end_col_offset)

    def segment(self, node: ast.AST) -> str:
        return self.text[self.start(node) : self.end(node)]

    def line_end(self, lineno: int) -> int:
        """Offset just past the line break of line ``lineno``."""
        if lineno < len(self.line_starts):
            return self.line_starts[lineno]
        return len(self.text)

    def stands_alone(self, stmt: ast.stmt) -> bool:
        """Nothing but ``stmt`` (and a trailing comment) on its lines."""
        before = self.text[self.line_starts[stmt.lineno - 1] : self.start(stmt)]
        after = self.text[self.end(stmt) : self.line_end(stmt.end_lineno)].strip()
        return not before.strip() and (not after or after.startswith("#"))

    def definition_start(self, stmt: ast.stmt) -> int:
        """First line of a top-level definition: its decorators and the comments right above."""
        first = min(
            [stmt.lineno] + [d.lineno for d in getattr(stmt, "decorator_list", [])]
        )
        while first > 1 and self.line(first - 1).lstrip().startswith("#"):
            first -= 1
        return first

    def definition_text(self, stmt: ast.stmt) -> str:
        """The definition's full lines (comments above, trailing comment kept), LF line ends."""
        start = self.line_starts[self.definition_start(stmt) - 1]
        end = self.line_end(stmt.end_lineno)
        return (
            self.text[start:end]
            .rstrip("\r\n")
            .replace("\r\n", "\n")
            .replace("\r", "\n")
        )
