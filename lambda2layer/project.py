"""What a run knows of the project on disk: one index per run, each fact looked up once.

The converter asks the index, never the disk: where the project root is, which
folders are packages, where a folder really is, which generated-module paths
are free, and what the functions of a sibling module take. A new run makes a
new index, so nothing it learns outlives the run.
"""

from __future__ import annotations

import ast
import os
from lambda2layer.scope import positional_names
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Callable, Iterable, TypeVar

PROJECT_MARKERS = ("pyproject.toml", "setup.py", "setup.cfg", ".git")

_Key = TypeVar("_Key")
_Fact = TypeVar("_Fact")


def nearest_holding(
    folder: Path,
    names: Iterable[str],
    test: Callable[[Path], bool] = Path.exists,
) -> Path | None:
    """The nearest folder at or above ``folder`` holding one of ``names``
    (``test`` says whether a path counts: any entry, or only a file)."""
    names = tuple(names)
    for candidate in [folder, *folder.parents]:
        if any(test(candidate / name) for name in names):
            return candidate
    return None


def find_project_root(folder: Path) -> Path | None:
    """Nearest folder at or above ``folder`` with a project marker."""
    return nearest_holding(folder, PROJECT_MARKERS)


def is_package(folder: Path) -> bool:
    """``folder`` holds an ``__init__.py``."""
    return os.path.isfile(os.path.join(folder, "__init__.py"))


def package_walk(
    folder: Path, is_package: Callable[[Path], bool] = is_package
) -> tuple[Path, tuple[str, ...]]:
    """From an absolute ``folder`` up through the packages it is in: the first
    folder that is not a package, and the package names from there down to ``folder``.
    """
    parts: list[str] = []
    while is_package(folder) and folder.parent != folder:
        parts.insert(0, folder.name)
        folder = folder.parent
    return folder, tuple(parts)


def _known(store: dict[_Key, _Fact], key: _Key, find: Callable[[], _Fact]) -> _Fact:
    """``store[key]``, found once."""
    if key not in store:
        store[key] = find()
    return store[key]


@dataclass(eq=False, slots=True)
class _Facts:
    """What an index has looked up so far (shared with its ``claiming`` copies)."""

    roots: dict[Path, Path | None] = field(default_factory=dict)
    packages: dict[Path, bool] = field(default_factory=dict)
    real: dict[Path, Path] = field(default_factory=dict)
    parts: dict[Path, tuple[str, ...]] = field(default_factory=dict)
    functions: dict[Path, dict[str, ModuleFunction] | None] = field(
        default_factory=dict
    )


@dataclass(frozen=True, slots=True)
class ModuleFunction:
    """A top-level def of a project module, as its file shows it (never imported)."""

    module: str  # the module as the importing file names it: ``losses``, ``.utils``
    params: tuple[str, ...]  # the positional parameter names
    registered: bool  # decorated with ``register_keras_serializable``


