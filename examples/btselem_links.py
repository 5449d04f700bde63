"""Which killings answered which? Incidents, links against chance and Hawkes link probabilities on B'Tselem.

Reads the per-victim table (one row per person killed), groups the victims into
incidents (same day, perpetrator side, victim side and place), then prints:

1. how many rows became how many incidents;
2. the reversal rule's links per direction, and "came after" within 3.5 days
   next to what chance gives when both sides keep their 14-day tides (the
   triggers rotated within each block);
3. "followed by": the share of incidents followed by one of the other side
   within 3.5 days, next to the same chance, and the delay of the answers;
4. the dyadic Hawkes model: per direction, answers per incident of the other
   side and the expected number of answers, the distribution of link
   probabilities, and the links at or above 0.5 with the chains they form;
5. the side-level Hawkes fit on incidents per day.

Run from the project root (the data live outside the project, in ../shared):

    python examples/btselem_links.py [PATH_TO_CSV] [--window 30D]
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from _btselem import DEFAULT, SIDES, columns

import escalation as esc

COLUMNS = columns("ammunition")  # the kind of attack; type_of_injury calls most of them "gunfire"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("path", nargs="?", default=str(DEFAULT), help="B'Tselem fatalities CSV")
    parser.add_argument("--window", default="30D", help="link window (default 30D)")
    args = parser.parse_args()
    if not Path(args.path).is_file():
        print(f"no file at {args.path} (the B'Tselem table is in ../shared/data/btselem/)", file=sys.stderr)
        return 1
    events = esc.read_events(args.path, columns=COLUMNS, per_victim=True, sides=SIDES)
    print(events)
    print(f"{events.n_accepted} victim rows -> {len(events.frame)} incidents; "
          f"largest incident: {int(events.frame['n_rows'].max())} victims\n")  # fmt: skip

    rule = esc.chains(events, window=args.window)
    print(f"Reversal rule: {len(rule.links)} links in {len(rule.chains)} chains; longest chain "
          f"{int(rule.chains['n_steps'].max())} steps")  # fmt: skip
    print(f"Links per direction against chance (\"came after\" {rule.timescale}; the triggers rotated within "
          "each 14-day block, 199 draws):")  # fmt: skip
    print(rule.baseline.round(3).to_string(index=False), "\n")

    ttr = esc.time_to_response(events, window=args.window)
    print(f'Incidents followed by the other side {ttr.timescale}, against chance ("followed by"):')
    print(ttr.baseline.round(3).to_string(index=False), "\n")
    print("The delay of the answers themselves (a Hawkes kernel by day lag over a tide background):")
    print(ttr.answer_delay.summary().round(3).to_string(index=False), "\n")

    hawkes = esc.chains(events, window=args.window, method="hawkes")
    model = hawkes.model
    print(f"{model!r}")
    print(model.to_frame().round(4).to_string(index=False))
    probs = hawkes.link_probabilities["probability"]
    print(f"\nCandidate links with probability >= 0.01: {len(probs)}; sum of probabilities "
          f"{probs.sum():.1f} (the expected number of answers among them); largest {probs.max():.3f}; "
          f">= 0.5: {int((probs >= 0.5).sum())}")  # fmt: skip
    print(f"Links kept (probability >= 0.5, in dyads whose answers the model tells from none): {len(hawkes.links)} "
          f"in {len(hawkes.chains)} chains")  # fmt: skip
    if len(hawkes.chains):
        print(hawkes.chains.sort_values("n_steps", ascending=False).head(5).to_string(index=False))

    fit = esc.fit_hawkes(events)
    print(f"\nSide-level Hawkes fit on incidents: {fit!r}")
    print(fit.conf_int().round(4).to_string(index=False))
    print(fit.goodness_of_fit.round(4).to_string(index=False))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
