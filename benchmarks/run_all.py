"""Runs every benchmark and ends with one table of every figure against its target.

Each script runs in a process of its own (its output passes through as it comes)
and records its figures in a file this script names (``BENCH_FIGURES``, see
``benchlib.figure``).  The transcription benchmark runs with shorter phases than its
defaults, so that the whole run stays within ten minutes on a 2-core machine.

Run: ``make bench`` or ``.venv/bin/python benchmarks/run_all.py [--only NAME ...]``
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent

SCRIPTS: list[tuple[str, list[str]]] = [
    ("bench_transport.py", []),
    ("bench_pagination.py", []),
    ("bench_clubhouse_py.py", []),
    ("bench_rooms.py", []),
    ("bench_scale.py", []),
    ("bench_emulator.py", []),
    ("bench_scrubber.py", []),
    ("bench_transcribe.py", ["--throughput-seconds", "20", "--live-seconds", "10"]),
    ("bench_fleet.py", []),
]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", nargs="*", help="run only these scripts (e.g. bench_rooms)")
    arguments = parser.parse_args()
    chosen = [
        (script, extra)
        for script, extra in SCRIPTS
        if not arguments.only or script.removesuffix(".py") in arguments.only
    ]
    with tempfile.TemporaryDirectory() as scratch:
        figures_file = Path(scratch) / "figures.jsonl"
        environment = {**os.environ, "BENCH_FIGURES": str(figures_file)}
        failed: list[str] = []
        started = time.perf_counter()
        for script, extra in chosen:
            print(f"\n===== {script} {' '.join(extra)}".rstrip(), flush=True)
            began = time.perf_counter()
            done = subprocess.run([sys.executable, str(HERE / script), *extra], env=environment)
            print(f"===== {script}: {time.perf_counter() - began:.0f} s", flush=True)
            if done.returncode != 0:
                failed.append(f"{script} (exit {done.returncode})")
        figures = []
        if figures_file.exists():
            figures = [json.loads(line) for line in figures_file.read_text().splitlines()]
    print(f"\n===== summary ({time.perf_counter() - started:.0f} s in all)\n")
    print(summary(figures))
    if failed:
        print("\nfailed: " + ", ".join(failed))
        raise SystemExit(1)


def summary(figures: list[dict[str, object]]) -> str:
    rows = [("figure", "value", "target", "")]
    for item in figures:
        value = float(item["value"])  # type: ignore[arg-type]
        shown = f"{value:,.3g}" if abs(value) < 100 else f"{value:,.0f}"
        met = item["met"]
        verdict = "" if met is None else ("ok" if met else "MISSED")
        rows.append((str(item["name"]), shown + str(item["unit"]), str(item["target"]), verdict))
    widths = [max(len(row[column]) for row in rows) for column in range(4)]
    lines = []
    for number, row in enumerate(rows):
        lines.append("  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)))
        if number == 0:
            lines.append("  ".join("-" * width for width in widths))
    return "\n".join(line.rstrip() for line in lines)


if __name__ == "__main__":
    main()
