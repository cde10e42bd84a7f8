"""Load a whole workspace (files -> validated models), collecting every problem at once."""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field
from pathlib import Path

from pydantic import TypeAdapter

from planner.errors import Findings
from planner.models.campaigns import Campaign
from planner.models.groups import Group
from planner.models.items import ItemBase
from planner.models.locks import Lock
from planner.models.rules import RulePacks
from planner.models.settings import Settings
from planner.workspace.library import Library, load_library
from planner.workspace.resources import builtin_library, builtin_rules
from planner.workspace.rulepacks import load_rules
from planner.workspace.validation import validate
from planner.workspace.yamlio import MergedDoc, YamlDoc, read_yaml

SETTINGS_FILE = "planner.yaml"
GROUPS_FILE = "groups.yaml"
CAMPAIGNS_FILE = "campaigns.yaml"
LOCKS_FILE = "locks.yaml"
_GROUP = TypeAdapter(Group)
_CAMPAIGN = TypeAdapter(Campaign)
_SETTINGS = TypeAdapter(Settings)
_LOCK = TypeAdapter(Lock)


@dataclass
class Workspace:
    """Everything a user wrote, validated; `docs` keep line numbers for later checks."""

    root: Path
    settings: Settings
    groups: list[Group]
    campaigns: list[Campaign]
    library: Library
    rules: RulePacks
    docs: dict[str, YamlDoc] = field(default_factory=dict)
    rule_docs: dict[str, MergedDoc] = field(default_factory=dict)
    locks: list[Lock] = field(default_factory=list)

    @property
    def items(self) -> dict[str, ItemBase]:
        return self.library.items

    def group(self, group_id: str) -> Group:
        """By id, through an index: writers and checks ask once per post, and a scan per
        ask made a week of 10,000 groups quadratic. Rebuilt when `groups` is replaced."""
        index = self.__dict__.get("_group_index")
        if index is None or index[0] is not self.groups or index[1] != len(self.groups):
            index = (self.groups, len(self.groups), {g.id: g for g in self.groups})
            self.__dict__["_group_index"] = index
        return index[2][group_id]

    def operators(self) -> dict[str, tuple[str, ...]]:
        """Each operator's group ids, operators and groups in sorted order: the week's
        independent findings, and the unit its files are written in."""
        by_operator: dict[str, list[str]] = {}
        for group in sorted(self.groups, key=lambda g: g.id):
            by_operator.setdefault(group.operator, []).append(group.id)
        return {op: tuple(ids) for op, ids in sorted(by_operator.items())}


def groups_doc_by_operator(ws: Workspace) -> dict[str, YamlDoc]:
    """groups.yaml cut per operator, each entry with its lines, so a worker can cite
    `groups.yaml:LINE` for its own groups without holding every group's entry."""
    doc = ws.docs.get(GROUPS_FILE)
    if doc is None or not isinstance(doc.data, dict):
        return {}
    owner = {g.id: g.operator for g in ws.groups}
    moved: dict[int, tuple[str, int]] = {}  # index in the file -> (operator, index in theirs)
    entries: dict[str, list] = {}
    for index, entry in enumerate(doc.data.get("groups") or []):
        operator = owner.get(entry.get("id")) if isinstance(entry, dict) else None
        if operator is not None:
            moved[index] = (operator, len(entries.setdefault(operator, [])))
            entries[operator].append(entry)
    lines: dict[str, dict] = {operator: {} for operator in entries}
    for loc, line in doc.lines.items():
        if len(loc) >= 2 and loc[0] == "groups" and loc[1] in moved:
            operator, index = moved[loc[1]]
            lines[operator][("groups", index, *loc[2:])] = line
    return {
        operator: YamlDoc(doc.path, {"groups": entries[operator]}, lines[operator], doc.line_offset)
        for operator in entries
    }


def _entries(doc: YamlDoc | None, key: str, findings: Findings, required: bool) -> list | None:
    """The list under the file's single top-level key, with stray keys reported."""
    if doc is None:
        return None
    if doc.data is None:
        if required:
            findings.add(doc.path, 1, "file is empty", f"a top-level '{key}:' list")
        return [] if not required else None
    if not isinstance(doc.data, dict):
        findings.add(doc.path, 1, "file is not a mapping", f"a top-level '{key}:' list")
        return None
    for stray in doc.data:
        if stray != key:
            close = difflib.get_close_matches(str(stray), [key], n=1)
            hint = f"did you mean '{key}'?" if close else f"the only top-level key is '{key}'"
            findings.add(doc.path, doc.line((stray,)), f"unknown key '{stray}'", hint, str(stray))
    entries = doc.data.get(key)
    if entries is None:
        if required:
            findings.add(doc.path, 1, f"missing key '{key}'", f"a top-level '{key}:' list")
        return [] if not required else None
    if not isinstance(entries, list):
        findings.add(
            doc.path, doc.line((key,)), f"'{key}' is not a list", f"'- ' entries under '{key}:'"
        )
        return None
    return entries


