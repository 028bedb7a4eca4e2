"""The cache is the real Redis at REDIS_URL."""

import uuid

import pytest
import redis
from django.conf import settings
from django.core.cache import cache
from django.test import override_settings


def test_a_cached_value_round_trips_through_redis():
    key = f"test-{uuid.uuid4()}"

    cache.set(key, {"answer": 42}, timeout=30)

    assert cache.get(key) == {"answer": 42}
    server = redis.Redis.from_url(settings.REDIS_URL)
    assert server.exists(cache.make_key(key)) == 1
    cache.delete(key)
    assert server.exists(cache.make_key(key)) == 0


# Nothing listens on port 1: every cache call is refused at once, as when Redis is down.
REDIS_DOWN = {
    "default": {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": "redis://127.0.0.1:1/0",
    }
}


@pytest.mark.django_db
def test_readiness_holds_while_the_shared_redis_is_down_and_says_so(client):
    # Every process shares this Redis: failing them all would drain the whole site.
    with override_settings(CACHES=REDIS_DOWN):
        response = client.get("/readyz")

    assert (response.status_code, response.text) == (200, "ok; degraded: cache")


@pytest.mark.django_db
def test_a_request_that_needs_redis_while_it_is_down_gets_the_503_page(client, caplog):
    with override_settings(CACHES=REDIS_DOWN):
        # A sign-in is counted in the cache (the sign-in limits).
        response = client.post("/accounts/login/", {"login": "ada", "password": "wrong"})
        page = client.get("/")

    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    assert "Back in a moment" in response.content.decode()
    named = [record for record in caplog.records if "Redis is unavailable" in record.getMessage()]
    assert [record.levelname for record in named] == ["WARNING"]
    assert not any(record.exc_info for record in caplog.records)
    # A page that needs no cache goes on answering.
    assert page.status_code == 200
