"""The local copy of a deployment: the store, the sync that fills it and the outbox of edits made
offline.
"""
