"""lambda2layer: rewrite Keras ``Lambda`` layers into registered custom layers."""

__version__ = "0.1.0"
