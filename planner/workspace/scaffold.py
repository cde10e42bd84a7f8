"""New workspaces, new items and JSON Schemas: the files a user starts from.

Nothing here overwrites a file that exists: scaffolding only adds.
"""

from __future__ import annotations

import json
import typing
from pathlib import Path

from pydantic import BaseModel, TypeAdapter

from planner.models.campaigns import CampaignsFile
from planner.models.groups import GroupsFile
from planner.models.items import ITEM_MODELS, Item
from planner.models.locks import LocksFile
from planner.models.rules import CapsPack, GroupTypesPack, HolidayYear, PeaksPack, StagesPack
from planner.models.settings import Settings
from planner.workspace.resources import builtin_rules, demo_workspace

SCHEMA_DIR = ".schemas"
SCHEMAS: dict[str, typing.Any] = {
    "planner": Settings,
    "groups": GroupsFile,
    "campaigns": CampaignsFile,
    "locks": LocksFile,
    "item": TypeAdapter(Item),
    "caps": CapsPack,
    "peaks": PeaksPack,
    "stages": StagesPack,
    "group_types": GroupTypesPack,
    "holidays": HolidayYear,
}
_HIDDEN = {"body", "source", "body_line"}


def json_schemas() -> dict[str, str]:
    """`<name>.schema.json` -> its text, from the pydantic models (by alias, sorted keys)."""
    out = {}
    for name, model in SCHEMAS.items():
        if isinstance(model, TypeAdapter):
            schema = model.json_schema(by_alias=True)
        else:
            schema = model.model_json_schema(by_alias=True)
        _drop_hidden(schema)
        schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
        schema.setdefault("title", name)
        out[f"{name}.schema.json"] = (
            json.dumps(schema, ensure_ascii=False, indent=2, sort_keys=True) + "\n"
        )
    return out


def _drop_hidden(node: typing.Any) -> None:
    """The loader's own fields (body, source) are not for users to write."""
    if isinstance(node, dict):
        props = node.get("properties")
        if isinstance(props, dict):
            for name in _HIDDEN:
                props.pop(name, None)
        for value in node.values():
            _drop_hidden(value)
    elif isinstance(node, list):
        for value in node:
            _drop_hidden(value)


def write_schemas(folder: Path) -> list[Path]:
    """Write every schema into `folder` (these are generated files: always refreshed)."""
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for name, text in json_schemas().items():
        path = folder / name
        path.write_text(text, encoding="utf-8")
        written.append(path)
    return written


def _schema_line(name: str) -> str:
    return f"# yaml-language-server: $schema=./{SCHEMA_DIR}/{name}.schema.json\n"


BLANK_SETTINGS = """# Workspace settings. Every key is explained in the README's reference.
name: 我的社群
timezone: Asia/Shanghai     # IANA name; the times you write are local to it
locale: zh-CN               # zh-CN or en: the words of scripts, pages and calendars
slot_minutes: 15            # posts start on this grid (must divide 1440)
alarm_minutes: 10           # calendar reminder before each post
# topics: [milk-tea]        # your business: built-in items about other topics stay out
operators:                  # who posts; each group names one
  me: {name: 我}
  # when they work and how much (README: planner.yaml), e.g.
  # me: {name: 我, hours: {weekday: "18:00-22:30", weekend: off}, max_posts_per_day: 80}
"""

BLANK_GROUPS = """# Your groups. Each stage entry holds from its date on; dates ascend.
groups:
  - id: my-first-group          # lower-case letters, digits and '-'
    name: 我的第一个群
    # type: long_term | feedback | short_event | fan | group_buy | training_camp
    type: long_term
    members: 200
    operator: me
    stages:
      - {from: 2026-11-01, stage: retention}
    tags: [demo]
    vars: {owner: 群主}          # extra names for your item templates
    # caps: {per_day: 4}        # this group's own volume caps
    # topics: [milk-tea]        # this group's business topics, instead of planner.yaml's
"""

BLANK_CAMPAIGNS = """# Campaigns bind items to roles, dates and groups (see the README).
campaigns: []
#  - id: winter-launch
#    # kind: launch | live | seven_day_retention | training_camp | short_event | reactivation
#    kind: launch
#    name: 冬季上新
#    targets: {groups: [my-first-group]}
#    launch_at: 2026-11-26 20:00
#    deadline: 2026-11-29 22:00
#    items:
#      - {item: news-winter-tea-teaser, role: teaser}
#      - {item: news-winter-tea-launch, role: launch}
"""

BLANK_LOCKS = """# Your word on single posts; every plan honours it.
locks: []
#  - {group: my-first-group, item: checkin-morning, at: 2026-11-24 07:30}   # pin
#  - {group: my-first-group, item: deal-eggs-break-even, forbid: true}     # never this week
#  - {group: my-first-group, date: 2026-11-27, no_posts: true}             # a quiet day
"""


