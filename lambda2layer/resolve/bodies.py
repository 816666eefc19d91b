"""Functions whose body becomes a method: inline lambdas and nested defs."""

from __future__ import annotations

import ast
import textwrap

from lambda2layer.diagnostics import Why
from lambda2layer.resolve.free_vars import free_names
from lambda2layer.resolve.records import Bind, Body, Code, ConstructorArg, Method, prose
from lambda2layer.resolve.state import SiteState
from lambda2layer.scope import defaults, positional


def inline_method(
    state: SiteState,
    fn,
    first_name: str,
    arguments: dict[str, ConstructorArg],
    role: str,
) -> Method:
    a = fn.args
    if (a.vararg or a.kwarg) and (role != "call" or not positional(a)):
        raise state.ctx.refuse(fn, Why.STAR_PARAMETERS)  # the inputs would go to *args
    if isinstance(fn, (ast.FunctionDef, ast.AsyncFunctionDef)) and fn.decorator_list:
        raise state.ctx.refuse(fn, Why.NESTED_DECORATED, name=fn.name)
    params = positional(a)
    if not params:
        raise state.ctx.refuse(fn, Why.NO_POSITIONAL)
    given = defaults(a)
    first = params[0].arg
    if first == "self":
        raise state.ctx.refuse(fn, Why.INPUT_NAMED_SELF)
    replacements = free_names(state, fn)
    call_params = [
        first if not (state.out.extra_inputs and role == "call") else "inputs"
    ]
    prelude: list[Bind] = []
    kwonly = {p.arg for p in a.kwonlyargs}
    for p in [*params[1:], *a.kwonlyargs]:
        name = p.arg
        if (
            name in ("mask", "training")
            and name in kwonly
            and name not in arguments
            and name in given
        ):
            # Keras passes mask/training only as positional parameters of the function
            prelude.append(Bind(name, state.ctx.src.segment(given[name])))
        elif name in ("mask", "training") and name not in arguments:
            call_params.append(f"{name}=None")
        elif name in arguments:
            prelude.append(Bind(name, f"self.{arguments[name].param}"))
        elif name in given:
            value = given[name]
            arg = state.value_arg(
                name, value, prose("default of parameter {name}", name=Code(name))
            )
            prelude.append(Bind(name, f"self.{arg.param}"))
        else:
            raise state.ctx.refuse(fn, Why.PARAMETER_UNBOUND, name=name)
    # Lambda calls ``function(inputs, **arguments)``: ``*args`` is always empty and
    # ``**kw`` holds the keys of ``arguments=`` no named parameter takes
    if a.vararg:
        prelude.append(Bind(a.vararg.arg, "()"))
    if a.kwarg:
        named = {p.arg for p in [*params, *a.kwonlyargs]}
        items = ", ".join(
            f"{key!r}: self.{arg.param}"
            for key, arg in arguments.items()
            if key not in named
        )
        prelude.append(Bind(a.kwarg.arg, f"{{{items}}}"))
    prelude.extend(carried(locals_for_args(state, replacements)))
    binds = (*(unpacked(state, first) if role == "call" else ()), *prelude)
    return Method(tuple(call_params), binds, body_text(state, fn, replacements))


def unpacked(state: SiteState, first: str) -> tuple[Bind, ...]:
    """With extra inputs, ``inputs`` is a list: ``first`` and the captured tensors."""
    if not state.out.extra_inputs:
        return ()
    return (Bind(", ".join([first, *state.out.extra_inputs]), "inputs"),)


def locals_for_args(state: SiteState, replacements) -> list[tuple[str, str]]:
    seen = {}
    for _node, local, param in replacements:
        if param is not None:
            seen[local] = param
    return list(seen.items())


def carried(pairs: list[tuple[str, str]]) -> list[Bind]:
    """Each (local name, constructor parameter): the local reads the layer's value."""
    return [Bind(local, f"self.{param}") for local, param in pairs]


def body_text(state: SiteState, fn, replacements) -> Body:
    src = state.ctx.src
    body = [fn.body] if isinstance(fn, ast.Lambda) else fn.body
    for node in (n for b in body for n in state.ctx.scopes.walk(b)):
        if (
            isinstance(node, (ast.Constant, ast.JoinedStr))
            and isinstance(getattr(node, "value", ""), (str, list))
            and node.end_lineno > node.lineno
        ):
            raise state.ctx.refuse(node, Why.MULTILINE_STRING)
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
        return Body(returns=text)
    return Body(tuple(textwrap.dedent(text).split("\n")))
