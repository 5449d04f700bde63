"""What makes an answer sooner: hazard ratios with their intervals, beside what the tides alone give."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any

import numpy as np

from .style import OTHER_COLOUR, get_ax, side_colours

if TYPE_CHECKING:
    from matplotlib.axes import Axes

    from ..stats.answers import AnswerModelResult
    from ..stats.delay import AnswerDelayResult


def hazard_ratios(
    result: AnswerModelResult,
    *,
    ax: Axes | None = None,
    all_sides: Iterable[str] | None = None,
    per: Mapping[str, tuple[str, float]] | None = None,
    title: str | None = None,
) -> Axes:
    """One line per direction and term: the hazard ratio (dot) with its clustered interval, coloured by the
    answering side, over a grey bar of what the tides alone give (95% of the draws). A log axis, 1 marked:
    right of it, actions with more of the trait are followed sooner. Terms not estimated are left out and
    counted in the axis label. ``per`` shows a term per another unit: ``{term: (label, factor)}`` raises its
    ratios to ``factor`` (``{"log1p(fatalities)": ("deaths, per doubling", log 2)}``).
    """
    s = result.summary()
    shown = s[np.isfinite(s["hazard_ratio"].to_numpy(float))].reset_index(drop=True)
    for term, (label, factor) in (per or {}).items():
        at = shown["term"] == term
        ratios = ["hazard_ratio", "lower", "upper", "chance_lower", "chance_upper"]
        shown.loc[at, ratios] = np.exp(np.log(shown.loc[at, ratios].astype(float)) * factor)
        shown.loc[at, "term"] = label
    ax = get_ax(ax, figsize=(7, 0.9 + 0.42 * max(len(shown), 1)))
    responders = [str(g).split(" answering ")[0] for g in shown["group"]]
    colours = side_colours(responders, all_sides if all_sides is not None else result.events.palette())
    y = np.arange(len(shown))[::-1]
    for i, row in shown.iterrows():
        at = y[i]
        if np.isfinite(row["chance_lower"]):
            ax.plot([row["chance_lower"], row["chance_upper"]], [at, at], color=OTHER_COLOUR, lw=7, alpha=0.45,
                    solid_capstyle="butt", label="what the tides give" if i == 0 else None)  # fmt: skip
        colour = colours.get(responders[i], OTHER_COLOUR) if result.by is not None else "#333333"
        ax.plot([row["lower"], row["upper"]], [at, at], color=colour, lw=1.6)
        ax.plot([row["hazard_ratio"]], [at], "o", color=colour, ms=6)
    ax.axvline(1.0, color="#555555", lw=0.8)
    _ratio_axis(ax, shown)
    ax.set_yticks(y, [f"{g}\n{t}" if result.by is not None else str(t)
                      for g, t in zip(shown["group"], shown["term"], strict=True)], fontsize="small")  # fmt: skip
    ax.set_ylim(-0.7, len(shown) - 0.3)
    left_out = len(s) - len(shown)
    ax.set_xlabel("hazard ratio (right of 1: followed sooner)"
                  + (f"; {left_out} rows not estimated" if left_out else ""), fontsize="small")  # fmt: skip
    ax.grid(axis="x", alpha=0.3)
    if shown["chance_lower"].notna().any():
        ax.legend(fontsize="small", frameon=True, framealpha=0.85, edgecolor="none", loc="best")
    if title:
        ax.set_title(title)
    return ax


#: Ticks of a ratio axis: round numbers and their reciprocals, read without powers of ten.
_RATIO_TICKS = (0.1, 0.2, 0.25, 0.33, 0.5, 0.67, 0.8, 1.0, 1.25, 1.5, 2.0, 3.0, 4.0, 5.0, 10.0)


def _ratio_axis(ax: Axes, shown: Any) -> None:
    """A log axis with a few plain ticks ("0.8", "1", "1.25") that span the drawn ratios."""
    from matplotlib.ticker import FixedLocator, FuncFormatter, NullLocator

    ax.set_xscale("log")
    columns = [c for c in ("lower", "upper", "chance_lower", "chance_upper", "hazard_ratio") if c in shown]
    values = shown[columns].to_numpy(float)
    values = values[np.isfinite(values) & (values > 0)]
    low, high = (min(values.min(), 1.0), max(values.max(), 1.0)) if values.size else (0.5, 2.0)
    pad = (high / low) ** 0.06
    ax.set_xlim(low / pad, high * pad)
    ticks = [t for t in _RATIO_TICKS if low / pad <= t <= high * pad]
    ax.xaxis.set_major_locator(FixedLocator(ticks))
    ax.xaxis.set_minor_locator(NullLocator())
    ax.xaxis.set_major_formatter(FuncFormatter(lambda v, _: f"{v:g}"))


def answer_delays(
    result: AnswerDelayResult,
    *,
    ax: Axes | None = None,
    all_sides: Iterable[str] | Mapping[str, str | None] | None = None,
    **kwargs: Any,
) -> Axes:
    """Answers per trigger by day lag, one line per direction whose answers' interval is above zero, in the
    answering side's colour (``all_sides``, by default the data's palette, fixes the colours; error bars:
    1.96 standard errors); ``kwargs`` go to ``errorbar``."""
    ax = get_ax(ax, figsize=(6, 3.5))
    shown = result.table[result.table["lower"] > 0]
    colours = side_colours(result.events.side_list(), all_sides or result.events.palette())
    if shown.empty:  # an empty frame would look like a drawing that failed
        ax.text(0.5, 0.5, "no direction's answers per action are above zero\n(95% interval; see result.summary())",
                ha="center", va="center", transform=ax.transAxes, fontsize="small", color="#555555")  # fmt: skip
    for r in shown.to_dict("records"):
        k = result.by_lag[(result.by_lag["trigger_side"] == r["trigger_side"])
                          & (result.by_lag["response_side"] == r["response_side"])]  # fmt: skip
        ax.errorbar(k["lag_days"], k["answers"], yerr=1.96 * k["se"].fillna(0), marker="o", capsize=2,
                    color=colours.get(r["response_side"]),
                    label=f"{r['response_side']} answering {r['trigger_side']}", **kwargs)  # fmt: skip
    ax.set_xlabel("days after the other side's action")
    ax.set_ylabel("answers per action")
    if len(shown):
        ax.legend(frameon=False)
    return ax
