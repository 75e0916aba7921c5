"""The window's screens, registered by key so that a new screen is one entry here.

Each entry names its class as "module:Class"; the module is imported the first time the page
is shown (start-up time matters). To add a screen: write a `Page` subclass in a new module
under ui/views/ and add a `PageSpec` (or call `register()` from your own module).
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class PageSpec:
    key: str
    title: str  # with an & mnemonic for the navigation list
    factory: str  # "package.module:Class"
    shortcut: str = ""  # e.g. "Ctrl+1"
    in_sidebar: bool = True
    # Draft keys this page restores (e.g. "settings" or "review:"), so drafts left by a lock
    # or a crash find their page after unlocking.
    draft_prefixes: tuple[str, ...] = ()

    def load(self) -> Any:
        module_name, _, class_name = self.factory.partition(":")
        return getattr(importlib.import_module(module_name), class_name)


PAGES: list[PageSpec] = [
    PageSpec(
        "caseload",
        "&Caseload",
        "iro_desktop.ui.views.caseload:CaseloadPage",
        "Ctrl+1",
        draft_prefixes=("new_child",),
    ),
    PageSpec(
        "child",
        "Child",
        "iro_desktop.ui.views.child:ChildPage",
        in_sidebar=False,
        draft_prefixes=("child_form:",),
    ),
    PageSpec("due", "&Due", "iro_desktop.ui.views.dashboard:DashboardPage", "Ctrl+2"),
    PageSpec(
        "review",
        "Review",
        "iro_desktop.ui.views.review:ReviewPage",
        in_sidebar=False,
        draft_prefixes=("review:",),
    ),
    PageSpec(
        "escalations",
        "&Escalations",
        "iro_desktop.ui.views.escalations:EscalationsPage",
        "Ctrl+3",
        draft_prefixes=("escalation:",),
    ),
    PageSpec("letters", "&Letters", "iro_desktop.ui.views.letter_list:LettersPage", "Ctrl+4"),
    # Letters already issued, across the caseload, with who each went to and how.
    PageSpec("issued", "&Issued letters", "iro_desktop.ui.views.issued_letters:IssuedLettersPage"),
    PageSpec(
        "letter",
        "Letter to the child",
        "iro_desktop.ui.views.letter:LetterPage",
        in_sidebar=False,
        draft_prefixes=("letter:",),
    ),
    PageSpec("signoff", "Sign-&off", "iro_desktop.ui.views.signoff:SignoffPage", "Ctrl+5"),
    PageSpec(
        "manager",
        "&Manager",
        "iro_desktop.ui.views.manager:ManagerPage",
        "Ctrl+6",
        draft_prefixes=("manager:",),
    ),
    PageSpec("reports", "&Reports", "iro_desktop.ui.views.reports:ReportsPage", "Ctrl+7"),
    # Where a manager lands: letters to sign off, late escalations, overdue reviews.
    PageSpec(
        "landing",
        "&Waiting for you",
        "iro_desktop.ui.views.manager_landing:ManagerLandingPage",
        "Ctrl+8",
    ),
    PageSpec(
        "settings",
        "Se&ttings",
        "iro_desktop.ui.views.settings:SettingsPage",
        "Ctrl+9",
        draft_prefixes=("settings",),
    ),
]


def register(spec: PageSpec, *, before: str | None = "settings") -> None:
    """Add a page (by default above Settings, which stays last in the list)."""
    if any(p.key == spec.key for p in PAGES):
        raise ValueError(f"A page called '{spec.key}' is already registered.")
    keys = [p.key for p in PAGES]
    PAGES.insert(keys.index(before) if before in keys else len(PAGES), spec)


def spec(key: str) -> PageSpec:
    for page in PAGES:
        if page.key == key:
            return page
    raise KeyError(f"No page called '{key}'.")


def for_draft(key: str) -> PageSpec | None:
    for page in PAGES:
        if any(key == p or key.startswith(p) for p in page.draft_prefixes):
            return page
    return None
