"""Which Keras a model file uses, and how the generated module imports it.

* ``keras3``: ``import keras`` (Keras 3, any backend).
* ``tf.keras``: ``from tensorflow import keras``, which is Keras 3 with
  TensorFlow 2.16+ and tf_keras when ``TF_USE_LEGACY_KERAS=1``: the generated
  layer follows whatever the model file gets.
* ``tf_keras``: ``import tf_keras as keras`` (Keras 2 as a separate package).

Keras 3 registers with ``keras.saving.register_keras_serializable``; the
others with ``keras.utils.register_keras_serializable``, the one spelling that
Keras 3's ``tensorflow.keras`` shim and tf_keras both provide.
"""

from __future__ import annotations

from enum import Enum


class Flavour(str, Enum):
    KERAS3 = "keras3"
    TF_KERAS = "tf.keras"
    TF_KERAS_PACKAGE = "tf_keras"

    @property
    def saving(self) -> str:
        """Namespace of register/serialize/deserialize_keras_object."""
        return "keras.saving" if self is Flavour.KERAS3 else "keras.utils"

    @property
    def import_line(self) -> str:
        return {
            Flavour.KERAS3: "import keras",
            Flavour.TF_KERAS: "from tensorflow import keras",
            Flavour.TF_KERAS_PACKAGE: "import tf_keras as keras",
        }[self]


TARGETS = ("auto", "keras3", "tf_keras")


def detect(imported: dict[str, str], target: str = "auto") -> Flavour:
    """The flavour of a file from what it imports (name -> dotted path), or the forced target."""
    if target == "keras3":
        return Flavour.KERAS3
    if target == "tf_keras":
        return Flavour.TF_KERAS_PACKAGE
    paths = set(imported.values())
    if any(p == "tf_keras" or p.startswith("tf_keras.") for p in paths):
        return Flavour.TF_KERAS_PACKAGE
    if any(p == "keras" or p.startswith("keras.") for p in paths):
        return Flavour.KERAS3
    if any(
        p.startswith(("tensorflow.keras", "tensorflow.python.keras")) for p in paths
    ):
        return Flavour.TF_KERAS
    if (
        "tensorflow" in paths
    ):  # tf.keras.layers.Lambda through ``import tensorflow as tf``
        return Flavour.TF_KERAS
    return Flavour.KERAS3
