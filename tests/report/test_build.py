"""The report: every section, numbers equal to the API's, data text escaped, a real PDF."""

from __future__ import annotations

import html
import re
from pathlib import Path

import pandas as pd
import pytest

import escalation as esc
from escalation.cli import main
from escalation.report.analyses import Analyses, run_analyses
from escalation.report.text import summary_html

SECTIONS = [
    "Key findings", "Summary", "Data and provenance", "Timeline", "Main escalation chains", "Time to response",
    "Reciprocity", "Hawkes process", "What is likely next", "Episodes", "Methods and caveats", "Sources",
]  # fmt: skip


def numbers(page: str) -> dict[str, str]:
    return dict(re.findall(r'<span class="num" data-key="([^"]+)">([^<]*)</span>', page))


@pytest.fixture(scope="module")
def bundled_report(tmp_path_factory):
    out = tmp_path_factory.mktemp("report")
    paths = esc.report.build_report(output_dir=out, progress=False)
    return paths, paths.html.read_text(encoding="utf-8")


@pytest.mark.slow
def test_bundled_report_has_every_section_with_figures(bundled_report):
    paths, page = bundled_report
    assert paths.html.name == "iraq_2019_2021.html" and paths.pdf.name == "iraq_2019_2021.pdf"
    headings = re.findall(r"<h2[^>]*>(.*?)</h2>", page, flags=re.S)
    clean = [re.sub(r"<[^>]+>|¶", "", h).strip() for h in headings]
    assert clean == SECTIONS
    toc = re.search(r'<nav class="toc">(.*?)</nav>', page, flags=re.S).group(1)
    assert all(s in toc for s in SECTIONS)
    # figures are embedded, not linked: timeline, 3 chain diagrams, histogram, KM, reciprocity, hawkes x2, episodes
    assert page.count('src="data:image/png;base64,') >= 10
    assert "<script" not in page.lower() or "<script" not in re.sub(r"&lt;script", "", page.lower())
    assert "Traceback" not in page and "Error" not in re.sub(r"<[^>]+>", "", page).split("Sources")[0][-200:]
    assert "site-packages" not in page and "/escalation/datasets/" not in page  # no local paths in a shared report


@pytest.mark.slow
def test_summary_numbers_equal_the_api(bundled_report):
    _, page = bundled_report
    got = numbers(page)
    ev = esc.datasets.load_iraq_2019_2021()
    links = esc.link(ev, window="30D")
    result = esc.chains(ev, window="30D")
    assert int(got["events"]) == len(ev.frame) == 62
    assert int(got["links"]) == len(links)
    assert int(got["stated"]) == int((links["link_kind"] == "stated").sum())
    assert int(got["inferred"]) == int((links["link_kind"] == "inferred").sum())
    assert int(got["chains"]) == len(result.chains)
    assert float(got["median_interval"]) == pytest.approx(links["interval_days"].median(), abs=0.05)
    assert int(got["escalations"]) == int((links["step_kind"] == "escalation").sum())
    ttr = esc.time_to_response(ev, window="30D")
    assert int(got["answered"]) == int(ttr.table["answered"].sum())
    hawkes = esc.fit_hawkes(ev)
    assert float(got["branching_ratio"]) == pytest.approx(hawkes.branching_ratio, abs=0.005)
    assert int(got["episodes"]) == len(esc.episodes(ev, calm="3D").episodes)


@pytest.mark.slow
def test_key_findings_are_the_tables_numbers(bundled_report):
    """Each finding's number is the row of the table it comes from (step shares, chains)."""
    _, page = bundled_report
    got = numbers(page)
    result = esc.chains(esc.datasets.load_iraq_2019_2021(), window="30D")
    steps = result.step_shares().set_index("response_side")
    us = steps.loc["United States"]
    assert int(got["steps_United States_up"]) == us["escalations"]
    assert int(got["steps_United States_known"]) == us["escalations"] + us["matched"] + us["deescalations"]
    assert got["steps_United States_chance"] == f"{100 * us['chance_escalation_share']:.0f}%"
    longest = result.chains.sort_values(["n_steps", "start"], ascending=[False, True]).iloc[0]
    assert int(got["chain_longest"]) == longest["chain_id"]
    first = page.index("Key findings")
    assert first < page.index(">Summary<")
    # The trend findings are TrendResult's rows.
    trend = esc.trend(esc.datasets.load_iraq_2019_2021(), measures=("events", "fatalities", "rank")).table
    row = trend.set_index(["series", "measure"]).loc[("all sides", "events")]
    assert float(got["trend_all sides_events_p"]) == pytest.approx(row["pvalue"], rel=0.05)
    assert float(got["trend_all sides_events_start"]) == pytest.approx(row["fitted_start"], abs=0.05)
    assert "How far to trust this" in page  # 25 months: the short-series caution is said


