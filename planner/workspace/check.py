"""`planner check`: every problem of a workspace, found in one run.

Loading reports what is wrong inside each file; this module adds what only the
whole workspace shows: dangling references, stage/kind conflicts, templates
that cannot render for a group that may receive them.
"""

from __future__ import annotations

from datetime import datetime, time
from pathlib import Path

from planner.errors import Findings
from planner.models.campaigns import SevenDayRetentionCampaign
from planner.models.common import GroupType, Kind
from planner.rules.deal_days import deal_days
from planner.rules.eligibility import (
    campaign_targets,
    fits_group_type,
    fits_topics,
    group_topics,
    item_stages,
    may_receive,
)
from planner.workspace.check_layouts import check_layouts
from planner.workspace.check_required import check_required_posts
from planner.workspace.check_status import check_bound_draft, check_status
from planner.workspace.check_templates import check_unrendered_items
from planner.workspace.check_topics import check_topics
from planner.workspace.images import find_image
from planner.workspace.load import (
    CAMPAIGNS_FILE,
    GROUPS_FILE,
    LOCKS_FILE,
    SETTINGS_FILE,
    Workspace,
    load_workspace,
)
from planner.workspace.pinned import check_pinned_times
from planner.workspace.templates import RESERVED_NAMES, TemplateProblem, post_context, render_item

# Roles whose item must be of one kind; the rest accept any kind.
ROLE_KINDS: dict[str, tuple[Kind, ...]] = {
    "live": (Kind.live,),
    "deal": (Kind.deal,),
    "dissolve": (Kind.dissolve_notice,),
    "checkin": (Kind.checkin,),
}


def check_workspace(root: Path) -> tuple[Workspace | None, Findings]:
    findings = Findings()
    workspace = load_workspace(root, findings)
    if workspace is not None:
        _check_overrides(workspace, findings)
        _check_groups(workspace, findings)
        _check_idle_operators(workspace, findings)
        _check_items(workspace, findings)
        _check_campaigns(workspace, findings)
        _check_locks(workspace, findings)
        _check_templates(workspace, findings)
        check_layouts(workspace, findings)
        check_pinned_times(workspace, findings)
        check_status(workspace, findings)
        check_topics(workspace, findings)
        check_required_posts(workspace, findings)
    return workspace, findings


def _check_idle_operators(ws: Workspace, findings: Findings) -> None:
    """An operator in planner.yaml that no group names gets no posts: likely a typo in
    groups.yaml's `operator`, or a colleague whose groups were forgotten."""
    doc = ws.docs.get(SETTINGS_FILE)
    busy = {group.operator for group in ws.groups}
    for operator in sorted(set(ws.settings.operators) - busy):
        findings.add(
            doc.path if doc else SETTINGS_FILE,
            doc.line(("operators", operator)) if doc else 0,
            f"operator '{operator}' runs no group, so gets no posts this week",
            "name the operator in a group's `operator` in groups.yaml, or remove it",
            f"operators.{operator}",
            severity="warning",
        )


def _entries(doc, key: str) -> list[dict]:
    """The mapping entries of a file's top-level list (non-mappings become empty)."""
    data = doc.data if isinstance(doc.data, dict) else {}
    entries = data.get(key)
    return [e if isinstance(e, dict) else {} for e in entries] if isinstance(entries, list) else []


def _index(doc, key: str) -> dict[str, int]:
    """Position of the first entry with each id, for line numbers."""
    out: dict[str, int] = {}
    for position, entry in enumerate(_entries(doc, key)):
        if isinstance(entry.get("id"), str):
            out.setdefault(entry["id"], position)
    return out


def _check_overrides(ws: Workspace, findings: Findings) -> None:
    for item_id, (mine, builtin) in sorted(ws.library.overridden.items()):
        findings.add(
            mine,
            2,
            f"item '{item_id}' overrides the built-in item of the same id ({builtin})",
            "rename the id to keep both",
            "id",
            severity="note",
        )


def _check_groups(ws: Workspace, findings: Findings) -> None:
    doc = ws.docs.get(GROUPS_FILE)
    if doc is None:
        return
    index = _index(doc, "groups")
    declared = ws.settings.operators
    for group in ws.groups:
        at = ("groups", index[group.id])
        if declared and group.operator not in declared:
            findings.add(
                doc.path,
                doc.line((*at, "operator")),
                f"unknown operator '{group.operator}'",
                f"one of the operators in planner.yaml: {', '.join(sorted(declared))}",
                "operator",
            )
        for name in group.vars:
            if name in RESERVED_NAMES:
                findings.add(
                    doc.path,
                    doc.line((*at, "vars", name)),
                    f"template variable '{name}' is reserved",
                    f"choose another name than {', '.join(RESERVED_NAMES)}",
                    f"vars.{name}",
                )
        if group.type == GroupType.short_event and group.event_end is None:
            findings.add(
                doc.path,
                doc.line(at),
                f"short_event group '{group.id}' has no event_end",
                "add event_end: YYYY-MM-DD so the dissolve notice can be planned",
                "event_end",
                severity="warning",
            )


