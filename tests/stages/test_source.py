"""``source.SourceText``: exact byte round trips and AST positions as offsets."""

from __future__ import annotations

import ast

import pytest

from lambda2layer.source import SourceError, SourceText


def test_latin1_cookie_and_crlf_come_back_byte_for_byte() -> None:
    data = "# -*- coding: latin-1 -*-\r\nname = 'café'\r\n".encode("latin-1")
    src = SourceText.decode(data)
    assert src.encoding == "iso-8859-1"
    assert src.newline == "\r\n"
    assert src.encode() == data
    assert src.line(2) == "name = 'café'\r\n"


def test_ast_columns_in_utf8_bytes_map_to_characters() -> None:
    src = SourceText.decode("s = 'é' + f(x)\n".encode())
    call = next(n for n in ast.walk(src.parse()) if isinstance(n, ast.Call))
    assert call.col_offset == 11  # bytes: "é" is two
    assert src.start(call) == 10 and src.segment(call) == "f(x)"


@pytest.mark.parametrize(
    "data,message",
    [
        (b'print "hi"\n', "not valid Python 3: Missing parentheses"),
        (b"# coding: nope\nx = 1\n", "cannot decode: unknown encoding"),
        (b"x = '\xff'\n", "cannot decode:"),
    ],
)
def test_what_cannot_be_read_is_a_source_error(data: bytes, message: str) -> None:
    with pytest.raises(SourceError) as raised:
        SourceText.decode(data).parse()
    assert str(raised.value).startswith(message), raised.value


def test_a_definition_takes_its_decorators_and_the_comments_above() -> None:
    text = "x = 1\n# about f\n@dec\ndef f():  # f\n    return 2\ny = f()\n"
    src = SourceText.decode(text.encode())
    fn = src.parse().body[1]
    assert src.definition_start(fn) == 2
    assert src.definition_text(fn) == "# about f\n@dec\ndef f():  # f\n    return 2"
    assert src.stands_alone(fn)
