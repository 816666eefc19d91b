"""The engine that applies ``table`` to code: what a name is (translated, kept,
refused), whether a call can be translated, and the rewritten text.

Text is edited, never unparsed: the AST says where a call is, its replacement is
built from the original text of its arguments (themselves rewritten), and every
other character (comments included) comes back verbatim.
"""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass

from lambda2layer.extract import qualify
from lambda2layer.legacy.table import (
    BACKEND,
    BACKEND_REFUSED,
    KERAS3_BACKEND,
    TENSORFLOW,
    TENSORFLOW_REFUSED,
    Entry,
)

_BACKEND = "keras.backend."
_TF = "tensorflow."
_ATOMS = (
    ast.Name,
    ast.Attribute,
    ast.Call,
    ast.Subscript,
    ast.Constant,
    ast.List,
    ast.Tuple,
    ast.Dict,
)


@dataclass(frozen=True, slots=True)
class Verdict:
    """What a reference to a module function is: ``entry`` (translated), ``reason``
    (refused), neither (kept as written)."""

    entry: Entry | None = None
    reason: str = ""


def classify(qualified: str | None) -> Verdict | None:
    """The verdict on a dotted path, None if it is not a legacy API at all."""
    if not qualified:
        return None
    if qualified.startswith(_BACKEND):
        name = qualified[len(_BACKEND) :]
        if name in BACKEND:
            return Verdict(entry=BACKEND[name])
        if name in KERAS3_BACKEND:
            return Verdict()
        return Verdict(
            reason=BACKEND_REFUSED.get(name, f"Keras 3's keras.backend has no `{name}`")
        )
    if qualified.startswith(_TF):
        name = qualified[len(_TF) :]
        if name in TENSORFLOW:
            return Verdict(entry=TENSORFLOW[name])
        for old, reason in TENSORFLOW_REFUSED.items():
            if name == old or name.startswith(old + "."):
                return Verdict(reason=reason)
        return Verdict()
    return None


@dataclass(frozen=True, slots=True)
class Problem:
    node: ast.AST
    name: str  # as written: ``K.batch_dot``
    reason: str


def _parents(roots: list[ast.AST]) -> dict[int, ast.AST]:
    parents = {}
    for root in roots:
        for node in ast.walk(root):
            for child in ast.iter_child_nodes(node):
                parents[id(child)] = node
    return parents


def _local_names(roots: list[ast.AST]) -> set[str]:
    """Names a function binds itself (a parameter ``K`` is not the module ``K``)."""
    out = set()
    for root in roots:
        for node in ast.walk(root):
            if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store):
                out.add(node.id)
            elif isinstance(node, ast.arg):
                out.add(node.arg)
    return out


def _root(node: ast.expr) -> str | None:
    while isinstance(node, ast.Attribute):
        node = node.value
    return node.id if isinstance(node, ast.Name) else None


def references(
    roots: list[ast.AST], imports: dict[str, str]
) -> list[tuple[ast.expr, Verdict, ast.Call | None]]:
    """Every outermost dotted name in ``roots`` that is a legacy API, with its
    verdict and the call it is the function of (None if it is not called)."""
    parents = _parents(roots)
    local = _local_names(roots)
    out = []
    for root in roots:
        for node in ast.walk(root):
            if not isinstance(node, (ast.Name, ast.Attribute)):
                continue
            parent = parents.get(id(node))
            if isinstance(parent, ast.Attribute) and parent.value is node:
                continue  # only the whole chain (``tf.image.resize_bilinear``)
            if _root(node) in local or not isinstance(node.ctx, ast.Load):
                continue
            verdict = classify(qualify(node, imports))
            if verdict is None or (verdict.entry is None and not verdict.reason):
                continue
            call = (
                parent if isinstance(parent, ast.Call) and parent.func is node else None
            )
            out.append((node, verdict, call))
    return out


def _literal(node: ast.expr) -> tuple[bool, object]:
    try:
        return True, ast.literal_eval(node)
    except (ValueError, TypeError, SyntaxError, MemoryError, RecursionError):
        return False, None


def _param_names(entry: Entry) -> list[str]:
    return [p.split("=", 1)[0] for p in entry.params]


def bind(entry: Entry, call: ast.Call) -> dict[str, ast.expr] | str:
    """Argument nodes by Keras-2 parameter name, or why they cannot be mapped."""
    names = _param_names(entry)
    if any(isinstance(a, ast.Starred) for a in call.args) or any(
        k.arg is None for k in call.keywords
    ):
        return "its arguments are unpacked (*args/**kwargs), so they cannot be mapped"
    if len(call.args) > len(names):
        return (
            f"it gets {len(call.args)} positional arguments, Keras 2 took {len(names)}"
        )
    bound = dict(zip(names, call.args))
    for k in call.keywords:
        if k.arg not in names:
            return f"Keras 2's function has no argument `{k.arg}`"
        if k.arg in bound:
            return f"argument `{k.arg}` is given twice"
        bound[k.arg] = k.value
    required = [p for p in entry.params if "=" not in p]
    missing = [p for p in required if p not in bound]
    if missing:
        return f"argument `{missing[0]}` is missing"
    for name, value in entry.fixed.items():
        if name in bound:
            ok, given = _literal(bound[name])
            if (
                not ok
                or given != value
                or isinstance(given, str) != isinstance(value, str)
            ):
                return f"`{name}=` other than {value!r} has no faithful translation"
    return bound


