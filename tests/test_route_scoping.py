"""No route lets a user of one local network reach an object of another: every URL that names an object
by its id answers them exactly as it answers an id that does not exist (404, or 403 for a page their
role may not open at all). Walks the app's URL map, so a route added later is checked too."""

import pytest

from digibuddy.core.scoping import MAX_ID
from tests.reference_helpers import restored_reference  # noqa: F401
from tests.routes import LOCAL_ROLES, app_routes, central_admin, populate

# Pages of the central administrator: they manage every network and the catalogue, so there is no
# network to leave.
NETWORK_WIDE = {
    "admin.network",
    "admin.coordinator",
    "admin.edit_network",
    "admin.reset_two_factor",
    "catalogue.edit_group",
    "catalogue.edit_topic",
    "catalogue.group_active",
    "catalogue.merge_topic",
    "catalogue.move",
    "catalogue.new_topic",
    "catalogue.topic_active",
    "practices.change_status",
    "practices.edit",
    "training_admin.edit_module",
    "training_admin.module_active",
}
# Pages open across networks by design, holding no personal data: a drop-in moment for residents, and
# the good-practice library every network reads (only published practices; a proposal answers 404).
PUBLIC = {"dropins.public_book", "practices.sheet", "practices.use"}


def _answer(client, method, url, token):
    if method == "GET":
        return client.get(url)
    return client.post(url, data={"csrf_token": token})


# The central administrator reaches the catalogue's pages too: switching a topic or group off, merging,
# moving. The catalogue is shared by every test, so it is put back afterwards.
@pytest.mark.usefixtures("restored_reference")
def test_every_route_naming_an_object_answers_404_to_another_network(app, make_client):
    ours, theirs = populate("9000", "Gent"), populate("2800", "Mechelen")
    routes = [route for route in app_routes(app) if route.object_arguments]
    assert len(routes) > 30, routes
    unknown = {name for route in routes for name in route.object_arguments} - set(theirs.ids)
    assert not unknown, f"routes name objects the test cannot build yet: {sorted(unknown)}"

    clients = {}
    for role in (*LOCAL_ROLES, "admin"):
        client = make_client()
        client.login(ours.people[role] if role != "admin" else central_admin())
        clients[role] = (client, client.csrf_token("/home"))

    leaks, unreached = [], []
    for route in routes:
        for role in LOCAL_ROLES:
            if route.endpoint in NETWORK_WIDE | PUBLIC:
                break
            client, token = clients[role]
            for method in route.methods:
                answer = _answer(client, method, theirs.url(route), token).status_code
                if answer == 404:
                    continue
                absent = dict.fromkeys(route.object_arguments, MAX_ID)
                nothing = _answer(client, method, theirs.url(route, **absent), token).status_code
                if answer != 403 or nothing != 403:
                    leaks.append(f"{role}: {method} {theirs.url(route)} -> {answer} (absent id: {nothing})")
    # Each route is really reached with an object of one's own network, by some role, so that a 404
    # above means "not yours", not "this test built the URL wrongly". Pages first: a form posted with
    # nothing in it may still change an object (publish a proposal), and a page then no longer shows it.
    for route in sorted(routes, key=lambda route: "GET" not in route.methods):
        reached = False
        for role in ("admin", *LOCAL_ROLES) if route.endpoint in NETWORK_WIDE else LOCAL_ROLES:
            client, token = clients[role]
            method = "GET" if "GET" in route.methods else "POST"
            if _answer(client, method, ours.url(route), token).status_code not in (403, 404):
                reached = True
                break
        if not reached:
            unreached.append(str(route))
    assert not leaks, "\n".join(leaks)
    assert not unreached, "no role of the network reached these with its own objects:\n" + "\n".join(
        unreached
    )
