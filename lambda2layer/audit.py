"""Audit saved Keras model files for Lambda layers and other unsafe content.

``audit`` reads ``.keras`` archives (a zip holding ``config.json`` and
``metadata.json``) and legacy HDF5 files (``.h5`` / ``.hdf5``: the root
attributes ``model_config``, ``training_config``, ``keras_version`` and
``backend``).  Directories are searched recursively for those suffixes; a file
named explicitly is audited whatever its suffix, and the format is decided by
the file's first bytes, not its name.

Nothing from the file is ever unmarshalled, unpickled, imported or executed:
the audit uses ``zipfile`` + ``json`` and ``h5py`` attribute reads only, never
``keras.saving``.  Bytecode is only base64-decoded and scanned for the short
ASCII strings that marshal stores names in, to show which names it uses.

Every Lambda layer is listed with its place in the model (the names of the
enclosing models, e.g. ``outer/encoder/normalize``; a nested Functional or
Sequential model is a layer whose config has its own ``layers`` list, and
wrappers such as ``TimeDistributed`` are followed through ``layer``), its
name, its function kind, ``arguments``, ``output_shape`` and the Keras
version that saved the file (``metadata.json`` for ``.keras``, the
``keras_version`` attribute for ``.h5``).  The function kind is:

* ``bytecode``: a dict with ``class_name == "__lambda__"`` (Keras 3), or
  ``function_type == "lambda"`` with marshalled, base64-encoded code
  (tf.keras / Keras 2);
* ``named``: a reference by name (``class_name == "function"``, a registered
  name such as ``"pkg>fn"``, a registered callable class, or
  ``function_type == "function"``);
* ``unknown``: anything else.

Unsafe findings (each one makes :func:`exit_code` return 1):

* ``bytecode``: marshalled Python bytecode anywhere in the config: a
  ``"__lambda__"`` function config (a Lambda's ``function``, but also its
  ``output_shape`` or ``mask``, or any other serialized object), or a
  ``<key>_type == "lambda"`` entry (tf.keras ``function_type``,
  ``output_shape_type``).  Loading runs it once safe mode is off, so every
  bytecode Lambda is also an unsafe finding.
* ``stdlib-module``: a ``module`` naming a Python standard-library module
  (``os``, ``subprocess``, ``builtins``, ``sys``, ...).  Keras 3 writes a
  registered function as ``module: "builtins", class_name: "function"``; that
  form is reported as a note, unless its name is a Python builtin (``eval``,
  ``exec``, ``open``, ``__import__``, ...), which is unsafe.  In a tf.keras
  Lambda config, ``module`` / ``output_shape_module`` say where a named
  function is looked up, so only standard-library modules are flagged there.
* ``non-keras-module``: a ``module`` outside the Keras packages (``keras``,
  ``keras_hub``, ``keras_cv``, ``keras_nlp``, ``tf_keras``) whose
  ``registered_name`` is None or missing: nothing registered vouches for it.
* ``non-modeling-api``: a Keras module + name that is not a modeling API
  (``keras.utils.get_file``, ``keras.models.load_model``, ...), which Keras
  3.9+ refuses and older versions call.
* ``tfsm-layer``: a ``TFSMLayer``, which loads a TensorFlow SavedModel from a
  path and runs its graph.
* ``unsafe-deserialization``: any key or string mentioning
  ``enable_unsafe_deserialization``.

Notes (reported, never unsafe): registered custom objects (a non-Keras or
absent ``module`` with a ``registered_name``), named function references, and
HDF5 files that hold weights only.

Exit status (:func:`exit_code`): 2 when any input is unreadable (missing,
corrupt or truncated zip or HDF5, wrong format, missing ``config.json``,
invalid JSON), else 1 when anything unsafe is found, else 0.
"""

from __future__ import annotations

import base64
import builtins
import json
import os
import re
import sys
import zipfile
import zlib
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import TypeAlias

from lambda2layer import exits
from lambda2layer.report import table

Json: TypeAlias = "dict[str, Json] | list[Json] | str | int | float | bool | None"

