"""The built-in content library: enough real items for every kind, stage and group type."""

from __future__ import annotations

import re
from collections import Counter

from planner.errors import Findings
from planner.models.common import GroupType, Kind, Stage
from planner.workspace.library import image_file, load_library
from planner.workspace.resources import builtin_library, builtin_rules
from planner.workspace.rulepacks import load_rules

PLACEHOLDERS = re.compile(r"XXX|xxx|TODO|此处填写|某某|占位|lorem", re.I)


def _library():
    findings = Findings()
    library = load_library(builtin_library(), None, findings)
    assert not findings.items, findings.items
    return library.items


def test_library_covers_every_kind_stage_and_group_type() -> None:
    items = _library()
    rules = load_rules(builtin_rules(), None, Findings())
    assert rules is not None
    assert len(items) >= 60
    kinds = Counter(item.kind for item in items.values())
    assert set(kinds) == set(Kind), set(Kind) - set(kinds)
    for stage in Stage:
        fitting = [
            i
            for i in items.values()
            if stage in i.stages and i.kind in rules.stages.stages[stage].kinds
        ]
        assert len(fitting) >= 5, stage
    for group_type in GroupType:
        assert sum(group_type in i.group_types for i in items.values()) >= 3, group_type


def test_items_are_real_posts() -> None:
    for item in _library().values():
        assert not PLACEHOLDERS.search(item.body + item.title + item.notes), item.id
        assert len(item.body) >= 20, item.id
        assert re.search(r"[\u4e00-\u9fff]", item.body), f"{item.id} is not in Chinese"
        if item.image:
            assert image_file(item) is not None, item.id


def test_no_item_echoes_its_own_label_when_a_var_is_left_to_its_default() -> None:
    """ "群主：{{ owner | default("群主") }}" read "群主：群主" in every workspace without
    vars.owner; a default must read as a sentence, not repeat the label before it."""
    from datetime import datetime

    from planner.models.groups import Group
    from planner.workspace.templates import post_context, render_item

    echo = re.compile(r"([\u4e00-\u9fff]{2,})[：:]\s*\1")
    for item in _library().values():
        gtype = item.group_types[0] if item.group_types else GroupType.long_term
        stages = [{"stage": "retention", "from": "2026-01-01"}]
        group = Group(id="g", name="群", type=gtype, operator="op", stages=stages)
        text = render_item(item, group, post_context(datetime(2026, 11, 24, 9, 0)))
        assert not echo.search(text), (item.id, echo.search(text).group(0))


def test_the_reactivation_progress_news_goes_only_to_groups_being_woken_up() -> None:
    """ "重新出发第一周" reached brand-new groups in activation that were never asleep."""
    for item in _library().values():
        if "重新出发" in item.body or "又开始啦" in item.body:
            assert set(item.stages) == {Stage.reactivation}, item.id