@pytest.mark.slow
def test_figures_are_numbered_with_captions_at_print_size(bundled_report):
    _, page = bundled_report
    captions = re.findall(r"<b>Figure (\d+)\.</b>", page)
    assert captions == [str(i) for i in range(1, len(captions) + 1)] and len(captions) >= 10
    # Retina PNGs carry their CSS width: at 96 px an inch none is wider than the page's text.
    from escalation.report.figures import PAGE_WIDTH

    widths = [int(w) for w in re.findall(r'<img[^>]*width="(\d+)"', page)]
    assert len(widths) == len(captions) and max(widths) <= PAGE_WIDTH * 96 + 1
    assert "source: iraq_2019_2021" in page


def test_pdf_has_pages_and_the_report_text(bundled_report):
    paths, _ = bundled_report
    pypdf = pytest.importorskip("pypdf")
    reader = pypdf.PdfReader(str(paths.pdf))
    assert len(reader.pages) >= 5
    text = " ".join(page.extract_text() for page in reader.pages)
    for section in SECTIONS:
        assert section in text
    assert "trigger-to-response links" in text


def test_summary_without_analyses_still_reads():
    ev = esc.datasets.load_iraq_2019_2021()
    text = summary_html(ev, Analyses())
    assert numbers(text)["events"] == "62" and "links" not in numbers(text)


def test_one_sided_data_reports_what_cannot_be_computed():
    table = pd.DataFrame({"date": ["2020-01-01", "2020-01-02", "2020-01-05"], "actor": ["A"] * 3, "target": ["B"] * 3})
    a = run_analyses(esc.read_events(table))
    assert "reciprocity" in a.errors and a.reciprocity is None
    assert a.chains is not None and len(a.chains.links) == 0


def test_report_usage_errors(tmp_path, capsys):
    assert main(["report", "--per-victim", "-o", str(tmp_path)]) == 2
    assert main(["report", str(tmp_path / "missing.csv"), "-o", str(tmp_path)]) == 1
    assert "no such file" in capsys.readouterr().err
    assert not list(tmp_path.glob("*.html"))


def test_chain_steps_tell_the_story_without_placeholders():
    from escalation.report.text import chain_steps

    result = esc.chains(esc.datasets.load_iraq_2019_2021())
    steps = chain_steps(result, 5)
    assert steps["date"].tolist() == ["2021-02-15", "2021-02-26", "2021-03-03"]
    assert steps.loc[2, "answers"] == "2021-02-26 airstrike (5 d, inferred, de-escalation)"
    assert steps.loc[1, "answers"] == "2021-02-15 rocket attack (11 d, stated, escalation)"
    table = pd.DataFrame({"event_id": ["a", "b"], "date": ["2020-01-01", "2020-01-02"], "actor": ["A", "B"],
                          "target": ["B", "A"]})  # fmt: skip
    bare = chain_steps(esc.chains(table), 1)
    assert not bare.isin(["<NA>", "nan", "None"]).any().any()


def test_css_string_escapes_what_could_end_a_string_or_element():
    from escalation.report.build import css_string

    text = css_string('a"b\\c</style><x>&\ny')
    assert all(c not in text for c in '"<>&\n')
    assert text.startswith("a\\000022b")  # CSS hex escape of the quote


