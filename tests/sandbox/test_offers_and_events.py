"""Offers (6.3) and events (6.4), with the defects switched on and off."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import sqlalchemy as sa

from tests.sandbox.conftest import Api, Session, assert_error
from viva_desktop.sandbox.seed import (
    ADMIN_EMAIL,
    CITIZEN_EMAIL,
    COORDINATOR_EMAIL,
    VERIFIED_CITIZEN_EMAIL,
)

ZERO = "00000000-0000-0000-0000-000000000000"
NEW_OFFER = {
    "title": "Bici",
    "description": "Bici de paseo",
    "type": "PRODUCT",
    "category": "Transporte",
    "priceEur": 20,
}


def iso_in(**delta: float) -> str:
    return (datetime.now(UTC) + timedelta(**delta)).strftime("%Y-%m-%dT%H:%M:%S.000Z")


def test_offer_list_is_active_only_newest_first_and_ignores_limit(api: Api) -> None:
    offers = api.get("/offers").json()
    assert len(offers) >= 25
    assert {o["status"] for o in offers} == {"ACTIVE"}
    created = [o["createdAt"] for o in offers]
    assert created == sorted(created, reverse=True)
    services = api.get("/offers", params={"type": "SERVICE", "limit": 2}).json()
    assert len(services) > 2
    assert {o["type"] for o in services} == {"SERVICE"}
    assert list(services[0]["User"]) == ["id", "name", "avatar"]
    near = api.get("/offers", params={"nearLat": 41.40, "nearLng": 2.16, "maxDistance": 5}).json()
    assert near and all(o["communityId"] == near[0]["communityId"] for o in near)  # noqa: PT018


def test_offer_detail_counts_views_and_shows_owner_contact(api: Api) -> None:
    offer = api.get("/offers").json()[0]
    first = api.get(f"/offers/{offer['id']}").json()
    second = api.get(f"/offers/{offer['id']}").json()
    assert second["views"] == first["views"] + 1 == offer["views"] + 2
    assert "email" in first["User"]
    assert "userIsInterested" not in first
    juan = api.login(VERIFIED_CITIZEN_EMAIL)
    assert api.get(f"/offers/{offer['id']}", juan).json()["userIsInterested"] is False


def test_unknown_offer_is_500_upstream_and_404_when_fixed(api: Api, fixed_api: Api) -> None:
    assert_error(api.get(f"/offers/{ZERO}"), 500, "Internal server error")
    assert_error(fixed_api.get(f"/offers/{ZERO}"), 404, "Offer not found")


def test_create_offer_follows_the_guard_order(api: Api, fixed_api: Api) -> None:
    maria = api.login(CITIZEN_EMAIL)
    admin = api.login(ADMIN_EMAIL)
    assert_error(api.post("/offers", json=NEW_OFFER), 401)
    assert_error(
        api.post("/offers", maria, json={"title": 5}),
        403,
        "Debes verificar tu email para realizar esta acción",
    )
    assert_error(
        api.post("/offers", admin, json={**NEW_OFFER, "priceEur": -1}), 400, "Bad Request Exception"
    )
    assert_error(api.post("/offers", admin, json={**NEW_OFFER, "status": "PAUSED"}), 400)
    assert_error(api.post("/offers", admin, json=NEW_OFFER), 500, "Internal server error")
    fixed_admin = fixed_api.login(ADMIN_EMAIL)
    created = fixed_api.post("/offers", fixed_admin, json={**NEW_OFFER, "priceCredits": "7"})
    assert created.status_code == 201
    row = created.json()
    assert "User" not in row  # the bare row
    assert (row["status"], row["priceCredits"], row["communityId"]) == ("ACTIVE", 7, None)
    assert_error(fixed_api.post("/offers", fixed_admin, json={**NEW_OFFER, "stock": 1.5}), 500)


def test_ownership_update_and_soft_delete(fixed_api: Api) -> None:
    api = fixed_api
    admin, maria = api.login(ADMIN_EMAIL), api.login(CITIZEN_EMAIL)
    offer = api.get("/offers/user/my-offers", admin).json()[0]
    denied = api.put(f"/offers/{offer['id']}", maria, json={"title": "hack"})
    assert_error(denied, 403, "No tienes permisos para modificar este recurso")
    assert_error(
        api.put(f"/offers/{ZERO}", maria, json={"title": "x"}), 404, "Oferta no encontrada"
    )
    updated = api.put(f"/offers/{offer['id']}", admin, json={"title": "Proyector y pantalla"})
    assert updated.json()["title"] == "Proyector y pantalla"
    deleted = api.delete(f"/offers/{offer['id']}", admin)
    assert deleted.status_code == 200
    assert deleted.json()["status"] == "CANCELLED"
    assert offer["id"] not in [o["id"] for o in api.get("/offers").json()]
    assert offer["id"] not in [o["id"] for o in api.get("/offers/user/my-offers", admin).json()]


def test_admin_editing_someone_elses_offer_is_a_500_upstream(api: Api) -> None:
    admin, maria = api.login(ADMIN_EMAIL), api.login(CITIZEN_EMAIL)
    offer = api.get("/offers/user/my-offers", maria).json()[0]
    assert_error(api.put(f"/offers/{offer['id']}", admin, json={"title": "x"}), 500)


def test_my_offers_and_interest_toggle(api: Api) -> None:
    maria, juan = api.login(CITIZEN_EMAIL), api.login(VERIFIED_CITIZEN_EMAIL)
    mine = api.get("/offers/user/my-offers", maria).json()
    assert {o["userId"] for o in mine} == {maria.id}
    assert "OfferInterest" in mine[0]
    offer = mine[0]["id"]
    assert api.post(f"/offers/{offer}/interested", juan).json() == {"interested": True}
    interests = next(
        o for o in api.get("/offers/user/my-offers", maria).json() if o["id"] == offer
    )["OfferInterest"]
    assert juan.id in [i["userId"] for i in interests]
    assert list(interests[0]["User"]) == ["id", "name", "avatar", "email"]
    assert api.post(f"/offers/{offer}/interested", juan).json() == {"interested": False}
    assert_error(api.post(f"/offers/{ZERO}/interested", juan), 500)


def test_event_list_envelope_defaults_and_order(api: Api) -> None:
    body = api.get("/events").json()
    assert list(body) == ["events", "total", "limit", "offset"]
    assert (body["limit"], body["offset"]) == (20, 0)
    starts = [e["startsAt"] for e in body["events"]]
    assert starts == sorted(starts)
    assert all(s >= iso_in(seconds=-5) for s in starts)
    event = body["events"][0]
    assert list(event)[-3:] == ["User", "EventAttendee", "_count"]
    assert "qrCode" in event
    everything = api.get("/events", params={"upcoming": "false", "limit": 2, "offset": 1}).json()
    assert everything["total"] > body["total"]
    assert len(everything["events"]) == 2
    assert_error(api.get("/events", params={"category": "x"}), 500)
    assert_error(api.get("/events", params={"limit": "abc"}), 500)


def test_event_registration_and_organizer_rules(api: Api) -> None:
    admin, maria, juan = (
        api.login(ADMIN_EMAIL),
        api.login(CITIZEN_EMAIL),
        api.login(VERIFIED_CITIZEN_EMAIL),
    )
    events = api.get("/events").json()["events"]
    marias = next(e for e in events if e["organizerId"] == maria.id)
    registered = api.post(f"/events/{marias['id']}/register", admin)
    assert registered.status_code == 201
    assert list(registered.json()["User"]) == ["id", "name", "avatar", "email"]
    assert_error(
        api.post(f"/events/{marias['id']}/register", admin),
        400,
        "Already registered for this event",
    )
    assert api.delete(f"/events/{marias['id']}/register", admin).json() == {"success": True}
    assert_error(
        api.delete(f"/events/{marias['id']}/register", admin), 404, "Registration not found"
    )
    attendees = api.get(f"/events/{marias['id']}/attendees", maria).json()
    assert list(attendees["stats"]) == ["total", "checkedIn", "registered"]
    assert_error(api.get(f"/events/{marias['id']}/attendees", admin), 403)  # ADMIN is not exempt
    denied = api.put(f"/events/{marias['id']}", admin, json={"title": "x"})
    assert_error(denied, 403, "Only the organizer can update this event")
    assert_error(
        api.put(f"/events/{marias['id']}", juan, json={"title": "x"}),
        403,
        "No tienes permisos para modificar este recurso",
    )
    assert_error(
        api.delete(f"/events/{marias['id']}", maria),
        400,
        "Cannot delete event with registered attendees",
    )
    past = api.get("/events", params={"upcoming": "false"}).json()["events"][0]
    assert_error(api.post(f"/events/{past['id']}/register", juan), 400, "Event has already started")
    assert_error(api.get(f"/events/{ZERO}"), 404, "Event not found")


def test_create_event_is_500_upstream_and_works_when_fixed(api: Api, fixed_api: Api) -> None:
    body = {
        "title": "Charla",
        "description": "d",
        "startsAt": iso_in(minutes=30),
        "address": "Plaza",
        "lat": 42.8,
        "lng": -1.6,
    }
    assert_error(api.post("/events", api.login(ADMIN_EMAIL), json=body), 500)
    assert_error(api.post("/events", api.login(CITIZEN_EMAIL), json=body), 403)
    admin = fixed_api.login(ADMIN_EMAIL)
    created = fixed_api.post(
        "/events", admin, json={**body, "type": "IN_PERSON", "capacity": 1}
    ).json()
    assert created["User"]["id"] == admin.id
    assert created["qrCode"].startswith("Charla-")
    juan = fixed_api.login(VERIFIED_CITIZEN_EMAIL)
    assert fixed_api.post(f"/events/{created['id']}/register", juan).status_code == 201
    coordinator = fixed_api.login(COORDINATOR_EMAIL)
    assert_error(
        fixed_api.post(f"/events/{created['id']}/register", coordinator), 400, "Event is full"
    )
    qr = fixed_api.get(f"/events/{created['id']}/qr", admin).json()
    checked = fixed_api.post("/events/checkin", juan, json={"qrToken": qr["qrCode"]})
    assert checked.status_code == 201
    assert checked.json()["creditsAwarded"] == 3
    assert checked.json()["Event"] == {
        "id": created["id"],
        "title": "Charla",
        "type": created["type"],
    }
    assert_error(
        fixed_api.post("/events/checkin", juan, json={"qrToken": qr["qrCode"]}),
        400,
        "You have already checked in",
    )
    assert_error(
        fixed_api.post("/events/checkin", juan, json={"qrToken": "nope"}), 404, "Invalid QR code"
    )
    balance = fixed_api.get("/credits/transactions", juan, params={"limit": 1, "offset": 0}).json()
    assert balance["transactions"][0]["reason"] == "EVENT_ATTENDANCE"
    assert_error(
        fixed_api.delete(f"/events/{created['id']}/register", juan),
        400,
        "Cannot cancel after check-in",
    )


def test_delete_an_event_without_attendees(fixed_api: Api) -> None:
    admin = fixed_api.login(ADMIN_EMAIL)
    mine = fixed_api.get("/events/user/my-events", admin).json()
    empty = next(e for e in mine if e["_count"]["EventAttendee"] == 0)
    assert fixed_api.delete(f"/events/{empty['id']}", admin).json() == {"success": True}
    assert_error(fixed_api.get(f"/events/{empty['id']}"), 404)


def test_my_registrations(api: Api) -> None:
    juan = api.login(VERIFIED_CITIZEN_EMAIL)
    regs = api.get("/events/user/registrations", juan).json()
    assert regs
    assert {r["userId"] for r in regs} == {juan.id}
    assert "_count" in regs[0]["Event"]


def _register_for_upcoming(api: Api, session: Session, count: int) -> list[dict]:
    """Registers, latest event first (so registration order differs from event order), and
    returns the registration rows as the register answer gave them, without its `User`."""
    upcoming = api.get("/events").json()["events"][:count]
    assert len(upcoming) == count
    rows = []
    for event in reversed(upcoming):
        response = api.post(f"/events/{event['id']}/register", session)
        assert response.status_code == 201, response.text
        rows.append({k: v for k, v in response.json().items() if k != "User"})
    return rows


def test_my_registrations_of_several_events_match_the_event_answers(api: Api) -> None:
    """Each registration is the stored row plus the event as `/events/:id` gives it without
    its attendee list, soonest event first, keys in the same order."""
    session = api.register("varias@example.com")
    rows = _register_for_upcoming(api, session, 4)
    expected = []
    for row in rows:
        event = api.get(f"/events/{row['eventId']}").json()
        del event["EventAttendee"]
        expected.append({**row, "Event": event})
    expected.sort(key=lambda item: item["Event"]["startsAt"])
    for params in ({}, {"upcoming": "false"}):
        regs = api.get("/events/user/registrations", session, params=params).json()
        assert regs == expected
        assert json.dumps(regs) == json.dumps(expected)  # key order too


def test_my_registrations_read_the_events_in_one_query(api: Api) -> None:
    """Guards against one more query per registration: however many there are, the events
    table is read once."""
    session = api.register("consultas@example.com")
    _register_for_upcoming(api, session, 4)
    statements: list[str] = []

    def record(_conn, _cursor, statement: str, *_rest) -> None:
        statements.append(statement)

    engine = api.server.state.db.engine
    sa.event.listen(engine, "before_cursor_execute", record)
    try:
        assert len(api.get("/events/user/registrations", session).json()) == 4
    finally:
        sa.event.remove(engine, "before_cursor_execute", record)
    assert len([s for s in statements if '"Event"' in s]) == 1
