"""Small chat-history exports in each format `planner learn` reads, written by the tests."""

from __future__ import annotations

import csv
import json
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from planner.learn.formats import memotrace as memo_format
from planner.learn.formats import pywxdump as wx_format

SHANGHAI = ZoneInfo("Asia/Shanghai")


@dataclass(frozen=True)
class Msg:
    when: datetime  # aware
    sender: str = "member-1"
    ours: bool = False
    service: bool = False
    text: str = "hello"
    kind: str = "text"  # text, image, sticker ...


def daily(
    start: datetime, days: int, hours: tuple[int, ...], per_hour: int, senders: int = 5
) -> list[Msg]:
    """Members' messages every day at `hours` (local to start's zone), `per_hour` each."""
    out = []
    for day in range(days):
        for hour in hours:
            for n in range(per_hour):
                when = (start + timedelta(days=day)).replace(hour=hour, minute=(n * 7) % 60)
                out.append(Msg(when, sender=f"member-{n % senders}", text=f"msg {day} {n}"))
    return out


def telegram(path: Path, chat_id: int, name: str, messages: list[Msg], unix: bool = True) -> Path:
    records = []
    for number, m in enumerate(messages, 1):
        record = {
            "id": number,
            "type": "service" if m.service else "message",
            "date": m.when.astimezone(SHANGHAI).replace(tzinfo=None).isoformat(),
            "from": "Op" if m.ours else m.sender,
            "from_id": "user1" if m.ours else f"user-{m.sender}",
            "text": [{"type": "bold", "text": m.text[:2]}, m.text[2:]] if number % 2 else m.text,
        }
        if unix:
            record["date_unixtime"] = str(int(m.when.timestamp()))
        if m.kind != "text":
            record["media_type"] = m.kind
        if m.service:
            record["action"] = "invite_members"
        records.append(record)
    chat = {"name": name, "type": "private_supergroup", "id": chat_id, "messages": records}
    path.write_text(json.dumps(chat, ensure_ascii=False, indent=1), encoding="utf-8")
    return path


def pywxdump(path: Path, room: str, messages: list[Msg]) -> Path:
    with path.open("w", encoding="utf-8", newline="") as out:
        writer = csv.writer(out)
        writer.writerow(wx_format.COLUMNS)
        for number, m in enumerate(messages, 1):
            kind = "系统通知" if m.service else ("文本" if m.kind == "text" else "图片")
            local = m.when.astimezone(SHANGHAI).strftime("%Y-%m-%d %H:%M:%S")
            writer.writerow(
                [
                    number,
                    1000 + number,
                    kind,
                    int(m.ours),
                    "wxid_op" if m.ours else m.sender,
                    room,
                    m.text,
                    "",
                    local,
                ]
            )
    return path


def memotrace(path: Path, talker: str, messages: list[Msg]) -> Path:
    with path.open("w", encoding="utf-8", newline="") as out:
        writer = csv.writer(out)
        writer.writerow(memo_format.COLUMNS)
        for number, m in enumerate(messages, 1):
            kind = 10000 if m.service else (1 if m.kind == "text" else 3)
            local = m.when.astimezone(SHANGHAI).strftime("%Y-%m-%d %H:%M:%S")
            writer.writerow(
                [
                    number,
                    talker,
                    kind,
                    0,
                    int(m.ours),
                    int(m.when.timestamp()),
                    2,
                    m.text,
                    local,
                    "",
                    m.sender,
                    "wxid_op" if m.ours else m.sender,
                ]
            )
    return path


def wecom(path: Path, room: str, messages: list[Msg]) -> Path:
    with path.open("w", encoding="utf-8") as out:
        for number, m in enumerate(messages, 1):
            record = {
                "msgid": f"m{number}",
                "action": "recall" if m.service else "send",
                "from": "zhangsan" if m.ours else f"wm{m.sender}",
                "tolist": ["x"],
                "roomid": room,
                "msgtime": int(m.when.timestamp() * 1000),
                "msgtype": "revoke" if m.service else ("text" if m.kind == "text" else "image"),
            }
            if m.kind == "text" and not m.service:
                record["text"] = {"content": m.text}
            out.write(json.dumps(record, ensure_ascii=False) + "\n")
    return path


def utc(*args) -> datetime:
    return datetime(*args, tzinfo=UTC)
