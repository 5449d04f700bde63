"""Readers: each source format, column mappings, and files that cannot be read."""

from __future__ import annotations

import json

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from escalation import DataError, UsageError, read_events
from escalation.io import detect_format, parse_columns

from ..conftest import BTSELEM_COLUMNS, DATA, EXAMPLES, SAMPLES


@pytest.mark.parametrize(
    ("name", "fmt"),
    [
        (SAMPLES / "acled_sample.csv", "acled"),
        (SAMPLES / "ucdp_sample.csv", "ucdp"),
        (SAMPLES / "gdelt_sample.tsv", "gdelt"),
        (DATA / "canonical_bad.csv", "canonical"),
    ],
)
def test_detect_format(name, fmt):
    assert detect_format(name) == fmt


def test_acled():
    ev = read_events(SAMPLES / "acled_sample.csv")
    assert ev.provenance["format"] == "acled"
    assert (ev.n_read, ev.n_accepted, ev.n_rejected) == (4, 3, 1)  # the protest without actor2 is one-sided
    f = ev.frame.set_index("event_id")
    assert f.loc["IRQ10001", "event_type"] == "Air/drone strike"
    assert f.loc["IRQ10001", "category"] == "Explosions/Remote violence"
    assert f.loc["IRQ10001", "fatalities"] == 10
    # ACLED's older "08 January 2020" date format is understood.
    assert f.loc["IRQ10002", "date"] == pd.Timestamp("2020-01-08")
    assert f.loc["IRQ10002", "latitude"] == pytest.approx(33.7856)
    assert '"over 100"' in f.loc["IRQ10002", "notes"]
    reasons = dict(zip(ev.rejections["row"], ev.rejections["reason"], strict=True))
    assert reasons == {5: "non-numeric fatalities"}
    assert ev.n_one_sided == 1


def test_ucdp():
    ev = read_events(SAMPLES / "ucdp_sample.csv")
    assert ev.provenance["format"] == "ucdp"
    assert (ev.n_read, ev.n_accepted) == (3, 3)
    f = ev.frame.set_index("event_id")
    assert f.loc["244001", "actor"] == "Government of Iraq"
    assert f.loc["244001", "fatalities"] == 7
    assert f.loc["244002", "event_type"] == "one-sided violence"
    # UCDP's "00:00:00.000" is a day, not a clock time.
    assert not f["has_time"].any()
    assert f.loc["244003", "date"] == pd.Timestamp("2020-03-09")


def test_gdelt():
    ev = read_events(SAMPLES / "gdelt_sample.tsv")
    assert ev.provenance["format"] == "gdelt"
    assert (ev.n_read, ev.n_accepted, ev.n_rejected) == (4, 3, 1)
    f = ev.frame.set_index("event_id")
    assert f.loc["900000003", "event_type"] == "042"  # CAMEO codes keep their leading zero
    assert f.loc["900000001", "goldstein"] == -10.0
    assert f.loc["900000002", "date"] == pd.Timestamp("2020-01-08")
    assert f["fatalities"].isna().all()
    assert ev.rejections[["row", "reason"]].values.tolist() == [[4, "missing actor"]]


def test_canonical_parquet_round_trip(tmp_path):
    ev = read_events(DATA / "canonical_bad.csv")
    path = tmp_path / "events.parquet"
    ev.frame.drop(columns=["row", "has_time", "actor_side", "target_side"]).to_parquet(path)
    back = read_events(path)
    assert back.provenance["format"] == "canonical"
    assert back.n_accepted == ev.n_accepted and back.n_rejected == 0
    pd.testing.assert_series_equal(back.frame["date"], ev.frame["date"])
    assert back.frame["has_time"].tolist() == ev.frame["has_time"].tolist()


def test_column_mapping_and_extra_columns_kept(tmp_path):
    path = tmp_path / "mine.csv"
    path.write_text("when,who,whom,what,comment\n2020-01-01,A,B,raid,x\n", encoding="utf-8")
    ev = read_events(path, columns={"date": "when", "actor": "who", "target": "whom", "event_type": "what"})
    assert ev.frame.loc[0, "event_type"] == "raid"
    assert ev.frame.loc[0, "comment"] == "x"


