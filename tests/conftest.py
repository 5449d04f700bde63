from __future__ import annotations

import importlib
import os
import warnings
from pathlib import Path

import pytest

DATA = Path(__file__).parent / "data"
SAMPLES = Path(__file__).resolve().parents[1] / "data" / "samples"
SHARED = Path(__file__).resolve().parents[2] / "shared"
BTSELEM = SHARED / "data" / "btselem" / "fatalities_isr_pse_conflict_2000_to_2023.csv"
BTSELEM_COLUMNS = {
    "date": "date_of_event",
    "actor": "killed_by",
    "target": "citizenship",
    "event_type": "type_of_injury",
    "location": "event_location",
    "notes": "notes",
}
EXAMPLES = Path(__file__).resolve().parents[1] / "examples"


def reference(module: str):
    """An independent reference package: skipped when absent, unless CI requires the references."""
    if os.environ.get("ESCALATION_REQUIRE_REFERENCES"):
        with warnings.catch_warnings():  # as importorskip: a reference's own import-time deprecations
            warnings.simplefilter("ignore")
            return importlib.import_module(module)
    return pytest.importorskip(module)


@pytest.fixture
def btselem_path() -> Path:
    if not BTSELEM.is_file():
        pytest.skip("../shared (B'Tselem file) is not present")
    return BTSELEM
