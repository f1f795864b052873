# augment — build, test, install.
#
#   make              build/libaugment.a, build/libaugment.so, build/augment
#   make check        unit + end-to-end tests, then again under ASan+UBSan
#   make demo         run every command on examples/ into build/demo/
#   make bench        speed against peers measured in the same run
#   make bench-readme README.md's measured tables from the last make bench
#   make install      PREFIX=/usr/local DESTDIR=
#
# Sources are found by wildcard: one file per module under src/, one test
# program per tests/unit/test_*.c, one script per tests/e2e/*.sh.

CC      ?= cc
BUILD   ?= build
PREFIX  ?= /usr/local
DESTDIR ?=
VERSION := 0.1.0

WARN     := -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes -Wmissing-prototypes
CSTD     := -std=c11 -D_POSIX_C_SOURCE=200809L -D_XOPEN_SOURCE=700 -ffp-contract=off -fno-math-errno
OPT      ?= -O2 -g -fno-semantic-interposition
SAN      ?=
CFLAGS   ?=
LDFLAGS  ?=
ALLCFLAGS = $(CSTD) $(WARN) $(OPT) $(SAN) -fPIC -Iinclude -Isrc $(CFLAGS)
LDLIBS   := -ldeflate -lturbojpeg -lwebp -ltiff -lsvm -ljansson -lyaml -lm
CLI_LIBS := -lxxhash -lpthread

