"""Does each side's killing follow the other's? Granger tests on B'Tselem's fatality records, 2000-2008.

Reads the per-victim table (one row per person killed) with a column mapping
and a sides file, counts deaths per day caused by each side, and prints the VAR
Granger tests, the count-model tests and a sentence per direction: the design
of Jaeger & Paserman (AER 2008) and Haushofer, Biletzki & Kanwisher (PNAS 2010).
p-values come from the cause's series rotated within 14-day blocks (keeping
both sides' shared phases) and are adjusted across the table (Holm); the
published specifications one by one are in btselem_published_specs.py.

Run from the project root (the data live outside the project, in ../shared):

    python examples/israel_palestine_reciprocity.py [PATH_TO_CSV] [--until 2008-12-31] [--freq D]
"""

from __future__ import annotations

import argparse
import sys

from _btselem import DEFAULT, SIDES, columns

import escalation as esc

COLUMNS = columns("type_of_injury")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("path", nargs="?", default=str(DEFAULT), help="B'Tselem fatalities CSV")
    parser.add_argument("--since", default="2000-09-29", help="first day (default: start of the second intifada)")
    parser.add_argument("--until", default="2008-12-31", help="last day included (default 2008-12-31)")
    parser.add_argument("--freq", default="D", choices=["D", "W", "M"])
    args = parser.parse_args()
    try:
        events = esc.read_events(args.path, columns=COLUMNS, per_victim=True, sides=SIDES)
    except esc.EscalationError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    print(events)
    result = esc.reciprocity(events, freq=args.freq, measure="fatalities", start=args.since, end=args.until)
    print(f"{args.since} to {args.until} (inclusive), zero-filled\n")
    print(result)
    for sentence in result.sentences():
        print(f"- {sentence}")
    print()
    print(result.tests.round(4).to_string(index=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
