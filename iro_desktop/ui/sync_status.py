"""Sync in the window: the status always on screen, "Sync now", the timer, signing in, and
the items waiting or set aside.

Unsent work must never be invisible (CommCare and ODK users lost work they could not see was
unsent), so the status bar always says how many changes are not yet on the server and how
old the oldest is, what the server set aside and why, and when the next try will be.

Syncing runs `SyncClient.sync_once()` on the task queue's network executor (never on the
database worker, so a slow server holds up no save and the lock waits for no server), on a
timer while a server is set; it never blocks the window and never raises for a network or
server problem. Locking closes the client under a sync in flight, which then ends at once;
its answer, arriving after the lock, is ignored. The sync password is asked once, in a dialog, and kept only in memory
for the unlocked session (the sign-in token it buys is kept by the sync client: in the OS
keyring, or inside the encrypted caseload); locking forgets it.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from iro_desktop.ui import dialogs
from iro_desktop.ui.qt_models import Column, ColumnTableModel
from iro_desktop.ui.widgets import add_row, passphrase_edit, read_only_table, uk_date

if TYPE_CHECKING:
    from iro_desktop.services.access import CaseloadSession
    from iro_desktop.services.sync import OutboxItemView, SyncClient, SyncReport, SyncStatus
    from iro_desktop.ui.controller_context import SyncContext

SYNC_EVERY_SECONDS = 60
REFRESH_EVERY_SECONDS = 30
FIRST_SYNC_AFTER_MS = 2_000
NO_SERVER = "Not syncing: no server set"


# --- the words ------------------------------------------------------------------------------


def age_words(seconds: float) -> str:
    minutes = int(seconds // 60)
    if minutes < 1:
        return "just now"
    if minutes < 60:
        return f"{minutes} min"
    hours = minutes // 60
    if hours < 48:
        return f"{hours} h"
    return f"{hours // 24} days"


def wait_words(seconds: float) -> str:
    seconds = max(0, int(round(seconds)))
    if seconds < 60:
        return f"{seconds} s"
    minutes = -(-seconds // 60)
    return f"{minutes} min"


@dataclass(frozen=True)
class Snapshot:
    """What the status bar needs, read in one go on the worker."""

    status: SyncStatus
    set_aside_reason: str = ""
    sign_in_needed: bool = False


def _short(text: str, limit: int = 70) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def status_words(snap: Snapshot, now: datetime, *, syncing: bool = False) -> tuple[str, str]:
    """The status bar's line and its tooltip (the longer story)."""
    st = snap.status
    parts: list[str] = []
    tips: list[str] = []
    has_server = bool(st.server_url)
    if st.unsent:
        age = age_words(st.oldest_unsent_age.total_seconds() if st.oldest_unsent_age else 0)
        parts.append(f"{st.unsent} unsent, oldest {age}")
        tips.append(
            f"{st.unsent} change(s) saved on this laptop are not yet on the sync server; "
            "nothing unsent is ever deleted."
        )
    elif has_server:
        parts.append("All sent")
    if not has_server:
        parts.append(NO_SERVER)
        tips.append("Set the sync server's address in Settings to send your work to it.")
    elif syncing:
        parts.append("Syncing…")
    elif snap.sign_in_needed:
        parts.append("Not syncing: sign in needed")
        tips.append(st.last_error or "Sign in to the sync server: Sync ▸ Sign in.")
    elif st.next_attempt_at is not None and st.last_error:
        wait = (st.next_attempt_at - now).total_seconds()
        offline = "cannot be reached" in st.last_error
        lead = "Offline" if offline else "Sync failed"
        parts.append(
            f"{lead} — will retry in {wait_words(wait)}" if wait > 0 else f"{lead} — retrying"
        )
        tips.append(st.last_error)
    elif st.last_error:
        parts.append("Not syncing: " + _short(st.last_error, 50))
        tips.append(st.last_error)
    elif st.last_success_at is not None:
        tips.append(f"Last synced {st.last_success_at.astimezone():%d %b %Y %H:%M}.")
    if st.set_aside:
        reason = _short(snap.set_aside_reason, 48) or "see the list"
        parts.append(f"{st.set_aside} set aside: {reason}")
        tips.append(
            f"The sync server refused {st.set_aside} change(s); they are kept here. Its "
            f"reason: {snap.set_aside_reason} Sync ▸ Unsent and set-aside items lists them, "
            "to retry."
        )
    return " · ".join(parts), " ".join(tips)


