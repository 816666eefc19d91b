"""Class, parameter, module and registration names: collision-free and stable.

Pure functions of the names and paths they are given: facts about the disk come
from the run's project index (``lambda2layer.project``)."""

from __future__ import annotations

import ast
import itertools
import keyword
import re
from pathlib import Path
from typing import Iterable

# Attributes and constructor keywords of ``keras.layers.Layer`` (Keras 3 and
# tf_keras): a generated attribute or config key must never shadow one.
LAYER_RESERVED = frozenset("""
    activity_regularizer add_loss add_metric add_update add_variable add_weight
    autocast batch_input_shape batch_size build build_from_config built call compute_dtype
    compute_mask compute_output_shape compute_output_signature compute_output_spec config count_params
    dtype dtype_policy dynamic finalize_state from_config get_build_config get_config
    get_weights inbound_nodes input input_dim input_mask input_shape input_spec
    load_own_variables losses metrics metrics_names name name_scope
    non_trainable_variables non_trainable_weights outbound_nodes output output_mask
    output_shape path quantization_mode quantize quantized_call rematerialized_call
    save_own_variables set_weights stateless_call submodules supports_masking
    symbolic_call trainable trainable_variables trainable_weights updates variable_dtype
    variables weights with_name_scope inputs kwargs self config cls mask training
    """.split())
# Public class names of ``keras.layers``: a generated class never takes one,
# so ``Reshape()`` in a patched file always means Keras' own layer.
KERAS_LAYER_NAMES = frozenset("""
    Activation ActivityRegularization AdaptiveAveragePooling1D AdaptiveAveragePooling2D
    AdaptiveAveragePooling3D AdaptiveMaxPooling1D AdaptiveMaxPooling2D AdaptiveMaxPooling3D Add
    AdditiveAttention AlphaDropout Attention AugMix AutoContrast Average AveragePooling1D
    AveragePooling2D AveragePooling3D AvgPool1D AvgPool2D AvgPool3D BatchNormalization
    Bidirectional CategoryEncoding CenterCrop Concatenate
    ContrastLimitedAdaptiveHistogramEqualization Conv1D Conv1DTranspose Conv2D Conv2DTranspose
    Conv3D Conv3DTranspose ConvLSTM1D ConvLSTM2D ConvLSTM3D Convolution1D Convolution1DTranspose
    Convolution2D Convolution2DTranspose Convolution3D Convolution3DTranspose Cropping1D
    Cropping2D Cropping3D CutMix Dense DepthwiseConv1D DepthwiseConv2D Discretization Dot
    Dropout ELU EinsumDense Embedding Equalization Flatten FlaxLayer GRU GRUCell GaussianDropout
    GaussianNoise GlobalAveragePooling1D GlobalAveragePooling2D GlobalAveragePooling3D
    GlobalAvgPool1D GlobalAvgPool2D GlobalAvgPool3D GlobalMaxPool1D GlobalMaxPool2D
    GlobalMaxPool3D GlobalMaxPooling1D GlobalMaxPooling2D GlobalMaxPooling3D GroupNormalization
    GroupQueryAttention HashedCrossing Hashing Identity Input InputLayer InputSpec IntegerLookup
    JaxLayer LSTM LSTMCell Lambda Layer LayerNormalization LeakyReLU Masking MaxNumBoundingBoxes
    MaxPool1D MaxPool2D MaxPool3D MaxPooling1D MaxPooling2D MaxPooling3D Maximum MelSpectrogram
    Minimum MixUp MultiHeadAttention Multiply Normalization PReLU Permute Pipeline
    RMSNormalization RNN RandAugment RandomBrightness RandomColorDegeneration RandomColorJitter
    RandomContrast RandomCrop RandomElasticTransform RandomErasing RandomFlip RandomGaussianBlur
    RandomGrayscale RandomHue RandomInvert RandomPerspective RandomPosterization RandomRotation
    RandomSaturation RandomSharpness RandomShear RandomTranslation RandomZoom ReLU RepeatVector
    Rescaling Reshape Resizing ReversibleEmbedding STFTSpectrogram SeparableConv1D
    SeparableConv2D SeparableConvolution1D SeparableConvolution2D SimpleRNN SimpleRNNCell
    Softmax Solarization SpatialDropout1D SpatialDropout2D SpatialDropout3D
    SpectralNormalization StackedRNNCells StringLookup Subtract TFSMLayer TextVectorization
    TimeDistributed TorchModuleWrapper UnitNormalization UpSampling1D UpSampling2D UpSampling3D
    Wrapper ZeroPadding1D ZeroPadding2D ZeroPadding3D
    """.split())
_WORD = re.compile(r"[^\W_]+")  # letters and digits, accented ones included
_NOT_WORD = re.compile(r"\W")


