"""Hawkes charts: conditional intensity over time, the branching-matrix heatmap, the Q-Q plot."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

import numpy as np

from .._core.time import UNIT_DAYS
from .._core.vocabulary import renamed_keywords
from .style import MOST_SIDES, date_axis, get_ax, side_colours

if TYPE_CHECKING:
    from matplotlib.axes import Axes

    from ..stats.hawkes import HawkesResult, MarkedHawkesResult
    from ..stats.hawkes.dyadic import DyadicHawkes


@renamed_keywords(sides="show")
def hawkes_intensity(
    result: HawkesResult,
    *,
    ax: Axes | None = None,
    points: int = 1500,
    show: Sequence[str] | None = None,
    all_sides: Iterable[str] | None = None,
    title: str | None = None,
) -> Axes:
    """Each side's fitted conditional intensity (events per time unit) over time, with its events as ticks.

    ``show`` limits the lines to those sides (default: all; before 0.2 ``sides``, which everywhere else is the
    actor -> side mapping); ``all_sides`` fixes the colours to those of the other figures (default
    ``result.all_sides``).
    """
    ax = get_ax(ax, figsize=(10, 3.8))
    drawn = [s for s in result.sides if show is None or s in set(show)]
    lam = result.intensity(points)[drawn]
    colours = side_colours(result.sides, all_sides or result.all_sides)
    for side in lam.columns:
        ax.plot(lam.index, lam[side], color=colours[side], lw=1.0, label=side)
    ymax = float(np.nanmax(lam.to_numpy())) if lam.size else 1.0
    unit = UNIT_DAYS[result.data.time_unit]
    import pandas as pd

    when = result.data.origin + pd.to_timedelta(result.data.times * unit, unit="D")
    for k, side in enumerate(drawn):
        mine = result.data.dims == result.sides.index(side)
        ax.plot(when[mine], np.full(mine.sum(), -0.04 * ymax * (k + 1)), "|", color=colours[side], ms=5)
    unit_name = {"D": "day", "h": "hour", "W": "week"}[result.data.time_unit]
    ax.set_ylabel(f"events per {unit_name}")
    date_axis(ax)
    ax.grid(alpha=0.3)
    ax.legend(fontsize="small", frameon=False, loc="upper right")
    if title:
        ax.set_title(title)
    return ax


def hawkes_adjacency(result: HawkesResult, *, ax: Axes | None = None, title: str | None = None) -> Axes:
    """Heatmap of ``adjacency[i, j]``: events of the row side set off by one event of the column side; each cell
    is labelled with its value and standard error up to six sides, beyond which the labels cannot be read."""
    ax = get_ax(ax, figsize=(4.8, 4.2))
    a = result.adjacency
    image = ax.imshow(a, cmap="Reds", vmin=0, vmax=max(1.0, float(a.max())))
    n = len(result.sides)
    cells = [(i, j) for i in range(n) for j in range(n)] if n <= MOST_SIDES else []  # beyond: colour alone
    for i, j in cells:
        se = result.adjacency_se[i, j]
        text = f"{a[i, j]:.2f}" + (f"\n±{se:.2f}" if np.isfinite(se) else "")
        ax.text(j, i, text, ha="center", va="center", fontsize="small",
                color="white" if a[i, j] > 0.6 * max(1.0, a.max()) else "black")  # fmt: skip
    ax.set_xticks(range(n), result.sides, rotation=30, ha="right")
    ax.set_yticks(range(n), result.sides)
    ax.set_xlabel("source side (one event)")
    ax.set_ylabel("events set off, side")
    ax.figure.colorbar(image, ax=ax, fraction=0.046, pad=0.04)
    ax.set_title(title or f"branching ratio {result.branching_ratio:.2f}")
    return ax


def hawkes_qq(
    result: HawkesResult,
    *,
    ax: Axes | None = None,
    sides: Sequence[str] | None = None,
    all_sides: Iterable[str] | None = None,
    title: str | None = None,
) -> Axes:
    """Q-Q plot of time-rescaled gaps against Exp(1), per side: points on the diagonal mean a good fit.

    ``sides`` limits the points to those sides; ``all_sides`` fixes the colours (as :func:`hawkes_intensity`).
    """
    ax = get_ax(ax, figsize=(4.8, 4.5))
    colours = side_colours(result.sides, all_sides or result.all_sides)
    top = 0.0
    pvalues = dict(zip(result.goodness_of_fit["side"], result.goodness_of_fit["ks_pvalue"], strict=True))
    for side, gaps in result.rescaled_times.items():
        if len(gaps) < 2 or (sides is not None and side not in set(sides)):
            continue
        q = np.sort(gaps)
        p = (np.arange(1, len(q) + 1) - 0.5) / len(q)
        theory = -np.log1p(-p)
        pvalue = pvalues[side]
        ax.plot(theory, q, ".", ms=3, color=colours[side], label=f"{side} (KS p = {pvalue:.2g})")
        top = max(top, float(theory[-1]), float(q[-1]))
    ax.plot([0, top], [0, top], color="#555555", lw=0.8)
    ax.set_xlabel("Exp(1) quantiles")
    ax.set_ylabel("rescaled gaps")
    ax.legend(fontsize="small", frameon=True, framealpha=0.85, edgecolor="none", loc="upper left")
    ax.grid(alpha=0.3)
    if title:
        ax.set_title(title)
    return ax


def dyadic_answers(
    result: DyadicHawkes,
    *,
    ax: Axes | None = None,
    all_sides: Iterable[str] | Mapping[str, str | None] | None = None,
    **kwargs: Any,
) -> Axes:
    """Expected answers per event of the reverse dyad (``reverse``), one bar per dyad, in the acting side's
    colour (``all_sides``: the data's sides or palette, which fixes the colours; by default the model's
    sides); ``kwargs`` go to ``barh``."""
    ax = get_ax(ax, figsize=(6, 0.4 * len(result.data.dyads) + 1))
    table = result.to_frame()
    sides = sorted(set(table["actor_side"]) | set(table["target_side"]))
    colours = side_colours(sides, all_sides or sides)
    labels = table["actor_side"] + " -> " + table["target_side"]
    ax.barh(labels, table["reverse"], color=[colours[s] for s in table["actor_side"]], **kwargs)
    ax.set_xlabel("expected answers per event of the other side")
    return ax


def mark_profiles(result: MarkedHawkesResult, *, ax: Axes | None = None, **kwargs: Any) -> Axes:
    """The profile log-likelihood of each mark's ``gamma`` (minus the maximum), 0 (no effect of the mark) and
    the likelihood-ratio cut-off at ``1 - alpha``; ``kwargs`` go to each line."""
    from scipy import stats as sps

    ax = get_ax(ax, figsize=(6, 3.2))
    cut = sps.chi2.ppf(1 - result.alpha, 1) / 2
    for term, part in result.profile.groupby("term", sort=False):
        ax.plot(part["gamma"], part["loglik"] - result.loglik, label=str(term), **kwargs)
    ax.axhline(-cut, color="#777777", lw=0.8, ls="--", label=f"{100 * (1 - result.alpha):g}% cut-off")
    ax.axvline(0.0, color="#333333", lw=0.8)
    ax.set_xlabel("gamma (log of the excitation multiplier per unit of the mark)")
    ax.set_ylabel("log-likelihood - maximum")
    ax.legend(fontsize="small", frameon=True, framealpha=0.85, edgecolor="none")
    return ax
