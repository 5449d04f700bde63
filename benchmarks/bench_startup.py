"""Start-up and small fits (issue 32): the import of the package, `escalation --help`, and `fit_hawkes` on the
bundled data, each against the bare operation it rests on.

Run from the project root after `pip install .`: ``python benchmarks/bench_startup.py [--repeat 5]``. Each
measurement runs in a fresh interpreter (the import is what is measured, so it cannot be warm), with the
environment as a user has it: no OMP/OpenBLAS/MKL thread variables (they are removed for the child).

- **import escalation**: ``python -c "import escalation"`` against ``python -c "pass"``, and the cumulative
  import time of the package as ``python -X importtime`` reports it;
- **escalation --help**: the console command against ``python -c "import argparse"``;
- **fit_hawkes (bundled, 62 events)**: the fit against ``import pandas`` alone, the same fresh process each.
"""

from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
import time

CLEAN = {k: v for k, v in os.environ.items() if k not in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS",
                                                           "MKL_NUM_THREADS")}  # fmt: skip
#: the first fit loads SciPy's optimisers (lazily imported); the second is the fit alone
FIT = ("import time, escalation as esc; ev = esc.datasets.load_iraq_2019_2021(); esc.fit_hawkes(ev); "
       "t = time.perf_counter(); esc.fit_hawkes(ev); print(time.perf_counter() - t)")  # fmt: skip


def wall(argv: list[str], repeat: int) -> float:
    best = float("inf")
    for _ in range(repeat):
        t = time.perf_counter()
        subprocess.run(argv, env=CLEAN, check=True, capture_output=True)
        best = min(best, time.perf_counter() - t)
    return best


def import_cumulative() -> float:
    err = subprocess.run([sys.executable, "-X", "importtime", "-c", "import escalation"], env=CLEAN, check=True,
                         capture_output=True, text=True).stderr  # fmt: skip
    last = [line for line in err.splitlines() if re.search(r"\|\s*escalation$", line)][-1]
    return int(last.split("|")[1]) / 1e6


def fit_seconds(repeat: int) -> float:
    return min(float(subprocess.run([sys.executable, "-c", FIT], env=CLEAN, check=True, capture_output=True,
                                    text=True).stdout) for _ in range(repeat))  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    python = sys.executable
    command = os.path.join(os.path.dirname(python), "escalation")
    rows = [
        ("import escalation (wall)", wall([python, "-c", "import escalation"], args.repeat),
         wall([python, "-c", "pass"], args.repeat), "python -c pass"),
        ("import escalation (-X importtime, cumulative)", import_cumulative(), float("nan"), ""),
        ("escalation --help (wall)", wall([command, "--help"], args.repeat),
         wall([python, "-c", "import argparse"], args.repeat), "python -c 'import argparse'"),
        ("fit_hawkes, bundled 62 events (second fit)", fit_seconds(args.repeat),
         wall([python, "-c", "import pandas"], args.repeat), "python -c 'import pandas' (wall)"),
    ]  # fmt: skip
    print(f"{'measure':48s} {'seconds':>8s} {'bare s':>8s}  bare")
    for name, seconds, bare, what in rows:
        print(f"{name:48s} {seconds:8.3f} {bare:8.3f}  {what}")


if __name__ == "__main__":
    main()
