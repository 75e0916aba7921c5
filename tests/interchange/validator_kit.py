"""Runs Social Finance's validator of the DfE's SSDA903 rules (`lac_validator`) on a return.

`validate_return(out_dir, year)` reads the files `write_return` wrote and gives back every
breach as an Issue (rule, table, CHILD, message). Rules the validator itself cannot run on
the files (its own exceptions) are not the return's errors: they are listed apart, on the
result's `failed_rules`, so a test can see them without failing on them. Rules that need
last year's return or Ofsted's provider lists are skipped by the validator (`skipped_rules`).
"""

from __future__ import annotations

import importlib
import logging
import warnings
from pathlib import Path
from typing import Any, NamedTuple
from unittest import mock

from iro_desktop.interchange.ssda903_write import FILE_NAMES


def _import_quietly() -> Any:
    # lac_validator calls logging.basicConfig(level=INFO) on import, which would make every
    # later test print INFO lines: put the root logger back as it was.
    root = logging.getLogger()
    handlers, level = list(root.handlers), root.level
    try:
        from lac_validator import lac_validator as engine
    finally:
        for handler in list(root.handlers):
            if handler not in handlers:
                root.removeHandler(handler)
        root.setLevel(level)
    # Its own INFO chatter, and the tracebacks of rules it cannot run (kept in failed_rules).
    logging.getLogger("lac_validator").setLevel(logging.CRITICAL)
    return engine


_engine = _import_quietly()


class Issue(NamedTuple):
    rule: str
    table: str
    child: str
    message: str

    def __str__(self) -> str:
        return f"{self.rule} [{self.table}] {self.child}: {self.message}"


class Issues(list[Issue]):
    """The breaches found, with the rules the validator could not run or skipped."""

    def __init__(
        self,
        issues: list[Issue],
        failed_rules: tuple[str, ...] = (),
        skipped_rules: tuple[str, ...] = (),
        ruleset: str = "",
    ) -> None:
        super().__init__(issues)
        self.failed_rules = failed_rules
        self.skipped_rules = skipped_rules
        self.ruleset = ruleset

    def counts(self) -> dict[tuple[str, str], int]:
        """(rule, message) -> how many rows break it: the summary a demo fix starts from."""
        out: dict[tuple[str, str], int] = {}
        for issue in self:
            key = (issue.rule, issue.message)
            out[key] = out.get(key, 0) + 1
        return dict(sorted(out.items()))


def _clean_copy(data_store: dict[str, Any]) -> dict[str, Any]:
    """Each rule's own copy of the tables, as the validator means it to have.

    Its copy_datastore is shallow, so a rule that writes into a table changes it for every
    rule after it: rule 365 fills each open episode's DEC with 31 March, and then 575 and 577
    report every child missing at the year end as missing after care ended.
    """
    return {k: v if k == "metadata" else v.copy(deep=True) for k, v in data_store.items()}


def _rulesets() -> list[str]:
    package = Path(importlib.import_module("lac_validator.rules").__path__[0])
    return sorted(p.name for p in package.iterdir() if p.is_dir() and p.name.startswith("lac20"))


def ruleset_for(year: int) -> str:
    """The ruleset of the collection year ending March `year` (2027 -> lac2026_27), clamped to
    the newest (and oldest) the installed validator has."""
    available = _rulesets()
    wanted = f"lac{year - 1}_{year % 100:02d}"
    if wanted in available:
        return wanted
    return available[-1] if wanted > available[-1] else available[0]


def validate_return(out_dir: Path, year: int, la_code: str = "E08000003") -> Issues:
    """Every DfE rule the return in `out_dir` breaks, for the collection year ending March
    `year`, as the council `la_code` would see it."""
    ruleset = ruleset_for(year)
    registry: dict[str, Any] = importlib.import_module(f"lac_validator.rules.{ruleset}").registry
    files = [
        {
            "name": name,
            "file_content": (Path(out_dir) / name).read_bytes(),
            "description": "This year",
        }
        for name in FILE_NAMES.values()
        if (Path(out_dir) / name).exists()
    ]
    with warnings.catch_warnings(), mock.patch.object(_engine, "copy_datastore", _clean_copy):
        # pandas' chained-assignment and dtype warnings from inside the rules: not ours.
        warnings.simplefilter("ignore")
        v = _engine.LacValidator(
            metadata={"collectionYear": str(year), "localAuthority": la_code},
            files=files,
            registry=registry,
        )
    issues: list[Issue] = []
    for table, frame in v.ds_results.items():
        if table == "metadata":
            continue
        for column in (c for c in frame.columns if str(c).startswith("ERR_")):
            code = str(column)[4:]
            message = registry[code].message if code in registry else ""
            hits = frame[frame[column] == True]  # noqa: E712 (a column of True and NaN)
            for _, row in hits.iterrows():
                child = row.get("CHILD")
                issues.append(Issue(code, table, "" if child is None else str(child), message))
    issues.sort()
    return Issues(
        issues,
        failed_rules=tuple(sorted(map(str, v.fails))),
        skipped_rules=tuple(sorted(map(str, v.skips))),
        ruleset=ruleset,
    )
