"""What can go wrong opening or writing the caseload, worded for the IRO.

A module of its own so that the engine and the migrations can both raise them without
importing each other.
"""

from __future__ import annotations


class StoreError(Exception):
    """A problem opening or writing the caseload, worded for the IRO."""


class CaseloadDamaged(StoreError):
    pass


class CaseloadTooNew(StoreError):
    pass


class CaseloadInUse(StoreError):
    pass


class DiskFull(StoreError):
    pass
