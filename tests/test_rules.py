"""Rule packs: built-in defaults, workspace overrides, and caps resolved per group."""

from __future__ import annotations

from pathlib import Path

from conftest import write

from planner.errors import Findings
from planner.models.common import GroupType, Kind, Stage
from planner.models.rules import CapsOverride, KindLimit
from planner.workspace.resources import builtin_rules
from planner.workspace.rulepacks import load_rules, peak_profile, resolve_caps


def test_builtin_packs_load_clean() -> None:
    findings = Findings()
    rules = load_rules(builtin_rules(), None, findings)
    assert rules is not None, findings.items
    assert not findings.items
    assert set(rules.stages.stages) == set(Stage)
    assert set(rules.group_types.group_types) == set(GroupType)


def test_every_builtin_number_is_commented() -> None:
    """Each built-in pack explains where its numbers come from."""
    for path in builtin_rules().glob("*.yaml"):
        text = path.read_text(encoding="utf-8")
        assert text.lstrip().startswith("#"), f"{path.name} has no header comment"
        assert "docs/defaults.md#" in text, f"{path.name} does not cite docs/defaults.md"


def test_workspace_override_is_deep_merged(tmp_path: Path) -> None:
    write(
        tmp_path / "caps.yaml", "defaults:\n  per_day: 4\ngroup_types:\n  fan:\n    per_hour: 2\n"
    )
    findings = Findings()
    rules = load_rules(builtin_rules(), tmp_path, findings)
    assert rules is not None and not findings.items
    assert rules.caps.defaults.per_day == 4
    assert rules.caps.defaults.per_hour == 2  # untouched built-in value kept
    assert rules.caps.group_types[GroupType.fan].per_hour == 2
    # the user's own default wins over the built-in fan value (3)
    assert rules.caps.group_types[GroupType.fan].per_day is None
    assert resolve_caps(rules.caps, GroupType.fan, Stage.retention).per_day == 4


def test_own_defaults_win_over_builtin_per_type_values(tmp_path: Path) -> None:
    """Issue 17: `defaults: {per_day: 5}` was silently 10 in group-buy groups and 3 in
    fan groups (the built-in per-type values); only the user's own per-type values win."""
    caps = (
        "defaults:\n  per_day: 5\n  kinds:\n    deal: {per_day: 2}\n"
        "group_types:\n  feedback:\n    per_day: 2\n"
    )
    write(tmp_path / "caps.yaml", caps)
    rules = load_rules(builtin_rules(), tmp_path, Findings())
    assert rules is not None

    def resolved(group_type: GroupType):
        return resolve_caps(rules.caps, group_type, Stage.retention)

    assert {t: resolved(t).per_day for t in GroupType} == {
        **{t: 5 for t in GroupType},
        GroupType.feedback: 2,  # the user's own per-type value
    }
    assert resolved(GroupType.group_buy).kinds[Kind.deal].per_day == 2  # built-in: 6
    assert resolved(GroupType.group_buy).per_hour == 3  # keys the user left: built-in per type


def test_override_error_names_the_workspace_file(tmp_path: Path) -> None:
    path = write(tmp_path / "stages.yaml", "stages:\n  activation:\n    kinds: {chekin: 3}\n")
    findings = Findings()
    assert load_rules(builtin_rules(), tmp_path, findings) is None
    [problem] = findings.errors
    assert problem.path == str(path) and problem.line == 3
    assert "unknown kind 'chekin'" in problem.message and "checkin" in problem.expected


def test_unknown_rule_file_is_reported(tmp_path: Path) -> None:
    write(tmp_path / "cap.yaml", "defaults: {}\n")
    findings = Findings()
    load_rules(builtin_rules(), tmp_path, findings)
    assert any("unknown rule pack 'cap.yaml'" in p.message for p in findings.errors)


def test_caps_resolve_in_order() -> None:
    rules = load_rules(builtin_rules(), None, Findings())
    assert rules is not None
    pack = rules.caps
    base = resolve_caps(pack, GroupType.long_term, Stage.retention)
    assert base.per_day == pack.group_types[GroupType.long_term].per_day
    silent = resolve_caps(pack, GroupType.long_term, Stage.reactivation)
    assert silent.per_day == pack.stages[Stage.reactivation].per_day
    mine = resolve_caps(
        pack,
        GroupType.group_buy,
        Stage.reactivation,
        CapsOverride(per_day=2, kinds={Kind.deal: KindLimit(per_week=5)}),
    )
    assert mine.per_day == 2
    assert mine.kinds[Kind.deal].per_week == 5
    assert (
        mine.kinds[Kind.deal].per_day
        == pack.group_types[GroupType.group_buy].kinds[Kind.deal].per_day
    )


def test_peak_profile_falls_back_to_default() -> None:
    rules = load_rules(builtin_rules(), None, Findings())
    assert rules is not None
    assert peak_profile(rules.peaks, GroupType.fan) == rules.peaks.default
    assert (
        peak_profile(rules.peaks, GroupType.group_buy)
        == rules.peaks.group_types[GroupType.group_buy]
    )