def test_mapping_errors(tmp_path):
    path = tmp_path / "mine.csv"
    path.write_text("when,who,whom\n2020-01-01,A,B\n", encoding="utf-8")
    with pytest.raises(DataError, match=r"mine\.csv: no column 'nope'"):
        read_events(path, columns={"date": "nope", "actor": "who", "target": "whom"})
    with pytest.raises(UsageError, match="not event fields"):
        read_events(path, columns={"when": "date"})
    with pytest.raises(DataError, match="no column for date, actor;"):
        read_events(path)
    with pytest.raises(UsageError, match="NAME=COLUMN"):
        parse_columns("date")


def test_per_victim_counts_one_death_per_row(tmp_path):
    path = tmp_path / "victims.csv"
    path.write_text("d,by,victim\n2001-01-01,A,B\n2001-01-01,A,B\n", encoding="utf-8")
    ev = read_events(path, columns={"date": "d", "actor": "by", "target": "victim"}, per_victim=True)
    assert ev.members["fatalities"].tolist() == [1, 1]
    assert ev.members["event_id"].nunique() == 2  # identical rows still get distinct, stable ids
    assert ev.frame["fatalities"].tolist() == [2]  # one incident: two victims, same day, sides and place
    with pytest.raises(UsageError):
        read_events(path, columns={"date": "d", "actor": "by", "target": "victim", "fatalities": "d"}, per_victim=True)


def test_over_long_records_are_rejected_not_dropped(tmp_path):
    path = tmp_path / "ragged.csv"
    path.write_text("date,actor,target\n2020-01-01,A,B\n2020-01-02,B,A,extra\n2020-01-03,A,B\n", encoding="utf-8")
    ev = read_events(path)
    assert (ev.n_read, ev.n_accepted, ev.n_rejected) == (3, 2, 1)
    assert ev.rejections.loc[0, "row"] == 3
    assert ev.rejections.loc[0, "reason"] == "record has 4 fields; the header has 3"
    assert ev.frame["row"].tolist() == [2, 4]


def test_multiline_quoted_notes_keep_row_numbers(tmp_path):
    path = tmp_path / "notes.csv"
    path.write_text('date,actor,target,notes\n2020-01-01,A,B,"line one,\nline two"\nbad,B,A,x\n', encoding="utf-8")
    ev = read_events(path)
    assert ev.frame.loc[0, "notes"] == "line one,\nline two"
    assert ev.rejections.loc[0, "row"] == 3  # the record's row, as a spreadsheet numbers it


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (None, "no such file"),
        (b"", "empty"),
        (b"\x00\x01\x02binary", "not a text table"),
        ("date,actor,target\n2020-01-01,Caf\xe9,B\n".encode("latin-1"), "not utf-8 text"),
    ],
)
def test_unreadable_files_get_one_clear_line(tmp_path, content, message):
    path = tmp_path / "input.csv"
    if content is not None:
        path.write_bytes(content)
    with pytest.raises(DataError, match=message) as info:
        read_events(path)
    assert str(path) in str(info.value)
    assert "\n" not in str(info.value)


def test_encoding_option_reads_latin1(tmp_path):
    path = tmp_path / "latin.csv"
    path.write_bytes("date,actor,target\n2020-01-01,Caf\xe9,B\n".encode("latin-1"))
    ev = read_events(path, encoding="latin-1")
    assert ev.frame.loc[0, "actor"] == "Café"


def test_input_file_is_not_modified(tmp_path):
    path = tmp_path / "in.csv"
    path.write_bytes((DATA / "canonical_bad.csv").read_bytes())
    before = path.read_bytes(), path.stat().st_mtime_ns
    read_events(path)
    assert (path.read_bytes(), path.stat().st_mtime_ns) == before


def test_btselem_with_mapping_and_sides(btselem_path):
    ev = read_events(btselem_path, columns=BTSELEM_COLUMNS, per_victim=True, sides=EXAMPLES / "btselem_sides.json")
    assert (ev.n_read, ev.n_accepted, ev.n_rejected) == (11124, 11124, 0)
    by_side = ev.frame.groupby("actor_side")["fatalities"].sum()
    # killed_by counts: 10,000 Israeli security forces + 96 Israeli civilians; 1,028 Palestinian civilians.
    assert by_side.to_dict() == {"Israel": 10096, "Palestinians": 1028}
    assert ev.frame["date"].min() == pd.Timestamp("2000-10-02")
    assert ev.frame["date"].max() == pd.Timestamp("2023-09-24")
    # Free-text notes with commas, quotes and non-ASCII characters arrive intact.
    assert ev.frame["notes"].str.contains("’", regex=False).any()
    assert json.dumps(ev.provenance["columns"])


