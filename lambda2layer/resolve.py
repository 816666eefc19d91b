"""LambdaSite -> Resolution: a decision for every free variable, or a refusal.

Pure functions over the AST; nothing here prints or touches the disk.
"""

from __future__ import annotations

import ast
import textwrap
from dataclasses import dataclass, field
from typing import Callable

from lambda2layer import diagnostics as codes
from lambda2layer.extract import LambdaSite, keras_path, qualify
from lambda2layer.naming import body_name, camel, parameter_name
from lambda2layer.scope import (
    BUILTIN_NAMES,
    Binding,
    FreeName,
    ModuleScopes,
    Resolved,
    Scope,
)
from lambda2layer.source import SourceText

# ---------------------------------------------------------------------------
# Decisions (typed records handed to the emitter and the patcher)
# ---------------------------------------------------------------------------


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


@dataclass(frozen=True, slots=True)
class ConstructorArg:
    """A value that varies per construction: passed at the call site, kept in get_config."""

    param: str
    call_expr: str  # the original expression, evaluated where the Lambda was built
    origin: str  # for the docstring: where the value comes from
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


@dataclass(frozen=True, slots=True)
class Method:
    """Source of one generated method body (before black)."""

    params: tuple[str, ...]  # after ``self``
    lines: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class LayerPlan:
    site: LambdaSite
    name_hint: str
    snippet: str
    call: Method
    compute_output_shape: Method | None
    compute_mask: Method | None
    ctor_args: tuple[ConstructorArg, ...]
    extra_inputs: tuple[str, ...]
    imports: tuple[KeptImport, ...]
    moved: tuple[MovedDefinition, ...]
    warnings: tuple[Warning_, ...]
    notes: tuple[str, ...]
    infer_output_shape: bool = (
        False  # wrapped (TimeDistributed...): the emitter adds a tracing method
    )


@dataclass(frozen=True, slots=True)
class Resolution:
    site: LambdaSite
    plan: LayerPlan | None
    refusal: Refusal | None


@dataclass(frozen=True, slots=True)
class _Signature:
    """Parameter names of a function defined in another file of the project."""

    params: tuple[str, ...]


class Refused(Exception):
    def __init__(self, refusal: Refusal):
        super().__init__(refusal.message)
        self.refusal = refusal


# ---------------------------------------------------------------------------
# Classification helpers
# ---------------------------------------------------------------------------

_UNPICKLABLE = {
    "threading.Lock",
    "threading.RLock",
    "threading.Event",
    "threading.Condition",
    "threading.Semaphore",
    "threading.BoundedSemaphore",
    "threading.Thread",
    "multiprocessing.Lock",
    "multiprocessing.RLock",
    "multiprocessing.Queue",
    "multiprocessing.Pool",
    "queue.Queue",
    "socket.socket",
    "io.open",
    "open",
    "sqlite3.connect",
    "tempfile.TemporaryFile",
    "tempfile.NamedTemporaryFile",
    "subprocess.Popen",
    "concurrent.futures.ThreadPoolExecutor",
}
_CONSTANT_CALL_ROOTS = {"numpy", "math"}
_CONSTANT_BUILTINS = {
    "float",
    "int",
    "str",
    "bool",
    "tuple",
    "list",
    "dict",
    "set",
    "frozenset",
    "range",
    "len",
    "abs",
    "min",
    "max",
    "round",
    "sum",
}
_CONSTANT_METHODS = {
    "astype",
    "reshape",
    "copy",
    "tolist",
    "transpose",
    "flatten",
    "ravel",
    "squeeze",
    "round",
    "clip",
}
_PLAIN_VALUE_CALLS = {
    "int_shape",
    "len",
    "int",
    "float",
    "bool",
    "str",
    "tuple",
    "list",
    "range",
    "print",
    "type",
    "isinstance",
}
_DATA_FORMAT_NAMES = {
    "image_data_format",
    "image_dim_ordering",
    "set_image_data_format",
    "set_image_dim_ordering",
}
_JSON_SCALARS = (int, float, str, bool, type(None))


def _root(node: ast.expr) -> ast.expr:
    while isinstance(node, (ast.Attribute, ast.Subscript, ast.Call)):
        node = node.func if isinstance(node, ast.Call) else node.value
    return node


@dataclass
class Context:
    """Everything the resolver needs to know about one file."""

    path: str
    src: SourceText
    tree: ast.Module
    scopes: ModuleScopes
    imports: dict[str, str]
    has_star_import: bool
    # parameters of a function imported from the user's project, if its source can be read
    imported_params: Callable[[ast.ImportFrom, ast.alias], list[str] | None] = (
        lambda stmt, alias: None
    )

    def refuse(self, node: ast.AST, code: str, message: str, hint: str = "") -> Refused:
        return Refused(Refusal(code, message, hint, node.lineno, node.col_offset + 1))

    def where(self, binding: Binding) -> str:
        node = (
            binding.stmt
            if binding.kind in ("param", "import", "comprehension")
            else binding.node
        )
        line = getattr(node, "lineno", None) or getattr(binding.node, "lineno", "?")
        return f"line {line}"

    def qualified_call(self, value: ast.expr | None) -> str | None:
        if isinstance(value, ast.Call):
            return qualify(value.func, self.imports) or (
                value.func.id if isinstance(value.func, ast.Name) else None
            )
        return None

    def is_layer_construction(self, value: ast.expr | None) -> bool:
        path = self.qualified_call(value)
        canon = keras_path(path) if path else None
        if canon is None:
            return False
        return canon.startswith(
            ("keras.layers.", "keras.models.", "keras.applications.")
        ) or canon in ("keras.Model", "keras.Sequential")

    def is_unpicklable(self, value: ast.expr | None) -> bool:
        path = self.qualified_call(value)
        return path in _UNPICKLABLE if path else False

    def is_input(self, value: ast.expr | None) -> bool:
        path = self.qualified_call(value)
        return bool(path) and (path == "Input" or path.endswith(".Input"))


# ---------------------------------------------------------------------------
# Collected decisions while resolving one site
# ---------------------------------------------------------------------------


@dataclass
class Collector:
    ctor: dict[str, ConstructorArg] = field(default_factory=dict)  # keyed by call_expr
    taken: set[str] = field(default_factory=set)
    extra_inputs: list[str] = field(default_factory=list)
    imports: dict[str, KeptImport] = field(
        default_factory=dict
    )  # keyed by statement text
    moved: dict[str, MovedDefinition] = field(default_factory=dict)
    done: set[str] = field(
        default_factory=set
    )  # module-level names already made available
    warnings: list[Warning_] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def keep_import(self, name: str, binding: Binding) -> None:
        text = _import_text(binding, name)
        self.imports.setdefault(text, KeptImport(name, text, binding.stmt.lineno))

    def arg(
        self, raw: str, call_expr: str, origin: str, literal: bool = False
    ) -> ConstructorArg:
        if call_expr in self.ctor:
            return self.ctor[call_expr]
        arg = ConstructorArg(
            parameter_name(raw, self.taken), call_expr, origin, literal
        )
        self.ctor[call_expr] = arg
        return arg


