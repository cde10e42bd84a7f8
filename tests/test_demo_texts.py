"""The demo week read as the operator who sends it would: every post's text and place.

The checker proves the rules; this reads what the rules cannot see: text the scaffold left,
wording for another stage, a streak that does not count its days, a post of another
business, and English labels on a zh-CN script (day one's order: tests/test_first_day.py).
"""

from __future__ import annotations

import json
import re
from collections import defaultdict
from datetime import datetime
from itertools import pairwise
from pathlib import Path

from planner.models.common import Kind
from planner.workspace.check import check_workspace
from planner.workspace.resources import demo_workspace

GOLDEN = Path(__file__).resolve().parents[1] / "outputs" / "2026-W48"
PLACEHOLDERS = ("这里写要发到群里的文字", "新内容标题", "TODO", "{{", "}}")
WELCOME_BACK = ("好久没冒泡", "欢迎回家")
# A script shows each post's kind on a line of its own, under the post's time and title.
ENGLISH_KINDS = re.compile(rf"^({'|'.join(k.value for k in Kind)})$", re.M)


def _posts() -> list[dict]:
    return json.loads((GOLDEN / "plan.json").read_text("utf-8"))["posts"]


def test_no_post_holds_placeholder_or_template_text() -> None:
    for post in _posts():
        for marker in PLACEHOLDERS:
            assert marker not in post["text"], (post["group"], post["item"], marker)
        assert post["text"].strip(), (post["group"], post["item"])


def test_welcome_back_wording_only_in_reactivation_and_streaks_count_days() -> None:
    series: dict[str, list[tuple[datetime, int]]] = defaultdict(list)
    for post in _posts():
        if any(phrase in post["text"] for phrase in WELCOME_BACK):
            assert post["stage"] == "reactivation", (post["group"], post["item"])
        if post["streak"]:
            series[post["group"]].append((datetime.fromisoformat(post["start"]), post["streak"]))
            for number in re.findall(r"第\s*(\d+)\s*天", post["text"]):
                assert int(number) == post["streak"], (post["group"], post["start"])
    assert len(series) >= 3  # the demo's check-in series, read day by day
    for group, days in series.items():
        days.sort()
        for (before, n), (after, m) in pairwise(days):
            assert (after.date() - before.date()).days >= 1, group  # one check-in a day
            if (after.date() - before.date()).days == 1:
                assert m == n + 1, (group, before, after)


def test_every_post_fits_its_groups_business() -> None:
    ws, _ = check_workspace(demo_workspace())
    assert ws is not None
    business = [p for p in _posts() if ws.items[p["item"]].topics]
    assert len(business) >= 10  # the demo's own businesses' posts are there
    for post in _posts():
        item, group = ws.items[post["item"]], ws.group(post["group"])
        topics = {t.lower() for t in (group.topics or ws.settings.topics or [])}
        mine = {t.lower() for t in item.topics}
        assert not mine or mine & topics or post["campaign"], (post["group"], post["item"])


def test_zh_cn_scripts_show_chinese_kind_labels() -> None:
    scripts = sorted((GOLDEN / "scripts").glob("*.md"))
    assert scripts
    for script in scripts:
        assert not ENGLISH_KINDS.search(script.read_text("utf-8")), script.name
    assert ENGLISH_KINDS.search("### 08:15 · 早安打卡领积分\n\ncheckin\n")  # the old page


def test_scripts_name_each_campaign_as_the_user_wrote_it() -> None:
    """The scripts said "活动: winter-tea-launch", the campaign's id, not its name."""
    import yaml

    demo = Path(__file__).resolve().parents[1] / "examples" / "demo" / "campaigns.yaml"
    names = {c["id"]: c["name"] for c in yaml.safe_load(demo.read_text("utf-8"))["campaigns"]}
    used = {p["campaign"] for p in _posts() if p.get("campaign") in names}
    assert used, "the demo's posts must belong to a campaign for this to matter"
    scripts = "".join(p.read_text("utf-8") for p in (GOLDEN / "scripts").glob("*.md"))
    for campaign in used:
        assert f"活动: {names[campaign]}" in scripts, campaign
        assert f"活动: {campaign}\n" not in scripts, campaign


CLOCK = re.compile(r"(\d{1,2}):(\d{2})|(\d{1,2})\s*点")
OPENERS = ("intro-reactivation-rename", "intro-reactivation-theme")


def test_the_promised_first_checkin_is_the_planned_one() -> None:
    """Issue 17: the theme post promised "明早 7:00" and the check-in came at 07:15."""
    posts = sorted(_posts(), key=lambda p: p["start"])
    checked = 0
    for post in (p for p in posts if p["item"] in OPENERS):
        after = [
            datetime.fromisoformat(p["start"])
            for p in posts
            if p["group"] == post["group"] and p["kind"] == "checkin" and p["start"] > post["start"]
        ]
        for hour, minute, whole in CLOCK.findall(post["text"]):
            said = (int(hour or whole), int(minute or 0))
            assert said == (after[0].hour, after[0].minute), (post["group"], post["item"], said)
            checked += 1
    assert checked >= 2


def test_openers_go_once_and_a_reactivation_opens_in_the_morning() -> None:
    """fresh-buy-3's first day was Sunday, before the week: no welcome, rules or intro
    after it (Monday read a deal, then an intro, the 建群介绍 and the welcome); the
    reactivated group's day 1 opens with the rename notice before noon (it came at 19:30)."""
    posts = sorted(_posts(), key=lambda p: p["start"])
    onboarding = [p for p in posts if p["stage"] == "onboarding"]
    assert onboarding
    assert not [p["item"] for p in onboarding if p["kind"] in ("welcome", "rules", "intro")]
    renamed = next(p for p in posts if p["group"] == "yoga-friends")
    start = datetime.fromisoformat(renamed["start"])
    assert renamed["item"] == "intro-reactivation-rename" and start.hour < 12, renamed
