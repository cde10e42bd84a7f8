"""Words of the posting scripts and the page, per workspace locale."""

from __future__ import annotations

LABELS: dict[str, dict[str, str]] = {
    "zh-CN": {
        "group_title": "发帖脚本",
        "operator_title": "运营排班表",
        "week": "周次",
        "operator": "运营",
        "posts": "条",
        "load": "每日工作量",
        "day": "日期",
        "count": "条数",
        "groups": "涉及群",
        "hours": "工作时间",
        "daily_limit": "每日上限",
        "kind": "类型",
        "stage": "阶段",
        "campaign": "活动",
        "image_first": "先发图片",
        "copy_text": "复制下面的文字发到群里",
        "notes": "运营备注",
        "atmosphere": "氛围组话术",
        "no_posts": "今天不发帖。",
        "copy": "复制",
        "copied": "已复制",
        "index_title": "本周发帖",
        "by_group": "按群查看",
        "by_time": "按时间",
        "next": "下一条",
        "sent": "已发",
        "all_sent": "本周都发完了",
        "by_operator": "按运营查看",
        "follow_ups": "一对一私聊跟进（不发群里）",
    },
    "en": {
        "group_title": "posting script",
        "operator_title": "run sheet",
        "week": "Week",
        "operator": "Operator",
        "posts": "posts",
        "load": "Load per day",
        "day": "Day",
        "count": "Posts",
        "groups": "Groups",
        "hours": "Working hours",
        "daily_limit": "At most per day",
        "kind": "kind",
        "stage": "stage",
        "campaign": "campaign",
        "image_first": "Send the image first",
        "copy_text": "Copy the text below into the group",
        "notes": "Notes",
        "atmosphere": "Atmosphere team",
        "no_posts": "No posts today.",
        "copy": "Copy",
        "copied": "Copied",
        "index_title": "This week's posts",
        "by_group": "By group",
        "by_time": "By time",
        "next": "Next",
        "sent": "Sent",
        "all_sent": "Everything is sent",
        "by_operator": "By operator",
        "follow_ups": "One-to-one follow-ups (private chats, not posted)",
    },
}

WEEKDAY_NAMES = {
    "zh-CN": ("周一", "周二", "周三", "周四", "周五", "周六", "周日"),
    "en": ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"),
}

STAGE_NAMES = {
    "zh-CN": {
        "launch": "建群",
        "onboarding": "拉新",
        "activation": "促活",
        "retention": "留存",
        "conversion": "转化",
        "culture": "文化",
        "reactivation": "激活",
    },
    "en": {},
}

KIND_NAMES = {
    "zh-CN": {
        "intro": "群介绍",
        "welcome": "欢迎",
        "rules": "群规",
        "self_intro": "自我介绍",
        "checkin": "打卡",
        "quiz": "答题",
        "poll": "投票",
        "article": "分享",
        "news": "资讯",
        "deal": "特价",
        "live": "直播",
        "lottery": "抽奖",
        "red_packet": "红包",
        "ugc_prompt": "话题征集",
        "kol_spotlight": "达人推荐",
        "offline_event": "线下活动",
        "survey": "问卷",
        "reminder": "提醒",
        "dissolve_notice": "解散通知",
    },
    "en": {},
}


HOURS_WORDS = {
    "zh-CN": {
        "weekday": "工作日",
        "weekend": "周末",
        **dict(
            zip(
                ("mon", "tue", "wed", "thu", "fri", "sat", "sun"),
                WEEKDAY_NAMES["zh-CN"],
                strict=True,
            )
        ),
        "off": "休息",
        "and": "、",
    },
}


def hours_label(locale: str, hours) -> str:
    """An operator's hours as the page's locale says them (`工作日 18:00-22:30 · 周末 休息`);
    planner.yaml's own words where the locale has none."""
    words = HOURS_WORDS.get(locale)
    if words is None:
        return str(hours)
    parts = []
    for key in type(hours).model_fields:
        spans = getattr(hours, key)
        if spans is not None:
            said = words["and"].join(map(str, spans)) if spans else words["off"]
            parts.append(f"{words[key]} {said}")
    return " · ".join(parts)


def kind_name(locale: str, kind: object) -> str:
    """A kind as the workspace's locale says it (the kind's id where it has no word)."""
    return KIND_NAMES.get(locale, {}).get(str(kind), str(kind))


def stage_name(locale: str, stage: object) -> str:
    """A stage as the workspace's locale says it (the stage's id where it has no word)."""
    return STAGE_NAMES.get(locale, {}).get(str(stage), str(stage))
