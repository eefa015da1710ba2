"""Dashboard: the server's current health at a glance.

The numbers come from the context's `HealthMonitor` (through the shared `HealthWatch`), which
polls `/health/status` through the worker on a timer; "Check now" (F5) polls at once. The
state shows as icon, word and colour; beside the latest sample's figures (database status and
latency, process and host memory, load, uptime, version, environment) come the availability
over 24 hours and any ongoing incident from the stored history. The Health page has the charts.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import (
    QFormLayout,
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from viva_desktop.services.monitoring.health import HealthSample, HealthState
from viva_desktop.services.monitoring.health import state_label as health_state_label
from viva_desktop.ui.admin.badges import StateBadge
from viva_desktop.ui.admin.fleet_view import FleetOverview
from viva_desktop.ui.admin.fleet_watch import fleet_watch_of
from viva_desktop.ui.admin.health_watch import health_watch_of
from viva_desktop.ui.admin.log_links import ensure_log_links
from viva_desktop.ui.common.context import AppContext
from viva_desktop.ui.common.formatting import age_text, clock_text, duration_text, number_text
from viva_desktop.ui.common.icons import icon
from viva_desktop.ui.common.timefmt import percent_text
from viva_desktop.ui.pages.base import Page


class DashboardPage(Page):
    def __init__(self, context: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(context, parent)
        self.setObjectName("DashboardPage")
        ensure_log_links(context)  # "Show in logs" in error dialogs
        self.watch = health_watch_of(context)
        self.monitor = self.watch.monitor

        self.title = QLabel()
        self.title.setObjectName("PageTitle")
        self.offline_banner = QLabel()
        self.offline_banner.setObjectName("Banner")
        self.offline_banner.setWordWrap(True)
        self.connect_button = QPushButton(icon("login"), "")
        self.connect_button.clicked.connect(lambda: self.context.request_login(""))

        self.badge = StateBadge(icon_size=26)
        self.state_chip = self.badge.chip
        self.server_label = QLabel()
        self.server_label.setObjectName("Headline")
        self.url_label = QLabel()
        self.url_label.setObjectName("Muted")
        self.url_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.checked_label = QLabel()
        self.checked_label.setObjectName("Muted")
        self.check_button = QPushButton(icon("refresh"), "")
        self.check_button.clicked.connect(self.refresh)

        header = QHBoxLayout()
        names = QVBoxLayout()
        names.addWidget(self.server_label)
        names.addWidget(self.url_label)
        header.addWidget(self.badge)
        header.addSpacing(8)
        header.addLayout(names, 1)
        header.addWidget(self.checked_label)
        header.addWidget(self.check_button)

        self.form = QFormLayout()
        self.form.setLabelAlignment(Qt.AlignmentFlag.AlignRight)
        self._rows: dict[str, tuple[QLabel, QLabel]] = {}
        for key in (
            "version",
            "environment",
            "uptime",
            "latency",
            "database",
            "memory",
            "process_memory",
            "host_memory",
            "load",
            "availability",
            "incident",
            "local_data",
        ):
            name, value = QLabel(), QLabel("—")
            value.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            self._rows[key] = (name, value)
            self.form.addRow(name, value)

        self.concerns_title = QLabel()
        self.concerns_title.setObjectName("Headline")
        self.concerns = QLabel()
        self.concerns.setWordWrap(True)
        self.concerns.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

        card = QFrame()
        card.setObjectName("Card")
        card_layout = QVBoxLayout(card)
        card_layout.addLayout(header)
        card_layout.addSpacing(6)
        card_layout.addLayout(self.form)
        card_layout.addSpacing(6)
        card_layout.addWidget(self.concerns_title)
        card_layout.addWidget(self.concerns)

        banner_row = QHBoxLayout()
        banner_row.addWidget(self.offline_banner, 1)
        banner_row.addWidget(self.connect_button)
        self.banner_box = QWidget()
        self.banner_box.setLayout(banner_row)
        banner_row.setContentsMargins(0, 0, 0, 0)

        # Every configured deployment, compact, worst first; a row opens its detail.
        self.fleet_title = QLabel()
        self.fleet_title.setObjectName("Headline")
        self.fleet = FleetOverview(fleet_watch_of(context), compact=True)
        self.fleet.selected.connect(self._open_deployment)

        layout = QVBoxLayout(self)
        layout.addWidget(self.title)
        layout.addWidget(self.banner_box)
        layout.addWidget(card)
        layout.addWidget(self.fleet_title)
        layout.addWidget(self.fleet, 1)

        self.monitor.sampled.connect(self._show_sample)
        self.watch.history_changed.connect(self._render_history)
        context.settings_changed.connect(self._render)
        self.monitor.polling_changed.connect(self._polling_changed)
        context.profile_changed.connect(self._profile_changed)
        context.offline_mode_changed.connect(self._profile_changed)
        context.data_age_changed.connect(self._show_data_age)
        self._clock = QTimer(self)
        self._clock.setInterval(30_000)
        self._clock.timeout.connect(self._tick)
        self.retranslate()

    # ------------------------------------------------------------------ Page hooks

    def activate(self) -> None:
        super().activate()
        self._clock.start()
        self.watch.ensure_polling()
        self.watch.request_history()

    def deactivate(self) -> None:
        super().deactivate()
        self._clock.stop()

    def refresh(self) -> None:
        self.monitor.poll_now()

    def is_loading(self) -> bool:
        online = self.context.services is not None and not self.context.offline_mode
        return online and (self.monitor.latest is None or self.monitor.polling)

    @property
    def sample(self) -> HealthSample | None:
        return self.monitor.latest

    def retranslate(self) -> None:
        self.title.setText(self.tr("Dashboard"))
        self.offline_banner.setText(
            self.tr(
                "Offline: you are reviewing the local copy of the data. Connect to a server "
                "to see its health."
            )
        )
        self.connect_button.setText(self.tr("Connect…"))
        self.check_button.setText(self.tr("Check now"))
        self.check_button.setToolTip(self.tr("Poll the server's health now (F5)"))
        names = {
            "version": self.tr("Server version"),
            "environment": self.tr("Environment"),
            "uptime": self.tr("Uptime"),
            "latency": self.tr("Response time"),
            "database": self.tr("Database"),
            "memory": self.tr("Memory (heap)"),
            "process_memory": self.tr("Process memory (RSS)"),
            "host_memory": self.tr("Host memory free"),
            "load": self.tr("Load (1 min)"),
            "availability": self.tr("Availability (24 h)"),
            "incident": self.tr("Current incident"),
            "local_data": self.tr("Local data synced"),
        }
        for key, (label, _value) in self._rows.items():
            label.setText(names[key] + ":")
        self.concerns_title.setText(self.tr("Attention"))
        self.fleet_title.setText(self.tr("Deployments"))
        self._render()

    def _open_deployment(self, profile: str) -> None:
        """Show `profile`'s detail on the Health page (when the window has one)."""
        window = self.window()
        open_page = getattr(window, "open_page", None)
        if callable(open_page):
            page = open_page("health")
            show = getattr(page, "show_deployment", None)
            if callable(show):
                show(profile)

    # ------------------------------------------------------------------ rendering

    def _profile_changed(self, *_args: object) -> None:
        self._render()

    def _polling_changed(self, polling: bool) -> None:
        self.check_button.setEnabled(not polling and self.context.services is not None)
        if polling and self.monitor.latest is None:
            self.checked_label.setText(self.tr("Checking…"))

    def _show_sample(self, _sample: HealthSample) -> None:
        self._render()

    def _show_data_age(self, _when: object) -> None:
        self._render_data_age()

    def _tick(self) -> None:
        self._render_checked()
        self._render_data_age()

    def _render(self) -> None:
        context = self.context
        profile = context.profile
        offline = context.offline_mode or context.services is None
        self.banner_box.setVisible(offline)
        self.check_button.setEnabled(not offline and not self.monitor.polling)
        self.server_label.setText(profile.display_name if profile else self.tr("No server"))
        services = context.services
        self.url_label.setText(services.base_url if services else "")
        sample = self.monitor.latest
        if sample is None:
            self.badge.set_state(None, self.tr("Not checked"))
        else:
            self.badge.set_state(sample.state)
        self._render_checked()
        self._render_values(sample)
        self._render_history()
        self._render_data_age()

    def _render_checked(self) -> None:
        sample = self.monitor.latest
        if sample is None:
            self.checked_label.setText("")
            return
        self.checked_label.setText(
            self.tr("Checked at {time}").format(time=clock_text(sample.taken_at))
        )

    def _set(self, key: str, text: str) -> None:
        self._rows[key][1].setText(text)

    def _render_values(self, sample: HealthSample | None) -> None:
        if sample is None:
            for key in self._rows:
                if key not in ("local_data", "availability", "incident"):
                    self._set(key, "—")
            self.concerns.setText(self.tr("No health sample yet."))
            return
        self._set("version", sample.version or "—")
        self._set("environment", sample.environment or "—")
        self._set("uptime", duration_text(sample.uptime_s))
        self._set("latency", number_text(sample.http_latency_ms, "ms"))
        self._set("database", self._database_text(sample))
        self._set("process_memory", number_text(sample.rss_mb, "MB"))
        if sample.system_free_mb is not None and sample.system_total_mb:
            self._set(
                "host_memory",
                self.tr("{free} of {total} MB").format(
                    free=number_text(sample.system_free_mb),
                    total=number_text(sample.system_total_mb),
                ),
            )
        else:
            self._set("host_memory", "—")
        if sample.heap_used_mb is not None and sample.heap_total_mb:
            self._set(
                "memory",
                self.tr("{used} of {total} MB").format(
                    used=number_text(sample.heap_used_mb), total=number_text(sample.heap_total_mb)
                ),
            )
        else:
            self._set("memory", "—")
        self._set("load", number_text(sample.load_1m) if sample.load_1m is not None else "—")
        concerns = self.watch.thresholds.concerns(sample)
        if sample.state is HealthState.HEALTHY and not concerns:
            self.concerns.setText(self.tr("Nothing needs attention."))
        else:
            self.concerns.setText("\n".join(f"• {text}" for text in concerns) or "—")

    def _database_text(self, sample: HealthSample) -> str:
        names = {
            "up": self.tr("up"),
            "degraded": self.tr("slow"),
            "down": self.tr("down"),
        }
        if sample.db_status is None:
            return "—"
        text = names.get(sample.db_status, sample.db_status)
        if sample.db_latency_ms is not None:
            text += f" · {number_text(sample.db_latency_ms, 'ms')}"
        return text

    def _render_history(self) -> None:
        history = self.watch.history
        if history is None or history.profile != self.context.profile_name:
            self._set("availability", "—")
            self._set("incident", "—")
            return
        self._set("availability", percent_text(history.uptime_24h))
        ongoing = next((i for i in reversed(history.all_incidents) if i.ongoing), None)
        if ongoing is None:
            self._set("incident", self.tr("none"))
        else:
            self._set(
                "incident",
                self.tr("{state} for {duration}").format(
                    state=health_state_label(ongoing.worst_state),
                    duration=duration_text(ongoing.duration.total_seconds()),
                ),
            )

    def _render_data_age(self) -> None:
        when = self.context.data_age
        text = age_text(when) if when is not None else self.tr("never")
        if when is not None:
            text += f" ({clock_text(when)})"
        self._set("local_data", text)