def test_short_records_and_stray_quotes_are_rejected_not_lost(tmp_path):
    path = tmp_path / "t.csv"
    path.write_text(
        "date,actor,target,notes\n"
        "2020-01-01,A,B,fine\n"
        '2020-01-02,B,A,"a note\nover two lines"\n'  # a legitimate multi-line cell: one record
        "2020-01-03,A\n"  # too few fields: was accepted with an empty target filled in
        '2020-01-04,B,"A,stray\n'  # a quote that never closes on its line
        "2020-01-05,A,B,after the stray quote\n"
        "2020-01-06,B,A,x,extra\n",  # too many fields
        encoding="utf-8",
    )
    ev = read_events(path)
    reasons = ev.rejections.set_index("row")["reason"]
    assert reasons[4] == "record has 2 fields; the header has 4"
    assert reasons[5].startswith("a quote opens a field that is not closed")
    assert reasons[7] == "record has 5 fields; the header has 4"
    assert ev.frame["notes"].tolist() == ["fine", "a note\nover two lines", "after the stray quote"]
    assert ev.frame["row"].tolist() == [2, 3, 6]  # rows as a spreadsheet numbers records
    assert ev.n_read == 6 == ev.n_accepted + ev.n_rejected


@settings(max_examples=150, deadline=None)
@given(st.lists(st.lists(st.sampled_from(["2020-01-01", "A", "B", "", "x y", "7"]), max_size=6), max_size=12))
def test_every_line_of_a_table_without_quotes_is_one_row_read(tmp_path_factory, lines):
    # Without quotes every line is a record, whatever its number of fields: each is accepted or rejected.
    path = tmp_path_factory.mktemp("t") / "t.csv"
    path.write_text("date,actor,target\n" + "".join(",".join(f) + "\n" for f in lines), encoding="utf-8")
    ev = read_events(path)
    assert ev.n_read == len(lines) == ev.n_accepted + ev.n_rejected
    ok = [f for f in lines if len(f) == 3 and f[0] == "2020-01-01" and f[1]]  # a missing target is one-sided
    assert ev.n_accepted == len(ok)


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=300) | st.text(alphabet='ab,"\n\r\t;2-0 1', max_size=200).map(str.encode))
def test_any_bytes_give_rows_or_one_clear_error(tmp_path_factory, data):
    path = tmp_path_factory.mktemp("b") / "t.csv"
    path.write_bytes(b"date,actor,target\n" + data)
    try:
        ev = read_events(path, format="canonical")
    except (DataError, UsageError) as exc:
        assert "\n" not in str(exc)  # one line
        return
    assert ev.n_read == ev.n_accepted + ev.n_rejected
    lines = [line for line in data.split(b"\n") if line.strip(b"\r")]
    if b'"' not in data:  # every line is a record
        assert ev.n_read >= len(lines)
    elif lines:  # a quoted cell may span any number of lines (b'"\n\x01\n\x01\n"' is one record), but not vanish
        assert ev.n_read >= 1


def test_gdelt_historical_files_with_57_fields(tmp_path):
    # The 1979 - March 2013 backfiles: the 1.0 layout without SOURCEURL (57 tab-separated fields).
    from escalation.io import gdelt

    codes = {"AL QAEDA": "IMGMOSALQ", "UNITED STATES": "USA"}

    def record(event_id, day, actor1, actor2, place):
        cells = dict.fromkeys(gdelt.COLUMNS_V1_HISTORICAL, "")
        cells.update(GLOBALEVENTID=event_id, SQLDATE=day, Actor1Name=actor1, Actor2Name=actor2, EventCode="190",
                     Actor1Code=codes[actor1], Actor2Code=codes[actor2], EventRootCode="19",
                     GoldsteinScale="-10", QuadClass="4", ActionGeo_FullName=place, DATEADDED=day)  # fmt: skip
        return "\t".join(cells.values())

    path = tmp_path / "20010911.export.CSV"
    path.write_text(record("1", "20010911", "AL QAEDA", "UNITED STATES", "New York, New York, United States") + "\n"
                    + record("2", "20011007", "UNITED STATES", "AL QAEDA", "Kabul, Kabol, Afghanistan") + "\n",
                    encoding="utf-8")  # fmt: skip
    assert len(gdelt.COLUMNS_V1_HISTORICAL) == 57
    assert detect_format(path) == "gdelt"
    ev = read_events(path)
    assert ev.n_accepted == 2 and ev.frame["location"].tolist()[0] == "New York, New York, United States"
    assert ev.frame["actor"].tolist() == ["IMGMOSALQ", "USA"]  # sides from actor codes by default
    assert ev.frame["actor_name"].tolist() == ["AL QAEDA", "UNITED STATES"]
    assert ev.frame["cameo_root"].tolist() == ["19", "19"]
    by_name = read_events(path, actor_level="name")
    assert by_name.frame["actor"].tolist() == ["AL QAEDA", "UNITED STATES"] and "actor_name" not in by_name.frame


