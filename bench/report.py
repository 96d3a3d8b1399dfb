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
    unmeasured: str | None = None  # why it could not be measured: it then counts as missed

    @classmethod
    def not_measured(
        cls, name: str, why: str, unit: str = "", target: float | None = None, lower_is_better: bool = True
    ) -> Figure:
        return cls(name, float("nan"), unit, target, lower_is_better, unmeasured=why)

    @property
    def met(self) -> bool:
        if self.unmeasured is not None:
            return False
        if self.target is None:
            return True
        return self.value <= self.target if self.lower_is_better else self.value >= self.target

    def line(self) -> str:
        relation = "<=" if self.lower_is_better else ">="
        target = "reference" if self.target is None else f"target {relation} {self.target:g} {self.unit}"
        if self.unmeasured is not None:
            return f"{self.name:<58} not measured: {self.unmeasured} ({target}) MISSED"
        if self.target is None:
            return f"{self.name:<58} {self.value:>10.2f} {self.unit:<3} ({target})"
        verdict = "ok" if self.met else "MISSED"
        return f"{self.name:<58} {self.value:>10.2f} {self.unit:<3} {target:<22} {verdict}"
