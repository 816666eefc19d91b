"""LambdaSite -> Resolution: a decision for every free variable, or a refusal.

Pure functions over the AST; nothing here prints. One module per decision family:

* ``records``: the frozen records handed on (``LayerPlan``, ``Resolution`` ...),
* ``context``: what is known about the file, and how values built there are classified,
* ``site``: one site from start to end (``resolve_site``), sequencing the families below,
* ``functions``: the Lambda's function (lambda, def, ``functools.partial``, ``arguments=``),
* ``bodies``: a function body made a method,
* ``free_vars``: a decision per free variable,
* ``chains``, ``self_attributes``, ``self_writes``: attribute chains and a captured
  ``self`` (where its class binds each attribute),
* ``tensors``: tensor data flow (extra inputs, static shapes),
* ``module_names``, ``constants``: module-level names kept, moved or refused,
* ``shape_and_mask``: ``output_shape=`` and ``mask=``,
* ``notes``: warnings and notes on a converted site.
"""

from lambda2layer.resolve.context import Context
from lambda2layer.resolve.records import (
    ConstructorArg,
    Declined,
    KeptImport,
    LayerPlan,
    Method,
    MovedDefinition,
    Planned,
    Refusal,
    Resolution,
    Warning_,
)
from lambda2layer.resolve.site import SiteResolver, resolve_site

__all__ = [
    "ConstructorArg",
    "Context",
    "Declined",
    "KeptImport",
    "LayerPlan",
    "Method",
    "MovedDefinition",
    "Planned",
    "Refusal",
    "Resolution",
    "SiteResolver",
    "Warning_",
    "resolve_site",
]
