"""Paths -> candidate Python files (gitignore, default excludes, explained skips)."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

import pathspec

DEFAULT_EXCLUDES = (
    ".git",
    ".hg",
    ".svn",
    ".venv",
    "venv",
    ".env",
    "env",
    ".tox",
    ".nox",
    "build",
    "dist",
    "site-packages",
    "node_modules",
    "__pycache__",
    ".ipynb_checkpoints",
    ".mypy_cache",
    ".pytest_cache",
    ".ruff_cache",
    ".eggs",
)


@dataclass(frozen=True, slots=True)
class Skipped:
    path: Path
    reason: str


@dataclass(frozen=True, slots=True)
class Discovery:
    files: tuple[Path, ...]
    skipped: tuple[Skipped, ...]
    missing: tuple[Path, ...]


def _gitignore(folder: Path) -> pathspec.PathSpec | None:
    ignore = folder / ".gitignore"
    try:
        lines = ignore.read_text("utf-8", errors="replace").splitlines()
    except OSError:
        return None
    return pathspec.GitIgnoreSpec.from_lines(lines)


def _ancestor_ignores(root: Path) -> list[tuple[Path, pathspec.PathSpec]]:
    """``.gitignore`` files above ``root`` up to its repository's top (the folder with .git)."""
    folder = root.resolve()
    chain = []
    for candidate in folder.parents:
        chain.append(candidate)
        if (candidate / ".git").exists():
            break
    else:
        return []  # not inside a repository: folders above are not the project's
    out = []
    for base in reversed(chain):
        spec = _gitignore(base)
        # a folder named on the command line is wanted even if its repository ignores it
        if spec is not None and not spec.match_file(
            folder.relative_to(base).as_posix() + "/"
        ):
            out.append((base, spec))
    return out


def discover(
    paths: list[Path],
    exclude: tuple[str, ...] = DEFAULT_EXCLUDES,
    extend_exclude: tuple[str, ...] = (),
) -> Discovery:
    files: list[Path] = []
    skipped: list[Skipped] = []
    missing: list[Path] = []
    patterns = tuple(exclude) + tuple(extend_exclude)
    spec = pathspec.GitIgnoreSpec.from_lines(
        [p if "/" in p or "*" in p else p + "/" for p in patterns] + list(patterns)
    )
    seen: set[Path] = set()
    for root in paths:
        if not root.exists():
            missing.append(root)
            continue
        if root.is_file():
            if root.resolve() not in seen:
                seen.add(root.resolve())
                files.append(root)
            continue
        ignores = _ancestor_ignores(root)
        for folder, dirs, names in os.walk(root, followlinks=False):
            here = Path(folder)
            spec_here = _gitignore(here)
            if spec_here is not None:
                ignores.append((here, spec_here))
            kept_dirs = []
            for d in sorted(dirs):
                sub = here / d
                reason = _reason(sub, True, root, spec, ignores)
                if reason:
                    skipped.append(Skipped(sub, reason))
                else:
                    kept_dirs.append(d)
            dirs[:] = kept_dirs
            for name in sorted(names):
                if not name.endswith((".py", ".ipynb")):
                    continue
                file = here / name
                reason = _reason(file, False, root, spec, ignores)
                if reason:
                    skipped.append(Skipped(file, reason))
                elif file.resolve() not in seen:
                    seen.add(file.resolve())
                    files.append(file)
    return Discovery(tuple(files), tuple(skipped), tuple(missing))


def _reason(
    path: Path, is_dir: bool, root: Path, spec: pathspec.PathSpec, ignores
) -> str | None:
    rel = path.relative_to(root).as_posix() + ("/" if is_dir else "")
    if path.is_symlink():
        return "symbolic link (not followed)"
    if spec.match_file(rel):
        return "excluded by default or by --exclude"
    for base, gi in ignores:
        try:
            sub = path.resolve().relative_to(base.resolve()).as_posix() + (
                "/" if is_dir else ""
            )
        except ValueError:
            continue
        if gi.match_file(sub):
            return f"ignored by {base / '.gitignore'}"
    return None
