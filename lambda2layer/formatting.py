"""black, run once per shape of code rather than once per file.

Writing a converted file was dominated by black (tens of milliseconds for a
generated module), and a tree of model files generates the same code over and
over with different names. black's layout decisions depend on the kinds and
widths of tokens, never on how an identifier is spelled, so each top-level block
is formatted through a *shape* and the real names are put back in order:

- the narrow shape (each distinct name a short stand-in, each run of letters in
  a string one ``x``) serves a whole family of blocks; it is kept only when
  every statement of the result is one line that fits, since only then are the
  widths of the real names irrelevant to black;
- else the exact shape (every name ``x`` repeated to its own width);
- else black on the block itself: escapes, f-strings, any doubt on the way back.

Non-ASCII names and strings stay verbatim in a shape. Layer classes come from
the template in black's layout already; only their method bodies go through
here (``format_body``), and a class whose lines fit needs no black run.
"""

from __future__ import annotations

import functools
import itertools
import re
from typing import NamedTuple

from lambda2layer.source import KEYWORDS, TOKEN

_ALNUM = re.compile(r"[A-Za-z0-9]")
_RUN = re.compile(r"[A-Za-z0-9]+")
_CACHE_SIZE = 4096  # blocks and shapes remembered per process (least recently used go)


class _NoShape(Exception):
    """The block cannot go through a shape; format it as it is."""


class _Plan(NamedTuple):
    """black's layout of one shape, ready to take any block of that shape: the text
    between placeholders, and for each placeholder either None (put the original
    back as it is) or black's rewrite of a string (new quotes, say) whose ``x``
    characters take the original's letters and digits in order."""

    between: tuple[str, ...]
    strings: tuple[str | None, ...]
    rewritten: bool  # any string rewritten at all


LINE_LENGTH = 88  # black's default, which a user's `black --check` applies


@functools.cache
def _mode(indent: int = 0):
    """black's mode for code that will sit ``indent`` columns further right."""
    import black  # imported only when something is generated

    # Fixed target versions: black would otherwise infer them from the features a
    # text uses, and one block's f-string could change another block's layout.
    versions = {
        v for v in black.TargetVersion if v.value >= black.TargetVersion.PY39.value
    }
    return black.Mode(target_versions=versions, line_length=LINE_LENGTH - indent)


def load_black() -> None:
    """Import black and build its modes now (a process pool forks after this)."""
    _mode()
    _mode(4)


def _black(text: str, indent: int = 0) -> str:
    import black

    return black.format_str(text, mode=_mode(indent))


def _stands_in(match: re.Match, narrow: bool) -> str | None:
    """A token's placeholder, or None if the token stays as it is in the shape."""
    text = match.group()
    if match.group("name") is not None:
        if not text.isascii() or text in KEYWORDS:
            return None
        return text if narrow else "x" * len(text)  # (narrow names: see _shape)
    prefix = match.group("prefix")
    if prefix is None:
        return None  # a comment or a number
    if "f" in prefix or "F" in prefix or "\\" in text:
        # replacement fields hold code of their own; black may rewrite escapes
        raise _NoShape
    if not text.isascii():
        return None  # black leaves it alone, and it stays so
    return prefix + (_RUN if narrow else _ALNUM).sub("x", text[len(prefix) :])


def _shape(text: str, narrow: bool) -> tuple[str, list[str]]:
    """The block's shape and, in order, the originals its placeholders stand for.
    (``_stands_in``, inlined for names: a block has hundreds of them.)"""
    originals: list[str] = []
    keep = originals.append
    short: dict[str, str] = {}  # narrow: each distinct name its own short name

    def substitute(match: re.Match) -> str:
        token = match.group()
        kind = match.lastgroup
        if kind == "name":
            if token.isascii() and token not in KEYWORDS:
                keep(token)
                if narrow:
                    return short.setdefault(token, f"x{len(short)}")
                return "x" * len(token)
            return token
        if kind == "string":
            placeholder = _stands_in(match, narrow)
            if placeholder is not None:
                keep(token)
                return placeholder
        return token

    return TOKEN.sub(substitute, text), originals


