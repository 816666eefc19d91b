"""One file in, one typed result out. Never raises for bad input."""

from __future__ import annotations

import ast
import json
import os
import re
from dataclasses import dataclass, field, replace
from functools import partial
from pathlib import Path

from lambda2layer import diagnostics as codes
from lambda2layer.diagnostics import Diagnostic, Severity
from lambda2layer.emit import (
    GeneratedLayer,
    build_layer,
    is_generated,
    layer_signature,
    render_module,
)
from lambda2layer.flavour import Flavour, detect
from lambda2layer.extract import LambdaFinder, LambdaSite, find_sites, function_kind
from lambda2layer.naming import (
    names_in_file,
    real_path,
    registration_package,
    unique_class_name,
)
from lambda2layer.notebook import (
    NotebookError,
    dump,
    locate,
    notebook_source,
    patched_notebook,
)
from lambda2layer.options import Options
from lambda2layer.patch import (
    apply_edits,
    import_edit,
    import_statement,
    names_after_edits,
    removal_edit,
    site_edits,
    unused_import_edits,
)
from lambda2layer.prefilter import might_convert
from lambda2layer.result import (
    FileResult,
    SiteReport,
    Status,
    skipped,
)
from lambda2layer.resolve import Context, LayerPlan, Resolution, resolve_site
from lambda2layer.scope import ModuleScopes, flatten
from lambda2layer.source import SourceError, SourceText


def _decisions(plan: LayerPlan) -> tuple[str, ...]:
    """One line per free variable: what it is bound to, and what the conversion does with it."""
    out = [
        f"{a.call_expr} -> constructor argument `{a.param}`: {a.origin.replace('``', '`')}"
        for a in plan.ctor_args
    ]
    out += [
        f"{n} -> extra input: a Keras tensor of the graph" for n in plan.extra_inputs
    ]
    out += [
        f"{i.name} -> import kept: `{i.text}` (line {i.line})" for i in plan.imports
    ]
    out += [
        f"{m.name} -> moved into the generated module (line {m.stmt.lineno})"
        for m in plan.moved
    ]
    return tuple(out)


@dataclass
class _Draft:
    """Mutable scratch for one file, local to ``convert_source``."""

    diagnostics: list[Diagnostic] = field(default_factory=list)
    reports: list[SiteReport] = field(default_factory=list)


def _diag(
    display: str,
    line: int,
    col: int,
    severity: Severity,
    code: str,
    message: str,
    hint: str = "",
) -> Diagnostic:
    return Diagnostic(display, line, col, severity, code, message, hint)


def convert_notebook(
    path: Path, display: str, data: bytes, options: Options = Options()
) -> FileResult:
    """Convert the code cells of a notebook; the generated module goes beside it."""
    if not might_convert(data, notebook=True):
        return FileResult(path, display, Status.UNCHANGED)
    try:
        nb = json.loads(data)
        ns = notebook_source(nb)
    except (ValueError, NotebookError) as exc:
        return skipped(
            path,
            display,
            codes.UNPARSABLE,
            f"skipped: not a readable notebook: {exc}",
            "the file is left as it is",
        )
    virtual = path.with_name(module_stem(path, "") + ".py")
    result = convert_source(virtual, display, ns.text.encode("utf-8"), options)
    diagnostics = [
        _diag(
            f"{display}:cell_{cell + 1}",
            1,
            1,
            Severity.WARNING,
            codes.CELL_MAGIC,
            "this cell starts with a cell magic, so it is not Python: its Lambda layers are left as they are",
            "move the Lambda into a plain code cell",
        )
        for cell in ns.hidden
    ]
    for d in result.diagnostics:
        cell, line = locate(ns, d.line)
        message = re.sub(
            r"line (\d+)",
            lambda m: "line %d of cell %d"
            % (locate(ns, int(m.group(1)))[1], locate(ns, int(m.group(1)))[0] + 1),
            d.message,
        )
        diagnostics.append(
            replace(d, path=f"{display}:cell_{cell + 1}", line=line, message=message)
        )
    patched = None
    if result.patched is not None:
        try:
            patched = dump(
                patched_notebook(nb, ns, result.patched.decode("utf-8")), data
            )
        except NotebookError as exc:
            return skipped(
                path,
                display,
                codes.INTERNAL_ERROR,
                f"internal error, notebook left unchanged: {exc}",
            )
    return replace(
        result,
        path=path,
        original=data,
        patched=patched,
        diagnostics=tuple(diagnostics),
    )


