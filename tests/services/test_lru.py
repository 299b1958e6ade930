"""The least-recently-used cache keeps what was used last, within its weight."""

from coordinator.services.lru import LRUCache


def test_the_least_recently_used_goes_first_when_the_weight_is_exceeded():
    cache: LRUCache[str] = LRUCache(10, len)
    cache.put("a", "aaaa")
    cache.put("b", "bbbb")
    assert cache.get("a") == "aaaa"  # now b is the least recently used
    cache.put("c", "cccc")
    assert cache.get("b") is None
    assert cache.get("a") == "aaaa" and cache.get("c") == "cccc"
    assert cache.held == 8


def test_a_value_heavier_than_the_limit_is_not_kept_and_a_new_value_replaces_the_old():
    cache: LRUCache[str] = LRUCache(5, len)
    cache.put("big", "x" * 6)
    assert cache.get("big") is None and cache.held == 0
    cache.put("k", "abc")
    cache.put("k", "ab")
    assert cache.get("k") == "ab" and cache.held == 2
