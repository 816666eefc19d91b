"""Prose: the resolver's words for people, with code spans each output marks its way."""

from lambda2layer.resolve.records import Code, marked, prose, reworded


def test_fields_fill_in_as_text_or_code():
    words = prose(
        "{name} where the Lambda was built ({where})", name=Code("k"), where="line 3"
    )
    assert words == (Code("k"), " where the Lambda was built (", "line 3", ")")


def test_docstring_and_report_mark_code_their_own_way():
    words = prose("default of parameter {name}", name=Code("a_b"))
    assert marked(words, "``") == "default of parameter ``a_b``"
    assert marked(words, "`") == "default of parameter `a_b`"


def test_rewording_never_touches_code():
    words = (Code("the Lambda"), " of the Lambda")
    assert reworded(words, "the Lambda", "the loss") == (
        Code("the Lambda"),
        " of the loss",
    )
