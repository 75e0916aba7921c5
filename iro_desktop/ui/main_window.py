"""The main window: navigation, pages, menus, status bar, lock and unlock.

The window owns the session (once unlocked) and lends pages only what they need (a
PageContext). All caseload work goes through the task queue; nothing here opens a database.
"""

from __future__ import annotations

import json
import logging
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence
from PySide6.QtWidgets import (
    QApplication,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QMenu,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from iro_desktop.ui import dialogs, views
from iro_desktop.ui.controller_context import CommandsContext, SyncContext
from iro_desktop.ui.entry_commands import EntryCommands
from iro_desktop.ui.file_commands import CaseloadCommands
from iro_desktop.ui.lock import (
    ClipboardGuard,
    IdleWatcher,
    LockChecklist,
    LockResult,
    stale_drafts,
)
from iro_desktop.ui.page import Page, PageContext
from iro_desktop.ui.tasks import TaskManager
from iro_desktop.ui.unlock import UnlockPanel
from iro_desktop.ui.warmup import Warmup

if TYPE_CHECKING:
    from iro_desktop.clock import Clock
    from iro_desktop.paths import DataPaths
    from iro_desktop.services.access import CaseloadSession
    from iro_desktop.services.window import Reopening
    from iro_desktop.ui.first_run import FirstRunDialog, WelcomePanel

log = logging.getLogger(__name__)

# Every form's typing reaches the encrypted store within 2 s (only changed drafts are written).
AUTOSAVE_MS = 1_500
NO_SERVER = "Not syncing: no server set"
ROLE_WORDS = {"iro": "IRO", "manager": "IRO manager"}
# Keys a page uses for itself (a page's own shortcut and the window's would cancel out):
# while that page is showing, the window's action gives way.
PAGE_KEYS = {"escalations": ("Ctrl+N",), "due": ("Ctrl+Shift+E",)}


def _remembered(paths: DataPaths, login: str) -> bool:
    from iro_desktop.services import window as service

    return service.has_remembered_key(paths, login)


def _open_and_read(session: CaseloadSession) -> tuple[CaseloadSession, Reopening | None]:
    """On the worker, straight after the unlock: what the window shows first (who, where they
    were, their drafts, the caseload list), so the caseload paints without a second trip to
    the worker. If that cannot be read here, the window reads it again after opening (and
    says what went wrong then): the unlocked session is never lost."""
    from iro_desktop.services import window as service

    try:
        return session, service.reopen(session)
    except Exception:  # noqa: BLE001 - read again, and reported, by session_opened
        log.debug("reading the caseload with the unlock failed", exc_info=True)
        return session, None


class MainWindow(QMainWindow):
    """`opened` fires once the caseload is unlocked and the first page is asked for;
    `locked` after the lock checklist has run."""

    opened = Signal()
    locked = Signal()

    def __init__(
        self,
        paths: DataPaths,
        *,
        tasks: TaskManager | None = None,
        clock: Clock | None = None,
        idle_timer: QTimer | None = None,
        autosave_ms: int = AUTOSAVE_MS,
        banner: str = "",
    ) -> None:
        super().__init__()
        self.paths = paths
        self.clock = clock
        self.tasks = tasks if tasks is not None else TaskManager(self)
        self.tasks.error_handler = self._task_failed
        self.tasks.busy_changed.connect(self._busy_changed)
        self.session: CaseloadSession | None = None
        self.user: dict[str, str] = {}
        self.last_lock: LockResult | None = None
        self.first_run_dialog: FirstRunDialog | None = None
        self.welcome: WelcomePanel | None = None
        self._pages: dict[str, Page] = {}
        self._current: tuple[str, str | None] | None = None
        self._history: list[tuple[str, str | None]] = []
        self._saved_drafts: dict[str, str] = {}
        self._written_drafts: set[str] = set()  # drafts this window wrote since unlocking
        self._saved_state = ""
        self._memory_drafts: dict[str, dict[str, Any]] = {}
        self._remembered = False
        self._logins: list[str] = []
        self._login = ""
        self._pending_session: CaseloadSession | None = None
        self._message = ""

        app = QApplication.instance()
        from iro_desktop.ui.widgets import install_wheel_guard

        install_wheel_guard()  # drop-downs take the wheel only when focused, in every form
        self.idle = IdleWatcher(5, self, timer=idle_timer)
        self.idle.idle.connect(self._idle_lock)
        if app is not None:
            app.installEventFilter(self.idle)
        self.clipboard = ClipboardGuard(QApplication.clipboard(), self)
        self.autosave_timer = QTimer(self)
        self.autosave_timer.setInterval(autosave_ms)
        self.autosave_timer.timeout.connect(self.autosave)

        self.ctx = PageContext(
            tasks=self.tasks,
            session=self._require_session,
            navigator=self,
            clipboard=self.clipboard,
            status=self.show_message,
            command=self.run_command,
        )

        self.commands = CaseloadCommands(self._commands_context())
        self.entries = EntryCommands(self)
        self.setWindowTitle("IRO Desktop")
        self.resize(1280, 800)
        self._build_body(banner)
        self._build_menus()
        self._build_status_bar()
        self._set_unlocked_actions(False)
        from iro_desktop.ui.sync_status import SyncStatusBar

        self.sync_status = SyncStatusBar(self._sync_context(), broadcast=self._page_changed)
        from iro_desktop.ui.waiting_letters import WaitingLetters  # a manager's count

        self.waiting_letters = WaitingLetters(
            tasks=self.tasks,
            session=lambda: self.session,
            sidebar=self.sidebar,
            status=self.show_message,
            shortcut="Ctrl+5",
        )
        self.opened.connect(self.waiting_letters.opened)
        self.locked.connect(self.waiting_letters.locked)
        # While the IRO types the passphrase: load what the caseload opens with.
        self.warmup = Warmup(lambda: self.page("caseload"), self)

    # --- what the controllers are lent (not the window itself) ------------------------------

    def _commands_context(self) -> CommandsContext:
        def set_login(login: str) -> None:
            self._login = login

        def unlock_busy() -> None:
            self.root.setCurrentWidget(self.unlock_panel)
            self.unlock_panel.set_busy(True)

        def show_welcome() -> bool:
            if self.welcome is None:
                return False
            self.root.setCurrentWidget(self.welcome)
            return True

        def key_forgotten() -> None:
            self._remembered = False

        return CommandsContext(
            parent=self,
            tasks=self.tasks,
            paths=self.paths,
            session=lambda: self.session,
            login=lambda: self._login,
            set_login=set_login,
            lock=self.lock,
            start=self.start,
            show_unlock_busy=unlock_busy,
            show_welcome=show_welcome,
            unlock_notice=lambda text: self.unlock_panel.show_error(text),
            key_forgotten=key_forgotten,
            status=self.show_message,
            actions=self.actions,
        )

    def _sync_context(self) -> SyncContext:
        def add_menu(title: str) -> QMenu:
            menu = QMenu(title, self)
            self.menuBar().insertMenu(self.help_menu.menuAction(), menu)
            return menu

        return SyncContext(
            parent=self,
            tasks=self.tasks,
            session=self.ctx.session,
            label=self.sync_label,
            set_status=self.set_sync_status,
            status=self.show_message,
            add_menu=add_menu,
            add_action=self.addAction,
            opened=self.opened,
            locked=self.locked,
        )

    # --- building ------------------------------------------------------------------------

    def _build_body(self, banner: str) -> None:
        central = QWidget()
        outer = QVBoxLayout(central)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.setSpacing(0)
        self.banner = QLabel(banner)
        self.banner.setObjectName("banner")
        self.banner.setWordWrap(True)
        self.banner.setAccessibleName("Notice")
        self.banner.setVisible(bool(banner))
        outer.addWidget(self.banner)

        self.root = QStackedWidget()
        outer.addWidget(self.root, 1)

        self.unlock_panel = UnlockPanel()
        self.unlock_panel.unlock_requested.connect(self._unlock_requested)
        self.unlock_panel.remembered_requested.connect(self._unlock_remembered)
        self.unlock_panel.reset_requested.connect(self.commands.reset_passphrase)
        self.root.addWidget(self.unlock_panel)

        self.content = QWidget()
        row = QHBoxLayout(self.content)
        row.setContentsMargins(0, 0, 0, 0)
        row.setSpacing(0)
        self.sidebar = QListWidget()
        self.sidebar.setObjectName("sidebar")
        self.sidebar.setAccessibleName("Go to page")
        self.sidebar.setFixedWidth(190)
        for spec in views.PAGES:
            if spec.in_sidebar:
                self._add_sidebar_item(spec)
        self.sidebar.setCurrentRow(0)
        self.sidebar.currentItemChanged.connect(self._sidebar_changed)
        self.stack = QStackedWidget()
        row.addWidget(self.sidebar)
        row.addWidget(self.stack, 1)
        self.root.addWidget(self.content)
        self.root.setCurrentWidget(self.unlock_panel)
        self.setCentralWidget(central)

    def _add_sidebar_item(self, spec: views.PageSpec) -> None:
        item = QListWidgetItem(spec.title.replace("&", ""))
        item.setData(Qt.ItemDataRole.UserRole, spec.key)
        if spec.shortcut:
            item.setToolTip(f"{spec.title.replace('&', '')} ({spec.shortcut})")
        self.sidebar.addItem(item)

    def _action(
        self, menu: QMenu, text: str, slot: Any, shortcut: str | QKeySequence.StandardKey = ""
    ) -> QAction:
        action = QAction(text, self)
        if shortcut:
            action.setShortcut(QKeySequence(shortcut))
        action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
        action.triggered.connect(lambda _checked=False: slot())
        menu.addAction(action)
        self.addAction(action)  # shortcuts work even with the menu bar hidden
        return action

    def _build_menus(self) -> None:
        bar = self.menuBar()
        file = bar.addMenu("&File")
        self.add_child_action = self._action(
            file, "&Add a child...", lambda: self.run_command("add_child"), "Ctrl+N"
        )
        self.import_action = self._action(
            file, "&Import from your council's files...", self.entries.import_files, "Ctrl+I"
        )
        self.export_action = self._action(
            file, "E&xport the 903 return...", self.entries.export_return, "Ctrl+Shift+E"
        )
        file.addSeparator()
        self.backup_action = self._action(file, "&Back up...", self.commands.backup)
        self.restore_action = self._action(file, "&Restore from a backup...", self.commands.restore)
        file.addSeparator()
        self.change_action = self._action(
            file, "&Change passphrase...", self.commands.change_passphrase
        )
        self.rekey_action = self._action(file, "Re-&encrypt with a new key...", self.commands.rekey)
        file.addSeparator()
        self.lock_action = self._action(file, "&Lock", lambda: self.lock(), "Ctrl+L")
        self.quit_action = self._action(file, "&Quit", self.close, "Ctrl+Q")

        go = bar.addMenu("&Go")
        self.page_actions: dict[str, QAction] = {}
        for spec in views.PAGES:
            if spec.in_sidebar:
                key = spec.key
                self.page_actions[key] = self._action(
                    go, spec.title, lambda k=key: self.show_page(k), spec.shortcut
                )
        go.addSeparator()
        self.back_action = self._action(go, "&Back", self.back, "Alt+Left")
        self.find_action = self._action(
            go, "&Find a child", self.find_child, QKeySequence.StandardKey.Find
        )

        settings = bar.addMenu("&Settings")
        self._action(settings, "&Idle lock...", lambda: self._open_settings("idle"))
        self._action(settings, "&Practice profile...", lambda: self._open_settings("profile"))
        self._action(settings, "&Sync server...", lambda: self._open_settings("server"))
        self.settings_menu = settings

        help_menu = bar.addMenu("&Help")
        self.help_menu = help_menu
        self._action(help_menu, "&Keyboard shortcuts", self.commands.show_shortcuts, "F1")
        self._action(help_menu, "&About IRO Desktop", self.commands.about)

    def _build_status_bar(self) -> None:
        status = self.statusBar()
        self.busy_label = QLabel("")
        self.busy_label.setAccessibleName("Working")
        self.user_label = QLabel("Locked")
        self.user_label.setAccessibleName("Signed in as")
        self.profile_label = QLabel("")
        self.profile_label.setAccessibleName("Practice profile")
        self.sync_label = QLabel(NO_SERVER)
        self.sync_label.setAccessibleName("Sync status")
        for label in (self.busy_label, self.user_label, self.profile_label, self.sync_label):
            status.addPermanentWidget(label)

    def _set_unlocked_actions(self, unlocked: bool) -> None:
        for action in (
            self.add_child_action,
            self.import_action,
            self.export_action,
            self.backup_action,
            self.change_action,
            self.rekey_action,
            self.lock_action,
            self.back_action,
            self.find_action,
            *self.page_actions.values(),
        ):
            action.setEnabled(unlocked)
        self.settings_menu.setEnabled(unlocked)

    # --- public bits for other code ----------------------------------------------------------

    def set_sync_status(self, text: str, tooltip: str = "") -> None:
        """The sync engine reports here: 'Synced 2 minutes ago', '3 changes waiting', ..."""
        self.sync_label.setText(text)
        self.sync_label.setToolTip(tooltip)

    def run_command(self, name: str) -> None:
        """A command a page offers too: 'add_child', 'import', 'export'."""
        if self.session is None:
            return
        if name == "add_child":
            self.show_page("caseload")
            add = getattr(self.page("caseload"), "add_child", None)
            if add is not None:
                add()
        elif name == "import":
            self.entries.import_files()
        elif name == "export":
            self.entries.export_return()

    def broadcast(self, what: str) -> None:
        """Something was saved outside a page (an import): every page redraws what it shows."""
        self._page_changed(what)

    def forget_child(self, child_id: str) -> None:
        """A removed child: Back no longer leads to their page."""
        gone = {("child", child_id), ("child", None)}
        self._history = [h for h in self._history if h not in gone]

    def show_message(self, text: str, ms: int = 6000) -> None:
        # Beside the permanent labels a long message was cut mid-word: it is shortened at a
        # word instead, and the whole of it is the status bar's tooltip.
        from iro_desktop.ui.text_fit import fit_words

        bar = self.statusBar()
        room = bar.width() - 40
        for label in (self.busy_label, self.user_label, self.profile_label, self.sync_label):
            if label.isVisible():
                room -= label.width() + 8
        shown = fit_words(text, bar.fontMetrics(), room) if bar.isVisible() else text
        bar.setToolTip(text if shown != text else "")
        self._message = text
        bar.showMessage(shown, ms)

    def status_message(self) -> str:
        """The status bar's current message in full (it may show shortened)."""
        shown = self.statusBar().currentMessage()
        return self._message if shown and self._message.startswith(shown.rstrip("…")) else shown

    def set_banner(self, text: str) -> None:
        self.banner.setText(text)
        self.banner.setVisible(bool(text))

    def _require_session(self) -> CaseloadSession:
        if self.session is None:
            from iro_desktop.services.window import StoreError

            raise StoreError("The caseload is locked. Unlock it to carry on.")
        return self.session

    # --- start ----------------------------------------------------------------------------------

    def start(self, *, login: str = "", auto_unlock_passphrase: str | None = None) -> None:
        """First run (no caseload here) or the unlock screen for `login` (default: the last
        one used). `auto_unlock_passphrase` is for automation and the start-up benchmark."""
        if not self.paths.keyfile.exists():
            self._first_run()
            return
        self.unlock_panel.prepare([], "", "Getting ready...")
        self.unlock_panel.set_busy(True)
        self.unlock_panel.error.setText("")
        paths = self.paths

        def look() -> tuple[list[str], str, str]:
            from iro_desktop.services import window as service

            logins = service.known_logins(paths)
            who = login or service.last_login(paths) or (logins[0] if logins else "")
            return logins, who, service.keyfile_problem(paths)

        def ready(found: tuple[list[str], str, str]) -> None:
            self._logins, self._login, problem = found
            self.unlock_panel.prepare(self._logins, self._login, problem)
            if not self.tasks.synchronous:  # tests run every task at once: nothing to overlap
                self.warmup.start()
            if auto_unlock_passphrase is not None:
                self._unlock_requested(self._login, auto_unlock_passphrase, False)
            elif self._login:
                # The keyring can be slow to answer; the IRO may start typing meanwhile.
                self.tasks.run(lambda: _remembered(paths, self._login), self._offer_remembered)

        def not_ready(exc: BaseException) -> None:
            # Never left on "Getting ready...": what went wrong is said, and unlock is open.
            self.unlock_panel.prepare([], login, str(exc))

        self.tasks.run(look, ready, not_ready, label="find logins")

    def _offer_remembered(self, remembered: bool) -> None:
        self._remembered = remembered
        if remembered and self.session is None:
            self.unlock_panel.remembered_button.setVisible(True)
            self.unlock_panel.remember.setChecked(True)

    def _first_run(self) -> None:
        from iro_desktop.ui.first_run import WelcomePanel

        if self.welcome is None:
            self.welcome = WelcomePanel(str(self.paths.root))
            self.welcome.create_requested.connect(self.open_first_run_dialog)
            self.welcome.restore_requested.connect(self.commands.restore)
            self.welcome.quit_requested.connect(self.close)
            self.root.addWidget(self.welcome)
        self.root.setCurrentWidget(self.welcome)
        self.open_first_run_dialog()

    def open_first_run_dialog(self) -> FirstRunDialog:
        from iro_desktop.services.window import profile_names
        from iro_desktop.ui.first_run import FirstRunDialog

        dialog = FirstRunDialog(profile_names(), self)
        dialog.create_requested.connect(self._create_caseload)
        dialog.accepted.connect(self._first_run_finished)
        self.first_run_dialog = dialog
        dialogs.track(dialog)
        dialog.open()
        return dialog

    def _create_caseload(self, name: str, login: str, passphrase: str, profile: str) -> None:
        from iro_desktop.services import window as service

        dialog = self.first_run_dialog
        assert dialog is not None
        paths, clock = self.paths, self.clock

        def created(result: tuple[CaseloadSession, str]) -> None:
            session, code = result
            self._pending_session = session
            dialog.created(code)

        def failed(exc: BaseException) -> None:
            dialog.failed(str(exc))

        self.tasks.run(
            lambda: service.new_caseload(paths, login, passphrase, name, profile, clock),
            created,
            failed,
            label="create caseload",
        )

    def _first_run_finished(self) -> None:
        session, self._pending_session = self._pending_session, None
        if session is not None:
            self._login = session.username
            self._logins = [session.username]
            self.session_opened(session)

    # --- unlock ---------------------------------------------------------------------------------

    def _unlock_requested(self, login: str, passphrase: str, remember: bool) -> None:
        from iro_desktop.services import window as service

        self.unlock_panel.set_busy(True)
        paths, clock = self.paths, self.clock
        self.tasks.run(
            lambda: _open_and_read(service.unlock(paths, login, passphrase, clock)),
            lambda opened: self._unlocked(*opened, remember),
            self._unlock_failed,
            label="unlock",
        )

    def _unlock_remembered(self, login: str) -> None:
        from iro_desktop.services import window as service

        self.unlock_panel.set_busy(True)
        paths, clock = self.paths, self.clock
        self.tasks.run(
            lambda: _open_and_read(service.unlock(paths, login, None, clock)),
            lambda opened: self._unlocked(*opened, True, already_remembered=True),
            self._unlock_failed,
            label="unlock",
        )

    def _unlocked(
        self,
        session: CaseloadSession,
        found: Reopening | None,
        remember: bool,
        *,
        already_remembered: bool = False,
    ) -> None:
        from iro_desktop.services import window as service

        self._login = session.username
        paths = self.paths
        if remember and not already_remembered:

            def kept(_: object) -> None:
                self._remembered = True
                self.show_message("Your key is remembered on this device (in its keyring).")

            def not_kept(exc: BaseException) -> None:
                self._remembered = False
                dialogs.info(
                    self,
                    "Not remembered on this device",
                    f"{exc} You will be asked for your passphrase next time; "
                    "everything else works as usual.",
                )

            self.tasks.run(session.remember_on_this_device, kept, not_kept, label="keyring")
        elif not remember and self._remembered:
            self._remembered = False
            self.tasks.run(lambda: service.forget_remembered_key(paths, session.username))
        self.session_opened(session, found)
        code = session.take_new_recovery_code()
        if code:  # this unlock finished a re-encryption that a crash interrupted
            from iro_desktop.ui.forms import RecoveryCodeDialog

            if dialogs.run_form(
                RecoveryCodeDialog(
                    code,
                    "A re-encryption of the caseload was interrupted and has now been "
                    "finished. Write down the new recovery code; the old one no longer works.",
                    self,
                )
            ):
                self.tasks.run(session.recovery_code_shown, label="recovery code shown")

    def _unlock_failed(self, exc: BaseException) -> None:
        from iro_desktop.services import window as service

        if isinstance(exc, service.UnlockThrottled):
            self.unlock_panel.wrong_passphrase(str(exc), exc.seconds)
        elif isinstance(exc, service.WrongPassphrase):
            self.unlock_panel.wrong_passphrase(
                "That passphrase is not right, so the caseload stays locked. Check Caps Lock "
                "and try again.",
                service.unlock_wait_seconds(self.paths),
            )
        elif isinstance(exc, service.UnknownLogin):
            self.unlock_panel.show_error(str(exc))
        else:
            self.unlock_panel.set_busy(False)
            self.unlock_panel.error.setText("The caseload could not be opened.")
            dialogs.error(self, "The caseload could not be opened", str(exc))

    def session_opened(self, session: CaseloadSession, found: Reopening | None = None) -> None:
        """An unlocked caseload: show the content and go back to where the IRO was.

        `found` is what the unlock already read on the worker (no second trip there)."""
        from iro_desktop.services import window as service

        self.session = session
        self._current = None
        self._history = []
        self.root.setCurrentWidget(self.content)
        self.setWindowTitle("IRO Desktop")
        self._set_unlocked_actions(True)
        if found is not None:
            self._reopened(found)
            return
        self.tasks.run(lambda: service.reopen(session), self._reopened, label="open caseload")

    def _reopened(self, found: Reopening) -> None:
        session = self.session
        if session is None:
            return
        self.user = found.user
        self._update_status()
        self.idle.set_minutes(session.settings.idle_lock_minutes)
        self.idle.start()
        self.autosave_timer.start()
        self._saved_state = json.dumps(found.state, sort_keys=True)
        self._saved_drafts = {k: json.dumps(v, sort_keys=True) for k, v in found.drafts.items()}
        # The list arrived with the unlock: no second trip to the worker before it shows.
        caseload = self.page("caseload")
        show_entries = getattr(caseload, "show_entries", None)
        if show_entries is not None:
            show_entries(found.caseload)
        if found.state:
            self._restore_state(found.state)
        else:
            self.show_page("caseload")
        if self.user.get("role") == "manager":
            # A manager lands on what waits for them; Back returns to where they were.
            self.show_page("landing")
        drafts = {**found.drafts, **self._memory_drafts}
        self._memory_drafts = {}
        self._restore_drafts(drafts)
        if session.settings_problem:  # the caseload opened anyway; say which settings did not
            self.show_message(session.settings_problem, 60000)
        self.opened.emit()

    def _update_status(self) -> None:
        session = self.session
        if session is None:
            self.user_label.setText("Locked")
            self.profile_label.setText("")
            return
        name = self.user.get("display_name") or session.username
        role = ROLE_WORDS.get(self.user.get("role", "iro"), self.user.get("role", ""))
        self.user_label.setText(f"Signed in: {name} ({role})")
        try:
            profile = session.profile.name
        except ValueError as exc:
            profile = f"unknown ({exc})"
        self.profile_label.setText(f"Practice profile: {profile}")
        if not session.settings.server_url and self.sync_label.text() in ("", NO_SERVER):
            self.set_sync_status(NO_SERVER)

    # --- pages and navigation ------------------------------------------------------------------

    def page(self, key: str) -> Page:
        """The page for `key`, created the first time it is needed."""
        page = self._pages.get(key)
        if page is None:
            cls = views.spec(key).load()
            page = cls(self.ctx)
            assert isinstance(page, Page)
            page.changed.connect(self._page_changed)
            self._pages[key] = page
            self.stack.addWidget(page)
        return page

    @property
    def pages(self) -> dict[str, Page]:
        return dict(self._pages)

    def current_page(self) -> Page | None:
        widget = self.stack.currentWidget()
        return widget if isinstance(widget, Page) else None

    def current_location(self) -> tuple[str, str | None] | None:
        page = self.current_page()
        if page is None or self._current is None:
            return None
        return page.key, page.current_arg()

    def show_page(self, key: str, arg: str | None = None, *, remember: bool = True) -> None:
        if self.session is None:
            return
        page = self.page(key)
        here = self.current_location()
        if remember and here is not None and here != (key, arg):
            self._history.append(here)
            del self._history[:-50]
        self._current = (key, arg)
        self._give_way(key)
        self.stack.setCurrentWidget(page)
        self._select_sidebar(key)
        page.activated(arg)
        title = views.spec(key).title.replace("&", "")
        self.setWindowTitle(f"{title} - IRO Desktop")

    def _give_way(self, key: str) -> None:
        mine = {self.add_child_action: "Ctrl+N", self.export_action: "Ctrl+Shift+E"}
        for action, keys in mine.items():
            action.setShortcut(QKeySequence("" if keys in PAGE_KEYS.get(key, ()) else keys))

    def open_child(self, child_id: str) -> None:
        self.show_page("child", child_id)
        self.page("child").focus_first()

    def back(self) -> None:
        if self.session is None:
            return
        if self._history:
            key, arg = self._history.pop()
        elif self._current and self._current[0] != "caseload":
            key, arg = "caseload", None
        else:
            return
        self.show_page(key, arg, remember=False)
        self.page(key).focus_on_return()

    def find_child(self) -> None:
        self.show_page("caseload")
        self.page("caseload").focus_first()

    def _select_sidebar(self, key: str) -> None:
        self.sidebar.blockSignals(True)
        try:
            for row in range(self.sidebar.count()):
                item = self.sidebar.item(row)
                if item.data(Qt.ItemDataRole.UserRole) == key:
                    self.sidebar.setCurrentRow(row)
                    break
            else:
                self.sidebar.clearSelection()
        finally:
            self.sidebar.blockSignals(False)

    def _sidebar_changed(self, item: QListWidgetItem | None, _previous: object) -> None:
        # Qt also moves the current item when the list first takes focus; only the IRO's own
        # choice, once the caseload is open and restored, navigates.
        if item is not None and self._current is not None:
            self.show_page(str(item.data(Qt.ItemDataRole.UserRole)))

    def _page_changed(self, what: str) -> None:
        if what == "settings":
            session = self.session
            if session is not None:
                self.idle.set_minutes(session.settings.idle_lock_minutes)
                self._update_status()
        for page in self._pages.values():
            page.on_changed(what)
        self.sync_status.on_changed(what)
        self.waiting_letters.on_changed(what)

    def _open_settings(self, field: str) -> None:
        self.show_page("settings")
        focus = getattr(self.page("settings"), "focus_field", None)
        if focus is not None:
            focus(field)

    # --- where the IRO was, and drafts ----------------------------------------------------

    def collect_state(self) -> dict[str, Any]:
        here = self.current_location() or ("caseload", None)
        return {
            "page": here[0],
            "arg": here[1],
            "history": [[k, a] for k, a in self._history[-20:]],
            "pages": {key: page.state() for key, page in self._pages.items()},
        }

    def _restore_state(self, state: dict[str, Any]) -> None:
        known = {spec.key for spec in views.PAGES}
        pages = state.get("pages")
        if isinstance(pages, dict):
            for key, page_state in pages.items():
                if key in known and isinstance(page_state, dict):
                    self.page(key).restore_state(page_state)
        # The caseload list loads first so its search and selection are there on Back.
        self.page("caseload").activated(None)
        key = state.get("page")
        arg = state.get("arg")
        if key not in known:
            key, arg = "caseload", None
        self.show_page(str(key), arg if isinstance(arg, str) else None, remember=False)
        history = state.get("history")
        if isinstance(history, list):
            self._history = [
                (str(k), a if isinstance(a, str) else None)
                for k, a in (h for h in history if isinstance(h, list) and len(h) == 2)
                if k in known
            ]

    def collect_drafts(self) -> dict[str, dict[str, Any]]:
        drafts: dict[str, dict[str, Any]] = {}
        for page in self._pages.values():
            drafts.update(page.drafts())
        return drafts

    def _restore_drafts(self, drafts: dict[str, dict[str, Any]]) -> None:
        restored = []
        for key, payload in drafts.items():
            spec = views.for_draft(key)
            if spec is not None and self.page(spec.key).restore_draft(key, payload):
                restored.append(spec.title.replace("&", ""))
                if spec.key == (self._current or ("", None))[0]:
                    self.page(spec.key).activated(None)
        if restored:
            self.show_message(f"Unsaved changes were put back: {', '.join(sorted(set(restored)))}.")

    def autosave(self) -> None:
        """Save changed drafts and where the IRO is (every few seconds; also on lock/close)."""
        session = self.session
        if session is None:
            return
        from iro_desktop.services import caseload as caseload_service
        from iro_desktop.services import window as service

        drafts = self.collect_drafts()
        encoded = {k: json.dumps(v, sort_keys=True) for k, v in drafts.items()}
        changed = {k: drafts[k] for k, text in encoded.items() if self._saved_drafts.get(k) != text}
        for key in list(self._saved_drafts):
            if key not in drafts:
                del self._saved_drafts[key]  # saved or undone by its page since
        # ... so the copy written here goes too: an unlock must not put back what is not lost.
        stale = stale_drafts(self._written_drafts, drafts)
        if stale:
            self._written_drafts.difference_update(stale)
            self.tasks.run(
                lambda: caseload_service.discard_drafts(session, stale),
                label="discard saved drafts",
            )
        if changed:

            def drafts_saved(_: object) -> None:
                for key in changed:
                    self._saved_drafts[key] = encoded[key]
                self._written_drafts.update(changed)

            self.tasks.run(
                lambda: service.save_drafts(session, changed), drafts_saved, label="save drafts"
            )
        state = self.collect_state()
        state_text = json.dumps(state, sort_keys=True)
        if state_text != self._saved_state:

            def state_saved(_: object) -> None:
                self._saved_state = state_text

            self.tasks.run(
                lambda: caseload_service.save_session_state(session, state),
                state_saved,
                label="save place",
            )

    # --- lock ----------------------------------------------------------------------------------

    def _idle_lock(self) -> None:
        session = self.session
        minutes = session.settings.idle_lock_minutes if session else 0
        unit = "minute" if minutes == 1 else "minutes"
        self.lock(
            f"Locked after {minutes} {unit} without use. Your place and anything you "
            "were typing are kept."
        )

    def lock(self, message: str = "") -> LockResult | None:
        """The lock checklist (see ui/lock.py), then the unlock screen in this window."""
        session = self.session
        if session is None:
            return None
        from iro_desktop.services import caseload as caseload_service
        from iro_desktop.services import window as service

        self.idle.stop()
        self.autosave_timer.stop()
        checklist = LockChecklist(
            tasks=self.tasks,
            collect_drafts=self.collect_drafts,
            collect_state=self.collect_state,
            save_drafts=lambda drafts: service.save_drafts(session, drafts),
            save_state=lambda state: caseload_service.save_session_state(session, state),
            close_store=session.lock,
            clipboard=self.clipboard,
            hide_content=self._hide_content,
            written_before=lambda: set(self._written_drafts),
            discard_drafts=lambda keys: caseload_service.discard_drafts(session, keys),
        )
        result = checklist.run()
        self._memory_drafts = dict(result.unsaved_drafts)
        self.last_lock = result
        self.unlock_panel.prepare(
            self._logins or [session.username],
            session.username,
            message or "Your place and anything you were typing are kept. Unlock to carry on.",
            remember_ticked=self._remembered,
            heading="The caseload is locked",
        )
        self.root.setCurrentWidget(self.unlock_panel)
        self.unlock_panel.focus()
        self.locked.emit()
        return result

    def _hide_content(self) -> None:
        self.session = None
        self.root.setCurrentWidget(self.unlock_panel)
        for page in self._pages.values():
            page.clear_for_lock()
        self._current = None
        self._history = []
        self._saved_drafts = {}
        self._written_drafts = set()
        self._saved_state = ""
        self.user = {}
        # Qt adds " - IRO Desktop" (the application's name) to a title not ending with it.
        self.setWindowTitle("Locked - IRO Desktop")
        self._set_unlocked_actions(False)
        self._update_status()

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802
        if self.session is not None:
            self.lock()
        self.idle.stop()
        app = QApplication.instance()
        if app is not None:
            app.removeEventFilter(self.idle)
        self.tasks.drain()
        event.accept()

    # --- tasks ----------------------------------------------------------------------------------

    def _busy_changed(self, busy: bool) -> None:
        self.busy_label.setText("Working..." if busy else "")

    def _task_failed(self, exc: BaseException) -> None:
        from iro_desktop.services.access import AccessError

        if self.session is None and "locked" in str(exc):
            return  # a late answer to a question asked before the lock
        if isinstance(exc, (*AccessError, LookupError, OSError)):
            dialogs.error(self, "IRO Desktop", str(exc))
            return
        log.error("Unexpected failure", exc_info=exc)
        dialogs.error(
            self,
            "Something went wrong",
            f"{type(exc).__name__}: {exc}\n\nNothing more was changed, and anything you were "
            "typing is kept as a draft.",
        )