def _is_json_literal(node: ast.expr) -> bool:
    try:
        value = ast.literal_eval(node)
    except (ValueError, TypeError, SyntaxError, MemoryError, RecursionError):
        return False
    return _json_value(value)


def _json_value(value: object) -> bool:
    if isinstance(value, _JSON_SCALARS):
        return True
    if isinstance(value, list):
        return all(_json_value(v) for v in value)
    if isinstance(value, dict):
        return all(isinstance(k, str) and _json_value(v) for k, v in value.items())
    return False


def _targets(stmt: ast.Assign | ast.AnnAssign) -> list[ast.expr]:
    return stmt.targets if isinstance(stmt, ast.Assign) else [stmt.target]


def _import_root(binding: Binding) -> str:
    stmt, alias = binding.stmt, binding.node
    if isinstance(stmt, ast.Import):
        return alias.asname and alias.name or alias.name.split(".")[0]
    return "." * stmt.level + (stmt.module or "") + "." + alias.name


def _import_text(binding: Binding, name: str) -> str:
    stmt, alias = binding.stmt, binding.node
    suffix = f" as {alias.asname}" if alias.asname else ""
    if isinstance(stmt, ast.Import):
        return f"import {alias.name}{suffix}"
    module = "." * stmt.level + (stmt.module or "")
    return f"from {module} import {alias.name}{suffix}"


# ---------------------------------------------------------------------------
# Module-level names: imports kept, helpers and constants moved, the rest refused
# ---------------------------------------------------------------------------


