"""Every resource call against the sandbox: the real shapes parse into the typed models, and
the server's quirks come back as the documented typed errors."""

from __future__ import annotations

from typing import Any

import pytest

from tests.services.remote.api.conftest import ClientFactory, login
from viva_desktop.sandbox import SandboxServer
from viva_desktop.sandbox.seed import (
    ADMIN_EMAIL,
    APPROVAL_COMMUNITY_SLUG,
    CITIZEN_EMAIL,
    COORDINATOR_EMAIL,
    DEMO_PASSWORD,
    PRIVATE_COMMUNITY_SLUG,
)
from viva_desktop.services.remote.api import Api
from viva_desktop.services.remote.api.errors import (
    DuplicateEmail,
    DuplicateGrant,
    Forbidden,
    ForbiddenReason,
    InvalidInput,
    NotFound,
    UnknownOutcome,
)
from viva_desktop.services.remote.api.models import (
    EventInput,
    OfferInput,
    SocialPostInput,
    UserUpdate,
    VivaModel,
)

UNKNOWN_ID = "00000000-0000-4000-8000-000000000000"


def same_keys(model: VivaModel, raw: dict[str, Any]) -> None:
    """Nothing the server sent is lost: the model gives back exactly the keys it got."""
    assert set(model.to_wire()) == set(raw)


# --------------------------------------------------------------------------- reads


def test_health(admin: Api) -> None:
    ping = admin.health.ping()
    status = admin.health.status()
    assert ping.status == "ok"
    assert ping.timestamp is not None
    assert ping.timestamp.tzinfo is not None
    assert status.status in ("healthy", "degraded", "unhealthy")
    assert status.database_status in ("up", "degraded", "down")
    assert status.database is not None
    assert status.database.connected


def test_users(admin: Api) -> None:
    me = admin.users.find_by_email(ADMIN_EMAIL)
    assert me is not None
    profile = admin.users.get(me.id)
    assert profile.email == ADMIN_EMAIL
    assert profile.role == "ADMIN"
    assert profile.model_extra is not None
    assert "password" not in profile.model_extra
    maria = admin.users.find_by_email(CITIZEN_EMAIL)
    assert maria is not None
    other = admin.users.get(maria.id)
    assert other.skills
    assert other.skills[0].name
    assert other.community is None or other.community.id == other.community_id
    raw = admin.client.get(f"/users/{maria.id}").data
    same_keys(other, raw)


def test_unknown_user_is_not_found_and_unknown_email_is_none(admin: Api) -> None:
    with pytest.raises(NotFound) as caught:
        admin.users.get(UNKNOWN_ID)
    assert caught.value.details.status == 200  # the server's empty 200 (D4)
    assert admin.users.find_by_email("nobody@example.org") is None


def test_communities(admin: Api) -> None:
    public = admin.communities.list()
    assert public
    assert all(c.visibility != "PRIVATE" for c in public)
    centro = next(c for c in public if c.slug == "pamplona-centro")
    assert centro.member_count >= 1  # from _count.User, not the stale membersCount
    assert centro.created_at is not None
    raw = admin.client.get("/communities", authenticated=False).data
    same_keys(public[0], raw[0])
    private = admin.communities.list(visibility="PRIVATE")
    assert any(c.slug == PRIVATE_COMMUNITY_SLUG for c in private)
    assert admin.communities.list(search="zzz-no-such-place") == []
    detail = admin.communities.by_slug("pamplona-centro")
    assert detail.id == centro.id
    assert admin.communities.get(centro.id).name == centro.name
    assert detail.is_member is False  # never identified (D11)
    members = admin.communities.members(centro.id)
    assert members
    assert all(m.id and m.name for m in members)
    with pytest.raises(NotFound):
        admin.communities.get(UNKNOWN_ID)
    with pytest.raises(NotFound):
        admin.communities.by_slug("no-such-slug")


def test_private_community_detail_is_restricted(admin: Api) -> None:
    detail = admin.communities.by_slug(PRIVATE_COMMUNITY_SLUG)
    assert detail.restricted
    assert detail.visibility == "PRIVATE"


def test_membership_requests_need_community_reputation(
    readonly_sandbox: SandboxServer, make_client: ClientFactory, admin: Api
) -> None:
    community = admin.communities.by_slug(APPROVAL_COMMUNITY_SLUG)
    with pytest.raises(Forbidden) as caught:
        admin.communities.membership_requests(community.id)
    assert caught.value.reason is ForbiddenReason.COMMUNITY
    coordinator, _ = login(make_client(readonly_sandbox.url), COORDINATOR_EMAIL, DEMO_PASSWORD)
    pending = coordinator.communities.membership_requests(community.id)
    assert pending
    assert all(r.user_id for r in pending)


