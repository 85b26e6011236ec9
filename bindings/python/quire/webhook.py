"""Verifying and reading Conduit webhook deliveries (no network needed)."""

from __future__ import annotations

import json
import time
from dataclasses import dataclass, field
from typing import Any, Dict, Iterable, List, Mapping, Optional, Tuple, Union

from . import _cdef
from ._native import ffi, lib
from .errors import InvalidArgumentError, from_struct

#: Headers as a mapping (``http.server``'s ``self.headers``, a dict), an
#: iterable of ``(name, value)`` pairs, or ``"Name: value"`` lines.
Headers = Union[Mapping[str, str], Iterable[Tuple[str, str]], Iterable[str]]


@dataclass(frozen=True)
class WebhookEvent:
    """A verified delivery: ``{id, type, createdAt, data}``.

    ``kind`` is ``report.completed``, ``report.failed``,
    ``matching.completed``, ``matching.failed`` or ``unknown`` (another
    type, whose ``data`` passes through). Deliveries are at least once:
    deduplicate on ``id``.
    """

    kind: str
    type: Optional[str]
    id: Optional[str]
    created_at: Optional[str]
    job_id: Optional[str]
    report_id: Optional[str]
    matching_id: Optional[str]
    status: Optional[str]
    error_code: Optional[str]
    error_message: Optional[str]
    data: Dict[str, Any] = field(default_factory=dict)


def _header_lines(headers: Headers) -> List[bytes]:
    if isinstance(headers, (str, bytes)):
        raise TypeError("headers must be a mapping or an iterable of "
                        "(name, value) pairs or 'Name: value' lines")
    items: Iterable[Any]
    if hasattr(headers, "items"):
        items = headers.items()
    else:
        items = headers
    out = []
    for it in items:
        if isinstance(it, (str, bytes)):
            line = it if isinstance(it, str) else it.decode("latin-1")
        else:
            name, value = it
            if isinstance(value, bytes):
                value = value.decode("latin-1")
            if isinstance(name, bytes):
                name = name.decode("latin-1")
            line = "%s: %s" % (name, value)
        # A header line cannot hold a line break or NUL; one that does was
        # built by the caller, and would let a value pose as another header.
        if any(c in line for c in "\r\n\0"):
            raise InvalidArgumentError(
                -3, "a webhook header contains a line break or NUL")
        out.append(line.encode("latin-1", "replace"))
    return out


def _as_bytes(name: str, v: Union[str, bytes, bytearray, memoryview]) -> bytes:
    if isinstance(v, str):
        return v.encode("utf-8")
    if isinstance(v, (bytes, bytearray, memoryview)):
        return bytes(v)
    raise TypeError("%s must be bytes or str" % name)


def verify_signature(headers: Headers, body: Union[bytes, str],
                     secret: Union[str, bytes], *, tolerance: int = 300,
                     now: Optional[int] = None) -> None:
    """Checks the ``conduit-signature`` header (or the legacy
    ``mappa-signature``): ``t=<unix seconds>,v1=<hex HMAC-SHA256 of
    "t.body">`` with ``secret``, within ``tolerance`` seconds of ``now``
    (default: the clock), compared in constant time. ``body`` must be the
    raw request body, byte for byte. Raises
    :class:`quire.SignatureError` (missing, duplicated, malformed, stale or
    wrong; the message says which)."""
    lines = _header_lines(headers)
    raw = _as_bytes("body", body)
    key = _as_bytes("secret", secret)
    keep = [ffi.new("char[]", h) for h in lines]
    arr = ffi.new("const char *[]", keep) if keep else ffi.NULL
    opts = ffi.new("quire_webhook_options *")
    opts.version = _cdef.WEBHOOK_OPTIONS_VERSION
    opts.tolerance = int(tolerance)
    opts.now = int(now) if now is not None else 0
    err = ffi.new("quire_error *")
    rc = lib().quire_webhook_verify(arr, len(keep), raw, len(raw), key,
                                    len(key), opts, err)
    if rc != 0:
        raise from_struct(rc, err)


def _t(p: Any) -> Optional[str]:
    return None if p == ffi.NULL else ffi.string(p).decode("utf-8", "replace")


def parse_event(body: Union[bytes, str]) -> WebhookEvent:
    """Reads a webhook body (already verified). Raises
    :class:`quire.JSONSyntaxError` or :class:`quire.SchemaError` (a known
    type whose data lacks its ids; ``path`` says where)."""
    raw = _as_bytes("body", body)
    out = ffi.new("quire_webhook_event **")
    err = ffi.new("quire_error *")
    L = lib()
    rc = L.quire_webhook_parse_event(out, raw, len(raw), err)
    if rc != 0:
        raise from_struct(rc, err)
    ev = out[0]
    try:
        data = json.loads(_t(L.quire_webhook_event_data(ev)) or "{}")
        return WebhookEvent(
            kind=_cdef.WEBHOOK_KINDS.get(L.quire_webhook_event_kind(ev),
                                         "unknown"),
            type=_t(L.quire_webhook_event_type(ev)),
            id=_t(L.quire_webhook_event_id(ev)),
            created_at=_t(L.quire_webhook_event_created_at(ev)),
            job_id=_t(L.quire_webhook_event_job_id(ev)),
            report_id=_t(L.quire_webhook_event_report_id(ev)),
            matching_id=_t(L.quire_webhook_event_matching_id(ev)),
            status=_t(L.quire_webhook_event_status(ev)),
            error_code=_t(L.quire_webhook_event_error_code(ev)),
            error_message=_t(L.quire_webhook_event_error_message(ev)),
            data=data if isinstance(data, dict) else {})
    finally:
        L.quire_webhook_event_free(ev)


def verify_webhook(headers: Headers, body: Union[bytes, str],
                   secret: Union[str, bytes], *, tolerance: int = 300,
                   now: Optional[int] = None) -> WebhookEvent:
    """:func:`verify_signature`, then :func:`parse_event`: the one call a
    webhook endpoint makes. Answer 400/401 on :class:`quire.QuireError`,
    2xx otherwise (and do slow work after answering)."""
    verify_signature(headers, body, secret, tolerance=tolerance, now=now)
    return parse_event(body)


def sign(body: Union[bytes, str], secret: Union[str, bytes],
         timestamp: Optional[int] = None) -> str:
    """The ``conduit-signature`` value Conduit would send for ``body``
    (for tests and local tools)."""
    import hashlib
    import hmac
    t = int(time.time()) if timestamp is None else int(timestamp)
    mac = hmac.new(_as_bytes("secret", secret),
                   str(t).encode() + b"." + _as_bytes("body", body),
                   hashlib.sha256).hexdigest()
    return "t=%d,v1=%s" % (t, mac)
