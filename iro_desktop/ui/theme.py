"""The look: a calm, readable light theme that is the same on every platform."""

from __future__ import annotations

from PySide6.QtGui import QColor, QFont, QPalette
from PySide6.QtWidgets import QApplication

STYLE = """
QLabel#pageHeading { font-size: 17pt; font-weight: 600; color: #1f2933; }
QLabel#sectionHeading { font-size: 12pt; font-weight: 600; color: #1f2933; }
QLabel#subtitle { color: #52606d; font-size: 10.5pt; }
QLabel#banner {
    background: #fff4ce; color: #3b2f00; padding: 6px 12px;
    border-bottom: 1px solid #e0c97a;
}
QLabel#error { color: #a4262c; }
QLabel#hint { color: #52606d; }
QLabel#factCaption { color: #52606d; }
QLabel#recoveryCode {
    background: #f4f6f8; border: 1px dashed #9aa5b1; padding: 12px; letter-spacing: 1px;
}
QFrame#card { background: #ffffff; border: 1px solid #d9dee3; border-radius: 6px; }
QFrame#facts { background: #f7f9fa; border: 1px solid #e4e7eb; border-radius: 4px; }
QListWidget#sidebar {
    background: #eef1f4; border: none; border-right: 1px solid #d9dee3; padding-top: 8px;
    font-size: 10.5pt;
}
QListWidget#sidebar::item { padding: 8px 14px; }
QListWidget#sidebar::item:selected { background: #d3e3fd; color: #0b2e6b; }
QTableView { gridline-color: #e4e7eb; selection-background-color: #d3e3fd;
             selection-color: #0b1f33; }
QHeaderView::section { background: #f4f6f8; padding: 5px 6px; border: none;
                       border-bottom: 1px solid #d9dee3; border-right: 1px solid #e4e7eb;
                       font-weight: 600; color: #323f4b; }
QStatusBar QLabel { padding: 0 8px; color: #323f4b; }
"""


def apply_theme(app: QApplication) -> None:
    app.setStyle("Fusion")
    palette = app.palette()
    palette.setColor(QPalette.ColorRole.Window, QColor("#f7f8fa"))
    palette.setColor(QPalette.ColorRole.Base, QColor("#ffffff"))
    palette.setColor(QPalette.ColorRole.AlternateBase, QColor("#f6f8fa"))
    palette.setColor(QPalette.ColorRole.Highlight, QColor("#d3e3fd"))
    palette.setColor(QPalette.ColorRole.HighlightedText, QColor("#0b1f33"))
    palette.setColor(QPalette.ColorRole.Text, QColor("#1f2933"))
    palette.setColor(QPalette.ColorRole.WindowText, QColor("#1f2933"))
    app.setPalette(palette)
    font: QFont = app.font()
    if font.pointSizeF() < 10:
        font.setPointSizeF(10)
        app.setFont(font)
    app.setStyleSheet(STYLE)
