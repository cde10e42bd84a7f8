"""What CP-SAT answered for a model, kept per process so an identical model is solved once.

CP-SAT with one worker, a fixed seed and a deterministic time limit gives an identical
model the identical answer, so reusing it changes no plan; it only skips the work.
"""

from __future__ import annotations

import hashlib
import threading
from collections import OrderedDict
from dataclasses import dataclass

from ortools.sat.python import cp_model

from planner.solver.model import Model


@dataclass(frozen=True)
class Answer:
    """What CP-SAT answered for a model: enough to read the plan back (the posts and
    slots chosen, by variable index), small enough to keep."""

    status: int
    objective: float = 0.0
    bound: float = 0.0
    chosen: frozenset[int] = frozenset()

    @classmethod
    def of(cls, status: int, solver: cp_model.CpSolver, built: Model) -> Answer:
        if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            return cls(status)
        decisions = [*built.z, *built.y.values()]
        return cls(
            status,
            solver.objective_value,
            solver.best_objective_bound,
            frozenset(v.index for v in decisions if solver.boolean_value(v)),
        )

    def chose(self, var: cp_model.IntVar) -> bool:
        return var.index in self.chosen


class AnswerCache:
    """Answers to the models this process solved, by the model's and parameters' text.

    CP-SAT with one worker, a fixed seed and a deterministic time limit gives an
    identical model the identical answer, so reusing it changes no plan; it only skips
    the work. Bounded: the oldest answers go first. Locked: an operator's solves may run
    on several threads (cores.each).
    """

    def __init__(self, most: int = 4096):
        self.most = most
        self.answers: OrderedDict[bytes, Answer] = OrderedDict()
        self.hits = 0
        self.lock = threading.Lock()

    @staticmethod
    def key(built: Model, solver: cp_model.CpSolver) -> bytes:
        text = f"{built.model.proto}\n{solver.parameters}"
        return hashlib.blake2b(text.encode("utf-8"), digest_size=32).digest()

    def answer(
        self, built: Model, solver: cp_model.CpSolver, keyed: bool = True
    ) -> tuple[bytes | None, Answer]:
        """`built`'s answer and its key: solved unless known (not `keyed`: solved, not kept)."""
        key = self.key(built, solver) if keyed else None
        answer = self.get(key)
        if answer is None:
            answer = Answer.of(solver.solve(built.model), solver, built)
            self.put(key, answer)
        return key, answer

    def get(self, key: bytes | None) -> Answer | None:
        with self.lock:
            if key is None or key not in self.answers:
                return None
            self.answers.move_to_end(key)
            self.hits += 1
            return self.answers[key]

    def put(self, key: bytes | None, answer: Answer) -> None:
        if key is None or answer.status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            return
        with self.lock:
            self.answers[key] = answer
            while len(self.answers) > self.most:
                self.answers.popitem(last=False)

    def clear(self) -> None:
        with self.lock:
            self.answers.clear()
            self.hits = 0


ANSWERS = AnswerCache()


class Built:
    """An operator's one-group models by their key (AnswerCache.key), kept from the groups'
    own plans for their rooms and families, which clone them (Model.clone) rather than
    build them again: 17 s of the interpreter's time at 200 varied groups. At most `most`
    (about 3 MB each); beyond them, a group's model is built again where it is needed."""

    def __init__(self, most: int = 256):
        self.most = most
        self.models: dict[bytes, Model] = {}
        self.lock = threading.Lock()

    def put(self, key: bytes | None, built: Model) -> None:
        with self.lock:
            if key is not None and len(self.models) < self.most:
                self.models.setdefault(key, built)

    def of(self, key: bytes | None) -> Model | None:
        """The model kept under `key` (not to be changed: clone it), if any."""
        return self.models.get(key) if key is not None else None
