"""Users (6.1) and communities (6.2), with the membership rules that depend on reputation."""

from __future__ import annotations

from tests.sandbox.conftest import Api, assert_error
from viva_desktop.sandbox.seed import (
    ADMIN_EMAIL,
    APPROVAL_COMMUNITY_SLUG,
    CITIZEN_EMAIL,
    COORDINATOR_EMAIL,
    PRIVATE_COMMUNITY_SLUG,
    UNVERIFIED_EMAIL,
    VERIFIED_CITIZEN_EMAIL,
)

PROFILE_KEYS = [
    "id", "email", "name", "bio", "avatar", "role", "credits", "semillaBalance", "level",
    "experience", "totalSaved", "hoursShared", "hoursReceived", "co2Avoided", "peopleHelped",
    "peopleHelpedBy", "connectionsCount", "address", "neighborhood", "interests", "Skill",
    "UserBadge", "generosityScore", "flowPower", "communityId", "Community",
]  # fmt: skip


def community_id(api: Api, slug: str) -> str:
    return api.get(f"/communities/slug/{slug}").json()["id"]


def test_profiles_are_readable_by_anyone_logged_in(api: Api) -> None:
    maria = api.login(CITIZEN_EMAIL)
    juan = api.login(VERIFIED_CITIZEN_EMAIL)
    profile = api.get(f"/users/{maria.id}", juan).json()
    assert list(profile) == PROFILE_KEYS
    assert profile["email"] == CITIZEN_EMAIL
    assert len(profile["Skill"]) == 2
    assert list(profile["Community"]) == ["id", "name", "slug", "logo", "lat", "lng"]
    assert_error(api.get(f"/users/{maria.id}"), 401, "Unauthorized")
    unknown = api.get("/users/profile", juan)  # no /users/me: "profile" is just an unknown id
    assert (unknown.status_code, unknown.content) == (200, b"")


def test_update_yourself_returns_the_row_with_the_password_hash(api: Api) -> None:
    maria = api.login(CITIZEN_EMAIL)
    response = api.put(
        f"/users/{maria.id}", maria, json={"bio": "Nueva bio", "interests": ["huerta"]}
    )
    assert response.status_code == 200
    row = response.json()
    assert row["bio"] == "Nueva bio"
    assert row["password"].startswith("pbkdf2_sha256$")
    assert list(row)[:4] == ["id", "email", "phone", "password"]
    assert_error(api.put(f"/users/{maria.id}", maria, json={"lat": 91}), 400)


def test_only_admins_update_other_users(api: Api) -> None:
    maria = api.login(CITIZEN_EMAIL)
    juan = api.login(VERIFIED_CITIZEN_EMAIL)
    assert_error(
        api.put(f"/users/{juan.id}", maria, json={"bio": "x"}),
        403,
        "You can only update your own profile",
    )
    admin = api.login(ADMIN_EMAIL)
    assert api.put(f"/users/{juan.id}", admin, json={"bio": "Revisado"}).json()["bio"] == "Revisado"
    assert_error(
        api.put("/users/00000000-0000-0000-0000-000000000000", admin, json={"bio": "x"}), 500
    )


def test_email_lookup_is_case_insensitive(api: Api) -> None:
    admin = api.login(ADMIN_EMAIL)
    found = api.get("/users/search/email/MARIA@Comunidad.Local", admin).json()
    assert list(found) == ["id", "email", "name", "avatar", "credits"]
    assert found["email"] == CITIZEN_EMAIL


def test_community_list_order_filters_and_private_ones(api: Api) -> None:
    listed = api.get("/communities").json()
    assert len(listed) >= 6
    assert PRIVATE_COMMUNITY_SLUG not in [c["slug"] for c in listed]
    assert all(c["membersCount"] == 0 for c in listed)  # not maintained upstream (D9)
    centro = next(c for c in listed if c["slug"] == "pamplona-centro")
    assert centro["_count"]["User"] >= 5
    assert list(centro["_count"]) == ["User", "Offer", "Event"]
    private = api.get("/communities", params={"visibility": "PRIVATE"}).json()
    assert [c["slug"] for c in private] == [PRIVATE_COMMUNITY_SLUG]
    regions = api.get("/communities", params={"type": "REGION"}).json()
    assert {c["type"] for c in regions} == {"REGION"}
    near = api.get(
        "/communities", params={"nearLat": 42.82, "nearLng": -1.64, "maxDistance": 10}
    ).json()
    assert {c["slug"] for c in near} >= {"pamplona-centro", APPROVAL_COMMUNITY_SLUG}
    assert "barcelona-gracia" not in {c["slug"] for c in near}


def test_community_detail_private_shape_and_shadowed_audit_log(api: Api) -> None:
    rochapea = api.get(f"/communities/slug/{APPROVAL_COMMUNITY_SLUG}").json()
    assert rochapea["CommunityGovernance"]["founders"]
    assert rochapea["isMember"] is False and rochapea["canModerate"] is False  # noqa: PT018
    assert (
        "CommunityConnection_CommunityConnection_sourceCommunityIdToCommunity" in rochapea["_count"]
    )
    private = api.get(f"/communities/slug/{PRIVATE_COMMUNITY_SLUG}").json()
    assert private == {
        "id": private["id"], "name": private["name"], "type": "CUSTOM", "visibility": "PRIVATE",
        "requiresApproval": True, "isMember": False, "restricted": True,
    }  # fmt: skip
    admin = api.login(ADMIN_EMAIL)
    assert_error(api.get("/communities/audit-log", admin), 404, "Community not found")
    assert_error(api.get("/communities/slug/nope"), 404, "Community not found")