def _plan(shape: str, formatted: str, narrow: bool) -> _Plan | None:
    """Line black's output of a shape up with the shape's placeholders."""
    before = [m for m in TOKEN.finditer(shape) if _stands_in(m, narrow) is not None]
    after = [m for m in TOKEN.finditer(formatted) if _stands_in(m, narrow) is not None]
    if len(before) != len(after):
        return None
    between, strings, last = [], [], 0
    for old, new in zip(before, after):
        if (old.group("name") is None) != (new.group("name") is None):
            return None
        if new.group("name") is not None or new.group() == old.group():
            strings.append(None)
        elif new.group().count("x") - new.group("prefix").count("x") == old.group()[
            len(old.group("prefix")) :
        ].count("x"):
            strings.append(new.group())
        else:
            return None
        between.append(formatted[last : new.start()])
        last = new.end()
    between.append(formatted[last:])
    return _Plan(tuple(between), tuple(strings), any(strings))


def _fill(rewritten: str, original: str, narrow: bool) -> str:
    """black's rewrite of a string's shape, with the original's letters and digits
    (runs of them, in a narrow shape)."""
    prefix = rewritten[: len(rewritten) - len(rewritten.lstrip("rRbBuU"))]
    body = rewritten[len(prefix) :].split("x")
    letters = (_RUN if narrow else _ALNUM).findall(original.lstrip("rRbBuU"))
    out = [prefix, body[0]]
    for letter, piece in zip(letters, body[1:]):
        out += [letter, piece]
    return "".join(out)


@functools.lru_cache(maxsize=_CACHE_SIZE)
def _plan_for(shape: str, narrow: bool, indent: int) -> _Plan | None:
    """black's layout of a shape, checked to compile: a block of that shape only
    differs in the spelling of names and strings, so it compiles too."""
    try:
        formatted = _black(shape, indent)
        compile(formatted, "<generated layers>", "exec")
    except Exception:  # noqa: BLE001 - e.g. ``1.e5`` has no shape; the block decides
        return None
    return _plan(shape, formatted, narrow)


# A line black left open: it split a statement (or a string or comment ends so,
# which only makes the check stricter).
_OPEN_LINE = re.compile(r"[(\[{\\][ \t]*(?:#[^\n]*)?$", re.M)


def _as_black_leaves_it(text: str, indent: int) -> bool:
    """Every statement on one line that fits: black keeps such a layout whatever the
    widths of the names in it, so a narrow shape's layout is the block's own."""
    return fits(text, indent) and _OPEN_LINE.search(text) is None


def _through_shape(text: str, narrow: bool, indent: int) -> str | None:
    try:
        shape, originals = _shape(text, narrow)
    except _NoShape:
        return None
    plan = _plan_for(shape, narrow, indent)
    if plan is None:
        return None
    if plan.rewritten:  # black changed some strings: their letters go back in
        originals = [
            original if rewritten is None else _fill(rewritten, original, narrow)
            for original, rewritten in zip(originals, plan.strings)
        ]
    done = plan.between[0] + "".join(
        itertools.chain.from_iterable(zip(originals, plan.between[1:]))
    )
    if narrow and not _as_black_leaves_it(done, indent):
        return None  # widths decided something: ask the exact shape
    return done


@functools.lru_cache(maxsize=_CACHE_SIZE)  # the same block again (helpers, say)
def format_block(text: str, indent: int = 0) -> str:
    """black's formatting of one top-level block (a def, a class, the imports).

    First through the block's narrow shape (each distinct name a short one, each
    run of letters in a string one ``x``: one shape for a whole family of blocks),
    which holds when every statement of the result sits on one line that fits;
    else through its exact shape (names as wide as they are); else black on the
    block itself.

    Raises what black raises for text it cannot parse, and SyntaxError for text
    black accepts but Python does not compile (black parses more than Python)."""
    done = _through_shape(text, True, indent) or _through_shape(text, False, indent)
    if done is None:
        done = _black(text, indent)
        compile(done, "<generated layers>", "exec")
    return done


