"""The desktop's sync client: push the outbox, pull what managers did, back off when it fails.

`SyncClient.sync_once()` is safe to run on a worker thread on a timer: it never raises for a
network, server or sign-in problem, it returns a `SyncReport` saying what happened. The
caseload works exactly the same whether or not the server can be reached; sync only moves
what is already saved.

- Push: pending outbox items, oldest first, in batches. Delivery is idempotent by item id, so
  a retry after a lost answer comes back "duplicate" and nothing is stored twice. An item the
  server refuses is set aside with its reason and the rest go on; later items of the same
  escalation wait behind it (the server would refuse them too).
- Pull: items others added to this user's records since the cursor (a manager's response or
  resolution, a sign-off decision), applied in one transaction per page. Escalation events
  are appended to the log; one that does not fit shows up as a conflict for a person to
  decide. Nothing already here is overwritten.
- Every server reply is read with the protocol's decoders: a reply that does not follow the
  protocol is a clear error and nothing of it is applied.
- Failures back off exponentially with jitter, up to a cap; "Sync now" (force=True) tries at
  once anyway.
- Plain http is refused except to this computer (loopback), unless the settings allow it.
- The sign-in token lives in the OS keyring, or where there is none, inside the encrypted
  caseload; never in clear on disk. A password is only ever held in memory, for one client.
"""

from __future__ import annotations

import functools
import ipaddress
import random
import ssl
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

import httpx

from iro_desktop import __version__, credentials
from iro_desktop.domain import escalation as esc
from iro_desktop.store import escalation_repository as events_repo
from iro_desktop.store import outbox
from iro_desktop.store.engine import StoreError
from iro_desktop.store.escalation_repository import SERVER
from iro_desktop.store.keys import Keyfile
from iro_desktop.sync.protocol import (
    MAX_PULL_ITEMS,
    PROTOCOL_VERSION,
    ChildFact,
    ItemStatus,
    ProtocolError,
    PullResponse,
    PushResponse,
    ReviewFact,
    SignoffDecision,
    SignoffSubmission,
    pull_response_from_wire,
    push_response_from_wire,
)

if TYPE_CHECKING:  # sync sits below the services; it only needs the session's shape
    from iro_desktop.services.access import CaseloadSession

PasswordSource = str | Callable[[], str | None] | None


# --- errors, each worded for the IRO -------------------------------------------------------


class SyncError(Exception):
    """Why a sync did not complete; the message is shown to the IRO as it is."""


class SignInNeeded(SyncError):
    pass


class AccountMismatch(SignInNeeded):
    """This laptop's login is linked to another sync account than the one asked for."""


class ServerUnreachable(SyncError):
    pass


class BadReply(SyncError):
    """The server answered something that does not follow the protocol."""


class ServerRefused(SyncError):
    """The server refused a whole request (an error status other than sign-in)."""

    def __init__(self, message: str, status: int) -> None:
        super().__init__(message)
        self.status = status


@functools.cache
def _tls() -> ssl.SSLContext:
    """httpx's default verification (certificate checks on), built once: loading the CA
    bundle costs about a tenth of a second, which every new client would otherwise pay."""
    return httpx.create_ssl_context()


# --- the address -----------------------------------------------------------------------------


def is_loopback(host: str) -> bool:
    if host.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def check_server_url(url: str, *, allow_insecure_http: bool = False) -> str:
    """The server address, normalised; ValueError (in plain words) when it must not be used."""
    text = (url or "").strip()
    if not text:
        raise ValueError("No sync server is set. Ask your manager for its address (https://...).")
    parts = urlsplit(text)
    if parts.scheme not in ("https", "http") or not parts.hostname:
        raise ValueError(
            f"'{text}' is not a sync server address; it should look like "
            "https://iro-sync.example.gov.uk."
        )
    if parts.username or parts.password:
        raise ValueError("Do not put a user name or password in the server address.")
    if parts.query or parts.fragment:
        raise ValueError(f"The server address '{text}' should not have ?... or #... in it.")
    if parts.scheme == "http" and not is_loopback(parts.hostname) and not allow_insecure_http:
        raise ValueError(
            f"'{text}' uses plain http, which would send children's details unencrypted. "
            "Use the https:// address of the sync server."
        )
    return f"{parts.scheme}://{parts.netloc}{parts.path.rstrip('/')}"


