"""Benchmark: peak memory of reading a canonical CSV and of ``escalation chains`` on it.

Run:  python benchmarks/bench_read.py [--sizes 1e6 1e7]

For each size it writes one canonical CSV (200 sides, bursty times, a third with clock
times; ``benchmarks/_data/``, reused when present; ``bench_scale.write_archive``), then
runs each step in a fresh Python process and reports its wall time and peak resident
memory (``ru_maxrss`` of that process, from ``os.wait4``):

* ``python``: the interpreter with ``escalation`` imported (the floor every step pays);
* ``bare read``: ``pandas.read_csv`` of the file with every column as Arrow strings, the
  bare operation reading replaces (no validation, no dates, no sort);
* ``read_events``: reading, validation, dates, sides, the sort by date;
* ``escalation chains``: the command end to end (read, link, chain table, the chance
  baseline's 199 shifts, the links written to Parquet).

The goal (issue 17) is ``escalation chains`` on 10^7 rows under 3 GiB.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from bench_scale import write_archive  # noqa: E402

STEPS = {
    "python": "import escalation",
    "bare read": "import pandas as pd; pd.read_csv({path!r}, dtype=pd.StringDtype('pyarrow'))",
    "read_events": "import escalation as esc; esc.read_events({path!r})",
}


def run(argv: list[str]) -> tuple[float, int, int]:
    """Wall seconds, peak resident bytes and exit status of one fresh process."""
    start = time.perf_counter()
    proc = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(proc.pid, 0)
    seconds = time.perf_counter() - start
    if status != 0 and proc.stderr is not None:
        sys.stderr.write(proc.stderr.read().decode()[-2000:])
    return seconds, usage.ru_maxrss * 1024, status


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", nargs="+", type=float, default=[1e6, 1e7])
    parser.add_argument("--write", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.write:  # a child process: write the data file
        write_archive(args.write, args.write)
        return
    print(f"{'events':>12} {'step':>18} {'wall s':>8} {'peak GiB':>9} {'bytes/event':>12}")
    for size in args.sizes:
        n = int(size)
        # Written by a child process: a peak reached here would be inherited by every step's ``ru_maxrss``
        # (the high-water mark survives fork and exec).
        subprocess.run([sys.executable, __file__, "--write", str(n)], check=True)
        folder = write_archive(n, n)  # present now: only finds it
        path = str(next(folder.glob("events_*.csv")))
        out = folder / "links.parquet"
        commands = {name: [sys.executable, "-c", code.format(path=path)] for name, code in STEPS.items()}
        commands["escalation chains"] = [sys.executable, "-m", "escalation", "chains", path, "-o", str(out)]
        for name, argv in commands.items():
            seconds, peak, status = run(argv)
            note = "" if status == 0 else f"  failed ({status})"
            print(f"{n:>12,} {name:>18} {seconds:>8.1f} {peak / 2**30:>9.2f} {peak / n:>12.0f}{note}", flush=True)


if __name__ == "__main__":
    main()
