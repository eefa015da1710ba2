"""`AppContext`: the one object pages and windows share.

It owns the settings, the store, the token vault, the embedded sandbox, and — for the active
server profile — the `ApiClient`, `Api`, `Session` and health probe, built and torn down in one
place. Services report from worker threads; the context turns that into Qt signals on the GUI
thread (session changes, online/offline, rate limit, data age, pending changes) for the status
bar and the pages to observe. An expired session is handled here, centrally: the session is
cleared and `session_expired` asks the main window to reopen the login.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, Qt, QTimer, Signal

from viva_desktop.services.common import logs
from viva_desktop.services.common.config import ServerProfile, Settings, save_settings
from viva_desktop.services.common.i18n import translate
from viva_desktop.services.local.store import Store, SyncStatus
from viva_desktop.services.monitoring.health import HealthProbe
from viva_desktop.services.remote.api import (
    Api,
    ApiClient,
    Pacer,
    RateLimitState,
    RequestEvent,
    RetryPolicy,
)
from viva_desktop.services.remote.api.errors import AuthExpired
from viva_desktop.services.remote.session import Session, SessionEvent, SessionInfo
from viva_desktop.services.remote.vault import TokenVault, VaultChoice
from viva_desktop.ui.common.account_memory import (
    prune_audit_trail,
    recall_offline_account,
    remember_account_in_store,
)
from viva_desktop.ui.common.sandbox_host import SandboxHost
from viva_desktop.ui.common.worker import TaskHandle, run_task

log = logging.getLogger("viva.ui.context")

# Requests that fail without an answer mean "we are offline"; any answer means online.
_OFFLINE_ERRORS = frozenset({"NetworkUnreachable", "RequestTimeout", "TlsError"})


@dataclass
class ProfileServices:
    """Everything that talks to one server profile; built and closed together."""

    profile: ServerProfile
    base_url: str
    client: ApiClient
    api: Api
    session: Session
    probe: HealthProbe
    _detach: list[Callable[[], None]] = field(default_factory=list)

    def matches(self, profile: ServerProfile, base_url: str) -> bool:
        return self.profile == profile and self.base_url == base_url.rstrip("/")

    def close(self) -> None:
        for detach in self._detach:
            detach()
        self._detach.clear()
        self.client.close()


def build_services(profile: ServerProfile, base_url: str, vault: TokenVault) -> ProfileServices:
    """Client, API, session and health probe of one profile (safe on a worker thread: the
    TLS set-up reads certificate files)."""
    verify: bool | str = profile.verify_tls
    if profile.verify_tls and profile.ca_bundle is not None:
        verify = str(profile.ca_bundle)
    client = ApiClient(
        base_url,
        timeout=profile.timeout,
        verify=verify,
        retry=RetryPolicy(deadline=profile.retry_deadline),
        pacer=Pacer(enabled=profile.pacing),
    )
    api = Api(client)
    session = Session(profile.name, api, vault)
    probe = HealthProbe(client.http, client.base_url, profile.name, timeout=10.0)
    return ProfileServices(profile, client.base_url, client, api, session, probe)


def oldest_complete_sync(store: Store, profile: str) -> tuple[datetime | None, bool]:
    """(when the stalest entity was last fully synced, whether anything was ever synced)."""
    states = store.sync_states(profile)
    complete = [s.last_complete_at for s in states if s.last_complete_at is not None]
    if not complete:
        return None, any(s.status == SyncStatus.COMPLETE for s in states)
    return min(complete), True


class AppContext(QObject):
    """Shared state and services of the running application (GUI thread only)."""

    profile_changed = Signal(object)  # ServerProfile | None
    session_changed = Signal(object)  # SessionInfo | None
    session_expired = Signal(str)  # why; the main window reopens the login
    login_requested = Signal(str)  # a page or dialog asks for the login (message, may be "")
    online_changed = Signal(bool)
    offline_mode_changed = Signal(bool)
    rate_limit_changed = Signal(object)  # RateLimitState | None
    data_age_changed = Signal(object)  # datetime | None: oldest complete sync of the profile
    outbox_changed = Signal(int)  # changes waiting to be sent
    settings_changed = Signal()
    notification = Signal(str, str)  # (title, text), shown by the tray or the status bar
    resync_requested = Signal()  # the store was rebuilt empty: the sync page should run a full sync
    # The account whose per-caller data the pages show changed (user id, or None): sign-in,
    # sign-out, another account chosen for offline review. Pages drop what they show at once.
    scope_changed = Signal(object)

    # Thread hops: emitted from worker threads, handled on the GUI thread.
    _request_seen = Signal(object)
    _session_event = Signal(object, object)

    def __init__(
        self,
        settings: Settings,
        *,
        vault: VaultChoice,
        store: Store | None = None,
        sandbox: SandboxHost | None = None,
        config_path: Path | None = None,
        telemetry: Any = None,
        log_buffer: Any = None,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.settings = settings
        self.vault = vault
        self.store = store
        self.sandbox = sandbox or SandboxHost()
        self.config_path = config_path
        self.telemetry = telemetry
        self.log_buffer = log_buffer
        self.outbox: Any = None
        self.error_presenter: Any = None  # ui.errors.ErrorPresenter, set by the application
        self.translations: Any = None  # ui.translations.TranslationManager
        self.theme: Any = None  # ui.theme.ThemeManager
        self._services: ProfileServices | None = None
        self._offline_profile: ServerProfile | None = None
        self._offline_mode = False
        self._online: bool | None = None
        self._rate_limit: RateLimitState | None = None
        self._data_age: datetime | None = None
        self._outbox_count = 0
        self._expiry_reported = False
        self._last_accounts: dict[str, str] = {}
        self._offline_account: str | None = None  # whose scope offline review shows
        self._scope: str | None = None
        self.pending_resync = False
        self._request_seen.connect(self._on_request, Qt.ConnectionType.QueuedConnection)
        self._session_event.connect(self._on_session_event, Qt.ConnectionType.QueuedConnection)
        self._age_timer = QTimer(self)
        self._age_timer.setInterval(60_000)
        self._age_timer.timeout.connect(self.refresh_data_age)
        self._age_timer.start()
        prune_audit_trail(self)

    # ------------------------------------------------------------------ read-only state

    @property
    def services(self) -> ProfileServices | None:
        return self._services

    @property
    def profile(self) -> ServerProfile | None:
        """The profile being worked on: connected, or reviewed offline."""
        if self._services is not None:
            return self._services.profile
        return self._offline_profile

    @property
    def client(self) -> ApiClient | None:
        return self._services.client if self._services else None

    @property
    def api(self) -> Api | None:
        return self._services.api if self._services else None

    @property
    def session(self) -> Session | None:
        return self._services.session if self._services else None

    @property
    def session_info(self) -> SessionInfo | None:
        session = self.session
        return session.info if session is not None else None

    @property
    def is_admin(self) -> bool:
        session = self.session
        return bool(session is not None and session.is_admin)

    @property
    def scope_account(self) -> str | None:
        """Whose per-caller records (credit history, juror cases, queued edits) the pages
        show: the signed-in account's, or in offline review the chosen one's; None: nobody's."""
        return self._scope

    def _update_scope(self) -> None:
        info = self.session_info
        if info is not None and not self._expiry_reported:
            scope: str | None = info.user_id
        elif self._offline_mode:
            scope = self._offline_account
        else:
            scope = None
        if scope != self._scope:
            self._scope = scope
            self.scope_changed.emit(scope)

    def set_offline_account(self, user_id: str | None) -> None:
        """Review the local data of another account of this profile (offline review)."""
        self._offline_account = user_id
        self._update_scope()

    @property
    def offline_mode(self) -> bool:
        """The user chose to review local data without connecting."""
        return self._offline_mode

    @property
    def online(self) -> bool | None:
        """Whether the server answered lately (None: not known yet; False in offline mode)."""
        return False if self._offline_mode else self._online

    @property
    def can_send(self) -> bool:
        """Whether a change would go to the server now (otherwise it waits in the outbox):
        signed in, not in offline mode, and the server not known to be unreachable."""
        return not self.offline_mode and self.session_info is not None and self.online is not False

    @property
    def rate_limit(self) -> RateLimitState | None:
        return self._rate_limit

    @property
    def data_age(self) -> datetime | None:
        return self._data_age

    @property
    def outbox_count(self) -> int:
        return self._outbox_count

    @property
    def profile_name(self) -> str | None:
        profile = self.profile
        return profile.name if profile is not None else None

    # ------------------------------------------------------------------ profiles

    def activate_profile(self, profile: ServerProfile, base_url: str | None = None) -> Session:
        """Build and install `profile`'s services right here (tests and scripts; the UI uses
        `connect_profile`, which builds them in the background)."""
        url = base_url or self.resolve_url(profile) or profile.url
        current = self._services
        if current is not None and current.matches(profile, url):
            self._leave_offline_mode()
            return current.session
        return self.install_services(build_services(profile, url, self.vault.vault))

    def connect_profile(
        self,
        profile: ServerProfile,
        *,
        on_done: Callable[[Session], object],
        on_error: Callable[[BaseException], object] | None = None,
        parent: QObject | None = None,
    ) -> TaskHandle:
        """Make `profile` the active one: start the embedded sandbox if it is the sandbox
        preset, build its client and session off the GUI thread, then install them."""
        sandbox, vault, current = self.sandbox, self.vault.vault, self._services

        def work() -> ProfileServices:
            url = sandbox.start() if profile.is_sandbox else profile.url
            if current is not None and current.matches(profile, url):
                return current
            return build_services(profile, url, vault)

        def done(services: ProfileServices) -> None:
            on_done(self.install_services(services))

        return run_task(
            work,
            on_done=done,
            on_error=on_error,
            parent=parent or self,
            name=f"connect to {profile.name}",
        )

    def install_services(self, services: ProfileServices) -> Session:
        """Make already-built `services` the active profile's (GUI thread)."""
        if services is self._services:
            self._leave_offline_mode()
            return services.session
        self.close_profile()
        client, session = services.client, services.session
        services._detach.append(client.add_listener(self._request_seen.emit))
        services._detach.append(
            session.add_listener(lambda event, info: self._session_event.emit(event, info))
        )
        if self.telemetry is not None and hasattr(self.telemetry, "api_breadcrumb"):
            services._detach.append(client.add_listener(self.telemetry.api_breadcrumb))
        self._services = services
        logs.set_active_profile(services.profile.name)
        self._offline_profile = None
        self._expiry_reported = False
        self._leave_offline_mode()
        self._update_scope()
        self._online = None
        self._set_rate_limit(None)
        self.profile_changed.emit(services.profile)
        self.refresh_data_age()
        log.info("profile %s active at %s", services.profile.name, services.base_url)
        return session

    def close_profile(self) -> None:
        """Drop the active profile's services (the session stays in the keyring)."""
        services, self._services = self._services, None
        if services is None:
            return
        services.close()
        self._update_scope()
        self.session_changed.emit(None)

    def enter_offline_mode(self, profile: ServerProfile | None, account: str | None = None) -> None:
        """Review local data of `profile` without any network traffic, in the scope of
        `account` (a user id; see `accounts.last_used` for the usual choice)."""
        self.close_profile()
        self._offline_profile = profile
        self._offline_account = account
        logs.set_active_profile(profile.name if profile else None)
        if not self._offline_mode:
            self._offline_mode = True
            self.offline_mode_changed.emit(True)
        self._update_scope()
        self.online_changed.emit(False)
        self.profile_changed.emit(profile)
        self.refresh_data_age()
        if account is None and profile is not None:
            recall_offline_account(self, profile.name)

    def _leave_offline_mode(self) -> None:
        if self._offline_mode:
            self._offline_mode = False
            self._offline_account = None
            self.offline_mode_changed.emit(False)
            self._update_scope()

    def resolve_url(self, profile: ServerProfile) -> str | None:
        """The address to use for `profile`: the running sandbox's for the sandbox preset."""
        if profile.is_sandbox:
            return self.sandbox.url
        return profile.url

    def last_account(self, profile: ServerProfile) -> str | None:
        """The account to suggest at the login: the last one used with `profile` in this
        run, else the remembered one."""
        return self._last_accounts.get(profile.name) or profile.account

    def remember_account(self, profile: ServerProfile, account: str) -> None:
        """Remember the e-mail (never the password) and make `profile` the active one."""
        profiles = []
        for existing in self.settings.profiles:
            if existing.name == profile.name:
                existing = existing.model_copy(update={"account": account})
            profiles.append(existing)
        self.settings.profiles = profiles
        self.settings.active_profile = profile.name
        self.save_settings()

    # ------------------------------------------------------------------ session

    def request_login(self, message: str = "") -> None:
        self.login_requested.emit(message)

    def expire_session(self, error: BaseException | None = None) -> None:
        """A 401 that a refresh could not cure: forget the session, reopen the login once."""
        session = self.session
        if session is not None and session.authenticated and isinstance(error, AuthExpired):
            session.mark_expired(error)  # clears the tokens from memory and the keyring
        if self._expiry_reported:
            return
        self._expiry_reported = True
        self._update_scope()
        self.session_changed.emit(None)
        self.session_expired.emit(
            translate("Login", "Your session has expired. Sign in again to continue.")
        )

    def session_restarted(self) -> None:
        """The login succeeded again after an expiry."""
        self._expiry_reported = False
        self._update_scope()

    def logout(self) -> None:
        """Sign out in the background (revoking the refresh token on the server)."""
        session = self.session
        if session is None or not session.authenticated:
            return
        run_task(session.logout, parent=self, name="log out")

    def _on_session_event(self, event: SessionEvent, info: SessionInfo | None) -> None:
        if event is SessionEvent.EXPIRED:
            self.expire_session()
            return
        if event is SessionEvent.LOGGED_IN:
            self._expiry_reported = False
            if info is not None:
                self._last_accounts[info.profile] = info.account
                remember_account_in_store(self.store, info, parent=self)
            self._set_user(info)
        elif event is SessionEvent.LOGGED_OUT:
            self._set_user(None)
        self._update_scope()
        self.session_changed.emit(info)

    def _set_user(self, info: SessionInfo | None) -> None:
        """Tell error reporting who is signed in (id and role; e-mail only if opted in)."""
        telemetry = self.telemetry
        if telemetry is None:
            return
        try:
            if info is None:
                telemetry.clear_user()
            else:
                telemetry.set_user(info.user_id, info.role, info.email)
        except Exception:  # telemetry must never break the app
            log.debug("telemetry user update failed", exc_info=True)

    # ------------------------------------------------------------------ network state

    def _on_request(self, event: RequestEvent) -> None:
        if event.rate_limit is not None:
            self._set_rate_limit(event.rate_limit)
        if event.status is not None:
            self._set_online(True)
        elif event.error in _OFFLINE_ERRORS:
            self._set_online(False)

    def report_reachability(self, reachable: bool) -> None:
        """What a health poll found out (the probe bypasses the request listeners)."""
        self._set_online(reachable)

    def _set_online(self, online: bool | None) -> None:
        if online == self._online:
            return
        self._online = online
        if online is not None and not self._offline_mode:
            self.online_changed.emit(online)

    def _set_rate_limit(self, state: RateLimitState | None) -> None:
        self._rate_limit = state
        self.rate_limit_changed.emit(state)

    # ------------------------------------------------------------------ local data

    def refresh_data_age(self) -> None:
        """Recompute how old the active profile's local data is (in the background)."""
        store, name = self.store, self.profile_name
        if store is None or name is None:
            self._set_data_age(None)
            return
        run_task(
            oldest_complete_sync,
            store,
            name,
            on_done=lambda result: self._set_data_age(result[0]),
            on_error=lambda exc: log.info("cannot read the data age: %s", exc),
            parent=self,
            name="data age",
        )

    def _set_data_age(self, when: datetime | None) -> None:
        self._data_age = when
        self.data_age_changed.emit(when)

    def set_outbox(self, outbox: Any) -> None:
        """Attach the outbox of queued edits (its pending count feeds the status bar)."""
        self.outbox = outbox
        self.refresh_outbox_count()

    def refresh_outbox_count(self) -> None:
        """Count the queued edits of the active profile (off the GUI thread)."""
        outbox = self.outbox
        if outbox is None:
            self.set_outbox_count(0)
            return
        run_task(
            outbox.count,
            on_done=lambda count: self.set_outbox_count(int(count or 0)),
            on_error=lambda exc: log.info("cannot count pending changes: %s", exc),
            parent=self,
            name="outbox count",
        )

    def set_outbox_count(self, count: int) -> None:
        if count != self._outbox_count:
            self._outbox_count = count
            self.outbox_changed.emit(count)

    def request_resync(self) -> None:
        """Ask for a full synchronisation (after the store was replaced by an empty one);
        `pending_resync` stays set until the sync page clears it."""
        self.pending_resync = True
        self.resync_requested.emit()

    # ------------------------------------------------------------------ settings, errors

    def save_settings(self) -> None:
        """Persist the settings in the background (a copy, so later edits cannot race)."""
        snapshot = self.settings.model_copy(deep=True)
        path = self.config_path or self.settings.source_path
        run_task(
            save_settings,
            snapshot,
            path,
            on_error=self.report_error,
            parent=self,
            name="save settings",
        )
        self.settings_changed.emit()

    def report_error(
        self,
        exc: BaseException,
        *,
        retry: Callable[[], object] | None = None,
        parent: QObject | None = None,
    ) -> None:
        """Show `exc` in the error dialog (or reopen the login for an expired session)."""
        presenter = self.error_presenter
        if presenter is None:
            log.error("error with no presenter: %s", exc)
            return
        presenter.present(exc, retry=retry, parent=parent)

    def notify(self, title: str, text: str) -> None:
        """A desktop notification (tray balloon, or the status bar without a tray), unless
        the user muted notifications."""
        if self.settings.health.muted:
            return
        self.notification.emit(title, text)

    @property
    def notifications_muted(self) -> bool:
        return self.settings.health.muted

    def set_notifications_muted(self, muted: bool) -> None:
        if muted != self.settings.health.muted:
            self.settings.health.muted = muted
            self.save_settings()

    # ------------------------------------------------------------------ shutdown

    def shutdown(self) -> None:
        """Close per-profile services, the store and the sandbox (at quit)."""
        self._age_timer.stop()
        self.close_profile()
        if self.store is not None:
            try:
                self.store.close()
            except Exception:
                log.debug("closing the store failed", exc_info=True)
        self.sandbox.stop()
