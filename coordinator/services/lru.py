"""A small least-recently-used cache that is safe across a worker's threads."""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Generic, TypeVar

V = TypeVar("V")


class LRUCache(Generic[V]):
    """Keeps the most recently used values while their weights add up to at most `limit`
    (each value weighs 1 unless `weigh` says otherwise)."""

    def __init__(self, limit: int, weigh: Callable[[V], int] = lambda _value: 1) -> None:
        self.limit = limit
        self.weigh = weigh
        self.held = 0
        self._values: OrderedDict[Hashable, V] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: Hashable) -> V | None:
        with self._lock:
            value = self._values.get(key)
            if value is not None:
                self._values.move_to_end(key)
            return value

    def put(self, key: Hashable, value: V) -> None:
        weight = self.weigh(value)
        if weight > self.limit:
            return
        with self._lock:
            old = self._values.pop(key, None)
            if old is not None:
                self.held -= self.weigh(old)
            self._values[key] = value
            self.held += weight
            while self.held > self.limit:
                _, dropped = self._values.popitem(last=False)
                self.held -= self.weigh(dropped)