# --- reading on the worker -----------------------------------------------------------------


def read_snapshot(session: CaseloadSession, report: SyncReport | None = None) -> Snapshot:
    from iro_desktop.services import sync as sync_service

    status = sync_service.status(session)
    reason = ""
    if status.set_aside:
        set_aside = sync_service.outbox_items(session, "rejected")
        reason = set_aside[0].reason if set_aside else ""
    needed = report.sign_in_needed if report is not None else _looks_like_sign_in(status)
    return Snapshot(status, reason, needed)


def _looks_like_sign_in(status: SyncStatus) -> bool:
    # After an unlock there is no report yet: the stored error says what the last try met.
    error = status.last_error.lower()
    return bool(error) and status.next_attempt_at is None and "sign in" in error


# --- the controller ----------------------------------------------------------------------------


class SyncStatusBar(QObject):
    """Owns the status bar's sync words, the Sync menu, the timer and the sync client.

    Uses only what its SyncContext lends (the task queue, the session getter, the status
    label and words, a menu, the `opened` and `locked` signals), and `broadcast(what)` (the
    window's page-changed fan-out) to tell pages what a sync brought in.
    """

    def __init__(
        self,
        ctx: SyncContext,
        *,
        broadcast: Callable[[str], None] | None = None,
        interval_seconds: int = SYNC_EVERY_SECONDS,
        first_sync_ms: int = FIRST_SYNC_AFTER_MS,
    ) -> None:
        super().__init__(ctx.parent)
        self.ctx = ctx
        self.window = ctx.parent  # the owner of its dialogs
        self.tasks = ctx.tasks
        self._session_getter = ctx.session
        self.broadcast = broadcast or (lambda _what: None)
        self.interval_ms = interval_seconds * 1000
        self.first_sync_ms = first_sync_ms
        self.snapshot: Snapshot | None = None
        self.last_report: SyncReport | None = None
        self.running = False
        self.active = False
        self._generation = 0  # one more at each lock
        # Worker-side: the client (with the password in memory, if one was given).
        self._client: SyncClient | None = None
        self._client_key: tuple[str, str] | None = None
        self._password: str | None = None
        self.sign_in_dialog: SignInDialog | None = None
        self.items_dialog: OutboxDialog | None = None

        self.sync_timer = QTimer(self)
        self.sync_timer.setSingleShot(True)
        self.sync_timer.timeout.connect(lambda: self.sync(force=False))
        self.refresh_timer = QTimer(self)
        self.refresh_timer.setInterval(REFRESH_EVERY_SECONDS * 1000)
        self.refresh_timer.timeout.connect(self.refresh)
        self.tick_timer = QTimer(self)
        self.tick_timer.setInterval(1000)
        self.tick_timer.timeout.connect(self._render)

        self._build_menu()
        label = ctx.label
        label.setCursor(Qt.CursorShape.PointingHandCursor)
        label.installEventFilter(self)
        ctx.opened.connect(self.start)
        ctx.locked.connect(self.stop)
        self._set_enabled(False)

    def _build_menu(self) -> None:
        window = self.window
        menu = self.ctx.add_menu("S&ync")
        self.menu = menu

        def action(text: str, slot: Callable[[], Any], shortcut: str = "") -> QAction:
            act = QAction(text, window)
            if shortcut:
                act.setShortcut(QKeySequence(shortcut))
            act.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
            act.triggered.connect(lambda _checked=False: slot())
            menu.addAction(act)
            self.ctx.add_action(act)
            return act

        self.sync_now_action = action("Sync &now", lambda: self.sync(force=True, asked=True), "F5")
        self.sign_in_action = action("&Sign in to the sync server...", self.open_sign_in)
        self.items_action = action("&Unsent and set-aside items...", self.open_items)

    def _set_enabled(self, on: bool) -> None:
        for act in (self.sync_now_action, self.sign_in_action, self.items_action):
            act.setEnabled(on)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802
        if (
            watched is self.ctx.label
            and event.type() == QEvent.Type.MouseButtonRelease
            and self.active
        ):
            self.open_items()
            return True
        return super().eventFilter(watched, event)

    # --- the session ------------------------------------------------------------------------

    def session(self) -> CaseloadSession:
        return self._session_getter()

    def start(self) -> None:
        """The caseload is unlocked: show the status, and sync on a timer if a server is set."""
        self.active = True
        self._set_enabled(True)
        self.refresh_timer.start()
        self.refresh()
        self._schedule(self.first_sync_ms)

    def stop(self) -> None:
        """Locked: no more syncing; the client, its connection and the password go. A sync
        in flight is not waited for: closing its client ends its request."""
        self.active = False
        self.running = False
        self._generation += 1  # answers to what was asked before the lock are ignored
        for timer in (self.sync_timer, self.refresh_timer, self.tick_timer):
            timer.stop()
        self._set_enabled(False)
        self._drop_client()
        for dialog in (self.sign_in_dialog, self.items_dialog):
            if dialog is not None:
                dialog.close()
        if self.snapshot is not None and self.snapshot.status.unsent:
            n = self.snapshot.status.unsent
            self.ctx.set_status(
                f"{n} unsent (kept) · Not syncing while locked",
                "Nothing unsent is lost: it is sent after you unlock.",
            )
        else:
            self.ctx.set_status("Not syncing while locked", "")
        self.snapshot = None
        self.last_report = None

    def _drop_client(self) -> None:
        # On the network executor, or at the lock on the main thread: closing the client of a
        # sync in flight makes its request fail at once, which is what the lock wants.
        client, self._client, self._client_key = self._client, None, None
        self._password = None
        if client is not None:
            client.close()

    def _server_set(self) -> bool:
        try:
            return bool(self.session().settings.server_url.strip())
        except Exception:
            return False

    def _now(self) -> datetime:
        return self.session().clock.now()

    # --- the words ------------------------------------------------------------------------

    def refresh(self) -> None:
        """Read the counts again (after a change, and every half minute for the ages)."""
        if not self.active:
            return
        session = self.session()
        self.tasks.run(
            lambda: read_snapshot(session, self.last_report),
            self._apply,
            self._failed_read,
            label="sync status",
        )

    def on_changed(self, what: str) -> None:
        """Something was saved (an escalation move, a letter submitted ...)."""
        if not self.active:
            return
        if what == "settings":
            self._drop_client_later()
            self._schedule(self.first_sync_ms)
        self.refresh()

    def _drop_client_later(self) -> None:
        self.tasks.run_network(self._drop_client_keeping_password, label="sync client")

    def _drop_client_keeping_password(self) -> None:
        password = self._password
        self._drop_client()
        self._password = password

    def _apply(self, snap: Snapshot) -> None:
        if not self.active:
            return
        self.snapshot = snap
        self._render()

    def _failed_read(self, exc: BaseException) -> None:
        if self.active:
            self.ctx.set_status("Sync status unavailable", str(exc))

    def _render(self) -> None:
        snap = self.snapshot
        if snap is None or not self.active:
            self.tick_timer.stop()
            return
        try:
            now = self._now()
        except Exception:
            return
        text, tip = status_words(snap, now, syncing=self.running)
        self.ctx.set_status(text, tip)
        counting = snap.status.next_attempt_at is not None and bool(snap.status.last_error)
        if counting and not self.tick_timer.isActive():
            self.tick_timer.start()
        elif not counting:
            self.tick_timer.stop()

    @property
    def words(self) -> str:
        return self.ctx.label.text()

    # --- syncing ----------------------------------------------------------------------------

    def _schedule(self, ms: int) -> None:
        self.sync_timer.stop()
        if self.active and self._server_set():
            self.sync_timer.start(max(ms, 500))

    def _client_for(self, session: CaseloadSession) -> SyncClient:
        """The client for the current settings (worker side)."""
        from iro_desktop.services import sync as sync_service

        settings = session.settings
        key = (settings.server_url.strip(), sync_service.author_name(session))
        if self._client is None or self._client_key != key:
            password = self._password
            self._drop_client()
            self._password = password
            self._client = sync_service.client(session, password=lambda: self._password)
            self._client_key = key
        return self._client

    def sync(self, *, force: bool = False, asked: bool = False) -> None:
        """Run one sync on the task queue (F5 forces it past the back-off)."""
        if not self.active:
            return
        if not self._server_set():
            self.refresh()
            if asked:
                dialogs.info(
                    self.window,
                    "No sync server is set",
                    "Your work is kept on this laptop. To send it, set the sync server's "
                    "address in Settings (Ctrl+9); your manager can tell you what it is.",
                )
            return
        if self.running:
            return
        self.running = True
        self.sync_timer.stop()
        self._render()
        session = self.session()
        generation = self._generation

        def work() -> tuple[SyncReport, Snapshot]:
            report = self._client_for(session).sync_once(force=force)
            return report, read_snapshot(session, report)

        def done(found: tuple[SyncReport, Snapshot]) -> None:
            if generation == self._generation:
                self._synced(*found, asked=asked)

        def failed(exc: BaseException) -> None:
            if generation != self._generation:
                return  # locked meanwhile: the lock ended it
            self.running = False
            if not self.active:
                return
            self.ctx.set_status("Not syncing: " + _short(str(exc), 60), str(exc))
            self._schedule(self.interval_ms)
            if asked:
                dialogs.error(self.window, "Sync did not run", str(exc))

        self.tasks.run_network(work, done, failed, label="sync")

    def _synced(self, report: SyncReport, snap: Snapshot, *, asked: bool) -> None:
        self.running = False
        if not self.active:
            return
        self.last_report = report
        self._apply(snap)
        if self.items_dialog is not None and self.items_dialog.isVisible():
            self.items_dialog.reload()
        if report.pulled or report.conflicts:
            self.broadcast("sync")
        if report.conflicts:
            self.ctx.status(
                f"{report.conflicts} conflict(s) to decide: see the Escalations page.", 15_000
            )
        elif asked:
            self.ctx.status(report.summary(), 10_000)
        if report.sign_in_needed:
            self.sync_timer.stop()  # a timer will not help until someone signs in
            if asked:
                self.open_sign_in(report.error or "")
            return
        if (report.error or report.skipped) and report.next_attempt_at is not None:
            wait = (report.next_attempt_at - self._now()).total_seconds()
            self._schedule(int(wait * 1000) + 200)
        else:
            self._schedule(self.interval_ms)

    # --- signing in -----------------------------------------------------------------------

    def open_sign_in(self, why: str = "") -> SignInDialog | None:
        if not self.active:
            return None
        if self.sign_in_dialog is not None and self.sign_in_dialog.isVisible():
            self.sign_in_dialog.raise_()
            return self.sign_in_dialog
        from iro_desktop.services import sync as sync_service

        session = self.session()
        settings = session.settings
        dialog = SignInDialog(
            settings.server_url, sync_service.author_name(session), why, self.window
        )
        dialog.submitted.connect(lambda: self._sign_in(dialog))
        self.sign_in_dialog = dialog
        dialogs.track(dialog)
        dialog.open()
        return dialog

    def _sign_in(self, dialog: SignInDialog) -> None:
        from iro_desktop.services import sync as sync_service

        session = self.session()
        url, user, password = dialog.values()
        dialog.password.clear()  # from here on only in memory, for this session

        def work() -> tuple[SyncReport, Snapshot, bool]:
            address = sync_service.check_server_url(
                url, allow_insecure_http=session.settings.allow_insecure_http
            )
            client = sync_service.client(
                session, server_url=address, username=user, password=password
            )
            try:
                client.sign_in(password)
            except BaseException:
                client.close()
                raise
            settings = session.settings
            moved = (settings.server_url, settings.sync_user) != (address, user)
            if moved:
                session.settings = dataclasses.replace(settings, server_url=address, sync_user=user)
                session.save_settings()
            self._drop_client()
            self._client, self._client_key = client, (address, user)
            self._password = password
            client.set_password(lambda: self._password)
            report = client.sync_once(force=True)
            return report, read_snapshot(session, report), moved

        generation = self._generation

        def done(found: tuple[SyncReport, Snapshot, bool]) -> None:
            if generation != self._generation:
                return  # locked meanwhile
            report, snap, moved = found
            dialog.signed_in()
            if moved:
                self.broadcast("settings")
            self._synced(report, snap, asked=False)
            self.ctx.status(f"Signed in to the sync server as {user}. {report.summary()}", 10_000)

        def failed(exc: BaseException) -> None:
            if generation == self._generation:
                dialog.refused(str(exc))

        self.running = False
        self.tasks.run_network(work, done, failed, label="sync sign-in")

    # --- unsent and set-aside items ---------------------------------------------------------

    def open_items(self) -> OutboxDialog | None:
        if not self.active:
            return None
        if self.items_dialog is not None and self.items_dialog.isVisible():
            self.items_dialog.raise_()
            return self.items_dialog
        dialog = OutboxDialog(self, self.window)
        self.items_dialog = dialog
        dialogs.track(dialog)
        dialog.open()
        dialog.reload()
        return dialog


