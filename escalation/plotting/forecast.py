"""What is likely next: each side's forecast probability, and how reliable such forecasts have been."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np

from .style import OTHER_COLOUR, get_ax, side_colours

if TYPE_CHECKING:
    from matplotlib.axes import Axes

    from ..stats.forecasting.evaluate import ForecastEvaluation
    from ..stats.forecasting.predict import ForecastResult


def forecast_bars(
    result: ForecastResult, *, ax: Axes | None = None, all_sides: Any = None, title: str | None = None
) -> Axes:
    """One bar per side: the model's probability of at least one action in the horizon, with its interval (a
    line), and the plain recent-rate forecast (a grey tick); a star where the data show the side did act.
    ``all_sides`` (the data's sides, or their palette) keeps each side's colour of the other figures."""
    table = result.summary()
    ax = get_ax(ax, figsize=(6.5, 0.9 + 0.5 * len(table)))
    colours = side_colours(table["side"], all_sides if all_sides is not None else result.all_sides)
    y = np.arange(len(table))[::-1]
    col = {name: table[name].to_numpy(float) for name in ("probability", "lower", "upper", "recent_probability",
                                                            "observed")}  # fmt: skip
    for k, (at, side) in enumerate(zip(y, table["side"], strict=True)):
        colour = colours.get(str(side), OTHER_COLOUR)
        ax.barh(at, col["probability"][k], color=colour, height=0.55, alpha=0.85)
        if np.isfinite(col["lower"][k]):
            ax.plot([col["lower"][k], col["upper"][k]], [at, at], color="#222222", lw=1.4)
        ax.plot([col["recent_probability"][k]] * 2, [at - 0.33, at + 0.33], color="#555555", lw=2.2, ls=":")
        if np.isfinite(col["observed"][k]):
            acted = col["observed"][k] > 0
            ax.plot([1.03], [at], "*" if acted else "x", color="#222222", ms=9 if acted else 7, clip_on=False)
    ax.set_yticks(y, [f"{s} against {t}" for s, t in zip(table["side"], table["target"], strict=True)],
                  fontsize="small")  # fmt: skip
    ax.set_xlim(0, 1)
    recent = str(result.options.get("recent", "28D"))[:-1]
    ax.set_xlabel(f"probability of at least one action in the {result.horizon_days} days from {result.at.date()}\n"
                  f"(bar: model, line: its 95% interval; dotted: last {recent} days' rate; * acted, x did not)",
                  fontsize="small")  # fmt: skip
    ax.grid(axis="x", alpha=0.3)
    if title:
        ax.set_title(title)
    return ax


def reliability_diagram(
    evaluation: ForecastEvaluation, *, ax: Axes | None = None, forecasters: tuple[str, ...] = ("model", "recent rate"),
    title: str | None = None,
) -> Axes:  # fmt: skip
    """Forecast probability (x) against the share of those forecasts followed by an action (y), per bin: on
    the diagonal, a forecaster means what it says. The grey band is the 95% range a calibrated forecaster's
    share would fall in with the same forecasts (Bröcker & Smith 2007); points are sized by the forecasts in
    their bin."""
    ax = get_ax(ax, figsize=(5.2, 4.6))
    ax.plot([0, 1], [0, 1], color="#777777", lw=0.8, ls="--")
    styles = {"model": ("#222222", "o", "-"), "recent rate": ("#777777", "s", ":"), "season": ("#999999", "^", "-.")}
    for k, name in enumerate(forecasters):
        table = evaluation.reliability(name)
        if table.empty:
            continue
        colour, marker, line = styles.get(name, ("#444444", "o", "-"))
        if k == 0:
            where = table["mean_probability"].to_numpy(float)
            low, high = table["band_lower"].to_numpy(float), table["band_upper"].to_numpy(float)
            for b in range(len(table)):
                ax.plot([where[b]] * 2, [low[b], high[b]], color=OTHER_COLOUR, lw=6, alpha=0.5,
                        solid_capstyle="butt", label="calibrated range" if b == 0 else None)  # fmt: skip
        sizes = 12 + 60 * table["forecasts"] / max(table["forecasts"].max(), 1)
        ax.plot(table["mean_probability"], table["observed_share"], line, color=colour, lw=1, label=name)
        ax.scatter(table["mean_probability"], table["observed_share"], s=sizes, color=colour, marker=marker, zorder=3)
    ax.set_xlim(-0.02, 1.02)
    ax.set_ylim(-0.02, 1.02)
    ax.set_xlabel("forecast probability of at least one action", fontsize="small")
    ax.set_ylabel("share followed by an action", fontsize="small")
    ax.legend(fontsize="small", loc="upper left", frameon=False)
    ax.grid(alpha=0.3)
    if title:
        ax.set_title(title)
    return ax
