"""Synthetic workspaces for the benchmarks, deterministic from a seed.

Every group type meets every stage (the type cycles with period 6, the stage with period 7,
so any 42 consecutive groups hold all 42 pairs); some groups change stage mid-week, a few
start their timeline mid-week, some short-event groups are dissolved inside the week.
Operators run 20 groups each. The library (30 to 300 items) holds only kinds that some stage
allows (read from the built-in rules/stages.yaml, so it follows the rule pack), and always
enough daily items inside the required windows for every stage's required posts.

    python benchmarks/generate.py DIR --groups 100 --library 100 --seed 7
"""

from __future__ import annotations

import argparse
import random
from datetime import date, datetime, timedelta
from pathlib import Path

import yaml

from planner.models.common import GroupType, Stage
from planner.workspace.resources import builtin_rules

WEEK = date(2026, 11, 23)  # a Monday; the benchmark's week
GROUPS_PER_OPERATOR = 20
STAGES = [s.value for s in Stage]
TYPES = [t.value for t in GroupType]
# The lifecycle a group moves along when its stage changes mid-week.
NEXT_STAGE = {
    "launch": "onboarding",
    "onboarding": "activation",
    "activation": "retention",
    "retention": "conversion",
    "conversion": "culture",
    "culture": "retention",
    "reactivation": "activation",
}
KIND_LABEL = {
    "article": "干货文章",
    "checkin": "打卡",
    "quiz": "小测验",
    "poll": "投票",
    "ugc_prompt": "晒图话题",
    "news": "群消息",
    "deal": "特价",
    "kol_spotlight": "达人分享",
    "intro": "群介绍",
    "welcome": "欢迎",
    "rules": "群规",
    "self_intro": "自我介绍",
    "lottery": "抽奖",
    "survey": "问卷",
    "offline_event": "线下活动",
    "reminder": "提醒",
    "red_packet": "红包",
    "live": "直播",
}
TOPICS = ["茶友", "瑜伽", "宝妈", "读书", "跑步", "烘焙", "理财", "摄影", "露营", "咖啡"]
# Fields each kind's model requires (planner/models/items.py), beyond the common ones.
KIND_FIELDS: dict[str, dict] = {
    "checkin": {"points": 5},
    "quiz": {"question": "今天的小问题？", "options": ["甲", "乙", "丙"], "answer": "甲"},
    "poll": {"question": "大家更喜欢哪个？", "options": ["甲", "乙"]},
    "deal": {"price": 9.9, "original_price": 19.9, "stock": 50, "deadline": "22:00"},
    "live": {"duration_minutes": 60},
    "lottery": {"prize": "定制杯子"},
    "red_packet": {"amount": 88},
    "offline_event": {"place": "门店二楼", "fee": 20},
}
# Relative share of each kind in the random part of the library.
KIND_SHARE = {
    "article": 14,
    "checkin": 8,
    "quiz": 10,
    "poll": 8,
    "ugc_prompt": 8,
    "news": 7,
    "deal": 10,
    "kol_spotlight": 6,
    "intro": 3,
    "welcome": 3,
    "rules": 3,
    "self_intro": 3,
    "lottery": 3,
    "survey": 3,
    "offline_event": 3,
    "reminder": 3,
    "red_packet": 2,
}
# Windows an item of a kind may carry (None: any time outside quiet hours).
KIND_WINDOWS = {
    "checkin": ["07:00-09:00", "07:00-09:30", None],
    "quiz": ["19:30-22:00", None, None],
    "poll": ["19:30-22:00", None, None],
    "ugc_prompt": ["19:30-22:00", None],
    "deal": ["11:00-13:30", "17:00-21:00", None],
    "reminder": ["18:00-20:30", None],
}


def _rules(name: str) -> dict:
    return yaml.safe_load((builtin_rules() / f"{name}.yaml").read_text("utf-8"))


def stage_kinds() -> dict[str, set[str]]:
    """Kinds each stage allows, from the built-in rule pack."""
    return {stage: set(rule["kinds"]) for stage, rule in _rules("stages")["stages"].items()}


def forbidden_kinds() -> dict[str, set[str]]:
    """Kinds each group type forbids (an item may not name such a type)."""
    types = _rules("group_types")["group_types"]
    return {t: set(types.get(t, {}).get("forbidden_kinds", [])) for t in TYPES}


def _item(item_id: str, kind: str, title: str, **fields) -> dict:
    return {"id": item_id, "kind": kind, "title": title, **KIND_FIELDS.get(kind, {}), **fields}


