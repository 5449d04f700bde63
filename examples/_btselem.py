"""What the B'Tselem examples share: where the file is and how its columns map to events."""

from __future__ import annotations

from pathlib import Path

HERE = Path(__file__).resolve().parent
#: The per-victim table lives outside the project, in ../shared (see ../shared/README.md).
DEFAULT = HERE.parents[1] / "shared" / "data" / "btselem" / "fatalities_isr_pse_conflict_2000_to_2023.csv"
SIDES = HERE / "btselem_sides.json"


def columns(event_type: str = "ammunition") -> dict[str, str]:
    """The column mapping; ``ammunition`` (the kind of attack) or ``type_of_injury`` as the event type."""
    return {
        "date": "date_of_event",
        "actor": "killed_by",
        "target": "citizenship",
        "event_type": event_type,
        "location": "event_location",
        "notes": "notes",
    }
