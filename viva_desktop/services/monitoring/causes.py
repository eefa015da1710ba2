"""Why a sample is not healthy, in one word a table can show and a filter can group by.

The server's `degraded` is often only its heap rule (heap above 90 % of a small heap total),
which says little about its users; a slow answer or a slow database does. Telling them apart
is what lets an administrator ignore the first and act on the others. The server applies its
heap rule last, so a body can say `degraded` while its database is down: the database wins.
"""

from __future__ import annotations

from dataclasses import replace
from enum import StrEnum

from viva_desktop.services.common.i18n import QT_TRANSLATE_NOOP, translate
from viva_desktop.services.monitoring.health import HealthSample, HealthState, HealthThresholds


class Cause(StrEnum):
    NO_ANSWER = "no_answer"  # refused, timed out, not JSON: nothing to read
    DATABASE_DOWN = "database_down"
    DATABASE_SLOW = "database_slow"
    SLOW_ANSWER = "slow_answer"
    HEAP = "heap"
    NO_VERDICT = "no_verdict"  # answered, but without a known status (rate limited, odd body)
    OTHER = "other"


_LABELS = {
    Cause.NO_ANSWER: QT_TRANSLATE_NOOP("Cause", "no answer"),
    Cause.DATABASE_DOWN: QT_TRANSLATE_NOOP("Cause", "database down"),
    Cause.DATABASE_SLOW: QT_TRANSLATE_NOOP("Cause", "slow database"),
    Cause.SLOW_ANSWER: QT_TRANSLATE_NOOP("Cause", "slow answer"),
    Cause.HEAP: QT_TRANSLATE_NOOP("Cause", "heap almost full"),
    Cause.NO_VERDICT: QT_TRANSLATE_NOOP("Cause", "no verdict"),
    Cause.OTHER: QT_TRANSLATE_NOOP("Cause", "reported by the server"),
}


def cause_label(cause: Cause) -> str:
    return translate("Cause", _LABELS[cause])


def database_down(sample: HealthSample) -> bool:
    """The body says the database is down, whatever overall status the heap rule left."""
    return sample.db_status == "down" or sample.state is HealthState.UNHEALTHY


def cause_of(sample: HealthSample, thresholds: HealthThresholds | None = None) -> Cause | None:
    """The main reason `sample` is not healthy; None when it is healthy."""
    limits = thresholds or HealthThresholds()
    if sample.state is HealthState.DOWN:
        return Cause.NO_ANSWER
    if sample.state is HealthState.UNKNOWN:
        return Cause.NO_VERDICT
    if sample.db_status == "down":
        return Cause.DATABASE_DOWN
    if sample.state is HealthState.HEALTHY:
        return None
    if sample.state is HealthState.UNHEALTHY:
        return Cause.DATABASE_DOWN
    if sample.db_latency_ms is not None and sample.db_latency_ms > limits.db_latency_warning_ms:
        return Cause.DATABASE_SLOW
    if sample.http_latency_ms is not None and sample.http_latency_ms > limits.latency_warning_ms:
        return Cause.SLOW_ANSWER
    ratio = sample.heap_ratio
    if ratio is not None and ratio > limits.heap_warning_ratio:
        return Cause.HEAP
    return Cause.OTHER


def verdict(sample: HealthSample) -> HealthSample:
    """`sample` with the state the fleet goes by: a body whose database is down counts as
    unhealthy even when the heap rule turned its overall status into `degraded`."""
    if sample.db_status == "down" and sample.state in (HealthState.HEALTHY, HealthState.DEGRADED):
        return replace(sample, state=HealthState.UNHEALTHY)
    return sample
