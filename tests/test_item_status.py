"""Item status (#17): `planner add-item` writes a draft, drafts are never scheduled and
`check` lists them; a campaign binding a draft, and text still holding add-item's
placeholder, are check errors."""

from __future__ import annotations

import json
from datetime import timedelta
from pathlib import Path

import yaml
from conftest import line_of, replace_in
from test_scheduler_rules import NO_REQUIRED, add, at, post, rules_broken, solve
from test_topics import launch
from tiny import build, group, items_of

from planner.cli import main

ARTICLES = items_of(
    ("draft-art", "article", {"repeat": "daily", "value": 10, "status": "draft"}),
    ("ready-art", "article", {"repeat": "daily", "value": 2, "status": "ready"}),
    ("plain-art", "article", {"repeat": "daily", "value": 2}),  # ready by default
)


def test_status_satisfied(tmp_path: Path) -> None:
    ws = build(tmp_path, [group("g")], ARTICLES, NO_REQUIRED)
    assert {p.item for p in solve(ws).posts} == {"ready-art", "plain-art"}


def test_status_violated(tmp_path: Path) -> None:
    ws = build(tmp_path, [group("g")], ARTICLES, NO_REQUIRED)
    plan = solve(ws)
    taken = [p.start for p in plan.posts if p.start.date() == at(0, "00:00").date()]
    free = next(
        at(0, t)
        for t in ("10:00", "15:00", "21:00")
        if all(abs(at(0, t) - s) >= timedelta(hours=2) for s in taken)
    )
    assert rules_broken(ws, add(plan, post(ws, "g", "draft-art", free))) == {"status"}


def test_status_explained(tmp_path: Path, runner) -> None:
    """A stage requires a check-in; the only check-in is a draft."""
    items = items_of(("ck", "checkin", {"repeat": "daily", "status": "draft"}))
    build(tmp_path / "ws", [group("g")], items)
    result = runner.invoke(main, ["plan", str(tmp_path / "ws"), "--week", "2026-11-23"])
    assert result.exit_code == 2, result.output
    item = tmp_path / "ws" / "content_library" / "checkin" / "ck.md"
    assert "stage retention requires 1 post (checkin 07:00-09:30)" in result.stderr
    assert (
        f"ck is a draft, not scheduled until status: ready ({item}:{line_of(item, 'status:')})"
    ) in result.stderr


def test_add_item_writes_a_draft_that_check_lists_and_plan_leaves_out(
    tmp_path: Path, runner, monkeypatch
) -> None:
    """`add-item quiz ai` then `check` said OK, and the plan posted the placeholder."""
    monkeypatch.chdir(tmp_path)
    assert runner.invoke(main, ["init", "ws", "--from", "blank"]).exit_code == 0
    assert runner.invoke(main, ["add-item", "quiz", "ws", "--id", "ai"]).exit_code == 0
    item = Path("ws/content_library/quiz/ai.md")
    assert "\nstatus: draft" in item.read_text("utf-8")

    checked = runner.invoke(main, ["check", "ws"])
    assert checked.exit_code == 1
    body = line_of(item, "这里写要发到群里的文字")
    draft = f"{item}:{line_of(item, 'status:')}: warning: draft, not scheduled until status: ready"
    assert draft in checked.stderr
    assert (
        f"{item}:{body}: the text still holds add-item's placeholder '这里写要发到群里的文字'; "
        "the post to send to the groups, written below the front matter"
    ) in checked.stderr
    assert f"{item}:{line_of(item, 'title:')}: the title is still" in checked.stderr

    replace_in(item, "title: 新内容标题", "title: AI 小测")
    replace_in(
        item,
        "{{ group.name }}的朋友们好！这里写要发到群里的文字。",
        "今晚 AI 小测：{{ item.question }}",
    )
    replace_in(item, "# value: 5", "value: 10")
    checked = runner.invoke(main, ["check", "ws"])
    assert checked.exit_code == 0 and draft in checked.stderr
    assert "ai" not in posted_items(runner, "ws")

    replace_in(item, "status: draft", "status: ready")
    assert "ai" in posted_items(runner, "ws")


def posted_items(runner, ws: str) -> set[str]:
    result = runner.invoke(main, ["plan", ws, "--week", "2026-11-23"])
    assert result.exit_code == 0, result.output
    plan = json.loads(Path(ws, "outputs", "2026-W48", "plan.json").read_text("utf-8"))
    return {p["item"] for p in plan["posts"]}


def test_a_campaign_binding_a_draft_is_a_check_error(tmp_path: Path, runner) -> None:
    items = items_of(("teaser", "news", {"status": "draft"}), ("launch", "news", {}))
    build(tmp_path, [group("g", stage="conversion")], items, NO_REQUIRED)
    campaigns = tmp_path / "campaigns.yaml"
    campaigns.write_text(yaml.safe_dump({"campaigns": [launch("g")]}, allow_unicode=True), "utf-8")
    result = runner.invoke(main, ["check", str(tmp_path)])
    assert result.exit_code == 1
    item = tmp_path / "content_library" / "news" / "teaser.md"
    assert (
        f"{campaigns}:{line_of(campaigns, 'item: teaser')}: campaign 'tea-launch' binds item "
        f"'teaser', a draft ({item}:{line_of(item, 'status:')}); set status: ready"
    ) in result.stderr
