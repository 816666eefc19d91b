"""Notebooks: code cells converted, everything else kept, magics survive."""

from __future__ import annotations

import json
from pathlib import Path

from support import invoke

CELLS = [
    {"cell_type": "markdown", "metadata": {}, "source": ["# Experiment\n", "notes"]},
    {
        "cell_type": "code",
        "execution_count": 1,
        "metadata": {"tags": ["setup"]},
        "outputs": [{"output_type": "stream", "name": "stdout", "text": ["ok\n"]}],
        "source": [
            "%matplotlib inline\n",
            "import keras\n",
            "from keras import layers\n",
            "SCALE = 2.0",
        ],
    },
    {
        "cell_type": "code",
        "execution_count": 2,
        "metadata": {},
        "outputs": [],
        "source": [
            "!nvidia-smi\n",
            "inp = keras.Input((3,))\n",
            "out = layers.Lambda(lambda t: t * SCALE)(inp)\n",
            "model = keras.Model(inp, out)\n",
            "model.summary?",
        ],
    },
]


def write(path: Path) -> bytes:
    nb = {
        "cells": CELLS,
        "metadata": {"kernelspec": {"name": "python3"}},
        "nbformat": 4,
        "nbformat_minor": 5,
    }
    data = (json.dumps(nb, indent=1, ensure_ascii=False) + "\n").encode()
    path.write_bytes(data)
    return data


def test_notebook_cells_are_converted_and_everything_else_kept(tmp_path: Path) -> None:
    nb_path = tmp_path / "My Experiment.ipynb"
    before = write(nb_path)
    result = invoke("convert", str(tmp_path))
    assert result.exit_code == 0, result.output
    after = json.loads(nb_path.read_bytes())
    original = json.loads(before)
    assert (
        after["metadata"] == original["metadata"]
        and after["cells"][0] == original["cells"][0]
    )
    assert after["cells"][1]["outputs"] == original["cells"][1]["outputs"]
    setup = "".join(after["cells"][1]["source"])
    body = "".join(after["cells"][2]["source"])
    assert (
        setup.startswith("%matplotlib inline\n")
        and "from My_Experiment_layers import Scale" in setup
    )
    assert body.startswith("!nvidia-smi\n") and body.endswith("model.summary?")
    assert "Scale(scale=SCALE)(inp)" in body and "Lambda" not in body
    assert "class Scale(" in (tmp_path / "My_Experiment_layers.py").read_text()
    assert nb_path.read_bytes().endswith(b"}\n")  # nbformat's layout kept
    again = nb_path.read_bytes()
    invoke("convert", str(tmp_path))
    assert nb_path.read_bytes() == again


def test_refusal_in_a_notebook_names_the_cell(tmp_path: Path) -> None:
    nb = {
        "cells": [
            {
                "cell_type": "code",
                "metadata": {},
                "outputs": [],
                "execution_count": None,
                "source": [
                    "from keras import layers\n",
                    "def f(x, fn):\n",
                    "    return layers.Lambda(fn)(x)",
                ],
            }
        ],
        "metadata": {},
        "nbformat": 4,
        "nbformat_minor": 5,
    }
    (tmp_path / "n.ipynb").write_text(json.dumps(nb, indent=1))
    result = invoke("convert", str(tmp_path))
    assert result.exit_code == 1
    assert "n.ipynb:cell_1:3:" in result.stderr and "L2L201" in result.stderr


def test_cell_magic_cell_with_a_lambda_is_named_in_a_warning(tmp_path: Path) -> None:
    nb = {
        "cells": [
            {
                "cell_type": "code",
                "metadata": {},
                "outputs": [],
                "execution_count": None,
                "source": [
                    "%%time\n",
                    "from keras import layers\n",
                    "f = layers.Lambda(lambda t: t)",
                ],
            }
        ],
        "metadata": {},
        "nbformat": 4,
        "nbformat_minor": 5,
    }
    path = tmp_path / "t.ipynb"
    path.write_text(json.dumps(nb, indent=1) + "\n")
    before = path.read_bytes()
    result = invoke("convert", str(tmp_path))
    assert "t.ipynb:cell_1:1:1: L2L005" in result.stderr
    assert path.read_bytes() == before


def _refusing_notebook(path: Path) -> list[str]:
    cells = [dict(c) for c in CELLS]
    cells.append(
        {
            "cell_type": "code",
            "execution_count": 3,
            "metadata": {},
            "outputs": [],
            "source": [
                "def f(x, fn):\n",
                "    # a function only known at run time\n",
                "    return layers.Lambda(fn)(x)",
            ],
        }
    )
    nb = {"cells": cells, "metadata": {}, "nbformat": 4, "nbformat_minor": 5}
    text = json.dumps(nb, indent=1)
    path.write_text(text)
    return text.splitlines()


def test_ci_formats_point_into_the_ipynb_file_at_the_cell(tmp_path: Path) -> None:
    lines = _refusing_notebook(tmp_path / "n.ipynb")
    target = next(i for i, l in enumerate(lines, 1) if "layers.Lambda(fn)" in l)
    sarif = json.loads(
        invoke("convert", "--check", "--output-format", "sarif", str(tmp_path)).stdout
    )
    refusal = next(r for r in sarif["runs"][0]["results"] if r["ruleId"] == "L2L201")
    where = refusal["locations"][0]["physicalLocation"]
    assert where["artifactLocation"]["uri"].endswith("/n.ipynb")
    assert where["region"]["startLine"] == target
    assert "n.ipynb:cell_4 line 3:" in refusal["message"]["text"]
    github = invoke("convert", "--check", "--output-format", "github", str(tmp_path))
    line = next(l for l in github.stdout.splitlines() if "L2L201" in l)
    assert f"n.ipynb,line={target},col=1," in line
