"""Exceptions carrying a quire_error: one class per error code.

Every failure of a libquire call raises a subclass of :class:`QuireError`
whose attributes are the fields of the C ``quire_error``: ``code`` (the
negative ``QUIRE_E*`` number), ``name`` (``"ESYNTAX"``), ``message``,
``source`` (file or URL, never with the API key), ``line``/``column``
(JSON syntax errors), ``path`` (JSON path of a shape error),
``request_id`` and ``http_status`` (API calls). ``str(e)`` is the one-line
form the CLI prints: ``SOURCE:LINE:COL: message``.
"""

from __future__ import annotations

from typing import Any, Dict, Optional, Type

CODE_NAMES: Dict[int, str] = {
    -1: "ERROR", -2: "ENOMEM", -3: "EINVAL", -4: "ESYNTAX", -5: "ESCHEMA",
    -6: "ETOOBIG", -7: "EIO", -8: "ENOTREADY", -9: "ETEMPLATE", -10: "ENET",
    -11: "EAUTH", -12: "ECREDITS", -13: "ENOTFOUND", -14: "EVALIDATION",
    -15: "ERATELIMIT", -16: "ESERVER", -17: "ETIMEOUT", -18: "EJOBFAILED",
    -19: "EJOBCANCELED", -20: "EUNSUPPORTED", -21: "EFONT", -22: "ESIGNATURE",
    -23: "EREFUSED", -24: "EABORTED",
}


class QuireError(Exception):
    """A libquire call failed. See the module docstring for the fields."""

    code: int
    name: str
    message: str
    source: str
    line: int
    column: int
    path: str
    request_id: str
    http_status: int

    def __init__(self, code: int, message: str = "", *, source: str = "",
                 line: int = 0, column: int = 0, path: str = "",
                 request_id: str = "", http_status: int = 0,
                 formatted: Optional[str] = None) -> None:
        self.code = code
        self.name = CODE_NAMES.get(code, "ERROR")
        self.message = message
        self.source = source
        self.line = line
        self.column = column
        self.path = path
        self.request_id = request_id
        self.http_status = http_status
        super().__init__(formatted or message or self.name)

    def __repr__(self) -> str:
        return "%s(%s, %r)" % (type(self).__name__, self.name, str(self))


class QuireMemoryError(QuireError):
    """QUIRE_ENOMEM: out of memory."""


class InvalidArgumentError(QuireError, ValueError):
    """QUIRE_EINVAL: a bad argument from the caller."""


class JSONSyntaxError(QuireError, ValueError):
    """QUIRE_ESYNTAX: the input is not well-formed JSON (line, column)."""


class SchemaError(QuireError, ValueError):
    """QUIRE_ESCHEMA: the report breaks its contract (path)."""


class TooBigError(QuireError):
    """QUIRE_ETOOBIG: an input or output exceeded its size cap."""


class QuireIOError(QuireError):
    """QUIRE_EIO: reading or writing a file or stream failed."""


class NotReadyError(QuireError):
    """QUIRE_ENOTREADY: the report does not exist yet (a by-job null)."""


class TemplateError(QuireError):
    """QUIRE_ETEMPLATE: a template file is broken (file:line)."""


class NetworkError(QuireError):
    """QUIRE_ENET: connection, TLS or protocol failure."""


class AuthError(QuireError):
    """QUIRE_EAUTH: HTTP 401/403."""


class CreditsError(QuireError):
    """QUIRE_ECREDITS: HTTP 402, insufficient credits."""


class NotFoundError(QuireError):
    """QUIRE_ENOTFOUND: HTTP 404, or a missing template or file."""


class APIValidationError(QuireError):
    """QUIRE_EVALIDATION: HTTP 422, the API refused the request's content."""


class RateLimitError(QuireError):
    """QUIRE_ERATELIMIT: HTTP 429 after every retry."""


class ServerError(QuireError):
    """QUIRE_ESERVER: HTTP 5xx after every retry, or a bad response."""


class QuireTimeoutError(QuireError):
    """QUIRE_ETIMEOUT: a deadline passed."""


class JobFailedError(QuireError):
    """QUIRE_EJOBFAILED: the job ended in status failed."""


class JobCanceledError(QuireError):
    """QUIRE_EJOBCANCELED: the job ended in status canceled."""


class UnsupportedError(QuireError):
    """QUIRE_EUNSUPPORTED: the feature is not built into this libquire."""


class FontError(QuireError):
    """QUIRE_EFONT: no usable font."""


class SignatureError(QuireError):
    """QUIRE_ESIGNATURE: a webhook signature is missing, stale or wrong."""


class RefusedError(QuireError):
    """QUIRE_EREFUSED: any other HTTP 4xx (400, 405, 409, 410...)."""


class AbortedError(QuireError):
    """QUIRE_EABORTED: the caller stopped the call (a wait's ``cancel``);
    the job itself goes on (:meth:`quire.Client.cancel_job` cancels it)."""


_BY_CODE: Dict[int, Type[QuireError]] = {
    -2: QuireMemoryError, -3: InvalidArgumentError, -4: JSONSyntaxError,
    -5: SchemaError, -6: TooBigError, -7: QuireIOError, -8: NotReadyError,
    -9: TemplateError, -10: NetworkError, -11: AuthError, -12: CreditsError,
    -13: NotFoundError, -14: APIValidationError, -15: RateLimitError,
    -16: ServerError, -17: QuireTimeoutError, -18: JobFailedError,
    -19: JobCanceledError, -20: UnsupportedError, -21: FontError,
    -22: SignatureError, -23: RefusedError, -24: AbortedError,
}


def error_class(code: int) -> Type[QuireError]:
    """The exception class raised for a QUIRE_E* code."""
    return _BY_CODE.get(code, QuireError)


def from_struct(rc: int, err: Any) -> QuireError:
    """Builds the exception for return code rc from a filled quire_error."""
    from ._native import ffi, lib

    def text(field: Any) -> str:
        return str(ffi.string(field).decode("utf-8", "replace"))

    if err.code == 0:
        err.code = rc  # a failure that filled nothing: still say what it was
    code = err.code
    line = ffi.new("char[]", 1400)
    formatted = text(lib().quire_error_format(err, line, 1400))
    message = text(err.message) or text(lib().quire_strerror(code))
    return error_class(code)(
        code, message, source=text(err.source), line=err.line,
        column=err.column, path=text(err.path),
        request_id=text(err.request_id), http_status=err.http_status,
        formatted=formatted)