MODEL_SUFFIXES = (".keras", ".h5", ".hdf5")
KERAS_PACKAGES = frozenset({"keras", "keras_hub", "keras_cv", "keras_nlp", "tf_keras"})
NON_MODELING_APIS = frozenset(
    {
        "keras.backend.clear_session",
        "keras.config.enable_unsafe_deserialization",
        "keras.models.load_model",
        "keras.models.model_from_json",
        "keras.models.save_model",
        "keras.preprocessing.image.load_img",
        "keras.preprocessing.image.save_img",
        "keras.saving.deserialize_keras_object",
        "keras.saving.load_model",
        "keras.saving.load_weights",
        "keras.saving.save_model",
        "keras.saving.save_weights",
        "keras.utils.get_file",
        "keras.utils.load_img",
        "keras.utils.save_img",
    }
)
UNSAFE_FLAG = "enable_unsafe_deserialization"
MAX_JSON_BYTES = 64 * 1024 * 1024

_ZIP_MAGIC = (b"PK\x03\x04", b"PK\x05\x06")
_HDF5_MAGIC = b"\x89HDF\r\n\x1a\n"
_LAYER_SLOTS = frozenset({"layer", "forward_layer", "backward_layer"})
_IDENTIFIER = re.compile(rb"[A-Za-z_][A-Za-z0-9_]*")
# marshal's short ASCII strings: type 'Z' or 'z' (maybe | FLAG_REF), one length byte
_SHORT_ASCII = re.compile(rb"[\x5a\x7a\xda\xfa](.)", re.DOTALL)

# Finding kinds.
BYTECODE = "bytecode"
STDLIB_MODULE = "stdlib-module"
NON_KERAS_MODULE = "non-keras-module"
NON_MODELING_API = "non-modeling-api"
TFSM_LAYER = "tfsm-layer"
UNSAFE_DESERIALIZATION = "unsafe-deserialization"
REGISTERED_OBJECT = "registered-object"
NAMED_FUNCTION = "named-function"
WEIGHTS_ONLY = "weights-only"


class AuditError(Exception):
    """A model file cannot be read; the message says which file and why."""


@dataclass(frozen=True, slots=True)
class LambdaFinding:
    path: str
    layer_path: str
    name: str
    function_kind: str  # "bytecode" | "named" | "unknown"
    function_ref: str | None
    arguments: object
    output_shape: object
    keras_version: str | None


@dataclass(frozen=True, slots=True)
class UnsafeFinding:
    path: str
    where: str
    kind: str
    detail: str


@dataclass(frozen=True, slots=True)
class InfoFinding:
    path: str
    where: str
    kind: str
    detail: str


@dataclass(frozen=True, slots=True)
class AuditResult:
    path: str
    lambdas: tuple[LambdaFinding, ...]
    unsafe: tuple[UnsafeFinding, ...]
    error: str | None
    keras_version: str | None
    format: str  # "keras" | "h5" | "unknown"
    notes: tuple[InfoFinding, ...] = ()
    backend: str | None = None

    @property
    def status(self) -> str:
        if self.error is not None:
            return "error"
        return "unsafe" if self.unsafe else "clean"


# -- reading -------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Document:
    """One JSON tree from a file, and the label its paths start from."""

    label: str
    tree: Json


@dataclass(frozen=True, slots=True)
class _Contents:
    format: str
    documents: tuple[_Document, ...]
    keras_version: str | None
    backend: str | None
    weights_only: bool = False


def _sniff(path: Path) -> str:
    with path.open("rb") as handle:
        head = handle.read(8)
    if not head:
        raise AuditError(f"{path}: empty file (0 bytes)")
    if head.startswith(_ZIP_MAGIC):
        return "keras"
    if head == _HDF5_MAGIC:
        return "h5"
    suffix = path.suffix.lower()
    if suffix == ".keras":
        raise AuditError(
            f"{path}: not a zip archive (a .keras file is a zip holding "
            f"config.json); it starts with {head!r}"
        )
    if suffix in (".h5", ".hdf5"):
        return "h5"  # HDF5 allows a user block before the signature; h5py decides
    raise AuditError(
        f"{path}: neither a .keras zip archive nor an HDF5 file; "
        f"it starts with {head!r}"
    )


def _parse_json(data: bytes | str, path: Path, what: str) -> Json:
    try:
        return json.loads(data)
    except (ValueError, RecursionError) as exc:
        raise AuditError(f"{path}: {what} is not valid JSON ({exc})") from None


