"""The command line never writes over what it reads, and a terminated run leaves no temporary file (issue 35)."""

from __future__ import annotations

import contextlib
import hashlib
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from escalation.cli import main

ROWS = "date,actor,target\n2020-01-01,A,B\n2020-01-03,B,A\n2020-01-05,A,B\n2020-01-06,B,A\n"


def digest(path: Path) -> str:
    if path.is_dir():
        return hashlib.sha256(b"".join(p.read_bytes() for p in sorted(path.rglob("*")) if p.is_file())).hexdigest()
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.mark.parametrize(
    ("argv", "link"),
    [
        (["chains", "{data}", "-o", "{data}"], None),
        (["chains", "{data}", "-o", "{link}"], "symlink"),
        (["chains", "{data}", "-o", "{link}"], "hardlink"),
        (["chains", "{data}", "--chains-output", "{data}"], None),
        (["validate", "{data}", "--rejections", "{data}"], None),
        (["survival", "{data}", "--table", "{data}"], None),
        (["episodes", "{data}", "-o", "{data}"], None),
        (["reciprocity", "{data}", "-o", "{link}"], "symlink"),
        (["hawkes", "{data}", "--triggers", "{data}"], None),
        (["chains", "{data}", "--sides", "{sides}", "-o", "{sides}"], None),
    ],
)
def test_an_output_that_is_an_input_is_refused(tmp_path, capsys, argv, link):
    data, sides = tmp_path / "events.csv", tmp_path / "sides.json"
    data.write_text(ROWS, encoding="utf-8")
    sides.write_text('{"A": "A", "B": "B"}', encoding="utf-8")
    other = tmp_path / "other.csv"
    if link == "symlink":
        other.symlink_to(data)
    elif link == "hardlink":
        os.link(data, other)
    before = {p: digest(p) for p in (data, sides)}
    args = [a.format(data=data, sides=sides, link=other) for a in argv]
    assert main(args) == 2
    err = capsys.readouterr().err
    assert "would destroy the input" in err and "Traceback" not in err
    assert {p: digest(p) for p in (data, sides)} == before


def test_convert_onto_its_own_dataset_is_refused(tmp_path, capsys):
    data = tmp_path / "events.csv"
    data.write_text(ROWS, encoding="utf-8")
    dataset = tmp_path / "events.parquet"
    assert main(["convert", str(data), str(dataset)]) == 0
    before = digest(dataset)
    capsys.readouterr()
    assert main(["convert", str(dataset), str(dataset)]) == 2
    assert "would destroy the input" in capsys.readouterr().err and digest(dataset) == before


def test_a_report_onto_its_input_is_refused(tmp_path, capsys):
    source = tmp_path / "r.html"
    source.write_text(ROWS, encoding="utf-8")  # an input named like the report's output
    assert main(["report", str(source), "-o", str(tmp_path / "r.html"), "--no-pdf"]) == 2
    assert source.read_text(encoding="utf-8") == ROWS and "would destroy the input" in capsys.readouterr().err


@pytest.mark.slow
@pytest.mark.parametrize("command", ["chains", "report"])
def test_sigterm_leaves_no_temporary_file(tmp_path, command):
    # A command killed with SIGTERM while working cleans up as it does on Ctrl-C: the report's temporary
    # folder (with the kernel's connection file and its key) and a half-written output go. Before, SIGTERM
    # left both (exit 143).
    temp = tmp_path / "temp"
    temp.mkdir()
    rows = ["date,actor,target"] + [f"2020-01-{1 + i % 28:02d},{'AB'[i % 2]},{'BA'[i % 2]}" for i in range(400_000)]
    data = tmp_path / "big.csv"
    data.write_text("\n".join(rows) + "\n", encoding="utf-8")
    argv = ["chains", str(data), "-o", str(tmp_path / "out" / "links.csv")] if command == "chains" else [
        "report", "-o", str(tmp_path / "out" / "r.html")]  # fmt: skip
    proc = subprocess.Popen([sys.executable, "-m", "escalation", *argv], stdout=subprocess.DEVNULL,
                            stderr=subprocess.PIPE, env={**os.environ, "TMPDIR": str(temp)})  # fmt: skip
    # Signalled while surely at work, however fast the machine (a fixed sleep let chains finish first): chains
    # once it has read the file (its counts line) and is linking; the report once its kernel's folder exists.
    if command == "chains":
        first = proc.stderr.readline()
        assert b"400000 rows read" in first, first
    else:
        waited = 0.0
        while not list(temp.iterdir()) and waited < 60:
            time.sleep(0.05)
            waited += 0.05
        time.sleep(2)
    proc.send_signal(signal.SIGTERM)
    _, rest = proc.communicate(timeout=60)
    err = (first if command == "chains" else b"") + rest
    assert proc.returncode == 130 and b"interrupted" in err, (proc.returncode, err.decode())
    assert list(temp.iterdir()) == []
    assert not [p for p in tmp_path.rglob("*") if p.name.endswith(".tmp")]


