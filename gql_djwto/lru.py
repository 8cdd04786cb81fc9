"""A small thread-safe LRU map, the base of gql_djwto's per-process caches."""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Hashable
from typing import Generic, TypeVar

Value = TypeVar('Value')


class LRU(Generic[Value]):
    """A map that forgets its least recently used entries beyond a size (and a cost)."""

    def __init__(self) -> None:
        self._entries: OrderedDict[Hashable, tuple[Value, int]] = OrderedDict()
        self._cost = 0
        self._lock = threading.Lock()

    def __len__(self) -> int:
        return len(self._entries)

    @property
    def cost(self) -> int:
        """The total cost of the entries kept (see ``_keep``)."""
        return self._cost

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()
            self._cost = 0

    def _recall(self, key: Hashable) -> Value | None:
        """Return the entry of ``key``, now the most recently used, or None."""
        with self._lock:
            entry = self._entries.get(key)
            if entry is None:
                return None
            self._entries.move_to_end(key)
            return entry[0]

    def _keep(self, key: Hashable, value: Value, size: int, cost: int = 0, budget: int | None = None) -> None:
        """Store ``value`` under ``key``, keeping at most ``size`` entries
        and, given a ``budget``, entries whose ``cost`` adds up to no more."""
        with self._lock:
            previous = self._entries.pop(key, None)
            if previous is not None:
                self._cost -= previous[1]
            self._entries[key] = (value, cost)
            self._cost += cost
            while self._entries and (
                len(self._entries) > size or (budget is not None and self._cost > budget)
            ):
                _, (_, forgotten) = self._entries.popitem(last=False)
                self._cost -= forgotten