def _parse_config(data: bytes | str, path: Path, what: str) -> Json:
    tree = _parse_json(data, path, what)
    if not isinstance(tree, dict):
        kind = type(tree).__name__ if tree is not None else "null"
        raise AuditError(f"{path}: {what} holds a {kind}, not a model config object")
    return tree


def _read_member(archive: zipfile.ZipFile, name: str, path: Path) -> bytes:
    size = archive.getinfo(name).file_size
    if size > MAX_JSON_BYTES:
        raise AuditError(f"{path}: {name} is {size} bytes, over the audit limit")
    try:
        return archive.read(name)
    except (zipfile.BadZipFile, zlib.error, EOFError, OSError) as exc:
        raise AuditError(f"{path}: corrupt zip member {name} ({exc})") from None


def _read_keras(path: Path) -> _Contents:
    try:
        archive = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, EOFError) as exc:
        raise AuditError(f"{path}: corrupt or truncated zip archive ({exc})") from None
    with archive:
        names = set(archive.namelist())
        if "config.json" not in names:
            raise AuditError(
                f"{path}: zip archive has no config.json (not a Keras .keras file)"
            )
        raw = _read_member(archive, "config.json", path)
        config = _parse_config(raw, path, "config.json")
        version = None
        if "metadata.json" in names:
            raw = _read_member(archive, "metadata.json", path)
            version = _text_field(_parse_json(raw, path, "metadata.json"))
    return _Contents("keras", (_Document("", config),), version, None)


def _text_field(metadata: Json) -> str | None:
    if isinstance(metadata, dict):
        value = metadata.get("keras_version")
        return value if isinstance(value, str) else None
    return None


def _attr_text(attrs: Mapping[str, object], name: str, path: Path) -> str | None:
    try:
        value = attrs.get(name)
    except (OSError, TypeError, ValueError) as exc:
        raise AuditError(f"{path}: cannot read HDF5 attribute {name} ({exc})") from None
    if value is None:
        return None
    if isinstance(value, bytes):
        try:
            return value.decode("utf-8")
        except UnicodeDecodeError:
            raise AuditError(f"{path}: HDF5 attribute {name} is not UTF-8") from None
    if isinstance(value, str):
        return value
    raise AuditError(
        f"{path}: HDF5 attribute {name} is not text ({type(value).__name__})"
    )


def _looks_like_weights(attrs: Mapping[str, object], groups: set[str]) -> bool:
    """Keras 2 ``save_weights`` sets ``layer_names``; Keras 3 writes these groups."""
    return "layer_names" in attrs or bool(groups & {"model_weights", "layers", "vars"})


def _read_h5(path: Path) -> _Contents:
    try:
        import h5py
    except ImportError:
        raise AuditError(f"{path}: h5py is not installed; cannot read HDF5") from None
    try:
        handle = h5py.File(path, "r")
    except (OSError, ValueError) as exc:
        raise AuditError(f"{path}: unreadable HDF5 file ({exc})") from None
    with handle:
        attrs = handle.attrs
        config_text = _attr_text(attrs, "model_config", path)
        training_text = _attr_text(attrs, "training_config", path)
        version = _attr_text(attrs, "keras_version", path)
        backend = _attr_text(attrs, "backend", path)
        weights = _looks_like_weights(attrs, set(handle.keys()))
    weights_only = config_text is None and weights
    if config_text is None and not weights_only:
        raise AuditError(
            f"{path}: HDF5 file has no model_config attribute "
            "(not a saved Keras model)"
        )
    documents = []
    if config_text is not None:
        documents.append(
            _Document("", _parse_config(config_text, path, "model_config"))
        )
    if training_text is not None:
        tree = _parse_json(training_text, path, "training_config")
        documents.append(_Document("training_config", tree))
    return _Contents("h5", tuple(documents), version, backend, weights_only)


def _read(path: Path) -> _Contents:
    if not path.exists():
        raise AuditError(f"{path}: no such file or directory")
    if not path.is_file():
        raise AuditError(f"{path}: not a regular file")
    return _read_keras(path) if _sniff(path) == "keras" else _read_h5(path)


