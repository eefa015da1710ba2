"""How the audit trail's actions and outcomes are named on screen (translated at display
time, so a language switch renames them everywhere)."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication

from viva_desktop.services.common.i18n import QT_TRANSLATE_NOOP

ACTIONS = {
    "create": QT_TRANSLATE_NOOP("AuditActions", "Created"),
    "update": QT_TRANSLATE_NOOP("AuditActions", "Edited"),
    "delete": QT_TRANSLATE_NOOP("AuditActions", "Deleted"),
    "cancel": QT_TRANSLATE_NOOP("AuditActions", "Cancelled"),
    "approve": QT_TRANSLATE_NOOP("AuditActions", "Approved"),
    "reject": QT_TRANSLATE_NOOP("AuditActions", "Rejected"),
    "grant": QT_TRANSLATE_NOOP("AuditActions", "Credits granted"),
    "vote": QT_TRANSLATE_NOOP("AuditActions", "Vote"),
    "resolve": QT_TRANSLATE_NOOP("AuditActions", "Conflict settled"),
    "discard": QT_TRANSLATE_NOOP("AuditActions", "Change discarded"),
    "upstream": QT_TRANSLATE_NOOP("AuditActions", "Changed on the server"),
}

OUTCOMES = {
    "queued": QT_TRANSLATE_NOOP("AuditOutcomes", "queued"),
    "sent": QT_TRANSLATE_NOOP("AuditOutcomes", "sent"),
    "failed": QT_TRANSLATE_NOOP("AuditOutcomes", "refused"),
    "conflict": QT_TRANSLATE_NOOP("AuditOutcomes", "conflict"),
    "resolved": QT_TRANSLATE_NOOP("AuditOutcomes", "settled"),
    "seen": QT_TRANSLATE_NOOP("AuditOutcomes", "seen"),
}

RESOLUTIONS = {
    "kept mine": QT_TRANSLATE_NOOP("AuditOutcomes", "kept mine"),
    "kept theirs": QT_TRANSLATE_NOOP("AuditOutcomes", "kept the server's"),
    "discarded": QT_TRANSLATE_NOOP("AuditOutcomes", "discarded"),
}


def action_label(action: str) -> str:
    source = ACTIONS.get(action)
    return QCoreApplication.translate("AuditActions", source) if source else action


def outcome_label(outcome: str, message: str | None = None) -> str:
    """The outcome; for a settled conflict, how it was settled."""
    if outcome == "resolved" and message in RESOLUTIONS:
        return QCoreApplication.translate("AuditOutcomes", RESOLUTIONS[message])
    source = OUTCOMES.get(outcome)
    return QCoreApplication.translate("AuditOutcomes", source) if source else outcome
