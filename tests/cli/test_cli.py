"""The command line: modes, exit codes, and that bad input never costs data."""

from __future__ import annotations

import ctypes
import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest
from support import invoke, tree

MODEL = """import keras
from keras import layers

SCALE = 2.0


def build_model():
    inp = keras.Input((3,))
    return keras.Model(inp, layers.Lambda(lambda t: t * SCALE)(inp))
"""

REFUSED = """import threading
import keras
from keras import layers

LOCK = threading.Lock()


def build_model():
    inp = keras.Input((3,))
    a = layers.Lambda(lambda t: t if LOCK else t)(inp)
    return keras.Model(inp, layers.Lambda(lambda t: t + 1.0)(a))
"""


@pytest.fixture
def project(tmp_path: Path) -> Path:
    (tmp_path / "model.py").write_text(MODEL)
    (tmp_path / "other.py").write_text("x = 1\n")
    return tmp_path


def test_convert_writes_module_and_patches(project: Path) -> None:
    result = invoke("convert", str(project))
    assert result.exit_code == 0, result.output
    text = (project / "model.py").read_text()
    assert "Lambda" not in text
    assert "from model_layers import Scale" in text
    assert "register_keras_serializable" in (project / "model_layers.py").read_text()
    assert (project / "other.py").read_text() == "x = 1\n"


def test_diff_prints_and_writes_nothing(project: Path) -> None:
    before = tree(project)
    result = invoke("convert", "--diff", str(project))
    assert result.exit_code == 0
    assert "@@" in result.stdout and f"+++ {project / 'model.py'}" in result.stdout
    assert "/dev/null" in result.stdout  # the new module is part of the diff
    assert tree(project) == before


def test_check_exits_one_when_changes_pending_and_zero_after(project: Path) -> None:
    before = tree(project)
    assert invoke("convert", "--check", str(project)).exit_code == 1
    assert tree(project) == before
    assert invoke("convert", str(project)).exit_code == 0
    assert invoke("convert", "--check", str(project)).exit_code == 0


def test_second_run_is_a_no_op(project: Path) -> None:
    invoke("convert", str(project))
    after = tree(project)
    assert invoke("convert", str(project)).exit_code == 0
    assert tree(project) == after


def test_refusal_exit_one_diagnostic_and_partial_conversion(tmp_path: Path) -> None:
    (tmp_path / "model.py").write_text(REFUSED)
    result = invoke("convert", str(tmp_path))
    assert result.exit_code == 1
    line = next(l for l in result.stderr.splitlines() if "L2L203" in l)
    assert (
        f"{tmp_path / 'model.py'}:10:" in line
        and "LOCK" in line
        and "threading.Lock" in line
    )
    text = (tmp_path / "model.py").read_text()
    assert (
        "a = layers.Lambda(lambda t: t if LOCK else t)(inp)" in text
    )  # byte-identical site
    assert "layers.Lambda(lambda t: t + 1.0)" not in text  # the other site converted


def test_missing_path_is_usage_error(tmp_path: Path) -> None:
    result = invoke("convert", str(tmp_path / "nope"))
    assert result.exit_code == 2
    assert "no such file" in result.stderr


def test_unparsable_file_reported_and_untouched(tmp_path: Path) -> None:
    py2 = b'from keras.layers import Lambda\nprint "hi"\n'
    (tmp_path / "old.py").write_bytes(py2)
    (tmp_path / "model.py").write_text(MODEL)
    result = invoke("convert", str(tmp_path))
    assert result.exit_code == 1
    assert (
        f"{tmp_path / 'old.py'}:2:1: L2L002" in result.stderr
    )  # the syntax error's own line
    assert (tmp_path / "old.py").read_bytes() == py2
    assert "Lambda" not in (tmp_path / "model.py").read_text()  # the run went on


