"""A figure measured, its target, and whether it meets it."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Figure:
    name: str
    value: float
    unit: str
    target: float | None  # None: a reference figure other figures are compared with
    lower_is_better: bool = True

    @property
    def met(self) -> bool:
        if self.target is None:
            return True
        return self.value <= self.target if self.lower_is_better else self.value >= self.target

    def line(self) -> str:
        if self.target is None:
            return f"{self.name:<58} {self.value:>10.2f} {self.unit:<3} (reference)"
        relation = "<=" if self.lower_is_better else ">="
        verdict = "ok" if self.met else "MISSED"
        target = f"target {relation} {self.target:g} {self.unit}"
        return f"{self.name:<58} {self.value:>10.2f} {self.unit:<3} {target:<22} {verdict}"