def test_older_acled_exports_with_upper_case_headers(tmp_path):
    # ACLED exports before 2019 wrote upper-case headers (EVENT_ID_CNTY, EVENT_DATE, ACTOR1, ...).
    path = tmp_path / "acled_2015.csv"
    pd.DataFrame(
        {
            "GWNO": [645, 645],
            "EVENT_ID_CNTY": ["IRQ1", "IRQ2"],
            "EVENT_DATE": ["03/01/2015", "04/01/2015"],
            "EVENT_TYPE": ["Riots/Protests", "Battle-No change of territory"],
            "ACTOR1": ["Rioters (Iraq)", "Military Forces of Iraq"],
            "ACTOR2": ["", "Islamic State"],
            "LOCATION": ["Basra", "Ramadi"],
            "FATALITIES": [0, 5],
        }
    ).to_csv(path, index=False)
    assert detect_format(path) == "acled"
    ev = read_events(path)
    assert ev.n_accepted == 2 and ev.n_one_sided == 1  # the riot has no actor2: one-sided, not rejected
    assert ev.frame["date"].dt.strftime("%Y-%m-%d").tolist() == ["2015-01-03", "2015-01-04"]  # day first
    assert ev.frame["event_type"].tolist() == ["Riots/Protests", "Battle-No change of territory"]


def test_spreadsheet_headers_in_any_case_and_r_style_missing_values(tmp_path):
    path = tmp_path / "mine.csv"
    path.write_text(
        "Event ID,Date,Actor,Target,Fatalities,Notes\n"
        "e1,2021-03-01,Red Militia,Blue Army,NA,NA\n"
        "e2,2021-03-02,Blue Army,NA,2,N/A\n",
        encoding="utf-8",
    )
    ev = read_events(path)
    f = ev.frame.set_index("event_id")
    assert list(f.index) == ["e1", "e2"]  # "Event ID" is event_id
    assert pd.isna(f.loc["e1", "fatalities"]) and pd.isna(f.loc["e1", "notes"])  # NA is missing, not text
    assert pd.isna(f.loc["e2", "target_side"]) and "NA" not in ev.side_list()  # no side called "NA"
    kept = read_events(path, na_values=[""])  # NA as text, when it means something (Namibia)
    assert "NA" in kept.side_list()
    mapped = read_events(path, columns={"date": "DATE", "actor": "actor", "target": "TARGET"})  # any case
    assert mapped.n_accepted == 2


def test_a_field_mapped_to_several_columns_takes_the_first_with_a_value(tmp_path):
    path = tmp_path / "victims.csv"
    path.write_text(
        "date_of_event,killed_by,citizenship,ammunition,type_of_injury\n"
        "2001-01-01,Israeli security forces,Palestinian,missile,gunfire\n"
        "2001-01-02,Palestinian civilians,Israeli,,stabbing\n"
        "2001-01-03,Palestinian civilians,Israeli,,\n",
        encoding="utf-8",
    )
    cols = {"date": "date_of_event", "actor": "killed_by", "target": "citizenship",
            "event_type": "ammunition|type_of_injury"}  # fmt: skip
    ev = read_events(path, columns=cols)
    assert ev.frame["event_type"].tolist()[:2] == ["missile", "stabbing"]
    assert ev.frame["event_type"].isna().tolist() == [False, False, True]
    assert "type_of_injury" not in ev.frame.columns  # mapped, so not kept as an extra column
    # Each named column may be written in any case, as a single one may.
    loose = read_events(path, columns={**cols, "event_type": "Ammunition | TYPE_OF_INJURY"})
    assert loose.frame["event_type"].tolist()[:2] == ["missile", "stabbing"]
    with pytest.raises(DataError, match="no column 'weapon'"):
        read_events(path, columns={**cols, "event_type": "ammunition|weapon"})


