"""A small thread-safe LRU map, the base of gql_djwto's per-process caches."""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Hashable
from typing import Generic, TypeVar

Value = TypeVar('Value')


class LRU(Generic[Value]):
    """A map that forgets its least recently used entries beyond a size."""

    def __init__(self) -> None:
        self._entries: OrderedDict[Hashable, Value] = OrderedDict()
        self._lock = threading.Lock()

    def __len__(self) -> int:
        return len(self._entries)

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()

    def _recall(self, key: Hashable) -> Value | None:
        """Return the entry of ``key``, now the most recently used, or None."""
        with self._lock:
            value = self._entries.get(key)
            if value is not None:
                self._entries.move_to_end(key)
            return value

    def _keep(self, key: Hashable, value: Value, size: int) -> None:
        """Store ``value`` under ``key``, keeping at most ``size`` entries."""
        with self._lock:
            self._entries[key] = value
            self._entries.move_to_end(key)
            while len(self._entries) > size:
                self._entries.popitem(last=False)
