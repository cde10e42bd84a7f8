"""`planner learn`'s readers: each export format detected from its content and counted the
same; service, recalled and our own messages left out; odd files a clear error or a count."""

from __future__ import annotations

import json
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from chat_exports import SHANGHAI, Msg, daily, memotrace, pywxdump, telegram, utc, wecom

from planner.learn.formats import ExportError, Reading, detect, read_export

START = datetime(2026, 11, 2, tzinfo=SHANGHAI)
WRITERS = {
    "telegram": lambda p, m: telegram(p / "result.json", 42, "茶友群", m),
    "pywxdump": lambda p, m: pywxdump(p / "wx.csv", "42@chatroom", m),
    "memotrace": lambda p, m: memotrace(p / "茶友群.csv", "42", m),
    "wecom": lambda p, m: wecom(p / "archive.jsonl", "wr42", m),
}


def local(message) -> datetime:
    """The message's Shanghai time (a zone-less export time is Shanghai's)."""
    if message.naive:
        return message.when.replace(tzinfo=SHANGHAI)
    return message.when.astimezone(SHANGHAI)


def odd_week() -> list[Msg]:
    """Members at 15:00 and 16:00 for a week, plus one of ours, a service message, an image."""
    return [
        *daily(START, 7, (15, 16), 3),
        Msg(START.replace(hour=9), ours=True, text="今日早安"),
        Msg(START.replace(hour=10), service=True, text="x joined"),
        Msg(START.replace(hour=15, minute=59), kind="image", text=""),
    ]


@pytest.mark.parametrize("name", sorted(WRITERS))
def test_each_format_is_detected_and_read(tmp_path: Path, name: str) -> None:
    path = WRITERS[name](tmp_path, odd_week())
    assert detect(path) == name
    reading = Reading(path)
    me = frozenset({"user1"}) if name == "telegram" else frozenset()  # WeChat marks its own
    messages = list(read_export(path, reading, me))
    assert reading.format == name and reading.skipped == 0
    members = [m for m in messages if not m.ours and not m.service]
    assert len(members) == 7 * 2 * 3 + 1  # the image counts: a member was there
    assert sum(m.ours for m in messages) == 1
    assert sum(m.service for m in messages) == 1
    hours = {local(m).hour for m in members}
    assert hours == {15, 16}


def test_telegram_without_unixtime_reads_local_time(tmp_path: Path) -> None:
    path = telegram(tmp_path / "result.json", 1, "g", odd_week(), unix=False)
    messages = list(read_export(path, Reading(path), frozenset({"user1"})))
    assert all(m.naive for m in messages)
    assert {m.when.hour for m in messages if not m.ours and not m.service} == {15, 16}


def test_telegram_full_export_with_several_chats(tmp_path: Path) -> None:
    one = json.loads(telegram(tmp_path / "a.json", 1, "a", odd_week()).read_text("utf-8"))
    two = dict(one, name="b", id=2)
    personal = dict(one, name="friend", id=3, type="personal_chat")
    full = {"personal_information": {"user_id": 1}, "chats": {"list": [one, two, personal]}}
    path = tmp_path / "result.json"
    path.write_text(json.dumps(full), "utf-8")
    messages = list(read_export(path, Reading(path)))
    assert {m.chat_name for m in messages} == {"a", "b"}
    assert sum(m.ours for m in messages) == 2  # personal_information names the exporter


def test_truncated_telegram_is_a_clear_error(tmp_path: Path) -> None:
    path = telegram(tmp_path / "result.json", 1, "g", odd_week())
    path.write_bytes(path.read_bytes()[:2000])
    with pytest.raises(ExportError, match="stops or breaks after"):
        list(read_export(path, Reading(path)))


def test_csv_mixed_encoding_and_broken_rows_are_counted(tmp_path: Path) -> None:
    path = pywxdump(tmp_path / "wx.csv", "42@chatroom", odd_week())
    good = path.read_bytes()
    gbk = "43,1,文本,0,wxid_a,42@chatroom,你好,,2026-11-03 15:10:00\n".encode("gb18030")
    broken = b"44,1,\xff\xfe\xfa,0\n" + b"45,2,only,three\n" + b'46,1,"open quote\n'
    path.write_bytes(good + gbk + broken)
    reading = Reading(path)
    messages = list(read_export(path, reading))
    assert any(m.text == "你好" for m in messages)  # a GB 18030 line is read
    assert reading.skipped == 3 and reading.first_skip.startswith("line")


def test_wecom_bad_lines_skipped_one_to_one_chats_left_out(tmp_path: Path) -> None:
    path = wecom(tmp_path / "a.jsonl", "wr1", odd_week())
    lone = {"msgid": "z", "action": "send", "from": "wmX", "roomid": "", "msgtime": 1}
    with path.open("a", encoding="utf-8") as out:
        out.write(json.dumps(lone) + "\n" + '{"msgid": "cut", "msgtime": 17' + "\n")
    reading = Reading(path)
    messages = list(read_export(path, reading))
    assert len(messages) == len(odd_week()) and reading.skipped == 1


def test_recalled_wecom_message_is_not_a_member_message(tmp_path: Path) -> None:
    recall = Msg(utc(2026, 11, 2, 7), service=True)
    path = wecom(tmp_path / "a.jsonl", "wr1", [recall])
    [message] = read_export(path, Reading(path))
    assert message.service


def test_unknown_file_is_an_error_naming_the_formats(tmp_path: Path) -> None:
    path = tmp_path / "notes.txt"
    path.write_text("a,b,c\n1,2,3\n", "utf-8")
    with pytest.raises(ExportError, match=r"Telegram Desktop's result\.json"):
        detect(path)
    empty = tmp_path / "empty.json"
    empty.write_text("", "utf-8")
    with pytest.raises(ExportError, match="empty"):
        detect(empty)


def test_time_zones_follow_the_epoch(tmp_path: Path) -> None:
    """The same instant in every format, whatever local clock the CSV shows."""
    moment = datetime(2026, 11, 2, 23, 30, tzinfo=SHANGHAI) + timedelta(0)
    for name, write in WRITERS.items():
        folder = tmp_path / name
        folder.mkdir()
        path = write(folder, [Msg(moment)])
        [message] = read_export(path, Reading(path))
        assert local(message) == moment, name
