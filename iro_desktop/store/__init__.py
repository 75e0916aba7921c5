"""The only package that touches SQLAlchemy and SQLCipher.

Services receive a `DbSession` (one unit of work) and pass it to the repositories without
looking inside.
"""

from sqlalchemy.orm import Session as DbSession

__all__ = ["DbSession"]