class Block(NamedTuple):
    """One top-level block and what black's blank-line rules look at: how it starts
    (``def``: a def, class or decorator; ``comment``/``comment-def``: the same after
    a comment; ``statement``) and how it ends (``import``, ``def``, ``compound``:
    an if/try/with, or ``statement``)."""

    text: str
    head: str = "def"
    tail: str = "def"
    laid_out: bool = False  # written in black's layout already, if its lines fit


_TAIL_PROBE = {
    "import": "import a\n",
    "def": "def a():\n    pass\n",
    "compound": "try:\n    import a\nexcept ImportError:\n    a = None\n",
    "statement": "a = 1\n",
}
_HEAD_PROBE = {
    "def": "def b():\n    pass\n",
    "comment-def": "# b\ndef b():\n    pass\n",
    "comment": "# b\nb = 1\n",
    "statement": "b = 1\n",
}


@functools.cache
def _separator(tail: str, head: str) -> str:
    """What black puts between a block ending so and one starting so, asked of black
    itself on two stand-in statements (so it follows the installed black's rules)."""
    probe = _black(_TAIL_PROBE[tail] + "\n\n\n" + _HEAD_PROBE[head])
    body = _TAIL_PROBE[tail]
    assert probe.startswith(body), probe
    rest = probe[len(body) :]
    return rest[: len(rest) - len(rest.lstrip("\n"))]


def fits(text: str, indent: int = 0) -> bool:
    """Every line within black's line length, ``indent`` columns narrower (ASCII
    text only: then a character is a column)."""
    return text.isascii() and max(map(len, text.split("\n"))) <= LINE_LENGTH - indent


def _fits_as_laid_out(text: str) -> bool:
    """A block the template writes in black's layout (a layer class, a helper
    function) needs no black run when every line fits, the printable lines of a
    class docstring aside: black never wraps a docstring, and moves closing
    quotes only off a long last line, which a template docstring never has (one
    line, or the quotes on a line of their own). A line with a form feed or the
    like is not one line to black (``str.splitlines``): it must fit."""
    if not text.isascii():
        return False
    lines = text.split("\n")
    width = LINE_LENGTH
    first = next(
        (i + 1 for i, line in enumerate(lines) if line.startswith("class ")), 0
    )
    last = first - 1  # no docstring: nothing is exempt
    if first and first < len(lines) and lines[first].startswith('    """'):
        if lines[first].count('"""') == 2 and lines[first].endswith('"""'):
            last = first
        else:
            last = next(
                (i for i in range(first + 1, len(lines)) if '"""' in lines[i]), -1
            )
            if last < 0 or lines[last] != '    """':
                return False
    return all(
        len(line) <= width or (first <= i <= last and line.isprintable())
        for i, line in enumerate(lines)
    )


def format_body(params: tuple[str, ...], lines: tuple[str, ...]) -> tuple[str, ...]:
    """black's layout of a method body (``lines``, unindented), as it will sit in a
    class: formatted as a function of its own, four columns narrower."""
    head = f"def f({', '.join(params)}):\n"
    text = head + "".join(f"    {line}\n" if line else "\n" for line in lines)
    done = format_block(text, indent=4)
    body = done.split("\n", 1)[1] if done.startswith(head) else None
    if body is None:  # black rewrote the signature: keep the body as it came
        return lines
    return tuple(line[4:] for line in body.rstrip("\n").split("\n"))


def format_module(blocks: list[Block]) -> str:
    """A module of top-level blocks, each formatted alone and joined as black would
    join them."""
    out = []
    previous: Block | None = None
    for block in blocks:
        if previous is not None:
            out.append(_separator(previous.tail, block.head))
        text = block.text.strip("\n") + "\n"
        out.append(
            text if block.laid_out and _fits_as_laid_out(text) else format_block(text)
        )
        previous = block
    return "".join(out)
