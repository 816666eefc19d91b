"""The grand total of `make test`: every pytest run and every acceptance corpus.

Reads the JUnit XML files pytest wrote and the JSON reports the acceptance harness
wrote into one folder; prints one line per part and one grand total. Exit 1 if any
test failed, or if a part that should have reported did not (it crashed early).
"""

from __future__ import annotations

import json
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

PARTS = ("unit.xml", "runtime.xml")  # the acceptance reports are acceptance-*.json


def pytest_counts(path: Path) -> tuple[int, int]:
    root = ET.parse(path).getroot()
    suites = [root] if root.tag == "testsuite" else list(root)
    total = failed = 0
    for suite in suites:
        tests = int(suite.get("tests", 0))
        bad = int(suite.get("failures", 0)) + int(suite.get("errors", 0))
        skipped = int(suite.get("skipped", 0))
        total += tests - skipped
        failed += bad + skipped  # a skipped test is not a pass
    return total - failed, failed


def main(folder: Path) -> int:
    rows: list[tuple[str, int, int]] = []
    missing = [name for name in PARTS if not (folder / name).is_file()]
    for name in PARTS:
        if (folder / name).is_file():
            rows.append((f"pytest {name[:-4]}", *pytest_counts(folder / name)))
    reports = sorted(folder.glob("acceptance-*.json"))
    if not reports:
        missing.append("acceptance-*.json")
    for path in reports:
        data = json.loads(path.read_text())
        rows.append((f"acceptance {path.stem[11:]}", data["passed"], data["failed"]))
    width = max(len(r[0]) for r in rows) if rows else 0
    print("== make test")
    for label, passed, failed in rows:
        print(f"   {label.ljust(width)}  {passed} passed, {failed} failed")
    passed = sum(r[1] for r in rows)
    failed = sum(r[2] for r in rows)
    for name in missing:
        print(f"   {name}: no report (that part did not run to the end)")
    print(f"== grand total: {passed} passed, {failed} failed")
    return 1 if failed or missing else 0


if __name__ == "__main__":
    sys.exit(main(Path(sys.argv[1])))
