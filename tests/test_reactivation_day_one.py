"""A reactivation campaign plans for every group type with the built-in library alone; its
day 1 opens with the rename notice, then the theme post, and the daily check-ins follow."""

from __future__ import annotations

from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
import yaml
from tiny import WEEK, build, group

from planner.models.common import GroupType
from planner.run.week import plan_week
from planner.verify.checker import verify

SHANGHAI = ZoneInfo("Asia/Shanghai")
BINDINGS = [
    {"item": "intro-reactivation-rename", "role": "rename", "order": 1},
    {"item": "intro-reactivation-theme", "role": "theme", "order": 2},
    {"item": "poll-reactivation-seed", "role": "seed"},
    {"item": "ugc-prompt-reactivation-seed", "role": "seed"},
    {"item": "checkin-reactivation-daily", "role": "checkin"},
]
CAMPAIGN = {
    "id": "wake",
    "kind": "reactivation",
    "name": "唤醒",
    "targets": {"groups": ["g1"]},
    "start": str(WEEK),
    "activation_after_days": 7,
    "items": BINDINGS,
}
GROUP_TYPES = [str(t) for t in GroupType]


def _reactivated(root: Path, gtype: str):
    root.mkdir(parents=True)
    campaigns = yaml.safe_dump({"campaigns": [CAMPAIGN]}, allow_unicode=True)
    (root / "campaigns.yaml").write_text(campaigns, "utf-8")
    extra = {"event_end": "2026-12-20"} if gtype == "short_event" else {}
    settings = {"use_builtin_library": True}
    return build(root, [group("g1", gtype=gtype, **extra)], [], None, settings, variety=True)


@pytest.mark.parametrize("gtype", GROUP_TYPES)
def test_reactivation_plans_for_every_group_type(tmp_path: Path, gtype: str) -> None:
    ws = _reactivated(tmp_path / gtype, gtype)
    plan = plan_week(ws, WEEK, workers=1)
    assert verify(ws, plan) == []
    posts = sorted(plan.posts, key=lambda p: p.start)
    day_one = [p.item for p in posts if p.start.astimezone(SHANGHAI).date() == WEEK]
    assert day_one[:2] == ["intro-reactivation-rename", "intro-reactivation-theme"], day_one
    assert not any(ws.items[i].kind == "checkin" for i in day_one), "check-ins start on day 2"
    later = {p.start.astimezone(SHANGHAI).date() for p in posts if p.item == BINDINGS[-1]["item"]}
    assert len(later) == 6, "a check-in on every following day of the week"
