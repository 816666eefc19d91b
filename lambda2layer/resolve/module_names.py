"""Module-level names a Lambda uses: imports kept, helpers and constants moved,
the rest refused."""

from __future__ import annotations

import ast

from lambda2layer.diagnostics import Why
from lambda2layer.resolve.collector import Collector
from lambda2layer.resolve.constants import is_constant
from lambda2layer.resolve.context import Context, chain_root
from lambda2layer.resolve.records import KeptImport, MovedDefinition
from lambda2layer.scope import BUILTIN_NAMES, Binding, Bound, Resolved


def assign_targets(stmt: ast.Assign | ast.AnnAssign) -> list[ast.expr]:
    return stmt.targets if isinstance(stmt, ast.Assign) else [stmt.target]


def _import_root(binding: Binding) -> str:
    stmt, alias = binding.stmt, binding.node
    if isinstance(stmt, ast.Import):
        return alias.asname and alias.name or alias.name.split(".")[0]
    return "." * stmt.level + (stmt.module or "") + "." + alias.name


class ModuleResolver:
    def __init__(self, ctx: Context, out: Collector):
        self.ctx = ctx
        self.out = out

    def import_fallback(self, res: Resolved) -> ast.Try | ast.If | None:
        """``try: import a as x / except ImportError: import b as x``, or ``if TF:
        import a as x / else: import b as x``, at top level: one binding."""
        if len(res.bindings) < 2 or not all(
            b.kind is Bound.IMPORT for b in res.bindings
        ):
            return None
        tries = set()
        for b in res.bindings:
            found = next(
                (
                    a
                    for a in self.ctx.scopes.ancestors(b.stmt)
                    if isinstance(a, (ast.Try, ast.If))
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
            and all(b.kind is Bound.IMPORT for b in res.bindings)
            and len({_import_root(b) for b in res.bindings}) == 1
        ):
            return res.bindings[
                0
            ]  # ``import keras`` and ``import keras.ops``: one module
        if len(res.bindings) != 1 or res.bindings[0].kind not in (
            Bound.IMPORT,
            Bound.DEF,
            Bound.ASSIGN,
            Bound.CLASS,
        ):
            lines = ", ".join(self.ctx.where(b) for b in res.bindings)
            raise self.ctx.refuse(at, Why.BOUND_TWICE, name=name, lines=lines)
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
        if binding.kind is Bound.IMPORT:
            fallback = self.import_fallback(res)
            if fallback is not None:  # the generated module tries the same imports
                if isinstance(fallback, ast.If):  # and tests the same condition
                    self.keep_in_place(fallback.test, at)
                text = self.ctx.src.definition_text(fallback)
                self.out.imports.setdefault(
                    text, KeptImport(name, text, fallback.lineno)
                )
                return
            for b in res.bindings:
                self.out.keep_import(name, b)
        elif binding.kind is Bound.DEF:
            self.move_function(binding.node, at)
        elif binding.kind is Bound.ASSIGN and is_constant(
            self.ctx, binding.value, set()
        ):
            self.move_constant(name, binding, at)
        elif binding.kind is Bound.ASSIGN and self.module_alias(binding) is not None:
            # ``K = keras.backend``: the generated module binds it the same way
            root = self.module_alias(binding)
            self.need(root, at)
            text = self.ctx.src.segment(binding.stmt)
            self.out.imports.setdefault(
                text, KeptImport(name, text, binding.stmt.lineno)
            )
        elif binding.kind is Bound.CLASS:
            raise self.ctx.refuse(
                at, Why.MODULE_CLASS, name=name, where=self.ctx.where(binding)
            )
        else:
            self.refuse_object(name, binding, at)

    def keep_in_place(self, test: ast.expr, at: ast.AST) -> None:
        """The names a conditional import tests (``if USE_TF:``), bound in the
        generated module above it: a constant's statement keeps its place among the
        imports (a moved constant would come after them)."""
        for node in ast.walk(test):
            if not isinstance(node, ast.Name) or node.id in self.out.done:
                continue
            res = self.ctx.scopes.lookup(node.id, self.ctx.scopes.module)
            if (
                len(res.bindings) == 1
                and res.bindings[0].kind is Bound.ASSIGN
                and is_constant(self.ctx, res.bindings[0].value, set())
                and self.movable(res.bindings[0])
            ):
                stmt = res.bindings[0].stmt
                text = self.ctx.src.segment(stmt)
                self.out.done.add(node.id)
                self.out.imports.setdefault(
                    text, KeptImport(node.id, text, stmt.lineno)
                )
            else:
                self.need(node.id, at)

    def module_alias(self, binding: Binding) -> str | None:
        """The imported module ``binding`` names an attribute of, when it is a
        module-level ``NAME = module.attr.chain`` on a line of its own (``K =
        keras.backend``, ``KL = tf.keras.layers``); None for anything else."""
        stmt, value = binding.stmt, binding.value
        if not (
            isinstance(stmt, ast.Assign)
            and stmt in self.ctx.tree.body
            and len(stmt.targets) == 1
            and isinstance(stmt.targets[0], ast.Name)
            and isinstance(value, ast.Attribute)
            and self.ctx.src.stands_alone(stmt)
        ):
            return None
        root = chain_root(value)
        if not isinstance(root, ast.Name):
            return None
        res = self.ctx.scopes.lookup(root.id, self.ctx.scopes.module)
        if not res.bindings or any(b.kind is not Bound.IMPORT for b in res.bindings):
            return None
        return root.id

    def builtin_or_refuse(self, name: str, at: ast.AST) -> None:
        if name in BUILTIN_NAMES:
            return
        why = Why.UNDEFINED_STAR_IMPORT if self.ctx.has_star_import else Why.UNDEFINED
        raise self.ctx.refuse(at, why, name=name)

    def refuse_object(self, name: str, binding: Binding, at: ast.AST) -> None:
        where = self.ctx.where(binding)
        if self.ctx.is_unpicklable(binding.value):
            raise self.ctx.refuse(
                at,
                Why.MODULE_UNPICKLABLE,
                name=name,
                where=where,
                call=self.ctx.qualified_call(binding.value),
            )
        if self.ctx.is_layer_construction(binding.value):
            raise self.ctx.refuse(at, Why.MODULE_LAYER, name=name, where=where)
        raise self.ctx.refuse(at, Why.MODULE_OBJECT, name=name, where=where)

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
            for t in assign_targets(stmt)
            for n in self.ctx.scopes.walk(t)
            if not isinstance(n, (ast.Load, ast.Store))
        )

    def move_constant(self, name: str, binding: Binding, at: ast.AST) -> None:
        stmt = binding.stmt
        if not self.movable(binding):
            raise self.ctx.refuse(
                at, Why.CONSTANT_NOT_ALONE, name=name, where=self.ctx.where(binding)
            )
        bound = [
            n.id
            for t in assign_targets(stmt)
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
                    Why.HELPER_GLOBAL,
                    name=fn.name,
                    line=fn.lineno,
                    names=", ".join(node.names),
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
                        target = chain_root(t)
            if isinstance(target, ast.Name) and target.id in free_ids:
                raise self.ctx.refuse(
                    at,
                    Why.HELPER_MUTATES,
                    name=fn.name,
                    line=fn.lineno,
                    target=target.id,
                )
        for item in free:
            if (
                item.resolved.scope is not None
                and item.resolved.scope is not self.ctx.scopes.module
            ):
                continue
            self.need(item.name, at)
