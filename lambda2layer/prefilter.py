"""The cheap first look at a file's bytes: could it build a Keras Lambda at all?

Kept apart from the converter so that a run over files without any Lambda never
imports it.
"""

from __future__ import annotations

import re

# a call of something named Lambda, in Python source or in a notebook's JSON
_LAMBDA_CALL = re.compile(rb"\bLambda\s*\(")

# a word of every position where Keras serializes a user callable (``compile(loss=...``,
# ``metrics=``, ``activation=``, ``Activation(``, ``*_initializer=`` ...)
_CALLABLE_WORDS = re.compile(
    rb"loss|metrics|ctivation|_initializer|_regularizer|_constraint"
)


def might_convert(data: bytes) -> bool:
    """The byte prefilter: a file can hold a Keras Lambda only if it calls something
    named ``Lambda`` or names Keras or TensorFlow (``Lam = keras.layers.Lambda``). A
    file without ``Lambda`` gets through when it names Keras or TensorFlow and a word
    of a serialized callable (``loss``, ``metrics``, ``activation``, ``_initializer``
    ...). A ``Lambda(`` in a file that imports no Keras is parsed too: Keras may be
    bound at run time or through a star import, and such a call is then reported
    (``extract.unbound_lambda_calls``), never passed over."""
    keras = b"keras" in data or b"tensorflow" in data
    if b"Lambda" not in data:
        return keras and _CALLABLE_WORDS.search(data) is not None
    return keras or _LAMBDA_CALL.search(data) is not None
