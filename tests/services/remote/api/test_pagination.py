"""One paginator for every list style, with markers that survive a restart."""

from __future__ import annotations

import itertools
import json
from typing import Any

import pytest

from tests.services.remote.api.conftest import ClientFactory, Recorder, login
from viva_desktop.sandbox import SandboxServer
from viva_desktop.sandbox.seed import ADMIN_EMAIL, CITIZEN_EMAIL, DEMO_PASSWORD
from viva_desktop.services.common.cancel import CancelToken
from viva_desktop.services.remote.api import Api, Page, Paginator
from viva_desktop.services.remote.api.errors import Cancelled


def ids(items: list[Any]) -> list[str]:
    return [item.id for item in items]


def check_walk(paginator: Paginator[Any], everything: list[Any], size: int) -> list[Page[Any]]:
    """The pages cover the whole list exactly once, and every marker resumes where it says."""
    assert len(everything) > size, "the seed must hold more than one page"
    pages = list(paginator.pages(page_size=size))
    assert [i for p in pages for i in ids(p.items)] == ids(everything)
    assert pages[-1].next_marker is None
    assert all(p.next_marker is not None for p in pages[:-1])
    assert all(len(p.items) <= size for p in pages)
    for before, after in itertools.pairwise(pages):
        assert after.marker == before.next_marker
    # A marker stored as JSON (as the sync engine does) resumes the walk at that page.
    stored = json.loads(json.dumps(pages[1].marker))
    resumed = list(paginator.items(page_size=size, start=stored))
    assert ids(resumed) == ids(everything)[len(pages[0].items) :]
    return pages


def test_limit_offset_with_total(admin: Api, recorder: Recorder) -> None:
    everything = admin.events.list(limit=1000)
    pages = check_walk(admin.events.paginator(), everything, 3)
    assert pages[0].marker == {"offset": 0}
    assert pages[1].marker == {"offset": 3}
    assert {p.total for p in pages} == {len(everything)}
    assert admin.events.paginator().style == "offset+total"
    sent = [e.path for e in recorder.events if e.path.startswith("/events")]
    assert "/events?limit=3&offset=0" in sent  # explicit limit and offset, always


def test_bare_array_stops_on_a_short_page(admin: Api, recorder: Recorder) -> None:
    everything = admin.posts.list(limit=1000, offset=0)
    pages = check_walk(admin.posts.paginator(), everything, 4)
    assert len(pages[-1].items) < 4 or pages[-1].items == []
    filtered = list(admin.posts.paginator(type="STORY").items(page_size=2))
    assert filtered
    assert all(p.type == "STORY" for p in filtered)


def test_cursor_feed(admin: Api) -> None:
    everything = admin.social.feed(limit=1000).data
    pages = check_walk(admin.social.paginator(), everything, 3)
    assert pages[1].marker == {"cursor": pages[0].items[-1].id}
    assert admin.social.paginator().style == "cursor"


def test_credit_transactions(sandbox: SandboxServer, make_client: ClientFactory) -> None:
    admin, _ = login(make_client(sandbox.url), ADMIN_EMAIL, DEMO_PASSWORD)
    me = admin.users.find_by_email(ADMIN_EMAIL)
    assert me is not None
    for n in range(4):
        admin.credits.grant(me.id, 1 + n)  # the admin's own history grows
    everything = admin.credits.transactions(limit=1000)
    pages = check_walk(admin.credits.paginator(), everything, 2)
    assert {p.total for p in pages} == {len(everything)}


def test_limit_only_notifications(
    readonly_sandbox: SandboxServer, make_client: ClientFactory
) -> None:
    citizen, _ = login(make_client(readonly_sandbox.url), CITIZEN_EMAIL, DEMO_PASSWORD)
    everything = citizen.notifications.list(limit=1000)
    check_walk(citizen.notifications.paginator(), everything, 2)


def test_unpaged_lists_are_one_page(admin: Api) -> None:
    for paginator, everything in (
        (admin.offers.paginator(), admin.offers.list()),
        (admin.communities.paginator(), admin.communities.list()),
    ):
        pages = list(paginator.pages(page_size=2))
        assert len(pages) == 1
        assert ids(pages[0].items) == ids(everything)
        assert pages[0].next_marker is None
        assert pages[0].total == len(everything)
    services = list(admin.offers.paginator(type="SERVICE").items())
    assert services
    assert all(o.type == "SERVICE" for o in services)


def test_foreign_markers_are_refused(admin: Api) -> None:
    with pytest.raises(ValueError, match="offset"):
        next(admin.events.paginator().pages(start={"offset": -1}))
    with pytest.raises(ValueError, match="cursor"):
        next(admin.social.paginator().pages(start={"cursor": 5}))
    with pytest.raises(ValueError, match="page_size"):
        next(admin.events.paginator().pages(page_size=0))


def test_cancel_between_pages(admin: Api) -> None:
    token = CancelToken()
    pages = admin.events.paginator().pages(page_size=2, cancel=token)
    next(pages)
    token.cancel()
    with pytest.raises(Cancelled):
        next(pages)