class ModuleResolver:
    def __init__(self, ctx: Context, out: Collector):
        self.ctx = ctx
        self.out = out

    def import_fallback(self, res: Resolved) -> ast.Try | None:
        """``try: import a as x / except ImportError: import b as x`` at top level: one binding."""
        if len(res.bindings) < 2 or not all(b.kind == "import" for b in res.bindings):
            return None
        tries = set()
        for b in res.bindings:
            found = next(
                (
                    a
                    for a in self.ctx.scopes.ancestors(b.stmt)
                    if isinstance(a, ast.Try)
                ),
                None,
            )
            tries.add(found)
        only = tries.pop() if len(tries) == 1 else None
        return only if only is not None and only in self.ctx.tree.body else None

    def single(self, name: str, res: Resolved, at: ast.AST) -> Binding:
        if self.import_fallback(res) is not None:
            return res.bindings[0]
        if (
            len(res.bindings) > 1
            and all(b.kind == "import" for b in res.bindings)
            and len({_import_root(b) for b in res.bindings}) == 1
        ):
            return res.bindings[
                0
            ]  # ``import keras`` and ``import keras.ops``: one module
        if len(res.bindings) != 1 or res.bindings[0].kind not in (
            "import",
            "def",
            "assign",
            "class",
        ):
            lines = ", ".join(self.ctx.where(b) for b in res.bindings)
            raise self.ctx.refuse(
                at,
                codes.REASSIGNED_NAME,
                f"`{name}` is bound more than once at module level ({lines}); the value the Lambda sees depends on when it runs",
                "bind it once, or pass the value explicitly with `arguments=`",
            )
        return res.bindings[0]

    def need(self, name: str, at: ast.AST) -> None:
        """Make module-level ``name`` available in the generated module."""
        if name in self.out.done:
            return
        self.out.done.add(name)
        res = self.ctx.scopes.lookup(name, self.ctx.scopes.module)
        if res.scope is None:
            self.builtin_or_refuse(name, at)
            return
        binding = self.single(name, res, at)
        if binding.kind == "import":
            fallback = self.import_fallback(res)
            if fallback is not None:  # the generated module tries the same imports
                text = self.ctx.src.definition_text(fallback)
                self.out.imports.setdefault(
                    text, KeptImport(name, text, fallback.lineno)
                )
                return
            for b in res.bindings:
                self.out.keep_import(name, b)
        elif binding.kind == "def":
            self.move_function(binding.node, at)
        elif binding.kind == "assign" and self.is_constant(binding.value, set()):
            self.move_constant(name, binding, at)
        elif binding.kind == "class":
            raise self.ctx.refuse(
                at,
                codes.UNSUPPORTED_FUNCTION,
                f"`{name}` is a class defined in this file ({self.ctx.where(binding)}) that the Lambda body uses",
                "move the class to its own module and import it",
            )
        else:
            self.refuse_object(name, binding, at)

    def builtin_or_refuse(self, name: str, at: ast.AST) -> None:
        if name in BUILTIN_NAMES:
            return
        hint = (
            "a star import may define it; import the name explicitly"
            if self.ctx.has_star_import
            else "define or import it"
        )
        raise self.ctx.refuse(
            at,
            codes.UNRESOLVED_NAME,
            f"`{name}` is not defined or imported in this file",
            hint,
        )

    def refuse_object(self, name: str, binding: Binding, at: ast.AST) -> None:
        where = self.ctx.where(binding)
        if self.ctx.is_unpicklable(binding.value):
            raise self.ctx.refuse(
                at,
                codes.UNPICKLABLE,
                f"`{name}` ({where}) is an unpicklable object ({self.ctx.qualified_call(binding.value)}) that a layer config cannot hold",
                "remove the object from the layer body; keep such state outside the model",
            )
        if self.ctx.is_layer_construction(binding.value):
            raise self.ctx.refuse(
                at,
                codes.CAPTURED_LAYER,
                f"`{name}` ({where}) is a Keras layer or model captured by the Lambda; its weights would not be tracked",
                "call the layer in the graph and pass its output to the Lambda",
            )
        raise self.ctx.refuse(
            at,
            codes.OPAQUE_OBJECT,
            f"`{name}` ({where}) is a module-level object built at import time; it cannot be copied or stored in a config",
            "use only its attributes (`obj.attr`) in the Lambda, or pass plain values via `arguments=`",
        )

    def is_constant(self, node: ast.expr | None, seen: set[str]) -> bool:
        if node is None:
            return False
        if isinstance(node, ast.Constant):
            return True
        if isinstance(node, (ast.Tuple, ast.List, ast.Set)):
            return all(self.is_constant(e, seen) for e in node.elts)
        if isinstance(node, ast.Dict):
            return all(
                k is not None and self.is_constant(k, seen) for k in node.keys
            ) and all(self.is_constant(v, seen) for v in node.values)
        if isinstance(node, ast.UnaryOp):
            return self.is_constant(node.operand, seen)
        if isinstance(node, ast.BinOp):
            return self.is_constant(node.left, seen) and self.is_constant(
                node.right, seen
            )
        if isinstance(node, ast.Subscript):
            return self.is_constant(node.value, seen) and self.is_constant(
                node.slice, seen
            )
        if isinstance(node, ast.Slice):
            return all(
                self.is_constant(p, seen)
                for p in (node.lower, node.upper, node.step)
                if p is not None
            )
        if isinstance(node, ast.keyword):
            return self.is_constant(node.value, seen)
        if isinstance(node, ast.Attribute):
            if node.attr == "T" and self.is_constant(node.value, seen):
                return True
            path = qualify(node, self.ctx.imports)
            return bool(path) and path.split(".")[0] in _CONSTANT_CALL_ROOTS
        if isinstance(node, ast.Name):
            if node.id in seen:
                return False
            res = self.ctx.scopes.lookup(node.id, self.ctx.scopes.module)
            if res.scope is None:
                return node.id in ("True", "False", "None")
            if len(res.bindings) != 1:
                return False
            b = res.bindings[0]
            if b.kind == "import":
                return True
            return b.kind == "assign" and self.is_constant(b.value, seen | {node.id})
        if isinstance(node, ast.Call):
            func_ok = False
            if (
                isinstance(node.func, ast.Attribute)
                and node.func.attr in _CONSTANT_METHODS
                and self.is_constant(node.func.value, seen)
            ):
                func_ok = True  # np.linspace(...).astype("float32")
            elif isinstance(node.func, ast.Name) and node.func.id in _CONSTANT_BUILTINS:
                func_ok = (
                    self.ctx.scopes.lookup(node.func.id, self.ctx.scopes.module).scope
                    is None
                )
            else:
                path = qualify(node.func, self.ctx.imports)
                func_ok = (
                    bool(path)
                    and path.split(".")[0] in _CONSTANT_CALL_ROOTS
                    and ".random" not in path
                )
            return func_ok and all(
                self.is_constant(a, seen) for a in [*node.args, *node.keywords]
            )
        return False

    def movable(self, binding: Binding) -> bool:
        """A constant's statement moves whole: it must stand alone on its lines and
        bind plain names only (``A = 1``, ``A = B = 1``, ``LOW, HIGH = -1, 1``)."""
        stmt = binding.stmt
        if (
            not isinstance(stmt, (ast.Assign, ast.AnnAssign))
            or stmt not in self.ctx.tree.body
        ):
            return False
        return self.ctx.src.stands_alone(stmt) and all(
            isinstance(n, (ast.Name, ast.Tuple, ast.List))
            for t in _targets(stmt)
            for n in self.ctx.scopes.walk(t)
            if not isinstance(n, (ast.Load, ast.Store))
        )

    def move_constant(self, name: str, binding: Binding, at: ast.AST) -> None:
        stmt = binding.stmt
        if not self.movable(binding):
            raise self.ctx.refuse(
                at,
                codes.REASSIGNED_NAME,
                f"`{name}` ({self.ctx.where(binding)}) is assigned together with other statements, so it cannot move",
                "give it a statement and a line of its own",
            )
        bound = [
            n.id
            for t in _targets(stmt)
            for n in self.ctx.scopes.walk(t)
            if isinstance(n, ast.Name)
        ]
        for (
            other
        ) in bound:  # the statement moves whole: every name it binds moves with it
            self.out.moved[other] = MovedDefinition(other, stmt)
            self.out.done.add(other)
        for node in self.ctx.scopes.walk(stmt.value):
            if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Load):
                self.need(node.id, at)

    def move_function(self, fn: ast.FunctionDef, at: ast.AST) -> None:
        self.out.moved[fn.name] = MovedDefinition(fn.name, fn)
        for node in self.ctx.scopes.walk(fn):
            if isinstance(node, (ast.Global, ast.Nonlocal)):
                raise self.ctx.refuse(
                    at,
                    codes.MUTATES_MODULE_STATE,
                    f"helper `{fn.name}` (line {fn.lineno}) declares `global {', '.join(node.names)}` and mutates module state",
                    "make the helper pure",
                )
        extra = tuple(
            x
            for x in [*fn.decorator_list, *fn.args.defaults, *fn.args.kw_defaults]
            if x is not None
        )
        free = self.ctx.scopes.free_names(fn, extra)
        free_ids = {f.name for f in free}
        for node in self.ctx.scopes.walk(fn):
            target = None
            if isinstance(node, (ast.Assign, ast.AugAssign, ast.AnnAssign)):
                targets = (
                    node.targets if isinstance(node, ast.Assign) else [node.target]
                )
                for t in targets:
                    if isinstance(t, (ast.Subscript, ast.Attribute)):
                        target = _root(t)
            if isinstance(target, ast.Name) and target.id in free_ids:
                raise self.ctx.refuse(
                    at,
                    codes.MUTATES_MODULE_STATE,
                    f"helper `{fn.name}` (line {fn.lineno}) mutates module-level `{target.id}`; a copied layer would not share that state",
                    "make the helper pure",
                )
        for item in free:
            if (
                item.resolved.scope is not None
                and item.resolved.scope is not self.ctx.scopes.module
            ):
                continue
            self.need(item.name, at)


# ---------------------------------------------------------------------------
# Functions whose body becomes a method: inline lambdas and nested defs
# ---------------------------------------------------------------------------


