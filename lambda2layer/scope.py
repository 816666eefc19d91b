"""Python scopes of one module: what each name is bound to, and free variables.

A small, explicit model of Python's scoping rules (function, lambda, class and
comprehension scopes; ``global``/``nonlocal``; walrus targets; defaults and
decorators evaluated outside the function) that keeps the AST nodes of every
binding, which ``symtable`` does not.
"""

from __future__ import annotations

import ast
import builtins
import functools
from dataclasses import dataclass, field
from enum import Enum
from typing import Callable

BUILTIN_NAMES = frozenset(dir(builtins))
_COMPREHENSIONS = (ast.ListComp, ast.SetComp, ast.GeneratorExp, ast.DictComp)
_FUNCTIONS = (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)
SCOPE_NODES = _FUNCTIONS + _COMPREHENSIONS + (ast.ClassDef, ast.Module)


def positional(args: ast.arguments) -> list[ast.arg]:
    """A function's positional parameters, positional-only ones first."""
    return [*args.posonlyargs, *args.args]


def positional_names(args: ast.arguments) -> list[str]:
    return [p.arg for p in positional(args)]


def defaults(args: ast.arguments) -> dict[str, ast.expr]:
    """Each parameter that has a default, and its default."""
    params = positional_names(args)
    out = dict(zip(params[len(params) - len(args.defaults) :], args.defaults))
    out.update(
        {p.arg: d for p, d in zip(args.kwonlyargs, args.kw_defaults) if d is not None}
    )
    return out


class Bound(Enum):
    """How a name gets bound."""

    PARAM = "param"  # a parameter of a function or lambda
    ASSIGN = "assign"  # ``x = ...``, ``x: T = ...``, a tuple target of one
    AUGASSIGN = "augassign"
    FOR = "for"  # a ``for`` target
    COMPREHENSION = "comprehension"  # a comprehension's target
    IMPORT = "import"
    DEF = "def"
    CLASS = "class"
    NAMEDEXPR = "namedexpr"  # ``(x := ...)``
    OTHER = "other"  # ``with ... as``, ``except ... as``, ``match`` captures, ``del``


class ScopeKind(Enum):
    MODULE = "module"
    FUNCTION = "function"
    LAMBDA = "lambda"
    CLASS = "class"
    COMPREHENSION = "comprehension"


@dataclass(frozen=True, slots=True)
class Binding:
    """One place where a name gets bound."""

    kind: Bound
    node: ast.AST  # the arg, alias, def, or the binding statement/expression
    value: ast.expr | None = None  # right-hand side of a simple assignment
    stmt: ast.AST | None = None  # import statement of an alias; function of a param


@dataclass(eq=False)
class Scope:
    kind: ScopeKind
    node: ast.AST
    parent: "Scope | None"
    bindings: dict[str, list[Binding]] = field(default_factory=dict)
    declared_global: set[str] = field(default_factory=set)

    def bind(self, name: str, binding: Binding) -> None:
        scope = self
        if name in self.declared_global:  # ``global X; X = ...`` rebinds the module's X
            while scope.parent is not None:
                scope = scope.parent
        scope.bindings.setdefault(name, []).append(binding)

    def is_within(self, other: "Scope") -> bool:
        scope: Scope | None = self
        while scope is not None:
            if scope is other:
                return True
            scope = scope.parent
        return False

    def function_scope(self) -> "Scope":
        """Nearest enclosing scope that is not a comprehension (walrus targets land there)."""
        scope = self
        while scope.kind is ScopeKind.COMPREHENSION and scope.parent is not None:
            scope = scope.parent
        return scope


@dataclass(frozen=True, slots=True)
class Resolved:
    scope: Scope | None  # None: builtin or undefined
    bindings: tuple[Binding, ...]


@dataclass(frozen=True, slots=True)
class FreeName:
    """A name a function reads but does not bind, with every place it is read."""

    name: str
    uses: tuple[ast.Name, ...]
    resolved: Resolved


Flat = tuple[list[ast.AST], dict[ast.AST, ast.AST], dict[ast.AST, list[ast.AST]]]


