/* libcurl, loaded on first use. Linking libcurl put it and about 23
 * libraries it needs (OpenSSL, GnuTLS, krb5, LDAP, ssh2, rtmp, nghttp2...)
 * into every quire process, `quire render` included: 26 of its 71 shared
 * libraries, 24.7 of the 33.7 million instructions of `quire --version`
 * (callgrind; mostly the dynamic loader's relocations), and 8 MB of its
 * peak RSS, for libraries only the API client uses.
 *
 * So libquire does not link libcurl. This file defines the libcurl
 * functions lib/fetch/ calls, under their own names and prototypes (checked
 * against <curl/curl.h>); each one loads libcurl.so.4 once, the first time
 * any is called, and forwards through a table of function pointers. The
 * call sites stay plain libcurl. Hidden visibility keeps these definitions
 * inside libquire.so; a program linking libquire.a and libcurl itself gets
 * these forwarders, which call the same libcurl.
 *
 * curl_global_init only records its flags: the real one runs when libcurl
 * is loaded, inside the same pthread_once, so it still runs once and before
 * any other libcurl call. If libcurl.so.4 cannot be loaded, the functions
 * fail the way libcurl reports running out of memory (NULL handles,
 * CURLE_FAILED_INIT), and cleanups are no-ops since nothing was made. */
#define CURL_DISABLE_TYPECHECK /* its macros would rename the definitions */
#include <curl/curl.h>

#include "version.h"

#include <dlfcn.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdio.h>
#include <string.h>

#include "fetch.h"

/* Every libcurl function lib/fetch/ may call: X(return type, name,
 * parameters, arguments, value on failure) or, for functions that return
 * nothing and only ever release what libcurl made, V(name, parameters,
 * arguments). The two variadic ones are written out below. To call a new
 * libcurl function, add its line here. */
