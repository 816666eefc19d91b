"""Paths -> candidate Python files (gitignore, default excludes, explained skips).

The walk is the first thing a monorepo run does, so it stays cheap: one
``scandir`` per folder, no ``stat`` or ``realpath`` per file, and bare-name
patterns (the default excludes) matched by a set lookup instead of a regex each.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # imported when a folder is walked, not for a single file
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

_SUFFIXES = (".py", ".ipynb")
_GLOB = frozenset("*?[]!\\/")


@dataclass(frozen=True, slots=True)
class Skipped:
    path: Path
    reason: str
    problem: bool = False  # the user should hear of it even without --verbose


@dataclass(frozen=True, slots=True)
class Discovery:
    files: tuple[Path, ...]
    skipped: tuple[Skipped, ...]
    missing: tuple[Path, ...]


@dataclass(frozen=True, slots=True)
class _Ignore:
    """One ``.gitignore``: its spec and where its folder sits relative to the walk root."""

    spec: pathspec.PathSpec
    prefix: str  # prepended to a root-relative path to make it relative to the file's folder
    strip: int  # characters to drop from a root-relative path first
    source: Path


class _Excludes:
    """--exclude patterns: bare names by set lookup, the rest through pathspec."""

    def __init__(self, patterns: tuple[str, ...]) -> None:
        self.names = frozenset(p for p in patterns if not (_GLOB & set(p)))
        rest = [p for p in patterns if p not in self.names]
        self.spec = None
        if rest:
            import pathspec

            self.spec = pathspec.GitIgnoreSpec.from_lines(
                [p if "/" in p or "*" in p else p + "/" for p in rest] + rest
            )

    def match(self, name: str, rel: str, is_dir: bool) -> bool:
        if name in self.names:
            return True
        return self.spec is not None and self.spec.match_file(
            rel + "/" if is_dir else rel
        )


def _read_ignore(folder: Path) -> pathspec.PathSpec | None:
    try:
        lines = (folder / ".gitignore").read_text("utf-8", errors="replace")
    except OSError:
        return None
    import pathspec

    return pathspec.GitIgnoreSpec.from_lines(lines.splitlines())


def _ancestor_ignores(root: Path) -> list[_Ignore]:
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
        spec = _read_ignore(base)
        rel = folder.relative_to(base).as_posix()
        # a folder named on the command line is wanted even if its repository ignores it
        if spec is not None and not spec.match_file(rel + "/"):
            out.append(_Ignore(spec, rel + "/", 0, base / ".gitignore"))
    return out


def _ignored_by(ignores: list[_Ignore], rel: str, is_dir: bool) -> Path | None:
    for ig in ignores:
        sub = ig.prefix + rel[ig.strip :] + ("/" if is_dir else "")
        if ig.spec.match_file(sub):
            return ig.source
    return None


def _walk(
    root: Path,
    excludes: _Excludes,
    seen: set[str],
    files: list[Path],
    skipped: list[Skipped],
) -> None:
    real_root = os.path.realpath(root)
    ignores = _ancestor_ignores(root)
    # (folder path, its path relative to root, the .gitignore files that apply)
    stack: list[tuple[str, str, list[_Ignore]]] = [(str(root), "", ignores)]
    while stack:
        folder, rel_folder, ignores = stack.pop()
        try:
            with os.scandir(folder) as it:
                entries = sorted(it, key=lambda e: e.name)
        except OSError as exc:
            skipped.append(
                Skipped(
                    Path(folder),
                    f"cannot read folder: {exc.strerror or exc}",
                    problem=True,
                )
            )
            continue
        if any(e.name == ".gitignore" for e in entries):
            spec = _read_ignore(Path(folder))
            if spec is not None:
                strip = len(rel_folder) + 1 if rel_folder else 0
                here = _Ignore(spec, "", strip, Path(folder) / ".gitignore")
                ignores = [*ignores, here]
        subfolders = []
        for entry in entries:
            name = entry.name
            try:
                is_link = entry.is_symlink()
                is_dir = entry.is_dir(follow_symlinks=is_link)
            except OSError:
                is_link = is_dir = False
            if not is_dir and not name.endswith(_SUFFIXES):
                continue
            rel = f"{rel_folder}/{name}" if rel_folder else name
            reason = None
            if is_link:
                reason = "symbolic link (not followed)"
            elif excludes.match(name, rel, is_dir):
                reason = "excluded by default or by --exclude"
            else:
                source = _ignored_by(ignores, rel, is_dir)
                if source is not None:
                    reason = f"ignored by {source}"
            if reason:
                skipped.append(Skipped(Path(entry.path), reason))
            elif is_dir:
                subfolders.append((entry.path, rel, ignores))
            else:
                key = f"{real_root}/{rel}"
                if key not in seen:
                    seen.add(key)
                    files.append(Path(entry.path))
        stack.extend(reversed(subfolders))


def _force_excluded(path: Path, excludes: _Excludes) -> str | None:
    """Why a file named on the command line is excluded (``--force-exclude``): a
    pattern, or a ``.gitignore`` of its repository, matches it or a folder above it."""
    full = path.absolute()
    top = next(
        (p for p in full.parents if (p / ".git").exists()), Path.cwd().absolute()
    )
    try:
        parts = full.relative_to(top).parts
    except ValueError:
        top, parts = full.parent, (full.name,)
    for i, name in enumerate(parts):
        rel = "/".join(parts[: i + 1])
        if excludes.match(name, rel, i < len(parts) - 1):
            return "excluded by default or by --exclude"
    folder = top
    for i in range(len(parts)):
        spec = _read_ignore(folder)
        if spec is not None:
            for j in range(i, len(parts)):
                sub = "/".join(parts[i : j + 1]) + ("/" if j < len(parts) - 1 else "")
                if spec.match_file(sub):
                    return f"ignored by {folder / '.gitignore'}"
        folder = folder / parts[i]
    return None


def discover(
    paths: list[Path],
    exclude: tuple[str, ...] = DEFAULT_EXCLUDES,
    extend_exclude: tuple[str, ...] = (),
    force_exclude: bool = False,
) -> Discovery:
    """The files under ``paths``. A file named directly is taken as it is, unless
    ``force_exclude`` applies the excludes and ``.gitignore`` to it too."""
    files: list[Path] = []
    skipped: list[Skipped] = []
    missing: list[Path] = []
    excludes: _Excludes | None = None
    seen: set[str] = set()
    for root in paths:
        if not root.exists():
            missing.append(root)
        elif not root.is_dir():
            if force_exclude:
                if excludes is None:
                    excludes = _Excludes(tuple(exclude) + tuple(extend_exclude))
                reason = _force_excluded(root, excludes)
                if reason:
                    skipped.append(Skipped(root, reason))
                    continue
            key = os.path.realpath(root)
            if key not in seen:
                seen.add(key)
                files.append(root)
        else:
            if excludes is None:
                excludes = _Excludes(tuple(exclude) + tuple(extend_exclude))
            _walk(root, excludes, seen, files, skipped)
    return Discovery(tuple(files), tuple(skipped), tuple(missing))
