"""One figure from a benchmark, in the form `run_all.py --json` collects.

Each benchmark still prints its own human-readable lines; it also calls `figure(...)` for
each number it reports. When run by `run_all.py` (which sets IRO_BENCH_FIGURES to a file),
the figures are appended there as JSON lines; run on its own, `figure` does nothing more.
"""

from __future__ import annotations

import json
import os
from typing import Any

FIGURES_ENV = "IRO_BENCH_FIGURES"


def figure(
    name: str,
    value: float,
    unit: str,
    *,
    floor: float | None = None,
    floor_name: str = "",
    aim: float | None = None,
    aim_is: str = "value",  # "value" (value <= aim) or "ratio" (value / floor <= aim)
    note: str = "",
) -> dict[str, Any]:
    """Record a figure: its value, the floor measured in the same run, and the aim."""
    ratio = value / floor if floor else None
    measured = ratio if aim_is == "ratio" else value
    entry: dict[str, Any] = {
        "name": name,
        "value": round(value, 4),
        "unit": unit,
        "floor": round(floor, 4) if floor is not None else None,
        "floor_name": floor_name,
        "ratio": round(ratio, 3) if ratio is not None else None,
        "aim": aim,
        "aim_is": aim_is,
        "meets_aim": (measured is not None and measured <= aim) if aim is not None else None,
        "note": note,
    }
    target = os.environ.get(FIGURES_ENV)
    if target:
        with open(target, "a", encoding="utf-8") as out:
            out.write(json.dumps(entry) + "\n")
    return entry
