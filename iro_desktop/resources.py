"""Where shipped resources live: resources/ in the source tree or a PyInstaller bundle, or
iro_desktop/bundled in an installed package."""

from __future__ import annotations

import os
import sys
from pathlib import Path


def resources_dir() -> Path:
    override = os.environ.get("IRO_DESKTOP_RESOURCES")
    if override:
        return Path(override)
    bundle = getattr(sys, "_MEIPASS", None)  # PyInstaller one-folder/one-file builds
    if bundle:
        return Path(bundle) / "resources"
    installed = Path(__file__).resolve().parent / "bundled"  # pip install . (see setup.py)
    if installed.is_dir():
        return installed
    return Path(__file__).resolve().parent.parent / "resources"


def resource_path(*parts: str) -> Path:
    return resources_dir().joinpath(*parts)
