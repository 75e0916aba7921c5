"""The File and Help menus' commands: backup, restore, passphrase, re-encryption, recovery.

A controller for the main window (views hold layout, controllers behaviour): each command
collects what it needs through the dialog wrappers, runs the work on the task queue and
reports back in words. Restore locks the caseload first, since the file is replaced.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtGui import QKeySequence

from iro_desktop import __version__
from iro_desktop.ui import dialogs

if TYPE_CHECKING:
    from iro_desktop.ui.main_window import MainWindow


class CaseloadCommands:
    def __init__(self, window: MainWindow) -> None:
        self.window = window

    def backup(self) -> None:
        w = self.window
        session = w.session
        if session is None:
            return
        suggested = str(Path.home() / f"IRO caseload {date.today().isoformat()}.irobackup")
        chosen = dialogs.save_file(
            w, "Back up the caseload", suggested, "IRO Desktop backups (*.irobackup)"
        )
        if not chosen:
            return
        out = Path(chosen)

        def written(header: dict[str, Any]) -> None:
            size = int(header.get("database_bytes", 0))
            dialogs.info(
                w,
                "Backup written",
                f"An encrypted backup ({size / 1_048_576:.1f} MB) was written to {out}. It "
                "opens only with a passphrase or the recovery code of this caseload.",
            )

        w.tasks.run(lambda: session.backup(out), written, label="backup")

    def restore(self) -> None:
        w = self.window
        from iro_desktop.ui.forms import RestoreDialog

        form = RestoreDialog(w._login, w)
        if not dialogs.run_form(form):
            return
        if w.paths.keyfile.exists() and not dialogs.confirm(
            w,
            "Replace this caseload?",
            "Restoring replaces everything in this caseload with the backup. Changes made "
            "since the backup was taken will be lost. The backup is checked first; if it is "
            "damaged or the passphrase is wrong, nothing is replaced.\n\nThe caseload is "
            "locked while this happens; unlock it again afterwards.",
            yes_label="&Replace",
        ):
            return
        backup_file = Path(form.file.text().strip())
        login = form.login.text().strip()
        passphrase = form.passphrase.text()
        if w.session is not None:
            w.lock("Restoring from the backup...")
        w.root.setCurrentWidget(w.unlock_panel)
        w.unlock_panel.set_busy(True)
        paths = w.paths

        def restored(children: int) -> None:
            w._login = login
            w.start()
            w.show_message(f"Restored {children} children from {backup_file.name}.")
            dialogs.info(
                w,
                "Caseload restored",
                f"The backup was checked and restored ({children} children). Unlock with "
                "the passphrase that was valid when the backup was made.",
            )

        def failed(exc: BaseException) -> None:
            if w.paths.keyfile.exists():
                w.start()
            elif w.welcome is not None:
                w.root.setCurrentWidget(w.welcome)
            dialogs.error(w, "The backup was not restored", f"{exc} Nothing was replaced.")

        from iro_desktop.services import window as service

        w.tasks.run(
            lambda: service.restore_backup(paths, backup_file, login, passphrase),
            restored,
            failed,
            label="restore",
        )

    def change_passphrase(self) -> None:
        w = self.window
        from iro_desktop.ui.forms import ChangePassphraseDialog

        session = w.session
        if session is None:
            return
        form = ChangePassphraseDialog(w)
        if not dialogs.run_form(form):
            return
        old, new = form.current.text(), form.new.value()

        def failed(exc: BaseException) -> None:
            dialogs.error(w, "The passphrase was not changed", str(exc))

        w.tasks.run(
            lambda: session.change_passphrase(old, new),
            lambda _: dialogs.info(
                w,
                "Passphrase changed",
                "Your passphrase has been changed. Use the new one from now on; your "
                "recovery code still works.",
            ),
            failed,
            label="change passphrase",
        )

    def rekey(self) -> None:
        w = self.window
        from iro_desktop.ui.forms import RecoveryCodeDialog

        session = w.session
        if session is None:
            return
        if not dialogs.confirm(
            w,
            "Re-encrypt the caseload?",
            "This re-encrypts the whole caseload under a brand-new key, for example if the "
            "laptop may have been copied. You will get a new recovery code and the old one "
            "stops working. Other logins on this laptop are removed and must be set up again.",
            yes_label="&Re-encrypt",
        ):
            return
        passphrase = dialogs.ask_text(
            w, "Re-encrypt the caseload", "Type your passphrase to confirm:", secret=True
        )
        if not passphrase:
            return

        def done(code: str) -> None:
            w._remembered = False
            dialogs.run_form(
                RecoveryCodeDialog(
                    code,
                    "The caseload is now encrypted under a new key. Write down the new "
                    "recovery code; the old one no longer works.",
                    w,
                )
            )

        def failed(exc: BaseException) -> None:
            dialogs.error(w, "The caseload was not re-encrypted", str(exc))

        w.tasks.run(lambda: session.rekey(passphrase), done, failed, label="rekey")

    def reset_passphrase(self, login: str = "") -> None:
        w = self.window
        from iro_desktop.services import window as service
        from iro_desktop.ui.forms import ResetPassphraseDialog

        form = ResetPassphraseDialog(login or w._login, w)
        if not dialogs.run_form(form):
            return
        paths = w.paths
        who, code, new = form.login.text().strip(), form.code.text(), form.new.value()

        def failed(exc: BaseException) -> None:
            dialogs.error(w, "The passphrase was not set", f"{exc}")

        w.tasks.run(
            lambda: service.reset_passphrase(paths, who, code, new),
            lambda _: w.unlock_panel.show_error("Your new passphrase is set. Unlock with it now."),
            failed,
            label="reset passphrase",
        )

    # --- help ---------------------------------------------------------------------------

    def shortcut_list(self) -> list[tuple[str, str]]:
        w = self.window
        found = []
        for action in w.actions():
            keys = action.shortcut().toString(QKeySequence.SequenceFormat.NativeText)
            if keys:
                found.append((keys, action.text().replace("&", "").rstrip(".")))
        found += [
            ("Enter", "Open the selected child (in the caseload list or the search box)"),
            ("Down", "From the search box into the list"),
            ("Ctrl+Tab", "Next tab on a child's page"),
            ("Alt + underlined letter", "Go to that field or button"),
            ("Ctrl+C", "Copy the selected child's name and LA number"),
        ]
        return found

    def show_shortcuts(self) -> None:
        w = self.window
        from iro_desktop.ui.forms import ShortcutsDialog

        dialogs.run_form(ShortcutsDialog(self.shortcut_list(), w))

    def about(self) -> None:
        w = self.window
        dialogs.info(
            w,
            "About IRO Desktop",
            f"IRO Desktop {__version__}\n\nFor Independent Reviewing Officers: the caseload, "
            "reviews, letters to the child and escalations, kept encrypted on this computer "
            "and usable without a network.\n\nData folder: " + str(w.paths.root),
        )