def test_unwritable_file_gets_a_message_and_nothing_is_written(
    project: Path, monkeypatch
) -> None:
    # root may write anything, so the refusal of the operating system is simulated
    real_access = os.access
    model = project / "model.py"
    monkeypatch.setattr(
        os,
        "access",
        lambda p, mode: False if Path(p) == model else real_access(p, mode),
    )
    result = invoke("convert", str(project))
    assert result.exit_code == 1
    assert (
        "model.py is read-only" in result.stderr
        and "nothing was changed" in result.stderr
    )
    assert model.read_text() == MODEL
    assert not (project / "model_layers.py").exists()


def test_failed_model_write_removes_the_new_module(project: Path, monkeypatch) -> None:
    import lambda2layer.write as write

    real = write.atomic_write

    def failing(path, data, **kwargs):
        if path.name == "model.py":
            raise PermissionError(13, "Permission denied")
        real(path, data, **kwargs)

    monkeypatch.setattr(write, "atomic_write", failing)
    result = invoke("convert", str(project))
    assert result.exit_code == 1 and "Permission denied" in result.stderr
    assert (project / "model.py").read_text() == MODEL
    assert not (project / "model_layers.py").exists()


@pytest.mark.parametrize(
    "deadly", [{13}, {0, 1}, {0, 13, 29}], ids=["one", "the-first-two", "three"]
)
def test_a_worker_that_dies_costs_only_the_file_it_was_converting(
    tmp_path: Path, monkeypatch, deadly: set[int]
) -> None:
    """A crash that kills the worker process (not a Python exception) breaks the
    process pool: only the files that caused it are reported, every other file
    is converted, and the run still ends with its summary."""
    import lambda2layer.run as run

    real = run.convert_path
    names = {f"m{n}.py" for n in deadly}

    def deadly_read(path, *args, **kwargs):
        if path.name in names:
            os._exit(70)  # as a segfault or the OOM killer would end it
        return real(path, *args, **kwargs)

    monkeypatch.setattr(run, "convert_path", deadly_read)  # workers fork from here
    sources = {n: MODEL.replace("SCALE", f"SCALE_{n}") for n in range(30)}
    for n, text in sources.items():
        (tmp_path / f"m{n}.py").write_text(text)
    result = invoke("convert", "--jobs", "2", str(tmp_path))
    assert result.exit_code == 1
    for n in range(30):
        text = (tmp_path / f"m{n}.py").read_text()
        if n in deadly:
            assert text == sources[n]
            assert f"m{n}.py:1:1: L2L999 internal error: the process" in result.stderr
        else:
            assert "Lambda(" not in text, n
    assert (
        f"30 file(s) scanned, {30 - len(deadly)} changed" in result.stderr
        and f"{len(deadly)} skipped" in result.stderr
    )


_PR_CAPBSET_DROP = 24  # prctl(2)
_CAP_DAC_OVERRIDE, _CAP_DAC_READ_SEARCH = 1, 2  # capability(7)


def _without_root_overrides() -> None:
    """In the child, before exec: root gives up the capabilities that let it
    write past mode bits, so the new program honours 0444 as any user does."""
    libc = ctypes.CDLL(None, use_errno=True)
    for cap in (_CAP_DAC_OVERRIDE, _CAP_DAC_READ_SEARCH):
        if libc.prctl(_PR_CAPBSET_DROP, cap, 0, 0, 0) != 0:
            raise OSError(ctypes.get_errno(), "prctl(PR_CAPBSET_DROP)")


def test_read_only_file_gets_the_message_and_stays_as_it_is(project: Path) -> None:
    """Mode bits 0444 on a file in a writable folder: the write is refused before
    anything is written. Root may write past mode bits, so the run is a child
    process that has given up that power (the branch runs for every user)."""
    model = project / "model.py"
    model.chmod(0o444)
    try:
        result = subprocess.run(
            [sys.executable, "-m", "lambda2layer", "convert", str(project)],
            capture_output=True,
            text=True,
            timeout=120,
            preexec_fn=_without_root_overrides if os.geteuid() == 0 else None,
        )
        assert result.returncode == 1, result.stderr
        assert result.stderr.splitlines()[0] == (
            f"{model}:1:1: L2L004 not written: model.py is read-only; nothing was changed"
        ), result.stderr
        assert model.read_text() == MODEL
        assert not (project / "model_layers.py").exists()
        assert stat.S_IMODE(model.stat().st_mode) == 0o444
    finally:
        model.chmod(0o644)


