# quire: one Makefile for the library, the CLI, tests, demo and benchmarks.
#
#   make                 build/lib/libquire.{a,so} and build/quire
#   make test            install missing Debian packages, build, run every test
#   make demo            install, build, render a bundled sample to text/HTML/PDF
#   make SANITIZE=1 test the same under AddressSanitizer + UBSan (build-asan/)
#   make PDF=haru        a library without cairo/pango/fontconfig (libharu PDF)
#   make install PREFIX=/usr/local DESTDIR= [LIBDIR= BINDIR= MANDIR=...]
#   make uninstall       the same variables: removes what install wrote
#   make man             build/man/quire.1, libquire.3 (scdoc)
#   make completions     build/completions/: bash, zsh and fish, from man/quire.1.scd
#   make deb             build/deb/: the Debian packages (dpkg-buildpackage, lintian)
#   V=1                  print every command in full (quiet by default)
#   make fuzz | bench | lint | format | clean

PREFIX ?= /usr/local
DESTDIR ?=
CC ?= cc
PKG_CONFIG ?= pkg-config

# Quiet by default: one line per step ("  CC  lib/core/buf.o"); V=1 prints
# every command in full (Debian's build logs, debugging flags).
V ?= 0
ifeq ($(V),1)
quiet =
else
quiet = @printf '  %-6s %s\n' '$(1)' '$(2)';
endif

# PDF engines: "all" (cairo + haru, default) or "haru" (no glib/pango).
PDF ?= all
FETCH ?= 1
SANITIZE ?= 0

ifeq ($(SANITIZE),1)
SANFLAGS = -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer
DEFS_SAN = -DQUIRE_ARENA_DEBUG
endif
# One build directory per configuration, so they never share objects.
BUILD ?= build$(if $(filter 1,$(SANITIZE)),-asan)$(if $(filter haru,$(PDF)),-haru)$(if $(filter 1,$(FETCH)),,-nofetch)

SOVERSION = 0
VERSION = 0.1.0

WARN = -Wall -Wextra -Werror -pedantic -Wstrict-prototypes -Wmissing-prototypes \
       -Wshadow -Wformat=2 -Wundef -Wimplicit-fallthrough
OPT ?= -O2 -g
CFLAGS ?=
BASE_CFLAGS = -std=c11 -D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE $(OPT) $(WARN) \
              -fPIC -fvisibility=hidden $(SANFLAGS)

# fribidi (no glib): the haru engine's bidi reordering and Arabic shaping;
# pango sets bidi text with it too; quire --version reports its version.
PKGS = jansson libcmark-gfm libpng zlib fribidi
DEFS = $(DEFS_SAN) -DQUIRE_HAVE_FRIBIDI
ifeq ($(PDF),haru)
LIBS_EXTRA = -lhpdf -lunibreak
DEFS += -DQUIRE_HAVE_HARU
else
PKGS += cairo pangocairo pangoft2 fontconfig
LIBS_EXTRA = -lhpdf -lunibreak
DEFS += -DQUIRE_HAVE_CAIRO -DQUIRE_HAVE_HARU
endif
ifeq ($(FETCH),1)
# libcurl's headers only: lib/fetch/curl_dlopen.c loads libcurl.so.4 on first
# use, so commands that never talk to the API do not load it.
CURL_CFLAGS := $(shell $(PKG_CONFIG) --cflags libcurl 2>/dev/null)
DEFS += -DQUIRE_HAVE_CURL
endif

# --as-needed: a library none of our objects calls is not loaded at start-up.
DEP_CFLAGS := $(shell $(PKG_CONFIG) --cflags $(PKGS) 2>/dev/null) $(CURL_CFLAGS)
DEP_LIBS := -Wl,--as-needed $(shell $(PKG_CONFIG) --libs $(PKGS) 2>/dev/null) \
            -lcmark-gfm-extensions $(LIBS_EXTRA) -lpthread -lm -ldl

