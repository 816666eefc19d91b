"""Jupyter notebooks: code cells <-> one Python source, so the pipeline sees a module.

Cells are joined with marker statements; IPython magics and shell escapes
become placeholder ``pass`` lines (cell magics hide the whole cell) and come
back verbatim. Outputs, metadata and every other cell are kept.
"""

from __future__ import annotations

import ast
import json
import re
from dataclasses import dataclass

_CELL = "__l2l_cell__ = {}"
_CELL_LINE = re.compile(r"^__l2l_cell__ = (\d+)\r?$")
_MAGIC = "pass  # l2l-magic {}"
_MAGIC_LINE = re.compile(r"^(\s*)pass  # l2l-magic (\d+)$")


class NotebookError(Exception):
    pass


@dataclass(frozen=True, slots=True)
class NotebookSource:
    """The joined source and what is needed to split it again."""

    text: str
    cells: tuple[int, ...]  # notebook cell index of each code cell, in order
    magics: tuple[str, ...]  # original text of each placeholder line
    starts: tuple[int, ...]  # first line (1-based) of each code cell in ``text``
    hidden: tuple[
        int, ...
    ] = ()  # cells behind a cell magic that mention Lambda: left as they are


def _lines(source) -> list[str]:
    text = "".join(source) if isinstance(source, list) else str(source)
    return text.split("\n")


def _is_magic(line: str) -> bool:
    """``%magic``, ``!shell`` and ``obj?`` help lines: IPython, not Python."""
    stripped = line.strip()
    if stripped.startswith(("%", "!")):
        return True
    if not stripped.endswith("?") or stripped.startswith("#"):
        return False
    try:  # ``x = 1  # why?`` is Python; ``model.summary?`` is not
        ast.parse(stripped)
        return False
    except SyntaxError:
        return True


def notebook_source(nb: dict) -> NotebookSource:
    if not isinstance(nb, dict) or not isinstance(nb.get("cells"), list):
        raise NotebookError("not a Jupyter notebook (no cells)")
    out: list[str] = []
    cells, magics, starts, hidden = [], [], [], []
    for index, cell in enumerate(nb["cells"]):
        if cell.get("cell_type") != "code":
            continue
        cells.append(index)
        out.append(_CELL.format(len(cells) - 1))
        starts.append(len(out) + 1)
        lines = _lines(cell.get("source", ""))
        if lines and lines[0].lstrip().startswith("%%"):
            if any("Lambda" in line for line in lines):
                hidden.append(index)
            magics.append("\n".join(lines))
            out.append(_MAGIC.format(len(magics) - 1))
            continue
        for line in lines:
            if _is_magic(line):
                indent = line[: len(line) - len(line.lstrip())]
                magics.append(line[len(indent) :])
                out.append(indent + _MAGIC.format(len(magics) - 1))
            else:
                out.append(line)
    text = "\n".join(out) + "\n"
    return NotebookSource(
        text, tuple(cells), tuple(magics), tuple(starts), tuple(hidden)
    )


def locate(ns: NotebookSource, line: int) -> tuple[int, int]:
    """(notebook cell index, line within the cell) of a line of the joined source."""
    for i in range(len(ns.starts) - 1, -1, -1):
        if line >= ns.starts[i]:
            return ns.cells[i], line - ns.starts[i] + 1
    return (ns.cells[0] if ns.cells else 0), line


def patched_notebook(nb: dict, ns: NotebookSource, patched: str) -> dict:
    """Put patched cell sources back; cells that did not change keep their exact source."""
    chunks: dict[int, list[str]] = {}
    current = None
    before_first: list[str] = []  # text inserted above every cell joins the first one
    for line in patched.split("\n"):
        match = _CELL_LINE.match(line)
        if match:
            current = int(match.group(1))
            chunks[current] = before_first if current == 0 else []
        elif current is not None:
            chunks[current].append(line)
        else:
            before_first.append(line)
    if sorted(chunks) != list(range(len(ns.cells))):
        raise NotebookError("cell markers were lost while patching")
    result = json.loads(json.dumps(nb))
    for k, index in enumerate(ns.cells):
        lines = chunks[k]
        if k == len(ns.cells) - 1 and lines and lines[-1] == "":
            lines = lines[:-1]
        restored = []
        for line in lines:
            match = _MAGIC_LINE.match(line)
            restored.append(
                match.group(1) + ns.magics[int(match.group(2))] if match else line
            )
        text = "\n".join(restored)
        cell = result["cells"][index]
        old = cell.get("source", "")
        if text == ("".join(old) if isinstance(old, list) else old):
            continue
        cell["source"] = (
            text.splitlines(keepends=True) if isinstance(old, list) else text
        )
    return result


def dump(nb: dict, like: bytes) -> bytes:
    """Serialise the way the original file was written (nbformat uses indent=1)."""
    original = json.loads(like)
    for indent in (1, 2, 4, None):
        for ascii_only in (False, True):
            text = json.dumps(original, indent=indent, ensure_ascii=ascii_only)
            for tail in ("\n", ""):
                if (text + tail).encode("utf-8") == like:
                    return (
                        json.dumps(nb, indent=indent, ensure_ascii=ascii_only) + tail
                    ).encode("utf-8")
    return (json.dumps(nb, indent=1, ensure_ascii=False) + "\n").encode("utf-8")


_CELLS = re.compile(r'"cells"\s*:\s*\[')
_SOURCE = re.compile(r'(?<!\\)"source"\s*:\s*')


def file_line(data: bytes, cell: int, line: int) -> int:
    """The line of the ``.ipynb`` file that holds line ``line`` of cell ``cell`` (its
    index in the notebook), for annotations that point into the file itself; the
    cell's first line, or line 1, where the JSON is laid out otherwise."""
    try:
        text = data.decode("utf-8")
        found = _CELLS.search(text)
        if found is None:
            return 1
        decoder = json.JSONDecoder()
        at = found.end()
        for _ in range(cell):
            _obj, at = decoder.raw_decode(text, _skip(text, at))
            at = _skip(text, at, ",")
        start = _skip(text, at)
        _obj, end = decoder.raw_decode(text, start)
        source = _SOURCE.search(text, start, end)
        if source is None:
            return text.count("\n", 0, start) + 1
        at = source.end()
        if text[at] != "[":
            return text.count("\n", 0, at) + 1
        at += 1
        for _ in range(line - 1):
            _obj, at = decoder.raw_decode(text, _skip(text, at))
            at = _skip(text, at, ",")
            if text[at] == "]":
                break
        return text.count("\n", 0, _skip(text, at)) + 1
    except (ValueError, IndexError):
        return 1


def _skip(text: str, at: int, also: str = "") -> int:
    while text[at] in " \t\r\n" + also:
        at += 1
    return at
