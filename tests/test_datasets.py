"""The bundled dataset holds the documented events, with their true dates and sources."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from escalation.datasets import iraq_2019_2021_paths, load_iraq_2019_2021


@pytest.fixture(scope="module")
def ev():
    return load_iraq_2019_2021()


def test_loads_cleanly(ev):
    assert ev.n_read == ev.n_accepted >= 40
    assert ev.n_rejected == 0
    assert ev.frame["source"].notna().all()
    assert set(ev.side_list()) == {"United States", "Iran", "Iran-aligned militias", "Iraq"}


@pytest.mark.parametrize(
    ("date", "actor_side", "target_side", "event_type", "needle"),
    [
        ("2019-12-27", "Iran-aligned militias", "United States", "rocket attack", "K-1"),
        ("2019-12-29", "United States", "Iran-aligned militias", "airstrike", "Al-Qaim"),
        ("2019-12-31", "Iran-aligned militias", "United States", "embassy storming", "Embassy"),
        ("2020-01-03", "United States", "Iran", "targeted killing", "Airport"),
        ("2020-01-08", "Iran", "United States", "ballistic missile attack", "Ain al-Asad"),
        ("2020-01-08", "Iran", "United States", "ballistic missile attack", "Erbil"),
        ("2020-03-11", "Iran-aligned militias", "United States", "rocket attack", "Taji"),
        ("2020-03-13", "United States", "Iran-aligned militias", "airstrike", "Jurf"),
        ("2020-03-14", "Iran-aligned militias", "United States", "rocket attack", "Taji"),
        ("2021-02-15", "Iran-aligned militias", "United States", "rocket attack", "Erbil"),
        ("2021-02-25", "United States", "Iran-aligned militias", "airstrike", "Abu Kamal"),
        ("2021-03-03", "Iran-aligned militias", "United States", "rocket attack", "Ain al-Asad"),
        ("2021-06-27", "United States", "Iran-aligned militias", "airstrike", "border"),
        ("2021-06-28", "Iran-aligned militias", "United States", "rocket attack", "Deir ez-Zor"),
    ],
)
def test_documented_events_present(ev, date, actor_side, target_side, event_type, needle):
    f = ev.frame
    hit = f[
        (f["date"].dt.normalize() == pd.Timestamp(date))
        & (f["actor_side"] == actor_side)
        & (f["target_side"] == target_side)
        & (f["event_type"] == event_type)
        & f["location"].str.contains(needle, regex=False)
    ]
    assert len(hit) == 1


def test_soleimani_and_al_asad_details(ev):
    f = ev.frame.set_index("event_id")
    assert "Soleimani" in f.loc["IRQ-2020-01-03-SOL", "notes"]
    assert f.loc["IRQ-2020-01-08-ASD", "responds_to"] == "IRQ-2020-01-03-SOL"
    assert "10 rockets" in f.loc["IRQ-2021-03-03-ASD", "notes"]


def test_stated_links_point_back_in_time(ev):
    f = ev.frame.set_index("event_id")
    refs = f["responds_to"].dropna().str.split(";").explode()
    assert len(refs) >= 12
    assert (
        f.loc[refs.to_numpy(), "date"].dt.normalize().to_numpy() <= f.loc[refs.index, "date"].dt.normalize().to_numpy()
    ).all()


def test_package_data_and_data_readme_agree():
    csv_path, sides_path = iraq_2019_2021_paths()
    assert csv_path.is_file() and sides_path.is_file()
    shipped = (csv_path.parent / "README.md").read_text(encoding="utf-8")
    repo_copy = Path(__file__).resolve().parents[1] / "data" / "README.md"
    if repo_copy.exists():
        assert repo_copy.read_text(encoding="utf-8") == shipped
