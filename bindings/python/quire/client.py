"""The Conduit API client: the calls a reporting backend makes."""

from __future__ import annotations

import json
import os
import threading
from dataclasses import dataclass
from typing import (Any, Callable, Dict, Iterable, List, Mapping, Optional,
                    Sequence, Tuple, Union)

from . import _cdef
from ._handle import Handle
from ._native import ffi, lib
from .document import Document, new_buf, parse, take_buf
from .errors import InvalidArgumentError, QuireError, from_struct


def _t(p: Any) -> Optional[str]:
    return None if p == ffi.NULL else ffi.string(p).decode("utf-8", "replace")


def _ms(seconds: Optional[float]) -> int:
    if seconds is None:
        return 0
    if seconds <= 0:
        raise InvalidArgumentError(-3, "a timeout must be positive seconds")
    return max(1, int(round(seconds * 1000)))


_STATUS = {0: "unknown", 1: "queued", 2: "running", 3: "succeeded",
           4: "failed", 5: "canceled"}
_TERMINAL = ("succeeded", "failed", "canceled")


class Job:
    """A job as the server last described it (a snapshot: call
    :meth:`Client.get_job` or :meth:`Client.wait_job` for a newer one).

    ``status`` is ``queued``, ``running``, ``succeeded``, ``failed`` or
    ``canceled``; ``stage`` is ``transcoding``, ``scoring``... or None;
    ``progress`` is 0..1 or None. A created job also has
    ``idempotency_key`` (creating again with it cannot make a second job)
    and ``media_id`` (the media it analyses); ``uploaded`` is the
    :class:`MediaFile` that :meth:`Client.create_job` uploaded first when
    given ``file`` or ``url``, else None.
    """

    __slots__ = ("id", "type", "status", "stage", "progress", "report_id",
                 "matching_id", "error_code", "error_message", "created_at",
                 "updated_at", "estimated_wait", "json", "idempotency_key",
                 "media_id", "uploaded", "_h")

    def __init__(self, ptr: Any, owned: bool,
                 idempotency_key: Optional[str] = None) -> None:
        L = lib()
        self.id = _t(L.quire_job_id(ptr))
        self.type = _t(L.quire_job_type(ptr))
        self.status = _STATUS.get(L.quire_job_status_of(ptr), "unknown")
        self.stage = _t(L.quire_job_stage_name(L.quire_job_stage_of(ptr)))
        p = L.quire_job_progress(ptr)
        self.progress = None if p < 0 else p
        self.report_id = _t(L.quire_job_report_id(ptr))
        self.matching_id = _t(L.quire_job_matching_id(ptr))
        self.error_code = _t(L.quire_job_error_code(ptr))
        self.error_message = _t(L.quire_job_error_message(ptr))
        self.created_at = _t(L.quire_job_created_at(ptr))
        self.updated_at = _t(L.quire_job_updated_at(ptr))
        w = L.quire_job_estimated_wait(ptr)
        self.estimated_wait = None if w < 0 else w
        self.json = _t(L.quire_job_json(ptr)) or "{}"
        self.idempotency_key = idempotency_key
        self.media_id: Optional[str] = None
        self.uploaded: Optional[MediaFile] = None
        self._h = Handle(ptr, L.quire_job_free, "job") if owned else None

    @property
    def terminal(self) -> bool:
        """True once the job succeeded, failed or was canceled."""
        return self.status in _TERMINAL

    def __repr__(self) -> str:
        return "<quire.Job %s %s%s>" % (
            self.id, self.status, " " + self.stage if self.stage else "")


class MediaFile:
    """A media file on the server (``POST /v1/files`` and ``/v1/files/{id}``),
    as a snapshot.

    ``media_id``; ``label``, ``content_type``, ``created_at`` (None when the
    server sent none); ``size`` in bytes and ``duration`` in seconds (None
    when unknown); ``retention_locked`` (True, False, or None when the
    server did not say); ``deleted``; ``json`` (the object as received,
    never with the API key). An uploaded file also has
    ``idempotency_key``: uploading again with it cannot make a second file.
    """

    __slots__ = ("media_id", "label", "content_type", "created_at", "size",
                 "duration", "retention_locked", "deleted", "json",
                 "idempotency_key")

    def __init__(self, ptr: Any, idempotency_key: Optional[str] = None) -> None:
        L = lib()
        self.media_id = _t(L.quire_file_media_id(ptr))
        self.label = _t(L.quire_file_label(ptr))
        self.content_type = _t(L.quire_file_content_type(ptr))
        self.created_at = _t(L.quire_file_created_at(ptr))
        n = L.quire_file_size(ptr)
        self.size: Optional[int] = None if n < 0 else int(n)
        d = L.quire_file_duration(ptr)
        self.duration: Optional[float] = None if d < 0 else float(d)
        r = L.quire_file_retention_lock(ptr)
        self.retention_locked: Optional[bool] = None if r < 0 else bool(r)
        self.deleted = bool(L.quire_file_deleted(ptr) == 1)
        self.json = _t(L.quire_file_json(ptr)) or "{}"
        self.idempotency_key = idempotency_key

    def __repr__(self) -> str:
        return "<quire.MediaFile %s%s>" % (
            self.media_id, " deleted" if self.deleted else "")


