"""Real exports as they come: a few rows of every ACLED, UCDP, GDELT and HDX variant and of a researcher's
own files (tests/data/exports, provenance in its PROVENANCE.md), read from Python and from the command line,
and mangled by hypothesis: every row is accepted or rejected, and nothing ends in a traceback."""

from __future__ import annotations

import shutil

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from escalation import link, read_events
from escalation.cli import main
from escalation.errors import EscalationError

from ..conftest import DATA

EXPORTS = DATA / "exports"

#: file -> (options, format, rows read, accepted, rejected, one-sided)
EXPECTED = {
    "acled_2015_upper.csv": ({}, "acled", 6, 5, 1, 2),
    "acled_2023_r.csv": ({}, "acled", 5, 5, 0, 2),
    "hdx_acled_hxl.csv": ({}, "acled", 4, 4, 0, 1),
    "ucdp_ged_191.csv": ({}, "ucdp", 3, 3, 0, 0),
    "hdx_ucdp_hxl.csv": ({}, "ucdp", 3, 3, 0, 0),
    "gdelt_v2.export.CSV": ({}, "gdelt", 6, 5, 1, 1),
    "gdelt_v1_daily.export.CSV": ({}, "gdelt", 6, 5, 1, 1),
    "gdelt_v1_historical.CSV": ({}, "gdelt", 6, 5, 1, 1),
    "gdelt_bigquery.csv": ({}, "gdelt", 5, 5, 0, 1),
    "own_semicolon_dayfirst.csv": ({"dayfirst": True}, "canonical", 6, 6, 0, 1),
    "own_text_dates.csv": ({}, "canonical", 6, 6, 0, 1),
    "own.xlsx": ({"sheet": "Events"}, "canonical", 7, 6, 1, 1),
    "own.ods": ({"sheet": 1}, "canonical", 7, 6, 1, 1),
}
TEXT_FIXTURES = [name for name in EXPECTED if not name.endswith((".xlsx", ".ods"))]
CRISIS_DAYS = ["2019-12-27", "2019-12-29", "2019-12-31", "2020-01-03", "2020-01-08", "2020-01-11"]


@pytest.mark.parametrize("name", list(EXPECTED))
def test_each_export_reads_with_every_row_accounted_for(name):
    options, fmt, n_read, accepted, rejected, one_sided = EXPECTED[name]
    ev = read_events(EXPORTS / name, **options)
    assert ev.provenance["format"] == fmt
    assert (ev.n_read, ev.n_accepted, ev.n_rejected, ev.n_one_sided) == (n_read, accepted, rejected, one_sided)
    assert ev.n_read == ev.n_accepted + ev.n_rejected
    sides = set(ev.side_list())
    assert not sides & {"NA", "N/A", "nan", "None", ""}  # "missing" spelled as text never becomes a party


def test_older_acled_upper_case_day_first_and_r_missing_values():
    ev = read_events(EXPORTS / "acled_2015_upper.csv")
    f = ev.frame.set_index("event_id")
    assert f.loc["IRQ1002", "date"] == pd.Timestamp("2015-01-04")  # 04/01/2015: ACLED's old exports are day-first
    assert f.loc["IRQ1002", "inter1"] == "1" and f.loc["IRQ1002", "interaction"] == "12"
    assert f.loc["IRQ1003", "target"] is pd.NA  # an empty ACTOR2: a one-sided car bomb, kept
    assert f.loc["IRQ1001", "target"] is pd.NA  # "NA" as R writes it
    reason = ev.rejections.set_index("row").loc[7, "reason"]  # 31/02/2015: impossible, not ambiguous
    assert reason.startswith("unparseable date")


def test_current_acled_keeps_civilian_targeting_and_reads_n_a_as_missing():
    f = read_events(EXPORTS / "acled_2023_r.csv").frame.set_index("event_id")
    assert f.loc["IRQ30003", "civilian_targeting"] == "Civilian targeting"
    assert f.loc["IRQ30004", "target"] is pd.NA  # "N/A"
    assert f.loc["IRQ30002", "event_type"] == "Air/drone strike" and f.loc["IRQ30002", "category"].startswith("Expl")


@pytest.mark.parametrize("name", ["hdx_acled_hxl.csv", "hdx_ucdp_hxl.csv"])
def test_hxl_hashtag_row_is_recognised_and_noted(name):
    ev = read_events(EXPORTS / name)
    assert ev.provenance["hxl_row"] == 2
    assert ev.frame["row"].min() == 3  # rows keep the spreadsheet's numbers
    assert not ev.frame["actor"].str.startswith("#").any()


