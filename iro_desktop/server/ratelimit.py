"""Failed sign-ins are limited per user name and per client address.

Forty guesses in six seconds must not be possible. Each failed sign-in is counted against
the user name tried (whether or not it exists, so the limit reveals nothing) and against the
address it came from; once either has had too many in the window, sign-ins for it are refused
with 429 and Retry-After until the oldest failure has aged out. A successful sign-in clears
its user name's count (a person who mistyped twice is not held back), never its address's.

The counts are kept in memory: the server is one process, and a restart forgetting them
costs an attacker a restart, which they cannot cause.
"""

from __future__ import annotations

import math
import threading
from collections import OrderedDict, deque
from dataclasses import dataclass

USER_FAILURES = 5  # per user name ...
ADDRESS_FAILURES = 20  # ... and per address ...
WINDOW_SECONDS = 300.0  # ... within five minutes
MAX_KEYS = 10_000  # bounded memory, whoever sends what


@dataclass(frozen=True)
class Refusal:
    """Why a sign-in is refused now, and after how many seconds to try again."""

    message: str
    retry_after: int


class _Counts:
    def __init__(self, limit: int, window: float) -> None:
        self.limit = limit
        self.window = window
        self._failures: OrderedDict[str, deque[float]] = OrderedDict()

    def _recent(self, key: str, now: float) -> deque[float] | None:
        times = self._failures.get(key)
        if times is None:
            return None
        while times and times[0] <= now - self.window:
            times.popleft()
        if not times:
            del self._failures[key]
            return None
        return times

    def wait(self, key: str, now: float) -> float:
        """Seconds until `key` may try again (0 if it may now)."""
        times = self._recent(key, now)
        if times is None or len(times) < self.limit:
            return 0.0
        return times[-self.limit] + self.window - now

    def add(self, key: str, now: float) -> None:
        times = self._recent(key, now)
        if times is None:
            times = self._failures[key] = deque(maxlen=self.limit)
        times.append(now)
        self._failures.move_to_end(key)
        while len(self._failures) > MAX_KEYS:
            self._failures.popitem(last=False)

    def clear(self, key: str) -> None:
        self._failures.pop(key, None)


class SignInLimiter:
    """Thread-safe: the token endpoint runs on the server's thread pool."""

    def __init__(
        self,
        *,
        user_failures: int = USER_FAILURES,
        address_failures: int = ADDRESS_FAILURES,
        window_seconds: float = WINDOW_SECONDS,
    ) -> None:
        self._users = _Counts(user_failures, window_seconds)
        self._addresses = _Counts(address_failures, window_seconds)
        self._lock = threading.Lock()

    @staticmethod
    def _user_key(name: str) -> str:
        return name.strip().casefold()[:200]

    def check(self, name: str, address: str | None, now: float) -> Refusal | None:
        """A Refusal if this sign-in must not even be tried now."""
        with self._lock:
            by_user = self._users.wait(self._user_key(name), now)
            by_address = self._addresses.wait(address, now) if address else 0.0
        if by_user <= 0 and by_address <= 0:
            return None
        wait = max(by_user, by_address)
        seconds = max(1, math.ceil(wait))
        minutes = max(1, math.ceil(wait / 60))
        who = "this user name" if by_user >= by_address else "this computer's address"
        return Refusal(
            f"Too many failed sign-ins for {who}. Wait {minutes} minute"
            f"{'s' if minutes != 1 else ''} and try again.",
            seconds,
        )

    def failed(self, name: str, address: str | None, now: float) -> None:
        with self._lock:
            self._users.add(self._user_key(name), now)
            if address:
                self._addresses.add(address, now)

    def succeeded(self, name: str) -> None:
        with self._lock:
            self._users.clear(self._user_key(name))
