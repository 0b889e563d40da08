"""A size-bounded LRU cache for the search caches (posting lists, decoded blocks)."""

from __future__ import annotations

import threading
from collections import OrderedDict
from typing import Any


class SizedLru:
    """A thread-safe LRU mapping bounded by entries and by a total size (each entry's own,
    given when put); an entry larger than max_size // largest is not kept."""

    def __init__(self, max_size: int, max_items: int | None = None, largest: int = 4) -> None:
        self.max_size, self.max_items, self.largest = max_size, max_items, largest
        self.size = 0
        self._items: OrderedDict[Any, tuple[Any, int]] = OrderedDict()
        self._lock = threading.Lock()

    def __len__(self) -> int:
        return len(self._items)

    def get(self, key: Any, *, touch: bool = True) -> Any:
        """The value, or None; touch: count this as a use (else a look that keeps order)."""
        with self._lock:
            found = self._items.get(key)
            if found is None:
                return None
            if touch:
                self._items.move_to_end(key)
            return found[0]

    def put(self, key: Any, value: Any, size: int) -> None:
        with self._lock:
            if key not in self._items and size <= self.max_size // self.largest:
                self._items[key] = (value, size)
                self.size += size
            while self._items and (
                self.size > self.max_size
                or (self.max_items is not None and len(self._items) > self.max_items)
            ):
                _, (_, dropped) = self._items.popitem(last=False)
                self.size -= dropped

    def values(self) -> list[Any]:
        with self._lock:
            return [value for value, _ in self._items.values()]

    def clear(self) -> None:
        with self._lock:
            self._items.clear()
            self.size = 0
