"""Shared helpers of the windows: the worker, the app context, theme, icons, formatting and
layouts.
"""