@pytest.mark.skipif(
    os.geteuid() != 0, reason="only root may replace a file whose bits say read-only"
)
def test_root_converts_a_read_only_file_and_keeps_its_bits(project: Path) -> None:
    model = project / "model.py"
    model.chmod(0o444)
    result = invoke("convert", str(project))
    assert result.exit_code == 0, result.output
    assert "Lambda" not in model.read_text()
    assert stat.S_IMODE(model.stat().st_mode) == 0o444


def test_mode_bits_are_kept(project: Path) -> None:
    model = project / "model.py"
    model.chmod(0o640)
    invoke("convert", str(project))
    assert stat.S_IMODE(model.stat().st_mode) == 0o640


def test_existing_foreign_module_is_never_overwritten(project: Path) -> None:
    (project / "model_layers.py").write_text("# mine\n")
    result = invoke("convert", str(project))
    assert result.exit_code == 0
    assert (project / "model_layers.py").read_text() == "# mine\n"
    assert "L2L003" in result.stderr and "model_layers_2.py" in result.stderr
    assert "from model_layers_2 import Scale" in (project / "model.py").read_text()


def test_scan_lists_sites_and_writes_nothing(tmp_path: Path) -> None:
    (tmp_path / "model.py").write_text(REFUSED)
    before = tree(tmp_path)
    result = invoke("scan", str(tmp_path))
    assert result.exit_code == 1
    assert "model.py:10:9  inline lambda  refused" in result.stdout
    assert "L2L203 `LOCK`" in result.stdout
    assert "model.py:11:29  inline lambda  -> Shift" in result.stdout
    assert tree(tmp_path) == before


def test_gitignored_and_default_excluded_folders_are_skipped(project: Path) -> None:
    (project / ".gitignore").write_text("generated/\n")
    for folder in ("generated", ".venv", "build"):
        (project / folder).mkdir()
        (project / folder / "m.py").write_text(MODEL)
    result = invoke("convert", "--verbose", str(project))
    assert result.exit_code == 0
    for folder in ("generated", ".venv", "build"):
        assert (project / folder / "m.py").read_text() == MODEL
    assert "ignored by" in result.stderr and "excluded by default" in result.stderr


def _console(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "lambda2layer", *args],
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_console_script_exit_codes_and_output(project: Path, tmp_path: Path) -> None:
    """The console script leaves with os._exit: exit codes and every byte of its
    output must still come through."""
    for n in range(40):  # a diff long enough to need more than one buffer flush
        (project / f"m{n}.py").write_text(MODEL.replace("SCALE", f"SCALE_{n}"))
    diff = _console("convert", "--diff", "--no-color", str(project))
    assert diff.returncode == 0, diff.stderr
    assert diff.stdout.count("\n+++ ") == 2 * 41  # each model file and its new module
    assert diff.stdout.endswith("\n") and "41 would change" in diff.stderr
    assert _console("convert", "--check", str(project)).returncode == 1
    assert _console("convert", str(project)).returncode == 0
    assert _console("convert", "--check", str(project)).returncode == 0
    assert _console("convert", str(tmp_path / "missing")).returncode == 2
    usage = _console("convert", "--no-such-option")
    assert usage.returncode == 2 and "No such option" in usage.stderr


def test_gitignore_above_the_given_folder_counts_inside_a_repository(
    tmp_path: Path,
) -> None:
    (tmp_path / ".git").mkdir()
    (tmp_path / ".gitignore").write_text("src/vendored/\n")
    vendored = tmp_path / "src" / "vendored"
    vendored.mkdir(parents=True)
    (vendored / "m.py").write_text(MODEL)
    (tmp_path / "src" / "model.py").write_text(MODEL)
    result = invoke("convert", str(tmp_path / "src"))
    assert result.exit_code == 0
    assert (vendored / "m.py").read_text() == MODEL
    assert "Lambda" not in (tmp_path / "src" / "model.py").read_text()


