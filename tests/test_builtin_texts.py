"""The built-in library read as the operator of any business would read it (#17): no money
or prize the operator never decided on, no other business's wording in a generic item, no
promise of a day or hour the plan does not decide, no setup advice in the operator's notes,
and one nickname format and one check-in points scheme for every group."""

from __future__ import annotations

import re

from planner.errors import Findings
from planner.models.common import Kind
from planner.workspace.library import load_library
from planner.workspace.resources import builtin_library

# Items reworded on other branches at the same time (the reactivation check-in time, the
# launch group's intro); the lead empties this set once those branches are merged.
PARALLEL: frozenset[str] = frozenset()
TEMPLATE = re.compile(r"\{\{.*?\}\}|\{%.*?%\}")
FIXED_MONEY = re.compile(r"\d+\s*(?:积分|元)|送\s*\d+\s*分")
# A day or hour of the week, or a result announced on a later day: the plan decides when a
# post goes out, and no post of the plan announces the result.
WHEN = re.compile(
    r"(?<!每)周[一二三四五六日天末]|星期.|\d{1,2}\s*[:：]\s*\d{2}|\d{1,2}\s*点(?!点)"
    r"|(?:明天|明晚|明早|下周)[^，。！\n]{0,8}(?:公布|揭晓|宣布|按票数)"
)
# Words of one business (groceries, health and habits, product management, tea, yoga,
# parenting): an item that speaks them carries that business's topics.
BUSINESS = re.compile(
    r"团购好物|坏一赔一|鸡蛋|纸巾|草莓|零食|每天运动|喝水|护眼|产品经理|产品助理|需求"
    r"|茶(?!歇)|瑜伽|育儿|体验官|新品先试"
)
SETUP = re.compile(r"\bvars?\b|[a-z]+_[a-z_]+|窗口|填上|自动带上")
NICKNAME = re.compile(r"「城市-[^」]*」|比如「[^」，]*-[^」]*」")
TIMED_KINDS = {Kind.live, Kind.offline_event, Kind.deal, Kind.lottery}  # their own time


def _items() -> dict:
    findings = Findings()
    items = load_library(builtin_library(), None, findings).items
    assert not findings.items, findings.items
    return items


def _said(item) -> str:
    """What members read: the title and the text without its template expressions."""
    return TEMPLATE.sub("", item.title + "\n" + item.body)


def _unbound(item) -> bool:
    """Goes out wherever the planner places it, not at a campaign's moment."""
    return not (item.campaign_only or item.before or item.at) and item.id not in PARALLEL


def test_money_and_prizes_go_out_only_where_a_campaign_binds_them() -> None:
    items = _items()
    assert "red-packet-milestone" in items
    prizes = [i.id for i in items.values() if i.kind in (Kind.red_packet, Kind.lottery)]
    assert prizes and [i for i in prizes if not items[i].campaign_only] == []
    fixed = {i.id: FIXED_MONEY.findall(_said(i)) for i in items.values() if _unbound(i)}
    assert {i: found for i, found in fixed.items() if found} == {}
    assert FIXED_MONEY.search("参与的朋友都送 5 积分")  # the old seed poll


def test_generic_items_speak_no_one_business() -> None:
    items = _items()
    spoken = {
        i.id: BUSINESS.findall(_said(i) + i.notes + "".join(i.atmosphere) + _choices(i))
        for i in items.values()
        if not i.topics and i.id not in PARALLEL
    }
    assert {i: words for i, words in spoken.items() if words} == {}
    assert {"quiz-water-intake", "quiz-screen-eye-rest"} <= {i for i in items if items[i].topics}


def _choices(item) -> str:
    return " ".join([getattr(item, "question", "") or "", *(getattr(item, "options", []) or [])])


def test_texts_hold_whenever_the_plan_places_them() -> None:
    items = _items()
    timed = {
        i.id: WHEN.findall(_said(i) + "\n" + i.notes)
        for i in items.values()
        if _unbound(i) and i.kind not in TIMED_KINDS
    }
    assert {i: found for i, found in timed.items() if found} == {}
    assert WHEN.search("回复序号就算一票，明天就按票数最多的安排")
    assert WHEN.search("周日晚上 9 点公布结果") and WHEN.search("每天早上 7 点早安打卡")


def test_notes_speak_to_the_operator_who_sends_not_to_the_one_who_sets_up() -> None:
    notes = {i.id: SETUP.findall(i.notes) for i in _items().values()}
    assert {i: found for i, found in notes.items() if found} == {}
    assert SETUP.search("群里有助理的，在群的 vars 里填上 assistant")


def test_one_nickname_format_for_every_group() -> None:
    formats = {
        fmt for i in _items().values() if i.id not in PARALLEL for fmt in NICKNAME.findall(_said(i))
    }
    assert formats and {f.count("-") for f in formats} == {1}, formats


def test_one_points_scheme_for_every_checkin() -> None:
    checkins = [i for i in _items().values() if i.kind == Kind.checkin]
    assert {(i.points, i.streak_bonus or 20) for i in checkins} == {(5, 20)}
    told = {
        i.id: FIXED_MONEY.findall(_said(i))
        for i in _items().values()
        if "打卡" in _said(i) and _unbound(i)
    }
    assert {i: found for i, found in told.items() if found} == {}
