"""A small workspace holding every kind of input file, quick to check and to plan: the seed
that the fuzz tests and benchmarks/fuzz_run.py mutate."""

from __future__ import annotations

import shutil
from pathlib import Path

from planner.writers.scripts import TEMPLATE_DIR

WEEK = "2026-11-23"
PNG = b"\x89PNG\r\n\x1a\n" + bytes(24)

FILES = {
    "planner.yaml": """\
name: 模糊测试 fuzz
timezone: Asia/Shanghai
locale: zh-CN
slot_minutes: 30
use_builtin_library: false
operators:
  ann: {name: 安, hours: {weekday: "08:00-22:00", weekend: "09:00-21:00"}, max_posts_per_day: 20}
  bo: {name: 博}
""",
    "groups.yaml": """\
groups:
  - id: tea
    name: 茶友群
    type: long_term
    members: 120
    operator: ann
    stages:
      - {from: 2026-11-01, stage: retention}
      - {from: 2026-11-26, stage: conversion}
    tags: [tea]
    vars: {owner: 王姐}
    caps: {per_day: 5}
  - id: fair
    name: 冬季市集
    type: short_event
    members: 80
    operator: bo
    stages:
      - {from: 2026-11-20, stage: activation}
    event_end: 2026-11-27
    tags: [market]
""",
    "campaigns.yaml": """\
campaigns:
  - id: tasting
    kind: live
    name: 品鉴直播
    targets: {groups: [tea]}
    start: 2026-11-28 20:00
    duration_minutes: 60
    items:
      - {item: live-tasting, role: live}
      - {item: reminder-live, role: reminder, before: 60m}
""",
    "locks.yaml": """\
locks:
  - {group: tea, item: checkin-morning, at: 2026-11-24 08:00}
  - {group: fair, date: 2026-11-25, no_posts: true}
""",
    "rules/caps.yaml": """\
defaults:
  item_days_per_week: 7
  kinds:
    checkin: {per_day: 24}
""",
    "content_library/checkin/checkin-morning.md": """\
---
id: checkin-morning
kind: checkin
title: 早安打卡
value: 6
points: 5
repeat: daily
window: "07:00-10:00"
---
早安，{{ group.name }}！今天打卡第 {{ post.streak }} 天，领 {{ item.points }} 积分。
""",
    "content_library/intro/intro-theme.md": """\
---
id: intro-theme
kind: intro
title: 本周主题
value: 4
image: images/cover.png
notes: 先发图
atmosphere: ["来了", "好看"]
---
{{ owner | default("群主") }}给大家介绍本周主题。
{% if group.members > 100 %}人多热闹。{% else %}小而美。{% endif %}
""",
    "content_library/live/live-tasting.md": """\
---
id: live-tasting
kind: live
title: 品鉴直播
value: 8
duration_minutes: 60
host: 王姐
---
{{ campaign.name if campaign else item.title }} 开始啦，{{ post.time }} 见。
""",
    "content_library/reminder/reminder-live.md": """\
---
id: reminder-live
kind: reminder
title: 直播提醒
of: live-tasting
value: 5
---
{{ post.when_anchor }}直播，别错过！
""",
    "content_library/article/article-tips.md": """\
---
id: article-tips
kind: article
title: 泡茶小贴士
value: 3
url: https://example.com/tips
topics: []
---
{% for tag in group.tags %}#{{ tag }} {% endfor %}泡茶的三个小贴士。
""",
    "content_library/poll/poll-evening.md": """\
---
id: poll-evening
kind: poll
title: 晚间投票
value: 5
repeat: daily
question: 明天想聊什么？
options: [茶, 市集]
---
{{ item.question }} {{ item.options | join(" / ") }}
""",
}


def write_base(root: Path) -> Path:
    """The base workspace in `root` (created), with an image and a template override."""
    for name, text in FILES.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    (root / "content_library" / "images").mkdir(parents=True, exist_ok=True)
    (root / "content_library" / "images" / "cover.png").write_bytes(PNG)
    (root / "templates").mkdir(exist_ok=True)
    shutil.copy(TEMPLATE_DIR / "group.md.j2", root / "templates" / "group.md.j2")
    return root


def input_files(root: Path) -> list[Path]:
    """Every file of the workspace that the user writes, in a stable order."""
    return sorted(p for p in root.rglob("*") if p.is_file() and p.suffix in (".yaml", ".md", ".j2"))
