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
from PySide6.QtWidgets import QDialog, QTableWidget

from iro_desktop import __version__
from iro_desktop.ui import dialogs

if TYPE_CHECKING:
    from iro_desktop.ui.controller_context import CommandsContext


# Keys a page answers itself (QShortcut on the page, not a window action), so F1 lists them.
PAGE_KEYS_HELP: list[tuple[str, str]] = [
    ("Ctrl+PgDown, Ctrl+PgUp", "In a review: the next or previous part"),
    ("Ctrl+Z, Ctrl+Y, Ctrl+S", "In a review: undo, redo (also Ctrl+Shift+Z), save now"),
    ("Ctrl+Enter, Ctrl+Shift+S", "On a letter: submit it; save it as a PDF"),
    ("Ctrl+N", "On Escalations: raise one"),
    ("Ctrl+Shift+E", "On Due: export the dates to a calendar"),
]


class CaseloadCommands:
    """Uses only what its CommandsContext lends (see ui/controller_context.py)."""

    def __init__(self, ctx: CommandsContext) -> None:
        self.ctx = ctx

    def backup(self) -> None:
        c = self.ctx
        w = c.parent
        session = c.session()
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

        c.tasks.run(lambda: session.backup(out), written, label="backup")

    def restore(self) -> None:
        c = self.ctx
        w = c.parent
        from iro_desktop.ui.forms import RestoreDialog

        form = RestoreDialog(c.login(), w)
        if not dialogs.run_form(form):
            return
        if c.paths.keyfile.exists() and not dialogs.confirm(
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
        if c.session() is not None:
            c.lock("Restoring from the backup...")
        c.show_unlock_busy()
        paths = c.paths

        def restored(children: int) -> None:
            c.set_login(login)
            c.start()
            c.status(f"Restored {children} children from {backup_file.name}.")
            dialogs.info(
                w,
                "Caseload restored",
                f"The backup was checked and restored ({children} children). Unlock with "
                "the passphrase that was valid when the backup was made.",
            )

        def failed(exc: BaseException) -> None:
            if paths.keyfile.exists():
                c.start()
            else:
                c.show_welcome()
            dialogs.error(w, "The backup was not restored", f"{exc} Nothing was replaced.")

        from iro_desktop.services import window as service

        c.tasks.run(
            lambda: service.restore_backup(paths, backup_file, login, passphrase),
            restored,
            failed,
            label="restore",
        )

    def change_passphrase(self) -> None:
        c = self.ctx
        w = c.parent
        from iro_desktop.ui.forms import ChangePassphraseDialog

        session = c.session()
        if session is None:
            return
        form = ChangePassphraseDialog(w)
        if not dialogs.run_form(form):
            return
        old, new = form.current.text(), form.new.value()

        def failed(exc: BaseException) -> None:
            dialogs.error(w, "The passphrase was not changed", str(exc))

        c.tasks.run(
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
        c = self.ctx
        w = c.parent
        from iro_desktop.ui.forms import RecoveryCodeDialog

        session = c.session()
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
            c.key_forgotten()
            if dialogs.run_form(
                RecoveryCodeDialog(
                    code,
                    "The caseload is now encrypted under a new key. Write down the new "
                    "recovery code; the old one no longer works.",
                    w,
                )
            ):
                # Until then a crash would show it again at the next unlock.
                c.tasks.run(session.recovery_code_shown, label="recovery code shown")

        def failed(exc: BaseException) -> None:
            dialogs.error(w, "The caseload was not re-encrypted", str(exc))

        c.tasks.run(lambda: session.rekey(passphrase), done, failed, label="rekey")

    def reset_passphrase(self, login: str = "") -> None:
        c = self.ctx
        w = c.parent
        from iro_desktop.services import window as service
        from iro_desktop.ui.forms import ResetPassphraseDialog

        form = ResetPassphraseDialog(login or c.login(), w)
        if not dialogs.run_form(form):
            return
        paths = c.paths
        who, code, new = form.login.text().strip(), form.code.text(), form.new.value()

        def failed(exc: BaseException) -> None:
            dialogs.error(w, "The passphrase was not set", f"{exc}")

        c.tasks.run(
            lambda: service.reset_passphrase(paths, who, code, new),
            lambda _: c.unlock_notice("Your new passphrase is set. Unlock with it now."),
            failed,
            label="reset passphrase",
        )

    # --- help ---------------------------------------------------------------------------

    def shortcut_list(self) -> list[tuple[str, str]]:
        found = []
        for action in self.ctx.actions():
            keys = action.shortcut().toString(QKeySequence.SequenceFormat.NativeText)
            if keys:
                found.append((keys, action.text().replace("&", "").rstrip(".")))
        found += [
            review_parts_help(),
            *PAGE_KEYS_HELP,
            ("Down, Enter", "From the search box into the list; open the selected child"),
            ("Ctrl+Tab", "Next tab on a child's page"),
            ("Alt + underlined letter", "Go to that field or button"),
            ("Ctrl+C", "Copy the selected child's name and LA number"),
        ]
        return found

    def show_shortcuts(self) -> None:
        from iro_desktop.ui.forms import ShortcutsDialog

        dialog = ShortcutsDialog(self.shortcut_list(), self.ctx.parent)
        fit_to_table(dialog)
        dialogs.run_form(dialog)

    def about(self) -> None:
        c = self.ctx
        dialogs.info(
            c.parent,
            "About IRO Desktop",
            f"IRO Desktop {__version__}\n\nFor Independent Reviewing Officers: the caseload, "
            "reviews, letters to the child and escalations, kept encrypted on this computer "
            "and usable without a network.\n\nData folder: " + str(c.paths.root),
        )


def review_parts_help() -> tuple[str, str]:
    """Alt+1 ... Alt+N: one key for each part of a review, named as the review names them."""
    from iro_desktop.ui.views.review import ReviewPage

    titles = [cls.title for cls in ReviewPage.SECTIONS]
    return f"Alt+1 ... Alt+{len(titles)}", f"In a review: its parts, {titles[0]} to {titles[-1]}"


def fit_to_table(dialog: QDialog) -> None:
    """Size a dialog that is mostly one table so every row and column shows without a scroll
    bar (up to the screen's size): a list of shortcuts is read at a glance, not scrolled."""
    table = dialog.findChild(QTableWidget)
    if table is None:
        return
    rows = table.verticalHeader()
    rows.setMinimumSectionSize(table.fontMetrics().height() + 2)
    rows.setDefaultSectionSize(table.fontMetrics().height() + 3)
    table.resizeColumnsToContents()
    header = table.horizontalHeader()
    frame = table.frameWidth() * 2
    width = sum(header.sectionSize(i) for i in range(header.count())) + frame + 4
    height = header.height() + frame + 4
    height += sum(table.rowHeight(r) for r in range(table.rowCount()))
    table.setMinimumSize(width, height)
    dialog.adjustSize()
    screen = dialog.screen().availableGeometry() if dialog.screen() is not None else None
    if screen is not None:  # on a small screen, the table scrolls rather than overflow
        table.setMinimumSize(min(width, screen.width() - 80), min(height, screen.height() - 140))
        dialog.adjustSize()