def flatten(tree: ast.AST) -> Flat:
    """Every node (breadth first, like ``ast.walk``), each node's parent and each
    node's children, in one traversal; later walks reuse the children."""
    nodes = [tree]
    parents: dict[ast.AST, ast.AST] = {}
    children: dict[ast.AST, list[ast.AST]] = {}
    AST = ast.AST
    for node in nodes:  # grows while it is read: breadth first
        kids = []
        for name in node._fields:
            value = getattr(node, name, None)
            if isinstance(value, list):
                kids.extend(item for item in value if isinstance(item, AST))
            elif isinstance(value, AST):
                kids.append(value)
        if kids:
            children[node] = kids
            for kid in kids:
                parents[kid] = node
            nodes.extend(kids)
    return nodes, parents, children


class ModuleScopes:
    def __init__(
        self,
        tree: ast.Module,
        flat: Flat | None = None,
    ):
        self.tree = tree
        self.nodes, self._parents, self._children = flat or flatten(tree)
        self._scopes: dict[ast.AST, Scope] = {}
        self.module = Scope(ScopeKind.MODULE, tree, None)
        self._scopes[tree] = self.module
        _Binder(self).visit_body(tree.body, self.module)

    # -- structure -----------------------------------------------------------
    def walk(self, node: ast.AST) -> list[ast.AST]:
        """``ast.walk(node)``, same order, from the children found once."""
        if node not in self._children and node not in self._parents:
            return list(ast.walk(node))  # not part of this tree (a made-up node)
        out = [node]
        children = self._children
        for item in out:
            kids = children.get(item)
            if kids:
                out.extend(kids)
        return out

    def children(self, node: ast.AST) -> list[ast.AST]:
        kids = self._children.get(node)
        if kids is None and node not in self._parents and node is not self.tree:
            return list(ast.iter_child_nodes(node))  # a made-up node
        return kids or []

    def parent(self, node: ast.AST) -> ast.AST | None:
        return self._parents.get(node)

    def ancestors(self, node: ast.AST):
        node = self._parents.get(node)
        while node is not None:
            yield node
            node = self._parents.get(node)

    def scope_of(self, node: ast.AST) -> Scope:
        """The scope a scope-creating node opens."""
        return self._scopes[node]

    def enclosing(self, node: ast.AST) -> Scope:
        """The scope in which ``node`` is evaluated."""
        path = [node]
        for anc in self.ancestors(node):
            if anc in self._scopes and self._inside(anc, path):
                return self._scopes[anc]
            path.append(anc)
        return self.module

    @staticmethod
    def _inside(scope_node: ast.AST, path: list[ast.AST]) -> bool:
        child = path[-1]
        if isinstance(scope_node, ast.Lambda):
            return child is scope_node.body
        if isinstance(
            scope_node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)
        ):
            return child in scope_node.body
        if isinstance(scope_node, _COMPREHENSIONS):
            first = scope_node.generators[0]
            return not (child is first and len(path) >= 2 and path[-2] is first.iter)
        return True

    # -- lookups ---------------------------------------------------------------
    def lookup(self, name: str, scope: Scope) -> Resolved:
        current: Scope | None = scope
        first = True
        while current is not None:
            if name in current.declared_global:
                current = self.module
                first = True
                continue
            if (
                first or current.kind is not ScopeKind.CLASS
            ) and name in current.bindings:
                return Resolved(current, tuple(current.bindings[name]))
            first = False
            current = current.parent
        return Resolved(None, ())

    def free_names(
        self, fn: ast.AST, extra: tuple[ast.AST, ...] = ()
    ) -> list[FreeName]:
        """Names read inside function/lambda ``fn`` that are bound outside it.

        ``extra`` nodes (decorators, defaults) are evaluated in the enclosing
        scope and are included as reads from there."""
        own = self._scopes[fn]
        uses: dict[str, list[ast.Name]] = {}
        resolved: dict[str, Resolved] = {}
        roots = [fn.body] if isinstance(fn, ast.Lambda) else list(fn.body)
        for root in [*roots, *extra]:
            for node in self.walk(root):
                if not (isinstance(node, ast.Name) and isinstance(node.ctx, ast.Load)):
                    continue
                where = self.lookup(node.id, self.enclosing(node))
                if where.scope is not None and where.scope.is_within(own):
                    continue
                uses.setdefault(node.id, []).append(node)
                resolved[node.id] = where
        return [FreeName(n, tuple(u), resolved[n]) for n, u in uses.items()]


