"""The application shell: start-up, main window, status bar, tray, first-run welcome,
self-test.
"""
