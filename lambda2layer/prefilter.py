"""The cheap first look at a file's bytes: could it build a Keras Lambda at all?

Kept apart from the converter so that a run over files without any Lambda never
imports it.
"""

from __future__ import annotations

import re

# ``from m import *`` as a statement; in a notebook's JSON, anywhere in a line
_STAR_IMPORT = re.compile(rb"^[ \t]*from[ \t]+[\w.]+[ \t]+import[ \t(]*\*", re.M)
_STAR_IMPORT_JSON = re.compile(rb"from[ \t]+[\w.]+[ \t]+import[ \t(]*\*")


def might_convert(data: bytes, notebook: bool = False) -> bool:
    """The byte prefilter: a file can build a Keras Lambda only if it says ``Lambda``
    and imports Keras or TensorFlow, or star-imports something that might be Keras.
    The same test the extractor makes after parsing, done on bytes first."""
    if b"Lambda" not in data:
        return False
    if b"keras" in data or b"tensorflow" in data:
        return True
    return bool((_STAR_IMPORT_JSON if notebook else _STAR_IMPORT).search(data))
