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
    # where the diagnostic lands in the file itself, when ``path`` names a place
    # inside it (a notebook cell): (the file's path, its line)
    anchor: tuple[str, int] | None = None

    def in_file(self) -> tuple[str, int, int]:
        """Path, line and column in the file on disk (for SARIF and annotations)."""
        if self.anchor is None:
            return self.path, self.line, self.col
        return self.anchor[0], self.anchor[1], 1

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
PENDING = "L2L006"  # --check: a site that would be converted

# Warnings on converted sites
LATE_BINDING = "L2L101"
READ_AT_CONSTRUCTION = "L2L102"
DATA_FORMAT = "L2L103"
LEGACY_REWRITTEN = "L2L104"
CALLABLE_COPIED = "L2L105"
DEFAULT_NAME = "L2L106"

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
LEGACY_UNSUPPORTED = "L2L213"
CALLABLE_CAPTURES_TENSOR = "L2L214"
CALLABLE_IMPORTED = "L2L215"
FACTORY_UNSUPPORTED = "L2L216"
FACTORY_CALL = "L2L217"
CALLABLE_SIGNATURE = "L2L218"
CALLABLE_STATE = "L2L219"
CALLABLE_ATTRIBUTE = "L2L220"
UNBOUND_LAMBDA = "L2L221"
INTERNAL_ERROR = "L2L999"


class _Template:
    """A catalogue row whose message is a ``str.format`` template."""

    message: str

    def text(self, **params: object) -> str:
        return self.message.format(**params)


