"""Alert settings of the fleet: check interval, alert periods, retention, webhooks, e-mail
(SMTP, the password going to the keyring) and, per deployment, whether it is watched, its own
interval, tags, channels and weekly maintenance windows.

`FleetSettings` validates everything; its message appears in the dialog, which stays open with
the input intact until it is valid. "Send a test alert" sends a made-up alert through the
channels as they are filled in, before anything is saved.
"""

from __future__ import annotations

from datetime import UTC, datetime, time

from pydantic import ValidationError
from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from viva_desktop.services.common.config import Settings
from viva_desktop.services.common.config.fleet import (
    CHANNELS,
    DeploymentWatch,
    FleetSettings,
    MaintenanceWindow,
)
from viva_desktop.services.monitoring.fleet_setup import notifiers_of
from viva_desktop.services.monitoring.notifiers import (
    Delivery,
    EmailNotifier,
    send_sample_alert,
    store_smtp_password,
)
from viva_desktop.ui.common.context import AppContext
from viva_desktop.ui.common.retranslate import Retranslating
from viva_desktop.ui.common.worker import run_task

# Columns of the deployments table.
NAME, ENABLED, INTERVAL, TAGS, DESKTOP, WEBHOOK, EMAIL, MAINTENANCE = range(8)
_CHANNEL_COLUMNS = {DESKTOP: "desktop", WEBHOOK: "webhook", EMAIL: "email"}


def maintenance_text(windows: list[MaintenanceWindow]) -> str:
    """ "sat 02:00 90, sun 23:00 120": weekday, start and minutes, comma-separated."""
    return ", ".join(f"{w.weekday} {w.start.strftime('%H:%M')} {w.duration_min}" for w in windows)


def parse_maintenance(text: str) -> list[MaintenanceWindow]:
    """The inverse of `maintenance_text`; raises ValueError naming the part it cannot read."""
    out = []
    for part in (p.strip() for p in text.split(",")):
        if not part:
            continue
        pieces = part.split()
        try:
            weekday, start, minutes = pieces
            hour, minute = (int(x) for x in start.split(":"))
            out.append(
                MaintenanceWindow(
                    weekday=weekday, start=time(hour, minute), duration_min=int(minutes)
                )
            )
        except (ValueError, ValidationError):
            raise ValueError(part) from None
    return out


