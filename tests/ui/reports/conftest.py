"""The Reports page over a store holding the seeded sandbox, synced as the coordinator."""

from tests.support.synced_review import reviewing, store  # noqa: F401 - the fixtures
