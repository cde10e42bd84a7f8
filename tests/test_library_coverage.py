"""The built-in library alone plans every group type in every stage, week after week.

One workspace holds one group per (type, stage) pair, each with its own operator, and
plans three consecutive weeks through the CLI, each reading the ones before: the second
and third weeks are the hard ones, when once-items wait their reuse weeks and every other
item goes out on at most caps.item_days_per_week days, so a stage that requires a post
every day needs enough distinct items. It runs twice: with the whole built-in library,
and with the generic items alone, since a coffee shop's workspace gets none of the tea,
yoga or group-buy produce posts."""

from __future__ import annotations

import shutil
from datetime import date, timedelta
from pathlib import Path

import pytest
import yaml
from tiny import plan_with_cli, post_day

from planner.errors import Findings
from planner.plan import Plan
from planner.run.history import Past
from planner.verify.checker import verify
from planner.workspace.check import check_workspace
from planner.workspace.resources import builtin_library, builtin_rules
from planner.workspace.rulepacks import load_rules

WEEKS = [date(2026, 11, 23) + timedelta(weeks=n) for n in range(3)]

# Built-in items written for one kind of business, by business (until every such item
# carries `topics:`, which excludes it as well).
BUSINESS_SPECIFIC = frozenset(
    " ".join(
        {
            "tea": "article-owner-unboxing article-tea-knowledge deal-winter-tea-launch "
            "live-tea-tasting news-winter-tea-launch news-winter-tea-teaser "
            "offline-event-tea-meetup quiz-tea-evening quiz-tea-storage reminder-launch "
            "reminder-launch-last-call reminder-live-day-before reminder-live-soon "
            "ugc-prompt-tea-setup",
            "yoga": "article-yoga-tips checkin-yoga-morning offline-event-yoga-outdoor "
            "quiz-yoga ugc-prompt-yoga-photo",
            "parenting": "article-parenting",
            "groceries": "checkin-group-buy-order deal-apples-break-even deal-eggs-break-even "
            "deal-greens-break-even deal-milk-break-even deal-rice-break-even "
            "deal-snack-break-even deal-tissue-break-even poll-next-group-buy",
            "product-management camp": "article-pm-skills checkin-camp-homework "
            "checkin-camp-morning deal-camp-early-bird kol-spotlight-camp-star "
            "live-camp-open-class poll-camp-topic quiz-camp-metrics quiz-pm-camp "
            "reminder-camp-live-soon survey-camp-satisfaction ugc-prompt-homework-share "
            "welcome-training-camp",
            "weekend market": "kol-spotlight-event-volunteer lottery-event-lucky-draw "
            "offline-event-market-onsite poll-event-daily red-packet-event-finale "
            "ugc-prompt-market-photos",
        }.values()
    ).split()
)


def _rules():
    rules = load_rules(builtin_rules(), None, Findings())
    assert rules is not None
    return rules


def _workspace(root: Path, generic_only: bool) -> Path:
    """One group per (type, stage) pair, each its own operator; with `generic_only`, the
    generic built-in items copied in as the workspace's own, instead of the library."""
    rules = _rules()
    pairs = [(str(t), str(s)) for t in rules.group_types.group_types for s in rules.stages.stages]
    groups = [
        {
            "id": f"{gtype}-{stage}".replace("_", "-"),
            "name": f"{gtype}-{stage}",
            "type": gtype,
            "operator": f"op-{gtype}-{stage}".replace("_", "-"),
            "stages": [{"from": "2026-11-01", "stage": stage}],
        }
        for gtype, stage in pairs
    ]
    root.mkdir(parents=True)
    settings = {"name": "coverage", "use_builtin_library": not generic_only}
    (root / "planner.yaml").write_text(yaml.safe_dump(settings), "utf-8")
    (root / "groups.yaml").write_text(yaml.safe_dump({"groups": groups}), "utf-8")
    if generic_only:
        shutil.copytree(builtin_library(), root / "content_library", ignore=_business_items)
    return root


def _business_items(folder: str, names: list[str]) -> list[str]:
    """The item files of `folder` written for one business (shutil.copytree's ignore)."""
    return [
        name
        for name in names
        if name.endswith(".md")
        and (
            name.removesuffix(".md") in BUSINESS_SPECIFIC
            or "\ntopics:" in (Path(folder) / name).read_text("utf-8").split("\n---", 1)[0]
        )
    ]


@pytest.mark.parametrize("generic_only", [False, True], ids=["whole", "generic"])
def test_every_type_and_stage_plans_three_weeks(tmp_path: Path, runner, generic_only) -> None:
    root = _workspace(tmp_path / "ws", generic_only)
    ws, problems = check_workspace(root)
    assert ws is not None and not problems.errors
    rules = _rules()
    assert len(ws.groups) == len(rules.group_types.group_types) * len(rules.stages.stages)
    assert generic_only == ws.items.keys().isdisjoint(BUSINESS_SPECIFIC)
    required = {s for s, stage in rules.stages.stages.items() if stage.required}
    for week in WEEKS:
        plan = plan_with_cli(runner, root, str(week))
        history = Past(root / "outputs", week).history(g.id for g in ws.groups)
        assert verify(ws, Plan.model_validate(plan), history) == []
        days = {(p["group"], post_day(p)) for p in plan["posts"]}
        for group in ws.groups:
            if group.stages[0].stage in required:  # the stage's posts went out every day
                assert all((group.id, week + timedelta(days=d)) in days for d in range(7))
