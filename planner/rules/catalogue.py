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
from importlib import import_module


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
    add: Callable  # (model, weight) -> (coefficient, variable) pairs to maximise
    score: Callable  # (scorer, weight) -> int, recomputed from the plan alone
    describe: Callable  # (sources) -> str
    weight: str | None = None
    second_pass: bool = False  # a re-plan's tie-break among plans of the best value


# In the order the model adds them (filters first: they shape the candidates); each
# module holds RULE (or TERM for the objective's terms).
RULE_MODULES = (
    "stage",
    "group_type",
    "topics",
    "status",
    "validity",
    "campaign_only",
    "deal_order",
    "first_day_only",
    "item_window",
    "event_side",
    "quiet_hours",
    "operator_hours",
    "campaign_window",
    "campaign_ban",
    "one_post_per_slot",
    "per_day_cap",
    "per_hour_cap",
    "min_gap",
    "kind_per_day",
    "kind_per_week",
    "promo_share",
    "required_post",
    "item_reuse",
    "item_days",
    "operator_capacity",
    "operator_daily_load",
    "campaign_need",
    "campaign_order",
    "first_day",
    "openers_once",
    "live_overlap",
    "well_formed",
)
TERM_MODULES = ("value", "variety", "mix", "stability", "item_days_window")

RULES: tuple[Rule, ...] = tuple(import_module(f"planner.rules.{m}").RULE for m in RULE_MODULES)
TERMS: tuple[Term, ...] = tuple(import_module(f"planner.rules.{m}").TERM for m in TERM_MODULES)
BY_NAME: dict[str, Rule] = {rule.name: rule for rule in RULES}
MODEL_RULES = tuple(rule for rule in RULES if rule.constrain is not None)


def filters(level: str) -> tuple[Rule, ...]:
    """The candidate filters that run per group ("item"), per group-day ("day") or per
    slot ("slot")."""
    return tuple(rule for rule in RULES if rule.admits is not None and rule.level == level)
