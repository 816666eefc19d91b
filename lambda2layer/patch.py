"""Minimal text edits to the model file: call sites, moved definitions, one import."""

from __future__ import annotations

import ast
from bisect import bisect_right
from dataclasses import dataclass
from typing import Iterable

from lambda2layer.formatting import LINE_LENGTH
from lambda2layer.resolve import LayerPlan
from lambda2layer.source import KEYWORDS, TOKEN, SourceText


@dataclass(frozen=True, slots=True)
class TextEdit:
    start: int
    end: int
    text: str


class OverlappingEdits(Exception):
    pass


def apply_edits(text: str, edits: list[TextEdit]) -> str:
    """Apply edits back to front so earlier offsets never shift."""
    ordered = sorted(edits, key=lambda e: (e.start, e.end))
    for before, after in zip(ordered, ordered[1:]):
        if after.start < before.end:
            raise OverlappingEdits(f"edits overlap at offset {after.start}")
    for edit in reversed(ordered):
        text = text[: edit.start] + edit.text + text[edit.end :]
    return text


def names_after_edits(
    src: SourceText, nodes: list[ast.AST], edits: list[TextEdit]
) -> set[str]:
    """The ``ast.Name`` identifiers of the file once ``edits`` are applied, without
    parsing the edited text: the original names outside the replaced spans, plus
    the names in the new text."""
    spans = sorted((e.start, e.end) for e in edits if e.end > e.start)
    touched: set[int] = set()
    for start, end in spans:
        first = bisect_right(src.line_starts, start)
        last = bisect_right(src.line_starts, max(start, end - 1))
        touched.update(range(first, last + 1))
    Name = ast.Name
    names = set()
    for node in [n for n in nodes if n.__class__ is Name]:
        if node.lineno in touched or node.end_lineno in touched:
            at = src.start(node)
            if any(start <= at < end for start, end in spans):
                continue
        names.add(node.id)
    for edit in edits:  # calls like ``Scale(k=K, name="s")(x)``, or "[" and ", skip]"
        text = edit.text
        for m in TOKEN.finditer(text):
            name = m.group("name")
            if not name or name in KEYWORDS or text[: m.start()].rstrip().endswith("."):
                continue  # not a name, or an attribute
            after = text[m.end() :].lstrip()
            if not (after.startswith("=") and not after.startswith("==")):
                names.add(name)  # a keyword argument's name is not a name either
    return names


def site_edits(src: SourceText, plan: LayerPlan, class_name: str) -> list[TextEdit]:
    """Replace the construction; with captured tensors, also pack them with the input.

    The input expression itself is never rewritten here, so a Lambda applied to
    another Lambda's output gets edits that do not overlap."""
    site = plan.site
    args = [f"{a.param}={a.call_expr}" for a in plan.ctor_args]
    args += [src.segment(kw) for kw in site.kept_keywords]
    edits = [
        TextEdit(
            src.start(site.call), src.end(site.call), f"{class_name}({', '.join(args)})"
        )
    ]
    if plan.extra_inputs:
        given = site.application.args[0]
        edits.append(TextEdit(src.start(given), src.start(given), "["))
        edits.append(
            TextEdit(
                src.end(given), src.end(given), f", {', '.join(plan.extra_inputs)}]"
            )
        )
    return edits


def removal_edit(src: SourceText, stmt: ast.stmt) -> TextEdit:
    """Delete a moved top-level definition with its comment lines and the blank lines before it.

    Blank lines after it stay, so what follows keeps its separation."""
    first = src.definition_start(stmt)
    while first > 1 and not src.line(first - 1).strip():
        first -= 1
    return TextEdit(src.line_starts[first - 1], src.line_end(stmt.end_lineno), "")


def import_statement(
    package: str | None, nodes: Iterable[ast.AST], module_stem: str, names: list[str]
) -> str:
    """Import the generated module the way the file imports its siblings
    (``package``: the dotted package the model file is in, None outside a package;
    ``nodes``: every node of the file)."""
    ordered = sorted(set(names), key=lambda n: (not n[:1].isupper(), n.lower(), n))
    return _wrapped(
        f"from {_module_reference(package, nodes, module_stem)} import ", ordered
    )


def _wrapped(head: str, names: list[str]) -> str:
    """One line when it fits black's line length, else black's parenthesised form."""
    line = head + ", ".join(names)
    if len(line) <= LINE_LENGTH:
        return line
    return head + "(\n" + "".join(f"    {n},\n" for n in names) + ")"


def _module_reference(
    package: str | None, nodes: Iterable[ast.AST], module_stem: str
) -> str:
    if package is None:
        return module_stem
    imports = [n for n in nodes if n.__class__ is ast.ImportFrom]
    relative = any(n.level for n in imports)
    absolute_self = any(
        not n.level and (n.module or "").startswith(package.split(".")[0] + ".")
        for n in imports
    )
    if absolute_self and not relative:
        return f"{package}.{module_stem}"
    return f".{module_stem}"


def import_edit(
    src: SourceText, tree: ast.Module, statement: str, before_line: int
) -> TextEdit:
    """Insert ``statement`` after the last top-level import above ``before_line``.

    Code between imports (``os.environ["KERAS_BACKEND"] = "jax"``) keeps running
    before Keras is imported: the new import goes below the file's own imports."""
    body = tree.body
    anchor_line = 0
    if (
        body
        and isinstance(body[0], ast.Expr)
        and isinstance(body[0].value, ast.Constant)
        and isinstance(body[0].value.value, str)
    ):
        anchor_line = body[0].end_lineno
    for stmt in body:
        if stmt.end_lineno >= before_line:
            break
        if isinstance(stmt, (ast.Import, ast.ImportFrom)):
            anchor_line = stmt.end_lineno
    if (
        anchor_line == 0
    ):  # no docstring, no import: after leading comments (shebang, cookie)
        while anchor_line < len(src.line_starts) and src.line(
            anchor_line + 1
        ).lstrip().startswith("#"):
            anchor_line += 1
    newline = src.newline
    if anchor_line == 0:
        return TextEdit(0, 0, statement.replace("\n", newline) + newline)
    offset = src.line_end(anchor_line)
    prefix = "" if src.text[:offset].endswith(("\n", "\r")) else newline
    return TextEdit(offset, offset, prefix + statement.replace("\n", newline) + newline)


def unused_import_edits(
    src: SourceText, tree: ast.Module, unused: set[str]
) -> list[TextEdit]:
    """Drop ``from ... import Lambda`` names that nothing uses any more."""
    edits = []
    for stmt in tree.body:
        if not isinstance(stmt, ast.ImportFrom):
            continue
        gone = [a for a in stmt.names if (a.asname or a.name) in unused]
        if not gone:
            continue
        if len(gone) == len(stmt.names):
            alone = (
                not src.line(stmt.lineno)[: stmt.col_offset].strip()
                and not src.text[src.end(stmt) : src.line_end(stmt.end_lineno)].strip()
            )
            if alone:
                edits.append(
                    TextEdit(
                        src.line_starts[stmt.lineno - 1],
                        src.line_end(stmt.end_lineno),
                        "",
                    )
                )
            continue
        names = stmt.names
        for alias in gone:
            i = names.index(alias)
            if i + 1 < len(names) and names[i + 1] not in gone:
                edits.append(TextEdit(src.start(alias), src.start(names[i + 1]), ""))
            else:
                prev = max((j for j in range(i) if names[j] not in gone), default=None)
                if prev is None:
                    continue
                edits.append(TextEdit(src.end(names[prev]), src.end(alias), ""))
    return edits
