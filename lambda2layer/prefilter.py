"""The cheap first look at a file's bytes: could it build a Keras Lambda at all?

Kept apart from the converter so that a run over files without any Lambda never
imports it.
"""

from __future__ import annotations

import re

# ``from m import *`` as a statement; in a notebook's JSON, anywhere in a line
_STAR_IMPORT = re.compile(rb"^[ \t]*from[ \t]+[\w.]+[ \t]+import[ \t(]*\*", re.M)
_STAR_IMPORT_JSON = re.compile(rb"from[ \t]+[\w.]+[ \t]+import[ \t(]*\*")


# a word of every position where Keras serializes a user callable (``compile(loss=...``,
# ``metrics=``, ``activation=``, ``Activation(``, ``*_initializer=`` ...)
_CALLABLE_WORDS = re.compile(
    rb"loss|metrics|ctivation|_initializer|_regularizer|_constraint"
)


def might_convert(data: bytes, notebook: bool = False) -> bool:
    """The byte prefilter: a file can build a Keras Lambda only if it says ``Lambda``
    and imports Keras or TensorFlow, or star-imports something that might be Keras.
    The same test the extractor makes after parsing, done on bytes first. A file
    without ``Lambda`` gets through when it says Keras or TensorFlow and a word of a
    serialized callable (``loss``, ``metrics``, ``activation``, ``_initializer`` ...).
    """
    keras = b"keras" in data or b"tensorflow" in data
    if b"Lambda" not in data:
        return keras and _CALLABLE_WORDS.search(data) is not None
    if keras:
        return True
    return bool((_STAR_IMPORT_JSON if notebook else _STAR_IMPORT).search(data))
