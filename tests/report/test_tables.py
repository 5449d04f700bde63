"""Tables you can take away: the files equal the page, the commands under the tables give the same numbers."""

from __future__ import annotations

import json
import re
import shlex
import subprocess
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from escalation.cli import build_parser, main
from escalation.io import ReadOptions, parse_columns
from escalation.report.tables import command_line, data_arguments, to_latex

HOSTILE = [
    "two\n\nparagraphs",
    "a & b",
    "50%",
    "$x$",
    "#1",
    "under_score",
    "{braces}",
    "~tilde",
    "^caret",
    "back\\slash",
    "Ḥamās",
]


@settings(max_examples=60, deadline=None)
@given(
    columns=st.dictionaries(st.sampled_from(["date", "actor", "target", "notes"]),
                            st.text("abcdefgh _|é", min_size=1, max_size=8).filter(lambda t: t.strip() == t),
                            max_size=3),
    dayfirst=st.sampled_from([None, True, False]),
    formats=st.lists(st.sampled_from(["%d.%m.%Y", "%Y/%m/%d %H:%M", "%d %b %Y"]), max_size=2),
    delimiter=st.sampled_from([None, ";", "\t", "|"]),
    sheet=st.sampled_from([None, "Sheet 1", "0"]),
    na=st.sampled_from([None, [""], ["", "n/a", "-"]]),
    per_victim=st.booleans(),
    keys=st.sampled_from([None, ["date", "location"]]),
    fmt=st.sampled_from(["auto", "acled", "gdelt"]),
    level=st.sampled_from([None, "name"]),
    path=st.sampled_from([None, "data.csv", "my data's file.csv", "/tmp/a b/$x.csv"]),
    period=st.sampled_from([(None, None), ("2020-01-01", None), (None, "2021-12-31"), ("2020-01-01", "2020-02-01")]),
)  # fmt: skip
def test_the_command_line_reads_the_data_as_the_report_did(columns, dayfirst, formats, delimiter, sheet, na,
                                                            per_victim, keys, fmt, level, path, period):  # fmt: skip
    """The report keeps its reading options as JSON; the command under each table, parsed by the command
    line's own parser, gives the same options back (every option a report can be read with)."""
    given = {"na_values": na} if na is not None else {}
    options = ReadOptions(
        columns=columns or None, sides="sides file.json" if path else None, format=fmt if path else "auto",
        per_victim=bool(per_victim and path), encoding="latin-1" if path else "utf-8", incident_keys=keys,
        dayfirst=dayfirst, date_format=formats or None, delimiter=delimiter, sheet=sheet, actor_level=level, **given,
    )  # fmt: skip
    parameters = {"data_path": path, "read_options_json": options.to_json(), "start": period[0], "end": period[1]}
    argv = shlex.split(command_line("chains", parameters, "--window", "30D"))
    assert argv[:2] == ["escalation", "chains"]
    args = build_parser().parse_args(argv[1:])
    assert args.data == path and args.window == "30D"
    assert ReadOptions.from_arguments(args) == options
    assert (parse_columns(args.columns) or {}) == columns
    assert args.per_victim == bool(per_victim and path)
    assert args.sides == options.sides and args.encoding == options.encoding
    assert (args.start, args.end) == period


def test_no_options_for_the_bundled_data():
    assert data_arguments({"data_path": None, "read_options_json": "{}"}) == []


def _cells(line: str) -> list[str]:
    # split a LaTeX row at the column separators: "&" not escaped as "\&"
    return re.split(r"(?<!\\)&", line.removesuffix("\\\\").strip())


def test_latex_escapes_every_special_character_and_keeps_the_shape():
    frame = pd.DataFrame({"side & name": HOSTILE, "share_%": [0.123456] * len(HOSTILE), "n": range(len(HOSTILE))})
    tex = to_latex(frame)
    lines = tex.strip().splitlines()
    assert lines[0] == r"\begin{tabular}{lll}" and lines[-1] == r"\end{tabular}"
    body = [line for line in lines if line.endswith("\\\\")]
    assert len(body) == 1 + len(HOSTILE)  # header and one line per row
    assert all(len(_cells(line)) == 3 for line in body)
    assert r"side \& name" in body[0] and r"share\_\%" in body[0]
    rows = [_cells(line) for line in body[1:]]
    assert [r[1].strip() for r in rows] == ["0.123"] * len(HOSTILE)  # the page's three significant digits
    text = "".join(r[0] for r in rows)
    # no special character left bare (each preceded by a backslash or spelled as a command)
    assert not re.search(r"(?<!\\)[&%$#_{}]", text.replace(r"\textasciitilde ", "").replace(r"\textasciicircum ", "")
                         .replace(r"\textbackslash ", "").replace("{}", ""))  # fmt: skip


