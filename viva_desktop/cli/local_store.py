"""What the headless commands over the local store share: opening the store of the
configuration (no network at all), and finding an account of a profile by its e-mail."""

from __future__ import annotations

import argparse
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING

from viva_desktop.cli.common import UsageError, load_config, profile_of

if TYPE_CHECKING:
    from viva_desktop.services.local.store import Store
    from viva_desktop.services.local.store.accounts import Account


@contextmanager
def local_store(args: argparse.Namespace) -> Iterator[tuple[Store, str]]:
    """(the store of `--config`/`--store-url`, the name of `--profile`); a store that cannot
    be opened is a configuration problem (exit 2)."""
    from viva_desktop.services.local.store import StoreError, open_store

    settings = load_config(args.config, store_url=args.store_url)
    profile = profile_of(settings, args.profile)
    try:
        store = open_store(settings.store_url, attempts=1)
    except StoreError as exc:
        raise UsageError(f"the store cannot be opened: {exc.user_message}") from exc
    try:
        yield store, profile.name
    finally:
        store.close()


def account_by_email(store: Store, profile: str, email: str) -> Account:
    """The account of `profile` known in this store by `email` (it signed in, or synced,
    here at least once)."""
    from viva_desktop.services.local.store import accounts

    found = accounts.by_email(store, profile, email)
    if found is None:
        known = ", ".join(sorted(a.label for a in accounts.known(store, profile))) or "none"
        raise UsageError(
            f"--email: {email} has never signed in on profile {profile!r} with this store "
            f"(known: {known})"
        )
    return found