def test_reading_in_chunks_changes_nothing(tmp_path, monkeypatch):
    """The parser reads CHUNK_ROWS rows at a time (memory); a quoted cell over two lines, a blank line,
    padded cells, an NA text, a too-short record and dates out of order across chunk boundaries give the
    same events, rejections and row numbers as one chunk."""
    import escalation.io._files as files

    path = tmp_path / "t.csv"
    path.write_text(
        "date,actor,target,notes\n"
        "2020-01-05,A,B,fine\n"
        '2020-01-02,B,A,"a note\nover two lines"\n'
        "\n"
        "2020-01-03, A ,B,NA\n"
        "2020-01-04,A\n"
        "2020-01-01,B,A,  padded  \n"
        "not a date,B,A,x\n"
        "2020-01-01,A,B,\n",
        encoding="utf-8",
    )
    whole = read_events(path)
    monkeypatch.setattr(files, "CHUNK_ROWS", 2)
    chunked = read_events(path)
    pd.testing.assert_frame_equal(chunked.frame, whole.frame)
    pd.testing.assert_frame_equal(chunked.rejections, whole.rejections)
    rows = whole.frame["row"].tolist()  # sorted by date, rows as a spreadsheet numbers records
    assert sorted(rows[:2]) == [7, 9] and rows[2:] == [3, 5, 2]
    by_row = whole.frame.set_index("row")
    assert by_row.loc[7, "notes"] == "padded" and by_row.loc[5, "actor"] == "A"
    assert pd.isna(by_row.loc[5, "notes"]) and pd.isna(by_row.loc[9, "notes"])  # "NA" and "" are missing
    assert set(whole.rejections["row"]) == {4, 6, 8}


def test_a_table_already_in_date_order_is_kept_as_sorting_would_give_it():
    table = pd.DataFrame({"event_id": ["e3", "e1", "e2", "e0"], "date": ["2020-01-01", "2020-01-02", "2020-01-02",
                          "2020-01-03"], "actor": list("ABAB"), "target": list("BABA")})  # fmt: skip
    in_order = read_events(table).frame
    shuffled = read_events(table.iloc[[2, 0, 3, 1]]).frame
    assert in_order["event_id"].tolist() == ["e3", "e1", "e2", "e0"] == shuffled["event_id"].tolist()
    pd.testing.assert_frame_equal(in_order.drop(columns="row"), shuffled.drop(columns="row"))
    assert in_order.index.equals(pd.RangeIndex(4))


@pytest.mark.parametrize("field", ["date", "actor", "target"])
def test_an_explicit_mapping_wins_over_a_column_of_the_fields_name_and_the_clash_is_named(tmp_path, field):
    # before: --columns date=event_date was ignored when the file also had a "date" column
    path = tmp_path / "clash.csv"
    path.write_text("event_id,date,event_date,actor,target,who,whom\n"
                    "1,x,2020-01-01,P,Q,A,B\n2,y,2020-01-03,Q,P,B,A\n")  # fmt: skip
    mapping = {"date": "event_date", "actor": "who", "target": "whom"}[field]
    events = read_events(path, columns={field: mapping, **({"date": "event_date"} if field != "date" else {})})
    assert events.n_accepted == 2
    column = {"date": "date", "actor": "actor", "target": "target"}[field]
    expected = {"date": ["2020-01-01", "2020-01-03"], "actor": ["A", "B"], "target": ["B", "A"]}[field]
    got = events.frame.sort_values("event_id")[column]
    assert list(got.dt.strftime("%Y-%m-%d") if field == "date" else got.astype(str)) == expected
    assert any(f"column {field!r} is not used" in w for w in events.warnings)


