"""The bundled dataset holds the documented events, with their true dates and sources.

The local-date test converts each ``reported_time`` (a clock time as a source gave it, with its UTC offset)
to the IANA zone of the event's country with :mod:`zoneinfo`, an independent reference for the rule
"dates are the local date where the event happened".
"""

from __future__ import annotations

import re
from pathlib import Path
from zoneinfo import ZoneInfo

import pandas as pd
import pytest

from escalation.datasets import iraq_2019_2021_paths, load_iraq_2019_2021


@pytest.fixture(scope="module")
def ev():
    return load_iraq_2019_2021()


def test_loads_cleanly(ev):
    assert ev.n_read == ev.n_accepted == 62
    assert ev.n_rejected == 0
    assert ev.frame["source"].notna().all()
    assert (ev.frame["source"].str.len() > 10).all()
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
        ("2021-02-26", "United States", "Iran-aligned militias", "airstrike", "Abu Kamal"),
        ("2021-03-03", "Iran-aligned militias", "United States", "rocket attack", "Ain al-Asad"),
        ("2021-06-28", "United States", "Iran-aligned militias", "airstrike", "border"),
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


@pytest.fixture(scope="module")
def raw():
    """The CSV as text, so that empty cells are seen as written."""
    return pd.read_csv(iraq_2019_2021_paths()[0], dtype=str, keep_default_na=False)


def test_every_stated_link_has_a_basis_and_every_basis_a_link(raw):
    stated = raw["responds_to"] != ""
    assert stated.sum() >= 12
    assert (raw.loc[stated, "link_basis"].str.len() > 30).all(), raw.loc[stated & (raw["link_basis"] == ""), "event_id"]
    assert (raw.loc[~stated, "link_basis"] == "").all()
    # A basis says who made the statement and when: a date in ISO form.
    assert raw.loc[stated, "link_basis"].str.contains(r"\d{4}-\d{2}-\d{2}").all()


ATTRIBUTION = re.compile(r"^(acknowledged|unclaimed|claimed by .+|attributed by .+ to .+|observed \(.+\))$")


def test_attribution_follows_the_vocabulary(raw):
    bad = raw.loc[~raw["attribution"].str.match(ATTRIBUTION), ["event_id", "attribution"]]
    assert bad.empty, bad
    # The README's rule: an attack nobody claimed is coded to no named group.
    unclaimed = raw["attribution"].str.startswith(("unclaimed", "attributed by"))
    attacks = raw["event_type"].isin(["rocket attack", "drone strike"])
    assert (raw.loc[unclaimed & attacks, "actor"] == "Unclaimed (Iran-aligned militia suspected)").all()
    claimed = raw["attribution"].str.startswith("claimed by")
    for actor, claim in raw.loc[claimed, ["actor", "attribution"]].itertuples(index=False):
        assert actor in claim


ZONES = {"Iraq": "Asia/Baghdad", "Syria": "Asia/Damascus", "United States": "America/New_York"}


def test_dates_are_local_where_a_time_is_reported(raw):
    timed = raw[raw["reported_time"] != ""]
    assert len(timed) >= 8
    for row in timed.itertuples(index=False):
        local = pd.Timestamp(row.reported_time).tz_convert(ZoneInfo(ZONES[row.country])).tz_localize(None)
        assert pd.Timestamp(row.date).date() == local.date(), row.event_id
        if "T" in row.date:  # a clock time in `date` is the local one
            assert pd.Timestamp(row.date) == local.floor("min"), row.event_id
    # Every clock time in `date` has the source's time beside it.
    assert set(raw.loc[raw["date"].str.contains("T"), "event_id"]) <= set(timed["event_id"])


def test_fact_check_corrections(raw):
    f = raw.set_index("event_id")
    assert f.loc["IRQ-2019-12-27-K1", "injuries"] == "6"
    assert f.loc["IRQ-2019-12-27-K1", "actor"].startswith("Unclaimed")
    assert f.loc["IRQ-2021-02-25-SYR", "date"] == "2021-02-26"  # Friday dawn in Syria
    assert f.loc["IRQ-2021-02-25-SYR", "responds_to"] == "IRQ-2021-02-15-ERB"
    assert f.loc["IRQ-2021-06-27-USS", "responds_to"] == ""  # "UAV attacks" in general: inferred, not stated
    assert f.loc["IRQ-2020-10-11-TRU", "responds_to"] == ""
    assert f.loc["IRQ-2021-02-20-BAL", "target"] == "US contractors"
    assert f.loc["IRQ-2020-12-30-B52", "target"] == ""
    assert f.loc["IRQ-2021-02-15-ERB", "fatalities"] == "2"


def test_event_ids_are_unique_and_rows_in_date_order(raw):
    assert raw["event_id"].is_unique
    days = pd.to_datetime(raw["date"], format="ISO8601")
    assert days.is_monotonic_increasing


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
    repo_copy = Path(__file__).resolve().parents[2] / "data" / "README.md"  # the tests run from the repository
    assert repo_copy.read_text(encoding="utf-8") == shipped
