"""Benchmark: the chance baselines of links ("came after", "followed by") at 10^5 and 10^6 events.

Run:  python benchmarks/bench_baseline.py [--sizes 1e5 1e6] [--previous 706c72b]

Events: ``_common.synthetic_events`` (200 sides, bursty times, a third with clock times). For each size, in one
process (peak resident memory above the start, sampled every 5 ms):

* ``bare search x200``: the operation every draw cannot avoid, one ``numpy.searchsorted`` of every response
  among every trigger sorted by (dyad, time), done 200 times;
* ``came after`` and ``followed by``: :func:`escalation.chance.links.link_baseline` and
  :func:`~escalation.chance.links.answered_baseline` with their defaults (199 rotations within 14-day blocks);
* with ``--previous REF``: the same two baselines as ``escalation/baseline.py`` computed them at git revision
  ``REF`` (circular shifts of whole series), loaded from ``git show`` for the comparison and not kept.

Issue 29's cost goal: the tide-keeping nulls within 3x of the previous baselines at 10^6 events.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import types
from pathlib import Path

import numpy as np
import pandas as pd

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from _common import measure, synthetic_events  # noqa: E402

from escalation._core.keys import dyad_codes, side_vocabulary  # noqa: E402
from escalation._core.time import (  # noqa: E402
    event_times,
    order_keys,
    sorted_frame,
)
from escalation.chance.links import answered_baseline, link_baseline  # noqa: E402


def previous_module(ref: str) -> types.ModuleType:
    """``escalation/baseline.py`` as it was at ``ref``, imported under another name."""
    source = subprocess.run(["git", "show", f"{ref}:escalation/baseline.py"], capture_output=True, text=True,
                            check=True, cwd=HERE.parent).stdout  # fmt: skip
    source = source.replace("from ._keys", "from escalation._core.keys").replace(
        "from ._time", "from escalation._core.time"
    )
    module = types.ModuleType("previous_baseline")
    sys.modules[module.__name__] = module  # its dataclasses look their module up there
    exec(compile(source, f"{ref}:escalation/baseline.py", "exec"), module.__dict__)
    return module


def bare_search(frame: pd.DataFrame, draws: int = 200) -> int:
    a, t, names = side_vocabulary(frame)
    dyad, rev, dyadic = dyad_codes(a, t, len(names))
    earlier, later = order_keys(event_times(frame))
    span = int(later.max() - later.min()) + 86_401
    start = int(later.min())
    keys = np.sort(dyad[dyadic] * span + (earlier[dyadic] - start))
    needles = np.sort(rev[dyadic] * span + (later[dyadic] - start))  # sorted, as the baselines search them
    found = 0
    for k in range(draws):
        found += int(np.searchsorted(keys, needles + k * 86_400).sum() > 0)
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", nargs="+", type=float, default=[1e5, 1e6])
    parser.add_argument("--previous", metavar="REF", help="also time the baselines of git revision REF")
    args = parser.parse_args()
    previous = previous_module(args.previous) if args.previous else None
    print(f"{'events':>10} {'step':>24} {'seconds':>8} {'peak MiB':>9}")
    for size in args.sizes:
        n = int(size)
        frame = sorted_frame(synthetic_events(n))
        end = frame["date"].max()
        window = pd.Timedelta("30D")
        steps = {
            "bare search x200": lambda f=frame: bare_search(f),
            "came after": lambda f=frame, w=window: link_baseline(f, w),
            "followed by": lambda f=frame, w=window, e=end: answered_baseline(f, w, e),
        }
        if previous is not None:
            steps["came after (previous)"] = lambda f=frame, w=window: previous.link_baseline(f, w)
            steps["followed by (previous)"] = lambda f=frame, w=window, e=end: previous.answered_baseline(f, w, e)
        for name, fn in steps.items():
            _, seconds, peak = measure(fn)
            print(f"{n:>10,} {name:>24} {seconds:>8.1f} {peak / 2**20:>9.0f}", flush=True)


if __name__ == "__main__":
    main()
