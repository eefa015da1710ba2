"""The administrators' tools: PostgreSQL monitor, server `.env` audit, smoke checks and hardening
audit.
"""