class Why(_Template, Enum):
    """Why the resolver refuses a Lambda: one row per reason, (code, message, hint).

    The message is a ``str.format`` template over the parameters the resolver passes
    (``Why.NESTED_DECORATED.text(name="f")``); the hint is fixed text.
    """

    # the Lambda call itself
    EXTRA_POSITIONAL = (
        UNSUPPORTED_SIGNATURE,
        "Lambda is called with unpacked or extra positional arguments",
        "spell out function=, output_shape=, mask=, arguments=",
    )
    NO_FUNCTION = (UNSUPPORTED_FUNCTION, "Lambda has no function argument", "")
    TENSOR_NOT_APPLIED = (
        TENSOR_NEEDS_APPLICATION,
        "the Lambda captures the Keras tensor(s) {tensors}, which must become extra inputs, "
        "but the layer is not called right where it is built",
        "write `Lambda(...)(x)` in one expression",
    )
    TENSOR_SEVERAL_ARGUMENTS = (
        TENSOR_NEEDS_APPLICATION,
        "the Lambda captures a tensor and is applied to more than one positional argument",
        "",
    )
    # the function: lambda, def, functools.partial, arguments=
    ARGUMENTS_UNREADABLE = (
        UNSUPPORTED_ARGUMENT,
        "`arguments=` is not a dict whose keys the tool can read (a dict literal with string "
        "keys, dict(...), or a name bound once to one)",
        "write the dict inline: arguments={'scale': s}",
    )
    PARTIAL_UNPACKED = (
        UNSUPPORTED_FUNCTION,
        "functools.partial with unpacked arguments",
        "",
    )
    PARTIAL_OF_INLINE = (
        UNSUPPORTED_FUNCTION,
        "functools.partial of a lambda or of a nested function",
        "write it as a module-level def",
    )
    FUNCTION_UNSEEN = (
        UNSUPPORTED_FUNCTION,
        "the Lambda's function `{name}`{where} is a parameter, a factory result or a "
        "variable, not a function the tool can see",
        "pass a module-level def, an inline lambda, or functools.partial of a def",
    )
    FUNCTION_ATTRIBUTE = (
        UNSUPPORTED_FUNCTION,
        "the Lambda's function `{text}` is an attribute of an object, not of an imported module",
        "pass a module-level def or an inline lambda",
    )
    FUNCTION_COMPUTED = (
        UNSUPPORTED_FUNCTION,
        "the Lambda's function is computed by an expression (a call or factory result)",
        "pass a module-level def, an inline lambda, or functools.partial of a def",
    )
    # a function body made a method
    STAR_PARAMETERS = (
        UNSUPPORTED_SIGNATURE,
        "the function takes *args or **kwargs",
        "name its parameters",
    )
    NESTED_DECORATED = (
        UNSUPPORTED_FUNCTION,
        "nested function `{name}` is decorated",
        "move it to module level",
    )
    NO_POSITIONAL = (
        UNSUPPORTED_SIGNATURE,
        "the function takes no positional input",
        "",
    )
    INPUT_NAMED_SELF = (
        UNSUPPORTED_SIGNATURE,
        "the function's input parameter is named `self`",
        "rename it",
    )
    PARAMETER_UNBOUND = (
        UNSUPPORTED_SIGNATURE,
        "parameter `{name}` has no value (no default and not in arguments=)",
        "",
    )
    MULTILINE_STRING = (
        UNSUPPORTED_BODY,
        "the function body holds a multi-line string, whose text would change when the body "
        "is re-indented",
        "move the string to a module-level constant",
    )
    # free variables bound in the enclosing function
    LOCAL_DEFINITION = (
        UNSUPPORTED_FUNCTION,
        "the Lambda calls `{name}`, defined inside the enclosing function ({where})",
        "move it to module level",
    )
    LOCAL_UNPICKLABLE = (
        UNPICKLABLE,
        "`{name}` ({where}) is an unpicklable object",
        "keep such state outside the model",
    )
    LOCAL_LAYER = (
        CAPTURED_LAYER,
        "`{name}` ({where}) is a Keras layer captured by the Lambda; a config cannot hold it "
        "and its weights would not be tracked",
        "call the layer in the graph and pass its output to the Lambda",
    )
    CALLS_RUNTIME_OBJECT = (
        CAPTURED_LAYER,
        "the Lambda calls `{name}` ({where}), an object built at run time (a layer, a model "
        "or a function); a layer config cannot hold it",
        "call it in the graph and pass its output to the Lambda, or use a module-level def",
    )
    SELF_METHOD_CALL = (
        MUTABLE_SELF,
        "the Lambda calls `{name}.{method}()`; the builder object cannot be stored in a "
        "layer config",
        "read plain attributes only, or move the method to module level",
    )
    SELF_ITSELF = (
        MUTABLE_SELF,
        "the Lambda uses `{name}` itself; the builder object cannot be stored in a layer config",
        "read plain attributes only, or move the method to module level",
    )
    SELF_REBOUND_AFTER = (
        MUTABLE_SELF,
        "`{name}` is reassigned after the Lambda is built (line {line}, in `{method}()`); "
        "the Lambda reads the new value when the model runs, a layer keeps the value it "
        "was built with",
        "assign it before the Lambda is built, or pass the value explicitly with "
        "`arguments=`",
    )
    SELF_REBOUND_IN_LOOP = (
        MUTABLE_SELF,
        "`{name}` is reassigned in the loop that builds the Lambda (line {line}); every "
        "Lambda built there reads its last value when the model runs, a layer keeps the "
        "value it was built with",
        "bind the value per Lambda with a default (`lambda t, k=self.k: t * k`) or pass "
        "it with `arguments=`",
    )
    SELF_METHOD_USED = (
        MUTABLE_SELF,
        "the Lambda uses the method `{name}`, bound to the builder object, which cannot be "
        "stored in a layer config",
        "move the method to module level",
    )
    SELF_PROPERTY = (
        MUTABLE_SELF,
        "`{name}` is a property (line {line}): its code runs each time the Lambda reads "
        "it, and a layer config can hold only a value",
        "read the plain attribute it returns, or pass the value explicitly with "
        "`arguments=`",
    )
    SELF_WEIGHT = (
        CAPTURED_LAYER,
        "`{name}` ({where}) is a weight captured by the Lambda; a config cannot hold it "
        "and the layer it belongs to would not train it through the Lambda",
        "apply the weight in a layer's call (or in the graph) and pass the result to the "
        "Lambda",
    )
    # module-level names
    BOUND_TWICE = (
        REASSIGNED_NAME,
        "`{name}` is bound more than once at module level ({lines}); the value the Lambda "
        "sees depends on when it runs",
        "bind it once, or pass the value explicitly with `arguments=`",
    )
    CONSTANT_NOT_ALONE = (
        REASSIGNED_NAME,
        "`{name}` ({where}) is assigned together with other statements, so it cannot move",
        "give it a statement and a line of its own",
    )
    MODULE_CLASS = (
        UNSUPPORTED_FUNCTION,
        "`{name}` is a class defined in this file ({where}) that the Lambda body uses",
        "move the class to its own module and import it",
    )
    UNDEFINED = (
        UNRESOLVED_NAME,
        "`{name}` is not defined or imported in this file",
        "define or import it",
    )
    UNDEFINED_STAR_IMPORT = (
        UNRESOLVED_NAME,
        "`{name}` is not defined or imported in this file",
        "a star import may define it; import the name explicitly",
    )
    MODULE_UNPICKLABLE = (
        UNPICKLABLE,
        "`{name}` ({where}) is an unpicklable object ({call}) that a layer config cannot hold",
        "remove the object from the layer body; keep such state outside the model",
    )
    MODULE_LAYER = (
        CAPTURED_LAYER,
        "`{name}` ({where}) is a Keras layer or model captured by the Lambda; its weights "
        "would not be tracked",
        "call the layer in the graph and pass its output to the Lambda",
    )
    MODULE_OBJECT = (
        OPAQUE_OBJECT,
        "`{name}` ({where}) is a module-level object built at import time; it cannot be "
        "copied or stored in a config",
        "use only its attributes (`obj.attr`) in the Lambda, or pass plain values via "
        "`arguments=`",
    )
    HELPER_GLOBAL = (
        MUTATES_MODULE_STATE,
        "helper `{name}` (line {line}) declares `global {names}` and mutates module state",
        "make the helper pure",
    )
    HELPER_MUTATES = (
        MUTATES_MODULE_STATE,
        "helper `{name}` (line {line}) mutates module-level `{target}`; a copied layer would "
        "not share that state",
        "make the helper pure",
    )
    # output_shape= and mask=
    SHAPES_NOT_LITERAL = (
        UNSUPPORTED_ARGUMENT,
        "`output_shape=` for several outputs must be literal shapes",
        "drop output_shape= if Keras can infer it",
    )
    MASK_SIGNATURE = (
        UNSUPPORTED_SIGNATURE,
        "mask= function must take (inputs, mask)",
        "",
    )
    MASK_CAPTURES_TENSOR = (
        UNSUPPORTED_ARGUMENT,
        "the mask= function captures the tensor `{name}`, which compute_mask cannot receive",
        "compute the mask from inputs and mask only",
    )
    MASK_NOT_FUNCTION = (
        UNSUPPORTED_ARGUMENT,
        "`mask=` is not a function",
        "compute the mask in a function of (inputs, mask)",
    )

    # Keras-2 backend calls in a body that targets Keras 3
    LEGACY_NO_EQUIVALENT = (
        LEGACY_UNSUPPORTED,
        "calls {name}, which has no faithful Keras 3 equivalent: {reason}",
        "rewrite that call with keras.ops by hand, or keep Keras 2 semantics with "
        "--target tf_keras",
    )

    # serialized callables outside Lambda layers (compile losses and metrics, layer callables)
    CALLABLE_TENSOR = (
        CALLABLE_CAPTURES_TENSOR,
        "the {kind} closes over the Keras tensor(s) {tensors} of the graph it was built "
        "with; a saved function or config cannot hold a tensor",
        "compute the value in the model and add it with `model.add_loss`, or make it an "
        "output",
    )
    CALLABLE_FROM_PROJECT = (
        CALLABLE_IMPORTED,
        "the {kind} `{name}` is imported from `{module}`, another module of the project; "
        "it must be registered where it is defined",
        "decorate it there with `@keras.saving.register_keras_serializable()`",
    )
    LAMBDA_NOT_TIED_TO_KERAS = (
        UNBOUND_LAMBDA,
        "`{callee}` may build a Keras Lambda, but {why}; the tool cannot tell which "
        "Keras (or whether Keras) it is",
        "import it from Keras in this file (`from keras import layers`), or accept "
        "this with `# lambda2layer: ignore[L2L221]`",
    )
    CALLABLE_THROUGH_ATTRIBUTE = (
        CALLABLE_ATTRIBUTE,
        "the {kind} `{name}` is {what}, reached through an attribute; Keras saves it "
        "by name and cannot find it again when the model is loaded",
        "pass a def of this module instead (the tool registers it), or register a "
        "module-level function with `@keras.saving.register_keras_serializable()`",
    )
    FACTORY_NOT_DEF = (
        FACTORY_UNSUPPORTED,
        "`{name}` is called as a factory but is not one function the tool can see{where}",
        "bind the factory once, with a def",
    )
    FACTORY_BODY = (
        FACTORY_UNSUPPORTED,
        "factory `{name}` (line {line}) does more than return a nested function or a lambda "
        "(line {at}); what it computes there would not be saved with the model",
        "compute the values inside the nested function",
    )
    FACTORY_LOCAL = (
        FACTORY_UNSUPPORTED,
        "the function returned by factory `{name}` reads `{local}`, a local of the factory "
        "that is not one of its parameters; its value would not be saved with the model",
        "compute the value inside the nested function",
    )
    FACTORY_ARGUMENTS = (
        FACTORY_CALL,
        "the call of factory `{name}` cannot be matched with its parameters ({problem})",
        "pass the factory's parameters by position or keyword, without * or **",
    )
    CALLABLE_DECORATED = (
        CALLABLE_SIGNATURE,
        "the {kind} `{name}` (line {line}) is decorated; the tool cannot tell what the "
        "decorator makes of it",
        "register it by hand with `@keras.saving.register_keras_serializable()`",
    )
    CALLABLE_DEFAULT = (
        CALLABLE_SIGNATURE,
        "parameter `{name}` of the {kind} has a default that is not a literal",
        "make the default a literal",
    )
    CALLABLE_NONLOCAL = (
        CALLABLE_STATE,
        "the {kind} declares `{statement} {names}` and changes state outside itself; a "
        "saved copy would not share that state",
        "make the function pure",
    )
    CALLABLE_MUTATES = (
        CALLABLE_STATE,
        "the {kind} mutates `{name}` ({where}), state it shares with the code that built "
        "it; a saved copy would not share that state",
        "make the function pure",
    )
    CALLABLE_BOUND_TWICE = (
        REASSIGNED_NAME,
        "`{name}` is bound more than once ({lines}); which function the {kind} is depends on "
        "when the code runs",
        "bind it once",
    )

    def __init__(self, code: str, message: str, hint: str):
        self.code = code
        self.message = message
        self.hint = hint


