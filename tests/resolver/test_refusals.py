"""What holds for every refusal, whatever its family: the refused site stays byte
for byte as it was while the other sites of the file are converted (each family
file has its own "stays unchanged" table with the exact messages)."""

from __future__ import annotations

from pathlib import Path

from support import HEADER, convert

from lambda2layer.pipeline import Status


def test_a_refused_site_stays_byte_identical_beside_a_converted_one(
    tmp_path: Path,
) -> None:
    body = (
        "def b(x):\n"
        "    y = layers.Lambda(lambda t: t * MISSING)(x)\n"
        "    return layers.Lambda(lambda t: t + 1.0)(y)\n"
    )
    result = convert(tmp_path, body)
    assert result.status is Status.PARTIAL
    assert result.patched.decode() == HEADER + (
        "from model_layers import Shift\n"
        "def b(x):\n"
        "    y = layers.Lambda(lambda t: t * MISSING)(x)\n"
        "    return Shift()(y)\n"
    )
    assert [d.code for d in result.diagnostics] == ["L2L206"]
    assert [s.status for s in result.sites] == ["refused", "converted"]
