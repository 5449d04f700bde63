"""The report built with options of its own: hostile text, a publisher, a deep temporary folder, the same bytes
under SOURCE_DATE_EPOCH, --min-n. (Apart from test_build.py, whose tests share one built report, so that the
two files' builds run side by side.)"""

from __future__ import annotations

import re
import tempfile
from pathlib import Path

import pandas as pd
import pytest

from escalation.cli import main
from escalation.report import build as _build
from tests.report.test_build import numbers

_SOCKET_BASE = _build._socket_base


@pytest.mark.slow
def test_hostile_text_is_escaped_and_bad_rows_listed(tmp_path, capsys):
    data = tmp_path / "hostile.csv"
    rows = [
        ("a1", "2021-01-01", "Side <b>A</b>", "Side B", "rocket attack", "2", "", "<script>alert(1)</script>"),
        ("b1", "2021-01-03", "Side B", "Side <b>A</b>", "airstrike", "4", "a1", "answer & counter"),
        ("a2", "2021-01-05", "Side <b>A</b>", "Side B", "rocket attack", "1", "", "second"),
        ("b2", "2021-01-20", "Side B", "Side <b>A</b>", "drone strike", "0", "", "third"),
        ("a3", "<img src=x onerror=alert(2)>", "Side <b>A</b>", "Side B", "threat", "0", "", "bad date"),
    ]
    pd.DataFrame(rows, columns=["event_id", "date", "actor", "target", "event_type", "fatalities", "responds_to",
                                "notes"]).to_csv(data, index=False)  # fmt: skip
    title = '<i>T</i> & co "</style><script>alert(3)</script>'
    assert main(["report", str(data), "-o", str(tmp_path / "out"), "--title", title]) == 0
    printed = capsys.readouterr().out.split()
    html_path, pdf_path = tmp_path / "out" / "hostile.html", tmp_path / "out" / "hostile.pdf"
    assert printed == [str(html_path), str(pdf_path)]
    page = html_path.read_text(encoding="utf-8")
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    # the rejected cell is shown in the rejection table, as text
    assert "<img src=x" not in page and "&lt;img src=x onerror=alert(2)&gt;" in page
    assert "<b>A</b>" not in page and "Side &lt;b&gt;A&lt;/b&gt;" in page
    assert (
        "<title>&lt;i&gt;T&lt;/i&gt; &amp; co &quot;&lt;/style&gt;&lt;script&gt;alert(3)&lt;/script&gt;</title>" in page
    )
    style = re.search(r"<style>(.*?)</style>", page, flags=re.S).group(1)  # the title in the CSS page footer
    assert "<" not in style and "alert(3)" in style  # escaped as CSS, not closing the style element
    assert "alert(3)</script>" not in page
    assert "unparseable date" in page  # the rejection table is in the report
    assert numbers(page)["rejected"] == "1"
    assert pdf_path.stat().st_size > 10_000


#: The report of the bundled data with a publisher of hostile text and a minimum of 4, built under
#: SOURCE_DATE_EPOCH: the fixture's build serves the publisher's and the minimum's tests, and is the bytes the
#: build from a deep temporary folder must equal (each build costs half a minute).
PUBLISHER = ["--source-name", "<b>B'Tselem</b>", "--source-url", "javascript:alert(1)",
             "--source-note", "Coverage to 2023-09-24 & later <i>"]  # fmt: skip
OPTIONS = ["report", "--min-n", "4", "--no-pdf", *PUBLISHER]


@pytest.fixture(scope="module")
def usual(tmp_path_factory):
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("SOURCE_DATE_EPOCH", "1700000000")
        out = tmp_path_factory.mktemp("usual") / "r.html"
        assert main([*OPTIONS, "-o", str(out)]) == 0
    return out.read_bytes()


@pytest.mark.slow
def test_no_kernel_file_left_from_a_deep_temporary_folder_and_the_same_html_with_source_date_epoch(
    usual, tmp_path, monkeypatch
):
    from jupyter_core.paths import jupyter_runtime_dir

    # Two runs under SOURCE_DATE_EPOCH give the same bytes, whatever the temporary folder: the second runs
    # from a deep one, the first (the fixture) from the usual one.
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    assert b"on 2023-11-14 from" in usual  # the epoch's day, not today's

    # A temporary folder deeper than a Unix socket's path allows (108 bytes): the report used to stop with
    # "ZMQError: File name too long" when TMPDIR was this deep.
    deep = tmp_path / ("t" * 60) / ("m" * 60)
    deep.mkdir(parents=True)
    monkeypatch.setenv("TMPDIR", str(deep))
    monkeypatch.setattr(tempfile, "tempdir", None)  # tempfile reads TMPDIR once and caches it
    runtime = Path(jupyter_runtime_dir())
    before = set(runtime.glob("kernel-*.json")) if runtime.exists() else set()

    used = []
    monkeypatch.setattr(_build, "_socket_base", lambda workdir: used.append(_SOCKET_BASE(workdir)) or used[-1])
    html = tmp_path / "out" / "r.html"
    assert main([*OPTIONS, "-o", str(html)]) == 0
    after = set(runtime.glob("kernel-*.json")) if runtime.exists() else set()
    assert after <= before  # the key file lived in the run's own temporary folder
    assert list(deep.iterdir()) == []  # which is gone
    [(sockets, short)] = used
    assert short is not None and len(sockets) < 100  # the sockets went to a short folder
    assert not short.exists()  # which is gone too
    assert html.read_bytes() == usual


@pytest.mark.slow
def test_publisher_is_named_and_escaped_and_only_web_addresses_are_links(usual):
    page = usual.decode("utf-8")
    assert "&lt;b&gt;B&#x27;Tselem&lt;/b&gt;" in page and "<b>B'Tselem</b>" not in page
    assert 'href="javascript' not in page and "javascript:alert(1)" in page  # shown as text, not a link
    assert "Coverage to 2023-09-24 &amp; later &lt;i&gt;" in page
    # the figure captions credit the publisher, not the bundled file
    captions = re.findall(r"<b>Figure \d+\.</b>(.*?)</p>", page, flags=re.S)
    assert len(captions) >= 8
    assert all("source: &lt;b&gt;b" in c.lower() and "tselem&lt;/b&gt;" in c.lower() for c in captions), captions
    alts = re.findall(r'<img[^>]* alt="([^"]*)"', page)
    assert len(alts) == len(captions) and all(a.startswith("Figure ") and "Tselem" in a for a in alts)
    assert "bundled with escalation" not in " ".join(captions)


@pytest.mark.slow
def test_min_n_reaches_every_finding_of_the_report(usual, tmp_path, capsys):
    # escalation report --min-n: one minimum for the page; the bundled data's 5 US actions against the militias
    # get their sentence under a minimum of 4 (3 followed), which the default 10 holds back
    page = re.sub(r"<[^>]+>", "", usual.decode("utf-8"))
    assert "fewer than 4 actions or 2 followed by the other side, the report's minimum" in page
    assert "Of 5 actions by United States against Iran-aligned militias (a day's actions" in page
    with pytest.raises(SystemExit):  # argparse: a usage error, no traceback
        main(["report", "--min-n", "1", "-o", str(tmp_path / "s.html")])
    assert "--min-n: expected a whole number of at least 2, got 1" in capsys.readouterr().err