@pytest.mark.parametrize("suffix", [".csv", ".parquet"])
def test_whole_number_ids_written_as_decimals_still_link(tmp_path, suffix):
    # pandas writes a whole-number column with a gap as floats: responds_to "1.0" names event 1
    frame = pd.DataFrame({"event_id": [1, 2, 3, 4], "date": ["2020-01-01", "2020-01-02", "2020-01-03", "2020-01-04"],
                          "actor": list("ABAB"), "target": list("BABA"), "responds_to": [None, 1, 2, 3]})  # fmt: skip
    path = tmp_path / f"ids{suffix}"
    frame.to_csv(path, index=False) if suffix == ".csv" else frame.to_parquet(path)
    events = read_events(path)
    assert events.n_rejected == 0 and sorted(events.frame["responds_to"].dropna()) == ["1", "2", "3"]
    mixed = tmp_path / "mixed.csv"  # not every id a decimal: left as written (and "1.5" is no event)
    mixed.write_text("event_id,date,actor,target,responds_to\n1,2020-01-01,A,B,\n2,2020-01-02,B,A,1.5\n")
    mixed_events = read_events(mixed)
    assert (mixed_events.n_rejected, mixed_events.n_dropped_links) == (0, 1)


def test_utf16_is_named_without_the_flag_and_read_with_it(tmp_path):
    path = tmp_path / "wide.csv"
    rows = ["date,actor,target,notes"]
    rows += [f'2020-01-{d:02d},{"AB"[d % 2]},{"BA"[d % 2]},"Ḥamās, {d}"' for d in range(1, 29)]
    path.write_text("\n".join(rows) + "\n", encoding="utf-16")
    with pytest.raises(DataError, match=r"UTF-16 byte-order mark.*--encoding utf-16"):
        read_events(path)
    events = read_events(path, encoding="utf-16")
    assert (events.n_read, events.n_accepted) == (28, 28)
    assert events.frame.sort_values("date")["notes"].iloc[0] == "Ḥamās, 1"


def test_parquet_dates_beyond_nanoseconds_are_rejected_by_row(tmp_path):
    # Parquet stores microseconds: year 1 and 9999 were an internal error (OutOfBoundsDatetime) at reading
    import datetime as dt

    import pyarrow as pa
    import pyarrow.parquet as pq

    days = [dt.datetime(1, 1, 1), dt.datetime(2020, 1, 2), dt.datetime(9999, 12, 31), dt.datetime(2020, 1, 3)]
    table = pa.table({"date": pa.array(days, pa.timestamp("us")), "actor": list("ABAB"), "target": list("BABA")})
    pq.write_table(table, tmp_path / "years.parquet")
    events = read_events(tmp_path / "years.parquet")
    assert (events.n_read, events.n_accepted, events.n_rejected) == (4, 2, 2)
    assert list(events.rejections["row"]) == [2, 4]
    assert events.rejections["reason"].str.contains("date outside 1678-2261").all()


def test_a_quoted_note_over_lines_full_of_commas_is_one_record(tmp_path):
    # issue 35: the note's second line has as many fields as a record, so it was taken for a record swallowed by
    # a stray quote (5 read, 2 rejected for 4 valid rows). It does not start like one (no date): one record.
    path = tmp_path / "notes.csv"
    path.write_text(
        "date,actor,target,event_type,notes\n"
        '2020-01-01,A,B,shelling,"Shelling near the base,\nthree killed, two wounded, one missing, none identified, '
        'army says"\n2020-01-02,B,A,raid,plain\n2020-01-03,A,B,raid,x\n2020-01-04,B,A,raid,end\n',
        encoding="utf-8",
    )
    ev = read_events(path)
    assert (ev.n_read, ev.n_accepted, ev.n_rejected) == (4, 4, 0)
    assert ev.frame["notes"].iloc[0].endswith("none identified, army says")
    # a stray quote whose next lines start like records (dates) is still one rejected line, the rest read
    stray = tmp_path / "stray.csv"
    stray.write_text('date,actor,target,notes\n2020-01-01,A,B,"stray\n2020-01-02,B,A,x\n2020-01-03,A,B,y\n',
                     encoding="utf-8")  # fmt: skip
    ev = read_events(stray)
    assert (ev.n_read, ev.n_accepted, ev.n_rejected) == (3, 2, 1)


