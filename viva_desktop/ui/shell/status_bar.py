"""The status bar: which server and account, online or not, how old the data is, how many
requests the server still allows, and how many local changes wait to be sent.

It only shows state (errors go to the error dialog), and it learns everything from the
context's signals.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QLabel, QStatusBar, QWidget

from viva_desktop.services.remote.api import RateLimitState
from viva_desktop.services.remote.api.ratelimit import RateLimitBucket
from viva_desktop.services.remote.session import SessionInfo
from viva_desktop.ui.common.context import AppContext
from viva_desktop.ui.common.elided import ElidedLabel
from viva_desktop.ui.common.formatting import age_text, duration_text
from viva_desktop.ui.common.retranslate import Retranslating
from viva_desktop.ui.common.timefmt import clock_text


def _label(name: str) -> QLabel:
    label = QLabel()
    label.setObjectName(name)
    return label


def rate_limit_counts(state: RateLimitState | None) -> tuple[int, int] | None:
    """(remaining, limit) of the throttler closest to blocking, from the last answer."""
    tightest = tightest_bucket(state)
    if tightest is None:
        return None
    bucket, _strict = tightest
    return int(bucket.remaining or 0), int(bucket.limit or 0)


def tightest_bucket(state: RateLimitState | None) -> tuple[RateLimitBucket, bool] | None:
    """The throttler closest to blocking, and whether it is the strict one."""
    if state is None:
        return None
    buckets = [
        (b, b is state.strict)
        for b in (state.default, state.strict)
        if b is not None and b.remaining is not None
    ]
    if not buckets:
        return None
    return min(buckets, key=lambda pair: pair[0].remaining or 0)


class AppStatusBar(Retranslating, QStatusBar):
    def __init__(self, context: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("AppStatusBar")
        self.context = context
        self.profile_label = _label("StatusProfile")
        self.user_label = _label("StatusUser")
        self.online_label = _label("StatusOnline")
        self.data_age_label = _label("StatusDataAge")
        self.rate_limit_label = _label("StatusRateLimit")
        self.outbox_label = _label("StatusOutbox")
        # Notifications without a tray: cut to the room left, whole in the tooltip.
        self.message_label = ElidedLabel()
        self.message_label.setObjectName("StatusMessage")
        self.message_label.hide()
        self.addWidget(self.message_label, 1)
        self._message_timer = QTimer(self)
        self._message_timer.setSingleShot(True)
        self._message_timer.setInterval(10_000)
        self._message_timer.timeout.connect(self.message_label.hide)
        for widget in (
            self.profile_label,
            self.user_label,
            self.online_label,
            self.data_age_label,
            self.rate_limit_label,
            self.outbox_label,
        ):
            self.addPermanentWidget(widget)
        context.profile_changed.connect(self._update_profile)
        context.session_changed.connect(self._update_user)
        context.online_changed.connect(self._update_online)
        context.offline_mode_changed.connect(self._update_online)
        context.data_age_changed.connect(self._update_data_age)
        context.rate_limit_changed.connect(self._update_rate_limit)
        context.outbox_changed.connect(self._update_outbox)
        context.notification.connect(self._show_notification_here)
        self._age_timer = QTimer(self)
        self._age_timer.setInterval(30_000)
        self._age_timer.timeout.connect(self._update_data_age)
        self._age_timer.start()
        self.retranslate()

    def retranslate(self) -> None:
        self._update_profile()
        self._update_user()
        self._update_online()
        self._update_data_age()
        self._update_rate_limit()
        self._update_outbox()

    # ------------------------------------------------------------------ fields

    def _update_profile(self, *_args: object) -> None:
        profile = self.context.profile
        self.profile_label.setText(
            self.tr("Server: {name}").format(name=profile.display_name)
            if profile
            else self.tr("No server")
        )
        services = self.context.services
        self.profile_label.setToolTip(services.base_url if services else "")

    def _update_user(self, *_args: object) -> None:
        info: SessionInfo | None = self.context.session_info
        if info is None:
            self.user_label.setText(self.tr("Not signed in"))
            self.user_label.setToolTip("")
            return
        who = info.email or info.account
        role = info.role or self.tr("no role")
        self.user_label.setText(self.tr("{user} ({role})").format(user=who, role=role))
        tip = self.tr("Signed in as {user}").format(user=info.name or who)
        if not info.persistent:
            tip += "\n" + self.tr("The sign-in is kept in memory only.")
        self.user_label.setToolTip(tip)

    def _update_online(self, *_args: object) -> None:
        context = self.context
        if context.offline_mode:
            text, state = self.tr("Offline (local data)"), "StatusOffline"
        elif context.online is None:
            text, state = self.tr("Connecting…"), "StatusUnknown"
        elif context.online:
            text, state = self.tr("Online"), "StatusOnline"
        else:
            text, state = self.tr("Offline"), "StatusOffline"
        self.online_label.setText(text)
        if self.online_label.objectName() != state:
            self.online_label.setObjectName(state)
            self.online_label.style().unpolish(self.online_label)
            self.online_label.style().polish(self.online_label)

    def _update_data_age(self, *_args: object) -> None:
        when: datetime | None = self.context.data_age
        if self.context.profile is None:
            self.data_age_label.setText("")
            return
        if when is None:
            self.data_age_label.setText(self.tr("Data: not synced yet"))
        else:
            self.data_age_label.setText(self.tr("Data: {age}").format(age=age_text(when)))

    def _update_rate_limit(self, *_args: object) -> None:
        state = self.context.rate_limit
        tightest = tightest_bucket(state)
        if state is None or tightest is None:
            self.rate_limit_label.setText("")
            self.rate_limit_label.setToolTip("")
            return
        bucket, strict = tightest
        remaining, limit = int(bucket.remaining or 0), int(bucket.limit or 0)
        if bucket.reset_seconds == 60:
            window = self.tr("minute")  # "9 of 10 per minute", not "per 1 min"
        else:
            window = duration_text(bucket.reset_seconds) if bucket.reset_seconds else "?"
        self.rate_limit_label.setText(
            self.tr("Requests left: {remaining} of {limit} per {window}").format(
                remaining=remaining, limit=limit, window=window
            )
        )
        which = (
            self.tr("the strict limit (sign-in, registration and other sensitive routes)")
            if strict
            else self.tr("the general limit")
        )
        resets = (
            clock_text(state.updated_at + timedelta(seconds=bucket.reset_seconds))
            if bucket.reset_seconds
            else "?"
        )
        self.rate_limit_label.setToolTip(
            self.tr(
                "The server's rate limit for {path}: {limit} requests every {window} from this "
                "computer, counted by {which}. {remaining} were left after the last answer; "
                "the count starts again by {time} at the latest. It is not a quota for the "
                "session: other routes have counts of their own."
            ).format(
                path=state.path or "/",
                limit=limit,
                window=window,
                which=which,
                remaining=remaining,
                time=resets,
            )
        )

    def _update_outbox(self, *_args: object) -> None:
        count = self.context.outbox_count
        self.outbox_label.setVisible(count > 0)
        self.outbox_label.setText(self.tr("%n change(s) waiting to be sent", "", count))

    def _show_notification_here(self, title: str, text: str) -> None:
        """Without a system tray, notifications appear here for a while."""
        window = self.window()
        tray = getattr(window, "tray", None)
        if tray is not None and tray.available:
            return
        self.message_label.set_full_text(f"{title}: {text}")
        self.message_label.show()
        self._message_timer.start()