# -- walking the config tree ---------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Site:
    """A node of the config tree: the enclosing layers and the keys below them."""

    value: Json
    layer_path: str
    keys: tuple[str | int, ...]
    layer_slot: bool

    def where(self, key: str | None = None) -> str:
        trail = self.keys if key is None else (*self.keys, key)
        keys = "".join(f"[{k}]" if isinstance(k, int) else f".{k}" for k in trail)
        keys = keys.lstrip(".")
        if self.layer_path and keys:
            return f"{self.layer_path}:{keys}"
        return self.layer_path or keys or "<root>"


def _layer_name(node: dict[str, Json], layer_slot: bool) -> str | None:
    """The name of a layer entry, or None when the dict is not one."""
    config = node.get("config")
    if not isinstance(node.get("class_name"), str) or not isinstance(config, dict):
        return None
    name = config.get("name", node.get("name"))
    if node.get("class_name") == "Lambda" and not isinstance(name, str):
        return "<unnamed>"
    if not isinstance(name, str):
        return None
    if layer_slot or node.get("class_name") == "Lambda":
        return name
    return name if "trainable" in config or "layers" in config else None


def _enter(site: _Site) -> _Site:
    if not isinstance(site.value, dict):
        return site
    name = _layer_name(site.value, site.layer_slot)
    if name is None:
        return site
    path = f"{site.layer_path}/{name}" if site.layer_path else name
    return _Site(site.value, path, (), site.layer_slot)


def _children(site: _Site) -> list[_Site]:
    value = site.value
    if isinstance(value, dict):
        return [
            _Site(v, site.layer_path, (*site.keys, k), k in _LAYER_SLOTS)
            for k, v in value.items()
        ]
    if isinstance(value, list):
        in_layers = bool(site.keys) and site.keys[-1] == "layers"
        return [
            _Site(v, site.layer_path, (*site.keys, i), in_layers)
            for i, v in enumerate(value)
        ]
    return []


def _walk(document: _Document) -> Iterator[_Site]:
    """Every node in document order, without recursion (configs can be deep)."""
    stack = [_Site(document.tree, document.label, (), True)]
    while stack:
        site = _enter(stack.pop())
        yield site
        stack.extend(reversed(_children(site)))


# -- Lambda layers -------------------------------------------------------------------


def _lambda_config(site: _Site) -> dict[str, Json] | None:
    """The config of a Lambda layer entry, or None for any other node."""
    node = site.value
    if site.keys or not isinstance(node, dict) or node.get("class_name") != "Lambda":
        return None
    config = node.get("config")
    return config if isinstance(config, dict) else None


def _qualify(module: Json, name: str) -> str:
    if ">" in name or not isinstance(module, str) or module == "builtins":
        return name
    return f"{module}.{name}"


def _name_of(config: dict[str, Json]) -> str:
    name = config.get("name")
    return name if isinstance(name, str) else "<unnamed>"


def _describe_function(config: dict[str, Json]) -> tuple[str, str | None]:
    """(function_kind, function_ref) of a Lambda layer config."""
    function = config.get("function")
    function_type = config.get("function_type")
    if function_type == "lambda":
        return "bytecode", None
    if function_type == "function" and isinstance(function, str):
        return "named", _qualify(config.get("module"), function)
    if isinstance(function, str):
        return "named", function
    if not isinstance(function, dict):
        return "unknown", None
    class_name = function.get("class_name")
    if class_name == "__lambda__":
        return "bytecode", None
    inner = function.get("config")
    if class_name == "function" and isinstance(inner, str):
        return "named", _qualify(function.get("module"), inner)
    registered = function.get("registered_name")
    if isinstance(registered, str) and registered and class_name != "function":
        return "named", registered
    if isinstance(class_name, str):
        return "named", _qualify(function.get("module"), class_name)
    return "unknown", None


def _display(value: Json) -> object:
    """A readable copy of a config value: functions and tuples decoded, no code."""
    if isinstance(value, list):
        return [_display(item) for item in value]
    if not isinstance(value, dict):
        return value
    class_name = value.get("class_name")
    inner = value.get("config")
    if class_name == "__lambda__":
        return "<bytecode lambda>"
    if class_name == "function" and isinstance(inner, str):
        return f"<function {inner}>"
    if class_name == "__tuple__" and isinstance(inner, dict):
        return _display(inner.get("value"))
    return {key: _display(item) for key, item in value.items()}


