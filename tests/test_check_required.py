"""`planner check` warns, without solving, of a stage whose required post no item can be."""

from __future__ import annotations

from pathlib import Path

from tiny import build, group, items_of

from planner.workspace.check import check_workspace


def _warnings(root: Path) -> list:
    _, findings = check_workspace(root)
    return [f for f in findings.warnings if "needs" in f.message and "every day" in f.message]


def test_a_required_post_no_item_can_be_is_named_with_both_lines(tmp_path: Path) -> None:
    """Retention requires a morning check-in; the only check-in is for activation."""
    items = items_of(("ck", "checkin", {"stages": ["activation"]}), ("a", "article", {}))
    build(tmp_path, [group("g")], items)
    [warning] = _warnings(tmp_path)
    groups = (tmp_path / "groups.yaml").read_text("utf-8").splitlines()
    assert warning.path == str(tmp_path / "groups.yaml")
    assert "- from:" in groups[warning.line - 1]  # the stage entry of the timeline
    assert "group 'g' in stage retention needs checkin 07:00-09:30 every day (built-in " in (
        warning.message
    )
    assert "rules/stages.yaml:" in warning.message and "long_term" in warning.message


def test_an_item_that_fits_or_a_campaign_binding_silences_it(tmp_path: Path) -> None:
    build(tmp_path / "fits", [group("g")], items_of(("ck", "checkin", {"repeat": "daily"})))
    assert _warnings(tmp_path / "fits") == []
    late = items_of(("ck", "checkin", {"window": "20:00-21:00"}))
    build(tmp_path / "late", [group("g")], late)
    assert len(_warnings(tmp_path / "late")) == 1  # its window never meets 07:00-09:30
    draft = items_of(("ck", "checkin", {"status": "draft"}))
    build(tmp_path / "draft", [group("g")], draft)
    assert len(_warnings(tmp_path / "draft")) == 1  # a draft is never scheduled
