"""Small helpers every service shares: settings, logs, telemetry, paths, translation hook, cancel
tokens, report shape.
"""