def test_latex_fragment_compiles_when_latex_is_installed(tmp_path):
    import shutil

    latex = shutil.which("pdflatex")
    if latex is None:
        pytest.skip("pdflatex is not installed (the structure is checked in the test above)")
    frame = pd.DataFrame({"side": HOSTILE[:-1], "p": [0.05] * (len(HOSTILE) - 1)})
    (tmp_path / "t.tex").write_text(to_latex(frame), encoding="utf-8")
    (tmp_path / "doc.tex").write_text(
        "\\documentclass{article}\\usepackage{booktabs}\\begin{document}\\input{t.tex}\\end{document}\n"
    )
    done = subprocess.run([latex, "-interaction=nonstopmode", "doc.tex"], cwd=tmp_path, capture_output=True)
    assert done.returncode == 0, done.stdout.decode(errors="replace")[-2000:]


def _read_table(table: str) -> pd.DataFrame:
    """An HTML table of the page (pandas' own HTML writer's layout), without lxml."""
    import html as html_lib

    rows = [[html_lib.unescape(re.sub(r"<[^>]+>", "", cell)).strip()
             for cell in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row, flags=re.S)]
            for row in re.findall(r"<tr[^>]*>(.*?)</tr>", table, flags=re.S)]  # fmt: skip
    return pd.DataFrame(rows[1:], columns=rows[0])


def _page_tables(page: str) -> dict[str, tuple[str, str]]:
    """Each linked table on the page: name -> (the HTML table before its links, the command under it)."""
    out = {}
    pattern = (
        r'(<table(?:(?!<table).)*?</table>)(?:\s*<p class="more">.*?</p>)?\s*'
        r'<p class="take-away">Reproduce: <code>(.*?)</code>.*?href="[^"]*?([a-z0-9_]+)\.csv"'
    )
    for table, command, name in re.findall(pattern, page, flags=re.S):
        out[name] = (table, command)
    return out


