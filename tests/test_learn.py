"""`planner learn`: chats matched to groups, aggregates only on disk, duplicates counted once,
and a learned group's plan following its members' own hours."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from pathlib import Path

import yaml
from chat_exports import SHANGHAI, Msg, daily, pywxdump, telegram, wecom
from test_scheduler_rules import solve
from tiny import build, group, items_of

from planner.cli import main
from planner.learn.attention import DAYS, prior_weights
from planner.learn.profile import LEARNED_FILE
from planner.rules.value import peak_weight
from planner.workspace.check import check_workspace
from planner.workspace.rulepacks import peak_profile, peaks_on

HISTORY = datetime(2026, 9, 28, tzinfo=SHANGHAI)  # 8 weeks before the plan week 2026-11-23
ITEMS = items_of(
    ("ck", "checkin", {"repeat": "daily"}),  # the stage's required morning check-in: fixed
    *[(f"a{n}", "article", {"repeat": "daily", "value": 5}) for n in range(4)],
)


def workspace(root: Path, **tea) -> Path:
    three = {"per_day": 3}  # the check-in and two articles a day
    build(root, [group("tea", caps=three, **tea), group("other", caps=three)], ITEMS)
    return root


def learned(root: Path) -> dict:
    return yaml.safe_load((root / LEARNED_FILE).read_text("utf-8"))


def test_learn_matches_by_chat_ids_then_name_and_lists_the_rest(tmp_path, runner) -> None:
    root = workspace(tmp_path / "ws", chat_ids=["wr-tea"])
    history = daily(HISTORY, 14, (15, 16), 4)
    by_id = wecom(tmp_path / "a.jsonl", "wr-tea", history)
    by_name = telegram(tmp_path / "result.json", 7, "other群", history[:10])
    stranger = pywxdump(tmp_path / "wx.csv", "9@chatroom", history[:5])
    result = runner.invoke(main, ["learn", str(root), str(by_id), str(by_name), str(stranger)])
    assert result.exit_code == 0, result.output
    groups = learned(root)["groups"]
    assert groups["tea"]["messages"] == len(history) and groups["other"]["messages"] == 10
    assert "chat 9@chatroom matches no group (5 members' messages)" in result.output
    text = (root / LEARNED_FILE).read_text("utf-8")
    assert "msg " not in text and "member-" not in text  # no message text, no member ids
    check = runner.invoke(main, ["check", str(root)])
    assert "learned attention (learned/attention.yaml) for 2 group(s): other, tea" in check.output


def test_the_same_history_in_two_exports_is_counted_once(tmp_path, runner) -> None:
    root = workspace(tmp_path / "ws", chat_ids=["wr-tea"])
    history = daily(HISTORY, 14, (15,), 2)
    first = wecom(tmp_path / "a.jsonl", "wr-tea", history[:20])
    second = wecom(tmp_path / "b.jsonl", "wr-tea", history[10:])  # overlaps by 10
    result = runner.invoke(main, ["learn", str(root), str(first), str(second)])
    assert result.exit_code == 0, result.output
    assert learned(root)["groups"]["tea"]["messages"] == len(history)
    assert "10 already in an earlier export, counted once" in result.output


def test_weeks_keeps_the_last_weeks_only(tmp_path, runner) -> None:
    root = workspace(tmp_path / "ws", chat_ids=["wr-tea"])
    path = wecom(tmp_path / "a.jsonl", "wr-tea", daily(HISTORY, 56, (15,), 1))
    result = runner.invoke(main, ["learn", str(root), str(path), "--weeks", "2"])
    assert result.exit_code == 0, result.output
    tea = learned(root)["groups"]["tea"]
    assert (tea["weeks"], tea["messages"], str(tea["from"])) == (2, 14, "2026-11-09")


def test_a_users_own_file_is_never_overwritten(tmp_path, runner) -> None:
    root = workspace(tmp_path / "ws", chat_ids=["wr-tea"])
    mine = root / LEARNED_FILE
    mine.parent.mkdir()
    mine.write_text("my notes: keep\n", "utf-8")
    path = wecom(tmp_path / "a.jsonl", "wr-tea", daily(HISTORY, 7, (15,), 1))
    result = runner.invoke(main, ["learn", str(root), str(path)])
    assert result.exit_code == 1
    assert "was not written by `planner learn`" in result.output
    assert mine.read_text("utf-8") == "my notes: keep\n"


def test_an_export_that_is_not_one_is_an_input_error(tmp_path, runner) -> None:
    root = workspace(tmp_path / "ws")
    notes = tmp_path / "notes.txt"
    notes.write_text("hello\n", "utf-8")
    result = runner.invoke(main, ["learn", str(root), str(notes), str(tmp_path / "missing")])
    assert result.exit_code == 1, result.output
    assert f"{notes}: not a chat export" in result.output
    assert "Traceback" not in result.output


def test_a_learned_entry_for_an_unknown_group_is_a_warning(tmp_path) -> None:
    root = workspace(tmp_path / "ws")
    (root / "learned").mkdir()
    hours = "".join(f"      {d}: [{', '.join(['0'] * 24)}]\n" for d in DAYS)
    (root / LEARNED_FILE).write_text(
        "written_by: planner learn\ngroups:\n  gone:\n    messages: 0\n"
        f"    from: 2026-11-01\n    to: 2026-11-01\n    weeks: 1\n    hours:\n{hours}",
        "utf-8",
    )
    ws, findings = check_workspace(root)
    assert ws is not None and not findings.errors
    assert "'gone', a group groups.yaml does not have" in str(findings.warnings[0])


def hours_of(plan, group_id: str) -> list[int]:
    """The local hours of the group's movable posts (the articles; the check-in is required
    in the morning)."""
    return [
        p.start.astimezone(SHANGHAI).hour
        for p in plan.posts
        if p.group == group_id and p.kind == "article"
    ]


def test_eight_weeks_at_afternoon_tea_move_the_posts_there(tmp_path, runner) -> None:
    """Members active 15:00-17:00 (a long_term group's default has no peak there): the
    learned plan puts most of the group's posts inside it, the other group's stay put."""
    root = workspace(tmp_path / "ws", chat_ids=["wr-tea"])
    before = solve(check_workspace(root)[0])
    assert not any(15 <= h < 17 for h in hours_of(before, "tea"))
    path = wecom(tmp_path / "a.jsonl", "wr-tea", daily(HISTORY, 56, (15, 16), 6))
    assert runner.invoke(main, ["learn", str(root), str(path)]).exit_code == 0
    after = solve(check_workspace(root)[0])
    inside = [h for h in hours_of(after, "tea") if 15 <= h < 17]
    assert len(inside) > 0.75 * len(hours_of(after, "tea")), hours_of(after, "tea")
    assert hours_of(after, "other") == hours_of(before, "other")


def test_twenty_messages_stay_close_to_the_type(tmp_path, runner) -> None:
    """Twenty messages at 15:00-17:00 move no weight by more than one step, and no post."""
    root = workspace(tmp_path / "ws", chat_ids=["wr-tea"])
    few = wecom(
        tmp_path / "a.jsonl",
        "wr-tea",
        [Msg(HISTORY.replace(day=28 + n % 3, hour=15 + n % 2)) for n in range(20)],
    )
    assert runner.invoke(main, ["learn", str(root), str(few)]).exit_code == 0
    ws = check_workspace(root)[0]
    tea = ws.group("tea")
    prior = prior_weights(peak_profile(ws.rules.peaks, tea.type), ws.rules.peaks.base_weight)
    for offset in range(7):
        peaks = peaks_on(ws.rules, tea.type, date(2026, 11, 23) + timedelta(days=offset), "tea")
        for hour in range(24):
            weight = peak_weight(peaks, hour * 60 + 30, ws.rules.peaks.base_weight)
            assert abs(weight - prior[offset][hour]) <= 1, (offset, hour)
    assert not any(15 <= hour < 17 for hour in hours_of(solve(ws), "tea"))
