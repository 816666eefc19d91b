"""``verify``: convert a copy, then prove the conversion by RUNNING USER CODE.

For every ``FILE::BUILDER`` three child processes (see ``verify_worker``) build
the original model, build the converted model with the same weights and inputs,
and reload the converted model with ``safe_mode=True`` in a fresh interpreter
that imports only the generated modules. Each builder gets a ``BuilderVerdict``.

Usage problems (a malformed target, a missing file, bad JSON) raise
``VerifyError``; anything that goes wrong inside user code is a failed verdict
with a reason, never an exception.
"""

from __future__ import annotations

import json
import keyword
import math
import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass, replace
from pathlib import Path

from lambda2layer.discover import discover
from lambda2layer.options import ConfigError, Options, load_options
from lambda2layer.project import find_project_root, package_walk
from lambda2layer.report import table
from lambda2layer.run import convert_files
from lambda2layer.verify_worker import (
    Module,
    Stage,
    StageRequest,
    StageResult,
    request_to_json,
    result_from_json,
    result_path,
)

COPY_SKIPS = (
    ".git",
    ".hg",
    ".venv",
    "__pycache__",
    ".mypy_cache",
    ".pytest_cache",
    ".tox",
    ".nox",
)
STAGE_TIMEOUT = 900.0  # seconds for one child process
DEFAULT_SEED = 0
_WORKER = Path(__file__).with_name("verify_worker.py")
HEADER = (
    "lambda2layer verify: this RUNS YOUR CODE - it imported your modules and called "
    "each builder in child processes."
)


class VerifyError(Exception):
    """A verify request the tool cannot carry out (bad target, missing file, bad JSON)."""


@dataclass(frozen=True, slots=True)
class BuilderVerdict:
    target: str  # FILE::BUILDER as given
    passed: bool  # outputs equal and safe-mode reload ok, nothing else failed
    outputs_equal: bool | None  # converted vs original outputs; None = not compared
    max_abs_diff: float | None  # converted vs original; None: not compared/stochastic
    stochastic: bool  # original predicted differently twice: shapes/finiteness compared
    # loaded with safe_mode=True in a fresh process importing only the generated
    # modules, and reproduced the converted model's outputs; None = not attempted
    safe_mode_reload: bool | None
    seconds: float
    # the original was compiled: the converted and the reloaded models came back
    # compiled with the same loss and metric values (``evaluate`` on the same
    # data); None = the original was not compiled (or is stochastic)
    evaluate_equal: bool | None  # wall time of the three stages
    reason: str | None  # every failure, "; "-joined; None when passed
    workdir: Path | None = None  # the kept work folder (keep=True only)


@dataclass(frozen=True, slots=True)
class ImportSite:
    """How a file is imported: ``module`` by dotted name with ``base`` on sys.path."""

    base: Path
    module: str


@dataclass(frozen=True, slots=True)
class ConvertedProject:
    root: Path
    generated: tuple[ImportSite, ...]  # every module the conversion created


@dataclass(frozen=True, slots=True)
class Job:
    target: str
    builder: str
    original: ImportSite
    original_root: Path
    converted: ImportSite
    project: ConvertedProject


@dataclass(frozen=True, slots=True)
class Settings:
    kwargs_json: str
    inputs: Path | None
    atol: float
    seed: int


# --- arguments -------------------------------------------------------------


def parse_target(text: str) -> tuple[Path, str]:
    """``path/model.py::build_model`` -> (path, builder); raises VerifyError."""
    file_part, sep, builder = text.rpartition("::")
    if not sep or not file_part or not builder:
        raise VerifyError(
            f"{text!r}: expected FILE::BUILDER, e.g. model.py::build_model"
        )
    if not all(
        p.isidentifier() and not keyword.iskeyword(p) for p in builder.split(".")
    ):
        raise VerifyError(f"{text!r}: {builder!r} is not a Python name")
    path = Path(file_part)
    if not path.is_file():
        raise VerifyError(f"{file_part}: no such file")
    if path.suffix != ".py":
        raise VerifyError(f"{file_part}: not a Python file (.py)")
    if not path.stem.isidentifier():
        raise VerifyError(
            f"{file_part}: {path.stem!r} cannot be imported as a module name"
        )
    if not _may_define(path, builder.split(".")[0]):
        raise VerifyError(f"{file_part}: defines no {builder.split('.')[0]!r}")
    return path, builder


