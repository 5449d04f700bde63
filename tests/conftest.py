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
BENCHMARKS = Path(__file__).resolve().parents[1] / "benchmarks"


def benchmark_module(name: str):
    """``benchmarks/<name>.py`` as a module: the seeded simulations a test reruns on fewer histories than the
    study that docs/statistics.md reports."""
    import importlib.util

    spec = importlib.util.spec_from_file_location(f"{name}_benchmark", BENCHMARKS / f"{name}.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


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