LIB_SRC  := $(sort $(wildcard src/core/*.c src/io/*.c src/kernels/*.c src/ops/*.c))
CLI_SRC  := $(sort $(wildcard src/cli/*.c))
LIB_OBJ  := $(LIB_SRC:%.c=$(BUILD)/obj/%.o)
CLI_OBJ  := $(CLI_SRC:%.c=$(BUILD)/obj/%.o)
TEST_SRC := $(sort $(wildcard tests/unit/test_*.c))
TEST_BIN := $(TEST_SRC:tests/unit/%.c=$(BUILD)/tests/%)
TEST_SUPPORT := $(filter-out $(TEST_SRC),$(wildcard tests/unit/*.c))
FUZZ_SRC := $(sort $(wildcard tests/fuzz/fuzz_*.c))
REPLAY_BIN := $(FUZZ_SRC:tests/fuzz/%.c=$(BUILD)/replay/%)
REPLAY_CLI := $(filter-out $(BUILD)/obj/src/cli/main.o,$(CLI_OBJ))
HEADERS  := $(wildcard include/augment/*.h src/*/*.h tests/unit/*.h)

.PHONY: all deps check test check-clang check-sanitize check-portable fuzz valgrind demo bench bench-readme install uninstall clean

all: $(BUILD)/libaugment.a $(BUILD)/libaugment.so $(BUILD)/augment $(BUILD)/augment.1

# Missing Debian packages are installed first (see .ci/deps), so that the
# README's two commands work on a fresh machine.
deps:
	@sh .ci/deps

$(BUILD)/obj/%.o: %.c $(HEADERS)
	@mkdir -p $(dir $@)
	$(CC) $(ALLCFLAGS) -c -o $@ $<

# The kernels and the random streams are the hot loops: -O3 lets the
# compiler unroll and vectorise them (no
# -ffast-math: the results stay IEEE, the same bits as at -O2).
$(BUILD)/obj/src/kernels/%.o $(BUILD)/obj/src/core/rng.o $(BUILD)/obj/src/io/png_write.o $(BUILD)/obj/src/io/png_read.o: OPT += -O3

# stb's implementation is compiled here with our limits (see the file); its
# own code trips a few of our stricter warnings, so only those are relaxed,
# only for this one object.
$(BUILD)/obj/src/io/stb_impl.o: ALLCFLAGS += -Wno-missing-prototypes -Wno-shadow -Wno-sign-compare -Wno-unused-function -Wno-unused-but-set-variable

$(BUILD)/libaugment.a: $(LIB_OBJ)
	@rm -f $@
	$(AR) rcs $@ $^

# The shared library exports the public API and nothing else: the functions
# and data declared in include/augment/*.h, listed from the headers into a
# linker version script (internal aug_ functions and stb stay local).
$(BUILD)/libaugment.map: $(wildcard include/augment/*.h)
	@mkdir -p $(dir $@)
	{ echo '{ global:'; sed -n -E 's/^[A-Za-z_].*[ *](aug_[a-z0-9_]+)\(.*/  \1;/p; s/^extern .*[ *](aug_[a-z0-9_]+)\[.*/  \1;/p' \
	    include/augment/*.h | sort -u; echo '  local: *;'; echo '};'; } >$@

$(BUILD)/libaugment.so: $(LIB_OBJ) $(BUILD)/libaugment.map
	$(CC) -shared -Wl,-soname,libaugment.so.0 -Wl,--version-script=$(BUILD)/libaugment.map $(SAN) $(LDFLAGS) -o $@ $(LIB_OBJ) $(LDLIBS)

$(BUILD)/augment: $(CLI_OBJ) $(BUILD)/libaugment.a
	$(CC) $(SAN) $(LDFLAGS) -o $@ $(CLI_OBJ) $(BUILD)/libaugment.a $(LDLIBS) $(CLI_LIBS)

# The man page: prose from the template, every option list from the same
# declarations as --help (augment help --man replaces "@OPTIONS name@").
$(BUILD)/augment.1: src/cli/augment.1.in $(BUILD)/augment
	$(BUILD)/augment help --man <src/cli/augment.1.in >$@.tmp && mv $@.tmp $@

$(BUILD)/tests/%: tests/unit/%.c $(TEST_SUPPORT) $(BUILD)/libaugment.a $(HEADERS)
	@mkdir -p $(dir $@)
	$(CC) $(ALLCFLAGS) -Itests/unit -o $@ $< $(TEST_SUPPORT) $(BUILD)/libaugment.a -lcmocka $(LDLIBS)

# A build of the tool whose N-th allocation fails on request
# (tests/alloc/fail_alloc.c; tests/e2e/alloc.sh fails each in turn).
WRAP := -Wl,--wrap=malloc,--wrap=calloc,--wrap=realloc,--wrap=strdup,--wrap=strndup
$(BUILD)/augment-failalloc: $(CLI_OBJ) $(BUILD)/libaugment.a tests/alloc/fail_alloc.c
	$(CC) $(ALLCFLAGS) -Wno-missing-prototypes $(LDFLAGS) -o $@ tests/alloc/fail_alloc.c $(CLI_OBJ) \
	    $(BUILD)/libaugment.a $(LDLIBS) $(CLI_LIBS) $(WRAP)

# The suite: every unit program and every end-to-end script, one summary.
test: all $(TEST_BIN) $(REPLAY_BIN) $(BUILD)/augment-failalloc
	@SAN="$(SAN)" tests/run.sh $(BUILD)

check: deps
	@$(MAKE) --no-print-directory test
	@$(MAKE) --no-print-directory check-clang
	@$(MAKE) --no-print-directory check-portable
	@$(MAKE) --no-print-directory check-sanitize

# The same seed gives the same bytes with every C library and compiler:
# the core, kernels and operations built with gcc and glibc, clang and
# glibc, and gcc and musl (Debian musl-tools) give the same digests of every
# random operation and sampler (tests/portable/digest.c), each also with
# its wide loops (AVX2, SSSE3) turned off.
PORTABLE_SRC := $(sort $(wildcard src/core/*.c src/kernels/*.c src/ops/*.c)) src/io/csv_number.c src/io/dtoa.c
check-portable:
	@echo "== the same bytes with glibc and musl, gcc and clang"
	@mkdir -p $(BUILD)/portable
	@for cc in gcc clang musl-gcc; do \
	    $$cc $(CSTD) $(WARN) -O2 -DAUG_NO_LIBSVM -Iinclude -Isrc -o $(BUILD)/portable/digest-$$cc \
	        tests/portable/digest.c $(PORTABLE_SRC) -lm || exit 1; \
	    $(BUILD)/portable/digest-$$cc >$(BUILD)/portable/$$cc.txt || exit 1; \
	    $(BUILD)/portable/digest-$$cc --baseline >$(BUILD)/portable/$$cc-baseline.txt || exit 1; \
	    cmp $(BUILD)/portable/$$cc.txt $(BUILD)/portable/$$cc-baseline.txt || exit 1; \
	done
	@cmp $(BUILD)/portable/gcc.txt $(BUILD)/portable/clang.txt && \
	    cmp $(BUILD)/portable/gcc.txt $(BUILD)/portable/musl-gcc.txt && \
	    echo "the same $$(wc -l <$(BUILD)/portable/gcc.txt) digests from all three builds"

# The fuzzers' seed corpora replayed by every test build, under ASan and
# UBSan in check-sanitize (tests/e2e/fuzz_corpus.sh): a finding kept in
# tests/fuzz/corpus/ stays a regression test without libFuzzer.
$(BUILD)/replay/%: tests/fuzz/%.c tests/fuzz/replay.c $(REPLAY_CLI) $(BUILD)/libaugment.a $(HEADERS)
	@mkdir -p $(dir $@)
	$(CC) $(ALLCFLAGS) -o $@ $< tests/fuzz/replay.c $(REPLAY_CLI) $(BUILD)/libaugment.a \
	    $(LDLIBS) $(CLI_LIBS)

# Warnings are errors with clang too: build everything once with it.
check-clang:
	@echo "== build with clang -Werror"
	@$(MAKE) --no-print-directory all $(TEST_BIN:$(BUILD)/%=build/clang/%) \
	    $(REPLAY_BIN:$(BUILD)/%=build/clang/%) BUILD=build/clang CC=clang

check-sanitize:
	@echo "== the same suite under AddressSanitizer + UndefinedBehaviorSanitizer"
	@$(MAKE) --no-print-directory test BUILD=build/sanitize OPT="-O1 -g -fno-omit-frame-pointer" \
	    SAN="-fsanitize=address,undefined -fno-sanitize-recover=all"

# make fuzz FUZZ_SECONDS=N: every libFuzzer target in tests/fuzz/ for N
# seconds (default 60), built with clang -fsanitize=fuzzer,address,undefined
# and started from its seed corpus tests/fuzz/corpus/<target>/. Any crash,
# leak, sanitizer report or timeout fails, and leaves the input in
# build/fuzz/findings/ (add it to the seed corpus and a regression test).
FUZZ_SECONDS ?= 60
FUZZ_SAN := -fsanitize=fuzzer-no-link,address,undefined -fno-sanitize-recover=all
FUZZ_CLI := $(filter-out build/fuzz/obj/src/cli/main.o,$(CLI_SRC:%.c=build/fuzz/obj/%.o))
fuzz: deps
	@$(MAKE) --no-print-directory BUILD=build/fuzz CC=clang OPT="-O1 -g" SAN="$(FUZZ_SAN)" \
	    build/fuzz/libaugment.a $(FUZZ_CLI)
	@mkdir -p build/fuzz/findings
	@for src in $(FUZZ_SRC); do \
	    t=$$(basename $$src .c); \
	    clang $(CSTD) $(WARN) -O1 -g -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all \
	        -Iinclude -Isrc -o build/fuzz/$$t $$src $(FUZZ_CLI) build/fuzz/libaugment.a \
	        $(LDLIBS) $(CLI_LIBS) || exit 1; \
	done
	@failed=0; for src in $(FUZZ_SRC); do \
	    t=$$(basename $$src .c); \
	    mkdir -p build/fuzz/corpus/$$t; \
	    echo "== fuzz $$t for $(FUZZ_SECONDS) s"; \
	    if build/fuzz/$$t -max_total_time=$(FUZZ_SECONDS) -timeout=20 -rss_limit_mb=2560 \
	        -print_final_stats=1 -artifact_prefix=build/fuzz/findings/$$t- \
	        build/fuzz/corpus/$$t tests/fuzz/corpus/$$t >build/fuzz/$$t.log 2>&1; then \
	        grep -E '^stat::(number_of_executed_units|new_units_added)|cov:' build/fuzz/$$t.log | tail -n 3; \
	    else \
	        failed=1; echo "fuzz $$t: a finding:"; grep -E 'ERROR|SUMMARY|Test unit written' build/fuzz/$$t.log | head -5; \
	    fi; \
	done; exit $$failed

valgrind: all $(TEST_BIN)
	@VALGRIND=1 tests/run.sh $(BUILD)

demo: deps
	@$(MAKE) --no-print-directory all
	@LDLIBS="$(LDLIBS)" examples/demo.sh $(BUILD)/augment examples $(BUILD)/demo

bench: all
	@LDLIBS="$(LDLIBS)" tests/bench/bench.sh $(BUILD) $(BUILD)/bench.md

bench-readme:
	@tests/bench/readme.sh $(BUILD)/bench.md README.md

install: all
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/lib $(DESTDIR)$(PREFIX)/lib/pkgconfig \
	    $(DESTDIR)$(PREFIX)/include/augment $(DESTDIR)$(PREFIX)/share/man/man1
	install -m 755 $(BUILD)/augment $(DESTDIR)$(PREFIX)/bin/augment
	install -m 644 $(BUILD)/libaugment.a $(DESTDIR)$(PREFIX)/lib/libaugment.a
	install -m 755 $(BUILD)/libaugment.so $(DESTDIR)$(PREFIX)/lib/libaugment.so.$(VERSION)
	ln -sf libaugment.so.$(VERSION) $(DESTDIR)$(PREFIX)/lib/libaugment.so.0
	ln -sf libaugment.so.0 $(DESTDIR)$(PREFIX)/lib/libaugment.so
	install -m 644 include/augment/*.h $(DESTDIR)$(PREFIX)/include/augment/
	install -m 644 $(BUILD)/augment.1 $(DESTDIR)$(PREFIX)/share/man/man1/augment.1
	sed -e 's|@PREFIX@|$(PREFIX)|' -e 's|@VERSION@|$(VERSION)|' src/augment.pc.in \
	    > $(DESTDIR)$(PREFIX)/lib/pkgconfig/augment.pc

uninstall:
	rm -f $(DESTDIR)$(PREFIX)/bin/augment $(DESTDIR)$(PREFIX)/lib/libaugment.* \
	    $(DESTDIR)$(PREFIX)/lib/pkgconfig/augment.pc $(DESTDIR)$(PREFIX)/share/man/man1/augment.1
	rm -rf $(DESTDIR)$(PREFIX)/include/augment

clean:
	rm -rf build