def test_parquet_binary_text_and_repeated_columns(tmp_path):
    import pyarrow as pa
    import pyarrow.parquet as pq

    # binary columns (BYTE_ARRAY without a string type) are text; bytes that are not UTF-8 reach the rejection
    # table as \xNN, with their row and column, instead of ending the read with UnicodeDecodeError
    pq.write_table(pa.table({"date": pa.array([b"2020-01-01", b"\xff\xfe", b"2020-01-03"]),
                             "actor": pa.array([b"A", b"B", b"A"]), "target": pa.array([b"B", b"A", b"B"])}),
                   tmp_path / "binary.parquet")  # fmt: skip
    ev = read_events(tmp_path / "binary.parquet")
    assert (ev.n_read, ev.n_accepted, ev.n_rejected) == (3, 2, 1)
    rejected = ev.rejections.iloc[0]
    assert (rejected["row"], rejected["column"], rejected["value"]) == (3, "date", "\\xff\\xfe")
    assert list(ev.frame["actor"]) == ["A", "A"]
    names = ["date", "actor", "target", "actor"]
    pq.write_table(pa.Table.from_arrays([pa.array(["2020-01-01"]), pa.array(["A"]), pa.array(["B"]),
                                         pa.array(["C"])], names=names), tmp_path / "twice.parquet")  # fmt: skip
    with pytest.raises(DataError, match=r"column names must be unique; this file repeats 'actor' \(2 times\)"):
        read_events(tmp_path / "twice.parquet")


def test_a_missing_mapped_column_is_named_with_the_files_own_headers(tmp_path):
    """The list of columns named them as renamed ("event_type" for the file's "Type"), and a header read whole
    under the wrong delimiter looked like a list of the very columns said to be missing."""
    path = tmp_path / "c.csv"
    path.write_text("Date of attack,Perpetrator,Victim side,Type\n27/12/2019,A,B,rocket\n", encoding="utf-8")
    mapped = {"actor": "Perpetrator", "target": "Victim side"}
    with pytest.raises(DataError, match=r"its columns are 'Date of attack', 'Perpetrator', 'Victim side', 'Type'$"):
        read_events(path, columns={"date": "Date of atack", **mapped})
    with pytest.raises(DataError, match="the whole header was read as one column: is the delimiter right"):
        read_events(path, delimiter=";", columns={"date": "Date of attack", **mapped})
    with pytest.raises(UsageError, match=r"per_victim \(--per-victim\) counts one death per row"):
        read_events(path, per_victim=True, columns={"date": "Date of attack", "fatalities": "Type", **mapped})


def test_a_column_of_both_date_orders_is_said_to_mix_them(tmp_path):
    """27/12/2019 beside 12/28/2019: each was rejected as "ambiguous", which 27/12/2019 is not; the reason now
    names the two orders, with a cell of each, and nothing is guessed."""
    path = tmp_path / "mix.csv"
    path.write_text("date,actor,target\n27/12/2019,A,B\n12/28/2019,B,A\n03/01/2020,A,B\n2020-01-05,B,A\n",
                    encoding="utf-8")  # fmt: skip
    ev = read_events(path)
    assert ev.n_accepted == 1 and ev.rejections["row"].tolist() == [2, 3, 4]
    assert set(ev.rejections["reason"]) == {
        "the column's all-number dates come in both orders (27/12/2019 is day first, 12/28/2019 month first): "
        "correct the column, or say which with --dayfirst or --monthfirst (dayfirst=True/False)"
    }
    unsettled = tmp_path / "unsettled.csv"
    unsettled.write_text("date,actor,target\n01/02/2020,A,B\n02/01/2020,B,A\n", encoding="utf-8")
    assert read_events(unsettled).rejections["reason"].str.startswith("ambiguous date").all()


def test_a_date_order_option_that_the_column_contradicts_is_questioned(tmp_path):
    """--monthfirst on 27/12/2019: those cells were "unparseable" with no word on the option that made them so."""
    path = tmp_path / "dm.csv"
    path.write_text("date,actor,target\n27/12/2019,A,B\n29/12/2019,B,A\n03/01/2020,A,B\n", encoding="utf-8")
    ev = read_events(path, dayfirst=False)
    assert ev.rejections["row"].tolist() == [2, 3]
    assert ev.rejections["reason"].str.endswith("; 27/12/2019 is day first: is --monthfirst right?").all()
    assert read_events(path, dayfirst=True).n_rejected == 0


def test_bytes_that_are_no_utf16_are_a_clear_error_not_an_internal_one(tmp_path):
    """Found by the fuzz test: the UTF-16 codec raises a bare UnicodeError ("does not start with BOM"), which
    was not caught and ended as an internal error."""
    path = tmp_path / "binary.csv"
    path.write_bytes(b"\x00\x01\x02")
    with pytest.raises(DataError, match=r"binary.csv: not utf-16 text \(UTF-16 stream does not start with BOM\)"):
        read_events(path, encoding="utf-16")