class Entity:
    """A person the server recognises across recordings
    (``/v1/entities/{id}``), as a snapshot: ``id``, ``label`` (None when
    unlabelled), ``created_at``, ``last_seen_at``, ``media_count`` (None
    when unknown), ``json``."""

    __slots__ = ("id", "label", "created_at", "last_seen_at", "media_count",
                 "json")

    def __init__(self, ptr: Any) -> None:
        L = lib()
        self.id = _t(L.quire_entity_id(ptr))
        self.label = _t(L.quire_entity_label(ptr))
        self.created_at = _t(L.quire_entity_created_at(ptr))
        self.last_seen_at = _t(L.quire_entity_last_seen_at(ptr))
        n = L.quire_entity_media_count(ptr)
        self.media_count: Optional[int] = None if n < 0 else int(n)
        self.json = _t(L.quire_entity_json(ptr)) or "{}"

    def __repr__(self) -> str:
        return "<quire.Entity %s>" % self.id


class Page:
    """One page of a list: ``items`` (:class:`MediaFile` or
    :class:`Entity` objects), ``has_more``, ``next_cursor`` (pass it as
    ``cursor`` for the next page; None on the last), ``json``. Iterating a
    page iterates its items."""

    __slots__ = ("items", "has_more", "next_cursor", "json")

    def __init__(self, items: List[Any], has_more: bool,
                 next_cursor: Optional[str], json_text: str) -> None:
        self.items = items
        self.has_more = has_more
        self.next_cursor = next_cursor
        self.json = json_text

    def __iter__(self) -> Any:
        return iter(self.items)

    def __len__(self) -> int:
        return len(self.items)

    def __repr__(self) -> str:
        return "<quire.Page %d items%s>" % (
            len(self.items), ", more" if self.has_more else "")


#: Custom webhook headers: a mapping ``{name: value}``, ``(name, value)``
#: pairs or ``"Name: value"`` lines.
WebhookHeaders = Union[Mapping[str, str], Iterable[Union[str, Tuple[str, str]]]]


def _header_lines(headers: Optional[WebhookHeaders]) -> List[str]:
    if headers is None:
        return []
    items: Iterable[Any] = (headers.items() if isinstance(headers, Mapping)
                            else headers)
    if isinstance(headers, (str, bytes)):
        raise TypeError("webhook_headers must be a mapping or a list, "
                        "not a single string")
    out: List[str] = []
    for h in items:
        if isinstance(h, str):
            out.append(h)
        else:
            name, value = h
            out.append("%s: %s" % (name, value))
    return out


@dataclass(frozen=True)
class Target:
    """Whom a report is about (the contract's ``target``).

    Build with :meth:`dominant` (the default), :meth:`timerange`,
    :meth:`entity`, :meth:`hint` or :meth:`speaker`. ``fallback_dominant``
    asks the server to use the dominant speaker when the selector misses
    (``on_miss``) instead of failing the job.
    """

    strategy: str = "dominant"
    start: Optional[float] = None
    end: Optional[float] = None
    entity_id: Optional[str] = None
    hint_text: Optional[str] = None
    speaker_index: Optional[int] = None
    fallback_dominant: bool = False

    @classmethod
    def dominant(cls) -> "Target":
        return cls()

    @classmethod
    def timerange(cls, start: Optional[float] = None,
                  end: Optional[float] = None,
                  fallback_dominant: bool = False) -> "Target":
        return cls("timerange", start=start, end=end,
                   fallback_dominant=fallback_dominant)

    @classmethod
    def entity(cls, entity_id: str, fallback_dominant: bool = False) -> "Target":
        return cls("entity_id", entity_id=entity_id,
                   fallback_dominant=fallback_dominant)

    @classmethod
    def hint(cls, text: str, fallback_dominant: bool = False) -> "Target":
        return cls("magic_hint", hint_text=text,
                   fallback_dominant=fallback_dominant)

    @classmethod
    def speaker(cls, index: int, fallback_dominant: bool = False) -> "Target":
        return cls("speaker_index", speaker_index=index,
                   fallback_dominant=fallback_dominant)