def _lambda_finding(
    site: _Site, config: dict[str, Json], path: str, version: str | None
) -> LambdaFinding:
    kind, ref = _describe_function(config)
    output_shape = config.get("output_shape")
    if config.get("output_shape_type") == "lambda":
        output_shape = {"class_name": "__lambda__"}
    return LambdaFinding(
        path=path,
        layer_path=site.layer_path,
        name=_name_of(config),
        function_kind=kind,
        function_ref=ref,
        arguments=_display(config.get("arguments")),
        output_shape=_display(output_shape),
        keras_version=version,
    )


# -- unsafe content ------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Flag:
    """A finding before it is tied to a file."""

    unsafe: bool
    kind: str
    detail: str
    key: str | None = None  # the entry of the node the finding is about


def _code_names(encoded: Json) -> tuple[str, ...]:
    """Names stored in marshalled code, found without unmarshalling it."""
    if isinstance(encoded, list) and encoded:
        encoded = encoded[0]
    if not isinstance(encoded, str):
        return ()
    try:
        data = base64.b64decode(encoded[: 4 * 1024 * 1024])
    except ValueError:
        return ()
    names: dict[str, None] = {}
    for match in _SHORT_ASCII.finditer(data):
        size = match.group(1)[0]
        text = data[match.end() : match.end() + size]
        if size > 1 and len(text) == size and _IDENTIFIER.fullmatch(text):
            names[text.decode("ascii")] = None
    return tuple(names)


def _bytecode_detail(what: str, encoded: Json) -> str:
    detail = (
        f"{what} is marshalled Python bytecode; it runs when the model is "
        "loaded with safe_mode=False"
    )
    names = _code_names(encoded)
    if names:
        detail += f" (names in its code: {', '.join(names)})"
    return detail


def _what(site: _Site) -> str:
    if site.keys[-2:] == ("config", "function"):
        return "the Lambda function"
    names = [key for key in site.keys if isinstance(key, str)]
    return names[-1] if names else "this object"


def _check_bytecode(site: _Site, node: dict[str, Json]) -> Iterator[_Flag]:
    if node.get("class_name") == "__lambda__":
        inner = node.get("config")
        code: Json = None
        if isinstance(inner, dict):
            code = inner.get("code", inner.get("value"))
        yield _Flag(True, BYTECODE, _bytecode_detail(_what(site), code))
    for key, value in node.items():
        target = key.removesuffix("_type")
        if key.endswith("_type") and value == "lambda" and target in node:
            what = "the Lambda function" if target == "function" else target
            detail = _bytecode_detail(what, node[target])
            yield _Flag(True, BYTECODE, detail, key=target)


def _top_package(module: str) -> str:
    return module.split(".", 1)[0]


def _check_legacy_modules(node: dict[str, Json]) -> Iterator[_Flag]:
    """tf.keras Lambda configs: ``module`` is where a named function is looked up."""
    for key in ("module", "output_shape_module"):
        module = node.get(key)
        if isinstance(module, str) and _top_package(module) in sys.stdlib_module_names:
            yield _Flag(
                True,
                STDLIB_MODULE,
                f"{key} {module!r}: the function is looked up in a Python "
                "standard-library module",
                key=key,
            )


def _builtin_function(name: str) -> Iterator[_Flag]:
    """Keras 3 writes registered functions as ``module: "builtins"``."""
    if name in vars(builtins):
        yield _Flag(
            True,
            STDLIB_MODULE,
            f"function {name!r} from module 'builtins' resolves to the Python "
            "builtin",
        )
    else:
        yield _Flag(False, NAMED_FUNCTION, f"function {name!r}; it must be registered")