#define S_FUNCTIONS(X, V)                                                      \
  X(CURL *, curl_easy_init, (void), (), NULL)                                  \
  X(CURLcode, curl_easy_perform, (CURL * h), (h), CURLE_FAILED_INIT)           \
  V(curl_easy_cleanup, (CURL * h), (h))                                        \
  V(curl_easy_reset, (CURL * h), (h))                                          \
  X(const char *, curl_easy_strerror, (CURLcode c), (c),                       \
    "libcurl.so.4 could not be loaded")                                        \
  X(char *, curl_easy_escape, (CURL * h, const char *s, int n), (h, s, n),     \
    NULL)                                                                      \
  V(curl_free, (void *p), (p))                                                 \
  X(struct curl_slist *, curl_slist_append,                                    \
    (struct curl_slist * l, const char *s), (l, s), NULL)                      \
  V(curl_slist_free_all, (struct curl_slist * l), (l))                         \
  X(CURLU *, curl_url, (void), (), NULL)                                       \
  V(curl_url_cleanup, (CURLU * u), (u))                                        \
  X(CURLUcode, curl_url_get,                                                   \
    (CURLU * u, CURLUPart what, char **part, unsigned int flags),              \
    (u, what, part, flags), CURLUE_OUT_OF_MEMORY)                              \
  X(CURLUcode, curl_url_set,                                                   \
    (CURLU * u, CURLUPart what, const char *part, unsigned int flags),         \
    (u, what, part, flags), CURLUE_OUT_OF_MEMORY)                              \
  X(curl_mime *, curl_mime_init, (CURL * h), (h), NULL)                        \
  V(curl_mime_free, (curl_mime * m), (m))                                      \
  X(curl_mimepart *, curl_mime_addpart, (curl_mime * m), (m), NULL)            \
  X(CURLcode, curl_mime_name, (curl_mimepart * p, const char *s), (p, s),      \
    CURLE_FAILED_INIT)                                                         \
  X(CURLcode, curl_mime_filename, (curl_mimepart * p, const char *s), (p, s),  \
    CURLE_FAILED_INIT)                                                         \
  X(CURLcode, curl_mime_type, (curl_mimepart * p, const char *s), (p, s),      \
    CURLE_FAILED_INIT)                                                         \
  X(CURLcode, curl_mime_data, (curl_mimepart * p, const char *d, size_t n),    \
    (p, d, n), CURLE_FAILED_INIT)                                              \
  X(CURLcode, curl_mime_filedata, (curl_mimepart * p, const char *s), (p, s),  \
    CURLE_FAILED_INIT)                                                         \
  X(CURLcode, curl_mime_headers,                                               \
    (curl_mimepart * p, struct curl_slist * h, int take), (p, h, take),        \
    CURLE_FAILED_INIT)                                                         \
  X(CURLcode, curl_mime_data_cb,                                               \
    (curl_mimepart * p, curl_off_t size, curl_read_callback r,                 \
     curl_seek_callback s, curl_free_callback f, void *arg),                   \
    (p, size, r, s, f, arg), CURLE_FAILED_INIT)                                \
  X(CURLcode, curl_easy_pause, (CURL * h, int bitmask), (h, bitmask),          \
    CURLE_FAILED_INIT)                                                         \
  X(CURLM *, curl_multi_init, (void), (), NULL)                                \
  X(CURLMcode, curl_multi_cleanup, (CURLM * m), (m), CURLM_BAD_HANDLE)         \
  X(CURLMcode, curl_multi_add_handle, (CURLM * m, CURL * h), (m, h),           \
    CURLM_BAD_HANDLE)                                                          \
  X(CURLMcode, curl_multi_remove_handle, (CURLM * m, CURL * h), (m, h),        \
    CURLM_BAD_HANDLE)                                                          \
  X(CURLMcode, curl_multi_perform, (CURLM * m, int *running), (m, running),    \
    CURLM_BAD_HANDLE)                                                          \
  X(CURLMcode, curl_multi_poll,                                                \
    (CURLM * m, struct curl_waitfd * fds, unsigned int n, int ms, int *ret),   \
    (m, fds, n, ms, ret), CURLM_BAD_HANDLE)                                    \
  X(CURLMsg *, curl_multi_info_read, (CURLM * m, int *left), (m, left), NULL)  \
  X(curl_version_info_data *, curl_version_info, (CURLversion v), (v), NULL)

typedef CURLcode (*S_setopt_fn)(CURL *, CURLoption, ...);
typedef CURLcode (*S_getinfo_fn)(CURL *, CURLINFO, ...);
typedef CURLcode (*S_global_init_fn)(long);

#define S_FIELD(ret, name, params, args, fail) ret(*name) params;
#define S_VFIELD(name, params, args) void(*name) params;
static struct {
  S_FUNCTIONS(S_FIELD, S_VFIELD)
  S_setopt_fn curl_easy_setopt;
  S_getinfo_fn curl_easy_getinfo;
} S_curl;

static pthread_once_t S_once = PTHREAD_ONCE_INIT;
/* Why libcurl is not there, for the caller's error: written once inside
 * S_once, read only after it. */
static char S_why[512];
static atomic_int S_loaded; /* 1 once every pointer is set and init ran */
static atomic_long S_global_flags = CURL_GLOBAL_DEFAULT;

/* dlsym into a function pointer without the object-to-function pointer
 * conversion ISO C does not define. */
static int S_sym(void *lib, const char *name, void *fp, size_t size) {
  void *p = dlsym(lib, name);
  if (!p || size != sizeof p)
    return 0;
  memcpy(fp, &p, size);
  return 1;
}