# --- back-off --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Backoff:
    """Exponential back-off with jitter: the n-th failure in a row waits between half and
    all of min(cap, base * 2**(n-1)) seconds, so many laptops do not retry in step."""

    base_seconds: float = 5.0
    cap_seconds: float = 15 * 60.0

    def delay(self, failures: int, rng: random.Random) -> timedelta:
        ceiling = min(self.cap_seconds, self.base_seconds * 2 ** max(failures - 1, 0))
        return timedelta(seconds=ceiling / 2 + rng.uniform(0, ceiling / 2))


# --- the report ------------------------------------------------------------------------------


@dataclass(frozen=True)
class SyncReport:
    """What one sync did. `error` is None when it completed."""

    pushed: int = 0  # accepted by the server
    duplicates: int = 0  # the server already had them (a retry after a lost answer)
    rejected: int = 0  # set aside with the server's reason
    pulled: int = 0  # new items from the server applied here
    conflicts: int = 0  # new conflicts for a person to decide
    error: str | None = None
    sign_in_needed: bool = False
    skipped: bool = False  # not tried: the back-off time has not come (use force)
    unsent: int = 0  # still not on the server afterwards (waiting or set aside)
    held: int = 0  # waiting behind a set-aside item of the same escalation
    next_attempt_at: datetime | None = None

    @property
    def ok(self) -> bool:
        return self.error is None and not self.skipped

    def summary(self) -> str:
        """One line for the status bar or the command line."""
        done = [f"sent {self.pushed + self.duplicates}"]
        if self.duplicates:
            done[0] += f" ({self.duplicates} already on the server)"
        done.append(f"received {self.pulled}")
        if self.rejected:
            done.append(f"{self.rejected} set aside by the server")
        if self.conflicts:
            done.append(f"{self.conflicts} conflict{'s' if self.conflicts != 1 else ''} to decide")
        left = f"{self.unsent} not yet sent" if self.unsent else "nothing left to send"
        if self.skipped:
            when = f" until {self.next_attempt_at:%H:%M}" if self.next_attempt_at else ""
            return f"Sync is waiting{when} after the last failure; {left}."
        if self.error:
            return f"Sync failed: {self.error} ({', '.join(done)}; {left})."
        return f"Synced: {', '.join(done)}; {left}."


# --- the client ------------------------------------------------------------------------------


@dataclass
class _Run:
    """Counters for one sync_once."""

    pushed: int = 0
    duplicates: int = 0
    rejected: int = 0
    pulled: int = 0
    server_conflicts: set[str] | None = None
    attempted: list[str] | None = None
    pulled_conflicts: set[str] = field(default_factory=set)


