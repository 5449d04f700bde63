"""Long runs talk on a terminal and nowhere else (issue 32): a progress bar on stderr when it is a terminal,
none with --quiet, none when stderr is a file or a pipe; the library itself prints nothing unless asked."""

from __future__ import annotations

import os
import pty
import subprocess
import sys

import pytest

import escalation as esc
from escalation._core.progress import shown


def run_on_a_terminal(argv: list[str], tmp_path) -> str:
    """Run the command with stderr on a pseudo-terminal; return what the terminal received."""
    import fcntl
    import struct
    import termios

    leader, follower = pty.openpty()
    fcntl.ioctl(follower, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 100, 0, 0))  # a terminal has a width
    env = dict(os.environ)
    proc = subprocess.Popen([sys.executable, "-m", "escalation", *argv], stdout=subprocess.DEVNULL, stderr=follower,
                            cwd=tmp_path, env=env)  # fmt: skip
    os.close(follower)
    chunks = []
    while True:
        try:
            data = os.read(leader, 4096)
        except OSError:  # the terminal closed with the process
            break
        if not data:
            break
        chunks.append(data)
    proc.wait(timeout=300)
    os.close(leader)
    assert proc.returncode == 0
    return b"".join(chunks).decode("utf-8", "replace")


@pytest.mark.slow
def test_reciprocity_shows_progress_on_a_terminal_and_not_with_quiet(tmp_path):
    argv = ["reciprocity", "--freq", "W", "--tide", "56D", "--draws", "49", "-o", "rec.csv"]
    talked = run_on_a_terminal(argv, tmp_path)
    assert "Granger tests, resampled" in talked and "count models" in talked
    quiet = run_on_a_terminal([*argv, "--quiet"], tmp_path)
    assert "Granger tests" not in quiet and "rows read" in quiet  # the counts are still said
    piped = subprocess.run([sys.executable, "-m", "escalation", *argv], capture_output=True, text=True, cwd=tmp_path)
    assert "Granger tests" not in piped.stderr


def test_the_library_prints_only_when_asked(capsys):
    ev = esc.datasets.load_iraq_2019_2021()
    assert len(esc.reciprocity(ev, freq="W", draws=19).tests)
    assert capsys.readouterr().err == ""
    with shown():
        assert len(esc.reciprocity(ev, freq="W", draws=19).tests)
    assert "Granger tests, resampled" in capsys.readouterr().err
