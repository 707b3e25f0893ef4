"""The registry of benchmarks and the table each one returns."""
from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import numpy as np

OK = "ok"
MISSED = "MISSED"


@dataclass(frozen=True)
class BenchOptions:
    zones: int
    lookups: int  # measured samples: lookups here, messages for a later latency benchmark
    seed: int
    map_reports: tuple[int, ...] = (100_000,)  # city sizes of the public map benchmark
    figure_reports: int = 1_000_000  # reports of the managers' figures benchmark
    open311_reports: tuple[int, ...] = (100_000, 1_000_000)  # city sizes of the Open311 one
    open311_seconds: float = 20.0  # each measured Open311 call, and its SQL, this long


@dataclass(frozen=True)
class Row:
    metric: str
    value: str
    target: str = ""
    verdict: str = ""  # OK, MISSED, or empty for a figure without a target


@dataclass
class Table:
    title: str
    rows: list[Row] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def add(self, metric: str, value: str, target: str = "", verdict: str = "") -> None:
        self.rows.append(Row(metric, value, target, verdict))

    def at_most(self, metric: str, value: float, limit: float, unit: str = "",
                digits: int = 2) -> None:
        """A row whose target is an upper bound."""
        self.add(metric, f"{value:,.{digits}f}{unit}", f"<= {limit:,.{digits}f}{unit}",
                 OK if value <= limit else MISSED)

    @property
    def missed(self) -> list[Row]:
        return [r for r in self.rows if r.verdict == MISSED]

    def render(self) -> str:
        header = Row("metric", "value", "target", "verdict")
        rows = [header, *self.rows]
        widths = [max(len(getattr(r, name)) for r in rows)
                  for name in ("metric", "value", "target", "verdict")]

        def line(r: Row) -> str:
            cells = (r.metric.ljust(widths[0]), r.value.rjust(widths[1]),
                     r.target.rjust(widths[2]), r.verdict.ljust(widths[3]))
            return "  ".join(cells).rstrip()

        rule = "  ".join("-" * w for w in widths)
        out = [self.title, "=" * len(self.title), line(header), rule]
        out += [line(r) for r in self.rows]
        out += [f"  {note}" for note in self.notes]
        return "\n".join(out)


def percentiles_ms(samples_ns: Sequence[int], quantiles: Sequence[float] = (50, 95, 99)
                   ) -> list[float]:
    """Percentiles of nanosecond samples, in milliseconds."""
    values = np.asarray(samples_ns, dtype=np.float64) / 1e6
    return [float(q) for q in np.percentile(values, quantiles)]


Benchmark = Callable[[BenchOptions], Table]
_BENCHMARKS: dict[str, Benchmark] = {}


def benchmark(name: str) -> Callable[[Benchmark], Benchmark]:
    """Register a benchmark under `name` (what --only selects)."""

    def register(function: Benchmark) -> Benchmark:
        if name in _BENCHMARKS:
            raise ValueError(f"benchmark {name!r} registered twice")
        _BENCHMARKS[name] = function
        return function

    return register


def registered() -> dict[str, Benchmark]:
    return dict(_BENCHMARKS)
