"""From the settings to a running fleet watcher: which deployments, which policy, which
channels. Shared by the GUI and the headless `watch` command, so both watch the same way."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from datetime import datetime

from viva_desktop.services.common.config import ServerProfile, Settings
from viva_desktop.services.local.store import Store
from viva_desktop.services.monitoring.alerts import AlertPolicy
from viva_desktop.services.monitoring.fleet_status import Deployment
from viva_desktop.services.monitoring.health import HealthThresholds
from viva_desktop.services.monitoring.notifiers import EmailNotifier, Notifier, WebhookNotifier
from viva_desktop.services.monitoring.silences import SilenceBook
from viva_desktop.services.monitoring.watcher import Clock, FleetWatcher, utc_now


def deployment_of(
    profile: ServerProfile, settings: Settings, *, url: str | None = None
) -> Deployment:
    """The deployment to watch for `profile` (`url` replaces a placeholder such as the
    built-in sandbox's)."""
    fleet = settings.fleet
    own = fleet.deployment(profile.name)
    verify: bool | str = profile.verify_tls
    if profile.verify_tls and profile.ca_bundle is not None:
        verify = str(profile.ca_bundle)
    return Deployment(
        profile=profile.name,
        url=url or profile.url,
        interval_s=fleet.interval_of(profile.name),
        timeout_s=fleet.timeout_s,
        verify_tls=verify,
        tags=tuple(own.tags),
        channels=frozenset(own.channels),
        builtin_sandbox=profile.is_sandbox,
    )


def deployments_of(
    settings: Settings,
    names: Sequence[str] | None = None,
    *,
    urls: dict[str, str] | None = None,
) -> list[Deployment]:
    """Every enabled profile with a real address (or the named ones, enabled or not)."""
    urls = urls or {}
    out = []
    for profile in settings.profiles:
        if names is not None and profile.name not in names:
            continue
        if names is None and not settings.fleet.deployment(profile.name).enabled:
            continue
        url = urls.get(profile.name, profile.url)
        if not url.lower().startswith(("http://", "https://")):
            continue  # the built-in sandbox before it runs
        out.append(deployment_of(profile, settings, url=url))
    return out


def policy_of(settings: Settings) -> AlertPolicy:
    fleet = settings.fleet
    return AlertPolicy(
        pending_checks=fleet.pending_checks,
        keep_firing_s=fleet.keep_firing_s,
        alert_on_degraded=fleet.alert_on_degraded,
    )


def notifiers_of(settings: Settings, extra_webhooks: Iterable[str] = ()) -> list[Notifier]:
    fleet = settings.fleet
    out: list[Notifier] = []
    hooks = [*fleet.webhooks, *extra_webhooks]
    if hooks:
        out.append(WebhookNotifier(hooks, retries=fleet.webhook_retries))
    if fleet.smtp.configured:
        out.append(EmailNotifier(fleet.smtp))
    return out


def maintenance_of(settings: Settings) -> dict:
    return {name: list(d.maintenance) for name, d in settings.fleet.deployments.items()}


def build_watcher(
    settings: Settings,
    deployments: Iterable[Deployment],
    *,
    store: Store | None,
    extra_webhooks: Iterable[str] = (),
    clock: Clock = utc_now,
    now: Callable[[], datetime] | None = None,
) -> FleetWatcher:
    """A watcher configured from `settings` (silences read from the store, blocking)."""
    book = SilenceBook(maintenance_of(settings))
    if store is not None:
        book.load(store, (now or clock)())
    return FleetWatcher(
        deployments,
        store=store,
        policy=policy_of(settings),
        notifiers=notifiers_of(settings, extra_webhooks),
        silences=book,
        thresholds=HealthThresholds(latency_warning_ms=float(settings.health.latency_warn_ms)),
        retention=settings.fleet.retention,
        clock=clock,
    )