@dataclass(frozen=True)
class Subject:
    """One side of a matching job: a known entity, or a speaker picked in
    an uploaded media file by a :class:`Target`."""

    entity_id: Optional[str] = None
    media_id: Optional[str] = None
    target: Target = Target()

    @classmethod
    def entity(cls, entity_id: str) -> "Subject":
        return cls(entity_id=entity_id)

    @classmethod
    def media(cls, media_id: str, target: Optional[Target] = None) -> "Subject":
        return cls(media_id=media_id, target=target or Target())


class _Strings:
    """C copies of the strings a request points to, alive as long as it."""

    def __init__(self) -> None:
        self.keep: List[Any] = []

    def __call__(self, s: Optional[str]) -> Any:
        if s is None:
            return ffi.NULL
        if not isinstance(s, str):
            raise TypeError("expected a str, got %s" % type(s).__name__)
        if "\0" in s:
            raise InvalidArgumentError(-3, "a string contains a NUL byte")
        c = ffi.new("char[]", s.encode("utf-8"))
        self.keep.append(c)
        return c


@dataclass(frozen=True)
class JobEvent:
    """One event of a job's stream as received (what the Conduit SDKs'
    ``stream()`` gives): ``type`` is ``status``, ``stage``, ``terminal``,
    ``heartbeat``, ``error`` or any other the server sends, ``id`` the
    event id (``""`` when none), ``data`` its data with the API key
    redacted, ``job`` the job as known after it. While polling, each
    ``GET /v1/jobs/{id}`` answer comes as type ``job`` with the job's JSON
    as data."""

    type: str
    id: str
    data: str
    job: Optional["Job"]


def _cancel_check(cancel: Any) -> Optional[Callable[[], Any]]:
    if cancel is None:
        return None
    if callable(getattr(cancel, "is_set", None)):  # threading.Event
        return cancel.is_set  # type: ignore[no-any-return]
    if callable(cancel):
        return cancel  # type: ignore[no-any-return]
    raise InvalidArgumentError(
        -3, "cancel must be a threading.Event or a callable")


class _Wait:
    def __init__(self, progress: Optional[Callable[["Job"], Any]],
                 on_event: Optional[Callable[[JobEvent], Any]] = None,
                 cancel: Optional[Callable[[], Any]] = None) -> None:
        self.progress = progress
        self.on_event = on_event
        self.cancel = cancel
        self.error: Optional[BaseException] = None


@ffi.callback("void(const quire_job *, void *)")  # type: ignore[misc]
def _on_progress(job: Any, payload: Any) -> None:
    w = ffi.from_handle(payload)
    if w.progress is None or w.error is not None:
        return
    try:
        w.progress(Job(job, owned=False))
    except BaseException as e:  # raised once the wait returns
        w.error = e


@ffi.callback("void(const char *, const char *, const char *, size_t, "
              "const quire_job *, void *)")  # type: ignore[misc]
def _on_event(type_: Any, ident: Any, data: Any, n: int, job: Any,
              payload: Any) -> None:
    w = ffi.from_handle(payload)
    if w.on_event is None or w.error is not None:
        return
    try:
        w.on_event(JobEvent(
            _t(type_) or "", _t(ident) or "",
            ffi.unpack(data, n).decode("utf-8", "replace") if n else "",
            None if job == ffi.NULL else Job(job, owned=False)))
    except BaseException as e:  # raised once the wait returns
        w.error = e


# Asked by the wait between events and every 50 ms while it sleeps: a
# listener that raised stops the wait at once instead of at the job's end.
@ffi.callback("int(void *)", onerror=lambda *a: 1)  # type: ignore[misc]
def _on_cancel(payload: Any) -> int:
    w = ffi.from_handle(payload)
    if w.error is not None:
        return 1
    if w.cancel is None:
        return 0
    try:
        return 1 if w.cancel() else 0
    except BaseException as e:
        w.error = e
        return 1


class _Upload:
    def __init__(self, progress: Optional[Callable[[int, Optional[int]], Any]]
                 ) -> None:
        self.progress = progress
        self.error: Optional[BaseException] = None


@ffi.callback("void(long long, long long, void *)")  # type: ignore[misc]
def _on_upload(sent: int, total: int, payload: Any) -> None:
    u = ffi.from_handle(payload)
    if u.progress is None or u.error is not None:
        return
    try:
        u.progress(int(sent), int(total) if total > 0 else None)
    except BaseException as e:  # raised once the upload returns
        u.error = e