class SiteResolver:
    def __init__(self, ctx: Context, site: LambdaSite):
        self.ctx = ctx
        self.site = site
        self.out = Collector()
        self.modules = ModuleResolver(ctx, self.out)
        self.site_scope = ctx.scopes.enclosing(site.call)
        self.captured_values: list[ast.expr] = (
            []
        )  # what captured locals were assigned from

    # -- entry -------------------------------------------------------------
    def resolve(self) -> LayerPlan:
        site = self.site
        if site.extra_positional:
            raise self.ctx.refuse(
                site.call,
                codes.UNSUPPORTED_SIGNATURE,
                "Lambda is called with unpacked or extra positional arguments",
                "spell out function=, output_shape=, mask=, arguments=",
            )
        if site.function is None:
            raise self.ctx.refuse(
                site.call,
                codes.UNSUPPORTED_FUNCTION,
                "Lambda has no function argument",
                "",
            )
        arguments = self.bound_arguments()
        call, name_hint = self.main_function(site.function, arguments)
        shape = (
            self.output_shape_method(site.output_shape)
            if site.output_shape is not None
            else None
        )

        mask = self.mask_method(site.mask) if site.mask is not None else None
        if self.out.extra_inputs and site.application is None:
            raise self.ctx.refuse(
                site.call,
                codes.TENSOR_NEEDS_APPLICATION,
                f"the Lambda captures the Keras tensor(s) {', '.join(f'`{n}`' for n in self.out.extra_inputs)}, which must become extra inputs, but the layer is not called right where it is built",
                "write `Lambda(...)(x)` in one expression",
            )
        if self.out.extra_inputs and site.application is not None:
            app = site.application
            if len(app.args) != 1 or any(isinstance(a, ast.Starred) for a in app.args):
                raise self.ctx.refuse(
                    site.call,
                    codes.TENSOR_NEEDS_APPLICATION,
                    "the Lambda captures a tensor and is applied to more than one positional argument",
                    "",
                )
        self.note_data_format()
        return LayerPlan(
            site=site,
            name_hint=self.class_stem(name_hint),
            snippet=self.ctx.src.segment(site.call),
            call=call,
            compute_output_shape=shape,
            compute_mask=mask,
            ctor_args=tuple(self.out.ctor.values()),
            extra_inputs=tuple(self.out.extra_inputs),
            imports=tuple(self.out.imports.values()),
            moved=tuple(self.out.moved.values()),
            warnings=tuple(self.out.warnings),
            notes=tuple(self.out.notes),
            infer_output_shape=shape is None and site.wrapped,
        )

    def note_data_format(self) -> None:
        """Bodies that branch on the image data format or the channel axis get a note."""
        nodes = [
            self.site.function,
            *(m.stmt for m in self.out.moved.values()),
            *self.captured_values,
        ]
        for node in (
            n for root in nodes if root is not None for n in self.ctx.scopes.walk(root)
        ):
            name = (
                node.attr
                if isinstance(node, ast.Attribute)
                else node.id if isinstance(node, ast.Name) else ""
            )
            if name in _DATA_FORMAT_NAMES:
                self.out.warnings.append(
                    Warning_(
                        codes.DATA_FORMAT,
                        f"the Lambda depends on the image data format (`{name}`, in its body or in a value it "
                        "captures); a converted model saved under one data format and loaded under another "
                        "sees the other channel axis, as the Lambda did",
                        note=True,
                    )
                )
                return

    def class_stem(self, from_function: str | None) -> str:
        site = self.site
        for candidate in (from_function, site.layer_name, site.assigned_to):
            if candidate and camel(candidate):
                return camel(candidate)
        fn = site.function
        if isinstance(fn, ast.Lambda):
            return body_name(fn.body, self.ctx.scopes.walk(fn.body))
        return "Function"

    # -- arguments= --------------------------------------------------------------
    def bound_arguments(self) -> dict[str, ConstructorArg]:
        node = self.site.arguments
        if node is None or (isinstance(node, ast.Constant) and node.value is None):
            return {}
        via = None
        if isinstance(
            node, ast.Name
        ):  # arguments=kw with kw bound once to a literal dict
            res = self.ctx.scopes.lookup(node.id, self.site_scope)
            if (
                len(res.bindings) == 1
                and res.bindings[0].kind == "assign"
                and res.bindings[0].value is not None
            ):
                via, node = node.id, res.bindings[0].value
        items = self.dict_items(node)
        if items is None:
            raise self.ctx.refuse(
                self.site.arguments,
                codes.UNSUPPORTED_ARGUMENT,
                "`arguments=` is not a dict whose keys the tool can read (a dict literal with string keys, dict(...), or a name bound once to one)",
                "write the dict inline: arguments={'scale': s}",
            )
        bound = {}
        for key, value in items:
            expr = f"{via}[{key!r}]" if via else self.ctx.src.segment(value)
            bound[key] = self.out.arg(
                key,
                expr,
                f"``arguments['{key}']``",
                via is None and _is_json_literal(value),
            )
        return bound

    @staticmethod
    def dict_items(node: ast.expr) -> list[tuple[str, ast.expr]] | None:
        if isinstance(node, ast.Dict) and all(
            isinstance(k, ast.Constant)
            and isinstance(k.value, str)
            and k.value.isidentifier()
            for k in node.keys
        ):
            return [(k.value, v) for k, v in zip(node.keys, node.values)]
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Name)
            and node.func.id == "dict"
            and not node.args
        ):
            if all(k.arg is not None for k in node.keywords):
                return [(k.arg, k.value) for k in node.keywords]
        return None

    # -- the main function -----------------------------------------------------
    def main_function(
        self, fn: ast.expr, arguments: dict[str, ConstructorArg]
    ) -> tuple[Method, str | None]:
        if isinstance(fn, ast.Lambda):
            return self.inline_method(fn, "inputs", arguments, role="call"), None
        target, positional, keywords = fn, [], {}
        if isinstance(fn, ast.Call) and self.is_partial(fn.func):
            if (
                not fn.args
                or any(isinstance(a, ast.Starred) for a in fn.args)
                or any(k.arg is None for k in fn.keywords)
            ):
                raise self.ctx.refuse(
                    fn,
                    codes.UNSUPPORTED_FUNCTION,
                    "functools.partial with unpacked arguments",
                    "",
                )
            target = fn.args[0]
            positional = fn.args[1:]
            keywords = {k.arg: k.value for k in fn.keywords}
        definition, text, name = self.named_function(target)
        inlined = isinstance(definition, ast.Lambda) or (
            isinstance(definition, (ast.FunctionDef, ast.AsyncFunctionDef))
            and definition not in self.ctx.tree.body
        )
        if (
            inlined
        ):  # a lambda bound to a name or a def nested in the builder: its body becomes call()
            if positional or keywords:
                raise self.ctx.refuse(
                    fn,
                    codes.UNSUPPORTED_FUNCTION,
                    "functools.partial of a lambda or of a nested function",
                    "write it as a module-level def",
                )
            return (
                self.inline_method(definition, "inputs", arguments, role="call"),
                name,
            )
        params = self.signature(definition)
        args = []
        for i, value in enumerate(positional):
            raw = params[i] if definition is not None and i < len(params) else f"arg{i}"
            arg = self.out.arg(
                raw,
                self.ctx.src.segment(value),
                f"``functools.partial`` argument {i + 1}",
                _is_json_literal(value),
            )
            args.append(f"self.{arg.param}")
        args.append("inputs")
        for key, value in keywords.items():
            arg = self.out.arg(
                key,
                self.ctx.src.segment(value),
                f"``functools.partial`` keyword ``{key}``",
                _is_json_literal(value),
            )
            args.append(f"{key}=self.{arg.param}")
        for key, arg in arguments.items():
            args.append(f"{key}=self.{arg.param}")
        call_params = ["inputs"]
        for special in ("mask", "training"):
            if special in params:
                call_params.append(f"{special}=None")
                args.append(f"{special}={special}")
        unpack = self.unpack_lines("inputs")
        lines = (*unpack, f"return {text}({', '.join(args)})")
        return Method(tuple(call_params), lines), name

    def is_partial(self, func: ast.expr) -> bool:
        path = qualify(func, self.ctx.imports)
        return path == "functools.partial"

    def named_function(self, node: ast.expr):
        """(definition or None, text to call it by, name) for a function passed by name."""
        if isinstance(node, ast.Name):
            res = self.ctx.scopes.lookup(node.id, self.site_scope)
            if res.scope is None:
                self.modules.builtin_or_refuse(node.id, node)
                return None, node.id, node.id
            if res.scope is self.ctx.scopes.module:
                binding = self.modules.single(node.id, res, node)
                if binding.kind == "def":
                    self.modules.move_function(binding.node, node)
                    return binding.node, node.id, node.id
                if binding.kind == "import":
                    self.modules.need(node.id, node)
                    params = None
                    if isinstance(binding.stmt, ast.ImportFrom):
                        params = self.ctx.imported_params(binding.stmt, binding.node)
                    return (
                        (_Signature(tuple(params)) if params else None),
                        node.id,
                        node.id,
                    )
                if binding.kind == "assign" and isinstance(binding.value, ast.Lambda):
                    return binding.value, node.id, node.id
            elif len(res.bindings) == 1 and res.bindings[0].kind == "def":
                return res.bindings[0].node, node.id, node.id
            elif (
                len(res.bindings) == 1
                and res.bindings[0].kind == "assign"
                and isinstance(res.bindings[0].value, ast.Lambda)
            ):
                return res.bindings[0].value, node.id, node.id
            binding = res.bindings[0] if res.bindings else None
            where = f" ({self.ctx.where(binding)})" if binding else ""
            raise self.ctx.refuse(
                node,
                codes.UNSUPPORTED_FUNCTION,
                f"the Lambda's function `{node.id}`{where} is a parameter, a factory result or a variable, not a function the tool can see",
                "pass a module-level def, an inline lambda, or functools.partial of a def",
            )
        if isinstance(node, ast.Attribute):
            root = _root(node)
            if isinstance(root, ast.Name):
                res = self.ctx.scopes.lookup(root.id, self.site_scope)
                if (
                    res.scope is self.ctx.scopes.module
                    and res.bindings
                    and res.bindings[0].kind == "import"
                ):
                    self.modules.need(root.id, node)
                    return None, self.ctx.src.segment(node), node.attr
            raise self.ctx.refuse(
                node,
                codes.UNSUPPORTED_FUNCTION,
                f"the Lambda's function `{self.ctx.src.segment(node)}` is an attribute of an object, not of an imported module",
                "pass a module-level def or an inline lambda",
            )
        raise self.ctx.refuse(
            node,
            codes.UNSUPPORTED_FUNCTION,
            "the Lambda's function is computed by an expression (a call or factory result)",
            "pass a module-level def, an inline lambda, or functools.partial of a def",
        )

    @staticmethod
    def signature(definition) -> list[str]:
        if definition is None:
            return []
        if isinstance(definition, _Signature):
            return list(definition.params)
        a = definition.args
        return [p.arg for p in [*a.posonlyargs, *a.args]]

    def unpack_lines(self, first: str) -> tuple[str, ...]:
        if not self.out.extra_inputs:
            return ()
        return (f"{first}, {', '.join(self.out.extra_inputs)} = inputs",)

    # -- inline functions -----------------------------------------------------------
    def inline_method(
        self, fn, first_name: str, arguments: dict[str, ConstructorArg], role: str
    ) -> Method:
        a = fn.args
        if a.vararg or a.kwarg:
            raise self.ctx.refuse(
                fn,
                codes.UNSUPPORTED_SIGNATURE,
                "the function takes *args or **kwargs",
                "name its parameters",
            )
        if (
            isinstance(fn, (ast.FunctionDef, ast.AsyncFunctionDef))
            and fn.decorator_list
        ):
            raise self.ctx.refuse(
                fn,
                codes.UNSUPPORTED_FUNCTION,
                f"nested function `{fn.name}` is decorated",
                "move it to module level",
            )
        positional = [*a.posonlyargs, *a.args]
        if not positional:
            raise self.ctx.refuse(
                fn,
                codes.UNSUPPORTED_SIGNATURE,
                "the function takes no positional input",
                "",
            )
        defaults = dict(
            zip(
                [p.arg for p in positional][len(positional) - len(a.defaults) :],
                a.defaults,
            )
        )
        defaults.update(
            {p.arg: d for p, d in zip(a.kwonlyargs, a.kw_defaults) if d is not None}
        )
        first = positional[0].arg
        if first == "self":
            raise self.ctx.refuse(
                fn,
                codes.UNSUPPORTED_SIGNATURE,
                "the function's input parameter is named `self`",
                "rename it",
            )
        replacements = self.free_names(fn)
        call_params = [
            first if not (self.out.extra_inputs and role == "call") else "inputs"
        ]
        prelude: list[str] = []
        kwonly = {p.arg for p in a.kwonlyargs}
        for p in [*positional[1:], *a.kwonlyargs]:
            name = p.arg
            if (
                name in ("mask", "training")
                and name in kwonly
                and name not in arguments
                and name in defaults
            ):
                # Keras passes mask/training only as positional parameters of the function
                prelude.append(f"{name} = {self.ctx.src.segment(defaults[name])}")
            elif name in ("mask", "training") and name not in arguments:
                call_params.append(f"{name}=None")
            elif name in arguments:
                prelude.append(f"{name} = self.{arguments[name].param}")
            elif name in defaults:
                value = defaults[name]
                arg = self.out.arg(
                    name,
                    self.ctx.src.segment(value),
                    f"default of parameter ``{name}``",
                    _is_json_literal(value),
                )
                prelude.append(f"{name} = self.{arg.param}")
            else:
                raise self.ctx.refuse(
                    fn,
                    codes.UNSUPPORTED_SIGNATURE,
                    f"parameter `{name}` has no value (no default and not in arguments=)",
                    "",
                )
        prelude.extend(
            f"{local} = self.{param}"
            for local, param in self.locals_for_args(replacements)
        )
        body = self.body_text(fn, replacements)
        lines = []
        if self.out.extra_inputs and role == "call":
            lines.append(f"{first}, {', '.join(self.out.extra_inputs)} = inputs")
        lines.extend(prelude)
        lines.extend(body)
        return Method(tuple(call_params), tuple(lines))

    def locals_for_args(self, replacements) -> list[tuple[str, str]]:
        seen = {}
        for _node, local, param in replacements:
            if param is not None:
                seen[local] = param
        return list(seen.items())

    def body_text(self, fn, replacements) -> list[str]:
        src = self.ctx.src
        body = [fn.body] if isinstance(fn, ast.Lambda) else fn.body
        for node in (n for b in body for n in self.ctx.scopes.walk(b)):
            if (
                isinstance(node, (ast.Constant, ast.JoinedStr))
                and isinstance(getattr(node, "value", ""), (str, list))
                and node.end_lineno > node.lineno
            ):
                raise self.ctx.refuse(
                    node,
                    codes.UNSUPPORTED_BODY,
                    "the function body holds a multi-line string, whose text would change when the body is re-indented",
                    "move the string to a module-level constant",
                )
        if isinstance(fn, ast.Lambda):
            start, end = src.start(fn.body), src.end(fn.body)
        elif fn.body[0].lineno == fn.lineno:  # def f(t): return t * 2
            start, end = src.start(fn.body[0]), src.end(fn.body[-1])
        else:
            start = src.line_starts[fn.body[0].lineno - 1]
            end = src.end(fn.body[-1])
        text = src.text[start:end]
        for node, local, _param in sorted(replacements, key=lambda r: -src.start(r[0])):
            s, e = src.start(node) - start, src.end(node) - start
            text = text[:s] + local + text[e:]
        text = text.replace("\r\n", "\n").replace("\r", "\n")
        if isinstance(fn, ast.Lambda):
            return [f"return ({text})"] if "\n" in text else [f"return {text}"]
        return textwrap.dedent(text).split("\n")

    # -- free variables of an inline function --------------------------------------
    def free_names(self, fn) -> list[tuple[ast.expr, str, str | None]]:
        """Resolve every free name; returns text replacements (node, local name, ctor param)."""
        replacements: list[tuple[ast.expr, str, str | None]] = []
        for free in self.ctx.scopes.free_names(fn):
            res = free.resolved
            at = free.uses[0]
            if res.scope is None:
                self.modules.builtin_or_refuse(free.name, at)
            elif res.scope is self.ctx.scopes.module:
                replacements += self.module_name(free)
            else:
                replacements += self.local_name(free)
        return replacements

    def attribute_chains(self, free: FreeName):
        """For each use: the longest ``name.a.b`` chain read as a value, or None for a bare use."""
        chains = []
        for use in free.uses:
            node: ast.expr = use
            parent = self.ctx.scopes.parent(node)
            while isinstance(parent, ast.Attribute) and isinstance(
                parent.ctx, ast.Load
            ):
                grand = self.ctx.scopes.parent(parent)
                if isinstance(grand, ast.Call) and grand.func is parent:
                    break
                node, parent = parent, grand
            chains.append(node if node is not use else None)
        return chains

    def chain_args(
        self, free: FreeName, origin: str
    ) -> list[tuple[ast.expr, str, str]]:
        out = []
        for chain in self.attribute_chains(free):
            text = self.ctx.src.segment(chain)
            arg = self.out.arg(chain.attr, text, origin.format(text=text), False)
            out.append((chain, arg.param, arg.param))
        return out

    def module_name(self, free: FreeName) -> list[tuple[ast.expr, str, str | None]]:
        name, res, at = free.name, free.resolved, free.uses[0]
        binding = self.modules.single(name, res, at)
        if binding.kind == "class" and all(self.attribute_chains(free)):
            return self.chain_args(
                free, "``{text}``, a class attribute read when the layer is built"
            )
        if binding.kind in ("import", "def", "class"):
            self.modules.need(name, at)
            return []
        if binding.kind == "assign" and self.modules.is_constant(binding.value, set()):
            literal = _is_json_literal(binding.value)
            if literal or not self.modules.movable(binding):
                arg = self.out.arg(
                    name,
                    name,
                    f"module constant ``{name}`` ({self.ctx.where(binding)})",
                    literal,
                )
                return [(use, name, arg.param) for use in free.uses]
            self.modules.need(name, at)
            return []
        chains = self.attribute_chains(free)
        if (
            all(chains)
            and not self.ctx.is_unpicklable(binding.value)
            and not self.ctx.is_layer_construction(binding.value)
        ):
            self.out.warnings.append(
                Warning_(
                    codes.READ_AT_CONSTRUCTION,
                    f"`{name}` ({self.ctx.where(binding)}) is read when the layer is built, not each time it runs",
                )
            )
            return self.chain_args(free, "``{text}``, read when the layer is built")
        self.modules.refuse_object(name, binding, at)
        return []

    def local_name(self, free: FreeName) -> list[tuple[ast.expr, str, str | None]]:
        name, res, at = free.name, free.resolved, free.uses[0]
        bindings = res.bindings
        kinds = {b.kind for b in bindings}
        if self.is_self(free):
            return self.self_attributes(free)
        if kinds <= {"import"}:
            for b in bindings:
                self.out.keep_import(name, b)
            return []
        if kinds & {"def", "class"}:
            raise self.ctx.refuse(
                at,
                codes.UNSUPPORTED_FUNCTION,
                f"the Lambda calls `{name}`, defined inside the enclosing function ({self.ctx.where(bindings[0])})",
                "move it to module level",
            )
        for b in bindings:
            if b.kind in ("assign", "namedexpr") and self.ctx.is_unpicklable(b.value):
                raise self.ctx.refuse(
                    at,
                    codes.UNPICKLABLE,
                    f"`{name}` ({self.ctx.where(b)}) is an unpicklable object",
                    "keep such state outside the model",
                )
            if b.kind == "assign" and self.ctx.is_layer_construction(b.value):
                raise self.ctx.refuse(
                    at,
                    codes.CAPTURED_LAYER,
                    f"`{name}` ({self.ctx.where(b)}) is a Keras layer captured by the Lambda; a config cannot hold it and its weights would not be tracked",
                    "call the layer in the graph and pass its output to the Lambda",
                )
        called = next((u for u in free.uses if self.is_called(u)), None)
        if called is not None:
            raise self.ctx.refuse(
                called,
                codes.CAPTURED_LAYER,
                f"the Lambda calls `{name}` ({self.ctx.where(bindings[0])}), an object built at run time "
                "(a layer, a model or a function); a layer config cannot hold it",
                "call it in the graph and pass its output to the Lambda, or use a module-level def",
            )
        shapes = self.static_shape_uses(free)
        tensor = self.is_tensor(name, res.scope, bindings, depth=0)
        if shapes is not None and (not tensor or not self.connected(name, res.scope)):
            # only its static shape is read, and it is not otherwise part of the graph:
            # the shape is a plain value known when the layer is built
            arg = self.out.arg(
                f"{name}_shape",
                f"tuple({name}.shape)",
                f"static shape of ``{name}`` where the Lambda was built",
                False,
            )
            return [(node, arg.param, arg.param) for node in shapes]
        if tensor:
            if name not in self.out.extra_inputs:
                self.out.extra_inputs.append(name)
            return []
        self.warn_late_binding(name, bindings)
        chains = self.attribute_chains(free)
        if all(chains):
            return self.chain_args(free, "``{text}`` where the Lambda was built")
        arg = self.out.arg(
            name,
            name,
            f"``{name}`` where the Lambda was built ({self.ctx.where(bindings[0])})",
            False,
        )
        self.captured_values.extend(b.value for b in bindings if b.value is not None)
        return [(use, name, arg.param) for use in free.uses]

    def is_called(self, use: ast.Name) -> bool:
        parent = self.ctx.scopes.parent(use)
        return isinstance(parent, ast.Call) and parent.func is use

    def static_shape_uses(self, free: FreeName) -> list[ast.expr] | None:
        """``x.shape`` / ``K.int_shape(x)`` nodes if every use reads only the static shape."""
        nodes = []
        for use in free.uses:
            parent = self.ctx.scopes.parent(use)
            if isinstance(parent, ast.Attribute) and parent.attr == "shape":
                outer = self.ctx.scopes.parent(parent)
                if isinstance(
                    outer, ast.Attribute
                ):  # x.shape.as_list(): TensorShape API
                    return None
                nodes.append(parent)
            elif (
                isinstance(parent, ast.Call)
                and parent.args
                and parent.args[0] is use
                and len(parent.args) == 1
                and isinstance(parent.func, (ast.Attribute, ast.Name))
                and (
                    parent.func.attr
                    if isinstance(parent.func, ast.Attribute)
                    else parent.func.id
                )
                == "int_shape"
            ):
                nodes.append(parent)
            else:
                return None
        return nodes

    def connected(self, name: str, scope: Scope) -> bool:
        """Is the tensor used outside this Lambda, so that making it an input adds nothing new?"""
        inside = set(map(id, self.ctx.scopes.walk(self.site.call)))
        for node in self.ctx.scopes.walk(scope.node):
            if (
                isinstance(node, ast.Name)
                and node.id == name
                and isinstance(node.ctx, ast.Load)
                and id(node) not in inside
            ):
                return True
        res = self.ctx.scopes.lookup(name, scope)
        return any(
            b.kind in ("assign", "namedexpr") and self.ctx.is_input(b.value)
            for b in res.bindings
        )

    def warn_late_binding(self, name: str, bindings: tuple[Binding, ...]) -> None:
        call = self.site.call
        ancestors = set(map(id, self.ctx.scopes.ancestors(call)))
        loop = next(
            (
                b
                for b in bindings
                if b.kind in ("for", "comprehension")
                and id(b.stmt if b.kind == "comprehension" else b.node) in ancestors
            ),
            None,
        )
        later = [
            b
            for b in bindings
            if getattr(b.node, "lineno", 0) > call.lineno and b.kind != "param"
        ]
        if loop is not None or later:
            why = (
                "is a loop variable"
                if loop is not None
                else f"is reassigned after the Lambda (line {later[0].node.lineno})"
            )
            self.out.warnings.append(
                Warning_(
                    codes.LATE_BINDING,
                    f"late binding: `{name}` {why}; the original Lambda read its last value when the model ran, "
                    f"the converted layer binds the value at construction (`{name}={name}`) - check this is what you meant",
                )
            )
            self.out.notes.append(
                f"``{name}`` is bound when the layer is built (the original closure was late-binding)."
            )

    def is_self(self, free: FreeName) -> bool:
        bindings = free.resolved.bindings
        if len(bindings) != 1 or bindings[0].kind != "param":
            return False
        fn = bindings[0].stmt
        if not isinstance(fn, (ast.FunctionDef, ast.AsyncFunctionDef)):
            return False
        positional = [*fn.args.posonlyargs, *fn.args.args]
        owner = self.ctx.scopes.enclosing(fn)
        return (
            owner.kind == "class"
            and bool(positional)
            and positional[0] is bindings[0].node
        )

    def self_attributes(self, free: FreeName) -> list[tuple[ast.expr, str, str]]:
        chains = self.attribute_chains(free)
        at = free.uses[0]
        for use, chain in zip(free.uses, chains):
            if chain is None:
                parent = self.ctx.scopes.parent(use)
                what = (
                    f"calls `{free.name}.{parent.attr}()`"
                    if isinstance(parent, ast.Attribute)
                    else f"uses `{free.name}` itself"
                )
                raise self.ctx.refuse(
                    use,
                    codes.MUTABLE_SELF,
                    f"the Lambda {what}; the builder object cannot be stored in a layer config",
                    "read plain attributes only, or move the method to module level",
                )
        owner = self.ctx.scopes.enclosing(free.resolved.bindings[0].stmt).node
        mutated = self.mutated_attributes(owner, free.name)
        for chain in chains:
            first = chain
            while isinstance(first.value, ast.Attribute):
                first = first.value
            if first.attr in mutated:
                raise self.ctx.refuse(
                    at,
                    codes.MUTABLE_SELF,
                    f"`{free.name}.{first.attr}` is reassigned outside __init__ (line {mutated[first.attr]}); its value when the model runs is not fixed",
                    "pass the value explicitly with `arguments=`",
                )
        return self.chain_args(free, "``{text}`` of the builder")

    @staticmethod
    def mutated_attributes(cls: ast.ClassDef, self_name: str) -> dict[str, int]:
        out = {}
        for method in cls.body:
            if (
                not isinstance(method, (ast.FunctionDef, ast.AsyncFunctionDef))
                or method.name == "__init__"
            ):
                continue
            for node in ast.walk(method):
                targets = []
                if isinstance(node, ast.Assign):
                    targets = node.targets
                elif isinstance(node, (ast.AugAssign, ast.AnnAssign)):
                    targets = [node.target]
                for t in targets:
                    if (
                        isinstance(t, ast.Attribute)
                        and isinstance(t.value, ast.Name)
                        and t.value.id == self_name
                    ):
                        out.setdefault(t.attr, node.lineno)
        return out

    def is_tensor(self, name: str, scope: Scope, bindings, depth: int) -> bool:
        if depth > 6:
            return False
        for b in bindings:
            if b.kind in ("assign", "namedexpr") and self.tensor_expr(
                b.value, scope, depth
            ):
                return True
            if b.kind == "param" and self.tensor_argument(b, depth):
                return True
        return self.used_as_layer_input(name, scope.node)

    def tensor_argument(self, param: Binding, depth: int) -> bool:
        """A parameter is a tensor if a call of its function in this file passes one
        (``def up_block(x, skip)`` called as ``up_block(d, skip)``)."""
        fn = param.stmt
        if not isinstance(fn, (ast.FunctionDef, ast.AsyncFunctionDef)):
            return False
        names = [a.arg for a in [*fn.args.posonlyargs, *fn.args.args]]
        if param.node.arg not in names:
            return False
        index = names.index(param.node.arg)
        for node in self.ctx.scopes.nodes:
            if not (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Name)
                and node.func.id == fn.name
            ):
                continue
            given = node.args[index] if index < len(node.args) else None
            given = given or next(
                (k.value for k in node.keywords if k.arg == param.node.arg), None
            )
            if given is not None and self.tensor_expr(
                given, self.ctx.scopes.enclosing(node), depth + 1
            ):
                return True
        return False

    def tensor_expr(self, value: ast.expr | None, scope: Scope, depth: int) -> bool:
        if value is None:
            return False
        if self.ctx.is_input(value):
            return True
        if isinstance(value, ast.Call):
            if isinstance(value.func, ast.Call):
                return True  # Layer(...)(x)
            func = value.func
            called = (
                func.attr
                if isinstance(func, ast.Attribute)
                else func.id if isinstance(func, ast.Name) else ""
            )
            if called in _PLAIN_VALUE_CALLS:
                return False  # K.int_shape(x)[-1], len(xs): plain Python values
            return any(self.tensor_expr(a, scope, depth + 1) for a in value.args)
        if isinstance(value, ast.BinOp):
            return self.tensor_expr(value.left, scope, depth + 1) or self.tensor_expr(
                value.right, scope, depth + 1
            )
        if isinstance(value, (ast.Subscript, ast.UnaryOp)):
            inner = value.value if isinstance(value, ast.Subscript) else value.operand
            return self.tensor_expr(inner, scope, depth + 1)
        if isinstance(value, (ast.List, ast.Tuple)):
            return any(self.tensor_expr(e, scope, depth + 1) for e in value.elts)
        if isinstance(value, ast.Attribute) and value.attr in ("output", "input"):
            return True
        if isinstance(value, ast.Name):
            res = self.ctx.scopes.lookup(value.id, scope)
            if res.scope is None or res.scope is self.ctx.scopes.module:
                return False
            return self.is_tensor(value.id, res.scope, res.bindings, depth + 1)
        return False

    def used_as_layer_input(self, name: str, scope_node: ast.AST) -> bool:
        for node in self.ctx.scopes.walk(scope_node):
            if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Call)):
                continue
            for arg in node.args:
                items = arg.elts if isinstance(arg, (ast.List, ast.Tuple)) else [arg]
                if any(isinstance(i, ast.Name) and i.id == name for i in items):
                    return True
        return False

    # -- output_shape= and mask= ------------------------------------------------------
    def output_shape_method(self, node: ast.expr) -> Method:
        pre = ("input_shape = input_shape[0]",) if self.out.extra_inputs else ()
        if isinstance(node, (ast.Tuple, ast.List)):
            batch = "batch_size = _batch_dim(input_shape)"
            if all(
                isinstance(e, ast.Constant)
                and (e.value is None or type(e.value) is int)
                for e in node.elts
            ):
                dims = ", ".join(["batch_size"] + [repr(e.value) for e in node.elts])
                return Method(
                    ("input_shape",),
                    (
                        *pre,
                        batch,
                        (
                            f"return ({dims})"
                            if len(node.elts)
                            else "return (batch_size,)"
                        ),
                    ),
                )
            if any(isinstance(e, (ast.Tuple, ast.List)) for e in node.elts):
                shapes = []
                for e in node.elts:
                    if not (
                        isinstance(e, (ast.Tuple, ast.List))
                        and all(
                            isinstance(d, ast.Constant)
                            and (d.value is None or type(d.value) is int)
                            for d in e.elts
                        )
                    ):
                        raise self.ctx.refuse(
                            node,
                            codes.UNSUPPORTED_ARGUMENT,
                            "`output_shape=` for several outputs must be literal shapes",
                            "drop output_shape= if Keras can infer it",
                        )
                    shapes.append(
                        "("
                        + ", ".join(["batch_size"] + [repr(d.value) for d in e.elts])
                        + ",)"
                    )
                return Method(
                    ("input_shape",), (*pre, batch, f"return [{', '.join(shapes)}]")
                )
            arg = self.out.arg(
                "output_dims",
                self.ctx.src.segment(node),
                "``output_shape`` of the Lambda (without the batch dimension)",
                _is_json_literal(node),
            )
            return Method(
                ("input_shape",),
                (*pre, batch, f"return (batch_size,) + tuple(self.{arg.param})"),
            )
        if isinstance(node, ast.Lambda):
            method = self.inline_method(node, "input_shape", {}, role="shape")
            first = [*node.args.posonlyargs, *node.args.args][0].arg
            lines = (
                (*pre, f"{first} = input_shape", *method.lines)
                if first != "input_shape" or pre
                else method.lines
            )
            return Method(("input_shape",), lines)
        definition, text, _ = self.named_function(node)
        if definition is not None and definition not in self.ctx.tree.body:
            raise self.ctx.refuse(
                node,
                codes.UNSUPPORTED_FUNCTION,
                "output_shape= is a nested function",
                "move it to module level",
            )
        return Method(("input_shape",), (*pre, f"return {text}(input_shape)"))

    def mask_method(self, node: ast.expr) -> Method:
        pre = ()
        if self.out.extra_inputs:
            pre = ("inputs = inputs[0]", "mask = None if mask is None else mask[0]")
        if isinstance(node, ast.Lambda):
            params = [p.arg for p in [*node.args.posonlyargs, *node.args.args]]
            if len(params) != 2:
                raise self.ctx.refuse(
                    node,
                    codes.UNSUPPORTED_SIGNATURE,
                    "mask= function must take (inputs, mask)",
                    "",
                )
            saved = list(self.out.extra_inputs)
            self.out.extra_inputs.clear()
            try:
                replacements = self.free_names(node)
                captured = list(self.out.extra_inputs)
            finally:
                self.out.extra_inputs[:] = saved
            if captured:
                raise self.ctx.refuse(
                    node,
                    codes.UNSUPPORTED_ARGUMENT,
                    f"the mask= function captures the tensor `{captured[0]}`, which compute_mask cannot receive",
                    "compute the mask from inputs and mask only",
                )
            rename = (
                []
                if params == ["inputs", "mask"]
                else [f"{params[0]}, {params[1]} = inputs, mask"]
            )
            body = self.body_text(node, replacements)
            prelude = [
                f"{local} = self.{param}"
                for local, param in self.locals_for_args(replacements)
            ]
            return Method(("inputs", "mask=None"), (*pre, *rename, *prelude, *body))
        if isinstance(node, (ast.Name, ast.Attribute)):
            definition, text, _ = self.named_function(node)
            return Method(
                ("inputs", "mask=None"), (*pre, f"return {text}(inputs, mask)")
            )
        raise self.ctx.refuse(
            node,
            codes.UNSUPPORTED_ARGUMENT,
            "`mask=` is not a function",
            "compute the mask in a function of (inputs, mask)",
        )


def resolve_site(ctx: Context, site: LambdaSite) -> Resolution:
    try:
        return Resolution(site, SiteResolver(ctx, site).resolve(), None)
    except Refused as refused:
        return Resolution(site, None, refused.refusal)