def camel(text: str) -> str:
    """``add_two`` -> ``AddTwo``; ``half-c`` -> ``HalfC``; keeps inner capitals."""
    words = _WORD.findall(text)
    out = "".join(w[:1].upper() + w[1:] for w in words)
    if not out:
        return ""
    return out if out[0].isalpha() else "Layer" + out


def snake(text: str) -> str:
    """``CONV_WIDTH`` -> ``conv_width``; ``_TRACE_LOCK`` -> ``trace_lock``."""
    name = re.sub(r"(?<=[a-z0-9])(?=[A-Z])", "_", text) if not text.isupper() else text
    name = re.sub(r"[^A-Za-z0-9_]", "_", name).strip("_").lower()
    name = re.sub(r"_+", "_", name)
    if not name or name[0].isdigit():
        name = "value_" + name
    return name


_DEFAULT_LAMBDA_NAME = re.compile(r"lambda(_\d+)?")


def is_default_lambda_name(text: str) -> bool:
    """``lambda``, ``lambda_3``: a name Keras gives an unnamed Lambda layer (one a
    class should not be named after, and one code may look a layer up by)."""
    return _DEFAULT_LAMBDA_NAME.fullmatch(text) is not None


def default_layer_name(class_name: str) -> str:
    """The name Keras gives the first unnamed layer of a class: ``ScaleBy`` ->
    ``scale_by``, ``HTTPPool`` -> ``http_pool`` (a word starts at a capital followed by
    lowercase letters, or at a capital after a lowercase letter)."""
    name = re.sub(r"(.)(?=[A-Z][a-z]+)", r"\1_", class_name)
    return re.sub(r"(?<=[a-z])(?=[A-Z])", "_", name).lower()


def parameter_name(raw: str, taken: set[str]) -> str:
    """A constructor parameter (= attribute = config key) that shadows nothing."""
    name = snake(raw)
    if name in LAYER_RESERVED or keyword.iskeyword(name) or name.startswith("_"):
        name += "_value"
    base, n = name, 2
    while name in taken:
        name, n = f"{base}_{n}", n + 1
    taken.add(name)
    return name


def unique_class_name(base: str, taken: set[str]) -> str:
    candidates = itertools.chain(
        [base, base + "Layer"], (f"{base}Layer{n}" for n in itertools.count(2))
    )
    for name in candidates:
        if name not in taken and name not in KERAS_LAYER_NAMES:
            taken.add(name)
            return name
    raise AssertionError("unreachable")


def names_in_file(nodes) -> set[str]:
    """Every identifier the model file binds or reads: generated names avoid them."""
    names: set[str] = set()
    for node in nodes:
        kind = node.__class__
        if kind is ast.Name:
            names.add(node.id)
        elif kind is ast.arg:
            names.add(node.arg)
        elif kind is ast.alias:
            names.add((node.asname or node.name).split(".")[0])
        elif kind in _DEFINITIONS:
            names.add(node.name)
    return names


_DEFINITIONS = (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)


_OP_NAMES = {
    ast.Mult: "Scale",
    ast.Div: "Divide",
    ast.Add: "Shift",
    ast.Sub: "Subtract",
    ast.Pow: "Power",
    ast.MatMult: "MatMul",
}


def body_name(body: ast.AST, nodes: Iterable[ast.AST] | None = None) -> str:
    """A readable class-name stem from a lambda body (its main call, or its shape);
    ``nodes``: the body's nodes in ``ast.walk`` order, if they are at hand."""
    for node in ast.walk(body) if nodes is None else nodes:
        if isinstance(node, ast.Call):
            func = node.func
            if isinstance(func, ast.Attribute):
                return camel(func.attr)
            if isinstance(func, ast.Name):
                return camel(func.id)
    if isinstance(body, ast.Subscript):
        return "Slice"
    if isinstance(body, (ast.List, ast.Tuple)):
        return "Split"
    if isinstance(body, ast.IfExp):
        return "Conditional"
    if isinstance(body, ast.UnaryOp):
        return {ast.USub: "Negate", ast.Not: "LogicalNot", ast.Invert: "Invert"}.get(
            type(body.op), "Elementwise"
        )
    if isinstance(body, ast.BinOp):
        return _OP_NAMES.get(type(body.op), "Elementwise")
    return "Function"


def safe_name(text: str) -> str:
    """``text`` with every character that cannot stand in an identifier made ``_``."""
    return _NOT_WORD.sub("_", text)


def module_stem(path: Path, suffix: str) -> str:
    """An importable module name for the generated module of ``path``."""
    stem = safe_name(path.stem)
    return ("_" + stem if stem[:1].isdigit() else stem) + suffix


def registration_package(module_parts: Iterable[str], prefix: str = "l2l") -> str:
    """``l2l.<dotted path of the model file>``: unique per source module, stable across runs.

    ``module_parts``: the model module's dotted path as names (the project index's
    ``module_parts``: from the project root, else from the package the file belongs to).
    """
    return ".".join([prefix, *map(safe_name, module_parts)])
