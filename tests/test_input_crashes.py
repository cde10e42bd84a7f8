"""Inputs that crashed check or plan (exit 3) are file:line errors, or work (issue 23):
line breaks in names and ids, U+2028/2029/0085 in text, days far outside any week the
planner plans, times with and without a UTC offset, an empty item."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from planner.cli import main
from tests.conftest import line_of, replace_in, write

REFUSED = {
    "group name": (
        "groups.yaml", "name: 茶友交流群", 'name: "茶友\\n交流群"', "holds a line break"
    ),
    "group name U+2028": (
        "groups.yaml", "name: 茶友交流群", 'name: "茶友\\u2028交流群"', "holds a line break"
    ),
    "campaign name": ("campaigns.yaml", "name: 冬茶上新", 'name: "冬茶\\x85上新"', "holds a line"),
    "group id": ("groups.yaml", "id: tea-lovers", 'id: "tea-lovers\\n"', "is not a valid id"),
    "operator": ("groups.yaml", "operator: xiaowang", 'operator: "xiaowang\\n"', "not a valid id"),
    "from 0001": (
        "groups.yaml", "{from: 2026-11-01, stage: retention}",
        "{from: 0001-01-01, stage: retention}", "0001-01-01 lies outside the years 1900-2999",
    ),
    "deadline 9999": (
        "campaigns.yaml", "deadline: 2026-11-29 22:00", "deadline: 9999-12-31 23:59",
        "lies outside the years",
    ),
    "mixed offsets": (
        "campaigns.yaml", "deadline: 2026-11-29 22:00", "deadline: 2026-11-29T22:00:00+08:00",
        "mixes times with a UTC offset", "id: winter-tea-launch",
    ),
}  # fmt: skip


@pytest.mark.parametrize("case", sorted(REFUSED))
def test_check_and_plan_refuse_at_the_line(runner, demo_copy, tmp_path, case) -> None:
    name, old, new, words, *at = REFUSED[case]
    replace_in(demo_copy / name, old, new)
    line = line_of(demo_copy / name, at[0] if at else new)
    out = tmp_path / "out"
    for args in (["check"], ["plan", "--week", "2026-11-23", "--out", str(out)]):
        result = runner.invoke(main, [args[0], str(demo_copy), *args[1:]])
        assert result.exit_code == 1, result.output
        assert f"{demo_copy / name}:" in result.stderr and words in result.stderr
        assert f"{demo_copy / name}:{line}: " in result.stderr
    assert not out.exists()


@pytest.mark.parametrize("week", ["9999-12-31", "0001-01-01"])
def test_a_week_far_outside_is_a_usage_error(runner, demo_copy, week) -> None:
    result = runner.invoke(main, ["plan", str(demo_copy), "--week", week])
    assert result.exit_code == 64, result.output
    assert "lies outside the years 1900-2999" in result.output


def test_line_separators_in_a_posts_text_are_planned(runner, demo_copy, tmp_path) -> None:
    replace_in(demo_copy / "groups.yaml", "owner: 王姐", 'owner: "王\\u2028姐\\u2029\\x85"')
    out = tmp_path / "out"
    args = ["plan", str(demo_copy), "--week", "2026-11-23", "--out", str(out), "--workers", "1"]
    result = runner.invoke(main, args)
    assert result.exit_code == 0, result.output
    posts = json.loads((out / "2026-W48" / "plan.json").read_text("utf-8"))["posts"]
    assert any("王\u2028" in post["text"] and "\x85" in post["text"] for post in posts)


@pytest.mark.parametrize(
    ("body", "line", "words"),
    [
        ("", 6, "the item has no text"),
        ("{% if group.members > 99999 %}x{% endif %}\n", 6, "the text renders empty"),
    ],
)
def test_an_item_without_text_is_an_error(runner, demo_copy, body, line, words) -> None:
    item = write(
        demo_copy / "content_library" / "intro" / "x.md",
        f"---\nid: x\nkind: intro\ntitle: t\n---\n{body}",
    )
    result = runner.invoke(main, ["check", str(demo_copy)])
    assert result.exit_code == 1
    assert f"{item}:{line}: {words}" in result.stderr


def test_times_with_offsets_throughout_still_plan(runner, demo_copy: Path) -> None:
    replace_in(
        demo_copy / "campaigns.yaml",
        "launch_at: 2026-11-26 20:00",
        "launch_at: 2026-11-26T20:00:00+08:00",
    )
    replace_in(
        demo_copy / "campaigns.yaml",
        "deadline: 2026-11-29 22:00",
        "deadline: 2026-11-29T22:00:00+08:00",
    )
    result = runner.invoke(main, ["check", str(demo_copy)])
    assert result.exit_code == 0, result.output
