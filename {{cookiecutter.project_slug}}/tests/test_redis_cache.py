"""The cache is the real Redis at REDIS_URL."""

import uuid

import redis
from django.conf import settings
from django.core.cache import cache


def test_a_cached_value_round_trips_through_redis():
    key = f"test-{uuid.uuid4()}"

    cache.set(key, {"answer": 42}, timeout=30)

    assert cache.get(key) == {"answer": 42}
    server = redis.Redis.from_url(settings.REDIS_URL)
    assert server.exists(cache.make_key(key)) == 1
    cache.delete(key)
    assert server.exists(cache.make_key(key)) == 0