@pytest.mark.slow
def test_report_tables_equal_the_page_and_the_commands_under_them(tmp_path, monkeypatch, capsys):
    import html as html_lib

    monkeypatch.chdir(tmp_path)
    # a period, weekly death counts (a tide of 14 days spans too few weeks: reciprocity's own 8 weeks is used)
    options = ["--start", "2019-12-01", "--end", "2021-06-30", "--freq", "W", "--measure", "fatalities"]
    assert main(["report", *options, "-o", "out/r.html", "--no-pdf", "--tables", "out/tables"]) == 0
    page = Path("out/r.html").read_text(encoding="utf-8")
    shown = _page_tables(page)
    files = sorted(p.stem for p in Path("out/tables").glob("*.csv"))
    assert sorted(shown) == files and {"chains", "reciprocity", "hawkes_parameters", "episodes"} <= set(files)
    assert sorted(p.stem for p in Path("out/tables").glob("*.tex")) == files
    # every figure also as SVG beside the tables, linked under its caption
    figures = re.findall(r"<b>Figure (\d+)\.</b>", page)
    svgs = sorted(Path("out/tables").glob("figure_*.svg"), key=lambda p: int(p.stem.split("_")[1]))
    assert [p.stem for p in svgs] == [f"figure_{n}" for n in figures] and len(svgs) >= 10
    assert all(re.search(rf"href=[\"']tables/figure_{n}\.svg[\"']", page) for n in figures)
    assert all(p.read_text(encoding="utf-8").lstrip().startswith("<?xml") for p in svgs)
    for name in files:  # every LaTeX row has the table's number of columns
        whole = pd.read_csv(f"out/tables/{name}.csv")
        body = [x for x in Path(f"out/tables/{name}.tex").read_text().splitlines() if x.endswith("\\\\")]
        assert len(body) == 1 + len(whole) and {len(_cells(x)) for x in body} == {len(whole.columns)}, name
    for name, (table, _) in shown.items():
        # the rows on the page are the file's first rows (at the page's rounding)
        on_page = _read_table(table)
        whole = pd.read_csv(f"out/tables/{name}.csv", keep_default_na=False, dtype=str)
        assert len(on_page.columns) == len(whole.columns), name
        first = whole.head(len(on_page))
        for column_page, column_file in zip(on_page.columns, first.columns, strict=True):
            for a, b in zip(on_page[column_page].astype(str), first[column_file], strict=True):
                try:
                    assert float(a) == pytest.approx(float(b), rel=5e-3, abs=1e-9), (name, column_file)
                except ValueError:
                    cut = re.fullmatch(r"(.*) \[\.\.\. (\d+) more characters in the data\]", a, flags=re.S)
                    if cut is None:
                        assert a == b, (name, column_file, a, b)
                    else:  # a long note, cut on the page, whole in the file
                        assert b.startswith(cut[1]) and len(b) == len(cut[1]) + int(cut[2]), (name, a, b)

    def run(name: str) -> None:
        argv = shlex.split(html_lib.unescape(shown[name][1]))[1:]
        assert main(argv) == 0, argv

    run("chains")  # writes chains.csv (and links.csv) here, as the command says
    cli = pd.read_csv("chains.csv").set_index("chain_id")
    report = pd.read_csv("out/tables/chains.csv").set_index("chain_id")
    columns = ["n_events", "n_steps", "n_stated", "n_escalations", "n_deescalations", "sides"]
    pd.testing.assert_frame_equal(report[columns], cli.loc[report.index, columns])
    assert "--freq W --measure fatalities --tide 56D" in shown["reciprocity"][1]
    commands = [command for _, command in shown.values() if "(Python)" not in command]
    assert all("--start 2019-12-01 --end 2021-06-30" in command for command in commands)
    run("reciprocity")
    cli = pd.read_csv("reciprocity.csv")
    report = pd.read_csv("out/tables/reciprocity.csv")
    assert len(cli) == len(report)
    for column in ["statistic", "pvalue_asymptotic", "pvalue_adjusted"]:
        assert report[column].to_numpy() == pytest.approx(cli[column].round(4).to_numpy(), abs=1e-9, nan_ok=True)
    assert report["p (tide)"].to_numpy() == pytest.approx(cli["pvalue"].round(4).to_numpy(), abs=1e-9, nan_ok=True)
    run("hawkes_parameters")
    params = json.loads(Path("params.json").read_text())
    report = pd.read_csv("out/tables/hawkes_parameters.csv")
    baseline = report[report["parameter"] == "baseline"].set_index("side")["estimate"]
    cli_baseline = pd.Series(params["baseline"], index=params["sides"])
    assert baseline.to_numpy() == pytest.approx(cli_baseline.loc[baseline.index].round(4).to_numpy(), abs=1e-9)
    run("episodes")
    assert len(pd.read_csv("episodes.csv")) == pd.read_csv("out/tables/episodes.csv")["episodes"].sum()
    # the bundled sides file puts Iran and its militias in one camp: the report adds the camp-level table
    assert "--level camp" in shown["followed_by_camps"][1]
    capsys.readouterr()
    run("followed_by_camps")
    printed = capsys.readouterr().out
    report = pd.read_csv("out/tables/followed_by_camps.csv")
    assert len(report) == 6
    for row in report.itertuples():
        assert re.search(rf"{re.escape(row[1])}\s+{re.escape(row[2])}\s+{re.escape(row.observed)}\s", printed), row
    # "What is likely next": the forecast from the day after the period's end, and the scores of the
    # weekly forecasts before it, are the command's (the same seeds and draws)
    assert shown["forecast"][1] == shown["forecast_evaluation"][1]
    run("forecast")
    printed = capsys.readouterr().out
    command = pd.read_csv("forecast.csv")
    page_rows = pd.read_csv("out/tables/forecast.csv", keep_default_na=False)
    assert list(page_rows["side"]) == list(command["side"]) and (command["at"] == "2021-07-01").all()
    assert list(page_rows["chance of at least one"]) == [f"{p:.0%}" for p in command["probability"]]
    np.testing.assert_allclose(page_rows["expected actions"], command["expected"].round(2))
    scores = pd.read_csv("out/tables/forecast_evaluation.csv", keep_default_na=False)
    for row in scores.itertuples():
        brier = f"{float(row.Brier):.3f}" if row.Brier != "" else "NaN"
        assert re.search(rf"{re.escape(row.side)}\s+{re.escape(row.forecaster)}\s+{row.origins}\s+\S+\s+{brier}\s",
                         printed), row  # fmt: skip


def test_tables_onto_an_input_are_refused_before_the_analyses_run(tmp_path, monkeypatch, capsys):
    from escalation.report import build as _build

    def analyses_ran(*args, **kwargs):
        raise AssertionError("the report ran its analyses before refusing")

    monkeypatch.setattr(_build, "execute", analyses_ran)
    data = tmp_path / "tables" / "chains.csv"
    data.parent.mkdir()
    rows = ["date,actor,target"] + [f"2020-01-{d:02d},{'AB'[d % 2]},{'BA'[d % 2]}" for d in range(1, 29)]
    data.write_text("\n".join(rows) + "\n")
    before = data.read_bytes()
    argv = ["report", str(data), "--no-pdf", "-o", str(tmp_path / "r.html")]
    assert main([*argv, "--tables", str(tmp_path / "tables")]) == 2
    assert "destroy the input" in capsys.readouterr().err
    assert data.read_bytes() == before and not (tmp_path / "r.html").exists()
    assert main([*argv, "--tables", str(data)]) == 1  # a file, not a folder
    assert "it is a file, not a folder" in capsys.readouterr().err
    assert data.read_bytes() == before
    steps = data.rename(data.with_name("chain_3_steps.csv"))  # a chain's steps, named after its number
    assert main(["report", str(steps), "--no-pdf", "-o", str(tmp_path / "r.html"), "--tables", str(data.parent)]) == 2
    assert "destroy the input" in capsys.readouterr().err and steps.read_bytes() == before