def test_a_failed_pdf_leaves_the_previous_pair(tmp_path, monkeypatch):
    from escalation.report import build

    html, pdf, removed = build.write_pair("<p>one</p>", tmp_path, "r")
    assert html.read_text() == "<p>one</p>" and pdf.stat().st_size > 0 and removed is None
    old_pdf = pdf.read_bytes()

    def broken(page, target):
        raise OSError("disk full while writing the PDF")

    monkeypatch.setattr(build, "render_pdf", broken)
    with pytest.raises(OSError):
        build.write_pair("<p>two</p>", tmp_path, "r")
    assert html.read_text() == "<p>one</p>" and pdf.read_bytes() == old_pdf  # both from the first run
    assert sorted(p.name for p in tmp_path.iterdir()) == ["r.html", "r.pdf"]  # no temporary file left


def test_long_notes_are_cut_in_tables():
    from escalation.report.text import CELL_CHARS, shorten

    cells = shorten(pd.Series(["short", "word " * 20_000]))
    assert cells[0] == "short"
    assert len(cells[1]) < CELL_CHARS + 60 and cells[1].endswith("more characters in the data]")


def test_a_bad_ladder_file_is_refused_before_the_kernel_starts(tmp_path, capsys):
    bad = tmp_path / "ladder.csv"
    bad.write_text("event_type,rank\nmissile,high\n", encoding="utf-8")
    assert main(["report", "--ladder", str(bad), "-o", str(tmp_path / "out")]) != 0
    err = capsys.readouterr().err
    assert "ladder.csv, row 2: rank 'high' is not a number" in err and "Traceback" not in err


@pytest.mark.parametrize(
    ("output", "folder", "name"),
    [("out", "out", None), ("out/gaza.html", "out", "gaza"), ("Gaza Report.PDF", ".", "Gaza Report")],
)
def test_output_is_a_folder_or_names_the_report(output, folder, name, tmp_path, monkeypatch, capsys):
    """``-o gaza.html`` writes gaza.html and gaza.pdf, not a folder called gaza.html."""
    import escalation.report

    seen = {}

    def fake_build_report(data, **kwargs):
        seen.update(kwargs)
        stem = kwargs["name"] or "iraq_2019_2021"
        return escalation.report.ReportPaths(Path(kwargs["output_dir"]) / f"{stem}.html", None, None)

    monkeypatch.setattr(escalation.report, "build_report", fake_build_report)
    monkeypatch.chdir(tmp_path)
    assert main(["report", "-o", output, "--no-pdf"]) == 0
    assert Path(seen["output_dir"]) == Path(folder) and seen["name"] == name
    assert capsys.readouterr().out.strip() == str(Path(folder) / f"{name or 'iraq_2019_2021'}.html")


def test_an_html_only_run_removes_the_earlier_pdf_of_the_same_name(tmp_path):
    # issue 35: the new HTML sat beside an earlier run's PDF, as if they were one pair
    from escalation.report import build

    build.write_pair("<p>one</p>", tmp_path, "r")
    html, pdf, removed = build.write_pair("<p>two</p>", tmp_path, "r", pdf=False)
    assert pdf is None and removed == tmp_path / "r.pdf"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["r.html"] and html.read_text() == "<p>two</p>"


@pytest.mark.slow
def test_bundled_report_says_which_directions_are_too_small_for_the_answer_model(bundled_report):
    # 62 events: no direction has 10 followed actions per trait, so no hazard ratio is printed, and the page
    # names every direction the model left out (counted independently from the time-to-response table)
    _, page = bundled_report
    text = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", page))
    assert "What makes an answer sooner" in text and "hazard ratio 1" not in text
    ttr = esc.time_to_response(esc.datasets.load_iraq_2019_2021(), window="3.5D").table
    small = sorted(ttr.groupby("direction")["answered"].sum().loc[lambda s: s < 20].index)
    said = re.search(r"Not estimated \(fewer than 10 followed actions per trait, or no trait varies\): (.*?)\.", text)
    assert said is not None and said.group(1).split(", ") == small
    assert "escalation answers --covariate 'log1p(fatalities)' --covariate rung --tide 14D" in html.unescape(text)


def test_a_reading_option_given_twice_with_two_values_is_refused_before_reading(tmp_path):
    from escalation.errors import UsageError
    from escalation.io import ReadOptions

    with pytest.raises(UsageError, match="columns given both as keywords and in read_options"):
        esc.report.build_report(tmp_path / "not read.csv", columns={"date": "a"},
                                read_options=ReadOptions(columns={"date": "b"}), output_dir=tmp_path)  # fmt: skip
    assert list(tmp_path.iterdir()) == []