def _unpacked(
    target: ast.Tuple | ast.List, value: ast.expr | None
) -> list[ast.expr | None]:
    """The value each name of ``a, b = ...`` gets, where the source says it plainly:
    ``a, b = 1, 2`` or ``h, w = SIZE`` (then ``SIZE[0]``, ``SIZE[1]``)."""
    n = len(target.elts)
    if value is None or any(isinstance(e, ast.Starred) for e in target.elts):
        return [None] * n
    if isinstance(value, (ast.Tuple, ast.List)):
        if len(value.elts) == n and not any(
            isinstance(e, ast.Starred) for e in value.elts
        ):
            return list(value.elts)
        return [None] * n
    if isinstance(value, ast.Name):
        items = []
        for i, elt in enumerate(target.elts):
            item = ast.Subscript(
                value=ast.Name(value.id, ast.Load()),
                slice=ast.Constant(i),
                ctx=ast.Load(),
            )
            items.append(ast.copy_location(item, value))
        return items
    return [None] * n


@functools.cache
def _visitor(kind: type) -> Callable:
    """The _Binder method for a node type (its own, or the walk over children)."""
    return getattr(_Binder, "visit_" + kind.__name__, _Binder.visit_children)


class _Binder:
    """Walks the tree once, opening scopes and recording bindings."""

    def __init__(self, scopes: ModuleScopes):
        self.scopes = scopes

    def open(self, kind: ScopeKind, node: ast.AST, parent: Scope) -> Scope:
        scope = Scope(kind, node, parent)
        self.scopes._scopes[node] = scope
        return scope

    def visit_body(self, body, scope: Scope) -> None:
        for stmt in body:
            self.visit(stmt, scope)

    def bind_target(self, target: ast.AST, scope: Scope, binding: Binding) -> None:
        if isinstance(target, ast.Name):
            scope.bind(target.id, binding)
        elif isinstance(target, (ast.Tuple, ast.List)):
            values = _unpacked(target, binding.value)
            for elt, value in zip(target.elts, values):
                self.bind_target(
                    elt, scope, Binding(binding.kind, binding.node, value, binding.stmt)
                )
        elif isinstance(target, ast.Starred):
            self.bind_target(target.value, scope, binding)
        else:  # attribute / subscript targets read names
            self.visit(target, scope)

    def bind_params(self, args: ast.arguments, fn: ast.AST, scope: Scope) -> None:
        every = [*args.posonlyargs, *args.args, *args.kwonlyargs]
        every += [a for a in (args.vararg, args.kwarg) if a is not None]
        for arg in every:
            scope.bind(arg.arg, Binding(Bound.PARAM, arg, None, fn))

    def visit(self, node: ast.AST, scope: Scope) -> None:
        _visitor(type(node))(self, node, scope)

    def visit_children(self, node: ast.AST, scope: Scope) -> None:
        for child in self.scopes.children(node):
            self.visit(child, scope)

    def visit_FunctionDef(self, node, scope: Scope) -> None:
        scope.bind(node.name, Binding(Bound.DEF, node))
        for outer in [
            *node.decorator_list,
            *node.args.defaults,
            *node.args.kw_defaults,
        ]:
            if outer is not None:
                self.visit(outer, scope)
        inner = self.open(ScopeKind.FUNCTION, node, scope)
        self.bind_params(node.args, node, inner)
        self.visit_body(node.body, inner)

    visit_AsyncFunctionDef = visit_FunctionDef

    def visit_Lambda(self, node: ast.Lambda, scope: Scope) -> None:
        for outer in [*node.args.defaults, *node.args.kw_defaults]:
            if outer is not None:
                self.visit(outer, scope)
        inner = self.open(ScopeKind.LAMBDA, node, scope)
        self.bind_params(node.args, node, inner)
        self.visit(node.body, inner)

    def visit_ClassDef(self, node: ast.ClassDef, scope: Scope) -> None:
        scope.bind(node.name, Binding(Bound.CLASS, node))
        for outer in [*node.decorator_list, *node.bases, *node.keywords]:
            self.visit(outer, scope)
        inner = self.open(ScopeKind.CLASS, node, scope)
        self.visit_body(node.body, inner)

    def _comprehension(self, node, scope: Scope) -> None:
        self.visit(node.generators[0].iter, scope)
        inner = self.open(ScopeKind.COMPREHENSION, node, scope)
        for i, gen in enumerate(node.generators):
            if i:
                self.visit(gen.iter, inner)
            self.bind_target(
                gen.target, inner, Binding(Bound.COMPREHENSION, gen, None, node)
            )
            for cond in gen.ifs:
                self.visit(cond, inner)
        for part in ("elt", "key", "value"):
            if hasattr(node, part):
                self.visit(getattr(node, part), inner)

    visit_ListComp = visit_SetComp = visit_GeneratorExp = visit_DictComp = (
        _comprehension
    )

    def visit_Assign(self, node: ast.Assign, scope: Scope) -> None:
        self.visit(node.value, scope)
        for target in node.targets:
            self.bind_target(
                target, scope, Binding(Bound.ASSIGN, node, node.value, node)
            )

    def visit_AnnAssign(self, node: ast.AnnAssign, scope: Scope) -> None:
        self.visit(node.annotation, scope)
        if node.value is not None:
            self.visit(node.value, scope)
            self.bind_target(
                node.target, scope, Binding(Bound.ASSIGN, node, node.value, node)
            )

    def visit_AugAssign(self, node: ast.AugAssign, scope: Scope) -> None:
        self.visit(node.value, scope)
        if isinstance(node.target, ast.Name):
            scope.bind(node.target.id, Binding(Bound.AUGASSIGN, node, None, node))
        else:
            self.visit(node.target, scope)

    def visit_For(self, node, scope: Scope) -> None:
        self.visit(node.iter, scope)
        self.bind_target(node.target, scope, Binding(Bound.FOR, node, None, node))
        self.visit_body(node.body, scope)
        self.visit_body(node.orelse, scope)

    visit_AsyncFor = visit_For

    def visit_NamedExpr(self, node: ast.NamedExpr, scope: Scope) -> None:
        self.visit(node.value, scope)
        scope.function_scope().bind(
            node.target.id, Binding(Bound.NAMEDEXPR, node, node.value, node)
        )

    def visit_Import(self, node, scope: Scope) -> None:
        for alias in node.names:
            if alias.name == "*":
                continue
            name = alias.asname or alias.name.split(".")[0]
            scope.bind(name, Binding(Bound.IMPORT, alias, None, node))

    visit_ImportFrom = visit_Import

    def visit_Global(self, node: ast.Global, scope: Scope) -> None:
        scope.declared_global.update(node.names)

    def visit_withitem(self, node: ast.withitem, scope: Scope) -> None:
        self.visit(node.context_expr, scope)
        if node.optional_vars is not None:
            self.bind_target(node.optional_vars, scope, Binding(Bound.OTHER, node))

    def visit_ExceptHandler(self, node: ast.ExceptHandler, scope: Scope) -> None:
        if node.type is not None:
            self.visit(node.type, scope)
        if node.name:
            scope.bind(node.name, Binding(Bound.OTHER, node))
        self.visit_body(node.body, scope)

    def _match_name(self, node, scope: Scope) -> None:
        name = getattr(node, "name", None) or getattr(node, "rest", None)
        if name:
            scope.bind(name, Binding(Bound.OTHER, node))
        for child in ast.iter_child_nodes(node):
            self.visit(child, scope)

    visit_MatchAs = visit_MatchStar = visit_MatchMapping = _match_name

    def visit_Delete(self, node: ast.Delete, scope: Scope) -> None:
        for target in node.targets:
            if isinstance(target, ast.Name):
                scope.bind(target.id, Binding(Bound.OTHER, node))
            else:
                self.visit(target, scope)