@dataclass(frozen=True, slots=True)
class ProjectIndex:
    """The filesystem facts of one run, and the generated-module paths it claims.

    ``claimed``: the real paths of the modules other files of this run generate;
    a file converted again after a collision keeps away from them."""

    claimed: frozenset[str] = frozenset()
    # real folder -> the folder names that tell it apart from another folder of
    # the run holding a module of the same name (no project root, no package)
    qualified: tuple[tuple[str, tuple[str, ...]], ...] = ()
    _facts: _Facts = field(default_factory=_Facts, repr=False)

    def claiming(self, claimed: Iterable[str]) -> ProjectIndex:
        """This index (its facts shared) with ``claimed`` taken by other files of the run."""
        return replace(self, claimed=frozenset(claimed))

    def qualifying(self, folders: dict[str, tuple[str, ...]]) -> ProjectIndex:
        """This index (its facts shared) with each folder's modules named from
        ``folders[real folder]`` where nothing else gives them a dotted path."""
        return replace(self, qualified=tuple(sorted(folders.items())))

    # --- folders -----------------------------------------------------------

    def project_root(self, folder: Path) -> Path | None:
        return _known(self._facts.roots, folder, lambda: find_project_root(folder))

    def is_package(self, folder: Path) -> bool:
        return _known(self._facts.packages, folder, lambda: is_package(folder))

    def real_folder(self, folder: Path) -> Path:
        return _known(self._facts.real, folder, folder.resolve)

    def real_path(self, path: Path) -> str:
        """``str(path.resolve())``, with the folder looked up once per run."""
        return str(self.real_folder(path.parent) / path.name)

    def package_of(self, folder: Path) -> str | None:
        """The dotted package ``folder`` is, from its outermost package folder;
        None when ``folder`` is not a package.

        The folder is made absolute first: ``Path(".").parent`` is ``Path(".")``, so a
        relative walk from inside a package folder would never end."""
        if not self.is_package(folder):
            return None
        return ".".join(package_walk(folder.absolute(), self.is_package)[1])

    def module_parts(
        self, model_path: Path, namespace: str | None = None
    ) -> tuple[str, ...]:
        """The dotted path of a model file as names (not yet made identifiers): from
        the project root when there is one, else from the package the file belongs
        to, else ``namespace`` (the dotted name its own imports show its folder has,
        see ``namespace_of``). A linked file is the file it links to."""
        if os.path.islink(model_path):
            path = model_path.resolve()
            folder = self.real_folder(path.parent)
        else:
            path, folder = model_path, self.real_folder(model_path.parent)
        parts = _known(self._facts.parts, folder, lambda: self._folder_parts(folder))
        if not parts and self.project_root(folder) is None:
            if namespace:
                parts = tuple(namespace.split("."))
            else:
                parts = self.qualifier(model_path)
        return (*parts, path.stem)

    def qualifier(self, model_path: Path) -> tuple[str, ...]:
        """The folder names that tell this file's generated module apart from one
        of the same name elsewhere in the run (see ``qualifying``); () for most."""
        if not self.qualified:
            return ()
        return dict(self.qualified).get(str(self.real_folder(model_path.parent)), ())

    def namespace_of(self, folder: Path, imported: Iterable[str]) -> str | None:
        """The dotted name a folder that is no package is imported by, as the file's
        own absolute imports of its siblings show it: in
        ``common/backbones/shufflenet.py``, ``from common.backbones.utils import f``
        (``utils.py`` beside it) says ``common.backbones``. ``imported``: the
        modules the file imports absolutely, and ``module.name`` for each name of a
        ``from module import name``. None without such evidence."""
        names = self.real_folder(folder).parts
        for dotted in imported:
            *package, sibling = dotted.split(".")
            if not package or tuple(package) != names[len(names) - len(package) :]:
                continue
            if self._is_module_in(folder, sibling):
                return ".".join(package)
        return None

    def _is_module_in(self, folder: Path, name: str) -> bool:
        return os.path.isfile(folder / f"{name}.py") or self.is_package(folder / name)

    def _folder_parts(self, folder: Path) -> tuple[str, ...]:
        root = self.project_root(folder)
        if root is not None:
            return folder.relative_to(root).parts
        return package_walk(folder, self.is_package)[1]

    # --- generated modules -------------------------------------------------

    def module_path(self, model_path: Path, stem: str) -> tuple[Path, str | None]:
        """``<stem>.py`` beside ``model_path``, or the first free ``<stem>_N.py`` if that
        exists or another file of this run claims it, with a note saying why. Never
        an existing file, except a module the model's stopped run left (an orphan)."""
        first = candidate = model_path.with_name(stem + ".py")
        n = 2
        while (
            os.path.exists(candidate) and not self._orphan_of(candidate, model_path)
        ) or (self.claimed and self.real_path(candidate) in self.claimed):
            candidate = model_path.with_name(f"{stem}_{n}.py")
            n += 1
        if candidate == first:
            return candidate, None
        if not first.exists():
            why = "another file of this run generates it"
        elif self._is_ours(first):
            why = "generated by an earlier run; it is left as it is"
        else:
            why = "not generated by lambda2layer; it is never overwritten"
        return (
            candidate,
            f"{first.name} exists ({why}); the layers go to {candidate.name}",
        )

    @staticmethod
    def _orphan_of(module: Path, model: Path) -> bool:
        """A module generated from ``model`` that ``model`` does not import: left by a run
        that was stopped between writing the module and the model file. It is reused."""
        from lambda2layer.emit import is_generated

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

    @staticmethod
    def _is_ours(path: Path) -> bool:
        from lambda2layer.emit import is_generated

        try:
            return is_generated(path.read_text("utf-8", errors="replace")[:300])
        except OSError:
            return False

    # --- sibling modules ---------------------------------------------------

    def imported_params(
        self, path: Path, stmt: ast.ImportFrom, alias: ast.alias
    ) -> list[str] | None:
        """Positional parameter names of ``from MODULE import NAME`` in the file ``path``
        when MODULE is a file of the project (a sibling script module or a relative
        import); read once a run, never imported."""
        if not stmt.module:
            return None
        found = self.project_function(path, stmt.module, stmt.level, alias.name)
        return list(found.params) if found is not None else None

    def project_function(
        self, path: Path, module: str, level: int, name: str
    ) -> ModuleFunction | None:
        """The top-level def ``name`` of ``module`` (imported ``level`` dots up, as in
        ``from ..m import name``) when that module is a file of the project beside the
        file ``path``; None when it is not one (Keras, a library) or has no such def."""
        base = path.parent
        for _ in range(max(level - 1, 0)):
            base = base.parent
        parts = module.split(".")
        for candidate in (
            base.joinpath(*parts).with_suffix(".py"),
            base.joinpath(*parts, "__init__.py"),
        ):
            functions = _known(
                self._facts.functions, candidate, lambda: _top_functions(candidate)
            )
            if functions is not None and name in functions:
                return replace(functions[name], module="." * level + module)
        return None


def _top_functions(path: Path) -> dict[str, ModuleFunction] | None:
    """Each top-level function of a Python file (the first definition of a name);
    None when the file cannot be read or parsed."""
    try:
        tree = ast.parse(path.read_bytes())
    except (OSError, SyntaxError, ValueError):
        return None
    functions: dict[str, ModuleFunction] = {}
    for node in tree.body:
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            args = node.args
            registered = any(
                "register_keras_serializable" in ast.unparse(d)
                for d in node.decorator_list
            )
            functions.setdefault(
                node.name,
                ModuleFunction(
                    path.stem,
                    tuple(positional_names(args)),
                    registered,
                ),
            )
    return functions