class Client:
    """A connection to the Conduit API.

    ``api_key`` is required (it is sent only in the ``Mappa-Api-Key``
    header, only to ``base_url``'s origin, and never appears in errors).
    ``base_url`` defaults to ``https://api.mappa.ai``; plain http is
    accepted only for loopback. Timeouts are in seconds. Failed calls
    raise a :class:`quire.QuireError` subclass with ``request_id`` and
    ``http_status``; 429 and 5xx are retried ``max_retries`` times with
    back-off first.

    One client holds one connection and serialises its calls: share it
    between threads if you like (they take turns), or give each thread its
    own to fetch in parallel. The GIL is released during network I/O.
    """

    def __init__(self, api_key: str, *, base_url: Optional[str] = None,
                 user_agent: Optional[str] = None, max_retries: int = 2,
                 connect_timeout: Optional[float] = None,
                 timeout: Optional[float] = None,
                 low_speed_limit: int = 0, low_speed_time: int = 0,
                 max_response: int = 0, max_redirects: int = 0,
                 poll_interval: Optional[float] = None,
                 time_scale: float = 0) -> None:
        s = _Strings()
        o = ffi.new("quire_client_options *")
        o.version = _cdef.CLIENT_OPTIONS_VERSION
        o.base_url = s(base_url)
        o.api_key = s(api_key)
        o.user_agent = s(user_agent)
        o.max_retries = int(max_retries)
        o.connect_timeout_ms = _ms(connect_timeout)
        o.timeout_ms = _ms(timeout)
        o.low_speed_limit = int(low_speed_limit)
        o.low_speed_time = int(low_speed_time)
        o.max_response = int(max_response)
        o.max_redirects = int(max_redirects)
        o.poll_interval_ms = _ms(poll_interval)
        o.time_scale = float(time_scale)
        out = ffi.new("quire_client **")
        err = ffi.new("quire_error *")
        rc = lib().quire_client_new(out, o, err)
        if rc != 0:
            raise from_struct(rc, err)
        self._h = Handle(out[0], lib().quire_client_free, "client")
        self._lock = threading.Lock()
        self.base_url = base_url or "https://api.mappa.ai"

    def close(self) -> None:
        """Closes the connection and frees the client."""
        self._h.close()

    def __enter__(self) -> "Client":
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()

    def __repr__(self) -> str:  # never the key
        return "<quire.Client %s>" % self.base_url

    # -- plumbing --------------------------------------------------------
    def _fetch(self, fn: Any, ident: Any) -> bytes:
        buf = new_buf()
        err = ffi.new("quire_error *")
        with self._lock, self._h.use() as c:
            rc = fn(buf, c, ident, err)
        if rc != 0:
            lib().quire_buf_dispose(buf)
            raise from_struct(rc, err)
        return take_buf(buf)

    def _id(self, ident: str, what: str) -> Any:
        if not isinstance(ident, str) or not ident:
            raise InvalidArgumentError(-3, "%s must be a non-empty str" % what)
        return _Strings()(ident)

    def _job_call(self, fn: Any, job_id: str) -> Job:
        out = ffi.new("quire_job **")
        err = ffi.new("quire_error *")
        jid = self._id(job_id, "job_id")
        with self._lock, self._h.use() as c:
            rc = fn(out, c, jid, err)
        if rc != 0:
            raise from_struct(rc, err)
        return Job(out[0], owned=True)

    # -- reports ---------------------------------------------------------
    def get_report(self, report_id: str) -> bytes:
        """``GET /v1/reports/{id}``: the report JSON exactly as received."""
        return self._fetch(lib().quire_client_get_report,
                           self._id(report_id, "report_id"))

    def get_report_by_job(self, job_id: str) -> bytes:
        """``GET /v1/reports/by-job/{id}``. Raises
        :class:`quire.NotReadyError` while the report does not exist yet."""
        return self._fetch(lib().quire_client_get_report_by_job,
                           self._id(job_id, "job_id"))

    def get_matching(self, matching_id: str) -> bytes:
        """``GET /v1/matching/{id}``: a matching result's JSON."""
        return self._fetch(lib().quire_client_get_matching,
                           self._id(matching_id, "matching_id"))

    def get_matching_by_job(self, job_id: str) -> bytes:
        """``GET /v1/matching/by-job/{id}``."""
        return self._fetch(lib().quire_client_get_matching_by_job,
                           self._id(job_id, "job_id"))

    def fetch_report(self, report_id: str, *, strict: bool = False) -> Document:
        """:meth:`get_report`, parsed: a :class:`quire.Document` ready to
        render (``source`` is the report id)."""
        return parse(self.get_report(report_id), strict=strict,
                     source="report " + report_id)

    def fetch_report_by_job(self, job_id: str, *,
                            strict: bool = False) -> Document:
        """:meth:`get_report_by_job`, parsed."""
        return parse(self.get_report_by_job(job_id), strict=strict,
                     source="job " + job_id)

    # -- jobs ------------------------------------------------------------
    def get_job(self, job_id: str) -> Job:
        """``GET /v1/jobs/{id}``."""
        return self._job_call(lib().quire_client_get_job, job_id)

    def cancel_job(self, job_id: str) -> Job:
        """``POST /v1/jobs/{id}/cancel`` (idempotent). A job that had
        already finished keeps its status."""
        return self._job_call(lib().quire_client_cancel_job, job_id)

    def get_job_report(self, job: Job) -> bytes:
        """The report (or matching result) a succeeded job produced.
        Raises :class:`quire.JobFailedError` / :class:`quire.JobCanceledError`
        for a job that ended so, :class:`quire.NotReadyError`."""
        if not isinstance(job, Job) or job._h is None:
            raise InvalidArgumentError(-3, "get_job_report needs a Job from "
                                       "this client")
        buf = new_buf()
        err = ffi.new("quire_error *")
        with self._lock, self._h.use() as c, job._h.use() as j:
            rc = lib().quire_client_get_job_report(buf, c, j, err)
        if rc != 0:
            lib().quire_buf_dispose(buf)
            raise from_struct(rc, err)
        return take_buf(buf)

    def create_job(self, media_id: Optional[str] = None,
                   template: Optional[str] = None, *,
                   file: Optional[Union[str, "os.PathLike[str]"]] = None,
                   url: Optional[str] = None,
                   params: Optional[Union[Dict[str, Any], str]] = None,
                   target: Optional[Target] = None,
                   webhook_url: Optional[str] = None,
                   webhook_headers: Optional[WebhookHeaders] = None,
                   label: Optional[str] = None,
                   entity_label: Optional[str] = None,
                   idempotency_key: Optional[str] = None,
                   upload_progress: Optional[
                       Callable[[int, Optional[int]], Any]] = None) -> Job:
        """``POST /v1/reports/jobs``: starts a report with a template
        (``general_report``, ``sales_playbook``...) on a media file: one
        already uploaded (``media_id``), or a local ``file`` or a ``url``
        that is uploaded first, as :meth:`upload` does (give exactly one of
        the three).

        ``webhook_url`` is called when the job ends, with
        ``webhook_headers`` (``{"Authorization": "Bearer ..."}``, pairs or
        ``"Name: value"`` lines) attached to each delivery.

        The request carries an ``Idempotency-Key`` (``idempotency_key`` or a
        new one) and is retried safely under it. The job returned has
        ``idempotency_key`` and ``media_id`` (and ``uploaded``, the
        :class:`MediaFile`, after an upload). A failure raises with the key
        in ``e.idempotency_key`` (and the uploaded file, if any, in
        ``e.uploaded``), so creating again with them cannot make a second
        job or upload the media again."""
        if template is None:
            raise InvalidArgumentError(-3, "create_job needs a template")
        sources = [x for x in (media_id, file, url) if x is not None]
        if len(sources) != 1:
            raise InvalidArgumentError(
                -3, "create_job needs exactly one of media_id, file and url")
        uploaded: Optional[MediaFile] = None
        if media_id is None:
            uploaded = self.upload(file, url=url, progress=upload_progress)
            media_id = uploaded.media_id
        s = _Strings()
        t = target or Target()
        r = ffi.new("quire_job_request *")
        r.version = _cdef.JOB_REQUEST_VERSION
        r.media_id = s(media_id)
        r.template_name = s(template)
        if params is not None:
            r.template_params = s(params if isinstance(params, str)
                                  else json.dumps(params))
        self._fill_target(r, t, s)
        r.webhook_url = s(webhook_url)
        r.webhook_headers, r.webhook_header_count = self._headers(
            webhook_headers, s)
        r.label = s(label)
        r.entity_label = s(entity_label)
        r.idempotency_key = s(idempotency_key)
        try:
            job = self._create(lib().quire_client_create_job, r)
        except QuireError as e:
            setattr(e, "uploaded", uploaded)
            raise
        job.media_id = media_id
        job.uploaded = uploaded
        return job

    @staticmethod
    def _headers(headers: Optional[WebhookHeaders],
                 s: _Strings) -> Tuple[Any, int]:
        lines = _header_lines(headers)
        if not lines:
            return ffi.NULL, 0
        arr = ffi.new("const char *[]", [s(x) for x in lines])
        s.keep.append(arr)
        return arr, len(lines)

    @staticmethod
    def _fill_target(r: Any, t: Target, s: _Strings) -> None:
        try:
            r.target = _cdef.TARGETS[t.strategy]
        except KeyError:
            raise InvalidArgumentError(-3, "unknown target %r" % t.strategy)
        r.target_start = -1 if t.start is None else float(t.start)
        r.target_end = -1 if t.end is None else float(t.end)
        r.target_entity_id = s(t.entity_id)
        r.target_hint = s(t.hint_text)
        r.target_speaker_index = (-1 if t.speaker_index is None
                                  else int(t.speaker_index))
        r.target_fallback_dominant = 1 if t.fallback_dominant else 0

    @staticmethod
    def _fill_subject(c: Any, sub: Subject, s: _Strings) -> None:
        t = sub.target
        c.entity_id = s(sub.entity_id)
        c.media_id = s(sub.media_id)
        try:
            c.strategy = _cdef.TARGETS[t.strategy]
        except KeyError:
            raise InvalidArgumentError(-3, "unknown target %r" % t.strategy)
        c.start = -1 if t.start is None else float(t.start)
        c.end = -1 if t.end is None else float(t.end)
        c.entity_sel = s(t.entity_id)
        c.hint = s(t.hint_text)
        c.speaker_index = -1 if t.speaker_index is None else int(t.speaker_index)
        c.fallback_dominant = 1 if t.fallback_dominant else 0

    def create_matching_job(self, target: Subject, group: Sequence[Subject], *,
                            context: Optional[str] = None,
                            webhook_url: Optional[str] = None,
                            webhook_headers: Optional[WebhookHeaders] = None,
                            idempotency_key: Optional[str] = None) -> Job:
        """``POST /v1/matching/jobs``: compares ``target`` with each member
        of ``group`` (1 to 64). ``context`` defaults to
        ``behavioral_compatibility``; ``webhook_url`` and ``webhook_headers``
        as in :meth:`create_job`. Idempotent as :meth:`create_job`."""
        s = _Strings()
        r = ffi.new("quire_matching_request *")
        r.version = _cdef.MATCHING_REQUEST_VERSION
        r.context = s(context)
        self._fill_subject(r.target, target, s)
        members = ffi.new("quire_subject[]", max(1, len(group)))
        for i, sub in enumerate(group):
            self._fill_subject(members[i], sub, s)
        r.group = members
        r.group_count = len(group)
        r.webhook_url = s(webhook_url)
        r.webhook_headers, r.webhook_header_count = self._headers(
            webhook_headers, s)
        r.idempotency_key = s(idempotency_key)
        return self._create(lib().quire_client_create_matching_job, r)

    def _create(self, fn: Any, req: Any) -> Job:
        out = ffi.new("quire_job **")
        idem = new_buf(256)
        err = ffi.new("quire_error *")
        with self._lock, self._h.use() as c:
            rc = fn(out, idem, c, req, err)
        key = take_buf(idem).decode("utf-8", "replace") or None
        if rc != 0:
            e = from_struct(rc, err)
            setattr(e, "idempotency_key", key)
            raise e
        return Job(out[0], owned=True, idempotency_key=key)

    def _wait_opts(self, timeout: Optional[float], poll: bool,
                   progress: Optional[Callable[[Job], Any]],
                   on_event: Optional[Callable[[JobEvent], Any]],
                   cancel: Any) -> Any:
        if on_event is not None and not callable(on_event):
            raise InvalidArgumentError(-3, "on_event must be a callable")
        w = _Wait(progress, on_event, _cancel_check(cancel))
        h = ffi.new_handle(w)
        o = ffi.new("quire_wait_options *")
        o.version = _cdef.WAIT_OPTIONS_VERSION
        o.flags = _cdef.WAIT_POLL if poll else 0
        o.timeout_ms = _ms(timeout)
        if progress is not None:
            o.progress = _on_progress
            o.payload = h
        k = ffi.new("quire_wait_hooks *")
        k.version = _cdef.WAIT_HOOKS_VERSION
        k.payload = h
        if on_event is not None:
            k.event = _on_event
        if progress is not None or on_event is not None or cancel is not None:
            k.cancel = _on_cancel
        return w, h, o, k

    def wait_job(self, job_id: str, *, timeout: Optional[float] = None,
                 poll: bool = False,
                 progress: Optional[Callable[[Job], Any]] = None,
                 on_event: Optional[Callable[[JobEvent], Any]] = None,
                 cancel: Any = None) -> Job:
        """Waits until the job ends (its event stream, with polling as the
        fallback; ``poll=True`` polls only) and returns the succeeded job.
        ``timeout`` is the overall deadline in seconds (default 300).
        ``progress`` is called with a :class:`Job` snapshot at each new
        status, stage or progress; ``on_event`` with every raw
        :class:`JobEvent`. ``cancel`` (a :class:`threading.Event`, or a
        callable returning true to stop) is asked between events and every
        50 ms while waiting; when set, the wait stops with
        :class:`quire.AbortedError` and the job goes on
        (:meth:`cancel_job` cancels it). A listener that raises stops the
        wait and its exception is raised. Raises
        :class:`quire.JobFailedError` (the message has the job's error),
        :class:`quire.JobCanceledError`, :class:`quire.QuireTimeoutError`."""
        jid = self._id(job_id, "job_id")
        w, h, o, k = self._wait_opts(timeout, poll, progress, on_event, cancel)
        out = ffi.new("quire_job **")
        err = ffi.new("quire_error *")
        with self._lock, self._h.use() as c:
            rc = lib().quire_client_wait_job_hooks(out, c, jid, o, k, err)
        if rc == 0 and w.error is not None:
            lib().quire_job_free(out[0])
        if w.error is not None:
            raise w.error
        if rc != 0:
            raise from_struct(rc, err)
        return Job(out[0], owned=True)

    def wait_report(self, job_id: str, *, timeout: Optional[float] = None,
                    poll: bool = False,
                    progress: Optional[Callable[[Job], Any]] = None,
                    on_event: Optional[Callable[[JobEvent], Any]] = None,
                    cancel: Any = None) -> bytes:
        """:meth:`wait_job`, then the report JSON (asking again while it is
        not ready), all within the one deadline; ``cancel`` also stops the
        asking."""
        jid = self._id(job_id, "job_id")
        w, h, o, k = self._wait_opts(timeout, poll, progress, on_event, cancel)
        buf = new_buf()
        err = ffi.new("quire_error *")
        with self._lock, self._h.use() as c:
            rc = lib().quire_client_wait_report_hooks(buf, c, jid, o, k, err)
        if rc != 0 or w.error is not None:
            lib().quire_buf_dispose(buf)
            if w.error is not None:
                raise w.error
            raise from_struct(rc, err)
        return take_buf(buf)


    # -- media files -----------------------------------------------------
    def upload(self, path: Optional[Union[str, "os.PathLike[str]"]] = None,
               *, url: Optional[str] = None, filename: Optional[str] = None,
               content_type: Optional[str] = None,
               label: Optional[str] = None,
               idempotency_key: Optional[str] = None,
               progress: Optional[Callable[[int, Optional[int]], Any]] = None
               ) -> MediaFile:
        """``POST /v1/files``: uploads a media file and returns it
        (``media_id`` is what :meth:`create_job` takes).

        Give ``path`` (a local file, streamed from disk as it is sent: any
        size uploads in constant memory) or ``url`` (https, or http to
        loopback: fetched first without the API key into a temporary file,
        removed afterwards). ``filename`` defaults to the path's name,
        ``content_type`` to a guess from it; ``label`` is stored with the
        file. ``progress(sent, total)`` is called as bytes go out (``total``
        None when unknown). Sent with an ``Idempotency-Key`` and retried
        under it; the file returned (and a failure's exception) carries
        ``idempotency_key``. Raises :class:`quire.QuireIOError` when the
        file cannot be read, :class:`quire.NetworkError` when the url
        cannot be fetched."""
        s = _Strings()
        r = ffi.new("quire_upload_request *")
        r.version = _cdef.UPLOAD_REQUEST_VERSION
        r.path = s(None if path is None else os.fspath(path))
        r.url = s(url)
        r.filename = s(filename)
        r.content_type = s(content_type)
        r.label = s(label)
        r.idempotency_key = s(idempotency_key)
        u = _Upload(progress)
        h = ffi.new_handle(u)
        if progress is not None:
            r.progress = _on_upload
            r.payload = h
        out = ffi.new("quire_file **")
        idem = new_buf(256)
        err = ffi.new("quire_error *")
        with self._lock, self._h.use() as c:
            rc = lib().quire_client_upload(out, idem, c, r, err)
        key = take_buf(idem).decode("utf-8", "replace") or None
        if rc == 0:
            f = self._take_file(out[0], key)
        if u.error is not None:
            raise u.error
        if rc != 0:
            e = from_struct(rc, err)
            setattr(e, "idempotency_key", key)
            raise e
        return f

    @staticmethod
    def _take_file(ptr: Any, key: Optional[str] = None) -> MediaFile:
        try:
            return MediaFile(ptr, key)
        finally:
            lib().quire_file_free(ptr)

    def _file_call(self, fn: Any, media_id: str, *extra: Any) -> MediaFile:
        mid = self._id(media_id, "media_id")
        out = ffi.new("quire_file **")
        err = ffi.new("quire_error *")
        with self._lock, self._h.use() as c:
            rc = fn(out, c, mid, *extra, err)
        if rc != 0:
            raise from_struct(rc, err)
        return self._take_file(out[0])

    def get_file(self, media_id: str) -> MediaFile:
        """``GET /v1/files/{id}``. A deleted file raises
        :class:`quire.NotFoundError` (the server's 410 ``gone``)."""
        return self._file_call(lib().quire_client_get_file, media_id)

    def delete_file(self, media_id: str) -> MediaFile:
        """``DELETE /v1/files/{id}``; the answer has ``deleted`` True."""
        return self._file_call(lib().quire_client_delete_file, media_id)

    def set_file_retention(self, media_id: str, lock: bool) -> MediaFile:
        """``PATCH /v1/files/{id}/retention``: ``lock=True`` keeps the file
        from automatic deletion, ``False`` releases it."""
        return self._file_call(lib().quire_client_set_file_retention,
                               media_id, 1 if lock else 0)

    def _list(self, fn: Any, limit: int, cursor: Optional[str],
              include_deleted: bool, files: bool) -> Page:
        s = _Strings()
        r = ffi.new("quire_list_request *")
        r.version = _cdef.LIST_REQUEST_VERSION
        r.limit = int(limit)
        r.cursor = s(cursor)
        r.include_deleted = 1 if include_deleted else 0
        out = ffi.new("quire_page **")
        err = ffi.new("quire_error *")
        with self._lock, self._h.use() as c:
            rc = fn(out, c, r, err)
        if rc != 0:
            raise from_struct(rc, err)
        L = lib()
        p = out[0]
        try:
            n = L.quire_page_count(p)
            items: List[Any] = [
                MediaFile(L.quire_page_file(p, i)) if files
                else Entity(L.quire_page_entity(p, i)) for i in range(n)]
            return Page(items, bool(L.quire_page_has_more(p)),
                        _t(L.quire_page_next_cursor(p)),
                        _t(L.quire_page_json(p)) or "{}")
        finally:
            L.quire_page_free(p)

    def list_files(self, *, limit: int = 0, cursor: Optional[str] = None,
                   include_deleted: bool = False) -> Page:
        """``GET /v1/files``: one page of :class:`MediaFile` (``limit``
        1..100, 0 for the server's default of 20; ``cursor`` from the
        previous page's ``next_cursor``)."""
        return self._list(lib().quire_client_list_files, limit, cursor,
                          include_deleted, True)

    def list_all_files(self, *, limit: int = 0,
                       cursor: Optional[str] = None,
                       include_deleted: bool = False) -> Page:
        """Every page of ``GET /v1/files`` from ``cursor`` on (``limit``
        per request), gathered into one :class:`Page` with no next cursor.
        A list that would not end (``hasMore`` without a cursor, a cursor
        seen before, over 10,000 pages) raises :class:`quire.ServerError`;
        more items than the client's ``max_response`` bytes,
        :class:`quire.TooBigError`."""
        return self._list(lib().quire_client_list_files_all, limit, cursor,
                          include_deleted, True)

    # -- entities --------------------------------------------------------
    def list_all_entities(self, *, limit: int = 0,
                          cursor: Optional[str] = None) -> Page:
        """Every page of ``GET /v1/entities``, as :meth:`list_all_files`."""
        return self._list(lib().quire_client_list_entities_all, limit,
                          cursor, False, False)

    def list_entities(self, *, limit: int = 0,
                      cursor: Optional[str] = None) -> Page:
        """``GET /v1/entities``: one page of :class:`Entity`, as
        :meth:`list_files`."""
        return self._list(lib().quire_client_list_entities, limit, cursor,
                          False, False)

    def _entity_call(self, fn: Any, ident: str, *extra: Any) -> Entity:
        eid = self._id(ident, "entity_id")
        out = ffi.new("quire_entity **")
        err = ffi.new("quire_error *")
        with self._lock, self._h.use() as c:
            rc = fn(out, c, eid, *extra, err)
        if rc != 0:
            raise from_struct(rc, err)
        try:
            return Entity(out[0])
        finally:
            lib().quire_entity_free(out[0])

    def get_entity(self, entity_id: str) -> Entity:
        """``GET /v1/entities/{id}``."""
        return self._entity_call(lib().quire_client_get_entity, entity_id)

    def set_entity_label(self, entity_id: str,
                         label: Optional[str]) -> Entity:
        """``PATCH /v1/entities/{id}``: sets the label (trimmed; 1 to 64
        characters, else :class:`quire.InvalidArgumentError` before
        anything is sent), or clears it with ``None``."""
        return self._entity_call(lib().quire_client_set_entity_label,
                                 entity_id, _Strings()(label))