def test_a_pipe_is_refused_by_name_not_called_empty_or_waited_on(tmp_path):
    fifo = tmp_path / "events.csv"
    os.mkfifo(fifo)
    done = subprocess.run([sys.executable, "-m", "escalation", "validate", str(fifo)], capture_output=True,
                          text=True, timeout=60)  # fmt: skip
    assert done.returncode == 1 and "a pipe or a device, not a file" in done.stderr, done.stderr
    argv = [sys.executable, "-m", "escalation", "chains", "/dev/stdin", "-o", str(tmp_path / "l.csv")]
    piped = subprocess.run(argv, input="date,actor,target\n2020-01-01,A,B\n", capture_output=True, text=True,
                           timeout=60)  # fmt: skip
    assert piped.returncode == 1 and "save the data to a file first" in piped.stderr, piped.stderr


@pytest.mark.parametrize("argv", [["hawkes", "--decay", "inf"], ["hawkes", "--decay", "nan"],
                                  ["report", "--window", "0"], ["report", "--calm", "0D"]])  # fmt: skip
def test_nonsense_settings_are_refused_at_once(tmp_path, argv, capsys):
    # --decay inf was fitted as given, and report --window 0 started a kernel and ran for minutes
    code = main([*argv, "-o", str(tmp_path / ("out.html" if argv[0] == "report" else "p.json"))])
    assert code == 2 and "must be" in capsys.readouterr().err
    assert not list(tmp_path.iterdir())


@pytest.mark.parametrize("case", ["date-format", "encoding", "background", "empty ladder", "latin-1 ladder"])
def test_options_that_were_internal_errors_are_named(tmp_path, case, capsys):
    # each was "internal error: ..." (the background one tried to allocate 438 PiB)
    data = tmp_path / "e.csv"
    # ten events: enough for a two-sided Hawkes model's seven parameters, so that the option is what fails
    data.write_text(
        "date,actor,target\n" + "".join(f"2020-01-{d:02d},{'AB'[d % 2]},{'BA'[d % 2]}\n" for d in range(1, 11))
    )
    ladder = tmp_path / "ladder.csv"
    ladder.write_bytes(b"" if case == "empty ladder" else b"event_type,rank\nd\xe9fense,3\n")
    argv = {
        "date-format": ["validate", str(data), "--date-format", "%Q"],
        "encoding": ["validate", str(data), "--encoding", "rot13"],
        "background": ["hawkes", str(data), "--background", "1ns", "-o", str(tmp_path / "p.json")],
        "empty ladder": ["chains", str(data), "--ladder", str(ladder), "-o", str(tmp_path / "l.csv")],
        "latin-1 ladder": ["chains", str(data), "--ladder", str(ladder), "-o", str(tmp_path / "l.csv")],
    }[case]
    with pytest.raises(SystemExit) if case == "encoding" else contextlib.nullcontext():  # argparse's usage error
        code = main(argv)
    err = capsys.readouterr().err
    assert (case == "encoding" or code in (1, 2)) and "internal error" not in err and "Traceback" not in err, err
    named = {"date-format": "%Q", "encoding": "rot13", "background": "1ns", "empty ladder": "empty",
             "latin-1 ladder": "UTF-8"}[case]  # fmt: skip
    assert named in err


def test_without_o_a_file_of_yours_is_never_replaced(tmp_path, monkeypatch, capsys):
    """A command run without -o writes its default file in the working folder; one already there is replaced
    only when escalation wrote it and nobody changed it since. A new user's hand-coded links.csv and edited
    sides.json draft were overwritten without a word."""
    monkeypatch.chdir(tmp_path)
    mine = tmp_path / "links.csv"
    mine.write_text("my hand-coded links\n", encoding="utf-8")
    assert main(["chains"]) == 2
    assert "links.csv is already in this folder and escalation did not write it" in capsys.readouterr().err
    assert mine.read_text(encoding="utf-8") == "my hand-coded links\n"
    mine.unlink()
    assert main(["chains"]) == 0 and main(["chains"]) == 0  # its own output, untouched: replaced by a rerun
    assert main(["sides"]) == 0
    draft = tmp_path / "sides.json"
    edited = draft.read_text(encoding="utf-8").replace('"Iran"', '"Iran (edited)"', 1)
    draft.write_text(edited, encoding="utf-8")
    later = draft.stat().st_mtime + 5
    os.utime(draft, (later, later))  # edited after escalation wrote it
    capsys.readouterr()
    assert main(["sides"]) == 2
    assert "sides.json is already in this folder and it was changed after escalation wrote it" in (
        capsys.readouterr().err
    )
    assert draft.read_text(encoding="utf-8") == edited
    assert main(["sides", "-o", "sides.json"]) == 0  # named: the user asked for it
    assert draft.read_text(encoding="utf-8") != edited


def test_a_report_named_like_a_data_file_is_refused(tmp_path, capsys):
    """`report -o new.csv` made a folder new.csv/ with the report in it; onto an existing file it failed with
    "[Errno 17] File exists". Both are refused with what a report's name is."""
    data = tmp_path / "m.csv"
    data.write_text("date,actor,target\n2020-01-01,A,B\n2020-01-02,B,A\n", encoding="utf-8")
    before = data.read_bytes()
    assert main(["report", str(data), "-o", str(data), "--no-pdf"]) == 2
    assert f"-o {data}: a report is written as NAME.html" in capsys.readouterr().err
    assert data.read_bytes() == before
    assert main(["report", "-o", str(tmp_path / "new.csv"), "--no-pdf"]) == 2
    assert "is named as a data file" in capsys.readouterr().err and not (tmp_path / "new.csv").exists()
