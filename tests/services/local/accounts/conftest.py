"""The store fixtures of `tests/services/local/store`, shared by the account-scope tests."""

from tests.services.local.store.conftest import (  # noqa: F401
    empty_store_url,
    migrated_pg_template,
    store,
    store_url,
)
