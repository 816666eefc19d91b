"""Imports and registration that hold in real layouts (issue 11 item 12).

A folder without ``__init__.py`` that the project imports from its root gets its
generated module imported by the dotted path the file's own sibling imports use;
two files of one name in different folders never share a registration package
or a generated module name."""

from __future__ import annotations

import re
from pathlib import Path

from support import invoke, run_python, tree

import pytest

HEAD = """import keras
from keras import layers
"""

BACKBONE = HEAD + """from common.backbones.utils import channel_split


def shuffle_block(x):
    return layers.Lambda(lambda t: t * 2.0)(channel_split(x))
"""

UTILS = """def channel_split(x):
    return x
"""

YOLO_LAYERS = HEAD + """

def head(x):
    return layers.Lambda(lambda t: t + {offset})(x)
"""


def layout(root: Path) -> Path:
    (root / "common" / "backbones").mkdir(parents=True)
    (root / "common" / "backbones" / "shufflenet.py").write_text(BACKBONE)
    (root / "common" / "backbones" / "utils.py").write_text(UTILS)
    for version, offset in (("yolo2", "1.0"), ("yolo5", "5.0")):
        (root / version / "models").mkdir(parents=True)
        (root / version / "models" / "layers.py").write_text(
            YOLO_LAYERS.format(offset=offset)
        )
    return root


def packages(root: Path) -> dict[str, str]:
    found = {}
    for path in root.rglob("*_layers.py"):
        (package,) = set(re.findall(r'package="([^"]+)"', path.read_text()))
        found[path.relative_to(root).as_posix()] = package
    return found


def test_a_namespace_folder_is_imported_by_its_dotted_path(tmp_path: Path) -> None:
    root = layout(tmp_path / "proj")
    assert invoke("convert", str(root)).exit_code == 0
    text = (root / "common" / "backbones" / "shufflenet.py").read_text()
    assert "from common.backbones.shufflenet_layers import Scale" in text
    assert packages(root)["common/backbones/shufflenet_layers.py"] == (
        "l2l.common.backbones.shufflenet"
    )


def test_files_of_one_name_never_share_a_package_or_a_module(tmp_path: Path) -> None:
    root = layout(tmp_path / "proj")
    assert invoke("convert", str(root)).exit_code == 0
    found = packages(root)
    assert (
        found["yolo2/models/yolo2_models_layers_layers.py"] == "l2l.yolo2.models.layers"
    )
    assert (
        found["yolo5/models/yolo5_models_layers_layers.py"] == "l2l.yolo5.models.layers"
    )
    assert len(set(found.values())) == len(found)
    assert (
        "from yolo5_models_layers_layers import"
        in (root / "yolo5" / "models" / "layers.py").read_text()
    )
    once = tree(root)
    assert invoke("convert", str(root)).exit_code == 0 and tree(root) == once


def test_a_project_root_names_them_apart_without_renaming(tmp_path: Path) -> None:
    root = layout(tmp_path / "proj")
    (root / "pyproject.toml").write_text('[project]\nname = "proj"\n')
    assert invoke("convert", str(root)).exit_code == 0
    assert packages(root)["yolo2/models/layers_layers.py"] == "l2l.yolo2.models.layers"
    assert packages(root)["yolo5/models/layers_layers.py"] == "l2l.yolo5.models.layers"


LOAD_BOTH = """
import sys, numpy as np
root = sys.argv[1]
sys.path[:0] = [root + "/yolo2/models", root + "/yolo5/models"]
import keras
import yolo2_models_layers_layers, yolo5_models_layers_layers  # the loader's job
outs = []
for version in ("yolo2", "yolo5"):
    m = keras.saving.load_model(f"{root}/{version}.keras", safe_mode=True)
    outs.append(float(m.predict(np.zeros((1, 3)), verbose=0)[0, 0]))
print(outs)
"""

SAVE = """
import importlib.util, sys, keras
root, version = sys.argv[1], sys.argv[2]
sys.path.insert(0, f"{root}/{version}/models")
spec = importlib.util.spec_from_file_location(version, f"{root}/{version}/models/layers.py")
module = importlib.util.module_from_spec(spec)
spec.loader.exec_module(module)
x = keras.Input((3,))
keras.Model(x, module.head(x)).save(f"{root}/{version}.keras")
"""


@pytest.mark.runtime
def test_both_models_load_their_own_layers_in_one_process(tmp_path: Path) -> None:
    root = layout(tmp_path / "proj")
    assert invoke("convert", str(root)).exit_code == 0
    for version in ("yolo2", "yolo5"):
        saved = run_python(SAVE, str(root), version)
        assert saved.returncode == 0, saved.stderr[-3000:]
    loaded = run_python(LOAD_BOTH, str(root))
    assert loaded.returncode == 0, loaded.stderr[-3000:]
    assert loaded.stdout.strip().splitlines()[-1] == "[1.0, 5.0]"