def test_offers(admin: Api) -> None:
    offers = admin.offers.list()
    assert offers
    assert all(o.status == "ACTIVE" for o in offers)
    assert offers[0].user is not None
    same_keys(offers[0], admin.client.get("/offers", authenticated=False).data[0])
    services = admin.offers.list(type="SERVICE")
    assert services
    assert all(o.type == "SERVICE" for o in services)
    detail = admin.offers.get(offers[0].id)
    assert detail.id == offers[0].id
    assert detail.user is not None
    assert detail.user.email  # owner contact data is public (S3)
    assert isinstance(admin.offers.mine(), list)


def test_unknown_offer_is_not_found_with_and_without_the_defect(
    readonly_sandbox: SandboxServer, sandbox_fixed: SandboxServer, make_client: ClientFactory
) -> None:
    with pytest.raises(NotFound) as defect:
        Api(make_client(readonly_sandbox.url)).offers.get(UNKNOWN_ID)
    assert defect.value.details.status == 500  # D3
    with pytest.raises(NotFound) as fixed:
        Api(make_client(sandbox_fixed.url)).offers.get(UNKNOWN_ID)
    assert fixed.value.details.status == 404


def test_events(admin: Api) -> None:
    events = admin.events.list(limit=100)
    assert events
    starts = [e.starts_at for e in events]
    assert starts == sorted(starts)
    assert events[0].user is not None
    assert events[0].attendee_count == len(events[0].attendees)
    assert admin.events.get(events[0].id).title == events[0].title
    mine = admin.events.mine()
    assert mine
    attendance = admin.events.attendees(mine[0].id)
    assert attendance.stats.total == len(attendance.attendees)
    someone_elses = next(e for e in events if e.organizer_id != mine[0].organizer_id)
    with pytest.raises(Forbidden):  # organizer only, ADMIN not exempt
        admin.events.attendees(someone_elses.id)
    with pytest.raises(NotFound):
        admin.events.get(UNKNOWN_ID)


def test_posts_and_feed(admin: Api) -> None:
    posts = admin.posts.list(limit=5, offset=0)
    assert 0 < len(posts) <= 5
    assert posts[0].user is not None
    same_keys(posts[0], admin.client.get("/posts?limit=5&offset=0", authenticated=False).data[0])
    assert admin.posts.get(posts[0].id).id == posts[0].id
    feed = admin.social.feed(limit=3)
    assert len(feed.data) <= 3
    public = next(p for p in feed.data if p.visibility == "PUBLIC")
    assert admin.social.get_post(public.id).id == public.id
    with pytest.raises(NotFound):
        admin.posts.get(UNKNOWN_ID)


def test_credits(admin: Api) -> None:
    balance = admin.credits.balance()
    assert balance.balance >= 0
    assert balance.level is not None
    transactions = admin.credits.transactions(limit=10)
    assert transactions
    assert all(t.created_at is not None for t in transactions)
    top = admin.credits.leaderboard(5)
    assert 0 < len(top) <= 5
    assert [t.credits for t in top] == sorted((t.credits for t in top), reverse=True)


def test_search(admin: Api) -> None:
    result = admin.search.query("compost")
    assert result.total_results == len(result.offers) + len(result.events)
    assert result.total_results > 0


def test_notifications(admin: Api) -> None:
    notes = admin.notifications.list(limit=50)
    assert notes
    assert all(n.type and n.created_at for n in notes)


def test_analytics_for_the_admin(admin: Api) -> None:
    from datetime import date, timedelta

    metrics = admin.analytics.metrics(date.today() - timedelta(days=365), date.today())
    assert metrics.participants.active_users > 0
    assert metrics.co2_avoided.unit == "kg"
    series = admin.analytics.timeseries()
    assert all(len(p.period) == 7 for p in series)
    csv = admin.analytics.export_csv()
    assert csv.splitlines()[0] == "Metric,Value,Unit"
    assert len(csv.strip().splitlines()) == 8


def test_analytics_refuses_a_citizen(
    readonly_sandbox: SandboxServer, make_client: ClientFactory
) -> None:
    citizen, _ = login(make_client(readonly_sandbox.url), CITIZEN_EMAIL, DEMO_PASSWORD)
    with pytest.raises(Forbidden) as caught:
        citizen.analytics.metrics()
    assert caught.value.reason is ForbiddenReason.ROLE


def test_moderation_queue(admin: Api) -> None:
    cases = admin.moderation.pending()
    assert cases
    case = cases[0]
    assert case.status == "VOTING"
    assert case.stats is not None
    assert case.stats.quorum == 5
    assert case.deadline is not None


