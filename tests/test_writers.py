"""Writers: reproducible timestamps, English headings, the workspace's own templates, and a
publish that Ctrl-C cannot leave half done."""

from __future__ import annotations

import json
import os
import shutil
import signal
from datetime import datetime
from pathlib import Path

import pytest
import yaml
from tiny import build, group, items_of

from planner.cli import main
from planner.plan import Plan
from planner.workspace.check import check_workspace
from planner.writers import output
from planner.writers.output import OutputFolder

ITEMS = items_of(
    ("ck", "checkin", {"repeat": "daily", "window": "07:00-09:00"}),
    ("a1", "article", {"repeat": "daily"}),
)


def _ws(tmp_path: Path, **settings) -> Path:
    build(tmp_path / "ws", [group("g")], ITEMS, settings=settings or None)
    return tmp_path / "ws"


def test_dtstamp_comes_from_source_date_epoch(tmp_path, runner, monkeypatch) -> None:
    ws = _ws(tmp_path)
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    assert runner.invoke(main, ["plan", str(ws), "--week", "2026-11-23"]).exit_code == 0
    ics = (ws / "outputs" / "2026-W48" / "calendar.ics").read_text("utf-8")
    assert "DTSTAMP:20261123T000000Z" in ics  # the week's start, never the clock
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1790000000")
    assert runner.invoke(main, ["plan", str(ws), "--week", "2026-11-23"]).exit_code == 0
    ics = (ws / "outputs" / "2026-W48" / "calendar.ics").read_text("utf-8")
    assert "DTSTAMP:20260921T" in ics and "DTSTAMP:20261123T000000Z" not in ics


def test_english_headings(tmp_path, runner) -> None:
    ws = _ws(tmp_path, locale="en")
    assert runner.invoke(main, ["plan", str(ws), "--week", "2026-11-23"]).exit_code == 0
    script = (ws / "outputs" / "2026-W48" / "scripts" / "g.md").read_text("utf-8")
    assert "posting script" in script and "## Monday 2026-11-23" in script
    assert "Copy the text below into the group" in script


def test_workspace_templates_override_the_built_in_ones(tmp_path, runner) -> None:
    ws = _ws(tmp_path)
    (ws / "templates").mkdir()
    (ws / "templates" / "group.md.j2").write_text(
        "# {{ group.name }}\n{% for post in posts %}{{ post.start.strftime('%a %H:%M') }} "
        "{{ post.title }}\n{% endfor %}",
        "utf-8",
    )
    assert runner.invoke(main, ["plan", str(ws), "--week", "2026-11-23"]).exit_code == 0
    script = (ws / "outputs" / "2026-W48" / "scripts" / "g.md").read_text("utf-8")
    plan = json.loads((ws / "outputs" / "2026-W48" / "plan.json").read_text("utf-8"))
    first = min(plan["posts"], key=lambda p: p["start"])
    start = datetime.fromisoformat(first["start"]).strftime("%a %H:%M")
    assert script.startswith(f"# g群\n{start} {first['title']}\n")
    assert "## " not in script


def test_ctrl_c_during_publish_finishes_the_week_first(tmp_path, monkeypatch) -> None:
    target = tmp_path / "2026-W48"
    old = OutputFolder(target)
    for name in ("a.txt", "b.txt", "c.txt"):
        old.add(name, "old")
    old.publish()
    real_carry = output.carry_user_files

    def interrupting(*args):
        os.kill(os.getpid(), signal.SIGINT)  # Ctrl-C just before the switch
        real_carry(*args)

    monkeypatch.setattr(output, "carry_user_files", interrupting)
    new = OutputFolder(target)
    for name in ("a.txt", "b.txt", "c.txt"):
        new.add(name, "new")
    with pytest.raises(output.InterruptedAfterPublish) as interrupted:
        new.publish()
    assert interrupted.value.written == target  # so the CLI says what was written
    assert {p.read_text("utf-8") for p in target.glob("*.txt")} == {"new"}  # never half old