def _check_module(node: dict[str, Json]) -> Iterator[_Flag]:
    if "function_type" in node:
        yield from _check_legacy_modules(node)
        return
    if "module" not in node or "class_name" not in node:
        return
    module = node.get("module")
    class_name = node.get("class_name")
    registered = node.get("registered_name")
    inner = node.get("config")
    if isinstance(module, str) and _top_package(module) in KERAS_PACKAGES:
        return
    if module == "builtins" and class_name == "function" and isinstance(inner, str):
        yield from _builtin_function(inner)
        return
    if isinstance(module, str) and _top_package(module) in sys.stdlib_module_names:
        yield _Flag(
            True,
            STDLIB_MODULE,
            f"{class_name!r} from Python standard-library module {module!r}",
        )
    elif isinstance(registered, str) and registered:
        yield _Flag(
            False,
            REGISTERED_OBJECT,
            f"custom object {registered!r} from module {module!r}; "
            "the loader must import and register it",
        )
    elif isinstance(module, str):
        yield _Flag(
            True,
            NON_KERAS_MODULE,
            f"{class_name!r} from non-Keras module {module!r} with no registered name",
        )


def _check_non_modeling(node: dict[str, Json]) -> Iterator[_Flag]:
    module = node.get("module")
    if not isinstance(module, str) or _top_package(module) not in KERAS_PACKAGES:
        return
    name = node.get("class_name")
    if name == "function":
        name = node.get("config")
    api = f"{module}.{name}"
    if api in NON_MODELING_APIS:
        yield _Flag(True, NON_MODELING_API, f"{api} is not a modeling API")


def _check_tfsm(node: dict[str, Json]) -> Iterator[_Flag]:
    if node.get("class_name") != "TFSMLayer":
        return
    config = node.get("config")
    filepath = config.get("filepath") if isinstance(config, dict) else None
    yield _Flag(
        True,
        TFSM_LAYER,
        f"TFSMLayer loads and runs the TensorFlow SavedModel at {filepath!r}",
    )


def _check_unsafe_flag(site: _Site) -> Iterator[_Flag]:
    value = site.value
    texts = list(value) if isinstance(value, dict) else [value]
    for text in texts:
        if isinstance(text, str) and UNSAFE_FLAG in text:
            shown = text if len(text) <= 80 else text[:77] + "..."
            key = text if isinstance(value, dict) else None
            yield _Flag(True, UNSAFE_DESERIALIZATION, f"mentions {shown!r}", key=key)


def _check(site: _Site) -> Iterator[_Flag]:
    yield from _check_unsafe_flag(site)
    node = site.value
    if not isinstance(node, dict):
        return
    yield from _check_bytecode(site, node)
    yield from _check_tfsm(node)
    yield from _check_non_modeling(node)
    flags = _check_module(node)
    if site.keys[-2:] == ("config", "function"):
        flags = (flag for flag in flags if flag.unsafe)  # the Lambda table shows it
    yield from flags


# -- files ---------------------------------------------------------------------------


def _audit_contents(path: str, contents: _Contents) -> AuditResult:
    lambdas: list[LambdaFinding] = []
    unsafe: list[UnsafeFinding] = []
    notes: list[InfoFinding] = []
    if contents.weights_only:
        detail = "weights only: no model config, nothing executable"
        notes.append(InfoFinding(path, "<root>", WEIGHTS_ONLY, detail))
    for document in contents.documents:
        for site in _walk(document):
            config = _lambda_config(site)
            if config is not None:
                version = contents.keras_version
                lambdas.append(_lambda_finding(site, config, path, version))
            for flag in _check(site):
                where = site.where(flag.key)
                if flag.unsafe:
                    unsafe.append(UnsafeFinding(path, where, flag.kind, flag.detail))
                else:
                    notes.append(InfoFinding(path, where, flag.kind, flag.detail))
    return AuditResult(
        path=path,
        lambdas=tuple(lambdas),
        unsafe=tuple(unsafe),
        error=None,
        keras_version=contents.keras_version,
        format=contents.format,
        notes=tuple(notes),
        backend=contents.backend,
    )


def _guess_format(path: Path) -> str:
    suffix = path.suffix.lower()
    if suffix == ".keras":
        return "keras"
    return "h5" if suffix in (".h5", ".hdf5") else "unknown"


def audit_file(path: Path) -> AuditResult:
    """Audit one model file.  Never raises for bad input: ``error`` is set instead."""
    display = str(path)
    try:
        return _audit_contents(display, _read(path))
    except AuditError as exc:
        message = str(exc)
    except RecursionError:
        message = f"{display}: config is nested too deeply to audit"
    except OSError as exc:
        message = f"{display}: cannot read ({exc.strerror or exc})"
    return AuditResult(display, (), (), message, None, _guess_format(path))


