"""Fuzzing every input file kind (issue 22, item 6): whatever a mutation does to planner.yaml,
groups.yaml, campaigns.yaml, locks.yaml, a rule pack, an item's front matter or body, or a
template, `check` and `plan` end in 0, 1, 2, 4 (planned with groups left out) or 64 with
file:line messages, never 3.

Bounded for CI; benchmarks/fuzz_run.py runs the same cases by the thousand."""

from __future__ import annotations

import random

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.fuzz.base import FILES
from tests.fuzz.cases import run_case


@settings(
    max_examples=25,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(st.randoms(use_true_random=False))
def test_mutated_workspaces_end_in_a_documented_exit_code(rng: random.Random) -> None:
    done, outcomes = run_case(rng)
    for outcome in outcomes:
        assert outcome.bug() is None, (done, outcome.output)


def test_the_base_workspace_checks_and_plans(tmp_path) -> None:
    """The seed itself is sound, so a mutation is what a failing case changed."""
    from click.testing import CliRunner

    from planner.cli import main
    from tests.fuzz.base import WEEK, write_base

    root = write_base(tmp_path / "ws")
    assert {"planner.yaml", "groups.yaml", "campaigns.yaml", "locks.yaml"} <= set(FILES)
    runner = CliRunner()
    args = ["plan", str(root), "--week", WEEK, "--out", str(tmp_path / "out"), "--workers", "1"]
    result = runner.invoke(main, args)
    assert result.exit_code == 0, result.output
    assert (tmp_path / "out" / "2026-W48" / "plan.json").is_file()


# Cases of the long run (benchmarks/fuzz_run.py) that met an internal error, once fixed:
# 5845 timezone: Asia (a folder of the zone database), 8436 a lock's `at: 0` (1970, a
# year the holiday calendar could not describe).
@pytest.mark.parametrize("seed", [5845, 8436])
def test_the_long_runs_broken_cases_stay_mended(seed: int) -> None:
    done, outcomes = run_case(random.Random(seed))
    for outcome in outcomes:
        assert outcome.bug() is None, (done, outcome.output)
