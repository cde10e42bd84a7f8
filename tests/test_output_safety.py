"""Issue 23: an output folder that cannot be written, a Ctrl-C after publishing, manifest
and history paths that point outside the week folder."""

from __future__ import annotations

import html
import json
import re
import resource
import signal
import subprocess
import sys
from pathlib import Path

from tiny import build, group, items_of

from planner import summary
from planner.cli import main
from planner.writers import output

ITEMS = items_of(
    ("ck", "checkin", {"repeat": "daily", "window": "07:00-09:00"}),
    *[(f"a{n}", "article", {"repeat": "daily", "value": 3 + n}) for n in range(3)],
)


def _workspace(root: Path) -> Path:
    build(root, [group("tea"), group("yoga", operator="op2")], ITEMS)
    return root


def _args(ws: Path, out: Path, *more: str) -> list[str]:
    return ["plan", str(ws), "--week", "2026-11-23", "--out", str(out), "--workers", "1", *more]


def _files(folder: Path) -> dict[str, bytes]:
    return {
        p.relative_to(folder).as_posix(): p.read_bytes() for p in folder.rglob("*") if p.is_file()
    }


def _planned(tmp_path: Path, runner) -> tuple[Path, Path, dict[str, bytes]]:
    ws, out = _workspace(tmp_path / "ws"), tmp_path / "out"
    first = runner.invoke(main, _args(ws, out))
    assert first.exit_code == 0, first.output
    return ws, out, _files(out / "2026-W48")


def test_a_read_only_output_folder_is_one_message_naming_it(tmp_path, runner, monkeypatch):
    ws, out, before = _planned(tmp_path, runner)

    def refused(*args, **kwargs):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(output.tempfile, "mkdtemp", refused)
    result = runner.invoke(main, _args(ws, out))
    assert result.exit_code == 1, result.output
    assert f"{out}: cannot write the week: Permission denied" in result.stderr
    assert "nothing was written" in result.stderr and "internal error" not in result.stderr
    assert _files(out / "2026-W48") == before


def _small_files_only() -> None:
    """A disk that fills up: no file may grow past 4 KB (the write fails, no signal)."""
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
    resource.setrlimit(resource.RLIMIT_FSIZE, (4096, 4096))


def test_a_full_disk_ends_with_a_message_and_leaves_the_previous_week(tmp_path, runner):
    ws, out, before = _planned(tmp_path, runner)
    assert max(map(len, before.values())) > 4096
    (ws / "content_library" / "article" / "a2.md").unlink()  # the re-plan would differ
    run = subprocess.run(
        [sys.executable, "-m", "planner.cli", *_args(ws, out)],
        capture_output=True,
        text=True,
        timeout=300,
        preexec_fn=_small_files_only,
    )
    assert run.returncode == 1, run.stderr
    assert f"{out}: cannot write the week: File too large" in run.stderr
    assert "Traceback" not in run.stderr
    assert _files(out / "2026-W48") == before
    assert sorted(p.name for p in out.iterdir()) == ["2026-W48"]  # no half-written staging


def test_ctrl_c_right_after_publishing_says_what_was_written(tmp_path, runner, monkeypatch):
    ws, out = _workspace(tmp_path / "ws"), tmp_path / "out"

    def interrupted(*args) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(summary, "echo_summary", interrupted)
    result = runner.invoke(main, _args(ws, out))
    assert result.exit_code == 130
    assert f"interrupted: the week was written whole to {out / '2026-W48'}/" in result.stderr
    assert "nothing was written" not in result.stderr
    assert (out / "2026-W48" / "calendar.ics").is_file()


def test_manifest_names_outside_the_week_are_ignored_with_a_warning(tmp_path, runner):
    ws, out, before = _planned(tmp_path, runner)
    victim = tmp_path / "victim.txt"
    victim.write_text("not the planner's", "utf-8")
    (tmp_path / "out" / "beside.txt").write_text("nor this", "utf-8")
    manifest = out / "2026-W48" / output.MANIFEST
    names = json.loads(manifest.read_text("utf-8"))
    manifest.write_text(json.dumps([*names, str(victim), "../beside.txt", "a/../../x"]), "utf-8")
    result = runner.invoke(main, _args(ws, out))
    assert result.exit_code == 0, result.output
    assert victim.read_text("utf-8") == "not the planner's"
    assert (out / "beside.txt").read_text("utf-8") == "nor this"
    assert f"warning: {manifest}: ignored 3 name(s) outside the week folder" in result.stderr
    assert _files(out / "2026-W48") == before


