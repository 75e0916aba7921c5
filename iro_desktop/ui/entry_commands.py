"""The File menu's caseload commands: import the council's files, export the 903 return.

('Add a child' belongs to the caseload page, which keeps its form's draft.)
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from iro_desktop.ui import dialogs

if TYPE_CHECKING:
    from iro_desktop.ui.main_window import MainWindow
    from iro_desktop.ui.views.export_dialog import ExportDialog
    from iro_desktop.ui.views.import_dialog import ImportDialog


class EntryCommands:
    def __init__(self, window: MainWindow) -> None:
        self.window = window
        self.import_dialog: ImportDialog | None = None
        self.export_dialog: ExportDialog | None = None

    def import_files(self) -> ImportDialog | None:
        from iro_desktop.ui.views.import_dialog import ImportDialog

        w = self.window
        session = w.session
        if session is None:
            return None
        if self.import_dialog is not None and self.import_dialog.isVisible():
            self.import_dialog.raise_()
            return self.import_dialog

        def imported(summary: str) -> None:
            w.broadcast("caseload")
            w.show_message(summary)

        copy = w.clipboard.copy if w.clipboard is not None else None
        if self.import_dialog is not None:
            self.import_dialog.deleteLater()
        dialog = ImportDialog(w.tasks, session, imported, w, copy)
        self.import_dialog = dialog
        dialogs.track(dialog)
        dialog.open()
        return dialog

    def export_return(self) -> ExportDialog | None:
        from iro_desktop.ui.views.export_dialog import ExportDialog

        w = self.window
        session = w.session
        if session is None:
            return None
        if self.export_dialog is not None and self.export_dialog.isVisible():
            self.export_dialog.raise_()
            return self.export_dialog
        if self.export_dialog is not None:
            self.export_dialog.deleteLater()
        dialog = ExportDialog(w.tasks, session, session.clock.today(), w, w.show_message)
        self.export_dialog = dialog
        dialogs.track(dialog)
        dialog.open()
        return dialog