def _check_items(ws: Workspace, findings: Findings) -> None:
    stage_rules = ws.rules.stages.stages
    forbidding = ws.rules.group_types.group_types
    for item_id, item in ws.items.items():
        doc = ws.library.docs[item_id]
        for position, stage in enumerate(item.stages):
            if item.kind not in stage_rules[stage].kinds:
                findings.add(
                    item.source,
                    doc.line(("stages", position)),
                    f"stage '{stage}' does not allow kind '{item.kind}' (rules/stages.yaml)",
                    "remove the stage, or add the kind to that stage's kinds",
                    "stages",
                )
        for position, group_type in enumerate(item.group_types):
            if item.kind in forbidding[group_type].forbidden_kinds:
                findings.add(
                    item.source,
                    doc.line(("group_types", position)),
                    f"group type '{group_type}' forbids kind '{item.kind}' "
                    "(rules/group_types.yaml)",
                    "remove the group type from the item",
                    "group_types",
                )
        _check_image(item, doc, findings)
        known = {f.name for year in ws.rules.holidays.years.values() for f in year.festivals}
        if item.festival and item.festival not in known:
            findings.add(
                item.source,
                doc.line(("festival",)),
                f"unknown festival '{item.festival}'",
                f"one of {', '.join(sorted(known)) or 'none'} (rules/holidays/), or add it there",
                "festival",
            )
        reminded = getattr(item, "of", None)
        if reminded and reminded not in ws.items:
            findings.add(
                item.source,
                doc.line(("of",)),
                f"'of' names unknown item '{reminded}'",
                "the id of an item in the library",
                "of",
            )


def _check_image(item, doc, findings: Findings) -> None:
    problem = find_image(item)[1] if item.image else ""
    if problem:
        findings.add(
            item.source,
            doc.line(("image",)),
            f"image {item.image!r} {problem}",
            "an image file under content_library/, its path relative to the item file "
            "or to content_library/",
            "image",
        )


def _check_campaigns(ws: Workspace, findings: Findings) -> None:
    doc = ws.docs.get(CAMPAIGNS_FILE)
    if doc is None:
        return
    index = _index(doc, "campaigns")
    groups_doc = ws.docs.get(GROUPS_FILE)
    group_ids = {g.id for g in ws.groups} | set(_index(groups_doc, "groups") if groups_doc else {})
    known = {f.name for year in ws.rules.holidays.years.values() for f in year.festivals}
    for campaign in ws.campaigns:
        at = ("campaigns", index[campaign.id])
        if campaign.festival and campaign.festival not in known:
            findings.add(
                doc.path,
                doc.line((*at, "festival")),
                f"unknown festival '{campaign.festival}'",
                f"one of {', '.join(sorted(known)) or 'none'} (rules/holidays/), or add it there",
                "festival",
            )
        for position, group_id in enumerate(campaign.targets.groups):
            if group_id not in group_ids:
                findings.add(
                    doc.path,
                    doc.line((*at, "targets", "groups", position)),
                    f"campaign '{campaign.id}' targets unknown group '{group_id}'",
                    "the id of a group in groups.yaml",
                    "targets.groups",
                )
        for position, tag in enumerate(campaign.targets.tags):
            if not any(tag in g.tags for g in ws.groups):
                findings.add(
                    doc.path,
                    doc.line((*at, "targets", "tags", position)),
                    f"campaign '{campaign.id}': no group has tag '{tag}'",
                    "a tag used in groups.yaml",
                    "targets.tags",
                    severity="warning",
                )
        _check_bindings(ws, findings, doc, at, campaign)
        _check_deal_days(findings, doc, at, campaign)


def _check_deal_days(findings: Findings, doc, at: tuple, campaign) -> None:
    """Ordered deals past the retention's days never go out: say so rather than drop them."""
    if campaign.kind != "seven_day_retention":
        return
    dated = deal_days(campaign)
    dropped = sorted((n, item) for item, (n, day) in dated.items() if day is None)
    if dropped:
        positions = {b.item: p for p, b in enumerate(campaign.items)}
        first = dropped[0][1]
        findings.add(
            doc.path,
            doc.line((*at, "items", positions[first], "order")),
            f"campaign '{campaign.id}' orders {len(dated)} deals, but its {campaign.days} "
            f"days hold {len(dated) - len(dropped)} at deals_per_day "
            f"{campaign.deals_per_day[1]}: {', '.join(i for _, i in dropped)} never go out",
            "fewer ordered deals, more days or a higher deals_per_day",
            "items.order",
            severity="warning",
        )


