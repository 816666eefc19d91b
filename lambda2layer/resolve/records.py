"""The records the resolver hands on: decisions for the emitter and the patcher,
and the one result per site (a plan or a refusal)."""

from __future__ import annotations

import ast
import string
from dataclasses import dataclass

from lambda2layer.diagnostics import Caution, Severity
from lambda2layer.extract import LambdaSite


@dataclass(frozen=True, slots=True)
class Code:
    """Source text inside prose: the docstring and the report each mark it their way."""

    text: str


Prose = tuple["str | Code", ...]  # words for people: plain text and code spans


def prose(template: str, **fields: object) -> Prose:
    """``template`` with each ``{field}`` filled in from ``fields`` (a ``Code`` stays
    a code span; anything else becomes plain text)."""
    parts: list[str | Code] = []
    for literal, field, _spec, _conversion in string.Formatter().parse(template):
        if literal:
            parts.append(literal)
        if field is not None:
            value = fields[field]
            parts.append(value if isinstance(value, Code) else str(value))
    return tuple(parts)


def marked(words: Prose, quote: str) -> str:
    """``words`` as one string, each code span between two ``quote``s."""
    return "".join(
        f"{quote}{part.text}{quote}" if isinstance(part, Code) else part
        for part in words
    )


def reworded(words: Prose, old: str, new: str) -> Prose:
    """``words`` with ``old`` replaced by ``new`` in its plain text (never in code)."""
    return tuple(
        part if isinstance(part, Code) else part.replace(old, new) for part in words
    )


@dataclass(frozen=True, slots=True)
class KeptImport:
    """The generated module imports ``name`` exactly as the model file does."""

    name: str
    text: str
    line: int  # where the model file imports it: the generated module keeps that order


@dataclass(frozen=True, slots=True)
class MovedDefinition:
    """A module-level helper or constant that moves into the generated module."""

    name: str
    stmt: ast.stmt
    text: str | None = None  # the generated module's version, if it differs
    copied: bool = False  # the model file keeps its own definition (not imported back)


@dataclass(frozen=True, slots=True)
class ConstructorArg:
    """A value that varies per construction: passed at the call site, kept in get_config."""

    param: str
    call_expr: str  # the original expression, evaluated where the Lambda was built
    origin: Prose  # for the docstring and the report: where the value comes from
    literal: bool  # a JSON literal: needs no deserialisation


@dataclass(frozen=True, slots=True)
class Refusal:
    code: str
    message: str
    hint: str
    line: int
    col: int


@dataclass(frozen=True, slots=True)
class Warning_:
    code: str
    message: str
    note: bool = (
        False  # informational: nothing to check unless the user changes something
    )

    @classmethod
    def of(cls, caution: Caution, **params: object) -> Warning_:
        """The catalogue entry ``caution``, its message filled in with ``params``."""
        return cls(
            caution.code,
            caution.text(**params),
            note=caution.severity is Severity.NOTE,
        )


@dataclass(frozen=True, slots=True)
class Bind:
    """``target = value`` before a method's body (both Python source)."""

    target: str
    value: str


@dataclass(frozen=True, slots=True)
class Body:
    """What a function does: its statements (a def's, names replaced), then the
    expression it returns (a lambda's), if any."""

    statements: tuple[str, ...] = ()
    returns: str | None = None


@dataclass(frozen=True, slots=True)
class Method:
    """A generated method made from a function: its parameters after ``self``, the
    names it binds first, then the function's body."""

    params: tuple[str, ...]
    binds: tuple[Bind, ...]
    body: Body


@dataclass(frozen=True, slots=True)
class LiteralShapes:
    """``output_shape=`` written as literal dimensions: compute_output_shape puts the
    input's batch dimension in front of each shape."""

    shapes: tuple[tuple[int | None, ...], ...]
    several: bool  # a list of shapes, one per output (else ``shapes`` holds one)
    first_input: bool  # the layer has extra inputs: the shape is the first input's


@dataclass(frozen=True, slots=True)
class ShapeArgument:
    """``output_shape=`` given as a value known where the Lambda is built, kept in the
    constructor argument ``param`` (without the batch dimension)."""

    param: str
    flat: bool  # one shape, a tuple of dimensions (else one shape or one per output)
    first_input: bool


OutputShape = Method | LiteralShapes | ShapeArgument


@dataclass(frozen=True, slots=True)
class LayerPlan:
    site: LambdaSite
    name_hint: str
    snippet: str
    call: Method
    compute_output_shape: OutputShape | None
    compute_mask: Method | None
    ctor_args: tuple[ConstructorArg, ...]
    extra_inputs: tuple[str, ...]
    imports: tuple[KeptImport, ...]
    moved: tuple[MovedDefinition, ...]
    warnings: tuple[Warning_, ...]
    notes: tuple[Prose, ...]  # for the docstring
    infer_output_shape: bool = (
        False  # wrapped (TimeDistributed...): the emitter adds a tracing method
    )
    helpers: tuple[str, ...] = ()  # macros of templates/legacy.py.j2 the code calls
    seed_generator: str | None = (
        None  # the seed of the layer's keras.random.SeedGenerator, if it draws
    )


@dataclass(frozen=True, slots=True)
class Planned:
    """The site converts, as ``plan`` says."""

    site: LambdaSite
    plan: LayerPlan


@dataclass(frozen=True, slots=True)
class Declined:
    """The site stays as it is, for the reason ``refusal`` gives."""

    site: LambdaSite
    refusal: Refusal


Resolution = Planned | Declined  # what the resolver decides for one site


@dataclass(frozen=True, slots=True)
class Signature:
    """Parameter names of a function defined in another file of the project."""

    params: tuple[str, ...]


class Refused(Exception):
    def __init__(self, refusal: Refusal):
        super().__init__(refusal.message)
        self.refusal = refusal
