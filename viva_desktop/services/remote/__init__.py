"""Talking to a Comunidad Viva server: the HTTP API, the signed-in session, the token vault, and
the cleaning and checking of what is sent.
"""
