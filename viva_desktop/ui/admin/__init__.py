"""Building blocks of the administrators' pages (health, database, configuration, smoke
checks, logs): widgets, table models and the background health watch they share.

Plain-Python helpers here (`health_history`, `db_connection`, `db_credentials`, `files`)
import no Qt, so they run unchanged on worker threads.
"""