def test_pool_requests(admin: Api) -> None:
    requests = admin.pool_requests.list()
    assert requests
    assert admin.pool_requests.get(requests[0].id).id == requests[0].id
    pending = admin.pool_requests.list(status="PENDING")
    assert all(r.status == "PENDING" for r in pending)


# --------------------------------------------------------------------------- writes


@pytest.fixture
def fresh_admin(sandbox: SandboxServer, make_client: ClientFactory) -> Api:
    api, _ = login(make_client(sandbox.url), ADMIN_EMAIL, DEMO_PASSWORD)
    return api


@pytest.fixture
def fixed_admin(sandbox_fixed: SandboxServer, make_client: ClientFactory) -> Api:
    api, _ = login(make_client(sandbox_fixed.url), ADMIN_EMAIL, DEMO_PASSWORD)
    return api


OFFER = OfferInput(
    title="Bicicleta de paseo",
    description="Revisada y lista para usar",
    category="Transporte",
    type="PRODUCT",
    price_credits=20,
    tags=["bici"],
)


def test_creating_an_offer_upstream_is_an_unknown_outcome(fresh_admin: Api) -> None:
    with pytest.raises(UnknownOutcome):  # D1: every valid create answers 500
        fresh_admin.offers.create(OFFER)


def test_offer_lifecycle_on_a_fixed_server(fixed_admin: Api) -> None:
    created = fixed_admin.offers.create(OFFER)
    assert created.title == OFFER.title
    assert created.price_credits == 20
    updated = fixed_admin.offers.update(created.id, {"title": "Bicicleta urbana"})
    assert updated.title == "Bicicleta urbana"
    cancelled = fixed_admin.offers.delete(created.id)
    assert cancelled.status == "CANCELLED"


def test_unverified_citizen_cannot_create_offers(
    sandbox: SandboxServer, make_client: ClientFactory
) -> None:
    citizen, _ = login(make_client(sandbox.url), CITIZEN_EMAIL, DEMO_PASSWORD)
    with pytest.raises(Forbidden) as caught:
        citizen.offers.create(OFFER)
    assert caught.value.reason is ForbiddenReason.EMAIL_NOT_VERIFIED


def test_invalid_offer_is_rejected(fixed_admin: Api) -> None:
    with pytest.raises(InvalidInput) as caught:
        fixed_admin.offers.create({"title": "x", "type": "NOT_A_TYPE", "priceEur": -1})
    assert caught.value.field_errors == {}


def test_event_lifecycle_on_a_fixed_server(fixed_admin: Api) -> None:
    from datetime import UTC, datetime, timedelta

    starts = datetime.now(UTC) + timedelta(days=3)
    event = fixed_admin.events.create(
        EventInput(
            title="Reparación de bicis",
            description="Trae tu bici",
            starts_at=starts,
            ends_at=starts + timedelta(hours=2),
            address="Plaza del Castillo",
            lat=42.8169,
            lng=-1.6432,
            capacity=10,
        )
    )
    assert event.title == "Reparación de bicis"
    assert event.starts_at is not None
    assert abs((event.starts_at - starts).total_seconds()) < 1
    updated = fixed_admin.events.update(event.id, EventInput(capacity=12))
    assert updated.capacity == 12
    fixed_admin.events.delete(event.id)
    with pytest.raises(NotFound):
        fixed_admin.events.get(event.id)


def test_post_and_social_writes(
    sandbox: SandboxServer, make_client: ClientFactory, fresh_admin: Api
) -> None:
    post = fresh_admin.posts.create({"content": "Hola vecinos", "type": "STORY"})
    assert post.content == "Hola vecinos"
    edited = fresh_admin.posts.update(post.id, {"content": "Hola, vecinos"})
    assert edited.content == "Hola, vecinos"
    citizen, _ = login(make_client(sandbox.url), CITIZEN_EMAIL, DEMO_PASSWORD)
    with pytest.raises(Forbidden) as caught:  # the server's 401 for non-authors (D8)
        citizen.posts.update(post.id, {"content": "not mine"})
    assert caught.value.reason is ForbiddenReason.OWNERSHIP
    assert citizen.client.auth is not None
    assert citizen.client.auth.access_token() is not None  # the session survived
    assert fresh_admin.posts.delete(post.id).message

    social = fresh_admin.social.create_post(
        SocialPostInput(content="Nueva huerta #verde", visibility="PUBLIC")
    )
    comment = citizen.social.comment(social.id, "¡Qué bien!")
    assert comment.content == "¡Qué bien!"
    reaction = citizen.social.react(social.id, "SUPPORT")
    assert reaction.type == "SUPPORT"
    assert citizen.social.react(social.id, "THANKS").type == "THANKS"  # one per user
    citizen.social.unreact(social.id)
    assert citizen.social.delete_comment(comment.id).message
    fresh_admin.social.delete_post(social.id)
    with pytest.raises(NotFound):
        fresh_admin.social.get_post(social.id)


