"""Each operator's phone page, operators/<operator>.html; past whole_page_max_posts,
index.html only links those pages (a phone does not open a page of a hundred megabytes),
and the report and the summary say so."""

from __future__ import annotations

import json
import re
from pathlib import Path

from tiny import build, group, items_of

from planner.cli import main
from planner.writers.html import markdown_to_safe_html

ITEMS = items_of(
    ("ck", "checkin", {"repeat": "daily", "window": "08:00-09:00"}),
    *[(f"a{n}", "article", {"repeat": "daily", "value": 5 + n}) for n in range(3)],
)
COPY = re.compile(r'<button class="copy"')


def _week(tmp_path: Path, runner, limit: int | None) -> tuple[Path, str, dict]:
    settings: dict = {"operators": {"op": {"name": "Li"}, "op2": {}}}
    if limit is not None:
        settings["whole_page_max_posts"] = limit
    ws = build(
        tmp_path / "ws", [group("g1"), group("g2", operator="op2")], ITEMS, settings=settings
    )
    result = runner.invoke(main, ["plan", str(ws.root), "--week", "2026-11-23"])
    assert result.exit_code == 0, result.output
    week = ws.root / "outputs" / "2026-W48"
    return week, result.stdout, json.loads((week / "plan.json").read_text("utf-8"))


def _posts_by_operator(plan: dict) -> dict[str, int]:
    counts: dict[str, int] = {}
    for post in plan["posts"]:
        counts[post["operator"]] = counts.get(post["operator"], 0) + 1
    return counts


def test_each_operator_page_holds_their_posts(tmp_path: Path, runner) -> None:
    week, summary, plan = _week(tmp_path, runner, limit=None)
    counts = _posts_by_operator(plan)
    assert set(counts) == {"op", "op2"}
    for op, posts in counts.items():
        page = (week / "operators" / f"{op}.html").read_text("utf-8")
        assert len(COPY.findall(page)) == 2 * posts  # in time order, and in its group
    assert '<section id="g1">' in (week / "operators" / "op.html").read_text("utf-8")
    assert '<section id="g1">' not in (week / "operators" / "op2.html").read_text("utf-8")
    assert "· Li</title>" in (week / "operators" / "op.html").read_text("utf-8")
    # a small week: index.html holds every post, as the operators' pages together do
    index = (week / "index.html").read_text("utf-8")
    assert len(COPY.findall(index)) == len(plan["posts"]) == sum(counts.values())
    assert "index.html is an index" not in (week / "report.md").read_text("utf-8")
    assert "index.html            open on your phone" in summary


def test_large_week_page_links_each_operators_page(tmp_path: Path, runner) -> None:
    week, summary, plan = _week(tmp_path, runner, limit=5)
    counts = _posts_by_operator(plan)
    index = (week / "index.html").read_text("utf-8")
    assert not COPY.findall(index) and "<section" not in index
    links = re.findall(r'<li><a href="([^"]+)">([^<]+)</a> · (\d+) 条</li>', index)
    assert links == [
        ("operators/op.html", "Li", str(counts["op"])),
        ("operators/op2.html", "op2", str(counts["op2"])),
    ]
    for href, _, posts in links:
        # each post twice: in time order, and in its group
        assert len(COPY.findall((week / href).read_text("utf-8"))) == 2 * int(posts) > 0
    report = (week / "report.md").read_text("utf-8")
    assert "index.html is an index" in report and "whole_page_max_posts: 5" in report
    assert "index.html            links each operator's page" in summary
    assert "operators/<id>.html   open on your phone" in summary


def test_a_page_in_operators_shows_only_the_weeks_own_images() -> None:
    """From operators/, the week's images are one folder up; nothing further up or outside."""
    escapes = [
        "../images/../../secret.png",
        "../images/%2e%2e/%2E%2e/secret.png",  # a browser reads %2e%2e as ..
        "../images/..%5c..%5csecret.png",
        "https://x.example/c.png",
    ]
    text = " ".join(f"![{n}]({src})" for n, src in enumerate(["../images/a.png", *escapes]))
    html = markdown_to_safe_html(text, "../images/")
    assert re.findall(r'src="([^"]*)"', html) == ["../images/a.png"]
    assert re.findall(r'src="([^"]*)"', markdown_to_safe_html(text)) == []
    week_page = markdown_to_safe_html("![a](images/a.png) ![b](images/%2e%2e/x.png)")
    assert re.findall(r'src="([^"]*)"', week_page) == ["images/a.png"]


def test_the_index_of_pages_ignores_a_workspaces_own_page_template(tmp_path, runner) -> None:
    """A workspace's own templates/index.html.j2 shapes the pages of posts; it knows
    nothing of the index of pages, which comes from the built-in template."""
    own = tmp_path / "ws" / "templates"
    own.mkdir(parents=True)
    (own / "index.html.j2").write_text(
        "<h1>OWN {{ title }}</h1>{% for s in sections %}{{ s.html }}{% endfor %}", "utf-8"
    )
    week, _, _ = _week(tmp_path, runner, limit=5)
    assert "OWN" in (week / "operators" / "op.html").read_text("utf-8")
    index = (week / "index.html").read_text("utf-8")
    assert "OWN" not in index and 'href="operators/op2.html"' in index
