"""Which events may be answered and which count as answers: the options ``escalation survival`` and
``escalation answers`` share, and the filters they give."""

from __future__ import annotations

import argparse
from typing import Any


def add_answer_filter_arguments(parser: argparse.ArgumentParser) -> None:
    """``--trigger-type`` and ``--response-type`` (each repeatable)."""
    parser.add_argument("--trigger-type", action="append", metavar="TYPE",
                        help="only events of this event_type may be answered (repeat for several); the others stay "
                             "in the data and in the comparison with chance")  # fmt: skip
    parser.add_argument("--response-type", action="append", metavar="TYPE",
                        help="only events of this event_type count as answers (repeat for several)")  # fmt: skip


def answer_filters(args: argparse.Namespace) -> tuple[dict[str, Any] | None, dict[str, Any] | None]:
    """The ``triggers`` and ``responses`` filters of :func:`escalation.time_to_response` from the options."""
    triggers = {"event_type": args.trigger_type} if args.trigger_type else None
    responses = {"event_type": args.response_type} if args.response_type else None
    return triggers, responses
