"""Write the generated export fixtures of this folder (see PROVENANCE.md): GDELT files and a researcher's
own files (semicolon CSV with a BOM, text dates, .xlsx, .ods).

The hand-written ones (ACLED, UCDP, HDX) are committed as they are. Run from this folder:
``python make_fixtures.py`` (needs openpyxl and odfpy, which only writing needs; escalation reads
spreadsheets with python-calamine).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pandas as pd

from escalation.io import gdelt

HERE = Path(__file__).parent

# Real events of January 2020, coded as GDELT codes them (CAMEO actor codes, event codes, Goldstein).
GDELT_EVENTS = [
    # id, SQLDATE, Actor1Code, Actor1Name, Actor1CountryCode, Actor2Code, Actor2Name, Actor2CountryCode,
    # EventCode, EventRootCode, QuadClass, Goldstein, place, country, lat, long
    ("900100001", "20200103", "USAMIL", "UNITED STATES", "USA", "IRNMIL", "IRAN", "IRN", "195", "19", "4", "-10.0",
     "Baghdad, Baghdad, Iraq", "IZ", "33.3386", "44.3939"),
    ("900100002", "20200103", "IRQPOL", "POLICE", "IRQ", "", "", "", "190", "19", "4", "-10.0",
     "Baghdad, Baghdad, Iraq", "IZ", "33.3386", "44.3939"),
    ("900100003", "20200105", "USAPOL", "POLICE", "USA", "IRNGOV", "TEHRAN", "IRN", "112", "11", "3", "-2.0",
     "Washington, District of Columbia, United States", "US", "38.8951", "-77.0364"),
    ("900100004", "20200108", "IRNMIL", "IRAN", "IRN", "USAMIL", "UNITED STATES", "USA", "195", "19", "4", "-10.0",
     "Al Anbar, Iraq", "IZ", "33.7856", "42.4412"),
    ("900100005", "20200108", "IRNGOV", "TEHRAN", "IRN", "USAGOV", "WASHINGTON", "USA", "042", "04", "1", "1.9",
     "Tehran, Tehran, Iran", "IR", "35.75", "51.5148"),
    ("900100006", "20200132", "IRQGOV", "BAGHDAD", "IRQ", "USAGOV", "WASHINGTON", "USA", "111", "11", "3", "-2.0",
     "Baghdad, Baghdad, Iraq", "IZ", "33.3386", "44.3939"),  # an impossible SQLDATE (32 January)
]  # fmt: skip


def gdelt_record(event: tuple[str, ...], columns: list[str]) -> str:
    (gid, day, a1c, a1n, a1k, a2c, a2n, a2k, code, root, quad, gold, place, country, lat, lon) = event
    cells = dict.fromkeys(columns, "")
    cells.update(GLOBALEVENTID=gid, SQLDATE=day, MonthYear=day[:6], Year=day[:4], Actor1Code=a1c, Actor1Name=a1n,
                 Actor1CountryCode=a1k, Actor2Code=a2c, Actor2Name=a2n, Actor2CountryCode=a2k, IsRootEvent="1",
                 EventCode=code, EventBaseCode=code, EventRootCode=root, QuadClass=quad, GoldsteinScale=gold,
                 NumMentions="10", NumSources="2", NumArticles="10", AvgTone="-5.2", ActionGeo_Type="4",
                 ActionGeo_FullName=place, ActionGeo_CountryCode=country, ActionGeo_Lat=lat, ActionGeo_Long=lon,
                 DATEADDED=day if len(columns) < 61 else day + "120000")  # fmt: skip
    if "SOURCEURL" in cells:
        cells["SOURCEURL"] = f"https://example.org/news/{gid}"
    return "\t".join(cells[c] for c in columns)


def write_gdelt() -> None:
    for name, columns in [("gdelt_v2.export.CSV", gdelt.COLUMNS_V2), ("gdelt_v1_daily.export.CSV", gdelt.COLUMNS_V1),
                          ("gdelt_v1_historical.CSV", gdelt.COLUMNS_V1_HISTORICAL)]:  # fmt: skip
        lines = [gdelt_record(e, columns) for e in GDELT_EVENTS]
        (HERE / name).write_text("\n".join(lines) + "\n", encoding="utf-8")
    # A BigQuery export: GDELT's column names as a comma-separated header (a subset of columns).
    keep = ["GLOBALEVENTID", "SQLDATE", "Actor1Code", "Actor1Name", "Actor1CountryCode", "Actor2Code", "Actor2Name",
            "Actor2CountryCode", "EventCode", "EventRootCode", "QuadClass", "GoldsteinScale", "ActionGeo_FullName",
            "ActionGeo_Lat", "ActionGeo_Long"]  # fmt: skip
    rows = [dict(zip(gdelt.COLUMNS_V2, gdelt_record(e, gdelt.COLUMNS_V2).split("\t"), strict=True))
            for e in GDELT_EVENTS[:5]]  # fmt: skip
    pd.DataFrame(rows)[keep].to_csv(HERE / "gdelt_bigquery.csv", index=False)


# A researcher's own log: European Excel (semicolon, BOM, day-first dates), names typed by hand.
OWN = [
    ("E1", "27/12/2019", "Kata'ib Hezbollah", "US forces", "1", "rocket attack on K-1 base, Kirkuk"),
    ("E2", "29/12/2019", "US forces", "Kata'ib Hezbollah", "25", "strikes on KH sites; Iraq and Syria"),
    ("E3", "31/12/2019", "kata'ib hezbollah", "US forces", "0", "embassy siege, Baghdad"),
    ("E4", "03/01/2020", "US forces", "Iran", "10", "Soleimani strike"),
    ("E5", "08/01/2020", "Iran", "US forces", "0", "missiles on Al Asad and Erbil"),
    ("E6", "11/01/2020", "Protesters", "", "0", "protest in Tahrir square (one-sided)"),
]


def write_own() -> None:
    own = pd.DataFrame(OWN, columns=["Event ID", "Date", "Actor", "Target", "Fatalities", "Notes"])
    # Excel's "CSV UTF-8" in a semicolon locale: a BOM, ';', and quotes only where a cell holds a ';'.
    text = own.to_csv(sep=";", index=False, lineterminator="\r\n")
    (HERE / "own_semicolon_dayfirst.csv").write_bytes(("\ufeff" + text).encode("utf-8"))
    text_dates = ["27 December 2019", "December 29, 2019", "31-Dec-2019", "3 Jan 2020", "Wednesday, 8 January 2020",
                  "2020-01-11"]  # fmt: skip
    table = pd.DataFrame(OWN, columns=["event_id", "date", "actor", "target", "fatalities", "notes"])
    table.assign(date=text_dates).to_csv(HERE / "own_text_dates.csv", index=False)
    # Spreadsheets: date cells (one with a clock time), a text date, numbers as numbers, a blank row, and the
    # events on the second sheet ("Events"), after a "Read me" sheet.
    sheet = table.copy()
    sheet["Date"] = [dt.datetime(2019, 12, 27), dt.datetime(2019, 12, 29, 3, 30), "31 December 2019",
                     dt.datetime(2020, 1, 3), dt.datetime(2020, 1, 8), dt.datetime(2020, 1, 11)]  # fmt: skip
    sheet["fatalities"] = sheet["fatalities"].astype(int)
    sheet = sheet[["event_id", "Date", "actor", "target", "fatalities", "notes"]]
    sheet.columns = ["Event ID", "Date", "Actor", "Target", "Fatalities", "Notes"]
    blank = pd.DataFrame([[None] * 6], columns=sheet.columns)
    sheet = pd.concat([sheet.iloc[:3], blank, sheet.iloc[3:]], ignore_index=True)
    readme = pd.DataFrame({"about": ["Events of the 2019-2020 US-Iran crisis, typed by hand."]})
    for name, engine in [("own.xlsx", "openpyxl"), ("own.ods", "odf")]:
        with pd.ExcelWriter(HERE / name, engine=engine) as writer:
            readme.to_excel(writer, sheet_name="Read me", index=False)
            sheet.to_excel(writer, sheet_name="Events", index=False)


def write_errors() -> None:
    """A workbook whose formulas failed: error cells (#REF!, #DIV/0!, #N/A) that the spreadsheet reader gives
    as empty cells, on the second sheet."""
    import openpyxl

    book = openpyxl.Workbook()
    book.active.title = "Read me"
    book.active.append(["Three rows hold error cells."])
    sheet = book.create_sheet("Events")
    sheet.append(["Event ID", "Date", "Actor", "Target", "Fatalities", "Notes"])
    sheet.append(["e1", "2020-01-03", "United States", "Iran", 1, "ok"])
    sheet.append(["e2", "2020-01-08", "Iran", "#REF!", 0, "target lookup failed"])  # openpyxl: an error cell
    sheet.append(["e3", "2020-01-09", "Iran", "United States", "#DIV/0!", "a ratio"])
    sheet.append(["e4", "2020-01-10", "United States", "Iran", 0, "#N/A"])
    sheet.append(["e5", "2020-01-11", "Iran", "United States", 0, "ok"])
    book.save(HERE / "errors.xlsx")


def write_typed() -> None:
    """A researcher's 20-row sheet as typed by hand (issue 31): ``No., Date, Actor, Target, Event, Deaths,
    Responds to, Notes``; dates day-first as text (27/12/2019), and stated links as row numbers, several
    separated by a comma ("1, 3"). Taken from the first 20 events of the bundled data. The workbook holds the
    same cells, dates as text (a sheet typed in a locale that does not read 27/12/2019 as a date)."""
    from escalation.datasets import iraq_2019_2021_paths

    src = pd.read_csv(iraq_2019_2021_paths()[0], dtype=str, keep_default_na=False).head(20)
    number = {eid: str(i + 1) for i, eid in enumerate(src["event_id"])}
    sheet = pd.DataFrame({
        "No.": range(1, 21),
        "Date": pd.to_datetime(src["date"].str[:10]).dt.strftime("%d/%m/%Y"),
        "Actor": src["actor"], "Target": src["target"], "Event": src["event_type"],
        "Deaths": src["fatalities"],
        "Responds to": [", ".join(number[r] for r in cell.split(";") if r) for cell in src["responds_to"]],
        "Notes": src["notes"].str[:80],
    })  # fmt: skip
    sheet.to_csv(HERE / "typed.csv", index=False)
    sheet.to_excel(HERE / "typed.xlsx", index=False, engine="openpyxl")


if __name__ == "__main__":
    write_gdelt()
    write_own()
    write_errors()
    write_typed()
