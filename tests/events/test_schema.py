"""Validation: every row is accepted or rejected with a reason, and nothing else happens to it."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from escalation import read_events
from escalation._core.dates import parse_dates
from escalation.events.schema import dropped_links, generate_ids

from ..conftest import DATA


@pytest.fixture(scope="module")
def bad():
    return read_events(DATA / "canonical_bad.csv")


def test_bad_file_keeps_every_good_row(bad):
    assert bad.n_read == 14
    # C4 is one-sided (no target); C6 and C7 keep their place, only their bad stated links go
    assert sorted(bad.frame["event_id"]) == ["A1", "B1", "C4", "C6", "C7", "D1"]
    assert bad.n_accepted + bad.n_rejected == bad.n_read
    assert bad.n_dropped_links == 2
    assert bad.frame.set_index("event_id").loc[["C6", "C7"], "responds_to"].isna().all()


@pytest.mark.parametrize(
    ("row", "column", "reason"),
    [
        (
            4,
            "date",
            "unparseable date (expected 2021-03-01 with or without a time, 1 March 2021 or March 1, 2021; "
            "other forms: --date-format)",
        ),
        (5, "date", "missing date"),
        (6, "actor", "missing actor"),
        (8, "event_id", "duplicate event_id (first at row 3)"),
        (9, "responds_to", "responds_to names an unknown event; the link is dropped, the event kept"),
        (10, "responds_to", "responds_to names a later event; the link is dropped, the event kept"),
        (11, "latitude", "latitude outside [-90, 90]"),
        (12, "longitude", "longitude outside [-180, 180]"),
        (13, "fatalities", "negative fatalities"),
        (14, "fatalities", "non-numeric fatalities"),
    ],
)
def test_each_bad_row_has_its_reason(bad, row, column, reason):
    rej = bad.rejections
    hit = rej[(rej["row"] == row) & (rej["column"] == column)]
    assert hit["reason"].tolist() == [reason]
    assert (hit["file"] == str(DATA / "canonical_bad.csv")).all()


def test_rejected_values_are_the_raw_cells(bad):
    rej = bad.rejections.set_index("row")
    assert rej.loc[4, "value"] == "2020-13-45"
    assert rej.loc[14, "value"] == "many"
    assert rej.loc[9, "value"] == "ZZ9"


def test_time_kept_when_given(bad):
    d1 = bad.frame.set_index("event_id").loc["D1"]
    assert d1["date"] == pd.Timestamp("2020-01-10 14:30")
    assert bool(d1["has_time"]) is True
    assert bool(bad.frame.set_index("event_id").loc["A1", "has_time"]) is False


def test_reference_to_rejected_event_drops_the_link_and_does_not_cascade():
    table = pd.DataFrame(
        {
            "event_id": ["a", "b", "c", "d"],
            "date": ["2020-01-01", "bad", "2020-01-03", "2020-01-04"],
            "actor": ["x", "y", "x", "y"],
            "target": ["y", "x", "y", "x"],
            "responds_to": [None, "a", "b", "c"],
        }
    )
    ev = read_events(table)
    # only b (bad date) goes; c loses its link to b, and d's link to c stands: no cascade
    assert ev.frame["event_id"].tolist() == ["a", "c", "d"]
    assert ev.n_rejected == 1 and ev.n_dropped_links == 1
    reasons = ev.rejections.set_index("row")["reason"]
    assert reasons[2].startswith("unparseable date (expected")
    assert reasons[3] == "responds_to names a rejected event; the link is dropped, the event kept"
    assert ev.frame.set_index("event_id").loc[["a", "c", "d"], "responds_to"].isna().tolist() == [True, True, False]
    assert any("1 stated link dropped" in w for w in ev.warnings)


def test_same_day_reference_is_allowed_but_not_a_later_time():
    table = pd.DataFrame(
        {
            "event_id": ["a", "b", "c"],
            "date": ["2020-01-01T10:00", "2020-01-01", "2020-01-01T09:00"],
            "actor": ["x", "y", "y"],
            "target": ["y", "x", "x"],
            "responds_to": [None, "a", "a"],
        }
    )
    ev = read_events(table)
    # b has no time: same day cannot be called later; c at 09:00 answers a at 10:00: later (link dropped).
    assert sorted(ev.frame["event_id"]) == ["a", "b", "c"]
    assert ev.frame.set_index("event_id").loc[["a", "b", "c"], "responds_to"].isna().tolist() == [True, False, True]
    assert ev.rejections["reason"].tolist() == ["responds_to names a later event; the link is dropped, the event kept"]


def test_iso_datetime_with_zone_is_converted_to_utc():
    ts, has_time, _ = parse_dates(pd.Series(["2020-01-03T05:00+03:00", "2020-01-03"]))
    assert ts.tolist() == [pd.Timestamp("2020-01-03 02:00"), pd.Timestamp("2020-01-03")]
    assert has_time.tolist() == [True, False]


def test_fractional_and_coordinate_pair_rules():
    table = pd.DataFrame(
        {
            "date": ["2020-01-01"] * 3,
            "actor": ["x"] * 3,
            "target": ["y"] * 3,
            "fatalities": ["1.5", "2", ""],
            "latitude": ["", "33", "33"],
            "longitude": ["44", "44", "44"],
        }
    )
    ev = read_events(table)
    assert ev.rejections["reason"].tolist() == ["fractional fatalities", "longitude given without latitude"]
    assert ev.rejections["row"].tolist() == [1, 1]
    assert ev.n_rejected == 1
    assert ev.frame["fatalities"].isna().tolist() == [False, True]  # empty means unknown, not zero


def test_a_count_too_large_for_an_integer_is_rejected_by_name():
    # found by the accepted + rejected property: "1E100" reached the Int64 cast and raised
    table = pd.DataFrame({"date": ["2020-01-01"] * 3, "actor": ["x"] * 3, "target": ["y"] * 3,
                          "fatalities": ["1E100", "1e300", "9007199254740992"]})  # fmt: skip
    ev = read_events(table)
    assert ev.rejections["reason"].tolist() == ["fatalities too large to be a count (over 2**53)"] * 2
    assert ev.rejections["row"].tolist() == [1, 2]
    assert ev.frame["fatalities"].tolist() == [2**53]


def test_generated_ids_are_stable_and_order_free():
    raw = pd.DataFrame({"a": ["x", "y", "x"], "b": ["1", "2", "1"]})
    ids = generate_ids(raw)
    assert ids[0] != ids[1]
    assert ids[2] == ids[0] + "-2"  # identical rows: numbered in file order
    shuffled = generate_ids(raw.iloc[[1, 0]].reset_index(drop=True))
    assert shuffled[0] == ids[1] and shuffled[1] == ids[0]
    assert all(len(i) == len("ev-") + 16 for i in ids[:2])


def test_blank_row_is_rejected_once(tmp_path):
    path = tmp_path / "blank.csv"
    path.write_text("date,actor,target\n2020-01-01,a,b\n,,\n2020-01-02,b,a\n", encoding="utf-8")
    ev = read_events(path)
    assert ev.n_read == 3 and ev.n_accepted == 2
    assert ev.rejections[["row", "reason"]].values.tolist() == [[3, "empty row"]]


_cell = st.one_of(
    st.just(""),
    st.sampled_from(["2020-01-01", "2021-06-30T12:00", "31/02/2020", "x", "-1", "3", "1e9", "NA", ";", "a;b"]),
    st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=6),
)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(
        st.fixed_dictionaries(
            {
                c: _cell
                for c in (
                    "event_id",
                    "date",
                    "actor",
                    "target",
                    "latitude",
                    "longitude",
                    "fatalities",
                    "responds_to",
                )
            }
        ),
        min_size=1,
        max_size=25,
    )
)
def test_accepted_plus_rejected_equals_rows_read(rows):
    table = pd.DataFrame(rows)
    ev = read_events(table)
    assert ev.n_accepted + ev.n_rejected == len(table)
    accepted_rows = set(ev.frame["row"].tolist())
    rejected_rows = set(ev.rejections.loc[~dropped_links(ev.rejections).to_numpy(), "row"].tolist())
    assert accepted_rows.isdisjoint(rejected_rows)
    assert accepted_rows | rejected_rows == set(range(1, len(table) + 1))
    # Every accepted event has what an analysis needs.
    assert ev.frame["date"].notna().all()
    assert ev.frame["actor"].notna().all()
    # a missing target makes a one-sided event, and only that: no side is invented for it
    assert (ev.frame["target"].isna() == ev.frame["target_side"].isna()).all()
    assert not ev.frame["event_id"].duplicated().any()
    assert np.all(ev.frame["fatalities"].dropna().to_numpy() >= 0)


def test_an_event_without_target_is_one_sided_not_rejected(bad):
    c4 = bad.frame.set_index("event_id").loc["C4"]
    assert pd.isna(c4["target"]) and pd.isna(c4["target_side"]) and c4["actor_side"] == "Side A"
    assert bad.n_one_sided == 1
    assert bad.summary().set_index("side").loc["Side A", "one_sided"] == 1
    assert "missing target" not in set(bad.rejections["reason"])


def test_missing_optional_columns_behave_as_missing_values(tmp_path):
    """The optional columns a source lacks are built without filling memory (zero buffers), and read exactly as
    columns of pd.NA would: through take, concat, comparisons, string methods, fillna and a Parquet round trip."""
    from escalation.events.schema import TEXT_DTYPE, missing_counts, missing_text

    index = pd.RangeIndex(7)
    text, counts = missing_text(index), pd.Series(missing_counts(7))
    want_text = pd.Series(pd.NA, index=index, dtype=TEXT_DTYPE)
    want_counts = pd.Series([pd.NA] * 7, dtype="Int64")
    pd.testing.assert_series_equal(text, want_text)
    pd.testing.assert_series_equal(counts, want_counts)
    pd.testing.assert_series_equal(text.take([3, 1]).reset_index(drop=True), want_text.iloc[:2])
    pd.testing.assert_series_equal(pd.concat([text, pd.Series(["x"], dtype=TEXT_DTYPE)], ignore_index=True),
                                   pd.Series([pd.NA] * 7 + ["x"], dtype=TEXT_DTYPE))  # fmt: skip
    assert text.str.strip().isna().all() and (text == "x").isna().all() and (text.fillna("-") == "-").all()
    assert counts.sum() == 0 and counts.fillna(2).sum() == 14

    path = tmp_path / "events.csv"
    pd.DataFrame({"date": ["2020-01-01", "2020-01-03", "2020-01-02"], "actor": ["A", "B", "A"],
                  "target": ["B", "A", "B"]}).to_csv(path, index=False)  # fmt: skip
    frame = read_events(path).frame
    assert frame["location"].dtype == TEXT_DTYPE and frame["location"].isna().all()
    assert frame["injuries"].dtype == "Int64" and frame["injuries"].isna().all()
    frame.to_parquet(tmp_path / "events.parquet")
    # (pandas 2 reads Parquet strings back as Python-stored strings: values compared, not storage)
    pd.testing.assert_frame_equal(pd.read_parquet(tmp_path / "events.parquet"), frame, check_dtype=False)


def test_by_date_sorts_column_by_column_as_sort_values_does():
    """by_date moves one column at a time (so the unsorted and sorted tables are never held whole at once) and gives
    what sort_values gives, every dtype kept; the input is emptied."""
    from escalation.events.schema import TEXT_DTYPE, by_date, missing_text

    rng = np.random.default_rng(4)
    n = 50
    frame = pd.DataFrame(
        {
            "event_id": pd.array([f"e{i:02d}" for i in rng.permutation(n)], dtype=TEXT_DTYPE),
            "date": pd.Timestamp("2020-01-01") + pd.to_timedelta(rng.integers(0, 5, n), unit="D"),
            "has_time": rng.random(n) < 0.5,
            "actor": pd.array(rng.choice(["A", "B", None], n), dtype=TEXT_DTYPE),
            "fatalities": pd.array(rng.integers(0, 4, n), dtype="Int64"),
            "latitude": rng.normal(size=n),
            "row": np.arange(2, n + 2),
        },
        index=np.arange(100, 100 + n),
    )
    frame["notes"] = missing_text(frame.index)
    want = frame.sort_values(["date", "event_id"], kind="stable").reset_index(drop=True)
    got = by_date(frame)
    pd.testing.assert_frame_equal(got, want)
    assert frame.columns.empty  # emptied as it went


@settings(max_examples=80, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.integers(0, 4), st.text(alphabet=st.sampled_from(["a", "B", "b", "1", "é", "\u00e9", "Z", "\U0001f600"]))
        ),
        max_size=40,
    )
)
def test_date_then_id_order_is_pandas_stable_sort(rows):
    """Arrow's two-key sort gives pandas' stable sort_values order: ties of date by id (code point order, non-ASCII
    and astral ids included), ties of both in input order. With a missing date the pandas sort is used."""
    from escalation.events.schema import TEXT_DTYPE, _date_id_order

    frame = pd.DataFrame(
        {
            "date": pd.Timestamp("2020-01-01") + pd.to_timedelta([d for d, _ in rows], unit="h"),
            "event_id": pd.array([i for _, i in rows], dtype=TEXT_DTYPE),
        },
        index=np.arange(len(rows)) * 3 + 7,
    )
    want = frame.reset_index(drop=True).sort_values(["date", "event_id"], kind="stable").index.to_numpy()
    np.testing.assert_array_equal(_date_id_order(frame), want)
    if len(rows):
        frame.iloc[0, 0] = pd.NaT
        want = frame.reset_index(drop=True).sort_values(["date", "event_id"], kind="stable").index.to_numpy()
        np.testing.assert_array_equal(_date_id_order(frame), want)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(
        st.one_of(st.none(), st.text(alphabet=st.sampled_from(["a", "B", " ", "\t", "\n", "\u00a0", "\u2003", "é"]))),
        max_size=30,
    ),
    st.integers(1, 7),
)
def test_clean_text_gives_the_same_whatever_the_chunks(cells, chunk):
    """The reader hands clean_text columns in Arrow chunks of 250,000 rows; the result must be what str.strip and
    blank -> missing give on one whole column, whatever the chunks."""
    import pyarrow as pa

    from escalation._core.text import TEXT_DTYPE, clean_text

    whole = pd.Series(cells, dtype=TEXT_DTYPE)
    parts = [pa.array(cells[i : i + chunk], type=pa.large_string()) for i in range(0, len(cells), chunk)]
    chunked = pd.Series(pd.arrays.ArrowStringArray(pa.chunked_array(parts, type=pa.large_string())))
    stripped = whole.str.strip()
    want = stripped.mask(stripped == "")
    pd.testing.assert_series_equal(clean_text(chunked), want)
    pd.testing.assert_series_equal(clean_text(whole), want)


def test_a_deep_chain_of_references_to_a_rejected_event_costs_one_pass():
    # issue 35: 10,000 events, each naming the one before, the first rejected for its date. The rejection
    # cascaded, one round per event (2,000 took 60 s); now one link is dropped and 9,999 events stay.
    n = 10_000
    table = pd.DataFrame({
        "event_id": [f"e{i}" for i in range(n)],
        "date": ["not a date"] + [str(d.date()) for d in pd.date_range("2000-01-01", periods=n - 1)],
        "actor": np.where(np.arange(n) % 2, "A", "B"), "target": np.where(np.arange(n) % 2, "B", "A"),
        "responds_to": [None] + [f"e{i}" for i in range(n - 1)],
    })  # fmt: skip
    ev = read_events(table)
    assert (ev.n_accepted, ev.n_rejected, ev.n_dropped_links) == (n - 1, 1, 1)
    assert ev.frame["responds_to"].notna().sum() == n - 2


@given(st.lists(st.sampled_from(["e0", "e1", "e2", "e3", "e9", "e0, e1", "e2 e3", "", "e4"]), min_size=5, max_size=5))
@settings(max_examples=40, deadline=None)
def test_a_bad_link_never_drops_an_event(names):
    # whatever the rows name (earlier, later, themselves, nothing, unknown), every row with a date and an actor
    # is accepted, and the links kept all point back in time to accepted events
    table = pd.DataFrame({"event_id": [f"e{i}" for i in range(5)],
                          "date": [f"2020-01-0{i + 1}" for i in range(5)], "actor": "A", "target": "B",
                          "responds_to": names})  # fmt: skip
    ev = read_events(table)
    assert ev.n_accepted == 5 and ev.n_rejected == 0
    from escalation.events.schema import named_references

    kept = named_references(ev.frame.set_index("event_id")["responds_to"])
    assert all(ref < own for own, ref in kept.items())  # ids sort as their dates here
