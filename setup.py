"""Packages: iro_desktop, plus resources/ installed inside it as iro_desktop.bundled.

resources/ (fonts, phrase banks, practice profiles) sits at the top of the repository; an
installed program finds it as iro_desktop/bundled (see iro_desktop/resources.py). Everything
else about the package is in pyproject.toml.
"""

from setuptools import find_packages, setup

setup(
    packages=[*find_packages(include=["iro_desktop*"]), "iro_desktop.bundled"],
    package_dir={"iro_desktop.bundled": "resources"},
)
