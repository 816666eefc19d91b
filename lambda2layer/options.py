"""Options: defaults, ``[tool.lambda2layer]`` in the nearest pyproject.toml, then the command line."""

from __future__ import annotations

import os
import re
import tomllib
from dataclasses import dataclass, field, fields, replace
from pathlib import Path

from lambda2layer.discover import DEFAULT_EXCLUDES
from lambda2layer.flavour import TARGETS
from lambda2layer.project import nearest_holding


class ConfigError(Exception):
    """A configuration file or value the tool cannot use."""


@dataclass(frozen=True, slots=True)
class Options:
    module_suffix: str = "_layers"  # generated module: <stem><suffix>.py
    package_prefix: str = "l2l"  # registration package: <prefix>.<module path>
    exclude: tuple[str, ...] = DEFAULT_EXCLUDES
    extend_exclude: tuple[str, ...] = ()
    jobs: int = field(default_factory=lambda: os.cpu_count() or 1)
    target: str = "auto"  # auto | keras3 | tf_keras
    ignore: tuple[str, ...] = ()  # diagnostic codes accepted everywhere
    config_file: Path | None = None


_KEYS = {
    "module-suffix": ("module_suffix", str),
    "package-prefix": ("package_prefix", str),
    "exclude": ("exclude", list),
    "extend-exclude": ("extend_exclude", list),
    "jobs": ("jobs", int),
    "target": ("target", str),
    "ignore": ("ignore", list),
}


_KIND_WORDS = {
    str: "a string",
    int: "an integer",
    list: "a list of strings",
}


def find_pyproject(start: Path) -> Path | None:
    folder = start.resolve()
    if folder.is_file():
        folder = folder.parent
    found = nearest_holding(folder, ["pyproject.toml"], Path.is_file)
    return None if found is None else found / "pyproject.toml"


def load_options(start: Path) -> Options:
    """Defaults updated from ``[tool.lambda2layer]`` of the nearest pyproject.toml."""
    path = find_pyproject(start)
    if path is None:
        return Options()
    try:
        table = (
            tomllib.loads(path.read_text("utf-8"))
            .get("tool", {})
            .get("lambda2layer", {})
        )
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise ConfigError(f"{path}: cannot read [tool.lambda2layer]: {exc}") from exc
    values: dict[str, object] = {"config_file": path}
    for key, value in table.items():
        if key not in _KEYS:
            raise ConfigError(
                f"{path}: unknown key [tool.lambda2layer] {key!r} (known: {', '.join(sorted(_KEYS))})"
            )
        name, kind = _KEYS[key]
        if not isinstance(value, kind) or (
            kind is list and not all(isinstance(v, str) for v in value)
        ):
            raise ConfigError(
                f"{path}: [tool.lambda2layer] {key} must be {_KIND_WORDS[kind]}"
            )
        values[name] = tuple(value) if kind is list else value
    options = replace(Options(), **values)
    validate(options)
    return options


def validate(options: Options) -> None:
    if not options.module_suffix or not (
        options.module_suffix.replace("_", "a").isalnum()
    ):
        raise ConfigError(
            f"module-suffix must be letters, digits and underscores, not {options.module_suffix!r}"
        )
    if not all(part.isidentifier() for part in options.package_prefix.split(".")):
        raise ConfigError(
            f"package-prefix must be a dotted name, not {options.package_prefix!r}"
        )
    if options.target not in TARGETS:
        raise ConfigError(
            f"target must be one of {', '.join(TARGETS)}, not {options.target!r}"
        )
    bad = [c for c in options.ignore if not re.fullmatch(r"L2L\d{3}", c)]
    if bad:
        raise ConfigError(f"ignore takes codes like L2L203, not {', '.join(bad)}")
    if options.jobs < 1:
        raise ConfigError("jobs must be at least 1")


def with_overrides(options: Options, **overrides: object) -> Options:
    """Command-line values (None = not given) override the configuration."""
    known = {f.name for f in fields(Options)}
    given = {k: v for k, v in overrides.items() if v is not None and k in known}
    result = replace(options, **given)
    validate(result)
    return result
