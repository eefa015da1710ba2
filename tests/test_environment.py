"""The test command provides the real services the suite relies on."""

from __future__ import annotations

import sqlalchemy as sa

from tests.conftest import need


def test_postgresql_answers(pg_url: str) -> None:
    engine = sa.create_engine(pg_url)
    with engine.connect() as conn:
        assert conn.execute(sa.text("SELECT 1")).scalar() == 1
    engine.dispose()


def test_secret_service_keyring_round_trip(secret_service: str) -> None:
    import keyring

    keyring.set_password("viva-desktop-test", "someone", "s3cret")
    assert keyring.get_password("viva-desktop-test", "someone") == "s3cret"
    keyring.delete_password("viva-desktop-test", "someone")
    assert "SecretService" in secret_service


def test_display_is_available_for_real_windows() -> None:
    import os

    need(bool(os.environ.get("DISPLAY")), "no X display (the test command starts Xvfb)")
