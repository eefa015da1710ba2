"""The alert lifecycle of one deployment: Normal → Pending → Firing → Recovering → Normal.

- *Pending*: a bad check starts it; only `pending_checks` bad checks in a row fire the alert,
  so one lost poll wakes nobody.
- *Firing* has two flavours: `firing` (the server answers and reports a bad state: database
  down, or degraded when asked for) and `no_data` (no answer, or an answer without a verdict).
- *Recovering*: the first good check after firing. The alert keeps firing for
  `keep_firing_s` seconds; a bad check in that time returns to firing without a new message,
  so a flapping deployment sends one alert and one recovery, not one per flap.
- Back to *Normal*: a good check after the keep-firing period sends the recovery, with how
  long the outage lasted (from its first bad check to its first good one).

Time comes only from the checks' own timestamps, so tests drive the lifecycle with made-up
times and no sleeping. Every change of alert state is an `AlertEvent`; `notify` says which of
them are for people (firing and recovery).
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from viva_desktop.services.common.i18n import QT_TRANSLATE_NOOP, translate
from viva_desktop.services.monitoring.causes import Cause, cause_label, cause_of
from viva_desktop.services.monitoring.health import HealthSample, HealthState, severity


class AlertState(StrEnum):
    NORMAL = "normal"
    PENDING = "pending"
    FIRING = "firing"
    NO_DATA = "no_data"
    RECOVERING = "recovering"

    @property
    def firing(self) -> bool:
        return self in (AlertState.FIRING, AlertState.NO_DATA, AlertState.RECOVERING)


_ALERT_LABELS = {
    AlertState.NORMAL: QT_TRANSLATE_NOOP("Alert", "Normal"),
    AlertState.PENDING: QT_TRANSLATE_NOOP("Alert", "Pending"),
    AlertState.FIRING: QT_TRANSLATE_NOOP("Alert", "Firing"),
    AlertState.NO_DATA: QT_TRANSLATE_NOOP("Alert", "No data"),
    AlertState.RECOVERING: QT_TRANSLATE_NOOP("Alert", "Recovering"),
}


def alert_label(state: AlertState) -> str:
    return translate("Alert", _ALERT_LABELS[state])


@dataclass(frozen=True)
class AlertPolicy:
    pending_checks: int = 2
    keep_firing_s: float = 120.0
    alert_on_degraded: bool = False

    def __post_init__(self) -> None:
        if self.pending_checks < 1:
            raise ValueError("pending_checks must be at least 1")
        if self.keep_firing_s < 0:
            raise ValueError("keep_firing_s must not be negative")

    def condition(self, sample: HealthSample) -> AlertState:
        """NORMAL for a good check, FIRING for a reported bad state, NO_DATA for no verdict."""
        if sample.state in (HealthState.DOWN, HealthState.UNKNOWN):
            return AlertState.NO_DATA
        if sample.state is HealthState.UNHEALTHY or sample.db_status == "down":
            return AlertState.FIRING
        if sample.state is HealthState.DEGRADED and self.alert_on_degraded:
            return AlertState.FIRING
        return AlertState.NORMAL


@dataclass(frozen=True)
class AlertEvent:
    """One change of a deployment's alert state (what the store's history and channels get)."""

    profile: str
    url: str
    at: datetime
    alert_state: AlertState
    previous_alert_state: AlertState
    state: HealthState  # the check's health state
    previous_state: HealthState | None  # the health state before the trouble (or during it)
    since: datetime  # when the current condition began
    message: str
    cause: Cause | None = None
    notify: bool = False  # a firing or a recovery: for people, not only for the history
    silenced: bool = False
    outage_s: float | None = None  # on recovery: how long it was down

    @property
    def kind(self) -> str:
        """ "firing", "resolved" or "changed" (a change only the history records)."""
        if not self.notify:
            return "changed"
        return "resolved" if self.alert_state is AlertState.NORMAL else "firing"


def duration_words(seconds: float) -> str:
    """ "1 h 5 min", "3 min 20 s", "45 s": for messages that leave the app."""
    total = max(0, round(seconds))
    days, rest = divmod(total, 86400)
    hours, rest = divmod(rest, 3600)
    minutes, secs = divmod(rest, 60)
    if days:
        return f"{days} d {hours} h"
    if hours:
        return f"{hours} h {minutes} min"
    if minutes:
        return f"{minutes} min {secs} s" if secs else f"{minutes} min"
    return f"{secs} s"


class AlertTracker:
    """The lifecycle of one deployment; `feed` one check at a time. Thread-safe."""

    def __init__(self, profile: str, url: str, policy: AlertPolicy | None = None) -> None:
        self.profile = profile
        self.url = url
        self.policy = policy or AlertPolicy()
        self._lock = threading.Lock()
        self.state = AlertState.NORMAL
        self._count = 0  # bad checks in a row while pending
        self._trouble_since: datetime | None = None  # first bad check of this outage
        self._recovering_since: datetime | None = None
        self._before: HealthState | None = None  # the last good health state
        self._worst: HealthState | None = None
        self._last: HealthSample | None = None

    @property
    def trouble_since(self) -> datetime | None:
        return self._trouble_since

    def feed(self, sample: HealthSample) -> AlertEvent | None:
        """Take one check; returns the event when the alert state changed."""
        with self._lock:
            event = self._step(sample)
            self._last = sample
            return event

    def _step(self, sample: HealthSample) -> AlertEvent | None:
        condition = self.policy.condition(sample)
        now = sample.taken_at
        state = self.state
        if state is AlertState.NORMAL:
            if condition is AlertState.NORMAL:
                self._before = sample.state
                return None
            self._trouble_since, self._count, self._worst = now, 0, sample.state
            self.state = AlertState.PENDING
            return self._pending_step(sample, condition, AlertState.NORMAL)
        if state is AlertState.PENDING:
            if condition is AlertState.NORMAL:
                self._reset(sample)
                return self._event(sample, AlertState.PENDING, now)
            return self._pending_step(sample, condition, AlertState.PENDING)
        if state in (AlertState.FIRING, AlertState.NO_DATA):
            self._note_worst(sample)
            if condition is AlertState.NORMAL:
                self._recovering_since = now
                if self.policy.keep_firing_s <= 0:
                    return self._recover(sample, state)
                self.state = AlertState.RECOVERING
                return self._event(sample, state, now)
            if condition is not state:
                self.state = condition
                return self._event(sample, state, now)
            return None
        # RECOVERING
        if condition is not AlertState.NORMAL:
            self._note_worst(sample)
            self._recovering_since = None
            self.state = condition
            return self._event(sample, AlertState.RECOVERING, now)
        assert self._recovering_since is not None
        if (now - self._recovering_since).total_seconds() >= self.policy.keep_firing_s:
            return self._recover(sample, AlertState.RECOVERING)
        return None

    def _pending_step(
        self, sample: HealthSample, condition: AlertState, previous: AlertState
    ) -> AlertEvent:
        self._count += 1
        self._note_worst(sample)
        if self._count >= self.policy.pending_checks:
            self.state = condition
            assert self._trouble_since is not None
            return self._event(sample, previous, self._trouble_since, notify=True)
        return self._event(sample, previous, self._trouble_since or sample.taken_at)

    def _recover(self, sample: HealthSample, previous: AlertState) -> AlertEvent:
        start = self._trouble_since or sample.taken_at
        healthy_since = self._recovering_since or sample.taken_at
        outage = (healthy_since - start).total_seconds()
        worst = self._worst
        self._reset(sample)
        return self._event(
            sample, previous, healthy_since, notify=True, outage_s=outage, worst=worst
        )

    def _reset(self, sample: HealthSample) -> None:
        self.state = AlertState.NORMAL
        self._count = 0
        self._trouble_since = self._recovering_since = None
        self._worst = None
        self._before = sample.state

    def _note_worst(self, sample: HealthSample) -> None:
        if self._worst is None or severity(sample.state) > severity(self._worst):
            self._worst = sample.state

    def _event(
        self,
        sample: HealthSample,
        previous: AlertState,
        since: datetime,
        *,
        notify: bool = False,
        outage_s: float | None = None,
        worst: HealthState | None = None,
    ) -> AlertEvent:
        cause = cause_of(sample)
        previous_state = worst if self.state is AlertState.NORMAL else self._before
        return AlertEvent(
            profile=self.profile,
            url=self.url,
            at=sample.taken_at,
            alert_state=self.state,
            previous_alert_state=previous,
            state=sample.state,
            previous_state=previous_state,
            since=since,
            message=self._message(sample, cause, outage_s),
            cause=cause if self.state is not AlertState.NORMAL else None,
            notify=notify,
            outage_s=outage_s,
        )

    def _message(self, sample: HealthSample, cause: Cause | None, outage_s: float | None) -> str:
        name = self.profile
        if self.state is AlertState.NORMAL:
            if outage_s is None:
                return translate("Alert", "{profile} is fine again.").format(profile=name)
            return translate(
                "Alert", "{profile} has recovered after {duration} of trouble."
            ).format(profile=name, duration=duration_words(outage_s))
        if self.state is AlertState.RECOVERING:
            return translate(
                "Alert", "{profile} answers well again; watching before the all-clear."
            ).format(profile=name)
        reason = cause_label(cause) if cause is not None else sample.state.value
        if sample.error and self.state is AlertState.NO_DATA:
            reason = sample.error
        if self.state is AlertState.NO_DATA:
            text = translate("Alert", "{profile} gives no health data: {reason}")
        elif self.state is AlertState.PENDING:
            text = translate("Alert", "{profile} may be in trouble ({reason}); checking again.")
        else:
            text = translate("Alert", "{profile} is {state}: {reason}")
        return text.format(profile=name, reason=reason, state=sample.state.value)


def outage_length(event: AlertEvent) -> timedelta | None:
    return None if event.outage_s is None else timedelta(seconds=event.outage_s)
