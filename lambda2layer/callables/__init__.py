"""Serialized callables outside Lambda layers: what ``compile()`` gets as ``loss``,
``metrics`` or ``weighted_metrics``, and a layer's ``activation`` / ``*_initializer`` /
``*_regularizer`` / ``*_constraint`` (issue 12).

* ``sites``: find them (import-aware, inside list / tuple / dict literals),
* ``records``: the frozen records handed on (``CallableSite``, ``CallablePlan`` ...),
* ``decide``: one site -> a plan (registered function, moved def, registered class
  with its values in a config) or a refusal, reusing the resolver's free-variable
  machinery,
* ``render``: the plans -> blocks of the generated module (``templates/callables.py.j2``).
"""