def _check_bindings(ws: Workspace, findings: Findings, doc, at: tuple, campaign) -> None:
    """Each item a campaign binds: known, of a kind its role takes, fit for every target."""
    targets = campaign_targets(ws.groups, campaign)
    for position, binding in enumerate(campaign.items):
        where = doc.line((*at, "items", position, "item"))
        item = ws.items.get(binding.item)
        if item is None and binding.item in ws.library.broken:
            continue  # the item's own file already reports what is wrong with it
        if item is None:
            findings.add(
                doc.path,
                where,
                f"campaign '{campaign.id}' names unknown item '{binding.item}'",
                "the id of an item in content_library/",
                "items.item",
            )
            continue
        check_bound_draft(ws, findings, doc, where, campaign, item)
        kinds = ROLE_KINDS.get(binding.role)
        if kinds and item.kind not in kinds:
            findings.add(
                doc.path,
                where,
                f"item '{item.id}' is a {item.kind}, but role '{binding.role}' needs a "
                f"{' or '.join(kinds)}",
                f"an item of kind {' or '.join(kinds)}",
                "items.role",
            )
        for group in targets:
            if not fits_group_type(item, group, ws.rules):
                findings.add(
                    doc.path,
                    where,
                    f"item '{item.id}' cannot go to group '{group.id}' (type {group.type})",
                    "an item whose group_types include that type, of a kind the type allows",
                    "items.item",
                )


def _check_locks(ws: Workspace, findings: Findings) -> None:
    doc = ws.docs.get(LOCKS_FILE)
    if doc is None:
        return
    groups = {g.id for g in ws.groups}
    for position, entry in enumerate(_entries(doc, "locks")):
        if isinstance(entry.get("group"), str) and entry["group"] not in groups:
            findings.add(
                doc.path,
                doc.line(("locks", position, "group")),
                f"lock names unknown group '{entry['group']}'",
                "the id of a group in groups.yaml",
                "group",
            )
        item = entry.get("item")
        if isinstance(item, str) and item not in ws.items and item not in ws.library.broken:
            findings.add(
                doc.path,
                doc.line(("locks", position, "item")),
                f"lock names unknown item '{item}'",
                "the id of an item in content_library/",
                "item",
            )


def _check_templates(ws: Workspace, findings: Findings) -> None:
    """Render every item for every group that may receive it; report each error once."""
    sample = datetime.combine(_first_day(ws), time(9, 0))
    post = post_context(sample, streak=1, locale=ws.settings.locale)
    seen: set[tuple[str, int, str]] = set()
    rendered: set[str] = set()

    def attempt(item, group, campaign=None, next_item=None) -> None:
        rendered.add(item.id)
        try:
            render_item(item, group, post, campaign, next_item)
        except TemplateProblem as exc:
            key = (item.source, exc.line, exc.message)
            if key not in seen:
                seen.add(key)
                syntax = exc.message.startswith("template syntax error")
                findings.add(
                    item.source,
                    exc.line,
                    exc.message if syntax else f"{exc.message} (rendering for group '{group.id}')",
                    "valid Jinja2: close every {% if %} with {% endif %} and every {{ with }}"
                    if syntax
                    else "use only group, item, post, campaign, next_item and the group's vars; "
                    "give optional vars a default: {{ name | default('...') }}",
                    "body",
                )

    for item in ws.items.values():
        if not item_stages(item, ws.rules):
            continue
        for group in ws.groups:
            topics = group_topics(group, ws.settings.topics)
            if may_receive(item, group, ws.rules) and fits_topics(item, topics):
                attempt(item, group)
    for campaign in ws.campaigns:
        context = campaign.model_dump(mode="json")
        bound = [ws.items[b.item] for b in campaign.items if b.item in ws.items]
        deals = [i for i in bound if i.kind == Kind.deal]
        for group in campaign_targets(ws.groups, campaign):
            for item in bound:
                following = None
                if isinstance(campaign, SevenDayRetentionCampaign) and deals:
                    following = (
                        deals[(deals.index(item) + 1) % len(deals)] if item in deals else None
                    )
                attempt(item, group, context, following)
    check_unrendered_items(ws, rendered, findings)


def _first_day(ws: Workspace):
    days = [span.from_ for g in ws.groups for span in g.stages]
    return min(days) if days else datetime(2026, 1, 5).date()
