"""Qt-drawn documents shared by the app and the headless sub-commands.

`viva_desktop/services/` never imports Qt and `viva_desktop/cli/` never imports the GUI
(`viva_desktop/ui/`); yet the Reports page and `viva-desktop report` must write the same
charts, HTML and PDF. They live here: Qt (QtCharts, QTextDocument, QPdfWriter), no widgets of
the app, importable by both `ui` and `cli`. Needs a `QApplication` (offscreen is fine):
`ensure_application()` makes one for the command line.
"""