static void S_load(void) {
  void *lib = dlopen("libcurl.so.4", RTLD_NOW | RTLD_LOCAL);
  if (!lib) {
    const char *e = dlerror();
    snprintf(S_why, sizeof S_why, "%s", e ? e : "dlopen failed");
    return;
  }
  S_global_init_fn global_init;
  int ok = S_sym(lib, "curl_global_init", &global_init, sizeof global_init) &&
           S_sym(lib, "curl_easy_setopt", &S_curl.curl_easy_setopt,
                 sizeof S_curl.curl_easy_setopt) &&
           S_sym(lib, "curl_easy_getinfo", &S_curl.curl_easy_getinfo,
                 sizeof S_curl.curl_easy_getinfo);
#define S_RESOLVE(ret, name, params, args, fail)                               \
  ok = ok && S_sym(lib, #name, &S_curl.name, sizeof S_curl.name);
#define S_VRESOLVE(name, params, args)                                         \
  ok = ok && S_sym(lib, #name, &S_curl.name, sizeof S_curl.name);
  S_FUNCTIONS(S_RESOLVE, S_VRESOLVE)
  /* A libcurl too old for one of them, or whose global init fails, is not
   * used at all. It stays mapped: libcurl may have started threads or
   * registered handlers that expect it to. */
  if (!ok) {
    snprintf(S_why, sizeof S_why,
             "libcurl.so.4 lacks a function quire needs (libcurl too old)");
    return;
  }
  if (global_init(atomic_load(&S_global_flags)) != CURLE_OK) {
    snprintf(S_why, sizeof S_why, "libcurl's curl_global_init failed");
    return;
  }
  atomic_store(&S_loaded, 1);
}

static int S_ready(void) {
  pthread_once(&S_once, S_load);
  return atomic_load(&S_loaded);
}

const char *quire__curl_unavailable(void) {
  return S_ready() ? NULL : S_why[0] ? S_why : "libcurl.so.4 is not loaded";
}

#define S_DEFINE(ret, name, params, args, fail)                                \
  ret name params { return S_ready() ? S_curl.name args : fail; }
/* Releasing something libcurl made implies libcurl is loaded; releasing
 * NULL before any use must not load it. */
#define S_VDEFINE(name, params, args)                                          \
  void name params {                                                           \
    if (atomic_load(&S_loaded))                                                \
      S_curl.name args;                                                        \
  }
S_FUNCTIONS(S_DEFINE, S_VDEFINE)

/* Whether libcurl is loaded, without loading it (quire --version). */
int quire__curl_loaded(void) { return atomic_load(&S_loaded); }

CURLcode curl_global_init(long flags) {
  atomic_store(&S_global_flags, flags);
  return CURLE_OK;
}

/* curl_easy_setopt takes one argument after the option, whose type the
 * option's number range says (CURLOPTTYPE_*), as libcurl itself reads it. */
CURLcode curl_easy_setopt(CURL *h, CURLoption opt, ...) {
  if (!S_ready())
    return CURLE_FAILED_INIT;
  va_list ap;
  va_start(ap, opt);
  CURLcode rc;
  if (opt < CURLOPTTYPE_OBJECTPOINT) {
    long v = va_arg(ap, long);
    rc = S_curl.curl_easy_setopt(h, opt, v);
  } else if (opt < CURLOPTTYPE_FUNCTIONPOINT) {
    void *v = va_arg(ap, void *);
    rc = S_curl.curl_easy_setopt(h, opt, v);
  } else if (opt < CURLOPTTYPE_OFF_T) {
    typedef void (*any_fn)(void);
    any_fn v = va_arg(ap, any_fn);
    rc = S_curl.curl_easy_setopt(h, opt, v);
  } else if (opt < CURLOPTTYPE_BLOB) {
    curl_off_t v = va_arg(ap, curl_off_t);
    rc = S_curl.curl_easy_setopt(h, opt, v);
  } else {
    void *v = va_arg(ap, void *);
    rc = S_curl.curl_easy_setopt(h, opt, v);
  }
  va_end(ap);
  return rc;
}

/* Every CURLINFO_* takes a pointer to where the answer goes. */
CURLcode curl_easy_getinfo(CURL *h, CURLINFO info, ...) {
  if (!S_ready())
    return CURLE_FAILED_INIT;
  va_list ap;
  va_start(ap, info);
  void *out = va_arg(ap, void *);
  va_end(ap);
  return S_curl.curl_easy_getinfo(h, info, out);
}
