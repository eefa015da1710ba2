"""Watching deployments: health probes and their classification (`health`, `causes`), the
fleet watcher (`watcher`, `fleet_status`, `fleet_setup`), honest availability
(`availability`), the alert lifecycle (`alerts`), silences and maintenance windows
(`silences`), the channels that carry alerts out (`notifiers`) and the history read back for
the detail view (`fleet_history`)."""
