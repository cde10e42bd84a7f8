"""The rule catalogue: every hard rule and objective term of the plan, one unit each.

A `Rule` holds what the model, the independent checker and the conflict explainer
need of one rule, so the three can never disagree:
  - `settings`: the keys it reads, as a user writes them;
  - `constrain(model)`: its CP-SAT constraint, or `admits`: its candidate filter
    (a post the filter refuses is never a candidate);
  - `check(checker)`: its check of a finished plan, from the inputs alone (no ortools);
  - `explain(conflict, guard)`: the words a user reads when it is in conflict, with
    the file:line of each setting.
A `Term` is an objective term: its model term, its recomputation from a plan, and a
sentence saying what it rewards. planner/README.md says how to add a rule.

The rule modules build constraints through the model's own methods and operators, so
nothing here imports ortools (only planner/solver does).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class Rule:
    """One hard rule: named like the violation the checker reports and the guard the
    explainer reads."""

    name: str
    summary: str
    settings: tuple[str, ...]
    check: Callable
    explain: Callable
    constrain: Callable | None = None
    admits: Callable | None = None
    refuses: Callable | None = None  # filters: (conflict, item, group-day) -> why it keeps it out
    level: str = "model"  # filters: "item" (per group), "day" or "slot", where they run
    demand: bool = False  # asks for posts (required posts, campaign needs), not a limit
    by_construction: bool = False  # the problem builder cannot break it (its docstring says why)
    # Glue that gives posts their meaning: switched off to explain a conflict only when the
    # conflict persists with every other rule off (else every core would name it).
    last_resort: bool = False

    def __post_init__(self) -> None:
        given = [self.constrain is not None, self.admits is not None, self.by_construction]
        if sum(given) != 1:
            raise ValueError(
                f"rule {self.name}: give one of a constraint, a candidate filter, by_construction"
            )
        if (self.admits is None) != (self.refuses is None):
            raise ValueError(f"rule {self.name}: a candidate filter says why it refuses")


@dataclass(frozen=True)
class Term:
    """One objective term; `weight` names its weight key in rules/stages.yaml objective
    (None: always on)."""

    name: str
    summary: str
    settings: tuple[str, ...]
    add: Callable  # (model, weight) -> linear terms to maximise
    score: Callable  # (scorer, weight) -> int, recomputed from the plan alone
    describe: Callable  # (sources) -> str
    weight: str | None = None
    second_pass: bool = False  # a re-plan's tie-break among plans of the best value


def _catalogue() -> tuple[tuple[Rule, ...], tuple[Term, ...]]:
    from planner.rules import (
        campaign_ban,
        campaign_need,
        campaign_only,
        campaign_order,
        campaign_window,
        group_type,
        item_reuse,
        item_window,
        kind_per_day,
        kind_per_week,
        live_overlap,
        min_gap,
        mix,
        one_post_per_slot,
        operator_capacity,
        per_day_cap,
        per_hour_cap,
        promo_share,
        quiet_hours,
        required_post,
        stability,
        stage,
        validity,
        value,
        variety,
        well_formed,
    )

    rules = (
        stage.RULE,
        group_type.RULE,
        validity.RULE,
        campaign_only.RULE,
        item_window.RULE,
        quiet_hours.RULE,
        campaign_window.RULE,
        campaign_ban.RULE,
        one_post_per_slot.RULE,
        per_day_cap.RULE,
        per_hour_cap.RULE,
        min_gap.RULE,
        kind_per_day.RULE,
        kind_per_week.RULE,
        promo_share.RULE,
        required_post.RULE,
        item_reuse.RULE,
        operator_capacity.RULE,
        campaign_need.RULE,
        campaign_order.RULE,
        live_overlap.RULE,
        well_formed.RULE,
    )
    terms = (value.TERM, variety.TERM, mix.TERM, stability.TERM)
    return rules, terms


RULES, TERMS = _catalogue()
BY_NAME: dict[str, Rule] = {rule.name: rule for rule in RULES}
MODEL_RULES = tuple(rule for rule in RULES if rule.constrain is not None)


def filters(level: str) -> tuple[Rule, ...]:
    """The candidate filters that run per group ("item"), per group-day ("day") or per
    slot ("slot")."""
    return tuple(rule for rule in RULES if rule.admits is not None and rule.level == level)
