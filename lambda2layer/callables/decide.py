"""One serialized callable -> a draft (what the generated module defines, what the
site becomes) or a refusal. The free variables are decided by the resolver's own
machinery (``resolve.free_vars``), with the same outcomes as for a Lambda body: module
constants and parameters become values in a config, helpers and constants move,
layers, unpicklable objects and tensors are refused."""

from __future__ import annotations

import ast
from dataclasses import replace

from lambda2layer.callables.records import (
    CallableDeclined,
    CallableResolution,
    CallableSite,
    Draft,
    Drafted,
)
from lambda2layer.diagnostics import Why
from lambda2layer.extract import LambdaSite
from lambda2layer.resolve import Context, Refusal
from lambda2layer.resolve.bodies import body_text, locals_for_args
from lambda2layer.resolve.context import is_json_literal
from lambda2layer.resolve.free_vars import free_names
from lambda2layer.resolve.records import Code, Refused, prose, reworded
from lambda2layer.resolve.state import SiteState
from lambda2layer.scope import Bound, defaults, positional, positional_names

_DEFS = (ast.FunctionDef, ast.AsyncFunctionDef)
_MUTATORS = frozenset(
    "append extend insert pop remove clear update setdefault add discard popitem".split()
)


def decide(ctx: Context, site: CallableSite) -> CallableResolution:
    state = SiteState(
        ctx,
        LambdaSite(
            site.call, None, site.value, None, None, None, (), None, None, False
        ),
    )
    try:
        return Drafted(site, _Decider(state, site).draft())
    except Refused as refused:
        r = (
            refused.refusal
        )  # the resolver speaks of "the Lambda": here it is the callable
        message = r.message.replace("the Lambda", f"the {site.kind}")
        hint = r.hint.replace("the Lambda", "the function")
        return CallableDeclined(site, replace(r, message=message, hint=hint))