def test_files_are_staged_as_added_and_dropped_when_abandoned(tmp_path) -> None:
    target = tmp_path / "2026-W48"
    old = OutputFolder(target)
    old.add("a.txt", "old")
    old.publish()
    with pytest.raises(KeyboardInterrupt), OutputFolder(target) as new:
        new.add("a.txt", "new")
        (staging,) = [p for p in tmp_path.iterdir() if p.name.startswith(".") and p.is_dir()]
        assert (staging / "week" / "a.txt").read_text("utf-8") == "new"  # on disk, not in memory
        raise KeyboardInterrupt  # Ctrl-C while the week is still being planned
    assert (target / "a.txt").read_text("utf-8") == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["2026-W48"]


def _drop_an_item(root: Path) -> None:
    (root / "content_library" / "article" / "a2.md").unlink()


def _regroup(root: Path) -> None:
    """ny's operator leaves with their only group; ldn moves to sh's operator."""
    data = yaml.safe_load((root / "groups.yaml").read_text("utf-8"))
    data["groups"] = [g for g in data["groups"] if g["id"] != "ny"]
    for entry in data["groups"]:
        if entry["id"] == "ldn":
            entry["operator"] = "op"
    (root / "groups.yaml").write_text(yaml.safe_dump(data, allow_unicode=True), "utf-8")


@pytest.mark.parametrize(
    ("change", "operators"), [(_drop_an_item, 3), (_regroup, 1)], ids=["item", "groups"]
)
def test_files_rendered_by_the_workers_equal_those_of_the_whole_plan(
    tmp_path, runner, change, operators
) -> None:
    """`planner plan` streams each operator's files as the workers render them; writing
    the same week from the whole plan at once gives the same bytes, re-plan included:
    a dropped item, a removed group (its events cancelled) and a moved one."""
    from tiny import three_zones

    from planner.run.history import Past
    from planner.run.week import plan_week
    from planner.writers.publish import write_week

    ws_root = three_zones(tmp_path / "ws", articles=3)
    week = "2026-10-26"
    assert runner.invoke(main, ["plan", str(ws_root), "--week", week]).exit_code == 0
    reference = tmp_path / "reference"
    shutil.copytree(ws_root / "outputs", reference)
    published = json.loads((reference / "2026-W44" / "plan.json").read_text("utf-8"))
    change(ws_root)
    result = runner.invoke(main, ["plan", str(ws_root), "--week", week, "--workers", "2"])
    assert result.exit_code == 0, result.output

    ws, _ = check_workspace(ws_root)
    day = datetime.fromisoformat(week).date()
    plan = plan_week(ws, day, workers=1, past=Past(reference, day))
    assert plan.cancelled and any(p.sequence for p in plan.cancelled)
    kept = {g.id for g in ws.groups}
    gone = {p["uid"] for p in published["posts"] if p["group"] not in kept}
    assert gone <= {p.uid for p in plan.cancelled}  # a removed group's events are cancelled
    write_week(ws, plan, reference)
    streamed = ws_root / "outputs" / "2026-W44"
    whole = reference / "2026-W44"
    files = sorted(p.relative_to(streamed) for p in streamed.rglob("*") if p.is_file())
    assert files == sorted(p.relative_to(whole) for p in whole.rglob("*") if p.is_file())
    assert len([f for f in files if f.parts[0] == "operators"]) == 3 * operators  # .ics .md .html
    for name in files:
        assert (streamed / name).read_bytes() == (whole / name).read_bytes(), name
    calendar = (streamed / "calendar.ics").read_text("utf-8")
    assert calendar.count("STATUS:CANCELLED") == len(plan.cancelled)
    # plan.json, assembled from the operators' pieces, is what pydantic writes for the
    # whole plan, the posts operator by operator
    text = (streamed / "plan.json").read_text("utf-8")
    parsed = Plan.model_validate_json(text)
    assert parsed.model_dump_json(indent=2) + "\n" == text
    order = list(ws.operators())
    ranks = [order.index(p.operator) for p in parsed.posts]
    assert ranks == sorted(ranks)
    for key in ("posts", "cancelled", "follow_ups"):
        dumped = sorted(json.dumps(m.model_dump(mode="json")) for m in getattr(parsed, key))
        assert dumped == sorted(json.dumps(m.model_dump(mode="json")) for m in getattr(plan, key))


