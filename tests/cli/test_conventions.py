"""What a ruff or black user expects of the command line: version, quiet, colour,
choices, truthful summaries, CI formats that list pending work, suppressions."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from support import invoke, tree

GOOD = "import keras\nfrom keras import layers\n\n\ndef b(x):\n    return layers.Lambda(lambda t: t + 1.0)(x)\n"
BAD = "import keras\nfrom keras import layers\n\n\ndef b(x, fn):\n    return layers.Lambda(fn)(x){comment}\n"


@pytest.fixture
def good(tmp_path: Path) -> Path:
    (tmp_path / "good.py").write_text(GOOD)
    return tmp_path


def _bad(root: Path, comment: str = "") -> Path:
    path = root / "bad.py"
    path.write_text(BAD.format(comment=comment))
    return path


@pytest.mark.parametrize("flag", ["--version", "-V"])
def test_version_flag(flag: str) -> None:
    from lambda2layer import __version__

    result = invoke(flag)
    assert (
        result.exit_code == 0 and result.stdout.strip() == f"lambda2layer {__version__}"
    )


def test_check_and_diff_together_print_the_diff_and_exit_one(good: Path) -> None:
    before = tree(good)
    result = invoke("convert", "--check", "--diff", str(good))
    assert result.exit_code == 1
    assert "@@" in result.stdout and "+class " in result.stdout
    assert tree(good) == before


def test_a_run_that_writes_nothing_says_would(good: Path) -> None:
    for args in (["--check"], ["--diff"]):
        result = invoke("convert", *args, str(good))
        assert "1 would change, 1 Lambda(s) would be converted" in result.stderr
        assert " 1 changed" not in result.stderr
    result = invoke("convert", str(good))
    assert "1 changed, 1 Lambda(s) converted" in result.stderr


def test_check_lists_each_pending_site_in_text_too(good: Path) -> None:
    result = invoke("convert", "--check", str(good))
    assert f"{good / 'good.py'}:6:12: L2L006 would convert this inline lambda to" in (
        result.stderr
    )


def test_diff_with_a_machine_format_keeps_the_streams_apart(good: Path) -> None:
    _bad(good)
    result = invoke("convert", "--diff", "--output-format", "json", str(good))
    rows = json.loads(result.stdout)  # stdout is the JSON alone
    assert [r["code"] for r in rows] == ["L2L201"]
    assert "@@" in result.stderr and "@@" not in result.stdout


def test_quiet_prints_errors_only(good: Path) -> None:
    _bad(good)
    result = invoke("convert", "-q", "--check", str(good))
    assert result.exit_code == 1
    lines = result.stderr.splitlines()
    assert lines and all(": L2L" in line for line in lines)  # no summary line
    assert not any("file(s) scanned" in line for line in lines)


def test_scan_ends_with_a_summary(good: Path) -> None:
    _bad(good)
    result = invoke("scan", str(good))
    assert result.exit_code == 1
    assert (
        "2 file(s) scanned, 1 would change, 1 Lambda(s) would be converted, 1 refused"
        in (result.stderr)
    )


def test_no_color_and_force_color(good: Path) -> None:
    def diff(env: dict[str, str]) -> str:
        environ = {
            k: v for k, v in os.environ.items() if k not in ("NO_COLOR", "FORCE_COLOR")
        }
        return subprocess.run(
            [sys.executable, "-m", "lambda2layer", "convert", "--diff", str(good)],
            capture_output=True,
            text=True,
            env={**environ, **env},
            timeout=120,
        ).stdout

    assert "\x1b[" in diff({"FORCE_COLOR": "1"})
    assert "\x1b[" not in diff({"FORCE_COLOR": "1", "NO_COLOR": "1"})
    assert "\x1b[" not in diff({})  # not a terminal


@pytest.mark.parametrize(
    "args",
    [
        ["convert", "--target", "keras2"],
        ["convert", "--output-format", "html"],
        ["verify", "--output-format", "sarif", "m.py::b"],
        ["audit", "--output-format", "github", "x.keras"],
    ],
)
def test_an_unsupported_choice_is_a_usage_error(args: list[str], good: Path) -> None:
    result = invoke(*args, str(good))
    assert result.exit_code == 2
    assert "Invalid value" in result.output


def test_target_help_shows_its_choices() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "lambda2layer", "convert", "--help"],
        capture_output=True,
        text=True,
        env={**os.environ, "COLUMNS": "200"},
        timeout=120,
    )
    assert "<auto|keras3|tf_keras>" in result.stdout


def test_report_to_a_path_that_cannot_be_written_fails_before_converting(
    good: Path,
) -> None:
    before = tree(good)
    result = invoke("convert", "--report", str(good / "nowhere" / "r.json"), str(good))
    assert result.exit_code == 2 and "no such folder" in result.stderr
    assert tree(good) == before  # nothing converted


def test_a_failed_write_reaches_the_machine_formats(good: Path, monkeypatch) -> None:
    import lambda2layer.write as write

    def failing(path, data, **kwargs):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(write, "atomic_write", failing)
    result = invoke("convert", "--output-format", "json", str(good))
    assert result.exit_code == 1
    rows = json.loads(result.stdout)
    assert [r["code"] for r in rows] == ["L2L004"]
    assert "Permission denied" in rows[0]["message"] and rows[0]["path"].endswith(
        "good.py"
    )
    assert "not written" in result.stderr  # counted in the summary


# -- suppressions ---------------------------------------------------------------------


def test_an_ignore_comment_accepts_the_refusal(good: Path) -> None:
    bad = _bad(good, "  # lambda2layer: ignore")
    before = bad.read_bytes()
    result = invoke("convert", str(good))
    assert result.exit_code == 0, result.stderr
    assert "L2L201" not in result.stderr and "1 ignored" in result.stderr
    assert bad.read_bytes() == before


def test_an_ignore_comment_with_another_code_accepts_nothing(good: Path) -> None:
    _bad(good, "  # lambda2layer: ignore[L2L203]")
    result = invoke("convert", str(good))
    assert result.exit_code == 1 and "L2L201" in result.stderr


def test_an_ignore_comment_with_the_code(good: Path) -> None:
    _bad(good, "  # lambda2layer: ignore[L2L203, L2L201]")
    assert invoke("convert", str(good)).exit_code == 0


def test_ignore_option_and_config(good: Path) -> None:
    _bad(good)
    result = invoke("convert", "--check", "--ignore", "L2L201", str(good))
    assert "L2L201" not in result.stderr and "1 ignored" in result.stderr
    (good / "pyproject.toml").write_text('[tool.lambda2layer]\nignore = ["L2L201"]\n')
    assert invoke("convert", str(good)).exit_code == 0
    assert invoke("convert", "--ignore", "E501", str(good)).exit_code == 2


def test_the_words_in_a_string_do_not_suppress(good: Path) -> None:
    (good / "bad.py").write_text(
        BAD.format(comment="") + 'NOTE = "# lambda2layer: ignore"\n'
    )
    assert invoke("convert", str(good)).exit_code == 1


def test_unused_suppressions_are_listed(good: Path) -> None:
    path = good / "good.py"
    path.write_text(GOOD.replace("(x)\n", "(x)  # lambda2layer: ignore\n"))
    result = invoke("convert", "--check", "--unused-ignores", str(good))
    assert f"{path}:6: unused `lambda2layer: ignore`" in result.stdout


def test_ignored_sites_in_the_report(good: Path) -> None:
    _bad(good, "  # lambda2layer: ignore")
    out = good / "report.json"
    invoke("convert", "--check", "--report", str(out), str(good))
    statuses = {
        (Path(r["path"]).name, r["status"]) for r in json.loads(out.read_text())
    }
    assert ("bad.py", "ignored") in statuses and ("good.py", "converted") in statuses


def _stdin(args: list[str], text: str, cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "lambda2layer", "convert", *args],
        input=text,
        capture_output=True,
        text=True,
        cwd=cwd,
        timeout=120,
    )


def test_stdin_to_stdout_with_the_module_beside_the_named_file(tmp_path: Path) -> None:
    result = _stdin(["-", "--stdin-filename", "model.py"], GOOD, tmp_path)
    assert result.returncode == 0, result.stderr
    assert "from model_layers import Shift" in result.stdout
    assert "Lambda" not in result.stdout
    assert [p.name for p in tmp_path.iterdir()] == ["model_layers.py"]


def test_stdin_diff_and_check_write_nothing(tmp_path: Path) -> None:
    diff = _stdin(["--diff", "-"], GOOD, tmp_path)
    assert diff.returncode == 0 and "@@" in diff.stdout
    check = _stdin(["--check", "-", "--stdin-filename", "m.py"], GOOD, tmp_path)
    assert check.returncode == 1 and check.stdout == ""
    assert list(tmp_path.iterdir()) == []


def test_stdin_without_a_filename_has_no_place_for_the_module(tmp_path: Path) -> None:
    result = _stdin(["-"], GOOD, tmp_path)
    assert result.returncode == 2 and "--stdin-filename" in result.stderr
    unchanged = _stdin(["-"], "x = 1\n", tmp_path)  # nothing to convert: echoed
    assert unchanged.returncode == 0 and unchanged.stdout == "x = 1\n"


def test_force_exclude_applies_excludes_to_named_files(tmp_path: Path) -> None:
    (tmp_path / ".git").mkdir()
    (tmp_path / ".gitignore").write_text("generated/\n")
    for folder in ("generated", "build", "src"):
        (tmp_path / folder).mkdir()
        (tmp_path / folder / "m.py").write_text(GOOD)
    named = [str(tmp_path / f / "m.py") for f in ("generated", "build", "src")]
    result = invoke("convert", "--check", "--force-exclude", *named)
    assert "1 would change" in result.stderr
    assert "L2L006" in result.stderr and "src/m.py" in result.stderr
    assert "generated/m.py" not in result.stderr.replace("ignored by", "")
    plain = invoke("convert", "--check", *named)
    assert "3 would change" in plain.stderr


def test_config_type_errors_read_as_english(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text('[tool.lambda2layer]\njobs = "two"\n')
    (tmp_path / "m.py").write_text(GOOD)
    result = invoke("convert", str(tmp_path))
    assert result.exit_code == 2 and "jobs must be an integer" in result.stderr