def test_hdx_ucdp_uses_best_estimate_and_names_violence_types():
    f = read_events(EXPORTS / "hdx_ucdp_hxl.csv").frame.set_index("event_id")
    assert f.loc["301003", "fatalities"] == 9 and f.loc["301003", "event_type"] == "one-sided violence"
    assert f.loc["301001", "date"] == pd.Timestamp("2017-03-01") and not f["has_time"].any()


@pytest.mark.parametrize("name", ["gdelt_v2.export.CSV", "gdelt_v1_daily.export.CSV", "gdelt_v1_historical.CSV",
                                  "gdelt_bigquery.csv"])  # fmt: skip
def test_gdelt_variants_agree_and_actor_levels_keep_police_of_two_countries_apart(name):
    by_code = read_events(EXPORTS / name).frame.set_index("event_id")
    assert by_code.loc["900100002", "actor"] == "IRQPOL" and by_code.loc["900100003", "actor"] == "USAPOL"
    assert by_code.loc["900100005", "event_type"] == "042" and by_code.loc["900100005", "cameo_root"] == "04"
    assert by_code.loc["900100001", "goldstein"] == -10.0 and by_code.loc["900100001", "quad_class"] == "4"
    assert by_code.loc["900100002", "actor_name"] == "POLICE"
    by_name = read_events(EXPORTS / name, actor_level="name").frame.set_index("event_id")
    assert by_name.loc["900100002", "actor"] == by_name.loc["900100003", "actor"] == "POLICE"  # merged
    by_country = read_events(EXPORTS / name, actor_level="country").frame
    assert set(by_country["actor"]) == {"USA", "IRQ", "IRN"}


def test_all_number_dates_are_read_as_the_column_settles_them_and_never_guessed():
    path = EXPORTS / "own_semicolon_dayfirst.csv"
    settled = read_events(path)  # 27/12/2019: 27 is no month, so the column is day-first
    assert settled.n_rejected == 0 and settled.frame["date"].dt.strftime("%Y-%m-%d").tolist() == CRISIS_DAYS
    assert settled.provenance["date_order"] == "day first, as '27/12/2019' shows"
    month_first = pd.DataFrame({"date": ["12/27/2019", "01/03/2020"], "actor": "A", "target": "B"})
    assert read_events(month_first).frame["date"].dt.strftime("%Y-%m-%d").tolist() == ["2019-12-27", "2020-01-03"]
    # nothing over 12, or both orders in one column: the column does not say, and nothing is guessed
    for dates, reason in ((["01/02/2020", "03/04/2020"], "ambiguous date"),
                          (["13/01/2020", "01/13/2020", "02/02/2020"], "the column's all-number dates come in both "
                           "orders (13/01/2020 is day first, 01/13/2020 month first)")):  # fmt: skip
        guessed = read_events(pd.DataFrame({"date": dates, "actor": "A", "target": "B"}))
        assert guessed.n_accepted == 0 and guessed.rejections["reason"].str.startswith(reason).all()
        assert "--dayfirst" in guessed.rejections["reason"].iloc[0] and "date_order" not in guessed.provenance
    day_first = read_events(path, dayfirst=True)
    assert day_first.frame["date"].dt.strftime("%Y-%m-%d").tolist() == CRISIS_DAYS
    month_first = read_events(path, dayfirst=False)  # 27/12/2019 has no 27th month; 03/01/2020 is 1 March
    assert month_first.frame["date"].dt.strftime("%Y-%m-%d").tolist() == ["2020-03-01", "2020-08-01", "2020-11-01"]
    given = read_events(path, date_format="%d/%m/%Y", delimiter=";")
    assert given.frame["date"].dt.strftime("%Y-%m-%d").tolist() == CRISIS_DAYS


def test_a_typed_sheet_is_read_as_meant():
    """Issue 31: ``No., Date, Actor, Target, Event, Deaths, Responds to, Notes``, dates 27/12/2019, links "1, 3"."""
    for name in ("typed.csv", "typed.xlsx"):
        ev = read_events(EXPORTS / name)
        assert (ev.n_read, ev.n_accepted, ev.n_rejected, ev.n_dropped_links) == (20, 20, 0, 0)
        assert ev.provenance["columns_by_name"] == {"event_id": "No.", "event_type": "Event", "fatalities": "Deaths"}
        f = ev.frame.set_index("event_id")
        assert f.loc["4", "event_type"] == "targeted killing" and f.loc["4", "date"] == pd.Timestamp("2020-01-03")
        assert f["fatalities"].sum() == 42 and f.loc["2", "fatalities"] == 25
        stated = link(ev, window="30D")
        stated = stated[stated["link_kind"] == "stated"]
        # the Soleimani strike names the K-1 attack and the embassy siege: two links from "1, 3"
        pairs = set(zip(stated["trigger_id"], stated["response_id"], strict=True))
        assert {("1", "4"), ("3", "4"), ("4", "8"), ("4", "9")} <= pairs
    # a name the sheet does not settle is left alone: two deaths-like columns, neither read as fatalities
    both = read_events(pd.DataFrame({"date": ["2020-01-03"], "actor": "A", "target": "B", "Killed": [1], "Dead": [1]}))
    assert "columns_by_name" not in both.provenance and both.frame["fatalities"].isna().all()


