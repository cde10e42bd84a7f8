"""Engagement: our earlier posts found in the chat history, members' replies in the next 30
minutes against the hour's usual rate, item values moved within the rule packs' bounds."""

from __future__ import annotations

import json
from datetime import datetime, timedelta

import yaml
from chat_exports import SHANGHAI, Msg, wecom
from tiny import build, group, items_of

from planner.cli import main
from planner.learn.engagement import LearnedItem, value_factors
from planner.learn.profile import LEARNED_FILE
from planner.workspace.check import check_workspace

ITEMS = items_of(
    ("ck", "checkin", {"repeat": "daily"}),
    *[(f"a{n}", "article", {"repeat": "daily", "value": 5}) for n in range(4)],
)
BOUNDS = {"peaks": {"learning": {"max_value_factor": 1.5, "min_value_factor": 0.8}}}


def history_of(posts: list[dict], loud: str) -> list[Msg]:
    """A week of members' background chat (hourly, 11:00-18:00), our posts as the
    plan had them, and eight replies after each post of `loud`."""
    start = datetime(2026, 11, 16, tzinfo=SHANGHAI)
    quiet = [h for h in range(7 * 24) if h % 24 in range(11, 18)]  # no post there
    out = [Msg(start + timedelta(hours=h, minutes=5)) for h in quiet]
    for post in posts:
        sent = datetime.fromisoformat(post["start"]) + timedelta(minutes=2)
        out.append(Msg(sent, ours=True, text=post["text"]))
        if post["item"] == loud:
            out += [Msg(sent + timedelta(minutes=3 + n), sender=f"m{n % 3}") for n in range(8)]
    return sorted(out, key=lambda m: m.when)


def test_replies_raise_an_item_within_bounds_and_the_report_says_so(tmp_path, runner) -> None:
    root = tmp_path / "ws"
    build(root, [group("tea", chat_ids=["wr-tea"])], ITEMS, rules=BOUNDS)
    earlier = runner.invoke(main, ["plan", str(root), "--week", "2026-11-16"])
    assert earlier.exit_code == 0, earlier.output
    week = json.loads((root / "outputs" / "2026-W47" / "plans" / "tea.json").read_text("utf-8"))
    export = wecom(tmp_path / "a.jsonl", "wr-tea", history_of(week["posts"], loud="a0"))
    result = runner.invoke(main, ["learn", str(root), str(export)])
    assert result.exit_code == 0, result.output
    posted = sum(p["item"] == "a0" for p in week["posts"])
    assert f"item a0: {posted} earlier post(s) found" in result.output
    items = yaml.safe_load((root / LEARNED_FILE).read_text("utf-8"))["items"]
    assert items["a0"]["posts"] == posted
    assert items["a0"]["replies"] == 8 * posted and items["a1"]["replies"] == 0
    assert week["posts"][0]["text"][:10] not in (root / LEARNED_FILE).read_text("utf-8")
    values = check_workspace(root)[0].rules.learned_values
    assert values["a0"].value == 8 and values["a0"].factor == 1.5  # 5 x the bound 1.5, rounded
    # the quiet articles: pulled a little toward their kind's lift, far below a0
    assert all(values[i].factor < 1.3 for i in ("a1", "a2", "a3"))
    planned = runner.invoke(main, ["plan", str(root), "--week", "2026-11-23"])
    assert planned.exit_code == 0, planned.output
    report = (root / "outputs" / "2026-W48" / "report.md").read_text("utf-8")
    assert "## Learned engagement" in report
    assert f"| a0 | article | 5 → 8 | ×1.50 | {posted} |" in report


def test_item_lift_is_shrunk_toward_its_kind_and_the_kind_toward_none() -> None:
    one_post = {"x": LearnedItem(kind="quiz", posts=1, replies=9, repliers=3, log_lift=2.0)}
    factors = value_factors(one_post, prior=5, low=0.1, high=10)
    kind_log = 2.0 / 6
    assert abs(factors["x"] - __import__("math").exp((2.0 + 5 * kind_log) / 6)) < 1e-9
    assert 1 < factors["x"] < __import__("math").exp(2.0)  # one post moves it, not all the way
    many = {"x": LearnedItem(kind="quiz", posts=200, replies=0, repliers=0, log_lift=-200 * 0.7)}
    assert abs(value_factors(many, prior=5, low=0.1, high=10)["x"] - 0.5) < 0.05