def _may_define(path: Path, name: str) -> bool:
    """Whether the file's top level binds ``name`` (read, never run). A file that
    cannot be parsed, or star-imports, or sets globals dynamically, may."""
    import ast

    try:
        tree = ast.parse(path.read_bytes())
    except (SyntaxError, ValueError, OSError):
        return True
    for node in ast.walk(tree):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            if node.name == name:
                return True
        elif isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store):
            if node.id == name:
                return True
        elif isinstance(node, ast.alias):
            if node.name == "*" or (node.asname or node.name.split(".")[0]) == name:
                return True
        elif isinstance(node, ast.Name) and node.id in ("globals", "setattr"):
            return True
    return False


def parse_kwargs(text: str | None) -> dict[str, object]:
    """The ``--kwargs`` JSON object; raises VerifyError."""
    if text is None or not text.strip():
        return {}
    try:
        value = json.loads(text)
    except json.JSONDecodeError as exc:
        raise VerifyError(f"--kwargs is not valid JSON: {exc}") from exc
    if not isinstance(value, dict):
        raise VerifyError(f"--kwargs must be a JSON object, not {type(value).__name__}")
    return value


def _kwargs_json(kwargs: dict[str, object] | None) -> str:
    if kwargs is None:
        return "{}"
    if not isinstance(kwargs, dict) or not all(isinstance(k, str) for k in kwargs):
        raise VerifyError("kwargs must be a mapping of argument names to JSON values")
    if not all(k.isidentifier() for k in kwargs):
        raise VerifyError("kwargs keys must be Python argument names")
    try:
        return json.dumps(kwargs)
    except (TypeError, ValueError) as exc:
        raise VerifyError(f"kwargs must be JSON values: {exc}") from exc


def _check_paths(converted: Path | None, inputs: Path | None, atol: float) -> None:
    if converted is not None and not converted.is_dir():
        raise VerifyError(f"--converted {converted}: no such folder")
    if inputs is not None and not inputs.is_file():
        raise VerifyError(f"--inputs {inputs}: no such file")
    if math.isnan(atol) or atol < 0:
        raise VerifyError(f"--atol must be a non-negative number, not {atol}")


# --- layout ----------------------------------------------------------------


def project_root(file: Path) -> Path:
    """Nearest ancestor with a project marker, else the folder above the file's top package."""
    folder = file.resolve().parent
    marked = find_project_root(folder)
    return marked if marked is not None else package_walk(folder)[0]


def import_site(file: Path, root: Path) -> ImportSite:
    """Dotted name from the nearest folder that is not a package (not above ``root``)."""
    parts = [file.stem]
    folder = file.parent
    while folder != root.parent and (folder / "__init__.py").is_file():
        parts.insert(0, folder.name)
        folder = folder.parent
    return ImportSite(folder, ".".join(parts))


def _walk_python(root: Path, suffix: str) -> Iterable[Path]:
    for folder, dirs, names in os.walk(root):
        dirs[:] = sorted(d for d in dirs if d not in COPY_SKIPS)
        for name in sorted(names):
            if name.endswith(suffix):
                yield Path(folder) / name


def _ignore_skips(folder: str, names: list[str]) -> set[str]:
    return {n for n in names if n in COPY_SKIPS}


def copy_project(root: Path, dest: Path) -> Path:
    """Copy ``root`` to ``dest/<root name>`` without VCS, venv or cache folders."""
    target = dest / root.name
    shutil.copytree(root, target, ignore=_ignore_skips, symlinks=True)
    return target


def _options(start: Path) -> Options:
    try:
        return load_options(start)
    except ConfigError as exc:
        raise VerifyError(str(exc)) from exc