def test_grant_credits_once_per_related_id(fresh_admin: Api) -> None:
    maria = fresh_admin.users.find_by_email(CITIZEN_EMAIL)
    assert maria is not None
    before = fresh_admin.users.get(maria.id).credits or 0
    result = fresh_admin.credits.grant(maria.id, 7, related_id="test-grant-1", description="x")
    assert result.amount == 7
    assert result.new_balance == before + 7
    assert result.transaction is not None
    assert result.transaction.related_id == "test-grant-1"
    with pytest.raises(DuplicateGrant):
        fresh_admin.credits.grant(maria.id, 7, related_id="test-grant-1")
    auto = fresh_admin.credits.grant(maria.id, 1)
    assert auto.transaction is not None
    assert auto.transaction.related_id
    assert fresh_admin.users.get(maria.id).credits == before + 8


def test_update_own_profile(fresh_admin: Api) -> None:
    me = fresh_admin.users.find_by_email(ADMIN_EMAIL)
    assert me is not None
    updated = fresh_admin.users.update(me.id, UserUpdate(bio="Nueva biografía", lat=42.8))
    assert updated.bio == "Nueva biografía"
    assert "password" not in (updated.model_extra or {})  # the reply's hash is dropped
    assert fresh_admin.users.get(me.id).bio == "Nueva biografía"


def test_notifications_can_be_marked_read(fresh_admin: Api) -> None:
    unread = [n for n in fresh_admin.notifications.list(limit=50) if not n.read]
    assert unread
    marked = fresh_admin.notifications.mark_read(unread[0].id)
    assert marked.read
    assert marked.read_at is not None
    assert fresh_admin.notifications.mark_all_read() == len(unread) - 1
    assert all(n.read for n in fresh_admin.notifications.list(limit=50))


def test_moderation_vote_and_report(fresh_admin: Api) -> None:
    case = fresh_admin.moderation.pending()[0]
    vote = fresh_admin.moderation.vote(case.id, "KEEP", "Sin pruebas")
    assert vote.decision == "KEEP"
    assert vote.dao_id == case.id
    with pytest.raises(InvalidInput):  # "Ya has votado en esta moderación"
        fresh_admin.moderation.vote(case.id, "REMOVE")
    post = fresh_admin.posts.list(limit=1, offset=0)[0]
    opened = fresh_admin.moderation.report(post.id, "POST", "Prueba de denuncia")
    assert opened.id.startswith(f"dao-{post.id}-")
    assert opened.status == "VOTING"


def test_membership_decisions(sandbox: SandboxServer, make_client: ClientFactory) -> None:
    coordinator, _ = login(make_client(sandbox.url), COORDINATOR_EMAIL, DEMO_PASSWORD)
    community = coordinator.communities.by_slug(APPROVAL_COMMUNITY_SLUG)
    first, second = coordinator.communities.membership_requests(community.id)[:2]
    assert coordinator.communities.approve_request(community.id, first.id, "Bienvenida").message
    assert coordinator.communities.reject_request(community.id, second.id).message
    remaining = {r.id for r in coordinator.communities.membership_requests(community.id)}
    assert first.id not in remaining
    assert second.id not in remaining
    with pytest.raises(InvalidInput):  # "Request has already been approved"
        coordinator.communities.approve_request(community.id, first.id)


def test_pool_request_decisions(fresh_admin: Api) -> None:
    pending = fresh_admin.pool_requests.list(status="PENDING")
    assert len(pending) >= 2
    approved = fresh_admin.pool_requests.approve(pending[0].id)
    assert approved.success
    assert fresh_admin.pool_requests.get(pending[0].id).status == "APPROVED"
    distributed = fresh_admin.pool_requests.distribute(pending[0].id)
    assert distributed.success
    assert fresh_admin.pool_requests.reject(pending[1].id).success
    assert fresh_admin.pool_requests.get(pending[1].id).status == "REJECTED"


def test_register_and_duplicate_email(sandbox: SandboxServer, make_client: ClientFactory) -> None:
    api = Api(make_client(sandbox.url))
    reply = api.auth.register("Nueva Vecina", "nueva@example.org", "secreto1")
    assert reply.user is not None
    assert reply.user.email == "nueva@example.org"
    assert reply.refresh_token
    with pytest.raises(DuplicateEmail) as caught:
        api.auth.register("Otra", "nueva@example.org", "secreto2")
    assert caught.value.user_message == "This email may already be registered."
