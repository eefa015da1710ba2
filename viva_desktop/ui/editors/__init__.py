"""Editors of the coordinators' workspace: forms that pre-validate through the services, the
permission rules that gate them, and the write path through the durable outbox."""

from viva_desktop.ui.editors.content import EventEditor, OfferEditor, PostEditor, RemoveDialog
from viva_desktop.ui.editors.current_user import CurrentUser, current_user_of
from viva_desktop.ui.editors.decisions import (
    GrantDialog,
    MembershipDecisionDialog,
    PoolDecisionDialog,
    VoteDialog,
)
from viva_desktop.ui.editors.form import EditorDialog, FormState
from viva_desktop.ui.editors.permissions import Me, Permission
from viva_desktop.ui.editors.queue import AppOutbox, OutboxRunner, outbox_of, runner_of
from viva_desktop.ui.editors.writer import (
    BatchResult,
    Operation,
    Writer,
    WriteResult,
    writer_of,
)

__all__ = [
    "AppOutbox",
    "BatchResult",
    "CurrentUser",
    "EditorDialog",
    "EventEditor",
    "FormState",
    "GrantDialog",
    "Me",
    "MembershipDecisionDialog",
    "OfferEditor",
    "Operation",
    "OutboxRunner",
    "Permission",
    "PoolDecisionDialog",
    "PostEditor",
    "RemoveDialog",
    "VoteDialog",
    "WriteResult",
    "Writer",
    "current_user_of",
    "outbox_of",
    "runner_of",
    "writer_of",
]