def test_membership_requests_need_a_member_with_reputation(api: Api) -> None:
    rochapea = community_id(api, APPROVAL_COMMUNITY_SLUG)
    coordinator = api.login(COORDINATOR_EMAIL)
    maria = api.login(CITIZEN_EMAIL)
    admin = api.login(ADMIN_EMAIL)
    pending = api.get(f"/communities/{rochapea}/membership-requests", coordinator).json()
    assert len(pending) >= 2
    assert list(pending[0]) == ["id", "userId", "message", "createdAt"]
    assert_error(api.get(f"/communities/{rochapea}/membership-requests", maria), 403)
    assert_error(
        api.get(f"/communities/{rochapea}/membership-requests", admin), 403
    )  # no ADMIN override
    lucia = api.login(UNVERIFIED_EMAIL)
    request = next(r for r in pending if r["userId"] == lucia.id)
    url = f"/communities/{rochapea}/membership-requests/{request['id']}"
    assert_error(api.post(f"{url}/approve", maria), 403)
    approved = api.post(f"{url}/approve", coordinator, json={"reviewNote": "Bienvenida"})
    assert approved.json() == {"message": "Membership request approved successfully"}
    assert_error(api.post(f"{url}/approve", coordinator), 400, "Request has already been approved")
    assert api.get(f"/users/{lucia.id}", lucia).json()["communityId"] == rochapea
    other = next(r for r in pending if r["userId"] != lucia.id)
    rejected = api.post(
        f"/communities/{rochapea}/membership-requests/{other['id']}/reject", coordinator
    )
    assert rejected.json() == {"message": "Membership request rejected successfully"}
    missing = api.post(
        f"/communities/{rochapea}/membership-requests/req_0_x_y/approve", coordinator
    )
    assert_error(missing, 404, "Membership request not found")


def test_joining_leaving_and_members(api: Api) -> None:
    rochapea = community_id(api, APPROVAL_COMMUNITY_SLUG)
    newcomer = api.register("vecina@example.com")
    submitted = api.post(f"/communities/{rochapea}/join", newcomer, json={"message": "Hola"})
    assert submitted.json()["message"].startswith("Membership request submitted")
    again = api.post(f"/communities/{rochapea}/join", newcomer)
    assert (
        again.json()["message"]
        == "You already have a pending membership request for this community"
    )
    coordinator = api.login(COORDINATOR_EMAIL)
    notes = api.get("/notifications", coordinator, params={"limit": 50}).json()
    assert any((n["data"] or {}).get("requesterId") == newcomer.id for n in notes)
    open_one = community_id(api, "navarra-sostenible")
    assert api.post(f"/communities/{open_one}/join", newcomer).json() == {
        "message": "Successfully joined community"
    }
    assert api.post(f"/communities/{open_one}/join", newcomer).json() == {
        "message": "Already a member of this community"
    }
    members = api.get(f"/communities/{open_one}/members", newcomer).json()
    assert newcomer.id in [m["id"] for m in members]
    assert [m["credits"] for m in members] == sorted((m["credits"] for m in members), reverse=True)
    assert api.post(f"/communities/{open_one}/leave", newcomer).json() == {
        "message": "Successfully left community"
    }
    assert_error(
        api.post(f"/communities/{open_one}/leave", newcomer),
        403,
        "You are not a member of this community",
    )
    private = community_id(api, PRIVATE_COMMUNITY_SLUG)
    assert_error(api.get(f"/communities/{private}/members", newcomer), 403)


def test_create_update_and_delete_a_community(fixed_api: Api) -> None:
    api = fixed_api
    juan = api.login(VERIFIED_CITIZEN_EMAIL)
    created = api.post(
        "/communities",
        juan,
        json={
            "slug": "taller-juan",
            "name": "Taller de Juan",
            "type": "CUSTOM",
            "visibility": "PUBLIC",
        },
    )
    assert created.status_code == 201
    community = created.json()
    assert community["id"].startswith("comm_")
    assert community["membersCount"] == 0
    assert community["CommunityGovernance"]["founders"] == [juan.id]
    # the founder's score (2) is under 5: even founders need reputation
    assert_error(api.put(f"/communities/{community['id']}", juan, json={"description": "x"}), 403)
    duplicate = api.post(
        "/communities",
        juan,
        json={"slug": "taller-juan", "name": "Otro", "type": "CUSTOM", "visibility": "PUBLIC"},
    )
    assert_error(duplicate, 500)
    coordinator = api.login(COORDINATOR_EMAIL)
    rochapea = community_id(api, APPROVAL_COMMUNITY_SLUG)
    updated = api.put(f"/communities/{rochapea}", coordinator, json={"primaryColor": "#4CAF50"})
    assert updated.json()["primaryColor"] == "#4CAF50"
    assert_error(api.delete(f"/communities/{community['id']}", coordinator), 403)


def test_community_activity_and_offers(api: Api) -> None:
    centro = community_id(api, "pamplona-centro")
    activity = api.get(f"/communities/{centro}/activity", params={"limit": 8}).json()
    assert {item["type"] for item in activity} <= {"offer", "event", "proposal", "post"}
    assert [a["createdAt"] for a in activity] == sorted(
        (a["createdAt"] for a in activity), reverse=True
    )
    offers = api.get(f"/communities/{centro}/offers", params={"status": "ACTIVE"}).json()
    assert offers
    assert offers[0]["Community"]["id"] == centro
    assert_error(api.get("/communities/nope/activity"), 404, "Comunidad no encontrada")
