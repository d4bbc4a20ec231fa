"""The `app` fixture builds the app once per backend and hands every test the app as create_app built it."""

import copy

from digibuddy.extensions import limiter, talisman
from tests.conftest import _AppAsBuilt, make_app


def test_every_test_gets_the_app_as_create_app_built_it(_schema):
    built = _AppAsBuilt(_schema)
    app = built.get()
    as_built = copy.deepcopy(dict(app.config))
    assert as_built == dict(make_app(_schema).config)
    counters = limiter.storage
    # What a test may do: change the configuration, leave a cache, build an app of its own (which sets up
    # the one Talisman and the one Limiter for itself), hit a rate limit.
    app.config.update(LOGIN_LIMIT="1 per day", SECRET_KEY="changed")
    app.extensions["digibuddy.most_asked_topics"] = "stale"
    make_app(_schema, STRICT_TRANSPORT_SECURITY=True, RATELIMIT_ENABLED=False)
    assert talisman.strict_transport_security is True and limiter.enabled is False
    built.check()

    assert built.get() is app
    assert dict(app.config) == as_built
    assert "digibuddy.most_asked_topics" not in app.extensions
    assert talisman.strict_transport_security is False and talisman.app is app
    assert limiter.enabled is True and limiter.storage is not counters
    response = app.test_client().get("/", base_url="https://digibuddy.example")
    assert response.status_code == 200 and "Strict-Transport-Security" not in response.headers


def test_an_app_a_test_changed_otherwise_is_built_again(_schema):
    built = _AppAsBuilt(_schema)
    app = built.get()
    app.before_request(lambda: None)
    built.check()
    assert built.get() is not app