def test_semicolon_bom_and_spaced_headers():
    ev = read_events(EXPORTS / "own_semicolon_dayfirst.csv", dayfirst=True)
    assert ev.frame["event_id"].tolist() == ["E1", "E2", "E3", "E4", "E5", "E6"]  # "\ufeffEvent ID" -> event_id
    assert ev.frame.set_index("event_id").loc["E2", "notes"] == "strikes on KH sites; Iraq and Syria"
    assert any("look the same but differ" in w and "kata'ib hezbollah" in w for w in ev.warnings)


def test_text_dates_in_every_common_spelling():
    ev = read_events(EXPORTS / "own_text_dates.csv")
    assert ev.frame["date"].dt.strftime("%Y-%m-%d").tolist() == CRISIS_DAYS


@pytest.mark.parametrize("name", ["own.xlsx", "own.ods"])
def test_spreadsheets_date_cells_numbers_and_sheets(name):
    for sheet in ("Events", 1, "1"):
        ev = read_events(EXPORTS / name, sheet=sheet)
        assert ev.provenance["sheet"] == "Events"
    f = ev.frame.set_index("event_id")
    assert f["date"].dt.strftime("%Y-%m-%d").tolist() == CRISIS_DAYS  # date cells and one text date
    assert f.loc["E2", "has_time"] and not f.loc["E1", "has_time"]  # 03:30 kept; midnight cells are days
    assert f.loc["E2", "fatalities"] == 25
    assert ev.rejections[["row", "reason"]].values.tolist() == [[5, "empty row"]]
    with pytest.raises(EscalationError, match=r"sheet 'Read me'.*'Read me', 'Events'.*--sheet"):
        read_events(EXPORTS / name)
    with pytest.raises(EscalationError, match=r"no sheet 'Evts'"):
        read_events(EXPORTS / name, sheet="Evts")


def test_bad_reading_options_are_usage_errors():
    for options in ({"delimiter": ";;"}, {"actor_level": "party"}, {"date_format": "dd/mm/yyyy"},
                    {"dayfirst": "yes"}):  # fmt: skip
        with pytest.raises(EscalationError):
            read_events(EXPORTS / "own_text_dates.csv", **options)
    with pytest.raises(EscalationError, match="for GDELT files"):
        read_events(EXPORTS / "own_text_dates.csv", actor_level="country")


def test_command_line_reading_options(capsys):
    day_first = EXPORTS / "own_semicolon_dayfirst.csv"
    assert main(["validate", str(day_first)]) == 0
    out = capsys.readouterr().out
    assert "6 accepted, 0 rejected" in out and "all-number dates read day first, as '27/12/2019' shows" in out
    assert main(["validate", str(day_first), "--dayfirst", "--delimiter", "semicolon"]) == 0
    out = capsys.readouterr().out
    assert "6 rows read, 6 accepted, 0 rejected" in out and "1 one-sided" in out
    assert main(["validate", str(EXPORTS / "own.xlsx"), "--sheet", "Events"]) == 1  # the blank row
    assert "7 rows read, 6 accepted, 1 rejected" in capsys.readouterr().out
    assert main(["validate", str(EXPORTS / "gdelt_v2.export.CSV"), "--actor-level", "country"]) == 1
    assert "expected 20210301 (%Y%m%d), or ISO" in capsys.readouterr().out  # GDELT's own date form is named
    with pytest.raises(SystemExit) as exit_:
        main(["validate", str(day_first), "--dayfirst", "--monthfirst"])  # one or the other
    assert exit_.value.code == 2
    assert main(["validate", "--dayfirst"]) == 2  # reading options describe a file
    capsys.readouterr()


