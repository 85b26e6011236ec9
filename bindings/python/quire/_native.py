"""Finding and loading libquire.

Search order (the first that exists wins; a library that is there but
fails to load or is too old is an error, never silently skipped):

1. the path given to :func:`quire.load_library`;
2. the ``QUIRE_LIBRARY`` environment variable (a path to ``libquire.so``);
3. the system loader: ``libquire.so.0`` by soname (``LD_LIBRARY_PATH``,
   the ``ldconfig`` cache, the default directories), then the places
   ``make install`` puts it (``/usr/local/lib``, ``/usr/lib``) in case
   ``ldconfig`` has not been run since.
"""

from __future__ import annotations

import os
import re
import threading
from typing import Any, List, Optional, Tuple

from . import _cdef

try:
    import cffi
except ImportError as e:  # pragma: no cover - depends on the machine
    raise ImportError(
        "quire needs cffi (Debian: apt-get install python3-cffi; "
        "elsewhere: pip install cffi)") from e

#: The oldest libquire this binding can drive: the struct layouts and
#: functions it declares first appeared there.
MIN_VERSION: Tuple[int, int, int] = (0, 1, 0)
SONAME = "libquire.so.0"
ENV_VAR = "QUIRE_LIBRARY"
INSTALL_DIRS = ("/usr/local/lib", "/usr/lib")

ffi = cffi.FFI()
ffi.cdef(_cdef.CDEF)
#: Every function declared, in declaration order.
FUNCTIONS = tuple(dict.fromkeys(re.findall(r"\b(quire_\w+)\(", _cdef.CDEF)))

_lock = threading.Lock()
_lib: Any = None
_path: Optional[str] = None


class LibraryError(ImportError):
    """libquire could not be found, loaded, or is too old for this binding."""


def _parse_version(text: str) -> Tuple[int, int, int]:
    parts = text.split("-", 1)[0].split(".")
    try:
        nums = [int(p) for p in parts[:3]]
    except ValueError:
        raise LibraryError("libquire reports an unreadable version %r" % text)
    while len(nums) < 3:
        nums.append(0)
    return (nums[0], nums[1], nums[2])


def _open(path: str) -> Any:
    # RTLD_NODELETE: libquire keeps a per-thread font cache whose destructor
    # runs as each thread exits; were the library unloaded first (cffi
    # closes it when the handle is collected, at the latest at interpreter
    # shutdown), a thread exiting afterwards would jump into unmapped code.
    flags = ffi.RTLD_NOW | getattr(ffi, "RTLD_NODELETE", 0)
    try:
        lib = ffi.dlopen(path, flags)
    except OSError as e:
        raise LibraryError("cannot load libquire from %s: %s" % (path, e))
    try:
        raw = lib.quire_version()
    except AttributeError:
        raise LibraryError("%s is not libquire (no quire_version)" % path)
    version = ffi.string(raw).decode("ascii", "replace")
    have = _parse_version(version)
    want = ".".join(str(n) for n in MIN_VERSION)
    if have < MIN_VERSION:
        raise LibraryError(
            "libquire %s at %s is too old: this binding needs %s or newer"
            % (version, path, want))
    if have[0] != MIN_VERSION[0]:
        raise LibraryError(
            "libquire %s at %s is a different major version: this binding "
            "is for %d.x" % (version, path, MIN_VERSION[0]))
    # Symbols are resolved lazily by cffi; check every one this binding
    # declares now, so a library older than a call (one without
    # quire_client_upload, say) fails here with a clear message rather than
    # with an AttributeError in the middle of a program.
    for name in FUNCTIONS:
        try:
            getattr(lib, name)
        except AttributeError:
            raise LibraryError("libquire %s at %s lacks %s: too old" %
                               (version, path, name))
    lib.quire_global_init()
    return lib


def _candidates() -> List[Tuple[str, bool]]:
    """(name or path, must_exist) in search order."""
    out: List[Tuple[str, bool]] = []
    env = os.environ.get(ENV_VAR)
    if env:
        out.append((env, True))
        return out
    out.append((SONAME, False))
    for d in INSTALL_DIRS:
        out.append((os.path.join(d, SONAME), False))
    return out


def load_library(path: Optional[str] = None) -> str:
    """Loads libquire now and returns the path or name it was loaded from.

    With ``path``, exactly that file is used (and replaces a library loaded
    earlier only if none was loaded yet). Without it, the search described
    in this module's docstring runs. Raises :class:`LibraryError` when the
    library is missing, is not libquire, or is older than
    ``MIN_VERSION``.
    """
    global _lib, _path
    with _lock:
        if _lib is not None:
            if path is not None and os.path.realpath(path) != os.path.realpath(
                    _path or ""):
                raise LibraryError(
                    "libquire is already loaded from %s; call "
                    "quire.load_library() before any other quire call" % _path)
            return _path or ""
        if path is not None:
            if not os.path.exists(path):
                raise LibraryError("libquire not found at %s" % path)
            _lib, _path = _open(path), path
            return path
        tried = []
        for cand, must in _candidates():
            if must and not os.path.exists(cand):
                raise LibraryError(
                    "libquire not found at %s (from $%s)" % (cand, ENV_VAR))
            if not must and os.sep in cand and not os.path.exists(cand):
                tried.append(cand)
                continue
            try:
                _lib = _open(cand)
            except LibraryError as e:
                # A soname the loader cannot find is "not here"; anything
                # else (too old, not libquire) is the answer.
                if os.sep not in cand and "cannot load" in str(e):
                    tried.append(cand + " (system loader)")
                    continue
                raise
            _path = cand
            return cand
        raise LibraryError(
            "libquire not found (looked for %s); build it with `make` and set "
            "%s=/path/to/libquire.so, call quire.load_library(path), or "
            "`make install` it (then run ldconfig)" % (", ".join(tried), ENV_VAR))


def lib() -> Any:
    """The loaded library, loading it on first use."""
    if _lib is None:
        load_library()
    return _lib


def library_path() -> Optional[str]:
    """Where libquire was loaded from, or None before the first call."""
    return _path
