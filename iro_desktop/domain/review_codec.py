"""Plain dict/JSON form of the review records, and back.

One generic converter driven by the dataclasses' own type hints, so a field added to a record
is stored without anyone remembering to write it out by hand. Reading is strict: an unknown
key or a value of the wrong kind is refused with the path of the field, because silently
dropping part of a child's record is worse than a clear error.
"""

from __future__ import annotations

import dataclasses
import enum
import types
import typing
from collections.abc import Mapping
from datetime import date, datetime
from typing import Any, Self, TypeVar

T = TypeVar("T")


def to_plain(value: Any) -> Any:
    """A dataclass, enum, date or tuple as JSON-ready dicts, lists, strings and numbers."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: to_plain(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, tuple | list):
        return [to_plain(v) for v in value]
    return value


_HINTS: dict[type, dict[str, Any]] = {}


def _hints(cls: type) -> dict[str, Any]:
    if cls not in _HINTS:
        _HINTS[cls] = typing.get_type_hints(cls)
    return _HINTS[cls]


def _where(path: str) -> str:
    return f" at {path}" if path else ""


def from_plain(cls: type[T], data: object, path: str = "") -> T:
    """Rebuild the dataclass `cls` from `to_plain` output; ValueError names the bad field."""
    if not isinstance(data, Mapping):
        raise ValueError(
            f"The stored record{_where(path)} should be a set of named fields, "
            f"not {type(data).__name__}."
        )
    fields = dataclasses.fields(cls)  # type: ignore[arg-type]
    known = {f.name for f in fields}
    unknown = sorted(str(k) for k in data if k not in known)
    if unknown:
        raise ValueError(
            f"The stored record{_where(path)} has fields this version does not know: "
            f"{', '.join(unknown)}."
        )
    hints = _hints(cls)
    kwargs: dict[str, Any] = {}
    for f in fields:
        sub = f"{path}.{f.name}" if path else f.name
        if f.name not in data:
            if f.default is dataclasses.MISSING and f.default_factory is dataclasses.MISSING:
                raise ValueError(f"The stored record is missing {sub}.")
            continue
        kwargs[f.name] = _convert(hints[f.name], data[f.name], sub)
    return cls(**kwargs)


def _convert(tp: Any, value: object, path: str) -> Any:
    origin = typing.get_origin(tp)
    if origin is typing.Union or origin is types.UnionType:
        args = typing.get_args(tp)
        if value is None and type(None) in args:
            return None
        others = [a for a in args if a is not type(None)]
        if len(others) != 1:
            raise TypeError(f"Cannot read the union {tp} at {path}.")
        return _convert(others[0], value, path)
    if origin is tuple:
        args = typing.get_args(tp)
        if not isinstance(value, list | tuple):
            raise ValueError(f"The stored value at {path} should be a list, not {value!r}.")
        return tuple(_convert(args[0], v, f"{path}[{i}]") for i, v in enumerate(value))
    if tp is bool:
        if not isinstance(value, bool):
            raise ValueError(f"The stored value at {path} should be true or false, not {value!r}.")
        return value
    if tp is int:
        if isinstance(value, bool) or not isinstance(value, int):
            raise ValueError(f"The stored value at {path} should be a whole number, not {value!r}.")
        return value
    if tp is str:
        if not isinstance(value, str):
            raise ValueError(f"The stored value at {path} should be text, not {value!r}.")
        return value
    if tp is date:
        return _date(value, path)
    if isinstance(tp, type) and issubclass(tp, enum.Enum):
        try:
            return tp(value)
        except ValueError:
            allowed = ", ".join(str(m.value) for m in tp)
            raise ValueError(
                f"The stored value at {path} is {value!r}, which is not one of: {allowed}."
            ) from None
    if isinstance(tp, type) and dataclasses.is_dataclass(tp):
        return from_plain(tp, value, path)
    raise TypeError(f"Cannot read values of type {tp} at {path}.")


def _date(value: object, path: str) -> date:
    if isinstance(value, date) and not isinstance(value, datetime):
        return value
    if isinstance(value, str):
        try:
            return date.fromisoformat(value)
        except ValueError:
            pass
    raise ValueError(f"The stored value at {path} should be a date (YYYY-MM-DD), not {value!r}.")


class Record:
    """Mixin for the frozen record dataclasses: `to_dict()` and `from_dict()` round-trip."""

    __slots__ = ()

    def to_dict(self) -> dict[str, Any]:
        plain = to_plain(self)
        assert isinstance(plain, dict)
        return plain

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Self:
        return from_plain(cls, data)
