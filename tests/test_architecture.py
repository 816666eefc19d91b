"""The package's shape, checked from its source text (nothing is imported).

- no import cycles between the package's modules (a lazy import counts too);
- the engine stages (everything between the bytes read and the text to write)
  never touch the disk: filesystem facts come from the per-run project index;
- no cache outlives a run unless it holds facts of this process only (black by
  text shape, the template environment, the umask), never facts of the disk.
"""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "lambda2layer"

# modules that turn text into text; they learn about the disk only from what
# they are handed
ENGINE = (
    "extract",
    "scope",
    "resolve",
    "emit",
    "patch",
    "naming",
    "formatting",
    "unparsable",
    "legacy",
)
# the template environment is loaded from the package itself, not the user's tree
PACKAGE_DATA = {("emit", "_environment")}
FILESYSTEM_CALLS = {
    "open",
    "read_text",
    "read_bytes",
    "write_text",
    "write_bytes",
    "is_file",
    "is_dir",
    "exists",
    "isfile",
    "isdir",
    "listdir",
    "scandir",
    "iterdir",
    "glob",
    "rglob",
    "realpath",
    "resolve",
    "stat",
    "replace",
}
# caches that hold facts of this process only
PROCESS_CACHES = {
    ("formatting", "_mode"),
    ("formatting", "_plan_for"),
    ("formatting", "format_block"),
    ("formatting", "_separator"),
    ("emit", "_environment"),
    ("scope", "_visitor"),
    ("write", "_umask"),
}


def _modules() -> dict[str, ast.Module]:
    found = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        rel = path.relative_to(PACKAGE).with_suffix("")
        parts = [p for p in rel.parts if p != "__init__"]
        name = ".".join(parts) or "__init__"
        found[name] = ast.parse(path.read_text(encoding="utf-8"))
    return found


def _imported(name: str, tree: ast.Module, known: set[str]) -> set[str]:
    """The package modules ``name`` imports, anywhere in its body."""
    out = set()
    package = name.rsplit(".", 1)[0] if "." in name else ""
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            targets = [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                up = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([p for p in up if p] + ([base] if base else []))
                base = "lambda2layer." + base if base else "lambda2layer"
            targets = [base] + [f"{base}.{a.name}" for a in node.names]
        else:
            continue
        for target in targets:
            if target.startswith("lambda2layer."):
                short = target.removeprefix("lambda2layer.")
                if short in known and short != name:
                    out.add(short)
    return out


def test_no_import_cycles():
    modules = _modules()
    known = set(modules)
    graph = {name: _imported(name, tree, known) for name, tree in modules.items()}
    # a package's __init__ may re-export from its own submodules
    for name in graph:
        graph[name] = {t for t in graph[name] if not t.startswith(name + ".")}
    cycles = []
    state: dict[str, int] = {}

    def visit(node: str, stack: list[str]) -> None:
        state[node] = 1
        for nxt in sorted(graph[node]):
            if state.get(nxt) == 1:
                cycles.append(stack[stack.index(nxt) :] + [nxt])
            elif nxt not in state:
                visit(nxt, stack + [nxt])
        state[node] = 2

    for name in sorted(graph):
        if name not in state:
            visit(name, [name])
    assert cycles == []


def _functions(tree: ast.Module):
    """(function name, node) for every def, the outermost def naming nested ones."""
    for top in tree.body:
        if isinstance(top, (ast.FunctionDef, ast.AsyncFunctionDef)):
            yield top.name, top
        elif isinstance(top, ast.ClassDef):
            for item in top.body:
                if isinstance(item, (ast.FunctionDef, ast.AsyncFunctionDef)):
                    yield f"{top.name}.{item.name}", item


def test_the_engine_never_touches_the_disk():
    touching = []
    for name, tree in _modules().items():
        if name.split(".")[0] not in ENGINE:
            continue
        for fn_name, fn in _functions(tree):
            if (name, fn_name) in PACKAGE_DATA:
                continue
            for node in ast.walk(fn):
                if isinstance(node, ast.Call) and _touches_disk(node):
                    touching.append(
                        f"{name}.{fn_name}:{node.lineno} {ast.unparse(node)}"
                    )
    assert touching == []


def _touches_disk(call: ast.Call) -> bool:
    """``open(...)``, ``os.<fs call>(...)``, or a path method such as
    ``folder.exists()``; not ``self.open(...)``, ``str.replace(a, b)``,
    ``dataclasses.replace(...)`` or ``SomeClass(...).resolve()``."""
    f = call.func
    if isinstance(f, ast.Name):
        return f.id == "open"
    if not isinstance(f, ast.Attribute) or f.attr not in FILESYSTEM_CALLS:
        return False
    receiver = f.value
    if f.attr == "replace":
        return (
            isinstance(receiver, ast.Name) and receiver.id == "os" or len(call.args) < 2
        )
    if isinstance(receiver, ast.Name) and receiver.id == "self":
        return False
    if isinstance(receiver, ast.Call) and isinstance(receiver.func, ast.Name):
        return not receiver.func.id[:1].isupper()  # an object built here, not a path
    if f.attr == "replace":
        return (
            isinstance(receiver, ast.Name) and receiver.id == "os" or len(call.args) < 2
        )
    return True


def test_no_cache_holds_facts_of_the_disk():
    cached = []
    for name, tree in _modules().items():
        for fn_name, fn in _functions(tree):
            for deco in fn.decorator_list:
                target = deco.func if isinstance(deco, ast.Call) else deco
                label = (
                    target.attr
                    if isinstance(target, ast.Attribute)
                    else getattr(target, "id", "")
                )
                if (
                    label in {"cache", "lru_cache", "cached_property"}
                    and (
                        name,
                        fn_name,
                    )
                    not in PROCESS_CACHES
                ):
                    cached.append(f"{name}.{fn_name}")
    assert cached == []


def test_binding_and_scope_kinds_are_never_compared_with_strings():
    """``Binding.kind`` and ``Scope.kind`` are enums: ``kind == "class"`` would be
    silently false."""
    kinds = {"param", "assign", "augassign", "for", "comprehension", "import"}
    kinds |= {"def", "class", "namedexpr", "other", "module", "function", "lambda"}
    found = []
    for path in PACKAGE.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.Compare):
                continue
            sides = [node.left, *node.comparators]
            reads_kind = any(
                isinstance(s, ast.Attribute) and s.attr == "kind" for s in sides
            )
            literal = any(
                isinstance(c, ast.Constant) and c.value in kinds
                for s in sides
                for c in ast.walk(s)
            )
            if reads_kind and literal:
                found.append(f"{path.name}:{node.lineno}")
    assert not found
