"""Lifetime of a C object shared by threads.

A libquire object (a document, a job) may be in use by a call on one thread
while another thread closes it; freeing it then would be a use after free in
C. A Handle counts the calls in flight and frees the object when the last
one ends, so close() is safe at any time (it never blocks: the free is
deferred to the end of the last call) and a call on a closed object raises
instead of crashing.
"""

from __future__ import annotations

import threading
from typing import Any, Callable, Iterator
from contextlib import contextmanager

from ._native import ffi


class Handle:
    __slots__ = ("_ptr", "_lock", "_busy", "_closed", "_what")

    def __init__(self, ptr: Any, free: Callable[[Any], None],
                 what: str) -> None:
        # ffi.gc frees the object if the Python side is dropped unclosed.
        self._ptr = ffi.gc(ptr, free)
        self._lock = threading.Lock()
        self._busy = 0
        self._closed = False
        self._what = what

    @contextmanager
    def use(self) -> Iterator[Any]:
        """The C pointer, kept alive until the block ends."""
        with self._lock:
            if self._closed:
                raise ValueError("%s is closed" % self._what)
            self._busy += 1
        try:
            yield self._ptr
        finally:
            with self._lock:
                self._busy -= 1
                last = self._busy == 0 and self._closed
            if last:
                ffi.release(self._ptr)

    @property
    def closed(self) -> bool:
        return self._closed

    def close(self) -> None:
        """Frees the object once no call is using it. Idempotent."""
        with self._lock:
            if self._closed:
                return
            self._closed = True
            now = self._busy == 0
        if now:
            ffi.release(self._ptr)
