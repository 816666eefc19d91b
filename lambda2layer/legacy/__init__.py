"""Keras-2 backend calls in generated code, rewritten for Keras 3 (issue 13).

``table`` is the translation as data; ``rewrite`` applies it to the text of the
generated methods and moved helpers; ``stage`` decides per site (translate the
whole site, or refuse it) after the resolver.
"""