def find_model_files(directory: Path) -> list[Path]:
    """``*.keras``, ``*.h5`` and ``*.hdf5`` below ``directory``, sorted; no symlinked
    directories are followed."""
    found = []
    for root, dirs, files in os.walk(directory):
        dirs.sort()
        found.extend(
            Path(root, name)
            for name in sorted(files)
            if name.lower().endswith(MODEL_SUFFIXES)
        )
    return found


def _expand(paths: Iterable[Path]) -> Iterator[Path]:
    for path in paths:
        if path.is_dir():
            yield from find_model_files(path)
        else:
            yield path


def audit_paths(paths: list[Path]) -> list[AuditResult]:
    """Audit files and directories (searched recursively), each file once."""
    seen: set[Path] = set()
    results = []
    for path in _expand(paths):
        key = path.resolve() if path.exists() else path
        if key not in seen:
            seen.add(key)
            results.append(audit_file(path))
    return results


def exit_code(results: Iterable[AuditResult]) -> int:
    """2 if any file was unreadable, else 1 if anything unsafe was found, else 0."""
    return int(exits.of_audit(result.status for result in results))


# -- rendering -----------------------------------------------------------------------


def _summary(results: list[AuditResult]) -> dict[str, int]:
    lambdas = [finding for result in results for finding in result.lambdas]
    return {
        "files": len(results),
        "clean": sum(result.status == "clean" for result in results),
        "unsafe_files": sum(result.status == "unsafe" for result in results),
        "unreadable": sum(result.status == "error" for result in results),
        "lambdas": len(lambdas),
        "bytecode_lambdas": sum(f.function_kind == "bytecode" for f in lambdas),
        "unsafe_findings": sum(len(result.unsafe) for result in results),
    }


def _summary_line(results: list[AuditResult]) -> str:
    s = _summary(results)
    return (
        f"lambda2layer audit: {s['files']} file(s): {s['clean']} clean, "
        f"{s['unsafe_files']} unsafe, {s['unreadable']} unreadable; "
        f"{s['lambdas']} Lambda layer(s) ({s['bytecode_lambdas']} bytecode), "
        f"{s['unsafe_findings']} unsafe finding(s)"
    )


def _compact(value: object) -> str:
    return json.dumps(value, sort_keys=True, default=str)


def _file_header(result: AuditResult) -> str:
    if result.error is not None:
        return f"{result.path}: ERROR {result.error.removeprefix(result.path + ': ')}"
    version = result.keras_version or "unknown"
    return f"{result.path} [{result.format}, saved by Keras {version}]: {result.status}"


def _file_block(result: AuditResult) -> list[str]:
    lines = [_file_header(result)]
    if result.lambdas:
        lines.append("  Lambda layers:")
        rows = [("LAYER", "FUNCTION", "ARGUMENTS", "OUTPUT_SHAPE")]
        rows += [
            (
                f.layer_path,
                f.function_kind + (f" {f.function_ref}" if f.function_ref else ""),
                _compact(f.arguments),
                _compact(f.output_shape),
            )
            for f in result.lambdas
        ]
        lines += table(rows, "    ")
    if result.unsafe:
        lines.append("  Unsafe:")
        lines += table([(u.kind, u.where, u.detail) for u in result.unsafe], "    ")
    if result.notes:
        lines.append("  Notes:")
        lines += table([(n.kind, n.where, n.detail) for n in result.notes], "    ")
    return lines


def render_text(results: list[AuditResult]) -> str:
    """The summary first, then one block per file."""
    if not results:
        return "lambda2layer audit: no model files found\n"
    lines = [_summary_line(results)]
    for result in results:
        lines.append("")
        lines += _file_block(result)
    return "\n".join(lines) + "\n"


def _result_record(result: AuditResult) -> dict[str, object]:
    record = asdict(result)
    record["status"] = result.status
    return record


def render_json(results: list[AuditResult]) -> str:
    document = {
        "summary": _summary(results),
        "exit_code": exit_code(results),
        "files": [_result_record(result) for result in results],
    }
    return json.dumps(document, indent=2, default=str) + "\n"


def to_json(results: list[AuditResult]) -> str:
    """Alias of :func:`render_json` (the name used in the issue)."""
    return render_json(results)