def test_command_line_chains_and_dask_on_a_spreadsheet(tmp_path, capsys):
    out = tmp_path / "links.csv"
    assert main(["chains", str(EXPORTS / "own.xlsx"), "--sheet", "Events", "-o", str(out)]) == 0
    links = pd.read_csv(out)
    assert len(links) >= 1
    assert main(["validate", str(EXPORTS / "own_semicolon_dayfirst.csv"), "--dayfirst", "--engine", "dask",
                 "--workers", "1"]) == 0  # fmt: skip
    assert "6 rows read, 6 accepted, 0 rejected" in capsys.readouterr().out


_JUNK = ['"', ";", ",", "\t", "\n", "\r\n", "#date", "NA", "\x00", "é", "01/02/2020", "31 Foo 2020", "'", "|"]


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_mangled_exports_are_read_or_refused_clearly(data, tmp_path_factory):
    name = data.draw(st.sampled_from(TEXT_FIXTURES), label="fixture")
    raw = (EXPORTS / name).read_bytes()
    for _ in range(data.draw(st.integers(1, 3), label="edits")):
        at = data.draw(st.integers(0, len(raw)), label="at")
        edit = data.draw(st.sampled_from(["delete", "insert", "truncate", "duplicate line", "upper"]), label="edit")
        if edit == "delete":
            raw = raw[:at] + raw[at + data.draw(st.integers(1, 40)) :]
        elif edit == "insert":
            raw = raw[:at] + data.draw(st.sampled_from(_JUNK)).encode() + raw[at:]
        elif edit == "truncate":
            raw = raw[:at]
        elif edit == "duplicate line":
            lines = raw.split(b"\n")
            k = at % max(len(lines), 1)
            raw = b"\n".join(lines[: k + 1] + lines[k:])
        else:
            raw = raw[:at].upper() + raw[at:]
    path = tmp_path_factory.mktemp("mangled") / name
    path.write_bytes(raw)
    options = EXPECTED[name][0]
    try:
        ev = read_events(path, **options)
    except EscalationError as exc:
        assert str(path) in str(exc) or "delimiter" in str(exc)  # the file is named
        return
    assert ev.n_read == ev.n_accepted + ev.n_rejected
    assert set(ev.frame["row"]).isdisjoint(set(ev.rejections["row"]))


@pytest.mark.parametrize("name", ["own.xlsx", "own.ods"])
def test_damaged_spreadsheets_are_refused_in_one_line(name, tmp_path, capsys):
    raw = (EXPORTS / name).read_bytes()
    for cut in (0, 100, len(raw) // 2, len(raw) - 10):
        path = tmp_path / name
        path.write_bytes(raw[:cut])
        assert main(["validate", str(path), "--sheet", "Events"]) == 1
        err = capsys.readouterr().err
        assert err.startswith("escalation: error: ") and str(path) in err and "Traceback" not in err


def test_fixtures_are_what_the_generator_writes(tmp_path):
    # The generated text fixtures are committed; regenerating them must give the same bytes.
    import importlib.util

    spec = importlib.util.spec_from_file_location("make_fixtures", EXPORTS / "make_fixtures.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    copy = tmp_path / "exports"
    shutil.copytree(EXPORTS, copy)
    module.HERE = copy
    module.write_gdelt()
    for name in ["gdelt_v2.export.CSV", "gdelt_v1_daily.export.CSV", "gdelt_v1_historical.CSV", "gdelt_bigquery.csv"]:
        assert (copy / name).read_bytes() == (EXPORTS / name).read_bytes()


@pytest.mark.parametrize("text", ['"', '"\n', 'date,actor,"target\n2020-01-01,A,B\n'])
def test_a_header_with_a_quote_never_closed_is_refused_by_name(text, tmp_path):
    # Found by the mangling property on pandas 2.2, whose reader raised its own ParserError here.
    path = tmp_path / "quote.csv"
    path.write_text(text, encoding="utf-8")
    try:
        ev = read_events(path)
    except EscalationError as exc:
        assert str(path) in str(exc)
    else:
        assert ev.n_read == ev.n_accepted + ev.n_rejected


def test_spreadsheet_error_cells_are_rejected_by_cell_not_read_as_empty():
    # python-calamine gives #REF! as an empty cell: the event became one-sided, #DIV/0! an unknown count
    events = read_events(EXPORTS / "errors.xlsx", sheet="Events")
    assert (events.n_read, events.n_accepted, events.n_rejected) == (5, 2, 3)
    assert sorted(events.frame["event_id"]) == ["e1", "e5"]
    rejected = events.rejections.set_index("row")
    assert rejected.loc[3, "value"] == "D3=#REF!" and rejected.loc[4, "value"] == "E4=#DIV/0!"
    assert rejected.loc[5, "value"] == "F5=#N/A"
    assert rejected["reason"].str.contains("spreadsheet error cell").all()