def _unique(models: list, doc: YamlDoc, key: str, what: str, findings: Findings) -> list:
    """Drop later duplicates of an id, reporting each against its line."""
    seen: dict[str, int] = {}
    kept = []
    for index, model in models:
        if model.id in seen:
            findings.add(
                doc.path,
                doc.line((key, index, "id")),
                f"duplicate {what} id '{model.id}' "
                f"(first on line {doc.line((key, seen[model.id], 'id'))})",
                f"give every {what} its own id",
                f"{key}.{index}.id",
            )
            continue
        seen[model.id] = index
        kept.append(model)
    return kept


def load_workspace(root: Path, findings: Findings) -> Workspace | None:
    """Read every file of the workspace; None when something essential is unusable."""
    if not root.is_dir():
        findings.add(
            root, 0, "workspace folder not found", "a folder holding planner.yaml and groups.yaml"
        )
        return None
    docs: dict[str, YamlDoc] = {}
    settings = None
    settings_path = root / SETTINGS_FILE
    if not settings_path.is_file():
        findings.add(settings_path, 0, "missing planner.yaml", "create it (planner init makes one)")
    else:
        doc = read_yaml(settings_path, findings)
        if doc is not None:
            docs[SETTINGS_FILE] = doc
            if not isinstance(doc.data, dict):
                findings.add(
                    settings_path, 1, "planner.yaml is not a mapping", "'key: value' lines"
                )
            else:
                settings = validate(_SETTINGS, doc, findings)

    groups: list[Group] = []
    groups_path = root / GROUPS_FILE
    if not groups_path.is_file():
        findings.add(groups_path, 0, "missing groups.yaml", "a 'groups:' list (see README)")
    else:
        doc = read_yaml(groups_path, findings)
        entries = _entries(doc, "groups", findings, required=True)
        if doc is not None and entries is not None:
            docs[GROUPS_FILE] = doc
            parsed = [
                (i, validate(_GROUP, doc, findings, ("groups", i))) for i in range(len(entries))
            ]
            groups = _unique(
                [(i, g) for i, g in parsed if g is not None], doc, "groups", "group", findings
            )

    campaigns: list = []
    campaigns_path = root / CAMPAIGNS_FILE
    if campaigns_path.is_file():
        doc = read_yaml(campaigns_path, findings)
        entries = _entries(doc, "campaigns", findings, required=False)
        if doc is not None and entries is not None:
            docs[CAMPAIGNS_FILE] = doc
            parsed = [
                (i, validate(_CAMPAIGN, doc, findings, ("campaigns", i)))
                for i in range(len(entries))
            ]
            campaigns = _unique(
                [(i, c) for i, c in parsed if c is not None], doc, "campaigns", "campaign", findings
            )

    locks: list[Lock] = []
    locks_path = root / LOCKS_FILE
    if locks_path.is_file():
        doc = read_yaml(locks_path, findings)
        entries = _entries(doc, "locks", findings, required=False)
        if doc is not None and entries is not None:
            docs[LOCKS_FILE] = doc
            parsed = [validate(_LOCK, doc, findings, ("locks", i)) for i in range(len(entries))]
            locks = [lock for lock in parsed if lock is not None]

    use_builtin = settings.use_builtin_library if settings is not None else True
    builtin = builtin_library() if use_builtin else root / ".no-builtin-library"
    library = load_library(builtin, root / "content_library", findings)
    rule_docs: dict[str, MergedDoc] = {}
    rules = load_rules(builtin_rules(), root / "rules", findings, rule_docs)
    # Keep checking the rest even when settings or rule overrides are broken: the
    # user sees every problem in one run (those two are already reported).
    if rules is None:
        rule_docs = {}
        rules = load_rules(builtin_rules(), None, Findings(), rule_docs)
    if settings is None:
        settings = Settings(name=root.resolve().name or "workspace")
    if rules is None:  # the built-in packs themselves are broken: nothing more to check
        return None
    return Workspace(root, settings, groups, campaigns, library, rules, docs, rule_docs, locks)