class _Decider:
    def __init__(self, state: SiteState, site: CallableSite):
        self.state = state
        self.ctx = state.ctx
        self.site = site

    def refuse(self, node: ast.AST, why: Why, **params: object) -> Refused:
        return self.ctx.refuse(node, why, kind=self.site.kind, **params)

    def draft(self) -> Draft:
        value = self.site.value
        target = value.func if isinstance(value, ast.Call) else value
        if self.site.imported_from is not None:
            name = ast.unparse(target)
            module = self.site.imported_from
            raise self.refuse(
                value, Why.CALLABLE_FROM_PROJECT, name=name, module=module
            )
        if self.site.attribute is not None:
            what = self.site.attribute
            name = ast.unparse(target)
            raise self.refuse(
                value, Why.CALLABLE_THROUGH_ATTRIBUTE, name=name, what=what
            )
        if isinstance(value, ast.Lambda):
            return self.inline(value, self.hint(), lambda_=True)
        if isinstance(value, ast.Call):
            return self.factory(value)
        return self.named(value)

    def hint(self) -> str:
        """A name for what replaces a lambda: the output it is keyed by, else the
        keyword (``kernel_regularizer``; ``metric`` for ``metrics=``)."""
        site = self.site
        if site.key and site.key.isidentifier():
            return site.key
        return "metric" if site.role == "metric" else site.keyword

    # -- a name: a def of this file, or a name bound to a lambda -----------------

    def named(self, node: ast.Name) -> Draft:
        res = self.ctx.scopes.lookup(node.id, self.state.site_scope)
        if len(res.bindings) != 1:
            lines = ", ".join(self.ctx.where(b) for b in res.bindings)
            raise self.refuse(node, Why.CALLABLE_BOUND_TWICE, name=node.id, lines=lines)
        binding = res.bindings[0]
        if binding.kind is Bound.ASSIGN:  # ``act = lambda x: ...``
            return self.inline(binding.value, node.id, lambda_=True)
        fn = binding.node
        if fn.decorator_list:
            raise self.refuse(
                node, Why.CALLABLE_DECORATED, name=fn.name, line=fn.lineno
            )
        if fn not in self.ctx.tree.body:
            return self.inline(fn, fn.name, lambda_=False)
        self.check_defaults(fn)
        self.state.modules.move_function(fn, node)  # registered, moved, imported back
        out = self.state.out
        return Draft(
            site=self.site,
            name_hint=fn.name,
            snippet=fn.name,
            params="",
            body=(),
            bindings=(),
            args=(),
            imports=tuple(out.imports.values()),
            moved=tuple(out.moved.values()),
            warnings=tuple(out.warnings),
            moved_def=fn.name,
        )

    # -- a lambda or a nested def: its body is copied -----------------------------

    def inline(self, fn, hint: str, lambda_: bool, factory: ast.AST | None = None):
        if isinstance(fn, _DEFS) and fn.decorator_list:
            raise self.refuse(fn, Why.CALLABLE_DECORATED, name=fn.name, line=fn.lineno)
        self.check_defaults(fn)
        for node in self.ctx.scopes.walk(fn):
            if isinstance(node, (ast.Global, ast.Nonlocal)):
                statement = "global" if isinstance(node, ast.Global) else "nonlocal"
                raise self.refuse(
                    node,
                    Why.CALLABLE_NONLOCAL,
                    statement=statement,
                    names=", ".join(node.names),
                )
        self.check_mutations(fn)
        replacements = free_names(self.state, fn)
        out = self.state.out
        if out.extra_inputs:
            raise self.refuse(
                fn,
                Why.CALLABLE_TENSOR,
                tensors=", ".join(f"`{n}`" for n in out.extra_inputs),
            )
        args = tuple(
            replace(a, origin=reworded(a.origin, "the Lambda", f"the {self.site.kind}"))
            for a in out.ctor.values()
        )
        if factory is not None:
            args = self.factory_values(factory, fn, args)
        if factory is not None:
            snippet = self.ctx.src.segment(self.site.value)
        else:
            snippet = self.ctx.src.segment(fn) if lambda_ else fn.name
        return Draft(
            site=self.site,
            name_hint=f"{hint}_fn" if lambda_ and factory is None else hint,
            snippet=snippet,
            params=ast.unparse(fn.args),
            body=body_text(self.state, fn, replacements),
            bindings=tuple(locals_for_args(self.state, replacements)),
            args=args,
            imports=tuple(out.imports.values()),
            moved=tuple(out.moved.values()),
            warnings=tuple(out.warnings),
            nested=None if lambda_ or factory is not None else fn,
            factory=factory.name if factory is not None else None,
        )

    def check_defaults(self, fn) -> None:
        for name, default in defaults(fn.args).items():
            if not is_json_literal(default):
                raise self.refuse(default, Why.CALLABLE_DEFAULT, name=name)

    def check_mutations(self, fn) -> None:
        """A free name whose object the function changes (``seen.append(x)``,
        ``stats["n"] += 1``): state shared with the builder, which a copy would lose."""
        free = {f.name: f for f in self.ctx.scopes.free_names(fn)}
        for node in self.ctx.scopes.walk(fn):
            target = None
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Attribute)
                and node.func.attr in _MUTATORS
            ):
                target = node.func.value
            elif isinstance(node, (ast.Assign, ast.AugAssign, ast.AnnAssign)):
                targets = (
                    node.targets if isinstance(node, ast.Assign) else [node.target]
                )
                target = next(
                    (
                        t
                        for t in targets
                        if isinstance(t, (ast.Subscript, ast.Attribute))
                    ),
                    None,
                )
            while isinstance(target, (ast.Subscript, ast.Attribute)):
                target = target.value
            if isinstance(target, ast.Name) and target.id in free:
                res = free[target.id].resolved
                if res.scope is None:
                    continue
                where = self.ctx.where(res.bindings[0]) if res.bindings else "?"
                raise self.refuse(
                    node, Why.CALLABLE_MUTATES, name=target.id, where=where
                )

    # -- a factory call: ``weighted_mse(0.3)`` -------------------------------------

    def factory(self, call: ast.Call) -> Draft:
        func = call.func
        res = self.ctx.scopes.lookup(func.id, self.state.site_scope)
        defs = [b for b in res.bindings if b.kind is Bound.DEF]
        if len(res.bindings) != 1 or not defs:
            where = "".join(f" ({self.ctx.where(b)})" for b in res.bindings[:1])
            raise self.refuse(call, Why.FACTORY_NOT_DEF, name=func.id, where=where)
        factory = defs[0].node
        if factory.decorator_list:
            raise self.refuse(
                call, Why.CALLABLE_DECORATED, name=factory.name, line=factory.lineno
            )
        inner = self.returned_function(factory)
        return self.inline(inner, factory.name, lambda_=False, factory=factory)

    def returned_function(self, factory) -> ast.AST:
        """The nested def or lambda the factory returns; its body may hold nothing else."""
        body = list(factory.body)
        if (
            body
            and isinstance(body[0], ast.Expr)
            and isinstance(body[0].value, ast.Constant)
            and isinstance(body[0].value.value, str)
        ):
            body = body[1:]
        last = body[-1] if body else factory
        returned = last.value if isinstance(last, ast.Return) else None
        inner = None
        if isinstance(returned, ast.Lambda):
            inner = returned
        elif isinstance(returned, ast.Name):
            inner = next(
                (
                    s
                    for s in body[:-1]
                    if isinstance(s, _DEFS) and s.name == returned.id
                ),
                None,
            )
        if inner is None:
            raise self.refuse(
                self.site.value,
                Why.FACTORY_BODY,
                name=factory.name,
                line=factory.lineno,
                at=last.lineno,
            )
        for stmt in body[:-1]:
            if stmt is not inner:
                raise self.refuse(
                    self.site.value,
                    Why.FACTORY_BODY,
                    name=factory.name,
                    line=factory.lineno,
                    at=stmt.lineno,
                )
        return inner

    def factory_values(self, factory, inner, args):
        """The values the inner function reads from the factory's parameters, as
        written at this call (or the parameter's literal default)."""
        call = self.site.value
        bound = self.bind_call(factory, call)
        own = {
            f.name
            for f in self.ctx.scopes.free_names(inner)
            if f.resolved.scope is not None and f.resolved.scope.node is factory
        }
        out = []
        for arg in args:
            root = arg.call_expr.split(".")[0]
            if root not in own:
                out.append(arg)
                continue
            if root not in bound and root in _parameters(factory):
                raise self.refuse(
                    call,
                    Why.FACTORY_ARGUMENTS,
                    name=factory.name,
                    problem=f"`{root}` has no value here and no literal default",
                )
            if root not in bound:
                raise self.refuse(
                    call, Why.FACTORY_LOCAL, name=factory.name, local=root
                )
            text, literal = bound[root]
            rest = arg.call_expr[len(root) :]
            if rest:
                text, literal = f"({text}){rest}", False
            origin = prose(
                "parameter {root} of factory {factory}",
                root=Code(root),
                factory=Code(factory.name),
            )
            if rest:
                origin = (Code(root + rest), ", ", *origin)
            out.append(replace(arg, call_expr=text, literal=literal, origin=origin))
        order = positional_names(factory.args)
        order += [p.arg for p in factory.args.kwonlyargs]
        # the factory's parameters in its own order, then any other value
        return tuple(
            sorted(
                out,
                key=lambda a: order.index(a.param) if a.param in order else len(order),
            )
        )

    def bind_call(self, factory, call: ast.Call) -> dict[str, tuple[str, bool]]:
        a = factory.args
        segment = self.ctx.src.segment
        if a.vararg or a.kwarg:
            raise self.refuse(
                call,
                Why.FACTORY_ARGUMENTS,
                name=factory.name,
                problem="it takes *args or **kwargs",
            )
        if any(isinstance(x, ast.Starred) for x in call.args) or any(
            k.arg is None for k in call.keywords
        ):
            raise self.refuse(
                call,
                Why.FACTORY_ARGUMENTS,
                name=factory.name,
                problem="unpacked arguments",
            )
        params = positional(a)
        if len(call.args) > len(params):
            raise self.refuse(
                call,
                Why.FACTORY_ARGUMENTS,
                name=factory.name,
                problem="too many arguments",
            )
        bound = {
            p.arg: (segment(v), is_json_literal(v)) for p, v in zip(params, call.args)
        }
        names = {p.arg for p in [*params, *a.kwonlyargs]}
        for k in call.keywords:
            if k.arg not in names or k.arg in bound:
                raise self.refuse(
                    call,
                    Why.FACTORY_ARGUMENTS,
                    name=factory.name,
                    problem=f"keyword `{k.arg}`",
                )
            bound[k.arg] = (segment(k.value), is_json_literal(k.value))
        given = defaults(a)
        for name, default in given.items():
            if name not in bound and is_json_literal(default):
                bound[name] = (segment(default), True)
        return bound


def _parameters(fn) -> set[str]:
    a = fn.args
    return {*positional_names(a), *(p.arg for p in a.kwonlyargs)}
