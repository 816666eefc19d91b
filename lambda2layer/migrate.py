"""``migrate``: trained weights out of an old Lambda artifact, into a safe ``.keras``.

RUNS USER CODE: the model is built from the *converted* source. The old
artifact's weights are read as h5 datasets (``model.weights.h5`` inside a
``.keras`` zip, or ``model_weights`` of a legacy ``.h5``); its config, and so
its Lambda bytecode, is never deserialised, unless ``--compare
--trust-old-artifact`` asks for it, in a separate process. The new file is
written only when every check passed.
"""

from __future__ import annotations

import json
import tempfile
import zipfile
from dataclasses import asdict, dataclass
from pathlib import Path

from lambda2layer.emit import is_generated
from lambda2layer.write import move_into_place
from lambda2layer.verify import (
    VerifyError,
    import_site,
    last_line,
    parse_target,
    project_root,
    run_worker,
)

_WORKER = Path(__file__).with_name("migrate_worker.py")


def unconverted_sites(file: Path) -> str:
    """What the builder's file still holds that a conversion would change, in words
    ("1 Lambda layer and 2 serialized callables"), or "" (read, never imported)."""
    from lambda2layer.pipeline import convert_source

    try:
        data = file.read_bytes()
    except OSError:
        return ""  # parse_target's checks report an unreadable file
    result = convert_source(file, str(file), data, emit=False)
    callables = sum(site.serialized_callable for site in result.sites)
    lambdas = len(result.sites) - callables
    parts = [
        f"{count} {noun}{'' if count == 1 else 's'}"
        for count, noun in (
            (lambdas, "Lambda layer"),
            (callables, "serialized callable"),
        )
        if count
    ]
    return " and ".join(parts)


class MigrateError(Exception):
    """A usage problem or unreadable input: nothing was written."""


@dataclass(frozen=True, slots=True)
class MigrateReport:
    output: str
    written: bool
    weights: int
    steps: tuple[str, ...]
    reason: str | None


def artifact_format(path: Path) -> str:
    """``keras`` or ``h5``, from the file's content; MigrateError if it is neither."""
    if not path.is_file():
        raise MigrateError(f"{path}: no such file")
    with path.open("rb") as handle:
        head = handle.read(8)
    if head.startswith(b"PK"):
        try:
            with zipfile.ZipFile(path) as archive:
                names = set(archive.namelist())
                bad = archive.testzip()
        except (zipfile.BadZipFile, OSError, EOFError) as exc:
            raise MigrateError(f"{path}: corrupt .keras archive ({exc})") from exc
        if bad is not None:
            raise MigrateError(f"{path}: corrupt .keras archive (bad CRC in {bad})")
        if "model.weights.h5" not in names:
            raise MigrateError(f"{path}: .keras archive without model.weights.h5")
        return "keras"
    if head == b"\x89HDF\r\n\x1a\n":
        import h5py

        try:
            with h5py.File(path, "r") as f:
                group = f["model_weights"] if "model_weights" in f else f
                if "layer_names" not in group.attrs:
                    raise MigrateError(
                        f"{path}: HDF5 file without Keras weights (no layer_names)"
                    )
        except OSError as exc:
            raise MigrateError(f"{path}: unreadable HDF5 file ({exc})") from exc
        return "h5"
    raise MigrateError(f"{path}: neither a .keras archive nor an HDF5 file")


def generated_modules(root: Path) -> list[tuple[str, str]]:
    """(sys.path base, dotted name) of every module lambda2layer generated under ``root``."""
    found = []
    for path in sorted(root.rglob("*.py")):
        if any(
            part.startswith(".") or part in ("__pycache__", "site-packages")
            for part in path.relative_to(root).parts
        ):
            continue
        try:
            head = path.read_text("utf-8", errors="replace")[:300]
        except OSError:
            continue
        if is_generated(head):
            site = import_site(path, root)
            found.append((str(site.base), site.module))
    return found


