"""Every command's exit status comes from lambda2layer.exits."""

import pytest

from lambda2layer import exits
from lambda2layer.exits import Exit


@pytest.mark.parametrize(
    "refused,skipped,failed_writes,pending,expected",
    [
        (0, 0, 0, 0, Exit.OK),
        (1, 0, 0, 0, Exit.WORK_LEFT),
        (0, 1, 0, 0, Exit.WORK_LEFT),
        (0, 0, 1, 0, Exit.WORK_LEFT),
        (0, 0, 0, 3, Exit.WORK_LEFT),
    ],
)
def test_convert(refused, skipped, failed_writes, pending, expected):
    assert exits.of_convert(refused, skipped, failed_writes, pending) is expected


def test_scan_and_checks():
    assert exits.of_scan(0) is Exit.OK and exits.of_scan(2) is Exit.WORK_LEFT
    assert exits.of_checks(True) is Exit.OK
    assert exits.of_checks(False) is Exit.WORK_LEFT


@pytest.mark.parametrize(
    "statuses,expected",
    [
        ([], Exit.OK),
        (["clean", "clean"], Exit.OK),
        (["clean", "unsafe"], Exit.WORK_LEFT),
        (["unsafe", "error"], Exit.USAGE),
    ],
)
def test_audit(statuses, expected):
    assert exits.of_audit(statuses) is expected


def test_the_codes_are_the_documented_numbers():
    assert [int(e) for e in (Exit.OK, Exit.WORK_LEFT, Exit.USAGE)] == [0, 1, 2]