class SyncClient:
    """Sync one open caseload with one server as one user. Close it when done."""

    def __init__(
        self,
        session: CaseloadSession,
        *,
        server_url: str | None = None,
        username: str | None = None,
        password: PasswordSource = None,
        transport: httpx.BaseTransport | None = None,
        timeout: float = 20.0,
        batch_size: int = 200,
        max_batch_bytes: int = 1_000_000,
        max_batches: int = 50,
        max_pages: int = 50,
        page_size: int = MAX_PULL_ITEMS,
        backoff: Backoff | None = None,
        rng: random.Random | None = None,
    ) -> None:
        settings = session.settings
        self.session = session
        self.server_url = check_server_url(
            server_url if server_url is not None else settings.server_url,
            allow_insecure_http=settings.allow_insecure_http,
        )
        self.username = (username or settings.sync_user or session.username).strip()
        if not self.username:
            raise ValueError("Give the user name you sign in to the sync server with.")
        if not 1 <= batch_size <= 500:
            raise ValueError(f"The batch size must be from 1 to 500 items, not {batch_size}.")
        self._password = password
        self.batch_size = batch_size
        self.max_batch_bytes = max_batch_bytes
        self.max_batches = max_batches
        self.max_pages = max_pages
        if not 1 <= page_size <= MAX_PULL_ITEMS:
            raise ValueError(f"The page size must be from 1 to {MAX_PULL_ITEMS}, not {page_size}.")
        self.page_size = page_size
        self.backoff = backoff or Backoff()
        self._rng = rng or random.Random()
        self._lock = threading.Lock()
        self._token: str | None = None
        self._http = httpx.Client(
            base_url=self.server_url,
            transport=transport,
            verify=_tls(),
            timeout=httpx.Timeout(timeout, connect=min(timeout, 5.0)),
            headers={"User-Agent": f"iro-desktop/{__version__}"},
            # Never follow a redirect: it could lead from https to plain http.
            follow_redirects=False,
        )
        self._protocol = esc.protocol_from_mapping(session.profile.escalation)

    # --- lifecycle ---------------------------------------------------------------------

    def close(self) -> None:
        self._http.close()

    def __enter__(self) -> SyncClient:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def set_password(self, password: PasswordSource) -> None:
        self._password = password

    # --- the token ---------------------------------------------------------------------

    @property
    def _secret_name(self) -> str:
        caseload_id = Keyfile.load(self.session.paths.keyfile).caseload_id
        return f"sync-token:{caseload_id}:{self.username}@{self.server_url}"

    def _key(self) -> str:
        return outbox.state_key(self.server_url, self.username)

    def _stored_token(self) -> str | None:
        secret = credentials.load_secret(self._secret_name)
        if secret:
            return secret
        with self.session.unit_of_work() as s:
            state = outbox.sync_state(s, self.server_url, self.username)
        return state.token or None

    def _keep_token(self, token: str, expires_at: datetime | None) -> None:
        try:
            credentials.store_secret(self._secret_name, token)
            in_store: str | None = None
        except credentials.KeyringUnavailable:
            # No OS keyring on this computer: the encrypted caseload is the only safe place.
            in_store = token
        with self.session.unit_of_work() as s:
            outbox.sync_state(s, self.server_url, self.username)
            outbox.update_sync_state(s, self._key(), token=in_store, token_expires_at=expires_at)
        self._token = token

    def _forget_token(self) -> None:
        self._token = None
        try:
            if credentials.load_secret(self._secret_name):
                credentials.store_secret(self._secret_name, "")
        except credentials.KeyringUnavailable:
            pass
        with self.session.unit_of_work() as s:
            outbox.sync_state(s, self.server_url, self.username)
            outbox.update_sync_state(s, self._key(), token=None, token_expires_at=None)

    def _get_password(self) -> str | None:
        source = self._password
        value = source() if callable(source) else source
        return value or None

    # --- which account: the laptop's login is bound to one at its first sign-in -------------

    def _refuse_other_account(self) -> None:
        """AccountMismatch, before anything is sent or set aside, if the login is linked to
        another account than this client's."""
        login = self.session.username
        with self.session.unit_of_work() as s:
            bound = outbox.account_binding(s, login)
        if bound is not None and bound.account != self.username:
            raise AccountMismatch(
                f"This laptop's login '{login}' is linked to the sync account "
                f"'{bound.account}', so it cannot sync as '{self.username}'. Sign in as "
                f"{bound.account}; nothing was sent or set aside"
            )  # no full stop: the report's summary puts the message inside a sentence

    def _bind(self, *, reattribute: bool = True) -> None:
        """Link the login to this client's account (the first time) and attribute the
        unsent items written here under another name to it. Signed in, so it is proven."""
        login = self.session.username
        with self.session.unit_of_work() as s:
            if outbox.account_binding(s, login) is None:
                outbox.bind_account(s, login, self.username, self.server_url, at=self._now())
                self.session.audit(
                    s, "update", "sync", login[:64], f"linked to the sync account {self.username}"
                )
            if not reattribute:
                return
            bound = outbox.bound_accounts(s)
            others = {n for n in outbox.local_logins(s) if n != login}
            others |= {account for name, account in bound.items() if name in others}
            others.discard(self.username)
            outbox.reattribute_unsent(s, self.username, others=others)

    def _settle_account(self) -> None:
        """Before a push: signed in, bound, and the unsent items attributed to the account."""
        if not self._token:
            self._token = self._stored_token()
        if not self._token:
            self.sign_in()
        self._bind()

    def sign_in(self, password: str | None = None) -> None:
        """Sign in now (POST /v1/auth/token) and keep the token; SignInNeeded if refused
        (AccountMismatch, without asking the server, for an account the login is not)."""
        self._refuse_other_account()
        password = password or self._get_password()
        if password is None:
            raise SignInNeeded(
                f"Sign in to the sync server as {self.username} to send and receive changes."
            )
        try:
            response = self._http.post(
                "/v1/auth/token", json={"username": self.username, "password": password}
            )
        except httpx.TransportError as error:
            raise self._unreachable(error) from None
        if response.status_code == 401:
            raise SignInNeeded(
                f"The sync server did not accept the user name '{self.username}' and that "
                "password. Check them and sign in again."
            )
        self._check_status(response, "sign-in")
        data = self._json(response, "sign-in")
        token = data.get("access_token") if isinstance(data, dict) else None
        expires = data.get("expires_at") if isinstance(data, dict) else None
        if not isinstance(token, str) or not token or not isinstance(expires, str):
            raise BadReply(
                "The sync server's answer to the sign-in has no token in it; nothing was "
                "changed. Check the server address."
            )
        try:
            expires_at: datetime | None = datetime.fromisoformat(expires)
        except ValueError:
            expires_at = None
        self._keep_token(token, expires_at)
        self._bind(reattribute=False)  # the items are attributed before the next push

    # --- HTTP ---------------------------------------------------------------------------

    def _unreachable(self, error: Exception) -> ServerUnreachable:
        kind = type(error).__name__
        return ServerUnreachable(
            f"the sync server at {self.server_url} cannot be reached ({kind}). Your work is "
            "kept on this laptop and will be sent when the server can be reached"
        )

    def _json(self, response: httpx.Response, what: str) -> Any:
        try:
            return response.json()
        except ValueError:
            raise BadReply(
                f"the sync server's answer to the {what} is not JSON (HTTP "
                f"{response.status_code}); nothing of it was applied"
            ) from None

    def _check_status(self, response: httpx.Response, what: str) -> None:
        status = response.status_code
        if status < 400:
            return
        detail = ""
        try:
            body = response.json()
            if isinstance(body, dict) and isinstance(body.get("detail"), str):
                detail = f": {body['detail'][:300]}"
        except ValueError:
            pass
        if status >= 500:
            raise ServerUnreachable(
                f"the sync server had a problem with the {what} (HTTP {status}{detail}); "
                "it will be tried again later"
            )
        raise ServerRefused(f"the sync server refused the {what} (HTTP {status}{detail})", status)

    def _send(self, method: str, path: str, token: str, **kwargs: Any) -> httpx.Response:
        headers = {"Authorization": f"Bearer {token}"}
        try:
            try:
                return self._http.request(method, path, headers=headers, **kwargs)
            except (httpx.ReadError, httpx.WriteError, httpx.RemoteProtocolError):
                # Most often a kept-alive connection the server closed as it was reused. Every
                # request here is safe to repeat (a push is idempotent by item id), so try once
                # more on a fresh connection before calling the server unreachable.
                return self._http.request(method, path, headers=headers, **kwargs)
        except httpx.TransportError as error:
            raise self._unreachable(error) from None

    def _request(self, method: str, path: str, what: str, **kwargs: Any) -> httpx.Response:
        if not self._token:
            self._token = self._stored_token()
        if not self._token:
            self.sign_in()
        token = self._token
        assert token is not None
        response = self._send(method, path, token, **kwargs)
        if response.status_code == 401:
            reason = ""
            try:
                body = response.json()
                reason = str(body.get("detail", "")) if isinstance(body, dict) else ""
            except ValueError:
                pass
            self._forget_token()
            if reason == "account disabled":
                raise SignInNeeded(
                    f"The sync account '{self.username}' has been disabled; ask your manager."
                )
            password = self._get_password()  # asked for (once) only now, when needed
            if password is None:
                why = "has expired" if reason == "token expired" else "is no longer valid"
                raise SignInNeeded(f"Sign in again: your sign-in to the sync server {why}.")
            self.sign_in(password)
            assert self._token is not None
            response = self._send(method, path, self._token, **kwargs)
            if response.status_code == 401:
                raise SignInNeeded("Sign in again: the sync server did not accept the sign-in.")
        self._check_status(response, what)
        return response

    # --- one sync -------------------------------------------------------------------------

    def sync_once(self, *, force: bool = False) -> SyncReport:
        """Push what is waiting, then pull what is new. Never raises for a sync problem."""
        if not self._lock.acquire(blocking=False):
            return SyncReport(error="a sync is already running", skipped=True)
        try:
            return self._sync(force)
        finally:
            self._lock.release()

    def _now(self) -> datetime:
        return self.session.clock.now()

    def _sync(self, force: bool) -> SyncReport:
        now = self._now()
        run = _Run(server_conflicts=set(), attempted=[])
        try:
            with self.session.unit_of_work() as s:
                state = outbox.sync_state(s, self.server_url, self.username)
                if not force and state.next_attempt_at and now < state.next_attempt_at:
                    return self._report(s, run, None, skipped=True)
                outbox.update_sync_state(s, state.key, last_attempt_at=now)
                # Conflicts already known here are not news; those found by this run are.
                waiting = {e.escalation_id for e in outbox.items(s, outbox.PENDING)}
                before = self._conflict_ids(s, waiting - {None})
        except StoreError as locked:
            return SyncReport(error=str(locked))
        error: SyncError | None = None
        try:
            self._refuse_other_account()
            self._push_all(state, run, now, force)
            self._pull_all(state, run, now)
        except SyncError as problem:
            error = problem
        except StoreError as problem:
            return SyncReport(
                pushed=run.pushed,
                duplicates=run.duplicates,
                rejected=run.rejected,
                pulled=run.pulled,
                error=str(problem),
            )
        try:
            with self.session.unit_of_work() as s:
                if error is None:
                    outbox.update_sync_state(
                        s,
                        state.key,
                        last_success_at=now,
                        last_error="",
                        failures=0,
                        next_attempt_at=None,
                    )
                elif isinstance(error, SignInNeeded):
                    # Retrying on a timer will not help until someone signs in.
                    outbox.update_sync_state(s, state.key, last_error=str(error))
                else:
                    fresh = outbox.sync_state(s, self.server_url, self.username)
                    failures = fresh.failures + 1
                    retry_at = now + self.backoff.delay(failures, self._rng)
                    outbox.update_sync_state(
                        s,
                        state.key,
                        last_error=str(error),
                        failures=failures,
                        next_attempt_at=retry_at,
                    )
                    outbox.mark_attempt_failed(
                        s, run.attempted or [], str(error), at=now, retry_at=retry_at
                    )
                if run.pushed or run.pulled or run.rejected:
                    self.session.audit(
                        s,
                        "export",
                        "sync",
                        self.server_url[:64],
                        f"sent {run.pushed}, received {run.pulled}, set aside {run.rejected}",
                    )
                found = ((run.server_conflicts or set()) - before) | run.pulled_conflicts
                return self._report(s, run, error, conflicts=len(found))
        except StoreError as problem:
            return SyncReport(error=str(problem))

    def _report(
        self,
        s: Any,
        run: _Run,
        error: SyncError | None,
        *,
        skipped: bool = False,
        conflicts: int = 0,
    ) -> SyncReport:
        summary = outbox.summary(s)
        _, held = outbox.next_batch(s, limit=1, max_bytes=1, ignore_schedule=True)
        state = outbox.sync_state(s, self.server_url, self.username)
        return SyncReport(
            pushed=run.pushed,
            duplicates=run.duplicates,
            rejected=run.rejected,
            pulled=run.pulled,
            conflicts=conflicts,
            error=str(error) if error else None,
            sign_in_needed=isinstance(error, SignInNeeded),
            skipped=skipped,
            unsent=summary.unsent,
            held=held,
            next_attempt_at=state.next_attempt_at,
        )

    def _conflict_ids(self, s: Any, escalation_ids: set[Any]) -> set[str]:
        """Event ids that do not fit their escalation, as this caseload replays them now."""
        found: set[str] = set()
        if not escalation_ids:
            return found
        calendar = self.session.profile.calendar
        for log in events_repo.all_events(s, escalation_ids).values():
            if log[0].event.kind is not esc.EventKind.RAISED:
                found |= {stored.event.event_id for stored in log}
                continue
            state = esc.replay(self._protocol, [x.event for x in log], calendar)
            found |= {c.event.event_id for c in state.conflicts}
        return found

    # --- push -----------------------------------------------------------------------------

    def _push_all(self, state: outbox.SyncStateView, run: _Run, now: datetime, force: bool) -> None:
        limit = self.batch_size
        settled = False
        for _ in range(self.max_batches):
            with self.session.unit_of_work() as s:
                batch, _held = outbox.next_batch(
                    s,
                    limit=limit,
                    max_bytes=self.max_batch_bytes,
                    now=now,
                    ignore_schedule=force,
                )
            if not batch:
                return
            unsendable = {e.item_id: why for e in batch if (why := outbox.unsendable(e))}
            if unsendable:
                # Set aside here, with the reason, so it never stops the items behind it.
                with self.session.unit_of_work() as s:
                    for identifier, why in unsendable.items():
                        outbox.mark_rejected(s, identifier, why, at=now)
                run.rejected += len(unsendable)
                continue  # the next batch leaves out what now waits behind them
            ids = [entry.item_id for entry in batch]
            assert run.attempted is not None
            run.attempted.extend(ids)
            if not settled:
                # Signing in may fail (offline): that counts as a try of these items.
                self._settle_account()
                settled = True
                run.attempted = run.attempted[: -len(ids)]
                continue  # read them again: they may now carry the account's name
            body = {
                "protocol": PROTOCOL_VERSION,
                "client_id": state.client_id,
                "items": [entry.payload for entry in batch],
            }
            try:
                response = self._request("POST", "/v1/push", "push", json=body)
            except ServerRefused as refusal:
                if refusal.status != 413:
                    raise
                if len(batch) > 1:
                    limit = max(1, len(batch) // 2)  # too big for the server: smaller batches
                    run.attempted = run.attempted[: -len(ids)]
                    continue
                with self.session.unit_of_work() as s:
                    outbox.mark_rejected(
                        s, ids[0], f"Too large for the sync server ({refusal}).", at=now
                    )
                run.rejected += 1
                run.attempted = run.attempted[:-1]
                continue
            reply = self._decode_push(response, ids)
            self._apply_push(reply, batch, run, now)
            run.attempted = [i for i in run.attempted if i not in set(ids)]

    def _decode_push(self, response: httpx.Response, ids: list[str]) -> PushResponse:
        data = self._json(response, "push")
        try:
            reply = push_response_from_wire(data)
        except ProtocolError as error:
            raise BadReply(
                f"the sync server's answer to the push does not follow the protocol "
                f"({error.reason}); nothing of it was applied, and the items will be sent again"
            ) from None
        indexes = [r.index for r in reply.results]
        if indexes != list(range(len(ids))) or any(
            r.item_id is not None and r.item_id != ids[r.index] for r in reply.results
        ):
            raise BadReply(
                "the sync server's answer to the push does not match the items sent; nothing "
                "of it was applied, and the items will be sent again"
            )
        return reply

    def _apply_push(
        self, reply: PushResponse, batch: list[outbox.OutboxEntry], run: _Run, now: datetime
    ) -> None:
        with self.session.unit_of_work() as s:
            blocked = outbox.held_escalations(s)
            delivered: list[outbox.Delivered] = []
            numbered: dict[str, int] = {}
            for result, entry in zip(reply.results, batch, strict=True):
                if result.status is ItemStatus.REJECTED:
                    reason = result.reason or "The sync server refused it without a reason."
                    if entry.escalation_id in blocked:
                        # Refused because an earlier event of its escalation was: it waits
                        # behind that one and goes once that one is put right.
                        outbox.mark_attempt_failed(
                            s, [entry.item_id], f"Waiting for an earlier item: {reason}",
                            at=now, retry_at=None,
                        )  # fmt: skip
                        continue
                    outbox.mark_rejected(s, entry.item_id, reason, at=now)
                    if entry.escalation_id is not None:
                        blocked.add(entry.escalation_id)
                    run.rejected += 1
                    continue
                duplicate = result.status is ItemStatus.DUPLICATE
                delivered.append(
                    outbox.Delivered(entry.item_id, result.seq, duplicate, result.conflict)
                )
                if entry.escalation_id is not None and result.seq is not None:
                    numbered[entry.item_id] = result.seq
                if result.conflict and run.server_conflicts is not None:
                    run.server_conflicts.add(entry.item_id)
                if duplicate:
                    run.duplicates += 1
                else:
                    run.pushed += 1
            outbox.mark_delivered(s, delivered, at=now)
            events_repo.mark_many_on_server(s, numbered, now)

    # --- pull -----------------------------------------------------------------------------

    def _pull_all(self, state: outbox.SyncStateView, run: _Run, now: datetime) -> None:
        with self.session.unit_of_work() as s:
            cursor = outbox.sync_state(s, self.server_url, self.username).cursor
        for _ in range(self.max_pages):
            response = self._request(
                "GET", "/v1/pull", "pull", params={"since": cursor, "limit": self.page_size}
            )
            data = self._json(response, "pull")
            try:
                page = pull_response_from_wire(data)
            except ProtocolError as error:
                raise BadReply(
                    f"the sync server's answer to the pull does not follow the protocol "
                    f"({error.reason}); nothing of it was applied"
                ) from None
            if page.cursor < 0:
                raise BadReply("the sync server sent a negative cursor; nothing was applied")
            self._apply_pull(state, page, run, now)
            cursor = page.cursor
            if not page.more:
                return

    def _apply_pull(
        self, state: outbox.SyncStateView, page: PullResponse, run: _Run, now: datetime
    ) -> None:
        touched = {
            item.escalation_id
            for pulled in page.items
            if not isinstance(
                item := pulled.item, SignoffSubmission | SignoffDecision | ReviewFact | ChildFact
            )
        }
        with self.session.unit_of_work() as s:
            before = self._conflict_ids(s, touched)
            for pulled in page.items:
                item = pulled.item
                if isinstance(item, ReviewFact | ChildFact):
                    continue  # report facts go to the server only; never applied here
                if isinstance(item, SignoffSubmission | SignoffDecision):
                    if outbox.store_pulled(
                        s, item, seq=pulled.seq, received_at=pulled.received_at, at=now
                    ):
                        run.pulled += 1
                    continue
                added = events_repo.append_event(
                    s, item, origin=SERVER, server_seq=pulled.seq, synced_at=pulled.received_at
                )
                if not added:
                    # Ours, coming back (the answer to its push was lost): now numbered.
                    events_repo.mark_on_server(s, item.event_id, pulled.seq, now)
                    continue
                run.pulled += 1
                self.session.audit(
                    s,
                    "update",
                    "escalation",
                    item.escalation_id,
                    f"{item.kind.value} by {item.author} (from the sync server)",
                )
            outbox.update_sync_state(s, state.key, cursor=page.cursor)
            s.flush()
            run.pulled_conflicts |= self._conflict_ids(s, touched) - before

    # --- the manager's online view ----------------------------------------------------------

    def server_escalations(self, *, status: str = "open") -> list[dict[str, Any]]:
        """The server's own replay of the escalations this user may see (GET /v1/escalations),
        for a manager's view of the whole team while online. Raises SyncError."""
        if status not in ("open", "all"):
            raise ValueError(f"status must be 'open' or 'all', not {status!r}.")
        response = self._request(
            "GET", "/v1/escalations", "list of escalations", params={"status": status}
        )
        data = self._json(response, "list of escalations")
        listed = data.get("escalations") if isinstance(data, dict) else None
        if not isinstance(listed, list) or not all(
            isinstance(e, dict)
            and isinstance(e.get("escalation_id"), str)
            and isinstance(e.get("overall_deadline"), str)
            and isinstance(e.get("status"), str)
            for e in listed
        ):
            raise BadReply("the sync server's list of escalations is not in the expected form")
        return listed

    def service_report(
        self, *, year: int, team: str | None = None, fmt: str = "json"
    ) -> dict[str, Any] | str:
        """The service's annual report for the year ending 31 March `year` (GET
        /v1/reports/annual; managers only): the JSON object, or the CSV text. Raises
        SyncError (ServerRefused with status 403 for someone who is not a manager)."""
        if fmt not in ("json", "csv"):
            raise ValueError(f"format must be 'json' or 'csv', not {fmt!r}.")
        params: dict[str, Any] = {"year": year, "format": fmt}
        if team:
            params["team"] = team
        response = self._request(
            "GET", "/v1/reports/annual", "service report", params=params, timeout=60
        )
        if fmt == "csv":
            return response.text
        data = self._json(response, "service report")
        if not isinstance(data, dict) or not isinstance(data.get("rows"), list):
            raise BadReply("the sync server's service report is not in the expected form")
        return data