def required_core() -> list[dict]:
    """Daily items inside every required window of rules/stages.yaml, so each stage's
    required posts can be met on every day, in every group type (none of these kinds is
    forbidden anywhere). An item goes out on at most 2 days a week (caps.item_days_per_week;
    check-ins exempt), so each non-check-in daily item comes in four versions."""
    daily = [
        ("quiz-evening", "quiz", "晚间小测", 7, "19:30-22:00"),
        ("poll-evening", "poll", "晚间投票", 6, "19:30-22:00"),
        ("ugc-evening", "ugc_prompt", "晒晒今天", 6, "19:30-22:00"),
        ("intro-daily", "intro", "群介绍", 5, "09:00-21:00"),
        ("welcome-daily", "welcome", "欢迎新朋友", 5, "09:00-21:00"),
    ]
    versions = [
        _item(f"{item_id}{suffix}", kind, f"{title}{suffix}", value=value, repeat="daily",
              window=window)
        for item_id, kind, title, value, window in daily
        for suffix in ("", "-b", "-c", "-d")
    ]  # fmt: skip
    return [
        _item("checkin-morning", "checkin", "早安打卡", value=6, repeat="daily",
              window="07:00-09:00"),
        _item("checkin-early", "checkin", "早起打卡", value=5, repeat="daily",
              window="07:00-09:00"),
        *versions,
        _item("dissolve-event", "dissolve_notice", "解散通知", value=3,
              group_types=["short_event"]),
    ]  # fmt: skip


def random_items(count: int, rng: random.Random, kinds_of: dict[str, set[str]]) -> list[dict]:
    """`count` items of the kinds the stages allow, with varied values, reuse rules and
    windows; a few are restricted to stages or group types, or valid only part of the week."""
    kinds = [k for k in KIND_SHARE if any(k in allowed for allowed in kinds_of.values())]
    forbidden = forbidden_kinds()
    shares = [KIND_SHARE[k] for k in kinds]
    out = []
    for n in range(count):
        kind = kinds[n] if n < len(kinds) else rng.choices(kinds, shares)[0]
        spec = _item(f"{kind.replace('_', '-')}-{n:03d}", kind, f"{KIND_LABEL[kind]} 第{n}期")
        spec["value"] = rng.randint(1, 10)
        allowed = [s for s in STAGES if kind in kinds_of[s]]
        if rng.random() < 0.4:
            spec["stages"] = sorted(rng.sample(allowed, k=rng.randint(1, len(allowed))))
        if rng.random() < 0.1:
            types = [t for t in TYPES if kind not in forbidden[t]]
            spec["group_types"] = sorted(rng.sample(types, k=rng.randint(2, 4)))
        roll = rng.random()
        if roll < 0.35:
            spec["repeat"] = "daily"
            if rng.random() < 0.3:
                spec["cooldown_days"] = rng.randint(2, 3)
        elif roll < 0.45:
            spec["repeat"] = "weekly"
        window = rng.choice(KIND_WINDOWS.get(kind, [None]))
        if window:
            spec["window"] = window
        if rng.random() < 0.05:
            spec["valid_from"] = WEEK + timedelta(days=rng.randint(1, 3))
        elif rng.random() < 0.05:
            spec["valid_until"] = WEEK + timedelta(days=rng.randint(3, 5))
        out.append(spec)
    return out


def pinned_lives(count: int, rng: random.Random) -> list[dict]:
    """Lives with a start of their own in the week (DESIGN: "live has start and duration")."""
    out = []
    for n in range(count):
        day = WEEK + timedelta(days=rng.randint(0, 6))
        start = datetime(day.year, day.month, day.day, rng.choice([19, 20]), 30)
        out.append(_item(f"live-{n:03d}", "live", f"直播 第{n}期", value=8, start=start))
    return out


def library(size: int, rng: random.Random, lives: int = 0) -> list[dict]:
    """The required core, `lives` pinned lives and random items: `size` items (30 to 300)."""
    if not 30 <= size <= 300:
        raise ValueError(f"library size {size} is outside 30..300")
    core = required_core() + pinned_lives(lives, rng)
    return core + random_items(size - len(core), rng, stage_kinds())


