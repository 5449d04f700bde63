"""The sensitivity table: each row is the analysis run with that setting, with the report's own ladder."""

from __future__ import annotations

import escalation as esc
from escalation.events.ladder import Ladder
from escalation.report.analyses import run_analyses
from escalation.report.sensitivity import sensitivity_table


def _up_share(links):
    """Percent of steps up among those with both rungs known, from the link table (hand count)."""
    kinds = links["step_kind"].astype(str)
    known = kinds.isin(["escalation", "proportional", "de-escalation"]).sum()
    return f"{100 * (kinds == 'escalation').sum() / known:.0f}"


def test_each_row_is_that_setting_run_with_the_reports_ladder():
    ev = esc.datasets.load_iraq_2019_2021()
    # A ladder that ranks only rockets and airstrikes: the steps differ from the built-in ladder's.
    ladder = Ladder.from_mapping({"rocket attack": 5, "airstrike": 7, "drone attack": 6}, keywords=False)
    a = run_analyses(ev, ladder=ladder)
    table, left_out = sensitivity_table(ev, a)
    assert table["setting"].tolist() == ["window 30D (this report)", "window 7D", "window 14D",
                                         "Hawkes linking, window 30D"] and not left_out  # fmt: skip
    rows = table.set_index("setting")
    runs = {
        "window 30D (this report)": a.chains,
        "window 7D": esc.chains(ev, window="7D", ladder=ladder),
        "Hawkes linking, window 30D": esc.chains(ev, method="hawkes", ladder=ladder),
    }
    for setting, result in runs.items():
        row = rows.loc[setting]
        assert row["links"] == len(result.links) and row["chains"] == len(result.chains)
        assert row["steps up % (chance %)"].split(" ")[0] == _up_share(result.links)
    default = esc.chains(ev, window="7D")
    assert _up_share(default.links) != rows.loc["window 7D", "steps up % (chance %)"].split(" ")[0]


def test_the_command_mentions_the_hawkes_row_only_when_there_is_one(monkeypatch):
    from escalation.report import sensitivity

    class Captions:
        def html(self, table, name, *, command=None, caption=""):
            return caption

    ev = esc.datasets.load_iraq_2019_2021()
    a = run_analyses(ev)
    assert "the Hawkes row adds --method hawkes" in sensitivity.sensitivity_html(ev, a, Captions(), "cmd")
    monkeypatch.setattr(sensitivity, "HAWKES_MAX_EVENTS", 10)  # as on data of more than 1,500 events
    page = sensitivity.sensitivity_html(ev, a, Captions(), "cmd")
    assert "Hawkes row" not in page and "Not run: Hawkes linking" in page