# --- the sign-in dialog ------------------------------------------------------------------------


class SignInDialog(QDialog):
    """Server, user name and password; the password is never written anywhere."""

    submitted = Signal()

    def __init__(self, url: str, user: str, why: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Sign in to the sync server")
        self.setAccessibleName("Sign in to the sync server")
        self.setModal(True)
        self.setMinimumWidth(480)
        intro = QLabel(
            (why + "\n\n" if why else "")
            + "Your password is used once to sign in and is not saved; the sign-in is kept "
            "in this computer's keyring (or inside your encrypted caseload)."
        )
        intro.setWordWrap(True)
        self.url = QLineEdit(url)
        self.url.setPlaceholderText("https://iro-sync.example.gov.uk")
        self.user = QLineEdit(user)
        self.password = passphrase_edit("Sync server password")
        form = QFormLayout()
        add_row(form, "Server &address:", self.url, "Sync server address")
        add_row(form, "&User name:", self.user, "Sync user name")
        add_row(form, "&Password:", self.password, "Sync server password")
        self.problem = QLabel("")
        self.problem.setObjectName("error")
        self.problem.setWordWrap(True)
        self.problem.setAccessibleName("Problem")
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.ok_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok_button.setText("&Sign in")
        self.buttons.accepted.connect(self._try)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addWidget(self.problem)
        layout.addWidget(self.buttons)
        (self.password if url and user else self.url).setFocus()

    def values(self) -> tuple[str, str, str]:
        return self.url.text().strip(), self.user.text().strip(), self.password.text()

    def _try(self) -> None:
        url, user, password = self.values()
        problem = ""
        if not url:
            problem = "Give the sync server's address (ask your manager)."
        elif not user:
            problem = "Give your user name on the sync server."
        elif not password:
            problem = "Type your sync server password."
        self.problem.setText(problem)
        if problem:
            return
        self.ok_button.setEnabled(False)
        self.problem.setText("Signing in…")
        self.submitted.emit()

    def signed_in(self) -> None:
        self.password.clear()
        self.accept()

    def refused(self, reason: str) -> None:
        self.ok_button.setEnabled(True)
        self.problem.setText(reason)
        self.password.setFocus()

    def reject(self) -> None:
        self.password.clear()
        super().reject()


# --- the unsent and set-aside items ------------------------------------------------------------

_STATUS = {"pending": "Waiting to be sent", "rejected": "Set aside by the server", "sent": "Sent"}


def _when(item: OutboxItemView) -> str:
    local = item.created_at.astimezone()
    return f"{uk_date(local.date())} {local:%H:%M}"


ITEM_COLUMNS: list[Column[OutboxItemView]] = [
    Column("Status", lambda i: _STATUS.get(i.status, i.status), width_chars=20),
    Column("What", lambda i: i.what, width_chars=28),
    Column("About", lambda i: i.about, tooltip=lambda i: i.about, width_chars=34),
    Column(
        "Saved",
        _when,
        sort_key=lambda i: i.created_at.timestamp(),
        width_chars=16,
    ),
    Column("Tries", lambda i: str(i.attempts), align_right=True, width_chars=5),
    Column(
        "Reason",
        lambda i: i.reason or i.server_conflict or i.last_error,
        tooltip=lambda i: i.reason or i.server_conflict or i.last_error,
        width_chars=40,
    ),
]


class OutboxDialog(QDialog):
    """What has not reached the server: waiting, and set aside with the server's reason."""

    def __init__(self, controller: SyncStatusBar, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.controller = controller
        self.setWindowTitle("Unsent and set-aside items")
        self.setAccessibleName("Unsent and set-aside items")
        self.resize(1060, 460)  # room for who each item is about
        self.summary = QLabel("")
        self.summary.setWordWrap(True)
        self.summary.setAccessibleName("Summary")
        self.model: ColumnTableModel[OutboxItemView] = ColumnTableModel(ITEM_COLUMNS, self)
        self.table = read_only_table("Unsent items")
        self.table.setModel(self.model)
        char = self.fontMetrics().averageCharWidth()
        for i, column in enumerate(ITEM_COLUMNS[:-1]):
            self.table.horizontalHeader().resizeSection(i, column.width(char))
        self.table.horizontalHeader().setStretchLastSection(True)
        label = QLabel("&Items not yet on the sync server:")
        label.setBuddy(self.table)
        self.retry_button = QPushButton("&Retry the selected item")
        self.retry_button.clicked.connect(self.retry_selected)
        self.retry_all_button = QPushButton("Retry &all set aside")
        self.retry_all_button.clicked.connect(self.retry_all)
        self.sync_button = QPushButton("Sync &now")
        self.sync_button.clicked.connect(lambda: controller.sync(force=True, asked=True))
        close = QPushButton("&Close")
        close.clicked.connect(self.accept)
        buttons = QHBoxLayout()
        for button in (self.retry_button, self.retry_all_button, self.sync_button):
            button.setAccessibleName(button.text().replace("&", ""))
            buttons.addWidget(button)
        buttons.addStretch(1)
        buttons.addWidget(close)
        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        layout.addWidget(label)
        layout.addWidget(self.table, 1)
        layout.addLayout(buttons)
        self.table.selectionModel().currentRowChanged.connect(lambda *_: self._enable())
        self._enable()

    def reload(self) -> None:
        from iro_desktop.services import sync as sync_service

        session = self.controller.session()

        def load() -> list[OutboxItemView]:
            from iro_desktop.services.outbox_about import with_about

            items = sync_service.outbox_items(session)
            return with_about(session, [i for i in items if i.status != "sent"])

        self.controller.tasks.run(load, self._loaded, self._failed, label="outbox")

    def _failed(self, exc: BaseException) -> None:
        self.summary.setText(f"The list could not be read: {exc}")

    def _loaded(self, items: list[OutboxItemView]) -> None:
        # Set-aside items first: they need a person.
        items.sort(key=lambda i: (i.status != "rejected", i.created_at))
        self.model.set_rows(items)
        aside = sum(1 for i in items if i.status == "rejected")
        if not items:
            self.summary.setText("Everything saved on this laptop is on the sync server.")
        else:
            self.summary.setText(
                f"{len(items)} item(s) not yet on the sync server, {aside} of them set aside. "
                "Nothing here is ever deleted. An item set aside waits until it is retried "
                "(after the problem was put right, for example your account was added to "
                "the right team); later changes to the same escalation wait behind it."
            )
        if items:
            self.table.selectRow(0)
        self._enable()

    def selected(self) -> OutboxItemView | None:
        index = self.table.selectionModel().currentIndex()
        return self.model.row_at(index.row()) if index.isValid() else None

    def _enable(self) -> None:
        item = self.selected()
        self.retry_button.setEnabled(item is not None and item.status == "rejected")
        self.retry_all_button.setEnabled(any(i.status == "rejected" for i in self.model.rows))

    def retry_selected(self) -> None:
        item = self.selected()
        if item is not None and item.status == "rejected":
            self._retry([item.item_id])

    def retry_all(self) -> None:
        self._retry([i.item_id for i in self.model.rows if i.status == "rejected"])

    def _retry(self, ids: list[str]) -> None:
        from iro_desktop.services import sync as sync_service

        session = self.controller.session()

        def work() -> int:
            for item_id in ids:
                sync_service.retry_set_aside(session, item_id)
            return len(ids)

        def done(n: int) -> None:
            self.reload()
            self.controller.refresh()
            self.controller.sync(force=True)
            self.summary.setText(f"{n} item(s) queued again and being sent.")

        self.controller.tasks.run(work, done, self._failed, label="retry set aside")
