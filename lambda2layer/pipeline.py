"""One file in, one typed result out. Never raises for bad input."""

from __future__ import annotations

import ast
import json
import re
from dataclasses import dataclass, field, replace
from functools import partial
from pathlib import Path
from typing import Callable

from lambda2layer import diagnostics as codes
from lambda2layer.callables import outcome as callable_outcome
from lambda2layer.callables.decide import decide
from lambda2layer.callables.plan import name_drafts
from lambda2layer.callables.records import (
    CallableDeclined,
    CallablePlan,
    CallableResolution,
    Drafted,
)
from lambda2layer.callables.render import module_part
from lambda2layer.callables.sites import find_callable_sites
from lambda2layer.diagnostics import Caution, Diagnostic, Severity, Why
from lambda2layer.emit import (
    GeneratedLayer,
    build_layer,
    is_generated,
    layer_signature,
    render_module,
)
from lambda2layer.flavour import Flavour, detect
from lambda2layer.legacy.stage import translate
from lambda2layer.extract import (
    LambdaFinder,
    LambdaSite,
    find_sites,
    function_kind,
    unbound_lambda_calls,
)
from lambda2layer.naming import (
    default_layer_name,
    is_default_lambda_name,
    module_stem,
    names_in_file,
    registration_package,
    safe_name,
    unique_class_name,
)
from lambda2layer.notebook import (
    NotebookError,
    dump,
    file_line,
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
from lambda2layer.project import ProjectIndex
from lambda2layer.result import (
    FileResult,
    SiteReport,
    Status,
    skipped,
)
from lambda2layer.resolve import (
    Context,
    Declined,
    LayerPlan,
    Planned,
    Resolution,
    resolve_site,
)
from lambda2layer.scope import ModuleScopes, flatten
from lambda2layer.source import SourceError, SourceText
from lambda2layer.unparsable import CallSite, lambda_calls
from lambda2layer.decisions import decision_lines


def _decisions(plan: LayerPlan) -> tuple[str, ...]:
    """One line per free variable: what it is bound to, and what the conversion does with it."""
    return tuple(
        decision_lines(
            plan.ctor_args,
            "constructor argument",
            plan.extra_inputs,
            plan.imports,
            plan.moved,
        )
    )


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
    path: Path,
    display: str,
    data: bytes,
    options: Options = Options(),
    index: ProjectIndex | None = None,
) -> FileResult:
    """Convert the code cells of a notebook; the generated module goes beside it."""
    if not might_convert(data):
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
    result = convert_source(
        virtual, display, ns.text.encode("utf-8"), options, index=index
    )
    diagnostics = [
        replace(
            _diag(
                f"{display}:cell_{cell + 1}",
                1,
                1,
                Severity.WARNING,
                codes.CELL_MAGIC,
                "this cell starts with a cell magic, so it is not Python: its Lambda layers are left as they are",
                "move the Lambda into a plain code cell",
            ),
            anchor=(display, file_line(data, cell, 1)),
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
            replace(
                d,
                path=f"{display}:cell_{cell + 1}",
                line=line,
                message=message,
                anchor=(display, file_line(data, cell, line)),
            )
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
    index: ProjectIndex | None = None,
) -> FileResult:
    """Convert one file's bytes. ``emit=False`` decides what would change without
    generating code (``--check`` and ``scan``): no templates, no black. ``index``:
    the run's project index (a fresh one when the file is converted alone)."""
    if not might_convert(data):
        return FileResult(path, display, Status.UNCHANGED)
    if b"\0" in data and not data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return skipped(
            path,
            display,
            codes.UNREADABLE,
            "skipped: a binary file (it holds NUL bytes), not Python source",
            "the file is left as it is",
        )
    try:
        src = SourceText.decode(data)
    except SourceError as exc:
        return _not_python(path, display, exc)
    try:
        tree = src.parse()
    except SourceError as exc:
        return _not_python(path, display, exc, lambda_calls(src))
    if is_generated(src.text):
        return FileResult(path, display, Status.UNCHANGED)
    flat = flatten(tree)
    finder = LambdaFinder(tree, flat[0])
    unbound = unbound_lambda_calls(finder)
    if not finder.might_have_sites:
        return _with_unbound(
            FileResult(path, display, Status.UNCHANGED), finder, unbound
        )
    scopes = ModuleScopes(tree, flat)
    sites = find_sites(tree, scopes, finder)
    index = index if index is not None else ProjectIndex()
    callable_sites = find_callable_sites(
        scopes, finder.nodes, partial(index.project_function, path)
    )
    if not sites and not callable_sites:
        return _with_unbound(
            FileResult(path, display, Status.UNCHANGED), finder, unbound
        )
    ctx = Context(
        display,
        src,
        tree,
        scopes,
        finder.table,
        finder.has_star_import,
        partial(index.imported_params, path),
    )
    flavour = detect(finder.table, options.target)
    resolutions = [translate(ctx, resolve_site(ctx, site), flavour) for site in sites]
    callables = [decide(ctx, site) for site in callable_sites]
    file = _File(path, display, data, src, tree, finder)
    result = _assemble(file, resolutions, options, emit, index, callables)
    return _with_unbound(result, finder, unbound)


def _with_unbound(
    result: FileResult, finder: LambdaFinder, calls: list[ast.Call]
) -> FileResult:
    """``result`` with a refusal for each call that looks like a Keras Lambda but is
    tied to no Keras import (``extract.unbound_lambda_calls``): never passed over."""
    if not calls:
        return result
    diagnostics, reports = [], []
    for call in calls:
        callee = ast.unparse(call.func)
        root = callee.split(".")[0]
        if "." in callee:
            why = f"`{root}` is not bound by an import of this file (a parameter or a run-time value)"
        else:
            why = "no import or definition of this file binds `Lambda`"
            stars = [m for m in finder.stars if m]
            if stars:
                why += f" (the star import of `{stars[0]}` may)"
        line, col = call.lineno, call.col_offset + 1
        diagnostics.append(
            _diag(
                result.display,
                line,
                col,
                Severity.ERROR,
                codes.UNBOUND_LAMBDA,
                f"{callee}(...) at line {line} not converted: "
                + Why.LAMBDA_NOT_TIED_TO_KERAS.text(callee=callee, why=why),
                Why.LAMBDA_NOT_TIED_TO_KERAS.hint,
            )
        )
        reports.append(
            SiteReport(
                line,
                col,
                "refused",
                None,
                "unresolved Lambda",
                (diagnostics[-1].message,),
            )
        )
    status = {
        Status.UNCHANGED: Status.REFUSED,
        Status.CONVERTED: Status.PARTIAL,
    }.get(result.status, result.status)
    return replace(
        result,
        status=status,
        diagnostics=tuple(
            sorted((*result.diagnostics, *diagnostics), key=lambda d: (d.line, d.col))
        ),
        sites=tuple(sorted((*result.sites, *reports), key=lambda r: (r.line, r.col))),
    )


@dataclass(frozen=True, slots=True)
class _File:
    """The file being converted, as the stages after the resolver need it."""

    path: Path
    display: str
    data: bytes
    src: SourceText
    tree: ast.Module
    finder: LambdaFinder


_Named = list[
    tuple[GeneratedLayer, list[LayerPlan]]
]  # a class, and the sites it replaces


def _not_python(
    path: Path, display: str, exc: SourceError, calls: list[CallSite] = ()
) -> FileResult:
    """A file that is not Python 3 text is left as it is; the Lambda calls that can
    still be found in it are listed, each at its own line and column."""
    result = skipped(
        path,
        display,
        codes.UNPARSABLE,
        f"skipped: {exc}",
        "the file is left as it is",
        line=exc.line,
        col=exc.col,
    )
    sites = tuple(
        _diag(
            display,
            call.line,
            call.col,
            Severity.ERROR,
            codes.UNPARSABLE,
            f"{call.callee}(...) not converted: the file is not valid Python 3",
            "fix the syntax error, then run again",
        )
        for call in calls
    )
    return replace(result, diagnostics=result.diagnostics + sites)


def _refusal_diag(display: str, res: Declined) -> Diagnostic:
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


def _assemble(
    file: _File,
    resolutions: list[Resolution],
    options: Options,
    emit: bool,
    index: ProjectIndex,
    callables: list[CallableResolution] = (),
) -> FileResult:
    """Name the layers and the callables, render their module, report each site,
    patch the file."""
    draft = _Draft()
    draft.diagnostics += [
        _refusal_diag(file.display, res)
        for res in resolutions
        if isinstance(res, Declined)
    ]
    draft.diagnostics += [
        callable_outcome.refusal_diagnostic(file.display, file.src, c)
        for c in callables
        if isinstance(c, CallableDeclined)
    ]
    flavour = detect(file.finder.table, options.target)
    groups = _group([r.plan for r in resolutions if isinstance(r, Planned)])
    named = _named_layers(file, groups, flavour)
    cplans = name_drafts(
        [c.draft for c in callables if isinstance(c, Drafted)],
        names_in_file(file.finder.nodes) | {layer.name for layer, _ in named},
    )
    module_text = ""
    package_of_file = index.package_of(file.path.parent)
    namespace = None
    if package_of_file is None:
        namespace = index.namespace_of(file.path.parent, _absolute_imports(file.tree))
    if emit:
        package = registration_package(
            index.module_parts(file.path, namespace), options.package_prefix
        )
        part = partial(module_part, cplans, file.path.name, package) if cplans else None
        module_text, named = _render(file, package, named, draft, flavour, part)
    converted = [(layer, p) for layer, group in named for p in group]
    _report_sites(file.display, resolutions, converted, draft)
    draft.diagnostics += _default_name_lookups(file, converted)
    draft.reports += callable_outcome.site_reports(callables, cplans)
    draft.diagnostics += callable_outcome.warnings(file.display, cplans)
    reports = tuple(sorted(draft.reports, key=lambda r: (r.line, r.col)))
    if not converted and not cplans:
        return FileResult(
            file.path,
            file.display,
            Status.REFUSED,
            original=file.data,
            diagnostics=tuple(draft.diagnostics),
            sites=reports,
        )
    some_left = (
        any(isinstance(r, Declined) for r in resolutions)
        or len(named) < len(groups)
        or any(isinstance(c, CallableDeclined) for c in callables)
    )
    status = Status.PARTIAL if some_left else Status.CONVERTED
    if not emit:
        return FileResult(
            file.path,
            file.display,
            status,
            diagnostics=tuple(draft.diagnostics),
            sites=reports,
            pending=True,
        )
    stem = module_stem(file.path, options.module_suffix)
    if namespace is None and package_of_file is None and index.qualifier(file.path):
        # imported by a bare name: one of the same name elsewhere would shadow it
        stem = safe_name("_".join(index.qualifier(file.path))) + "_" + stem
    module_path, note = index.module_path(file.path, stem)
    if note:
        draft.diagnostics.append(
            _diag(file.display, 1, 1, Severity.WARNING, codes.OUTPUT_NAME_TAKEN, note)
        )
    patched = _patched(
        file, converted, named, package_of_file or namespace, module_path.stem, cplans
    )
    return FileResult(
        file.path,
        file.display,
        status,
        original=file.data,
        patched=file.src.encode(patched),
        module_path=module_path,
        module_bytes=module_text.encode("utf-8"),
        registration=package,
        diagnostics=tuple(draft.diagnostics),
        sites=reports,
    )


def _absolute_imports(tree: ast.Module) -> list[str]:
    """Every module the file imports absolutely at its top level, with
    ``module`` and ``module.name`` for each ``from module import name``."""
    found: list[str] = []
    for stmt in tree.body:
        if isinstance(stmt, ast.Import):
            found += [alias.name for alias in stmt.names]
        elif isinstance(stmt, ast.ImportFrom) and not stmt.level and stmt.module:
            found.append(stmt.module)
            found += [f"{stmt.module}.{alias.name}" for alias in stmt.names]
    return found


def _named_layers(
    file: _File, groups: list[list[LayerPlan]], flavour: Flavour
) -> _Named:
    """One class per group of identical sites, named apart from every name of the file."""
    taken = names_in_file(file.finder.nodes)
    named: _Named = []
    for group in groups:
        name = unique_class_name(group[0].name_hint, taken)
        named.append((build_layer(name, group, file.path.name, flavour), group))
    return named


def _default_name_lookups(
    file: _File, converted: list[tuple[GeneratedLayer, LayerPlan]]
) -> list[Diagnostic]:
    """A warning on each converted Lambda without ``name=`` when the file holds a
    string like ``"lambda_3"`` (``model.get_layer("lambda_3")``): the generated layer
    gets its default name from its class, so such a lookup would now miss."""
    unnamed = [
        (layer, plan)
        for layer, plan in converted
        if plan.site.layer_name is None
        and not any(k.arg == "name" for k in plan.site.kept_keywords)
    ]
    if not unnamed:
        return []
    lookups = [
        f"`{node.value!r}` at line {node.lineno}"
        for node in file.finder.nodes
        if node.__class__ is ast.Constant
        and isinstance(node.value, str)
        and is_default_lambda_name(node.value)
    ]
    if not lookups:
        return []
    return [
        _diag(
            file.display,
            plan.site.line,
            plan.site.col,
            Severity.WARNING,
            codes.DEFAULT_NAME,
            Caution.DEFAULT_LAYER_NAME.text(
                new=default_layer_name(layer.name), lookups=", ".join(lookups[:3])
            ),
        )
        for layer, plan in unnamed
    ]


def _report_sites(
    display: str,
    resolutions: list[Resolution],
    converted: list[tuple[GeneratedLayer, LayerPlan]],
    draft: _Draft,
) -> None:
    """A report for each refused and each converted site; the converted sites' warnings."""
    for res in resolutions:
        if isinstance(res, Declined):
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


def _patched(
    file: _File,
    converted: list[tuple[GeneratedLayer, LayerPlan]],
    named: _Named,
    package: str | None,
    module: str,
    cplans: list[CallablePlan] = (),
) -> str:
    """The model file with its sites replaced, moved definitions removed, the generated
    module ``module`` imported and the imports nothing uses any more dropped."""
    src = file.src
    edits = [
        edit for layer, plan in converted for edit in site_edits(src, plan, layer.name)
    ]
    edits += callable_outcome.site_edits(src, cplans)
    moved_names = {
        m.name: m for _l, p in converted for m in p.moved if not m.copied
    }  # a copy (legacy calls rewritten) leaves the model file's definition alone
    for c in cplans:
        for m in c.draft.moved:
            moved_names.setdefault(m.name, m)
    moved = {
        id(m.stmt): m for m in moved_names.values()
    }  # one statement may bind several names
    edits += [removal_edit(src, m.stmt) for m in moved.values()]
    still_used = names_after_edits(src, file.finder.nodes, edits)
    back = [
        name for name in moved_names if name in still_used or not name.startswith("_")
    ]
    statement = import_statement(
        package,
        file.finder.nodes,
        module,
        [layer.name for layer, _ in named]
        + back
        + [name for c in cplans for name in c.imported],
    )
    first_use = min(
        [p.site.call.lineno for _l, p in converted]
        + [m.stmt.lineno for m in moved.values()]
        + [c.site.line for c in cplans]
    )
    edits.append(import_edit(src, file.tree, statement, first_use))
    edits += unused_import_edits(src, file.tree, file.finder.aliases - still_used)
    patched = apply_edits(src.text, edits)
    ast.parse(
        patched
    )  # safety net: a patch that does not parse is a bug, never written
    return patched


def _render(
    file: _File,
    package: str,
    named: _Named,
    draft: _Draft,
    flavour: Flavour,
    callables=None,
) -> tuple[str, _Named]:
    """Render the module; a layer whose code black cannot format is refused alone.
    ``callables``: the serialized callables' part of the module (``render_module``)."""

    def render(items: _Named) -> str | Exception:
        return _formatted(
            lambda: render_module(
                file.src,
                file.path.name,
                package,
                [l for l, _ in items],
                [p for _, g in items for p in g],
                flavour,
                callables,
            )
        )

    text = render(named)
    if not isinstance(text, Exception):
        return text, named
    if not named:
        raise text
    kept = []
    for item in named:
        alone = render([item])
        if not isinstance(alone, Exception):
            kept.append(item)
            continue
        for plan in item[1]:
            _refuse_unformattable(file.display, plan.site, alone, draft)
    if not kept and callables is None:
        return "", kept
    text = render(kept)
    if isinstance(text, Exception):
        raise text
    return text, kept


def _formatted(render: Callable[[], str]) -> str | Exception:
    """``render()``, or the error with which black (or the code it was given) refused it."""
    import black

    try:
        return render()
    except (black.InvalidInput, ValueError, SyntaxError) as exc:
        return exc


def _refuse_unformattable(
    display: str, site: LambdaSite, exc: Exception, draft: _Draft
) -> None:
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