def test_every_table_the_report_shows_is_known_before_it_runs():
    """The names refused up front are those the report writes: the notebook's and the modules' tables."""
    import escalation.report
    from escalation.report.tables import NAMES, is_table_name

    folder = Path(escalation.report.__file__).parent
    source = folder.glob("*.py")
    notebook = json.loads((folder / "report.ipynb").read_text(encoding="utf-8"))
    code = "\n".join("".join(c["source"]) for c in notebook["cells"]) + "\n".join(p.read_text() for p in source)
    shown = set(re.findall(r'tables\.html\(\s*[^"]*?"([a-z0-9_]+)"', code))
    assert shown == set(NAMES), shown ^ set(NAMES)
    assert re.search(r'f\\"chain_\{chain_id\}_steps\\"', (folder / "report.ipynb").read_text(encoding="utf-8"))
    assert is_table_name("chain_12_steps") and not is_table_name("chain_x_steps") and not is_table_name("data")


@pytest.mark.slow
def test_btselem_report_numbers_equal_the_commands_beside_them(btselem_path, tmp_path, monkeypatch, capsys):
    # The README's B'Tselem report: the chains table, the "followed by" table and the Key findings' headline
    # numbers against what the command printed under each table gives when run
    import html as html_lib

    from tests.conftest import EXAMPLES

    monkeypatch.chdir(tmp_path)
    argv = ["report", str(btselem_path), "--per-victim", "--sides", str(EXAMPLES / "btselem_sides.json"),
            "--columns", "date=date_of_event,actor=killed_by,target=citizenship,event_type=ammunition|type_of_injury,"
            "location=event_location,notes=notes", "--ladder", str(EXAMPLES / "btselem_ladder.csv"),
            "-o", "out/r.html", "--no-pdf", "--tables", "out/tables"]  # fmt: skip
    assert main(argv) == 0
    page = Path("out/r.html").read_text(encoding="utf-8")
    shown = _page_tables(page)

    def run(name: str) -> str:
        capsys.readouterr()
        assert main(shlex.split(html_lib.unescape(shown[name][1]))[1:]) == 0
        return capsys.readouterr().out

    run("chains")
    cli = pd.read_csv("chains.csv").set_index("chain_id")
    report = pd.read_csv("out/tables/chains.csv").set_index("chain_id")
    columns = ["n_events", "n_steps", "n_escalations", "n_deescalations", "sides"]
    pd.testing.assert_frame_equal(report[columns], cli.loc[report.index, columns])
    printed = run("followed_by")
    followed = pd.read_csv("out/tables/followed_by.csv")
    assert len(followed) == 2
    text = re.sub(r"<[^>]+>", "", page)
    for row in followed.itertuples():
        trigger, response, observed = row[1], row[2], row.observed  # "278 of 433": the page's own text
        assert re.search(rf"{re.escape(trigger)}\s+{re.escape(response)}\s+{re.escape(observed)}\s", printed), row
        n = int(observed.split(" of ")[1])
        assert f"Of {n} lethal incidents by {trigger} against {response} (a day's lethal incidents" in text
    # "What makes an answer sooner": the page's hazard ratios are the command's, shown per doubling of deaths + 1
    printed = run("answer_model")
    assert "rotated within 14-day blocks (199 draws)" in printed
    written = pd.read_csv("answers.csv")
    page_rows = pd.read_csv("out/tables/answer_model.csv")
    fitted = written[written["verdict"] != "not estimated"].reset_index(drop=True)
    assert len(page_rows) == len(fitted) == 4  # two directions, deaths and rung
    per = np.where(fitted["term"] == "log1p(fatalities)", np.log(2.0), 1.0)
    np.testing.assert_allclose(page_rows["hazard ratio"], np.exp(np.log(fitted["hazard_ratio"]) * per).round(2))
    assert (page_rows["verdict"] == fitted["verdict"]).all()
    assert "no more than the shared tides give" in text or "beyond what the shared tides give" in text