def convert_source(
    path: Path,
    display: str,
    data: bytes,
    options: Options = Options(),
    emit: bool = True,
) -> FileResult:
    """Convert one file's bytes. ``emit=False`` decides what would change without
    generating code (``--check`` and ``scan``): no templates, no black."""
    if not might_convert(data):
        return FileResult(path, display, Status.UNCHANGED)
    try:
        src = SourceText.decode(data)
        tree = src.parse()
    except SourceError as exc:
        return skipped(
            path,
            display,
            codes.UNPARSABLE,
            f"skipped: {exc}",
            "the file is left as it is",
        )
    if is_generated(src.text):
        return FileResult(path, display, Status.UNCHANGED)
    flat = flatten(tree)
    finder = LambdaFinder(tree, flat[0])
    if not finder.might_have_sites:
        return FileResult(path, display, Status.UNCHANGED)
    scopes = ModuleScopes(tree, flat)
    sites = find_sites(tree, scopes, finder)
    if not sites:
        return FileResult(path, display, Status.UNCHANGED)
    ctx = Context(
        display,
        src,
        tree,
        scopes,
        finder.table,
        finder.has_star_import,
        partial(imported_params, path),
    )
    resolutions = [resolve_site(ctx, site) for site in sites]
    return _assemble(path, display, data, src, tree, finder, resolutions, options, emit)


def imported_params(
    path: Path, stmt: ast.ImportFrom, alias: ast.alias
) -> list[str] | None:
    """Positional parameter names of ``from MODULE import NAME`` when MODULE is a file
    of the project (a sibling script module or a relative import); read, never imported.
    """
    base = path.parent
    for _ in range(max(stmt.level - 1, 0)):
        base = base.parent
    parts = (stmt.module or "").split(".") if stmt.module else []
    candidates = (
        [base.joinpath(*parts).with_suffix(".py"), base.joinpath(*parts, "__init__.py")]
        if parts
        else []
    )
    for candidate in candidates:
        try:
            tree = ast.parse(candidate.read_bytes())
        except (OSError, SyntaxError, ValueError):
            continue
        for node in tree.body:
            if (
                isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef))
                and node.name == alias.name
            ):
                return [a.arg for a in [*node.args.posonlyargs, *node.args.args]]
    return None


def _refusal_diag(display: str, res: Resolution) -> Diagnostic:
    r = res.refusal
    return _diag(
        display,
        r.line,
        r.col,
        Severity.ERROR,
        r.code,
        f"Lambda at line {res.site.line} not converted: {r.message}",
        r.hint,
    )


def _group(plans: list[LayerPlan]) -> list[list[LayerPlan]]:
    groups: dict[tuple, list[LayerPlan]] = {}
    for plan in plans:
        groups.setdefault(layer_signature(plan), []).append(plan)
    return list(groups.values())


def module_stem(path: Path, suffix: str) -> str:
    """An importable module name for the generated module of ``path``."""
    stem = re.sub(r"\W", "_", path.stem)
    return ("_" + stem if stem[:1].isdigit() else stem) + suffix


def _free_module_path(
    path: Path, suffix: str, reserved: frozenset[str] = frozenset()
) -> tuple[Path, str | None]:
    """``<stem><suffix>.py`` beside ``path``, or the first free ``..._N.py`` if that exists
    or another file of this run takes it. Never an existing file."""
    stem = module_stem(path, suffix)
    first = candidate = path.with_name(stem + ".py")
    n = 2
    while (os.path.exists(candidate) and not _orphan_of(candidate, path)) or (
        reserved and real_path(candidate) in reserved
    ):
        candidate = path.with_name(f"{stem}_{n}.py")
        n += 1
    if candidate == first:
        return candidate, None
    if not first.exists():
        why = "another file of this run generates it"
    elif _is_ours(first):
        why = "generated by an earlier run; it is left as it is"
    else:
        why = "not generated by lambda2layer; it is never overwritten"
    return candidate, f"{first.name} exists ({why}); the layers go to {candidate.name}"


def _orphan_of(module: Path, model: Path) -> bool:
    """A module generated from ``model`` that ``model`` does not import: left by a run
    that was stopped between writing the module and the model file. It is reused."""
    try:
        head = module.read_text("utf-8", errors="replace")[:300]
        text = model.read_bytes()
    except OSError:
        return False
    return (
        is_generated(head)
        and f"from {model.name}." in head
        and module.stem.encode() not in text
    )


def _is_ours(path: Path) -> bool:
    try:
        return is_generated(path.read_text("utf-8", errors="replace")[:300])
    except OSError:
        return False


