"""What every benchmark script shares: CPU clocks, medians with their spread, and figures.

A figure is one number a script reports against its target.  Each script prints its
figures as it goes and, when ``BENCH_FIGURES`` names a file, also appends them to it
as JSON lines, which ``run_all.py`` gathers into one summary table.

The machine is shared, so the benchmarks count CPU time (``time.process_time``, or a
child's own clock sent back over a pipe) rather than wall time where they can, and
give the median of several rounds with the spread between the lowest and the
highest, so that noise shows.
"""

from __future__ import annotations

import json
import os
import resource
import statistics
import time
from collections.abc import Sequence
from typing import Any

__all__ = ["Spread", "cpu_seconds", "figure", "rss_mb", "spread"]


def cpu_seconds() -> float:
    """CPU time of this process (user + system, every thread)."""
    return time.process_time()


def rss_mb(field: str = "VmRSS") -> float:
    """Resident memory of this process from /proc (Linux), in MB; the peak with ``VmHWM``."""
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith(field + ":"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    if field == "VmHWM":
        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return float("nan")


class Spread:
    """The median of some measurements, with their lowest and highest."""

    def __init__(self, values: Sequence[float]) -> None:
        self.values = list(values)
        self.median = statistics.median(self.values) if self.values else float("nan")
        self.low = min(self.values, default=float("nan"))
        self.high = max(self.values, default=float("nan"))

    @property
    def noise(self) -> float:
        """(highest - lowest) / median: how far apart the rounds were."""
        return (self.high - self.low) / self.median if self.median else float("nan")

    def describe(self, scale: float = 1.0, unit: str = "", digits: int = 1) -> str:
        return (
            f"{self.median * scale:.{digits}f}{unit} "
            f"(rounds {self.low * scale:.{digits}f}-{self.high * scale:.{digits}f}, "
            f"spread {self.noise:.0%})"
        )


def spread(values: Sequence[float]) -> Spread:
    return Spread(values)


def figure(
    name: str,
    value: float,
    *,
    unit: str = "",
    target: str = "",
    met: bool | None = None,
    note: str = "",
) -> None:
    """Report one figure: printed, and recorded for ``run_all.py`` when it listens."""
    verdict = "" if met is None else ("ok" if met else "MISSED")
    shown = f"{value:,.3g}" if abs(value) < 100 else f"{value:,.0f}"
    print(f"  => {name}: {shown}{unit}  (target {target or '-'}) {verdict} {note}".rstrip())
    path = os.environ.get("BENCH_FIGURES")
    if not path:
        return
    record: dict[str, Any] = {
        "name": name,
        "value": value,
        "unit": unit,
        "target": target,
        "met": met,
        "note": note,
    }
    with open(path, "a", encoding="utf-8") as sink:
        sink.write(json.dumps(record) + "\n")
