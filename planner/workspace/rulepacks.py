"""Rule packs: built-in YAML deep-merged with the workspace's rules/, then resolved per group."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from pydantic import TypeAdapter

from planner.errors import Findings
from planner.models.common import GroupType, Stage
from planner.models.rules import (
    Caps,
    CapsOverride,
    CapsPack,
    GroupTypesPack,
    HolidayCalendar,
    HolidayYear,
    KindLimit,
    Peak,
    PeakProfile,
    PeaksPack,
    RulePacks,
    StagesPack,
)
from planner.workspace.validation import validate
from planner.workspace.yamlio import MergedDoc, merge_docs, read_yaml

PACK_FILES: dict[str, type] = {
    "caps": CapsPack,
    "peaks": PeaksPack,
    "stages": StagesPack,
    "group_types": GroupTypesPack,
}
OPTIONAL_FOLDERS = ("holidays",)


def load_rules(
    builtin: Path,
    workspace: Path | None,
    findings: Findings,
    docs: dict[str, MergedDoc] | None = None,
) -> RulePacks | None:
    """Every pack, merged; None when any pack is invalid (findings say why).

    `docs`, when given, receives each merged pack so later messages can say
    which file and line set a rule.
    """
    if workspace is not None and workspace.is_dir():
        for path in sorted(workspace.iterdir()):
            known = path.suffix in (".yaml", ".yml") and path.stem in PACK_FILES
            if not known and path.name not in OPTIONAL_FOLDERS and not path.name.startswith("."):
                findings.add(
                    path,
                    0,
                    f"unknown rule pack '{path.name}'",
                    f"expected one of: {', '.join(f'{n}.yaml' for n in PACK_FILES)}",
                )
    packs: dict[str, object] = {}
    for name, model in PACK_FILES.items():
        base = read_yaml(builtin / f"{name}.yaml", findings)
        override = _override(workspace, name, findings) if workspace is not None else None
        if base is None:
            continue
        merged = merge_docs(base, override)
        if name == "caps" and override is not None:
            own_defaults_win(merged, override.data)
        if docs is not None:
            docs[name] = merged
        packs[name] = validate(TypeAdapter(model), merged, findings)
    holidays = load_holidays(
        builtin / "holidays", workspace / "holidays" if workspace else None, findings
    )
    if any(pack is None for pack in packs.values()) or len(packs) != len(PACK_FILES):
        return None
    return RulePacks(**packs, holidays=holidays)


def _override(workspace: Path, name: str, findings: Findings):
    """The workspace's own `<name>.yaml` (or .yml), None when absent or not a mapping."""
    override = None
    for suffix in (".yaml", ".yml"):
        candidate = workspace / f"{name}{suffix}"
        if candidate.is_file():
            override = read_yaml(candidate, findings)
            if override is not None and not isinstance(override.data, dict | None):
                findings.add(
                    candidate, 1, "a rule pack must be a mapping of keys", "'key: value' lines"
                )
                override = None
    return override


def own_defaults_win(merged: MergedDoc, own: object) -> None:
    """A workspace's own caps.defaults win over the built-in per-type values: a user who
    writes `defaults: {per_day: 4}` means every group, and only their own
    `group_types.<type>` values may set a type apart (the built-in `group_buy: {per_day: 10}`
    silently won before)."""
    defaults = own.get("defaults") if isinstance(own, dict) else None
    types = merged.data.get("group_types") if isinstance(merged.data, dict) else None
    if not isinstance(defaults, dict) or not isinstance(types, dict):
        return
    own_types = own.get("group_types")
    own_types = own_types if isinstance(own_types, dict) else {}
    kept = {
        name: _builtin_gives_way(values, defaults, own_types.get(name))
        if isinstance(values, dict)
        else values
        for name, values in types.items()
    }
    merged.data = {**merged.data, "group_types": kept}


def _builtin_gives_way(values: dict, defaults: dict, own_type: object) -> dict:
    """`values` (one type's merged caps) without the built-in keys the user's defaults set;
    nested mappings (`kinds: {deal: {per_day}}`) key by key."""
    own_type = own_type if isinstance(own_type, dict) else {}
    out = {}
    for key, value in values.items():
        if key not in defaults or (key in own_type and not isinstance(value, dict)):
            out[key] = value
        elif isinstance(value, dict) and isinstance(defaults[key], dict):
            out[key] = _builtin_gives_way(value, defaults[key], own_type.get(key))
    return out


def _apply(caps: dict, override: CapsOverride | None) -> dict:
    if override is None:
        return caps
    out = dict(caps)
    for name in (
        "per_day",
        "per_hour",
        "min_gap_minutes",
        "quiet_hours",
        "promo_share_max",
        "item_days_per_week",
    ):
        value = getattr(override, name)
        if value is not None:
            out[name] = value
    kinds = dict(out["kinds"])
    for kind, limit in override.kinds.items():
        old = kinds.get(kind, KindLimit())
        kinds[kind] = KindLimit(
            per_day=limit.per_day if limit.per_day is not None else old.per_day,
            per_week=limit.per_week if limit.per_week is not None else old.per_week,
        )
    out["kinds"] = kinds
    return out


def resolve_caps(
    pack: CapsPack, group_type: GroupType, stage: Stage, group: CapsOverride | None = None
) -> Caps:
    """Defaults -> group type -> stage -> the group's own overrides."""
    caps = dict(pack.defaults)
    caps = _apply(caps, pack.group_types.get(group_type))
    caps = _apply(caps, pack.stages.get(stage))
    caps = _apply(caps, group)
    return Caps(**caps)


def peak_profile(pack: PeaksPack, group_type: GroupType) -> PeakProfile:
    return pack.group_types.get(group_type, pack.default)


def peaks_on(
    rules: RulePacks, group_type: GroupType, day: date, group_id: str | None = None
) -> tuple[Peak, ...]:
    """The attention windows of a day: holidays use the holiday (or weekend) profile,
    adjusted working days (调休) the weekday one. A group with learned attention uses its
    own weekday's peaks, Sunday's on a holiday."""
    kind = rules.holidays.day_type(day)
    learned = rules.learned.get(group_id) if group_id is not None else None
    if learned is not None:
        return learned[6 if kind == "holiday" else day.weekday()]
    profile = peak_profile(rules.peaks, group_type)
    if kind == "holiday":
        return tuple(profile.holiday if profile.holiday is not None else profile.weekend)
    return tuple(profile.weekend if kind == "weekend" else profile.weekday)


def load_holidays(builtin: Path, workspace: Path | None, findings: Findings) -> HolidayCalendar:
    """Every year file of rules/holidays/; a workspace file replaces the built-in year."""
    years: dict[int, HolidayYear] = {}
    adapter = TypeAdapter(HolidayYear)
    for folder in (builtin, workspace):
        if folder is None or not folder.is_dir():
            continue
        for path in sorted(folder.glob("*.y*ml")):
            doc = read_yaml(path, findings)
            if doc is None:
                continue
            if not isinstance(doc.data, dict):
                findings.add(path, 1, "a holiday file must be a mapping of keys", "year: 2027 ...")
                continue
            year = validate(adapter, doc, findings)
            if year is not None:
                years[year.year] = year
    return HolidayCalendar(years=years)