def convert_copy(root: Path, dest: Path) -> ConvertedProject:
    """Copy the project and convert the copy in place with the library."""
    copy = copy_project(root, dest)
    options = replace(_options(copy), jobs=1)
    found = discover(
        [copy], exclude=options.exclude, extend_exclude=options.extend_exclude
    )
    generated = []
    for result in convert_files(found.files, options, write=True):
        if result.write_problem:
            raise VerifyError(
                f"cannot write the converted copy of {result.path.name}: {result.write_problem}"
            )
        if result.written and result.module_path is not None:
            generated.append(import_site(result.module_path, copy))
    return ConvertedProject(copy, tuple(generated))


def find_generated(original_root: Path, converted_root: Path) -> ConvertedProject:
    """In a ready converted copy: ``*<suffix>.py`` files new or changed vs the original."""
    suffix = _options(original_root).module_suffix + ".py"
    generated = []
    for path in _walk_python(converted_root, suffix):
        before = original_root / path.relative_to(converted_root)
        if not before.is_file() or before.read_bytes() != path.read_bytes():
            generated.append(import_site(path, converted_root))
    return ConvertedProject(converted_root, tuple(generated))


def _project_for(
    root: Path, converted: Path | None, work: Path, cache: dict[Path, ConvertedProject]
) -> ConvertedProject:
    if root not in cache:
        if converted is not None:
            cache[root] = find_generated(root, converted.resolve())
        else:
            cache[root] = convert_copy(root, work / f"converted-{len(cache)}")
    return cache[root]


def plan_jobs(targets: Sequence[str], converted: Path | None, work: Path) -> list[Job]:
    parsed = [(text, *parse_target(text)) for text in targets]
    cache: dict[Path, ConvertedProject] = {}
    jobs = []
    for text, path, builder in parsed:
        file = path.resolve()
        root = project_root(file)
        project = _project_for(root, converted, work, cache)
        twin = project.root / file.relative_to(root)
        if not twin.is_file():
            raise VerifyError(f"{project.root}: no converted {file.relative_to(root)}")
        original = import_site(file, root)
        jobs.append(
            Job(text, builder, original, root, import_site(twin, project.root), project)
        )
    return jobs


# --- child processes -------------------------------------------------------


def _child_env() -> dict[str, str]:
    env = dict(os.environ)
    env.setdefault("KERAS_BACKEND", "tensorflow")
    env["TF_CPP_MIN_LOG_LEVEL"] = "3"
    env["PYTHONDONTWRITEBYTECODE"] = "1"  # leave no __pycache__ in the user's project
    return env


def last_line(log: Path) -> str:
    try:
        text = log.read_text("utf-8", errors="replace")
    except OSError:
        return ""
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    return lines[-1][:240] if lines else ""


def run_worker(
    worker: Path, request_file: Path, log: Path, cwd: Path | None = None
) -> int | None:
    """Run a worker script on a request file in a fresh interpreter (``-P``: the
    tool's own folder never shadows the user's modules); its output goes to ``log``.
    Returns the exit code, or None if it timed out. Shared with ``migrate``."""
    try:
        with log.open("wb") as out:
            return subprocess.run(
                [sys.executable, "-P", str(worker), str(request_file)],
                cwd=cwd,
                env=_child_env(),
                stdout=out,
                stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL,
                timeout=STAGE_TIMEOUT,
                check=False,
            ).returncode
    except subprocess.TimeoutExpired:
        return None


def run_stage(request: StageRequest, cwd: Path) -> StageResult:
    """Run one worker stage in a fresh interpreter and read back its result."""
    work = Path(request.workdir)
    name = request.stage.value
    request_file = work / f"{name}.request.json"
    request_file.write_text(request_to_json(request), "utf-8")
    log = work / f"{name}.log"
    code = run_worker(_WORKER, request_file, log, cwd)
    if code is None:
        return StageResult(error=f"{name} stage timed out after {STAGE_TIMEOUT:g} s")
    result = result_path(work, request.stage)
    try:
        return result_from_json(result.read_text("utf-8"))
    except (OSError, ValueError, TypeError):
        tail = last_line(log)
        return StageResult(
            error=f"{name} stage exited with code {code}: {tail or 'no output'}"
        )


