"""A held-out look: an ACLED-shaped export the report was never tuned on.

No real ACLED or GDELT export can be fetched on the machines this package is built on, so this script writes
a stand-in with the features of one that the bundled data and B'Tselem do not have: eleven actors named as
ACLED names them, civilians who are only ever targets, events with no ``actor2``, ACLED's 25 sub-event
types under its 6 event types, ``inter1``/``inter2`` codes, and three years of several thousand events set
off by one another (a seeded multivariate Hawkes process, so which event answered which is known).

Run ``python examples/heldout_acled.py /tmp/heldout.csv`` and then
``escalation report /tmp/heldout.csv -o /tmp/heldout_report``; the report has to stay readable.
"""

from __future__ import annotations

import sys

import numpy as np
import pandas as pd

import escalation as esc

SYRIA, RUSSIA = "Military Forces of Syria (2000-2024)", "Military Forces of Russia (2000-)"
TURKEY = "Military Forces of Turkey (2016-)"
US, ISRAEL = "Military Forces of the United States (2021-2025)", "Military Forces of Israel (2022-)"
HTS, IS, SDF = "Hayat Tahrir al-Sham", "Islamic State (Syria)", "Syrian Democratic Forces"
IRI = "Islamic Resistance in Iraq"
CIVILIANS = "Civilians (Syria)"
#: (name, ACLED inter code, the targets it picks and how often; "" is an event with no actor2)
ACTORS = [
    (SYRIA, 1, {HTS: 5, CIVILIANS: 3, IS: 1}),
    (RUSSIA, 8, {HTS: 4, CIVILIANS: 2}),
    (HTS, 2, {SYRIA: 6, RUSSIA: 1}),
    (IS, 2, {SDF: 4, SYRIA: 2, CIVILIANS: 1}),
    (SDF, 2, {IS: 4, TURKEY: 2}),
    (TURKEY, 8, {SDF: 5, CIVILIANS: 1}),
    (US, 8, {IS: 3, IRI: 2}),
    (IRI, 2, {US: 5}),
    (ISRAEL, 8, {SYRIA: 2, "Hezbollah": 3}),
    ("Hezbollah", 2, {ISRAEL: 3}),
    ("Unidentified Armed Group (Syria)", 3, {CIVILIANS: 4, "": 3}),
]
TYPES = {
    "Battles": ["Armed clash", "Government regains territory", "Non-state actor overtakes territory"],
    "Explosions/Remote violence": ["Air/drone strike", "Shelling/artillery/missile attack",
                                   "Remote explosive/landmine/IED", "Suicide bomb", "Grenade"],
    "Violence against civilians": ["Attack", "Abduction/forced disappearance"],
    "Strategic developments": ["Arrests", "Looting/property destruction", "Disrupted weapons use"],
}  # fmt: skip
PLACES = [("Idlib", 35.93, 36.63), ("Aleppo", 36.20, 37.16), ("Deir ez-Zor", 35.34, 40.14),
          ("Raqqa", 35.95, 39.01), ("Al-Hasakah", 36.50, 40.75), ("Damascus", 33.51, 36.29),
          ("Daraa", 32.63, 36.10), ("Tal Abyad", 36.70, 38.95), ("Al-Tanf", 33.49, 38.62)]  # fmt: skip


def export(seed: int = 2024, years: float = 3.0) -> pd.DataFrame:
    """An ACLED-shaped table of about 4,000 events."""
    rng = np.random.default_rng(seed)
    names = [a[0] for a in ACTORS]
    k = len(names)
    baseline = np.full(k, 0.12)
    adjacency = np.zeros((k, k))
    for i, (_, _, targets) in enumerate(ACTORS):
        for target, weight in targets.items():
            if target in names:  # the target answers its attacker
                adjacency[i, names.index(target)] = 0.06 * weight
    adjacency *= 0.8 / max(np.abs(np.linalg.eigvals(adjacency)).max(), 1e-9)  # stationary, branching 0.8
    sim = esc.stats.hawkes.simulate_hawkes(baseline, adjacency, decay=0.5, length=365.25 * years, sides=names,
                                           seed=seed, origin="2022-01-01")  # fmt: skip
    n = len(sim)
    acting = sim["actor"].map({a[0]: i for i, a in enumerate(ACTORS)}).to_numpy()
    target = np.empty(n, dtype=object)
    inter_of = {a[0]: a[1] for a in ACTORS} | {CIVILIANS: 7, "": 0}
    for i, (_, _, targets) in enumerate(ACTORS):
        rows = np.flatnonzero(acting == i)
        options, weights = list(targets), np.array(list(targets.values()), float)
        target[rows] = rng.choice(options, size=len(rows), p=weights / weights.sum())
    inter2 = np.array([inter_of[t] for t in target])
    kinds = [(t, s) for t, subs in TYPES.items() for s in subs]
    kind = np.array(kinds, dtype=object)[rng.integers(0, len(kinds), n)]
    civilians = target == CIVILIANS
    kind[civilians] = ("Violence against civilians", "Attack")
    place = rng.integers(0, len(PLACES), n)
    lat = np.array([p[1] for p in PLACES])[place] + rng.normal(0, 0.08, n)
    lon = np.array([p[2] for p in PLACES])[place] + rng.normal(0, 0.08, n)
    deaths = rng.negative_binomial(0.6, 0.25, n)
    inter1 = np.array([a[1] for a in ACTORS])[acting]
    dates = pd.to_datetime(sim["date"]).dt.normalize()
    return pd.DataFrame({
        "event_id_cnty": [f"SYR{i + 1:05d}" for i in range(n)],
        "event_date": dates.dt.strftime("%Y-%m-%d"),
        "year": dates.dt.year,
        "time_precision": rng.choice([1, 2], n, p=[0.9, 0.1]),
        "disorder_type": "Political violence",
        "event_type": kind[:, 0],
        "sub_event_type": kind[:, 1],
        "actor1": sim["actor"],
        "assoc_actor_1": "",
        "inter1": inter1,
        "actor2": target,
        "assoc_actor_2": "",
        "inter2": inter2,
        "interaction": inter1 * 10 + inter2,
        "civilian_targeting": np.where(civilians, "Civilian targeting", ""),
        "iso": 760,
        "region": "Middle East",
        "country": "Syria",
        "admin1": np.array([p[0] for p in PLACES])[place],
        "location": np.array([p[0] for p in PLACES])[place],
        "latitude": lat.round(4),
        "longitude": lon.round(4),
        "geo_precision": 1,
        "source": rng.choice(["SOHR", "Step News Agency", "Enab Baladi", "Reuters"], n),
        "source_scale": "National",
        "notes": "Simulated event (examples/heldout_acled.py); not a real report.",
        "fatalities": deaths,
        "tags": "",
    })  # fmt: skip


if __name__ == "__main__":
    out = sys.argv[1] if len(sys.argv) > 1 else "heldout_acled.csv"
    table = export()
    table.to_csv(out, index=False)
    print(f"{out}: {len(table)} events, {table['event_date'].min()} to {table['event_date'].max()}")
