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
from typing import Any, Callable

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

    def use(self) -> "_Use":
        """The C pointer, kept alive until the ``with`` block ends."""
        return _Use(self)

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


class _Use:
    """``with handle.use() as ptr``: a plain class rather than a generator
    context manager, as it runs two or three times per render."""

    __slots__ = ("_h",)

    def __init__(self, h: Handle) -> None:
        self._h = h

    def __enter__(self) -> Any:
        h = self._h
        with h._lock:
            if h._closed:
                raise ValueError("%s is closed" % h._what)
            h._busy += 1
        return h._ptr

    def __exit__(self, *exc: Any) -> None:
        h = self._h
        with h._lock:
            h._busy -= 1
            last = h._busy == 0 and h._closed
        if last:
            ffi.release(h._ptr)