def _modules(job: Job, stage: Stage) -> tuple[Module, ...]:
    if stage is Stage.ORIGINAL:
        return (Module(str(job.original.base), job.original.module),)
    if stage is Stage.CONVERTED:
        return (Module(str(job.converted.base), job.converted.module),)
    return tuple(Module(str(s.base), s.module) for s in job.project.generated)


def _request(
    job: Job, stage: Stage, work: Path, settings: Settings, stochastic: bool
) -> StageRequest:
    root = job.original_root if stage is Stage.ORIGINAL else job.project.root
    return StageRequest(
        stage=stage,
        workdir=str(work),
        modules=_modules(job, stage),
        extra_path=(str(root),),
        builder=job.builder,
        kwargs_json=settings.kwargs_json,
        seed=settings.seed,
        atol=settings.atol,
        inputs=str(settings.inputs) if settings.inputs else None,
        stochastic=stochastic,
    )


def _cwd(job: Job, stage: Stage, work: Path) -> Path:
    if stage is Stage.ORIGINAL:
        return job.original_root
    if stage is Stage.CONVERTED:
        return job.project.root
    return work


def _stage(
    job: Job, stage: Stage, work: Path, settings: Settings, stochastic: bool
) -> StageResult:
    return run_stage(
        _request(job, stage, work, settings, stochastic), _cwd(job, stage, work)
    )


# --- verdicts --------------------------------------------------------------


def _reasons(
    original: StageResult, converted: StageResult | None, reload: StageResult | None
) -> list[str]:
    """Every failure once: a reload that differs from the original only because
    the converted model already did is not reported again."""
    found = [r for r in (original.error,) if r]
    if converted is not None:
        found.extend(
            r
            for r in (converted.error, converted.mismatch, converted.evaluate_problem)
            if r
        )
    if reload is not None:
        found.extend(
            r for r in (reload.error, reload.round_trip, reload.evaluate_problem) if r
        )
        if reload.mismatch and converted is not None and converted.outputs_equal:
            found.append(reload.mismatch)
    return found


def _reload_ok(converted: StageResult, reload: StageResult | None) -> bool | None:
    """Loaded with safe_mode=True and reproduced the converted model's outputs."""
    if reload is None:
        return False if converted.outputs_equal is not None else None
    return reload.error is None and reload.round_trip is None


def _evaluate_equal(
    original: StageResult, converted: StageResult | None, reload: StageResult | None
) -> bool | None:
    """Both later stages evaluated the compiled model and agreed."""
    if not original.evaluated:
        return None
    stages = [converted, reload]
    return all(
        s is not None and s.evaluated and s.evaluate_problem is None for s in stages
    )


def make_verdict(
    job: Job,
    original: StageResult,
    converted: StageResult | None,
    reload: StageResult | None,
    seconds: float,
    workdir: Path | None,
) -> BuilderVerdict:
    reasons = _reasons(original, converted, reload)
    outputs_equal = converted.outputs_equal if converted else None
    reload_ok = _reload_ok(converted, reload) if converted else None
    evaluate_equal = _evaluate_equal(original, converted, reload)
    return BuilderVerdict(
        target=job.target,
        passed=not reasons
        and outputs_equal is True
        and reload_ok is True
        and evaluate_equal is not False,
        outputs_equal=outputs_equal,
        max_abs_diff=converted.max_abs_diff if converted else None,
        stochastic=original.stochastic,
        safe_mode_reload=reload_ok,
        seconds=round(seconds, 2),
        evaluate_equal=evaluate_equal,
        reason="; ".join(reasons) or None,
        workdir=workdir,
    )


def verify_job(job: Job, work: Path, settings: Settings, keep: bool) -> BuilderVerdict:
    """The three stages for one builder; later stages run only when they can."""
    start = time.perf_counter()
    work.mkdir(parents=True)
    original = _stage(job, Stage.ORIGINAL, work, settings, False)
    converted = reload = None
    if original.error is None:
        converted = _stage(job, Stage.CONVERTED, work, settings, original.stochastic)
        if converted.saved:
            reload = _stage(job, Stage.RELOAD, work, settings, original.stochastic)
    seconds = time.perf_counter() - start
    return make_verdict(
        job, original, converted, reload, seconds, work if keep else None
    )