def _assemble(
    path: Path,
    display: str,
    data: bytes,
    src: SourceText,
    tree: ast.Module,
    finder: LambdaFinder,
    resolutions: list[Resolution],
    options: Options,
    emit: bool,
) -> FileResult:
    draft = _Draft()
    plans = [r.plan for r in resolutions if r.plan is not None]
    for res in resolutions:
        if res.refusal is not None:
            draft.diagnostics.append(_refusal_diag(display, res))
    taken = names_in_file(finder.nodes)
    named: list[tuple[GeneratedLayer, list[LayerPlan]]] = []
    package = registration_package(path, options.package_prefix)
    flavour = detect(finder.table, options.target)
    groups = _group(plans)
    for group in groups:
        name = unique_class_name(group[0].name_hint, taken)
        named.append((build_layer(name, group, path.name, flavour), group))
    module_text = ""
    if emit:
        module_text, named = _render(src, path, package, named, draft, display, flavour)
    converted = [(layer, p) for layer, group in named for p in group]
    for res in resolutions:
        if res.refusal is not None:
            r = res.refusal
            draft.reports.append(
                SiteReport(
                    res.site.line,
                    res.site.col,
                    "refused",
                    None,
                    function_kind(res.site),
                    (f"{r.code} {r.message}",),
                )
            )
    for layer, plan in converted:
        draft.reports.append(
            SiteReport(
                plan.site.line,
                plan.site.col,
                "converted",
                layer.name,
                function_kind(plan.site),
                _decisions(plan),
            )
        )
        for w in plan.warnings:
            draft.diagnostics.append(
                _diag(
                    display,
                    plan.site.line,
                    plan.site.col,
                    Severity.NOTE if w.note else Severity.WARNING,
                    w.code,
                    w.message,
                )
            )
    reports = tuple(sorted(draft.reports, key=lambda r: (r.line, r.col)))
    if not converted:
        return FileResult(
            path,
            display,
            Status.REFUSED,
            original=data,
            diagnostics=tuple(draft.diagnostics),
            sites=reports,
        )
    if not emit:
        status = (
            Status.PARTIAL if any(r.refusal for r in resolutions) else Status.CONVERTED
        )
        return FileResult(
            path,
            display,
            status,
            diagnostics=tuple(draft.diagnostics),
            sites=reports,
            pending=True,
        )
    module_path, note = _free_module_path(path, options.module_suffix, options.reserved)
    if note:
        draft.diagnostics.append(
            _diag(display, 1, 1, Severity.WARNING, codes.OUTPUT_NAME_TAKEN, note)
        )
    edits = [
        edit for layer, plan in converted for edit in site_edits(src, plan, layer.name)
    ]
    moved_names = {m.name: m for _l, p in converted for m in p.moved}
    moved = {
        id(m.stmt): m for m in moved_names.values()
    }  # one statement may bind several names
    edits += [removal_edit(src, m.stmt) for m in moved.values()]
    still_used = names_after_edits(src, finder.nodes, edits)
    back = [
        name for name in moved_names if name in still_used or not name.startswith("_")
    ]
    statement = import_statement(
        path, finder.nodes, module_path.stem, [layer.name for layer, _ in named] + back
    )
    first_use = min(
        [p.site.call.lineno for _l, p in converted]
        + [m.stmt.lineno for m in moved.values()]
    )
    edits.append(import_edit(src, tree, statement, first_use))
    edits += unused_import_edits(src, tree, finder.aliases - still_used)
    patched = apply_edits(src.text, edits)
    ast.parse(
        patched
    )  # safety net: a patch that does not parse is a bug, never written
    status = (
        Status.PARTIAL
        if any(r.refusal for r in resolutions) or len(named) < len(groups)
        else Status.CONVERTED
    )
    return FileResult(
        path,
        display,
        status,
        original=data,
        patched=src.encode(patched),
        module_path=module_path,
        module_bytes=module_text.encode("utf-8"),
        diagnostics=tuple(draft.diagnostics),
        sites=reports,
    )


def _render(src, path, package, named, draft: _Draft, display: str, flavour: Flavour):
    """Render the module; a layer whose code black cannot format is refused alone."""

    def render(items):
        return render_module(
            src,
            path.name,
            package,
            [l for l, _ in items],
            [p for _, g in items for p in g],
            flavour,
        )

    import black

    try:
        return render(named), named
    except (black.InvalidInput, ValueError, SyntaxError):
        pass
    kept = []
    for item in named:
        try:
            render([item])
            kept.append(item)
        except (black.InvalidInput, ValueError, SyntaxError) as exc:
            for plan in item[1]:
                site: LambdaSite = plan.site
                draft.diagnostics.append(
                    _diag(
                        display,
                        site.line,
                        site.col,
                        Severity.ERROR,
                        codes.UNSUPPORTED_BODY,
                        f"Lambda at line {site.line} not converted: its body could not be turned into a method ({str(exc).splitlines()[0][:120]})",
                    )
                )
                draft.reports.append(
                    SiteReport(
                        site.line,
                        site.col,
                        "refused",
                        None,
                        function_kind(site),
                        (codes.UNSUPPORTED_BODY,),
                    )
                )
    return (render(kept) if kept else ""), kept