def _ics_events(path: Path) -> int:
    return path.read_text("utf-8").count("BEGIN:VEVENT")


def test_a_replan_out_of_time_keeps_the_last_runs_posts(tmp_path, runner) -> None:
    ws, out, before = _planned(tmp_path, runner)
    result = runner.invoke(main, _args(ws, out, "--time-limit", "0.00001"))
    assert "not planned: op " in result.stderr and "keep the last run's posts" in result.stderr
    after = _files(out / "2026-W48")
    assert "STATUS:CANCELLED" not in after["calendar.ics"].decode()
    for name in before:  # every calendar, script and plans file as it was
        if name not in ("plan.json", "report.md"):
            assert after[name] == before[name], name
    assert "Their groups keep the posts the last run" in after["report.md"].decode()
    posts = json.loads(after["plan.json"])["posts"]
    assert posts == json.loads(before["plan.json"])["posts"] and posts


def test_a_damaged_plans_file_keeps_its_operators_files_and_names_it(tmp_path, runner) -> None:
    ws, out, before = _planned(tmp_path, runner)
    damaged = out / "2026-W48" / "plans" / "tea.json"
    damaged.write_text('{"group": "tea", "posts": [{', "utf-8")
    (ws / "content_library" / "article" / "a2.md").unlink()  # the re-plan would differ
    result = runner.invoke(main, _args(ws, out))
    assert result.exit_code == 1, result.output  # bad input, never an internal error
    assert f"{damaged}: not a plan file the planner wrote" in result.stderr
    assert "restore it, or delete it" in result.stderr
    after = _files(out / "2026-W48")
    for name in ("groups/tea.ics", "scripts/tea.md", "operators/op.ics", "operators/op.md"):
        assert after[name] == before[name], name  # op's groups: untouched
    assert after["plans/tea.json"] == damaged.read_bytes()
    assert after["groups/yoga.ics"] != before["groups/yoga.ics"]  # op2's: planned again
    assert "STATUS:CANCELLED" not in after["operators/op.ics"].decode()


def test_history_naming_a_group_outside_the_week_writes_nothing_outside(tmp_path, runner):
    ws, out, _ = _planned(tmp_path, runner)
    plans = out / "2026-W48" / "plans"
    ghost = json.loads((plans / "tea.json").read_text("utf-8"))
    escape = "../../../x"
    ghost["group"] = escape
    for post in ghost["posts"]:
        post["group"] = escape
    (plans / "ghost.json").write_text(json.dumps(ghost), "utf-8")
    before_all = {p for p in tmp_path.rglob("*")}
    result = runner.invoke(main, _args(ws, out))
    assert result.exit_code == 0, result.output
    assert f"warning: {plans / 'ghost.json'}: not a plan file the planner wrote" in result.stderr
    assert "ignored" in result.stderr
    outside = {p for p in tmp_path.rglob("*")} - before_all
    assert not [p for p in outside if out / "2026-W48" not in p.parents]
    assert not (out / "2026-W48" / "x.json").exists() and not (tmp_path / "x.json").exists()


def test_copy_buttons_copy_a_posts_tabs(tmp_path, runner) -> None:
    """A copy button copies its <code>'s text: Markdown made each tab four spaces."""
    tabbed = items_of(
        ("ck", "checkin", {"repeat": "daily", "window": "07:00-09:00"}),
        ("t", "article", {"repeat": "daily", "body": "价格\t数量\n\t缩进 {{ group.name }}"}),
    )
    ws, out = tmp_path / "ws", tmp_path / "out"
    build(ws, [group("tea")], tabbed)
    result = runner.invoke(main, _args(ws, out))
    assert result.exit_code == 0, result.output
    page = (out / "2026-W48" / "index.html").read_text("utf-8")
    codes = re.findall(r'<code class="language-post">(.*?)</code>', page, re.DOTALL)
    assert "价格\t数量\n\t缩进 tea群" in [html.unescape(code).strip("\n") for code in codes]