def verify(
    targets: list[str],
    kwargs: dict[str, object] | None = None,
    converted: Path | None = None,
    inputs: Path | None = None,
    atol: float = 1e-5,
    keep: bool = False,
    seed: int = DEFAULT_SEED,
) -> list[BuilderVerdict]:
    """Verify each ``FILE::BUILDER``; RUNS USER CODE in child processes.

    Without ``converted`` the project holding each FILE is copied to a temporary
    folder and converted there; the user's files are never written. ``keep``
    leaves the work folder (copies, arrays, saved model, logs) in place.
    """
    if not targets:
        raise VerifyError("no FILE::BUILDER given")
    for text in targets:
        parse_target(text)
    _check_paths(converted, inputs, atol)
    settings = Settings(
        _kwargs_json(kwargs), inputs.resolve() if inputs else None, atol, seed
    )
    work = Path(tempfile.mkdtemp(prefix="lambda2layer-verify-"))
    try:
        jobs = plan_jobs(targets, converted, work)
        return [
            verify_job(job, work / f"builder-{i}-{job.builder}", settings, keep)
            for i, job in enumerate(jobs)
        ]
    finally:
        if not keep:
            shutil.rmtree(work, ignore_errors=True)


# --- rendering -------------------------------------------------------------


def _outputs_cell(verdict: BuilderVerdict) -> str:
    if verdict.outputs_equal is None:
        return "not compared"
    if verdict.stochastic:
        status = "ok" if verdict.outputs_equal else "DIFFER"
        return f"stochastic (shapes and finiteness compared): {status}"
    word = "equal" if verdict.outputs_equal else "DIFFER"
    diff = "n/a" if verdict.max_abs_diff is None else f"{verdict.max_abs_diff:.3g}"
    return f"{word} (max abs diff {diff})"


def _evaluate_cell(verdict: BuilderVerdict) -> str:
    if verdict.evaluate_equal is None:
        return "not compared" if verdict.stochastic else "not compiled"
    return "equal" if verdict.evaluate_equal else "DIFFER"


def _reload_cell(verdict: BuilderVerdict) -> str:
    if verdict.safe_mode_reload is None:
        return "not attempted"
    return "ok" if verdict.safe_mode_reload else "FAILED"


def render_text(verdicts: Sequence[BuilderVerdict]) -> str:
    """Header, one row per builder, then the reason for each failure."""
    rows = [("target", "outputs", "evaluate", "safe-mode reload", "time", "verdict")]
    for v in verdicts:
        verdict = "PASS" if v.passed else "FAIL"
        rows.append(
            (
                v.target,
                _outputs_cell(v),
                _evaluate_cell(v),
                _reload_cell(v),
                f"{v.seconds:.1f}s",
                verdict,
            )
        )
    lines = [HEADER, "", *(line.rstrip() for line in table(rows))]
    failures = [v for v in verdicts if not v.passed]
    if failures:
        lines.append("")
        lines.extend(f"{v.target}: {v.reason or 'failed'}" for v in failures)
    kept = [v for v in verdicts if v.workdir is not None]
    lines.extend(f"{v.target}: work folder kept at {v.workdir}" for v in kept)
    passed = len(verdicts) - len(failures)
    lines.append("")
    lines.append(f"{passed} passed, {len(failures)} failed")
    return "\n".join(lines) + "\n"


def _verdict_record(verdict: BuilderVerdict) -> dict[str, object]:
    record = asdict(verdict)
    record["workdir"] = str(verdict.workdir) if verdict.workdir else None
    return record


def render_json(verdicts: Sequence[BuilderVerdict]) -> str:
    document = {
        "runs_user_code": True,
        "note": HEADER,
        "passed": all_passed(verdicts),
        "builders": [_verdict_record(v) for v in verdicts],
    }
    return json.dumps(document, indent=2) + "\n"


def all_passed(verdicts: Sequence[BuilderVerdict]) -> bool:
    """Exit status 0 only when this is true."""
    return bool(verdicts) and all(v.passed for v in verdicts)
