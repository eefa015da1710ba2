"""A profile's pacing switch (with the reason next to it) and the shared retry deadline."""

from __future__ import annotations

from viva_desktop.services.common.config import ServerProfile
from viva_desktop.ui.dialogs.profile import ProfileDialog


def test_the_profile_dialog_keeps_pacing_and_the_retry_deadline(qtbot) -> None:
    profile = ServerProfile(
        name="Team", url="https://api.example.org", pacing=False, retry_deadline=20
    )
    dialog = ProfileDialog(profile=profile)
    qtbot.addWidget(dialog)
    assert not dialog.pacing.isChecked()
    assert dialog.deadline.value() == 20
    assert "shares its budget" in dialog.pacing_note.text()
    assert dialog.pacing.accessibleName()
    dialog.pacing.setChecked(True)
    dialog.deadline.setValue(60)
    built = dialog.build()
    assert built is not None
    assert built.pacing
    assert built.retry_deadline == 60


def test_pacing_is_on_by_default() -> None:
    profile = ServerProfile(name="New", url="https://api.example.org")
    assert profile.pacing
    assert profile.retry_deadline == 45