def test_each_operators_files_are_staged_as_soon_as_it_is_planned(tmp_path) -> None:
    """Streaming: when an operator's plan arrives, the ones before it are on disk already
    (in staging, not yet published), not held until the whole week is planned."""
    from tiny import three_zones

    from planner.run.pipeline import plan_and_publish

    ws, _ = check_workspace(three_zones(tmp_path / "ws"))
    out = tmp_path / "outputs"
    staged_before: list[int] = []

    def count(outcome) -> None:
        staged = [
            p for d in out.glob(".2026-W44-*") for p in (d / "week").rglob("*") if p.is_file()
        ]
        staged_before.append(len(staged))
        assert not (out / "2026-W44").exists()  # nothing published while planning

    published = plan_and_publish(ws, datetime(2026, 10, 26).date(), out, None, 10, 1, on_done=count)
    # one operator's files each time: its calendar, run sheet, page and grid, its group's
    # calendar, script, plans file and grid
    assert staged_before == [0, 8, 16]
    assert len(published.plan.problems) == 3 and not published.plan.posts
    target = published.folder
    assert (target / "plan.json").is_file() and not list(out.glob(".2026-W44-*"))


def test_a_share_the_verifier_rejects_publishes_nothing(tmp_path, monkeypatch) -> None:
    """Each operator's share is verified where it is planned, before its files count: a
    broken share (a post doubled in its slot) stops the run, and nothing is published."""
    from tiny import three_zones

    from planner.run import unit as operator_week
    from planner.run.pipeline import PlanViolatesRules, plan_and_publish

    ws, _ = check_workspace(three_zones(tmp_path / "ws"))
    real = operator_week.posts_of

    def doubled(*args, **kwargs):
        posts = real(*args, **kwargs)
        return posts + posts[:1]

    monkeypatch.setattr(operator_week, "posts_of", doubled)
    out = tmp_path / "outputs"
    with pytest.raises(PlanViolatesRules) as caught:
        plan_and_publish(ws, datetime(2026, 10, 26).date(), out, None, 10, 1)
    assert "one_post_per_slot" in {v.rule for v in caught.value.violations}
    assert not (out / "2026-W44").exists() and not list(out.glob(".2026-W44-*"))


def test_plan_json_holds_one_operators_posts_at_a_time(tmp_path, monkeypatch) -> None:
    """plan.json is assembled from the operators' pieces on disk: each operator's posts are
    read when they are written, not all operators' first (a week of a million groups)."""
    from tiny import three_zones

    from planner.run.pipeline import plan_and_publish
    from planner.writers import week_files
    from planner.writers.output import OutputFolder

    read: list[str] = []
    real_pieces, real_add = week_files.WeekFiles.pieces, OutputFolder.add_chunks

    def pieces(self, piece, operators):
        for text in real_pieces(self, piece, operators):
            read.append(piece)
            yield text

    posts_read_when_written: list[int] = []

    def add_chunks(self, relative, chunks):
        def watched():
            before = read.count("posts.json")  # calendar.ics read them too, when small
            for chunk in chunks:
                if relative == "plan.json" and '"uid"' in chunk:
                    posts_read_when_written.append(read.count("posts.json") - before)
                yield chunk

        real_add(self, relative, watched())

    monkeypatch.setattr(week_files.WeekFiles, "pieces", pieces)
    monkeypatch.setattr(OutputFolder, "add_chunks", add_chunks)
    ws, _ = check_workspace(three_zones(tmp_path / "ws"))
    plan_and_publish(ws, datetime(2026, 10, 26).date(), tmp_path / "out", None, 10, 1)
    assert posts_read_when_written[:3] == [1, 2, 3]  # three operators' posts, one by one
