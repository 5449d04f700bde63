"""The B'Tselem examples run end to end on the shared file and print what the docs quote."""

from __future__ import annotations

import subprocess
import sys

from .conftest import EXAMPLES


def test_btselem_links_example(btselem_path):
    run = subprocess.run(
        [sys.executable, str(EXAMPLES / "btselem_links.py"), str(btselem_path)],
        capture_output=True, text=True, timeout=300, check=True,
    )  # fmt: skip
    out = run.stdout
    assert "11124 victim rows -> 4417 incidents" in out
    assert "Links per direction against chance" in out and "expected" in out
    assert "DyadicHawkes: 4416 events in 4 dyads (daily)" in out
    assert ">= 0.5: 0" in out  # docs/linking.md: no single B'Tselem link reaches 0.5
    assert "Side-level Hawkes fit on incidents" in out and "(daily)" in out
