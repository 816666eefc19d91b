"""``scope.ModuleScopes``: what each name a function reads from outside is bound to."""

from __future__ import annotations

import ast

from lambda2layer.scope import ModuleScopes

SOURCE = """import keras
K = 2
class C:
    Z = 1
    f = lambda self, t: t * K * Z
def b(x, n):
    y = 3
    return lambda t: [t + n + y + i + K for i in range(3)]
"""


def free_names_of_each_lambda(source: str) -> list[dict]:
    tree = ast.parse(source)
    scopes = ModuleScopes(tree)
    out = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Lambda):
            out.append(
                {
                    free.name: (
                        free.resolved.scope.kind.value if free.resolved.scope else None,
                        [binding.kind.value for binding in free.resolved.bindings],
                        [use.lineno for use in free.uses],
                    )
                    for free in scopes.free_names(node)
                }
            )
    return out


def test_free_names_and_their_bindings() -> None:
    in_class, in_function = free_names_of_each_lambda(SOURCE)
    # a class body is not an enclosing scope: ``Z`` is unbound for the lambda
    assert in_class == {"Z": (None, [], [5]), "K": ("module", ["assign"], [5])}
    # the comprehension's ``i`` is the lambda's own; ``range`` is a builtin
    assert in_function == {
        "K": ("module", ["assign"], [8]),
        "range": (None, [], [8]),
        "y": ("function", ["assign"], [8]),
        "n": ("function", ["param"], [8]),
    }


def test_global_declaration_binds_the_module_name() -> None:
    source = "N = 0\ndef set_n(v):\n    global N\n    N = v\nf = lambda t: t * N\n"
    (free,) = free_names_of_each_lambda(source)
    assert free == {"N": ("module", ["assign", "assign"], [5])}
