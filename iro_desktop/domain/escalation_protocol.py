"""Local dispute resolution protocols, as data.

Every local authority must conclude a dispute within 20 working days of it first being raised,
but the stages differ: Manchester runs six, Cheshire East two and then CAFCASS. A protocol is
read from the `[escalation]` table of the practice profile so a council changes configuration,
not code. The constants below mirror resources/profiles/*.toml.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from iro_desktop.domain.escalation_events import THEME_KEY, THEMES

# The stage key that means "referral to CAFCASS". The IRO Handbook lets an IRO refer to
# CAFCASS at any point, so that move is allowed even where a protocol forbids bypassing.
CAFCASS_STAGE_KEY = "cafcass"

_STAGE_FIELDS = ("key", "name", "from_role", "to_role", "limit_working_days")
_PROTOCOL_FIELDS = (
    "name",
    "overall_limit_working_days",
    "allow_bypass",
    "stages",
    "themes",
    "partner_themes",
)
THEME_LABEL_LIMIT = 80


@dataclass(frozen=True)
class Stage:
    key: str
    name: str
    from_role: str
    to_role: str
    # 0 means open-ended (for example a referral to CAFCASS has no local time limit).
    limit_working_days: int

    def __post_init__(self) -> None:
        for field in ("key", "name", "from_role", "to_role"):
            value = getattr(self, field)
            if not isinstance(value, str) or not value.strip():
                raise ValueError(f"Escalation stage {field} must be some text, not {value!r}.")
        if not self.key.replace("_", "").isalnum() or self.key != self.key.lower():
            raise ValueError(
                f"Escalation stage key '{self.key}' must be lower-case letters, digits and "
                "underscores (for example 'informal' or 'head_of_service')."
            )
        limit = self.limit_working_days
        if isinstance(limit, bool) or not isinstance(limit, int) or not 0 <= limit <= 60:
            raise ValueError(
                f"Stage '{self.key}' limit_working_days must be a whole number from 0 to 60 "
                f"(0 = open-ended), not {limit!r}."
            )

    @property
    def is_cafcass_referral(self) -> bool:
        return self.key == CAFCASS_STAGE_KEY

    @property
    def open_ended(self) -> bool:
        return self.limit_working_days == 0


@dataclass(frozen=True)
class EscalationProtocol:
    name: str
    overall_limit_working_days: int
    allow_bypass: bool
    stages: tuple[Stage, ...]

    def __post_init__(self) -> None:
        if not isinstance(self.name, str) or not self.name.strip():
            raise ValueError(f"The escalation protocol needs a name, not {self.name!r}.")
        limit = self.overall_limit_working_days
        if isinstance(limit, bool) or not isinstance(limit, int) or not 1 <= limit <= 60:
            raise ValueError(
                "overall_limit_working_days must be a whole number from 1 to 60 "
                f"(the IRO Handbook says 20), not {limit!r}."
            )
        if not isinstance(self.allow_bypass, bool):
            raise ValueError(f"allow_bypass must be true or false, not {self.allow_bypass!r}.")
        if not self.stages:
            raise ValueError(f"The escalation protocol '{self.name}' has no stages.")
        keys = [stage.key for stage in self.stages]
        repeated = sorted({key for key in keys if keys.count(key) > 1})
        if repeated:
            raise ValueError(
                f"Escalation stage keys must be unique; repeated: {', '.join(repeated)}."
            )

    def stage(self, key: str) -> Stage:
        for stage in self.stages:
            if stage.key == key:
                return stage
        known = ", ".join(stage.key for stage in self.stages)
        raise ValueError(f"'{key}' is not a stage of the {self.name}. Stages are: {known}.")

    def index_of(self, key: str) -> int:
        return self.stages.index(self.stage(key))

    @property
    def cafcass_stage(self) -> Stage | None:
        return next((stage for stage in self.stages if stage.is_cafcass_referral), None)


def _unknown_fields(table: Mapping[str, Any], allowed: tuple[str, ...], where: str) -> None:
    unknown = sorted(set(table) - set(allowed))
    if unknown:
        raise ValueError(
            f"Unknown setting(s) {', '.join(unknown)} in {where}; expected: {', '.join(allowed)}."
        )


def _required(table: Mapping[str, Any], field: str, where: str) -> Any:
    if field not in table:
        raise ValueError(f"{where} is missing '{field}'.")
    return table[field]


def protocol_from_mapping(d: Mapping[str, Any]) -> EscalationProtocol:
    """Build a protocol from the `[escalation]` table of a practice profile.

    Accepts either that table itself or the whole parsed profile (which has an `escalation`
    table), so callers can pass `tomllib.load(...)` directly.
    """
    if not isinstance(d, Mapping):
        raise ValueError(f"The escalation settings must be a table, not {type(d).__name__}.")
    table: Mapping[str, Any] = d
    if "stages" not in d and isinstance(d.get("escalation"), Mapping):
        table = d["escalation"]
    where = "the [escalation] settings"
    _unknown_fields(table, _PROTOCOL_FIELDS, where)
    raw_stages = _required(table, "stages", where)
    if not isinstance(raw_stages, list | tuple) or not raw_stages:
        raise ValueError(
            "The [escalation] settings need at least one [[escalation.stages]] table, "
            f"not {raw_stages!r}."
        )
    stages = []
    for number, raw in enumerate(raw_stages, start=1):
        stage_where = f"escalation stage {number}"
        if not isinstance(raw, Mapping):
            raise ValueError(f"{stage_where} must be a table, not {raw!r}.")
        _unknown_fields(raw, _STAGE_FIELDS, stage_where)
        values = {field: _required(raw, field, stage_where) for field in _STAGE_FIELDS}
        stages.append(Stage(**values))
    return EscalationProtocol(
        name=_required(table, "name", where),
        overall_limit_working_days=_required(table, "overall_limit_working_days", where),
        allow_bypass=_required(table, "allow_bypass", where),
        stages=tuple(stages),
    )


MANCHESTER = EscalationProtocol(
    name="Manchester dispute resolution protocol (relaunched November 2015)",
    overall_limit_working_days=20,
    allow_bypass=True,
    stages=(
        Stage("informal", "Informal escalation", "IRO", "Team Manager", 5),
        Stage(
            "formal",
            "Formal escalation",
            "Safeguarding and Quality Assurance Manager",
            "Locality Manager",
            5,
        ),
        Stage(
            "head_of_service",
            "Escalation to the Head of Service",
            "Safeguarding and Quality Assurance Manager",
            "Head of Service",
            4,
        ),
        Stage(
            "strategic_lead",
            "Escalation to the Strategic Lead for Social Work",
            "Head of Quality Assurance for Safeguarding",
            "Strategic Lead for Social Work",
            3,
        ),
        Stage(
            "strategic_director",
            "Escalation to the Strategic Director of Children's Services",
            "Head of Quality Assurance for Safeguarding",
            "Strategic Director of Children's Services",
            3,
        ),
        Stage(CAFCASS_STAGE_KEY, "Referral to CAFCASS", "IRO", "CAFCASS", 0),
    ),
)

CHESHIRE_EAST = EscalationProtocol(
    name="Cheshire East dispute resolution and Quality Assurance Alerts (2023/24)",
    overall_limit_working_days=20,
    allow_bypass=True,
    stages=(
        Stage("informal_alert", "Informal Quality Assurance Alert", "IRO", "Team Manager", 5),
        Stage("formal_alert", "Formal alert", "IRO", "Senior Manager", 10),
        Stage(CAFCASS_STAGE_KEY, "Referral to CAFCASS", "IRO", "CAFCASS", 0),
    ),
)

PROTOCOLS: dict[str, EscalationProtocol] = {
    "manchester": MANCHESTER,
    "cheshire_east": CHESHIRE_EAST,
}


def themes_from_mapping(
    d: Mapping[str, Any], which: str, default: Mapping[str, str]
) -> dict[str, str]:
    """The issue themes a profile lists under `[escalation.themes]` (disputes) or
    `[escalation.partner_themes]` (escalations to partner agencies), key = label, in the
    profile's order; `default` when the profile lists none. A bad entry is refused with the
    line to fix, so a council's themes never silently fall into "Other"."""
    table: Any = d
    if "stages" not in d and isinstance(d.get("escalation"), Mapping):
        table = d["escalation"]
    raw = table.get(which) if isinstance(table, Mapping) else None
    if raw is None:
        return dict(default)
    where = f"[escalation.{which}]"
    if not isinstance(raw, Mapping) or not raw:
        raise ValueError(f'{where} must list at least one theme as key = "label".')
    themes: dict[str, str] = {}
    for key, label in raw.items():
        if not isinstance(key, str) or not THEME_KEY.fullmatch(key):
            raise ValueError(
                f"{where}: {key!r} is not a theme key (lower-case letters, digits and _, "
                "starting with a letter, at most 48)."
            )
        if not isinstance(label, str) or not label.strip() or len(label) > THEME_LABEL_LIMIT:
            raise ValueError(
                f"{where}: the label of {key} must be text of 1 to {THEME_LABEL_LIMIT} characters."
            )
        themes[key] = label.strip()
    return themes


def dispute_themes(escalation: Mapping[str, Any]) -> dict[str, str]:
    """The issues a dispute (or good practice) escalation is about, as the profile lists them."""
    return themes_from_mapping(escalation, "themes", THEMES)


def partner_themes(escalation: Mapping[str, Any]) -> dict[str, str]:
    """The issues of an escalation to a partner agency; the dispute themes if none are listed."""
    return themes_from_mapping(escalation, "partner_themes", dispute_themes(escalation))


def theme_labels(escalation: Mapping[str, Any]) -> dict[str, str]:
    """Every label this profile knows, for showing escalations raised under any profile."""
    return {**THEMES, **partner_themes(escalation), **dispute_themes(escalation)}


def theme_label(key: str, labels: Mapping[str, str]) -> str:
    """A theme's words; a key no profile here lists (another council's) is shown readably."""
    return labels.get(key) or key.replace("_", " ").capitalize()
