from .classifier import build_model