def _commented(text: str) -> str:
    return "".join(f"# {line}" if line.strip() else "#\n" for line in text.splitlines(True))


def init_workspace(target: Path, source: str = "demo") -> tuple[list[Path], list[Path]]:
    """Scaffold a workspace; returns (written, kept because they already existed)."""
    files: dict[str, str] = {}
    if source == "demo":
        demo = demo_workspace()
        for name in ("planner.yaml", "groups.yaml", "campaigns.yaml"):
            kind = name.split(".")[0]
            files[name] = _schema_line(kind) + (demo / name).read_text(encoding="utf-8")
        files["locks.yaml"] = _schema_line("locks") + BLANK_LOCKS
    else:
        files["planner.yaml"] = _schema_line("planner") + BLANK_SETTINGS
        files["groups.yaml"] = _schema_line("groups") + BLANK_GROUPS
        files["campaigns.yaml"] = _schema_line("campaigns") + BLANK_CAMPAIGNS
        files["locks.yaml"] = _schema_line("locks") + BLANK_LOCKS
    for kind in sorted(ITEM_MODELS):
        files[f"content_library/examples/{kind}.md.example"] = item_template(kind)
    files["content_library/README.md"] = (
        "# Your own content items\n\nOne Markdown file per item: `<kind>/<id>.md`. "
        "`examples/` holds one commented example per kind (`.example` files are not "
        "loaded); `planner add-item KIND` writes a new one.\n"
    )
    for name in ("caps", "peaks", "stages", "group_types"):
        text = (builtin_rules() / f"{name}.yaml").read_text(encoding="utf-8")
        files[f"rules/{name}.yaml"] = (
            _schema_line(name).replace("./", "../")
            + f"# Overrides of the built-in {name}.yaml: uncomment and change only what you need;\n"
            "# the rest keeps the built-in value (deep merge).\n#\n" + _commented(text)
        )
    written, kept = [], []
    for relative, text in sorted(files.items()):
        path = target / relative
        if path.exists():
            kept.append(path)
            continue
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        written.append(path)
    write_schemas(target / SCHEMA_DIR)
    return written, kept


def _example(annotation: typing.Any, name: str) -> str:
    """A plausible YAML value for a required field, so the new item validates at once."""
    examples = {
        "points": "5",
        "question": "下面哪种茶属于半发酵茶？",
        "options": "[铁观音, 龙井]",
        "answer": "铁观音",
        "price": "9.9",
        "original_price": "19.9",
        "stock": "50",
        "deadline": '"22:00"',
        "duration_minutes": "60",
        "prize": "定制茶具一套",
        "amount": "200",
        "place": "静安店二楼茶室",
        "fee": "39",
    }
    return examples.get(name, '""')


# What a new item holds until the user writes their own; `planner check` reports an item
# that still holds either (planner/workspace/check_status.py).
PLACEHOLDER_TITLE = "新内容标题"
PLACEHOLDER_TEXT = "这里写要发到群里的文字"


def item_template(kind: str, item_id: str | None = None) -> str:
    """A new item of `kind` with every field: required ones filled in, the rest commented;
    a draft (never scheduled) until the user sets `status: ready`."""
    model: type[BaseModel] = ITEM_MODELS[kind]
    item_id = item_id or f"my-{kind.replace('_', '-')}"
    lines = ["---", f"id: {item_id}", f"kind: {kind}", f"title: {PLACEHOLDER_TITLE}"]
    lines.append("status: draft   # never scheduled; set ready once the text below is written")
    for name, info in model.model_fields.items():
        if name in {"id", "kind", "title", "status"} | _HIDDEN:
            continue
        key = info.alias or name
        if info.is_required():
            lines.append(f"{key}: {_example(info.annotation, key)}")
        else:
            default = info.get_default(call_default_factory=True)
            shown = (
                json.dumps(default, ensure_ascii=False, default=str) if default is not None else ""
            )
            lines.append(f"# {key}: {shown}".rstrip())
    lines += ["---", f"{{{{ group.name }}}}的朋友们好！{PLACEHOLDER_TEXT}。", ""]
    return "\n".join(lines)


def add_item(workspace: Path, kind: str, item_id: str | None = None) -> Path:
    """Write content_library/<kind>/<id>.md; refuses to overwrite."""
    item_id = item_id or f"my-{kind.replace('_', '-')}"
    path = workspace / "content_library" / kind / f"{item_id}.md"
    if path.exists():
        raise FileExistsError(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(item_template(kind, item_id), encoding="utf-8")
    return path