ALL_CFLAGS = $(BASE_CFLAGS) $(DEFS) -Ilib/include -Ilib -I$(BUILD)/gen $(DEP_CFLAGS) $(CPPFLAGS) $(CFLAGS)

# Library sources: every lib/FOLDER/*.c, less the cairo engine's files in
# the lean build (PDF=haru) and lib/fetch/'s libcurl files without FETCH.
# The cairo engine (CAIRO_SRC) is in libquire.a but not in libquire.so: it
# is a module of its own (lib/paint/cairo_module.h says why), with
# MODULE_SRC, its one exported symbol.
# Its pango half (lib/paint/cairo_pango.h) is a second module, loaded by
# the first one when a paragraph needs pango.
CAIRO_SRC := lib/paint/cairo.c lib/paint/png.c lib/paint/fonts_cairo.c lib/paint/cairo_module.c \
             lib/paint/cairo_pango_load.c lib/paint/cairo_pango.c
MODULE_SRC := lib/paint/cairo_export.c lib/paint/cairo_pango_export.c
LIB_SRC := $(filter-out $(MODULE_SRC),$(sort $(wildcard lib/*/*.c)))
ifeq ($(PDF),haru)
LIB_SRC := $(filter-out $(CAIRO_SRC),$(LIB_SRC))
endif
ifneq ($(FETCH),1)
# Without libcurl the client calls come from lib/fetch/nocurl.c (each fails
# with QUIRE_EUNSUPPORTED); jobs, webhooks, SSE and error parsing remain.
LIB_SRC := $(filter-out lib/fetch/client.c lib/fetch/url.c lib/fetch/calls.c lib/fetch/wait.c lib/fetch/curl_dlopen.c lib/fetch/source.c,$(LIB_SRC))
endif
LIB_OBJ := $(patsubst %.c,$(BUILD)/%.o,$(LIB_SRC)) $(BUILD)/gen/embedded_data.o
CAIRO_OBJ := $(patsubst %.c,$(BUILD)/%.o,$(CAIRO_SRC))
SO_OBJ := $(filter-out $(CAIRO_OBJ),$(LIB_OBJ))

CLI_SRC := $(sort $(wildcard cli/*.c))
CLI_OBJ := $(patsubst %.c,$(BUILD)/%.o,$(CLI_SRC))

TEST_SRC := $(sort $(wildcard tests/unit/test_*.c))
ifneq ($(FETCH),1)
TEST_SRC := $(filter-out tests/unit/test_fetch_url.c tests/unit/test_fetch_live.c,$(TEST_SRC))
endif
TEST_BIN := $(patsubst tests/unit/%.c,$(BUILD)/tests/%,$(TEST_SRC))

# Built-in copies of the data files.
EMBED_FILES := $(sort $(shell find templates schemas fonts -type f \
                 \( -name '*.mustache' -o -name '*.css' -o -name '*.json' -o -name '*.svg' \) 2>/dev/null))

STATIC = $(BUILD)/lib/libquire.a
SHARED = $(BUILD)/lib/libquire.so.$(VERSION)
CLI = $(BUILD)/quire
ifeq ($(PDF),haru)
MODULE =
CAIRO_BUILTIN =
else
# The cairo engine's module, beside libquire.so (and found there by it),
# loaded by the first PDF or PNG render.
MODULE = $(BUILD)/lib/quire$(SOVERSION)/cairo.so \
         $(BUILD)/lib/quire$(SOVERSION)/cairo-pango.so
# Links the engine from libquire.a into a program instead (the tests).
CAIRO_BUILTIN = -Wl,-u,quire__cairo_builtin -Wl,-u,quire__cairo_pango_builtin
endif

.PHONY: FORCE all deps test test-config demo bench fuzz lint format format-check install clean asan check-banned headertest golden man uninstall completions deb

all: $(STATIC) $(SHARED) $(CLI) $(MODULE)

deps:
	@scripts/deps.sh build

$(BUILD)/%.o: %.c lib/include/quire.h lib/internal.h
	@mkdir -p $(dir $@)
	$(call quiet,CC,$@)$(CC) $(ALL_CFLAGS) -MMD -MP -c $< -o $@

# The CLI sees the public header and nothing else (docs/architecture.md).
CLI_CFLAGS = $(BASE_CFLAGS) -Ilib/include $(CPPFLAGS) $(CFLAGS)
$(BUILD)/cli/%.o: cli/%.c lib/include/quire.h
	@mkdir -p $(dir $@)
	$(call quiet,CC,$@)$(CC) $(CLI_CFLAGS) -MMD -MP -c $< -o $@

$(BUILD)/tools/embed: tools/embed.c
	@mkdir -p $(dir $@)
	$(call quiet,CC,$@)$(CC) -std=c11 -O1 -Wall -Wextra -Werror tools/embed.c -o $@

$(BUILD)/gen/embedded_data.c: $(BUILD)/tools/embed $(EMBED_FILES)
	@mkdir -p $(dir $@)
	$(call quiet,EMBED,$@)$(BUILD)/tools/embed $@ . $(EMBED_FILES)

$(BUILD)/gen/embedded_data.o: $(BUILD)/gen/embedded_data.c
	$(call quiet,CC,$@)$(CC) $(ALL_CFLAGS) -Wno-overlength-strings -c $< -o $@

$(STATIC): $(LIB_OBJ)
	@mkdir -p $(dir $@)
	@rm -f $@
	$(call quiet,AR,$@)ar rcs $@ $^

# -z nodelete: libquire registers per-thread destructors (the pango font
# map cache); a host that dlclose()s the library while its threads live on
# (koffi does) would otherwise run them from unmapped code at thread exit.
$(SHARED): $(SO_OBJ)
	@mkdir -p $(dir $@)
	$(call quiet,LINK,$@)$(CC) -shared -Wl,-soname,libquire.so.$(SOVERSION) -Wl,-z,nodelete $(SANFLAGS) $(LDFLAGS) -o $@ $^ $(DEP_LIBS)
	@ln -sf libquire.so.$(VERSION) $(BUILD)/lib/libquire.so.$(SOVERSION)
	@ln -sf libquire.so.$(SOVERSION) $(BUILD)/lib/libquire.so

# Where an installed program that links libquire.a finds the module
# (lib/paint/cairo_load.c); rewritten only when LIBDIR changes.
MODULEDIR = $(LIBDIR)/quire$(SOVERSION)
$(BUILD)/gen/quire_moduledir.h: FORCE
	@mkdir -p $(dir $@)
	@echo '#define QUIRE__MODULE_DIR "$(MODULEDIR)"' > $@.tmp
	@if cmp -s $@.tmp $@; then rm -f $@.tmp; else mv $@.tmp $@; fi
$(BUILD)/lib/paint/cairo_load.o $(BUILD)/lib/paint/cairo_pango_load.o: $(BUILD)/gen/quire_moduledir.h

# The modules: the engine, its one entry point, and its own copies of the
# few core helpers it calls (no libquire symbol is visible to it: the
# static CLI exports none). -z defs proves the list complete (not under
# the sanitizers, whose runtime the program provides); the version script
# keeps every other symbol local; -z nodelete as for libquire.so.
# The line model (linemodel.c, with the font files' tables from
# fonts_haru.c) is copied too: the module's renders use its copy, haru's
# libquire's. cairo.so links no pango, HarfBuzz or glib: those are
# cairo-pango.so's, which cairo.so loads when a paragraph needs pango.
MODULE_CORE := $(patsubst %,$(BUILD)/lib/%.o,core/alloc core/buf core/bytemap core/error core/out core/utf8 paint/pdf_catalog paint/linemodel paint/fonts_haru)
MODULE_LIBS := -Wl,--as-needed $(shell $(PKG_CONFIG) --libs cairo fontconfig freetype2 libpng zlib fribidi 2>/dev/null) -lhpdf -lunibreak -lpthread -lm -ldl
PANGO_OBJ := $(BUILD)/lib/paint/cairo_pango.o
PANGO_LIBS := -Wl,--as-needed $(shell $(PKG_CONFIG) --libs pangocairo pangoft2 2>/dev/null) -lpthread
$(BUILD)/lib/quire.map:
	@mkdir -p $(dir $@)
	@printf '{ global: quire_paint_cairo_module; local: *; };\n' > $@
$(BUILD)/lib/quire-pango.map:
	@mkdir -p $(dir $@)
	@printf '{ global: quire_paint_cairo_pango_module; local: *; };\n' > $@
$(BUILD)/lib/quire$(SOVERSION)/cairo.so: $(filter-out $(PANGO_OBJ),$(CAIRO_OBJ)) $(BUILD)/lib/paint/cairo_export.o $(MODULE_CORE) $(BUILD)/lib/quire.map
	@mkdir -p $(dir $@)
	$(call quiet,LINK,$@)$(CC) -shared -Wl,-z,nodelete $(if $(filter 1,$(SANITIZE)),,-Wl,-z,defs) -Wl,--version-script=$(BUILD)/lib/quire.map $(SANFLAGS) $(LDFLAGS) -o $@ $(filter %.o,$^) $(MODULE_LIBS)
$(BUILD)/lib/quire$(SOVERSION)/cairo-pango.so: $(PANGO_OBJ) $(BUILD)/lib/paint/cairo_pango_export.o $(BUILD)/lib/core/alloc.o $(BUILD)/lib/quire-pango.map
	@mkdir -p $(dir $@)
	$(call quiet,LINK,$@)$(CC) -shared -Wl,-z,nodelete $(if $(filter 1,$(SANITIZE)),,-Wl,-z,defs) -Wl,--version-script=$(BUILD)/lib/quire-pango.map $(SANFLAGS) $(LDFLAGS) -o $@ $(filter %.o,$^) $(PANGO_LIBS)

# The command links libquire.a, so build/quire runs from the tree;
# CLI_LIB=shared links libquire.so instead (Debian's quire uses libquire0).
CLI_LIB ?= static
ifeq ($(CLI_LIB),shared)
CLI_DEP = $(SHARED)
CLI_LINK = -Wl,--as-needed -L$(BUILD)/lib -lquire -lm
else
CLI_DEP = $(STATIC)
CLI_LINK = $(STATIC) $(DEP_LIBS)
endif
$(CLI): $(CLI_OBJ) $(CLI_DEP)
	$(call quiet,LINK,$@)$(CC) $(SANFLAGS) $(LDFLAGS) -o $@ $(CLI_OBJ) $(CLI_LINK)

$(BUILD)/tests/%: tests/unit/%.c tests/harness.h $(STATIC)
	@mkdir -p $(dir $@)
	$(call quiet,CC,$@)$(CC) $(ALL_CFLAGS) -Ilib/decode -Itests -o $@ $< $(CAIRO_BUILTIN) $(STATIC) $(DEP_LIBS)

# The public header alone, as C with -pedantic and as C++.
headertest: $(BUILD)/tests/headertest_c $(BUILD)/tests/headertest_cxx
$(BUILD)/tests/headertest_c: tests/headers/check_header.c lib/include/quire.h
	@mkdir -p $(dir $@)
	$(call quiet,CC,$@)$(CC) -std=c11 -Wall -Wextra -Werror -pedantic -Ilib/include -c $< -o $@
$(BUILD)/tests/headertest_cxx: tests/headers/check_header.c lib/include/quire.h
	@mkdir -p $(dir $@)
	$(call quiet,CXX,$@)c++ -x c++ -std=c++11 -Wall -Wextra -Werror -pedantic -Ilib/include -c $< -o $@

# make test runs every suite in this configuration and, for the default
# full build, again in the lean one (PDF=haru: no cairo, pango, fontconfig),
# which backends without glib rely on.
test:
	@scripts/deps.sh test
	@$(MAKE) --no-print-directory test-config
ifeq ($(PDF),all)
	@echo "== the same suites without cairo/pango/fontconfig (PDF=haru)"
	@$(MAKE) --no-print-directory PDF=haru test-config
endif

test-config:
	@$(MAKE) --no-print-directory all tests-build
	@BUILD=$(BUILD) PDF=$(PDF) FETCH=$(FETCH) SANITIZE=$(SANITIZE) tests/run.sh

tests-build: $(TEST_BIN) headertest

golden: all tests-build
	@BUILD=$(BUILD) tests/golden.sh

demo:
	@scripts/deps.sh build
	@$(MAKE) --no-print-directory all
	@scripts/demo.sh $(BUILD)

bench:
	@scripts/deps.sh bench
	@$(MAKE) --no-print-directory all
	@BUILD=$(BUILD) bench/run.sh

asan:
	@$(MAKE) --no-print-directory SANITIZE=1 test

# Every harness in tests/fuzz/ for FUZZ_SECONDS each, or only those named in
# FUZZ_HARNESSES ("paged theme"); see tests/fuzz/README.md.
FUZZ_SECONDS ?= 60
FUZZ_HARNESSES ?=
fuzz:
	@scripts/deps.sh build
	@BUILD=$(BUILD) tests/fuzz/run.sh $(FUZZ_SECONDS) $(FUZZ_HARNESSES)

check-banned:
	@scripts/check-banned.sh

lint: check-banned
	clang-tidy --quiet $(LIB_SRC) -- $(ALL_CFLAGS)

# Every C file under version control (vendored data excepted) follows
# .clang-format; format-check is part of the style suite in make test.
FORMAT_FILES = $(shell git ls-files '*.c' '*.h' 2>/dev/null | grep -v '^tests/vendor/')
format:
	clang-format -i $(FORMAT_FILES)

format-check:
	@scripts/check-format.sh

# ---- Install layout, man pages, uninstall (packaging) ----
# Every directory can be set on the command line; Debian's multiarch layout is
# LIBDIR=/usr/lib/$(dpkg-architecture -qDEB_HOST_MULTIARCH).
BINDIR ?= $(PREFIX)/bin
LIBDIR ?= $(PREFIX)/lib
INCLUDEDIR ?= $(PREFIX)/include
DATADIR ?= $(PREFIX)/share
MANDIR ?= $(DATADIR)/man
PKGCONFIGDIR ?= $(LIBDIR)/pkgconfig
SCDOC ?= scdoc
PYTHON ?= python3
# Where bash-completion, zsh and fish look (each also searches /usr/local).
BASHCOMPDIR ?= $(DATADIR)/bash-completion/completions
ZSHCOMPDIR ?= $(DATADIR)/zsh/site-functions
FISHCOMPDIR ?= $(DATADIR)/fish/vendor_completions.d

# man/NAME.SECTION.scd -> $(BUILD)/man/NAME.SECTION (scdoc from Debian).
MAN_PAGES := $(patsubst man/%.scd,$(BUILD)/man/%,$(wildcard man/*.scd))
man: $(MAN_PAGES)
$(BUILD)/man/%: man/%.scd
	@mkdir -p $(dir $@)
	$(call quiet,SCDOC,$@)$(SCDOC) < $< > $@.tmp && mv $@.tmp $@

# Shell completions, generated from the man page (completions/gen.py), which
# tests/suites/man.sh holds to what the program accepts. gen.py writes all
# three files.
COMPLETIONS = $(BUILD)/completions/quire.bash $(BUILD)/completions/_quire $(BUILD)/completions/quire.fish
completions: $(BUILD)/completions/quire.bash
$(BUILD)/completions/quire.bash: man/quire.1.scd completions/gen.py
	$(call quiet,GEN,$(COMPLETIONS))$(PYTHON) completions/gen.py man/quire.1.scd $(BUILD)/completions

install: all man completions
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(LIBDIR) $(DESTDIR)$(INCLUDEDIR) \
	  $(DESTDIR)$(PKGCONFIGDIR) $(DESTDIR)$(MANDIR)/man1 $(DESTDIR)$(MANDIR)/man3
	install -m 644 $(STATIC) $(DESTDIR)$(LIBDIR)/
	install -m 755 $(SHARED) $(DESTDIR)$(LIBDIR)/
	$(if $(MODULE),install -d $(DESTDIR)$(MODULEDIR) && install -m 644 $(MODULE) $(DESTDIR)$(MODULEDIR)/)
	ln -sf libquire.so.$(VERSION) $(DESTDIR)$(LIBDIR)/libquire.so.$(SOVERSION)
	ln -sf libquire.so.$(SOVERSION) $(DESTDIR)$(LIBDIR)/libquire.so
	install -m 644 lib/include/quire.h $(DESTDIR)$(INCLUDEDIR)/
	install -m 755 $(CLI) $(DESTDIR)$(BINDIR)/
	install -m 644 $(BUILD)/man/quire.1 $(DESTDIR)$(MANDIR)/man1/
	install -m 644 $(BUILD)/man/libquire.3 $(DESTDIR)$(MANDIR)/man3/
	install -d $(DESTDIR)$(BASHCOMPDIR) $(DESTDIR)$(ZSHCOMPDIR) $(DESTDIR)$(FISHCOMPDIR)
	install -m 644 $(BUILD)/completions/quire.bash $(DESTDIR)$(BASHCOMPDIR)/quire
	install -m 644 $(BUILD)/completions/_quire $(DESTDIR)$(ZSHCOMPDIR)/_quire
	install -m 644 $(BUILD)/completions/quire.fish $(DESTDIR)$(FISHCOMPDIR)/quire.fish
	sed -e 's|@PREFIX@|$(PREFIX)|g' -e 's|@LIBDIR@|$(LIBDIR)|g' \
	  -e 's|@INCLUDEDIR@|$(INCLUDEDIR)|g' -e 's|@VERSION@|$(VERSION)|g' \
	  -e 's|@REQUIRES@|$(PKGS)|g' -e 's|@LIBS_PRIVATE@|-lcmark-gfm-extensions $(LIBS_EXTRA) -lpthread -lm -ldl|g' \
	  lib/quire.pc.in > $(DESTDIR)$(PKGCONFIGDIR)/quire.pc

# Removes exactly the files install wrote (give it the same variables);
# directories stay, as they may hold other software's files.
uninstall:
	rm -f $(DESTDIR)$(BINDIR)/quire $(DESTDIR)$(INCLUDEDIR)/quire.h \
	  $(DESTDIR)$(LIBDIR)/libquire.a $(DESTDIR)$(LIBDIR)/libquire.so.$(VERSION) \
	  $(DESTDIR)$(LIBDIR)/libquire.so.$(SOVERSION) $(DESTDIR)$(LIBDIR)/libquire.so \
	  $(DESTDIR)$(MODULEDIR)/cairo.so $(DESTDIR)$(MODULEDIR)/cairo-pango.so \
	  $(DESTDIR)$(PKGCONFIGDIR)/quire.pc \
	  $(DESTDIR)$(MANDIR)/man1/quire.1 $(DESTDIR)$(MANDIR)/man3/libquire.3 \
	  $(DESTDIR)$(BASHCOMPDIR)/quire $(DESTDIR)$(ZSHCOMPDIR)/_quire \
	  $(DESTDIR)$(FISHCOMPDIR)/quire.fish

# The Debian packages quire, libquire0 and libquire-dev (debian/), built by
# dpkg-buildpackage in build/deb/ from a copy of the tracked files, then
# checked by lintian; nothing is written outside build/.
deb:
	@scripts/deps.sh deb
	@scripts/make-deb.sh build/deb

clean:
	rm -rf build build-asan build-haru build-asan-haru build-nofetch build-haru-nofetch build-fuzz

-include $(LIB_OBJ:.o=.d) $(CLI_OBJ:.o=.d)
