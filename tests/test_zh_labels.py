"""Issue 17: kind and stage names on zh-CN pages are Chinese, not the kinds' English ids."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from planner.models.common import Kind, Stage
from planner.writers.labels import KIND_NAMES, STAGE_NAMES, kind_name, stage_name

GOLDEN = Path(__file__).resolve().parents[1] / "outputs" / "2026-W48"  # the demo is zh-CN
IDS = sorted({k.value for k in Kind} | {s.value for s in Stage}, key=len, reverse=True)
# an id standing alone: not inside a word, an item id (checkin-camp-homework) or a path
ENGLISH_LABEL = re.compile(r"(?<![\w/.-])(" + "|".join(IDS) + r")(?![\w/.-])")


def _shown(path: Path) -> str:
    """What a user reads: a calendar's categories, a page's or script's text."""
    text = path.read_text("utf-8")
    if path.suffix == ".ics":
        return "\n".join(line for line in text.splitlines() if line.startswith("CATEGORIES"))
    return text


PAGES = sorted(
    p.relative_to(GOLDEN)
    for p in GOLDEN.rglob("*")
    if p.suffix in (".md", ".html", ".ics") and p.name != "report.md"
)


@pytest.mark.parametrize("page", PAGES, ids=str)
def test_no_english_kind_or_stage_label_on_a_zh_cn_page(page: Path) -> None:
    assert ENGLISH_LABEL.findall(_shown(GOLDEN / page)) == []


def test_the_pages_do_show_the_chinese_names() -> None:
    script = (GOLDEN / "scripts" / "tea-lovers.md").read_text("utf-8")
    assert "\n打卡\n" in script and "## 周一 2026-11-23 · 留存" in script
    assert "CATEGORIES:打卡,留存" in (GOLDEN / "groups" / "tea-lovers.ics").read_text("utf-8")
    assert "<p>打卡 · 活动: 冬日市集收尾</p>" in (GOLDEN / "index.html").read_text("utf-8")
    assert "打卡 · 激活" in (GOLDEN / "operators" / "xiaowang.md").read_text("utf-8")


def test_every_kind_and_stage_has_a_zh_cn_name() -> None:
    assert set(KIND_NAMES["zh-CN"]) == {k.value for k in Kind}
    assert set(STAGE_NAMES["zh-CN"]) == {s.value for s in Stage}
    assert len(set(KIND_NAMES["zh-CN"].values())) == len(Kind)  # no two kinds read alike


def test_english_workspaces_keep_the_ids() -> None:
    assert kind_name("en", Kind.red_packet) == "red_packet"
    assert stage_name("en", Stage.reactivation) == "reactivation"
    assert kind_name("zh-CN", Kind.red_packet) == "红包"
