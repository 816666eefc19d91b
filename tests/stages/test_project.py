"""The per-run project index (lambda2layer.project): every filesystem fact once."""

from __future__ import annotations

import ast
import os
from pathlib import Path

from lambda2layer.project import ProjectIndex, find_project_root


def _tree(root: Path, files: dict[str, str]) -> None:
    for name, text in files.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text)


def test_package_of_a_relative_folder_inside_a_package_ends(tmp_path, monkeypatch):
    _tree(tmp_path, {"pkg/__init__.py": "", "pkg/sub/__init__.py": ""})
    monkeypatch.chdir(tmp_path / "pkg" / "sub")
    assert ProjectIndex().package_of(Path(".")) == "pkg.sub"
    assert ProjectIndex().package_of(tmp_path) is None


def test_project_root_is_the_nearest_marked_folder(tmp_path):
    _tree(tmp_path, {"pyproject.toml": "", "src/app/model.py": ""})
    assert find_project_root(tmp_path / "src" / "app") == tmp_path
    index = ProjectIndex()
    assert index.project_root(tmp_path / "src" / "app") == tmp_path
    assert index.module_parts(tmp_path / "src" / "app" / "model.py") == (
        "src",
        "app",
        "model",
    )


def test_facts_are_looked_up_once_per_index(tmp_path):
    _tree(tmp_path, {"pkg/__init__.py": ""})
    index = ProjectIndex()
    assert index.is_package(tmp_path / "pkg")
    os.remove(tmp_path / "pkg" / "__init__.py")
    assert index.is_package(tmp_path / "pkg")  # the run's view stays the same
    assert index.claiming(frozenset()).is_package(tmp_path / "pkg")  # shared facts
    assert not ProjectIndex().is_package(tmp_path / "pkg")  # a new run looks again


def test_imported_params_reads_a_sibling_once(tmp_path):
    _tree(tmp_path, {"helpers.py": "def scale(x, factor=2):\n    return x\n"})
    stmt = ast.parse("from helpers import scale").body[0]
    index = ProjectIndex()
    model = tmp_path / "model.py"
    assert index.imported_params(model, stmt, stmt.names[0]) == ["x", "factor"]
    (tmp_path / "helpers.py").write_text("def scale(y):\n    return y\n")
    assert index.imported_params(model, stmt, stmt.names[0]) == ["x", "factor"]
    assert ProjectIndex().imported_params(model, stmt, stmt.names[0]) == ["y"]


def test_module_path_avoids_a_file_that_is_not_ours(tmp_path):
    _tree(tmp_path, {"model.py": "", "model_layers.py": "x = 1\n"})
    path, note = ProjectIndex().module_path(tmp_path / "model.py", "model_layers")
    assert path != tmp_path / "model_layers.py"
    assert path.parent == tmp_path and path.name.startswith("model_layers")
    assert note
    free, no_note = ProjectIndex().module_path(tmp_path / "model.py", "other_layers")
    assert free == tmp_path / "other_layers.py" and not no_note


def test_namespace_of_reads_the_files_own_sibling_imports(tmp_path: Path) -> None:
    folder = tmp_path / "common" / "backbones"
    folder.mkdir(parents=True)
    (folder / "utils.py").write_text("")
    index = ProjectIndex()
    assert index.namespace_of(folder, ["common.backbones.utils"]) == "common.backbones"
    assert index.namespace_of(folder, ["backbones.utils"]) == "backbones"
    assert index.namespace_of(folder, ["other.backbones.utils"]) is None  # not here
    assert index.namespace_of(folder, ["common.backbones.absent"]) is None
    assert index.namespace_of(folder, ["utils", "keras.layers"]) is None
    parts = index.module_parts(folder / "net.py", "common.backbones")
    assert parts[-3:] == ("common", "backbones", "net")
