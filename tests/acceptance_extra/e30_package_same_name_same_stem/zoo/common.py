"""Shared numbers (no Keras)."""

PIXEL_MAX = 255.0
