"""Decisions a coordinator or administrator takes: membership requests, credit grants,
moderation votes and economic pool requests."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import QComboBox, QFormLayout, QFrame, QLabel, QWidget

from viva_desktop.services.remote.validation import (
    CREDIT_REASONS,
    MODERATION_DECISIONS,
    ValidationResult,
    validate_grant,
    validate_membership_decision,
    validate_moderation_vote,
    validate_pool_decision,
)
from viva_desktop.ui.common.formatting import form_label
from viva_desktop.ui.editors.fields import ChoiceField, Field, NumberField, TextField
from viva_desktop.ui.editors.form import EditorDialog
from viva_desktop.ui.editors.writer import Operation
from viva_desktop.ui.models.columns import enum_label, local_datetime_text


class MembershipDecisionDialog(EditorDialog):
    """Approve or reject one or several membership requests, with an optional note."""

    def __init__(
        self,
        context: Any,
        community_id: str,
        community_name: str,
        requests: Sequence[Mapping[str, Any]],
        action: str,
        *,
        names: Mapping[str, str] | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(context, parent)
        if action not in ("approve", "reject"):
            raise ValueError(f"unknown membership decision {action!r}")
        self.community_id = community_id
        self.community_name = community_name
        self.requests = [dict(r) for r in requests]
        self.action = action
        self.names = dict(names or {})
        self.listing = QLabel()
        self.listing.setWordWrap(True)
        self.extra.addWidget(self.listing)
        self.add_field(TextField("reviewNote", multiline=True))
        self.retranslate()

    def person(self, request: Mapping[str, Any]) -> str:
        user = str(request.get("userId") or "")
        return self.names.get(user, user)

    def retranslate(self) -> None:
        count = len(self.requests)
        approve = self.action == "approve"
        self.setWindowTitle(
            self.tr("Approve membership requests")
            if approve
            else self.tr("Reject membership requests")
        )
        text = (
            self.tr("Approve %n request(s) to join {community}?", "", count)
            if approve
            else self.tr("Reject %n request(s) to join {community}?", "", count)
        )
        self.intro.setText(text.format(community=self.community_name))
        lines = []
        for request in self.requests[:12]:
            message = " ".join(str(request.get("message") or "").split())
            lines.append(f"• {self.person(request)}" + (f": “{message}”" if message else ""))
        self.listing.setText("\n".join(lines))
        self.fields["reviewNote"].set_label(self.tr("Note for the person (optional)"))
        super().retranslate()

    def submit_text(self) -> str:
        return self.tr("Approve") if self.action == "approve" else self.tr("Reject")

    def validate(self, dto: Mapping[str, Any]) -> ValidationResult:
        return validate_membership_decision({**dto, "action": self.action})

    def operation(self, cleaned: dict[str, Any]) -> list[Operation]:
        return [
            Operation(
                "membership_requests",
                self.action,
                dict(cleaned),
                target_id=str(request["id"]),
                base=request,
                context={"community_id": self.community_id},
                summary=self.person(request),
            )
            for request in self.requests
        ]


class UserField(Field):
    """A person among the users seen in the store: type to filter by name or e-mail."""

    def __init__(self, name: str, users: Sequence[tuple[str, str]]) -> None:
        combo = QComboBox()
        combo.setEditable(True)
        combo.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        completer = combo.completer()
        if completer is not None:
            from PySide6.QtCore import Qt

            completer.setFilterMode(Qt.MatchFlag.MatchContains)
            completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        super().__init__(name, combo)
        self.combo = combo
        combo.addItem("", "")
        for user_id, label in users:
            combo.addItem(label, user_id)
        combo.currentIndexChanged.connect(lambda _i: self.edited.emit())
        combo.editTextChanged.connect(lambda _t: self.edited.emit())

    def value(self) -> str:
        text = self.combo.currentText().strip()
        index = self.combo.findText(text)
        if index > 0:
            return str(self.combo.itemData(index))
        data = self.combo.currentData()
        if data and self.combo.itemText(self.combo.currentIndex()) == text:
            return str(data)
        return text  # an id typed by hand

    def load(self, value: Any) -> None:
        index = self.combo.findData(value)
        if index >= 0:
            self.combo.setCurrentIndex(index)
        else:
            self.combo.setEditText(str(value or ""))

    def select_user(self, user_id: str) -> None:
        self.load(user_id)
        self.edited.emit()


def user_choices(rows: Sequence[Any]) -> list[tuple[str, str]]:
    """(id, "Name <e-mail>") of stored users, for the grant form."""
    choices = []
    for row in rows:
        name = row.values.get("name") or row.id
        email = row.values.get("email")
        choices.append((row.id, f"{name} <{email}>" if email else str(name)))
    return choices


class GrantDialog(EditorDialog):
    """`POST /credits/grant` as ADMIN: whole credits, `ADMIN_GRANT` (no daily limit) by
    default, and a unique reference per grant, which makes a retry safe."""

    def __init__(
        self,
        context: Any,
        users: Sequence[tuple[str, str]],
        *,
        user_id: str | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(context, parent)
        self.add_field(UserField("userId", users))
        self.add_field(NumberField("amount"))
        self.add_field(ChoiceField("reason", [(r, enum_label(r)) for r in CREDIT_REASONS]))
        self.add_field(TextField("description", multiline=True))
        self.fields["reason"].load("ADMIN_GRANT")
        if user_id:
            self.fields["userId"].load(user_id)
        self.retranslate()

    def retranslate(self) -> None:
        self.setWindowTitle(self.tr("Grant credits"))
        self.intro.setText(
            self.tr(
                "Credits are whole numbers and can only be added: the server has no way to "
                "take them back. Each grant carries its own unique reference, so sending it "
                "again after a failure never pays twice."
            )
        )
        labels = {
            "userId": self.tr("Person"),
            "amount": self.tr("Credits"),
            "reason": self.tr("Reason"),
            "description": self.tr("Description (optional)"),
        }
        for name, text in labels.items():
            self.fields[name].set_label(text)
        super().retranslate()

    def submit_text(self) -> str:
        return self.tr("Grant")

    def validate(self, dto: Mapping[str, Any]) -> ValidationResult:
        result = validate_grant(dto)
        # The outbox gives every grant its own reference (sent as `relatedId`), so the advice
        # to add one does not apply here.
        warnings = {k: v for k, v in result.warnings.items() if k != "relatedId"}
        return ValidationResult(result.cleaned, result.errors, warnings)

    def operation(self, cleaned: dict[str, Any]) -> Operation:
        field = self.fields["userId"]
        person = field.combo.currentText() if isinstance(field, UserField) else cleaned["userId"]
        return Operation(
            "credits",
            "grant",
            dict(cleaned),
            target_id=str(cleaned["userId"]),
            summary=self.tr("{amount} credits to {person}").format(
                amount=cleaned["amount"], person=person
            ),
        )


def case_summary(case: Mapping[str, Any]) -> list[tuple[str, str]]:
    """What a juror needs to see before voting: the content, the report and the tally."""
    rows: list[tuple[str, str]] = []
    content = case.get("content")
    if isinstance(content, Mapping):
        for key in ("title", "name", "content", "description"):
            if content.get(key):
                rows.append((key, str(content[key])))
        author = content.get("author") or content.get("user") or content.get("organizer")
        if isinstance(author, Mapping) and author.get("name"):
            rows.append(("author", str(author["name"])))
    if case.get("reportReason"):
        rows.append(("reportReason", str(case["reportReason"])))
    stats = case.get("stats")
    if isinstance(stats, Mapping):
        rows.append(
            (
                "stats",
                QCoreApplication.translate(
                    "Moderation",
                    "{keep}: {keep_votes} · {remove}: {remove_votes} · "
                    "{warn}: {warn_votes} · {total} of {quorum} votes",
                ).format(
                    keep=enum_label("KEEP"),
                    remove=enum_label("REMOVE"),
                    warn=enum_label("WARN"),
                    keep_votes=f"{float(stats.get('keep') or 0):g}",
                    remove_votes=f"{float(stats.get('remove') or 0):g}",
                    warn_votes=f"{float(stats.get('warn') or 0):g}",
                    total=f"{float(stats.get('total') or 0):g}",
                    quorum=stats.get("quorum") or case.get("quorum") or 5,
                ),
            )
        )
    return rows


class VoteDialog(EditorDialog):
    """Vote KEEP, REMOVE or WARN on a moderation case, seeing what was reported."""

    def __init__(self, context: Any, case: Mapping[str, Any], parent: QWidget | None = None):
        super().__init__(context, parent)
        self.case = dict(case)
        # What was reported sits in a card of its own, apart from the vote's fields.
        card = QFrame()
        card.setObjectName("Card")
        self.details = QFormLayout(card)
        self.details.setLabelAlignment(Qt.AlignmentFlag.AlignRight)
        self.extra.addWidget(card)
        self.add_field(
            ChoiceField(
                "decision", [(d, enum_label(d)) for d in MODERATION_DECISIONS], optional=True
            )
        )
        self.add_field(TextField("reason", multiline=True))
        self.retranslate()

    def retranslate(self) -> None:
        self.setWindowTitle(self.tr("Vote on a moderation case"))
        self.intro.setText(
            self.tr(
                "You were chosen as a juror. The case closes at the fifth vote or at its "
                "deadline ({deadline}); a “{remove}” verdict deletes or cancels the content."
            ).format(
                deadline=local_datetime_text(_moment(self.case.get("deadline"))) or "—",
                remove=enum_label("REMOVE"),
            )
        )
        while self.details.rowCount():
            self.details.removeRow(0)
        titles = {
            "title": self.tr("Title"),
            "name": self.tr("Name"),
            "content": self.tr("Content"),
            "description": self.tr("Description"),
            "author": self.tr("Author"),
            "reportReason": self.tr("Reported because"),
            "stats": self.tr("Votes so far"),
        }
        kind = enum_label(self.case.get("contentType"))
        self.details.addRow(form_label(self.tr("Reported item")), QLabel(kind or "—"))
        for key, text in case_summary(self.case):
            label = QLabel(text)
            label.setWordWrap(True)
            self.details.addRow(form_label(titles.get(key, key)), label)
        self.fields["decision"].set_label(self.tr("Your vote"))
        self.fields["reason"].set_label(self.tr("Reason"))
        decision = self.fields["decision"]
        if isinstance(decision, ChoiceField):
            decision.set_labels([(d, enum_label(d)) for d in MODERATION_DECISIONS])
        super().retranslate()

    def submit_text(self) -> str:
        return self.tr("Vote")

    def validate(self, dto: Mapping[str, Any]) -> ValidationResult:
        return validate_moderation_vote(dto)

    def operation(self, cleaned: dict[str, Any]) -> Operation:
        return Operation(
            "moderation_cases",
            "vote",
            dict(cleaned),
            target_id=str(self.case["id"]),
            base=self.case,
            summary=str(self.case.get("reportReason") or self.case["id"]),
        )


def _moment(value: Any):
    from viva_desktop.services.local.store.types import parse_timestamp

    return parse_timestamp(value)


class PoolDecisionDialog(EditorDialog):
    """Approve, reject or distribute one economic pool request (ADMIN)."""

    def __init__(
        self,
        context: Any,
        request: Mapping[str, Any],
        action: str,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(context, parent)
        self.request = dict(request)
        self.action = action
        card = QFrame()
        card.setObjectName("Card")
        self.details = QFormLayout(card)
        self.details.setLabelAlignment(Qt.AlignmentFlag.AlignRight)
        self.extra.addWidget(card)
        self.retranslate()

    def retranslate(self) -> None:
        titles = {
            "approve": self.tr("Approve a pool request"),
            "reject": self.tr("Reject a pool request"),
            "distribute": self.tr("Distribute a pool request"),
        }
        self.setWindowTitle(titles.get(self.action, ""))
        self.intro.setText(
            self.tr(
                "Distributing moves the money: it is never retried blindly. If the server "
                "fails while distributing, check the request's status before trying again."
            )
            if self.action == "distribute"
            else self.tr("The person is notified of the decision.")
        )
        while self.details.rowCount():
            self.details.removeRow(0)
        user = self.request.get("User")
        person = (user or {}).get("name") if isinstance(user, Mapping) else None
        for label, value in (
            (self.tr("Person"), person or self.request.get("userId")),
            (self.tr("Amount"), self.request.get("amount")),
            (self.tr("Reason"), self.request.get("reason") or self.request.get("description")),
            (self.tr("Status"), enum_label(self.request.get("status"))),
        ):
            text = QLabel("—" if value in (None, "") else str(value))
            text.setWordWrap(True)
            self.details.addRow(form_label(label), text)
        super().retranslate()

    def submit_text(self) -> str:
        return {
            "approve": self.tr("Approve"),
            "reject": self.tr("Reject"),
            "distribute": self.tr("Distribute"),
        }.get(self.action, self.tr("Save"))

    def validate(self, dto: Mapping[str, Any]) -> ValidationResult:
        return validate_pool_decision({"action": self.action, "status": self.request.get("status")})

    def operation(self, cleaned: dict[str, Any]) -> Operation:
        return Operation(
            "pool_requests",
            self.action,
            {},
            target_id=str(self.request["id"]),
            base=self.request,
            summary=str(self.request.get("reason") or self.request["id"]),
        )
