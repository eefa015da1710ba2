"""Plain-Python services under the windows and the commands: no Qt, synchronous, thread-safe,
grouped by job.
"""