def groups(
    count: int, rng: random.Random, per_operator: int = GROUPS_PER_OPERATOR, alike: bool = False
) -> list[dict]:
    """`count` groups, `per_operator` per operator, every type in every stage; `alike`: all
    long-term groups in retention (a chain's regulars groups, all wanting the same peaks)."""
    out = []
    for n in range(count):
        gtype = "long_term" if alike else TYPES[n % len(TYPES)]
        stage = "retention" if alike else STAGES[n % len(STAGES)]
        timeline = [{"from": "2026-11-01", "stage": stage}]
        dissolved = gtype == "short_event" and rng.random() < 0.35
        roll = rng.random()
        if roll < 0.25 and not dissolved and not alike:  # a stage change mid-week
            change = WEEK + timedelta(days=rng.randint(1, 6))
            timeline.append({"from": change.isoformat(), "stage": NEXT_STAGE[stage]})
        elif roll < 0.3 and stage == "launch" and not dissolved:  # created mid-week
            timeline = [{"from": (WEEK + timedelta(days=rng.randint(1, 4))).isoformat(),
                         "stage": "launch"}]  # fmt: skip
        entry = {
            "id": f"g{n:05d}",
            "name": f"{TOPICS[n % len(TOPICS)]}{n}群",
            "type": gtype,
            "members": rng.randint(40, 500),
            "operator": f"op{n // per_operator:03d}",
            "stages": timeline,
        }
        if gtype == "short_event":
            # About a third end so that the dissolve notice (3 days later) falls in the week.
            offset = rng.randint(-3, 3) if dissolved else rng.randint(7, 30)
            entry["event_end"] = (WEEK + timedelta(days=offset)).isoformat()
        if rng.random() < 0.1 and not alike:
            entry["caps"] = {"per_day": rng.randint(3, 5)}
        out.append(entry)
    return out


def busy_operators(n_groups: int, per_operator: int) -> dict[str, dict]:
    """Operators of many groups: 6 posts in 15 minutes up to 40 groups, then a sixth of their
    groups (a team posting for them), 4 posts a day per group at most, and working hours, so
    capacity, daily load and hours all couple the groups and the morning check-ins still fit."""
    out = {}
    for first in range(0, n_groups, per_operator):
        count = min(per_operator, n_groups - first)
        out[f"op{first // per_operator:03d}"] = {
            "max_posts": max(6, count // 6),
            "window_minutes": 15,
            "max_posts_per_day": 4 * count,
            "hours": {"weekday": "07:00-22:30", "weekend": "07:00-23:00"},
        }
    return out


def _dump(data) -> str:
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False)


def workspace(
    root: Path,
    n_groups: int,
    n_items: int = 100,
    seed: int = 7,
    slot_minutes: int = 15,
    lives: int = 0,
    per_operator: int = GROUPS_PER_OPERATOR,
    alike: bool = False,
    busy: bool = False,
) -> Path:
    """Write a workspace folder with `n_groups` groups and `n_items` items; return it.

    `lives`: pinned lives in the library; off by default, because each one currently cuts
    every other day of the stages that allow lives into one-slot segments (see README.md).
    `per_operator`, `alike`: see groups(). `busy`: each operator's capacity grows with their
    groups (operator_capacity), with a daily load and working hours (benchmarks/coupled.py)."""
    rng = random.Random(seed)
    root.mkdir(parents=True, exist_ok=True)
    settings = {
        "name": f"bench-{n_groups}",
        "timezone": "Asia/Shanghai",
        "slot_minutes": slot_minutes,
        "use_builtin_library": False,
    }
    if busy:
        settings["operators"] = busy_operators(n_groups, per_operator)
    (root / "planner.yaml").write_text(_dump(settings), "utf-8")
    entries = groups(n_groups, rng, per_operator, alike)
    (root / "groups.yaml").write_text(_dump({"groups": entries}), "utf-8")
    for spec in library(n_items, rng, lives):
        folder = root / "content_library" / spec["kind"]
        folder.mkdir(parents=True, exist_ok=True)
        body = f"{{{{ group.name }}}}的朋友们好！今天的{spec['title']}来啦，欢迎参与～"
        (folder / f"{spec['id']}.md").write_text(f"---\n{_dump(spec)}---\n{body}\n", "utf-8")
    return root


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("root", type=Path)
    parser.add_argument("--groups", type=int, default=100)
    parser.add_argument("--library", type=int, default=100)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--slot-minutes", type=int, default=15)
    parser.add_argument("--lives", type=int, default=0, help="pinned lives in the library")
    args = parser.parse_args()
    workspace(args.root, args.groups, args.library, args.seed, args.slot_minutes, args.lives)
    print(args.root)


if __name__ == "__main__":
    main()
