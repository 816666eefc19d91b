"""The records of a serialized callable: where it is, and what the conversion does."""

from __future__ import annotations

import ast
from dataclasses import dataclass

from lambda2layer.resolve import ConstructorArg, KeptImport, MovedDefinition, Refusal
from lambda2layer.resolve import Warning_
from lambda2layer.resolve.records import Body

# keyword -> role; ``*_initializer`` and the like by suffix
ROLES = {
    "loss": "loss",
    "metrics": "metric",
    "weighted_metrics": "metric",
    "activation": "activation",
    "recurrent_activation": "activation",
}
SUFFIX_ROLES = {
    "_initializer": "initializer",
    "_regularizer": "regularizer",
    "_constraint": "constraint",
}


def role_of(keyword: str) -> str | None:
    if keyword in ROLES:
        return ROLES[keyword]
    for suffix, role in SUFFIX_ROLES.items():
        if keyword.endswith(suffix):
            return role
    return None


@dataclass(frozen=True, slots=True)
class CallableSite:
    """One user callable in a position Keras serializes."""

    call: ast.Call  # the call it is passed to: ``model.compile(...)``, ``Dense(...)``
    value: ast.expr  # the callable itself: a lambda, a name, a factory call
    keyword: str  # ``loss``, ``metrics``, ``kernel_initializer``; ``activation`` for Activation(fn)
    key: str | None  # the output name of a dict entry (``loss={"out": fn}``)
    # a def of another project module (``losses`` for ``from losses import my_loss``):
    # refused, it must be registered where it is defined
    imported_from: str | None = None
    # reached through an object attribute (``self.fn``): what it is, for the refusal
    attribute: str | None = None

    @property
    def role(self) -> str:
        return role_of(self.keyword) or "activation"

    @property
    def line(self) -> int:
        return self.value.lineno

    @property
    def col(self) -> int:
        return self.value.col_offset + 1

    @property
    def kind(self) -> str:
        """What the reports call it: ``compile loss``, ``metric``, ``kernel_initializer``,
        ``loss factory``."""
        if isinstance(self.value, ast.Call):
            return f"{self.role} factory"
        if self.keyword == "loss":
            return "compile loss"
        if self.keyword == "metrics":
            return "metric"
        if self.keyword == "weighted_metrics":
            return "weighted metric"
        return self.keyword


@dataclass(frozen=True, slots=True)
class Draft:
    """A site the conversion can make safe, before it is named.

    ``body``: the function's lines (with the values it carries read from ``self.``);
    ``params``: its parameter list as written; ``args``: the values it carries (empty:
    a plain registered function); ``moved_def``: a module-level def that is only
    registered and moved (call site unchanged)."""

    site: CallableSite
    name_hint: str  # snake_case
    snippet: str
    params: str
    body: Body
    bindings: tuple[
        tuple[str, str], ...
    ]  # (local name in the body, constructor parameter)
    args: tuple[ConstructorArg, ...]
    imports: tuple[KeptImport, ...]
    moved: tuple[MovedDefinition, ...]
    warnings: tuple[Warning_, ...]
    moved_def: str | None = None
    nested: ast.AST | None = None  # the nested def that is copied, which stays in place
    factory: str | None = None  # the factory's name, for a factory call


@dataclass(frozen=True, slots=True)
class CallablePlan:
    """A named draft: what the generated module defines and what the site becomes."""

    draft: Draft
    function: str | None  # the registered function's name, if there is one
    class_name: (
        str | None
    )  # the registered class's name, if the callable carries values
    replacement: str | None  # the site's new text; None: the site stays as written
    notes: tuple[
        Warning_, ...
    ]  # said about the conversion, beside the draft's warnings

    @property
    def site(self) -> CallableSite:
        return self.draft.site

    @property
    def imported(self) -> tuple[str, ...]:
        """The names the model file imports from the generated module for this site."""
        if self.draft.moved_def:
            return ()
        return (self.class_name or self.function,)


@dataclass(frozen=True, slots=True)
class Drafted:
    """The callable converts, as ``draft`` says (named later, with the file's others)."""

    site: CallableSite
    draft: Draft


@dataclass(frozen=True, slots=True)
class CallableDeclined:
    """The callable stays as it is, for the reason ``refusal`` gives."""

    site: CallableSite
    refusal: Refusal


CallableResolution = Drafted | CallableDeclined


@dataclass(frozen=True, slots=True)
class ModulePart:
    """What the callables add to a file's generated module: imports and moved
    definitions (merged with the Lambda layers'), the moved defs that get registered,
    and the rendered blocks (registered functions and classes)."""

    imports: tuple[KeptImport, ...]
    moved: tuple[MovedDefinition, ...]
    registered: frozenset[str]  # moved defs decorated with register_keras_serializable
    blocks: tuple[str, ...]
    converters: bool  # a class keeps a value that needs _to_config / _from_config