def test_module_left_by_an_interrupted_run_is_reused(project: Path) -> None:
    invoke("convert", str(project))
    module = (project / "model_layers.py").read_bytes()
    (project / "model.py").write_text(
        MODEL
    )  # as if the run stopped before the model file
    assert invoke("convert", str(project)).exit_code == 0
    assert (project / "model_layers.py").read_bytes() == module
    assert not (project / "model_layers_2.py").exists()


def test_huge_file_is_skipped_with_a_message(tmp_path: Path) -> None:
    big = tmp_path / "data.py"
    big.write_bytes(b"# Lambda\n" + b"x = 1\n" * (3 * 2**20))
    result = invoke("convert", str(tmp_path))
    assert result.exit_code == 1 and "larger than any model file" in result.stderr


def test_a_folder_named_explicitly_is_converted_even_if_its_repository_ignores_it(
    tmp_path: Path,
) -> None:
    (tmp_path / ".git").mkdir()
    (tmp_path / ".gitignore").write_text("/out/\n")
    (tmp_path / "out").mkdir()
    (tmp_path / "out" / "model.py").write_text(MODEL)
    assert invoke("convert", str(tmp_path / "out")).exit_code == 0
    assert "Lambda" not in (tmp_path / "out" / "model.py").read_text()
    (tmp_path / "out2").mkdir()
    (tmp_path / "out2" / "model.py").write_text(MODEL)
    (tmp_path / ".gitignore").write_text("/out/\n/out2/\n")
    invoke("convert", str(tmp_path))  # from the top, ignored folders stay ignored
    assert (tmp_path / "out2" / "model.py").read_text() == MODEL


def test_unreadable_folder_is_reported_without_verbose(
    project: Path, monkeypatch
) -> None:
    locked = project / "locked"
    locked.mkdir()
    (locked / "m.py").write_text(MODEL)
    real = os.scandir

    def scandir(path):
        if Path(path) == locked:
            raise PermissionError(13, "Permission denied")
        return real(path)

    monkeypatch.setattr(os, "scandir", scandir)
    result = invoke("convert", str(project))
    assert f"skipped {locked}: cannot read folder: Permission denied" in result.stderr
    assert (locked / "m.py").read_text() == MODEL
    assert "from model_layers import" in (project / "model.py").read_text()


def test_overlapping_roots_and_a_symlink_loop_convert_each_file_once(
    project: Path,
) -> None:
    (project / "loop").symlink_to(project, target_is_directory=True)
    result = invoke("convert", "--verbose", str(project), str(project / "model.py"))
    assert result.exit_code == 0
    assert "symbolic link (not followed)" in result.stderr
    assert "2 file(s) scanned, 1 changed, 1 Lambda(s) converted" in result.stderr


@pytest.mark.parametrize("target", ["model.py", "."])
def test_run_from_inside_a_package_folder_ends(tmp_path: Path, target: str) -> None:
    """``cd pkg && lambda2layer convert model.py`` used to loop forever: the walk up
    the package folders went from ``Path('.')`` to its parent, ``Path('.')``."""
    pkg = tmp_path / "pkg"
    pkg.mkdir()
    (pkg / "__init__.py").write_text("")
    (pkg / "model.py").write_text(MODEL)
    done = subprocess.run(
        [sys.executable, "-m", "lambda2layer", "convert", target],
        cwd=pkg,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    assert "from .model_layers import Scale" in (pkg / "model.py").read_text()
    assert (pkg / "model_layers.py").is_file()


def test_a_repository_root_that_is_a_package_ends(tmp_path: Path) -> None:
    """A pre-commit hook runs at a repository root that may hold an ``__init__.py``."""
    (tmp_path / "__init__.py").write_text("")
    (tmp_path / ".git").mkdir()
    (tmp_path / "model.py").write_text(MODEL)
    done = subprocess.run(
        [sys.executable, "-m", "lambda2layer", "convert", "model.py"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    assert "import Scale" in (tmp_path / "model.py").read_text()