def _run(stage: str, request: dict, work: Path) -> dict:
    request_file = work / f"{stage}.request.json"
    request_file.write_text(json.dumps(dict(request, stage=stage)), "utf-8")
    log = work / f"{stage}.log"
    code = run_worker(_WORKER, request_file, log)
    if code is None:
        return {"error": f"{stage} stage timed out"}
    try:
        return json.loads((work / f"{stage}.result.json").read_text("utf-8"))
    except (OSError, ValueError):
        return {
            "error": f"{stage} stage exited with code {code}: {last_line(log) or 'no output'}"
        }


def migrate(
    old: Path,
    builder: str,
    output: Path,
    kwargs: dict | None = None,
    compare: bool = False,
    trust_old_artifact: bool = False,
    atol: float = 1e-5,
    force: bool = False,
) -> MigrateReport:
    if compare and not trust_old_artifact:
        raise MigrateError(
            "--compare loads the old artifact with unsafe deserialization; pass --trust-old-artifact too"
        )
    if output.suffix != ".keras":
        raise MigrateError(f"{output}: the output must be a .keras file")
    if not output.parent.is_dir():
        raise MigrateError(f"{output.parent}: no such folder")
    if output.exists() and not force:
        raise MigrateError(f"{output} exists; pass --force to replace it")
    fmt = artifact_format(old)
    try:
        file, name = parse_target(builder)
    except VerifyError as exc:
        raise MigrateError(str(exc)) from exc
    left = unconverted_sites(file)
    if left:
        raise MigrateError(
            f"{file} still holds {left}: --builder must name converted "
            "source (run `lambda2layer convert` on it first)"
        )
    root = project_root(file)
    site = import_site(file.resolve(), root)
    request = {
        "workdir": "",
        "modules": [(str(site.base), site.module), *generated_modules(root)],
        "extra_path": [str(root)],
        "builder": name,
        "kwargs_json": json.dumps(kwargs or {}),
        "old": str(old.resolve()),
        "old_format": fmt,
        "new_tmp": "",
        "atol": atol,
    }
    steps = []
    with tempfile.TemporaryDirectory(prefix="l2l_migrate_") as tmp:
        work = Path(tmp)
        new_tmp = output.parent / f".{output.name}.l2l-tmp.keras"
        request.update(workdir=str(work), new_tmp=str(new_tmp))
        try:
            built = _run("build", request, work)
            if built.get("error"):
                return MigrateReport(
                    str(output), False, 0, tuple(steps), built["error"]
                )
            steps.append(
                f"built {file}::{name} from the converted source; {built['weights']} weight arrays matched by structure and shape and loaded"
            )
            reloaded = _run("reload", request, work)
            if reloaded.get("error"):
                return MigrateReport(
                    str(output),
                    False,
                    built["weights"],
                    tuple(steps),
                    reloaded["error"],
                )
            steps.append(
                f"reloaded with safe_mode=True in a fresh process: same outputs (max abs diff {reloaded['max_abs_diff']:.3g})"
            )
            if reloaded.get("evaluated"):
                steps.append(
                    "compiled: came back compiled, with the same loss and metric values (evaluate on the same data)"
                )
            if compare:
                against = _run("old", request, work)
                if against.get("error"):
                    return MigrateReport(
                        str(output),
                        False,
                        built["weights"],
                        tuple(steps),
                        against["error"],
                    )
                steps.append(
                    f"old artifact (trusted, unsafe load in its own process): same outputs (max abs diff {against['max_abs_diff']:.3g})"
                )
            problem = move_into_place(new_tmp, output)
            if problem:
                return MigrateReport(
                    str(output), False, built["weights"], tuple(steps), problem
                )
            steps.append(f"wrote {output}")
            return MigrateReport(
                str(output), True, built["weights"], tuple(steps), None
            )
        finally:
            if new_tmp.exists():
                new_tmp.unlink()


def render_text(report: MigrateReport) -> str:
    lines = [
        "lambda2layer migrate: this RUNS YOUR CODE - it builds the model from the converted source."
    ]
    lines += [f"  ok: {s}" for s in report.steps]
    lines.append(
        f"  FAILED: {report.reason}; nothing was written"
        if report.reason
        else "migration passed"
    )
    return "\n".join(lines) + "\n"


def render_json(report: MigrateReport) -> str:
    return json.dumps(asdict(report), indent=2) + "\n"
