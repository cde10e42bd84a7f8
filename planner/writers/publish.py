"""Write a week's outputs into OUT/<ISO week>/ through one safe, atomic publish."""

from __future__ import annotations

from pathlib import Path

from planner.plan import Plan
from planner.workspace import Workspace
from planner.writers.output import OutputFolder
from planner.writers.report import render_report


def plan_json(plan: Plan) -> str:
    return plan.model_dump_json(indent=2) + "\n"


def write_week(ws: Workspace, plan: Plan, out: Path) -> Path:
    folder = OutputFolder(out / plan.week)
    folder.add("plan.json", plan_json(plan))
    folder.add("report.md", render_report(ws, plan))
    folder.publish()
    return folder.target
