"""IRO Desktop: an offline-first home for an Independent Reviewing Officer's caseload."""

__version__ = "0.1.0"
