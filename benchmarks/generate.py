"""Synthetic workspaces for the benchmarks: groups of every type and stage, operators with 20
groups each, a library of 30 to 300 items; deterministic from the seed."""

from __future__ import annotations

import random
from pathlib import Path

import yaml

STAGES = [
    "launch",
    "onboarding",
    "activation",
    "retention",
    "conversion",
    "culture",
    "reactivation",
]
TYPES = ["long_term", "feedback", "short_event", "fan", "group_buy", "training_camp"]
# kind -> (share of the library, extra fields, window)
KINDS = {
    "checkin": (0.12, {"points": 5, "repeat": "daily"}, "07:00-09:00"),
    "quiz": (0.12, {"question": "?", "options": ["甲", "乙"], "answer": "甲"}, "19:30-22:00"),
    "poll": (0.08, {"question": "?", "options": ["甲", "乙"], "repeat": "daily"}, "19:30-22:00"),
    "ugc_prompt": (0.08, {"repeat": "daily"}, None),
    "article": (0.14, {}, None),
    "news": (0.06, {}, None),
    "deal": (0.1, {"price": 9.9, "original_price": 19.9, "stock": 50, "deadline": "22:00"}, None),
    "welcome": (0.06, {"repeat": "daily"}, "09:00-21:00"),
    "intro": (0.05, {}, "09:00-21:00"),
    "rules": (0.03, {}, None),
    "self_intro": (0.03, {}, None),
    "kol_spotlight": (0.04, {}, None),
    "lottery": (0.03, {"prize": "礼品"}, None),
    "survey": (0.03, {}, None),
    "offline_event": (0.03, {"place": "门店", "fee": 20}, None),
}
STAGE_KINDS = {
    "launch": {"intro", "rules", "welcome", "self_intro", "article", "news", "survey", "poll"},
    "onboarding": {
        "welcome",
        "rules",
        "self_intro",
        "intro",
        "checkin",
        "article",
        "kol_spotlight",
        "poll",
        "quiz",
        "survey",
    },
    "activation": {
        "checkin",
        "quiz",
        "poll",
        "lottery",
        "ugc_prompt",
        "article",
        "news",
        "kol_spotlight",
        "offline_event",
        "deal",
    },
    "retention": {
        "checkin",
        "article",
        "news",
        "quiz",
        "poll",
        "ugc_prompt",
        "kol_spotlight",
        "offline_event",
        "lottery",
        "survey",
        "deal",
    },
    "conversion": {
        "deal",
        "kol_spotlight",
        "article",
        "lottery",
        "checkin",
        "quiz",
        "offline_event",
        "survey",
        "ugc_prompt",
        "news",
    },
    "culture": {
        "ugc_prompt",
        "kol_spotlight",
        "offline_event",
        "poll",
        "survey",
        "article",
        "checkin",
        "quiz",
        "news",
        "lottery",
        "deal",
    },
    "reactivation": {
        "intro",
        "checkin",
        "ugc_prompt",
        "poll",
        "quiz",
        "lottery",
        "article",
        "news",
        "survey",
        "welcome",
    },
}


def items(count: int, rng: random.Random) -> list[dict]:
    out = []
    kinds = list(KINDS)
    weights = [KINDS[k][0] for k in kinds]
    for n in range(count):
        kind = kinds[n] if n < len(kinds) else rng.choices(kinds, weights)[0]
        _, extra, window = KINDS[kind]
        stages = [s for s in STAGES if kind in STAGE_KINDS[s]]
        spec = {
            "id": f"{kind.replace('_', '-')}-{n:03d}",
            "kind": kind,
            "title": f"{kind} {n}",
            "stages": rng.sample(stages, k=max(1, len(stages) // 2 + 1)),
            "value": rng.randint(2, 10),
            **extra,
        }
        if window:
            spec["window"] = window
        if kind in ("article", "news") and rng.random() < 0.5:
            spec["repeat"] = "daily"
            spec["cooldown_days"] = rng.randint(2, 3)
        out.append(spec)
    # Every stage's required posts can be met: a daily check-in and evening poll per stage.
    for stage in STAGES:
        out.append(
            {
                "id": f"checkin-req-{stage}",
                "kind": "checkin",
                "title": "打卡",
                "stages": [stage] if "checkin" in STAGE_KINDS[stage] else [],
                "points": 5,
                "repeat": "daily",
                "window": "07:00-09:00",
            }
        )
    for kind in ("welcome", "intro"):
        out.append({"id": f"{kind}-req", "kind": kind, "title": kind, "repeat": "daily"})
    out.append(
        {
            "id": "poll-req",
            "kind": "poll",
            "title": "晚间投票",
            "question": "?",
            "options": ["甲", "乙"],
            "repeat": "daily",
            "window": "19:30-22:00",
        }
    )
    return [i for i in out if i.get("stages", True) != []]


def workspace(root: Path, groups: int, library: int = 100, seed: int = 7, slot: int = 15) -> Path:
    """Write a workspace of `groups` groups (20 per operator) and `library` items."""
    rng = random.Random(seed)
    root.mkdir(parents=True, exist_ok=True)
    settings = {
        "name": f"bench-{groups}",
        "timezone": "Asia/Shanghai",
        "slot_minutes": slot,
        "use_builtin_library": False,
    }
    (root / "planner.yaml").write_text(yaml.safe_dump(settings), "utf-8")
    entries = []
    for n in range(groups):
        first = rng.choice(STAGES)
        stages = [{"from": "2026-11-01", "stage": first}]
        if rng.random() < 0.3:
            stages.append({"from": f"2026-11-{rng.randint(24, 28)}", "stage": rng.choice(STAGES)})
        gtype = TYPES[n % len(TYPES)]
        entry = {
            "id": f"g{n:06d}",
            "name": f"群{n}",
            "type": gtype,
            "members": 100 + n % 300,
            "operator": f"op{n // 20:05d}",
            "stages": stages,
        }
        if gtype == "short_event":
            entry["event_end"] = "2026-12-20"
        entries.append(entry)
    (root / "groups.yaml").write_text(
        yaml.safe_dump({"groups": entries}, allow_unicode=True, sort_keys=False), "utf-8"
    )
    for spec in items(library, rng):
        folder = root / "content_library" / spec["kind"]
        folder.mkdir(parents=True, exist_ok=True)
        front = yaml.safe_dump(spec, allow_unicode=True, sort_keys=False)
        (folder / f"{spec['id']}.md").write_text(
            f"---\n{front}---\n{{{{ group.name }}}}的朋友们：{spec['title']}\n", "utf-8"
        )
    return root
