"""Benchmark: pandas vs Dask on archives written to disk (read + link + daily counts).

Run:  python benchmarks/bench_scale.py [--sizes 1e6 1e7 5e7] [--rows-per-file 1e6] [--workers 2]

For each size it writes a synthetic archive of canonical CSV files (200 sides, bursty
times, a third with clock times; ``benchmarks/_data/``, reused when present), then runs
each engine in a fresh Python process and reports wall time and the peak resident
memory of that process *and all its children* (Dask's worker processes), sampled
every 0.2 s from /proc:

* pandas: ``read_events`` per file, concatenated, ``link``, ``side_series`` (daily counts);
* dask: ``convert`` of the CSV files to a Parquet dataset (the one pass over the text),
  then from it ``link_dask`` written to Parquet and ``counts_by_period`` (daily), on a
  LocalCluster of ``--workers`` single-threaded workers of ``--memory-limit`` each
  (Dask spills to disk past 60-70% of it and the shuffle stages on disk).

A run that fails is reported as such; a run whose processes pass ``--ceiling-gib`` of
resident memory together is stopped (so that pandas running out of memory on the
largest archive is a measured failure, not the kernel killing some process).
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd

HERE = Path(__file__).resolve().parent
DATA = HERE / "_data"
PAGE = os.sysconf("SC_PAGE_SIZE")


def write_archive(n: int, rows_per_file: int, seed: int = 0) -> Path:
    folder = DATA / f"archive_{n:.0e}".replace("+", "")
    done = folder / "_complete"
    if done.exists():
        return folder
    folder.mkdir(parents=True, exist_ok=True)
    rng = np.random.default_rng(seed)
    n_sides = 200
    names = np.array([f"side{k:03d}" for k in range(n_sides)])
    types = np.array(["rocket attack", "airstrike", "armed clash", "threat"])
    files = int(np.ceil(n / rows_per_file))
    for k in range(files):
        m = min(rows_per_file, n - k * rows_per_file)
        weights = 1.0 / np.arange(1, n_sides + 1) ** 0.8
        a = rng.choice(n_sides, m, p=weights / weights.sum())
        t = (a + rng.integers(1, n_sides, m)) % n_sides
        day = rng.uniform(0, 3650, m)
        timed = rng.random(m) < 0.33
        when = pd.Timestamp("2010-01-01") + pd.to_timedelta(np.floor(day * 1440), unit="min")
        dates = np.where(timed, when.strftime("%Y-%m-%dT%H:%M"), when.strftime("%Y-%m-%d"))
        ids = np.char.add(f"f{k:04d}-", np.arange(m).astype(str))
        kinds = types[rng.integers(0, 4, m)]
        deaths = rng.poisson(1.0, m)
        table = pd.DataFrame(
            {
                "event_id": ids,
                "date": dates,
                "actor": names[a],
                "target": names[t],
                "event_type": kinds,
                "fatalities": deaths,
            }
        )
        table.to_csv(folder / f"events_{k:04d}.csv", index=False)
    done.touch()
    return folder


def run_pandas(folder: Path) -> dict[str, float]:
    import escalation as esc
    from escalation.stats.reciprocity.analysis import side_series

    t0 = time.perf_counter()
    parts = [esc.read_events(p) for p in sorted(folder.glob("events_*.csv"))]
    frame = pd.concat([p.frame for p in parts], ignore_index=True).sort_values(["date", "event_id"], kind="stable")
    events = esc.Events(frame=frame.reset_index(drop=True), rejections=parts[0].rejections.iloc[:0],
                        provenance={"rows_read": sum(p.n_read for p in parts)})  # fmt: skip
    t1 = time.perf_counter()
    links = esc.link(events, window="30D")
    t2 = time.perf_counter()
    counts = side_series(events, freq="D", measure="events")
    t3 = time.perf_counter()
    return {"read": t1 - t0, "link": t2 - t1, "counts": t3 - t2, "events": len(frame), "links": len(links),
            "chains": int(links["chain_id"].max()), "periods": len(counts)}  # fmt: skip


def run_dask(
    folder: Path, workers: int, memory_limit: str, partitions: int | None = None, chain_ids: bool = True
) -> dict[str, float]:
    import logging

    import distributed
    import pyarrow.dataset as pads

    from escalation.engine.dask import convert, counts_by_period, link_dask, read_events_dask

    with distributed.LocalCluster(n_workers=workers, threads_per_worker=1, memory_limit=memory_limit,
                                  dashboard_address=":0", silence_logs=logging.ERROR) as cluster, \
            distributed.Client(cluster):  # fmt: skip
        t0 = time.perf_counter()
        converted = DATA / "events.parquet"
        counts = convert(sorted(folder.glob("events_*.csv")), converted)  # the one pass over the text
        ev = read_events_dask(converted)
        t1 = time.perf_counter()
        out = DATA / "links.parquet"
        links = link_dask(ev, window="30D", input_partitions=partitions, chain_ids=chain_ids)
        links.to_parquet(out, write_index=False, overwrite=True)
        t2 = time.perf_counter()
        table = counts_by_period(ev, freq="D")
        t3 = time.perf_counter()
        written = pads.dataset(out)
        chains = -1
        if chain_ids:  # the largest chain number is the number of chains
            chains = int(written.to_table(columns=["chain_id"]).column("chain_id").to_numpy().max())
        return {"read": t1 - t0, "link": t2 - t1, "counts": t3 - t2, "events": counts["accepted"],
                "links": written.count_rows(), "chains": chains, "periods": len(table)}  # fmt: skip


def tree_rss(pid: int) -> int:
    """Resident bytes of a process and all its descendants."""
    children: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat") as f:
                    ppid = int(f.read().rsplit(")", 1)[1].split()[1])
                children.setdefault(ppid, []).append(int(entry))
            except (OSError, IndexError, ValueError):
                continue
    total, todo = 0, [pid]
    while todo:
        p = todo.pop()
        try:
            with open(f"/proc/{p}/statm") as f:
                total += int(f.read().split()[1]) * PAGE
        except OSError:
            pass
        todo.extend(children.get(p, []))
    return total


def measure(
    engine: str,
    folder: Path,
    workers: int,
    memory_limit: str,
    ceiling_gib: float,
    partitions: int | None = None,
    chain_ids: bool = True,
) -> dict[str, object]:
    cmd = [sys.executable, __file__, "--run", engine, "--folder", str(folder), "--workers", str(workers),
           "--memory-limit", memory_limit]  # fmt: skip
    if partitions:
        cmd += ["--partitions", str(partitions)]
    if not chain_ids:
        cmd += ["--no-chain-ids"]
    t0 = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, start_new_session=True)
    peak = 0
    while proc.poll() is None:
        peak = max(peak, tree_rss(proc.pid))
        if peak > ceiling_gib * 2**30:  # stop before the kernel's OOM killer picks a victim
            os.killpg(proc.pid, signal.SIGKILL)  # the child and its workers: it leads its own session
            proc.wait()
            return {"engine": engine, "ok": False, "wall": time.perf_counter() - t0, "peak_gib": peak / 2**30,
                    "error": f"stopped: memory passed the {ceiling_gib:g} GiB ceiling"}  # fmt: skip
        time.sleep(0.2)
    out, err = proc.communicate()
    wall = time.perf_counter() - t0
    if proc.returncode != 0:
        return {"engine": engine, "ok": False, "wall": wall, "peak_gib": peak / 2**30,
                "error": (err.strip().splitlines() or ["killed"])[-1][:120]}  # fmt: skip
    return {"engine": engine, "ok": True, "wall": wall, "peak_gib": peak / 2**30, **json.loads(out)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", nargs="+", type=float, default=[1e6, 1e7, 5e7])
    parser.add_argument("--rows-per-file", type=float, default=1e6)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--engines", nargs="+", default=["pandas", "dask"])
    parser.add_argument("--memory-limit", default="8GiB", help="memory limit of each Dask worker (default 8GiB)")
    parser.add_argument("--partitions", type=int, help="Dask: link_dask(input_partitions=...) (default: one per file)")
    parser.add_argument("--no-chain-ids", action="store_true", help="Dask: link_dask(chain_ids=False)")
    parser.add_argument(
        "--ceiling-gib",
        type=float,
        default=21.0,
        help="stop a run whose processes together pass this resident memory (default 21)",
    )
    parser.add_argument("--run", help=argparse.SUPPRESS)
    parser.add_argument("--folder", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.run:  # a child process: run one engine and print its timings as JSON
        folder = Path(args.folder)
        result = (run_pandas(folder) if args.run == "pandas"
                  else run_dask(folder, args.workers, args.memory_limit, args.partitions,
                                not args.no_chain_ids))  # fmt: skip
        print(json.dumps(result))
        return
    print(f"{'events':>11} {'engine':>7} {'wall s':>8} {'peak GiB':>9} {'read s':>8} {'link s':>8} "
          f"{'counts s':>9} {'links':>11} {'chains':>10}")  # fmt: skip
    for size in args.sizes:
        folder = write_archive(int(size), int(args.rows_per_file))
        for engine in args.engines:
            r = measure(
                engine,
                folder,
                args.workers,
                args.memory_limit,
                args.ceiling_gib,
                args.partitions,
                not args.no_chain_ids,
            )
            if r["ok"]:
                print(f"{int(size):>11,} {engine:>7} {r['wall']:>8.1f} {r['peak_gib']:>9.2f} {r['read']:>8.1f} "
                      f"{r['link']:>8.1f} {r['counts']:>9.1f} {int(r['links']):>11,} {int(r['chains']):>10,}",
                      flush=True)  # fmt: skip
            else:
                print(f"{int(size):>11,} {engine:>7} {r['wall']:>8.1f} {r['peak_gib']:>9.2f}  failed: {r['error']}",
                      flush=True)  # fmt: skip


if __name__ == "__main__":
    main()