_LATE = (
    "; the original Lambda read its last value when the model ran, the converted layer "
    "binds the value at construction (`{name}={name}`) - check this is what you meant"
)


class Caution(_Template, Enum):
    """What the resolver tells about a site it converted: (code, message, severity)."""

    LATE_BINDING_LOOP = (
        LATE_BINDING,
        "late binding: `{name}` is a loop variable" + _LATE,
        Severity.WARNING,
    )
    LATE_BINDING_REASSIGNED = (
        LATE_BINDING,
        "late binding: `{name}` is reassigned after the Lambda (line {line})" + _LATE,
        Severity.WARNING,
    )
    READ_WHEN_BUILT = (
        READ_AT_CONSTRUCTION,
        "`{name}` ({where}) is read when the layer is built, not each time it runs",
        Severity.WARNING,
    )
    IMAGE_DATA_FORMAT = (
        DATA_FORMAT,
        "the Lambda depends on the image data format (`{name}`, in its body or in a value "
        "it captures); a converted model saved under one data format and loaded under "
        "another sees the other channel axis, as the Lambda did",
        Severity.NOTE,
    )
    LEGACY_REWRITTEN = (
        LEGACY_REWRITTEN,
        "legacy backend calls rewritten: {calls}{backend}",
        Severity.NOTE,
    )

    NESTED_CALLABLE_COPIED = (
        CALLABLE_COPIED,
        "the {kind} `{name}` (line {line}) is copied into the generated module as `{new}` "
        "and the call site now uses the copy; the def stays where it is, change both "
        "together or delete the original",
        Severity.NOTE,
    )

    DEFAULT_LAYER_NAME = (
        DEFAULT_NAME,
        "the Lambda has no `name=`: Keras named it `lambda`, `lambda_1`, ... and now "
        "names it after its class (`{new}`, `{new}_1`, ...), while this file looks a "
        "layer up by such a name ({lookups}); give the Lambda a `name=` before "
        "converting, or update the lookup",
        Severity.WARNING,
    )

    def __init__(self, code: str, message: str, severity: Severity):
        self.code = code
        self.message = message
        self.severity = severity