class FleetSettingsDialog(Retranslating, QDialog):
    tested = Signal(object)  # list[Delivery]

    def __init__(self, settings: Settings, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("FleetSettingsDialog")
        self._settings = settings
        fleet = settings.fleet
        self.result_settings: FleetSettings | None = None
        self.smtp_password_to_store: str | None = None

        self.interval = QDoubleSpinBox()
        self.interval.setRange(1.0, 3600.0)
        self.interval.setValue(fleet.interval_s)
        self.pending = QSpinBox()
        self.pending.setRange(1, 100)
        self.pending.setValue(fleet.pending_checks)
        self.keep_firing = QDoubleSpinBox()
        self.keep_firing.setRange(0.0, 86400.0)
        self.keep_firing.setValue(fleet.keep_firing_s)
        self.on_degraded = QCheckBox()
        self.on_degraded.setChecked(fleet.alert_on_degraded)
        self.retention = QSpinBox()
        self.retention.setRange(1, 3650)
        self.retention.setValue(fleet.retention_days)
        self.webhooks = QPlainTextEdit("\n".join(fleet.webhooks))
        self.webhooks.setMaximumHeight(70)
        smtp = fleet.smtp
        self.smtp_host = QLineEdit(smtp.host or "")
        self.smtp_port = QSpinBox()
        self.smtp_port.setRange(1, 65535)
        self.smtp_port.setValue(smtp.port)
        self.smtp_starttls = QCheckBox()
        self.smtp_starttls.setChecked(smtp.starttls)
        self.smtp_user = QLineEdit(smtp.username or "")
        self.smtp_password = QLineEdit()
        self.smtp_password.setEchoMode(QLineEdit.EchoMode.Password)
        self.smtp_sender = QLineEdit(smtp.sender or "")
        self.smtp_recipients = QLineEdit(", ".join(smtp.recipients))

        self.table = QTableWidget(0, 8)
        self.table.verticalHeader().hide()
        for profile in settings.profiles:
            self._add_row(profile.name, fleet.deployment(profile.name))
        self.error = QLabel()
        self.error.setObjectName("FieldError")
        self.error.setWordWrap(True)
        self.error.hide()
        self.test_result = QLabel()
        self.test_result.setWordWrap(True)
        self.test_button = QPushButton()
        self.test_button.clicked.connect(self.send_test)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)

        self.general_box = QGroupBox()
        self.general = QFormLayout(self.general_box)
        self.mail_box = QGroupBox()
        self.mail = QFormLayout(self.mail_box)
        self._labels: dict[str, QLabel] = {}
        for form, key, widget in (
            (self.general, "interval", self.interval),
            (self.general, "pending", self.pending),
            (self.general, "keep_firing", self.keep_firing),
            (self.general, "on_degraded", self.on_degraded),
            (self.general, "retention", self.retention),
            (self.general, "webhooks", self.webhooks),
            (self.mail, "host", self.smtp_host),
            (self.mail, "port", self.smtp_port),
            (self.mail, "starttls", self.smtp_starttls),
            (self.mail, "user", self.smtp_user),
            (self.mail, "password", self.smtp_password),
            (self.mail, "sender", self.smtp_sender),
            (self.mail, "recipients", self.smtp_recipients),
        ):
            label = QLabel()
            label.setBuddy(widget)
            self._labels[key] = label
            form.addRow(label, widget)
        top = QHBoxLayout()
        top.addWidget(self.general_box, 1)
        top.addWidget(self.mail_box, 1)
        test_row = QHBoxLayout()
        test_row.addWidget(self.test_button)
        test_row.addWidget(self.test_result, 1)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.table, 1)
        layout.addLayout(test_row)
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)
        self.resize(980, 640)
        self.retranslate()

    # ------------------------------------------------------------------ texts

    def retranslate(self) -> None:
        self.setWindowTitle(self.tr("Alert settings"))
        self.general_box.setTitle(self.tr("Checks and alerts"))
        self.mail_box.setTitle(self.tr("E-mail (SMTP)"))
        texts = {
            "interval": self.tr("Check every (s)"),
            "pending": self.tr("Alert after this many bad checks"),
            "keep_firing": self.tr("Keep firing after recovery (s)"),
            "on_degraded": self.tr("Alert on degraded too"),
            "retention": self.tr("Keep history (days)"),
            "webhooks": self.tr("Webhook URLs (one per line)"),
            "host": self.tr("Server"),
            "port": self.tr("Port"),
            "starttls": self.tr("STARTTLS"),
            "user": self.tr("User name"),
            "password": self.tr("Password (kept in the keyring)"),
            "sender": self.tr("From"),
            "recipients": self.tr("To (comma-separated)"),
        }
        for key, label in self._labels.items():
            label.setText(texts[key])
            label.buddy().setAccessibleName(texts[key])
        self.smtp_password.setPlaceholderText(self.tr("unchanged"))
        self.table.setHorizontalHeaderLabels(
            [
                self.tr("Deployment"),
                self.tr("Watched"),
                self.tr("Interval (s)"),
                self.tr("Tags"),
                self.tr("Desktop"),
                self.tr("Webhook"),
                self.tr("E-mail"),
                self.tr("Maintenance (e.g. sat 02:00 90)"),
            ]
        )
        self.table.setAccessibleName(self.tr("Deployments"))
        self.test_button.setText(self.tr("Send a test alert"))
        self.test_button.setAccessibleName(self.tr("Send a test alert"))

    # ------------------------------------------------------------------ rows

    def _add_row(self, name: str, watch: DeploymentWatch) -> None:
        row = self.table.rowCount()
        self.table.insertRow(row)
        item = QTableWidgetItem(name)
        item.setFlags(item.flags() & ~Qt.ItemFlag.ItemIsEditable)
        self.table.setItem(row, NAME, item)
        self.table.setItem(row, ENABLED, _check_item(watch.enabled))
        interval = "" if watch.interval_s is None else f"{watch.interval_s:g}"
        self.table.setItem(row, INTERVAL, QTableWidgetItem(interval))
        self.table.setItem(row, TAGS, QTableWidgetItem(", ".join(watch.tags)))
        for column, channel in _CHANNEL_COLUMNS.items():
            self.table.setItem(row, column, _check_item(channel in watch.channels))
        self.table.setItem(row, MAINTENANCE, QTableWidgetItem(maintenance_text(watch.maintenance)))

    def _deployments(self) -> dict[str, DeploymentWatch]:
        out: dict[str, DeploymentWatch] = {}
        for row in range(self.table.rowCount()):
            name = self.table.item(row, NAME).text()
            interval_text = self.table.item(row, INTERVAL).text().strip()
            try:
                interval = float(interval_text) if interval_text else None
            except ValueError:
                raise ValueError(
                    self.tr("{name}: the interval must be a number of seconds.").format(name=name)
                ) from None
            try:
                windows = parse_maintenance(self.table.item(row, MAINTENANCE).text())
            except ValueError as exc:
                raise ValueError(
                    self.tr(
                        "{name}: cannot read the maintenance window “{part}” (write e.g. "
                        "sat 02:00 90)."
                    ).format(name=name, part=exc)
                ) from None
            channels = [
                channel
                for column, channel in _CHANNEL_COLUMNS.items()
                if self.table.item(row, column).checkState() == Qt.CheckState.Checked
            ]
            out[name] = DeploymentWatch(
                enabled=self.table.item(row, ENABLED).checkState() == Qt.CheckState.Checked,
                interval_s=interval,
                tags=[t for t in self.table.item(row, TAGS).text().split(",") if t.strip()],
                channels=[c for c in CHANNELS if c in channels],
                maintenance=windows,
            )
        return out

    # ------------------------------------------------------------------ reading

    def fleet_settings(self) -> FleetSettings:
        """What the dialog says, validated; raises ValueError with a message for people."""
        try:
            return FleetSettings(
                interval_s=self.interval.value(),
                timeout_s=self._settings.fleet.timeout_s,
                pending_checks=self.pending.value(),
                keep_firing_s=self.keep_firing.value(),
                alert_on_degraded=self.on_degraded.isChecked(),
                retention_days=self.retention.value(),
                webhooks=self.webhooks.toPlainText().split("\n"),
                webhook_retries=self._settings.fleet.webhook_retries,
                smtp={
                    "host": self.smtp_host.text().strip() or None,
                    "port": self.smtp_port.value(),
                    "starttls": self.smtp_starttls.isChecked(),
                    "username": self.smtp_user.text().strip() or None,
                    "sender": self.smtp_sender.text().strip() or None,
                    "recipients": self.smtp_recipients.text().split(","),
                },
                deployments=self._deployments(),
            )
        except ValidationError as exc:
            first = exc.errors()[0]
            raise ValueError(str(first.get("msg", exc)).removeprefix("Value error, ")) from None

    def accept(self) -> None:
        try:
            result = self.fleet_settings()
        except ValueError as exc:
            self.error.setText(str(exc))
            self.error.show()
            return
        self.result_settings = result
        self.smtp_password_to_store = self.smtp_password.text() or None
        super().accept()

    def apply(self, context: AppContext) -> None:
        """Save what an accepted dialog holds: the settings to the file, the SMTP password
        to the keyring (never to the file)."""
        fleet = self.result_settings
        if fleet is None:
            return
        context.settings.fleet = fleet
        context.save_settings()
        password, user = self.smtp_password_to_store, fleet.smtp.username
        if password and user:
            run_task(
                store_smtp_password,
                user,
                password,
                on_error=context.report_error,
                parent=context,
                name="keep the SMTP password",
            )

    # ------------------------------------------------------------------ test

    def send_test(self) -> None:
        """Send a made-up alert through the channels as filled in (worker thread)."""
        try:
            fleet = self.fleet_settings()
        except ValueError as exc:
            self.error.setText(str(exc))
            self.error.show()
            return
        self.error.hide()
        draft = self._settings.model_copy(deep=True)
        draft.fleet = fleet
        notifiers = notifiers_of(draft)
        password = self.smtp_password.text()
        if password:
            notifiers = [
                EmailNotifier(fleet.smtp, password=lambda _user: password)
                if isinstance(n, EmailNotifier)
                else n
                for n in notifiers
            ]
        if not notifiers:
            self.test_result.setText(self.tr("No webhook or e-mail is set up yet."))
            return
        self.test_button.setEnabled(False)
        self.test_result.setText(self.tr("Sending…"))
        run_task(
            send_sample_alert,
            notifiers,
            datetime.now(UTC),
            on_done=self._tested,
            on_error=self._test_failed,
            parent=self,
            name="send a test alert",
        )

    def _tested(self, deliveries: list[Delivery]) -> None:
        self.test_button.setEnabled(True)
        lines = [
            (
                self.tr("✓ {channel} {target}")
                if d.ok
                else self.tr("✗ {channel} {target}: {detail}")
            ).format(channel=d.channel, target=d.target, detail=d.detail)
            for d in deliveries
        ]
        self.test_result.setText("\n".join(lines))
        self.tested.emit(deliveries)

    def _test_failed(self, exc: BaseException) -> None:
        self.test_button.setEnabled(True)
        self.test_result.setText(str(exc))


def _check_item(checked: bool) -> QTableWidgetItem:
    item = QTableWidgetItem()
    item.setFlags(Qt.ItemFlag.ItemIsUserCheckable | Qt.ItemFlag.ItemIsEnabled)
    item.setCheckState(Qt.CheckState.Checked if checked else Qt.CheckState.Unchecked)
    return item
