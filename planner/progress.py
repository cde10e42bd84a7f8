"""The progress bar of `planner plan`: groups done, rate and time left, on stderr."""

from __future__ import annotations

import sys


class Progress:
    """Groups done, rate and time left on stderr when there are many problems."""

    THRESHOLD = 8

    def __init__(self) -> None:
        self.bar = None
        self.sizes: dict[str, int] = {}

    def start(self, problems) -> None:
        self.sizes = {p.id: len(p.groups) for p in problems}
        if len(problems) >= self.THRESHOLD:
            from tqdm import tqdm

            self.bar = tqdm(
                total=sum(self.sizes.values()), unit="group", file=sys.stderr, leave=False
            )

    def step(self, solution) -> None:
        if self.bar is not None:
            self.bar.update(self.sizes.get(solution.problem, 0))

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()
            self.bar = None