def problems(roots: list[ast.AST], imports: dict[str, str], segment) -> list[Problem]:
    """Every legacy reference in ``roots`` the table cannot translate."""
    out = []
    for node, verdict, call in references(roots, imports):
        name = segment(node)
        if verdict.reason:
            out.append(Problem(node, name, verdict.reason))
        elif call is None:
            out.append(
                Problem(
                    node,
                    name,
                    "it is used as a value, not called, so it cannot be rewritten",
                )
            )
        else:
            bound = bind(verdict.entry, call)
            if isinstance(bound, str):
                out.append(Problem(call, name, bound))
    return out


# -- the rewrite ---------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Rewritten:
    text: str
    rewritten: tuple[tuple[str, str], ...]  # (old name as written, new form)
    helpers: frozenset[str]


class _Offsets:
    """Character offsets of AST positions (whose columns are UTF-8 bytes)."""

    def __init__(self, text: str):
        self.lines = text.split("\n")
        self.starts = [0]
        for line in self.lines[:-1]:
            self.starts.append(self.starts[-1] + len(line) + 1)

    def at(self, line: int, col: int) -> int:
        prefix = self.lines[line - 1].encode("utf-8")[:col].decode("utf-8")
        return self.starts[line - 1] + len(prefix)

    def span(self, node: ast.AST) -> tuple[int, int]:
        return (
            self.at(node.lineno, node.col_offset),
            self.at(node.end_lineno, node.end_col_offset),
        )


_SECTION = re.compile(r"«([^»]*)»")
_FIELD = re.compile(r"\{(\w+)(:atom)?\}")


def fill(entry: Entry, args: dict[str, str], atoms: dict[str, bool], ops: str) -> str:
    """The entry's form with the arguments' texts (``args``) filled in."""
    defaults = {
        p.split("=", 1)[0]: p.split("=", 1)[1] for p in entry.params if "=" in p
    }

    def section(m: re.Match) -> str:
        inner = m.group(1)
        needed = [f.group(1) for f in _FIELD.finditer(inner) if f.group(1) != "ops"]
        return inner if all(n in args for n in needed) else ""

    def field_(m: re.Match) -> str:
        name = m.group(1)
        if name == "ops":
            return ops
        text = args.get(name, defaults.get(name, name))
        if m.group(2) and not atoms.get(name, True):
            return f"({text})"
        return text

    return _FIELD.sub(field_, _SECTION.sub(section, entry.form))


def shown(entry: Entry, ops: str) -> str:
    """The form as the note shows it: ``ops.sum`` for one call of a module's
    function, else the whole form over the parameter names (``tuple(x.shape)``)."""
    form = fill(entry, {}, {}, ops)
    head = re.match(r"(?:\w+\.)+\w+\(|_legacy_\w+\(", form)
    if head and _closing(form, head.end() - 1) == len(form) - 1:
        return head.group(0)[:-1]
    return form


def _closing(text: str, open_at: int) -> int:
    depth = 0
    for i in range(open_at, len(text)):
        depth += {"(": 1, ")": -1}.get(text[i], 0)
        if depth == 0:
            return i
    return -1


def rewrite(text: str, imports: dict[str, str], ops: str, body: bool) -> Rewritten:
    """``text`` (a method body if ``body``, else top-level code) with every legacy
    call the table translates rewritten. The caller has checked ``problems``."""
    source = (
        "def _():\n" + "\n".join("    " + l for l in text.split("\n")) if body else text
    )
    tree = ast.parse(source)
    offsets = _Offsets(source)
    found = [
        (offsets.span(call), verdict.entry, call, node)
        for node, verdict, call in references([tree], imports)
        if verdict.entry is not None and call is not None
    ]
    found.sort(key=lambda f: (f[0][0], -f[0][1]))
    done: list[tuple[str, str]] = []
    helpers: set[str] = set()

    def render(start: int, end: int) -> str:
        out, pos = [], start
        for (s, e), entry, call, node in found:
            if s < pos or e > end or s < start:
                continue
            out.append(source[pos:s])
            out.append(translate(entry, call, node))
            pos = e
        out.append(source[pos:end])
        return "".join(out)

    def translate(entry: Entry, call: ast.Call, node: ast.expr) -> str:
        bound = bind(entry, call)
        assert not isinstance(bound, str), bound
        s, e = offsets.span(node)
        done.append((source[s:e], shown(entry, ops)))
        args = {name: render(*offsets.span(arg)) for name, arg in bound.items()}
        atoms = {name: isinstance(arg, _ATOMS) for name, arg in bound.items()}
        if entry.helper:
            helpers.add(entry.helper)
        return fill(entry, args, atoms, ops)

    new = render(0, len(source))
    if body:
        new = "\n".join(l[4:] for l in new.split("\n")[1:])
    return Rewritten(new, tuple(dict.fromkeys(done)), frozenset(helpers))
