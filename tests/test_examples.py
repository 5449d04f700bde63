"""The B'Tselem examples run end to end on the shared file and print what the docs quote."""

from __future__ import annotations

import subprocess
import sys

import pytest

from .conftest import EXAMPLES


def run_example(script: str, data, timeout: int = 600) -> str:
    """Run ``examples/<script>`` on the shared file; its standard output."""
    run = subprocess.run([sys.executable, str(EXAMPLES / script), str(data)], capture_output=True, text=True,
                         timeout=timeout, check=True)  # fmt: skip
    return run.stdout


def test_btselem_links_example(btselem_path):
    out = run_example("btselem_links.py", btselem_path, timeout=300)
    assert "11124 victim rows -> 4417 incidents" in out
    assert "Links per direction against chance" in out and "expected" in out
    assert "DyadicHawkes: 4416 events in 4 dyads (daily)" in out
    assert ">= 0.5: 0" in out  # docs/linking.md: no single B'Tselem link reaches 0.5
    assert "Side-level Hawkes fit on incidents" in out and "(daily)" in out


def test_reciprocity_example_states_adjusted_evidence(btselem_path):
    out = run_example("israel_palestine_reciprocity.py", btselem_path)
    assert "2000-09-29 to 2008-12-31 (inclusive)" in out
    assert "Holm-adjusted p" in out and "significant" not in out.lower()
    assert "pvalue_asymptotic" in out and "pvalue_adjusted" in out


@pytest.mark.slow
def test_published_specifications_example_prints_what_the_docs_quote(btselem_path):
    out = run_example("btselem_published_specs.py", btselem_path, timeout=900)
    docs = (EXAMPLES.parent / "docs" / "statistics.md").read_text(encoding="utf-8")
    for spec in ("Jaeger & Paserman, deaths", "Jaeger & Paserman, any killed (0/1)",
                 "Haushofer et al., VAR with year dummies"):  # fmt: skip
        assert spec in out and f"| {spec} |" in docs
    # the J&P VAR row as the docs quote it: F = 6.43, asymptotic p < 0.0001, tide p 0.255
    row = next(line for line in out.splitlines() if "Jaeger & Paserman, deaths" in line and "var-granger"
               in line and "Palestinians       Israel" in line)  # fmt: skip
    assert "6.4286" in row and "0.255" in row and "| 6.43 | < 0.0001 | 0.255 |" in docs
