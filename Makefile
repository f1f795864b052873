# augment — build, test, install.
#
#   make              build/libaugment.a, build/libaugment.so, build/augment
#   make check        unit + end-to-end tests, then again under ASan+UBSan
#   make demo         run every command on examples/ into build/demo/
#   make bench        speed against peers measured in the same run
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
CSTD     := -std=c11 -D_POSIX_C_SOURCE=200809L -D_XOPEN_SOURCE=700
OPT      ?= -O2 -g
SAN      ?=
CFLAGS   ?=
LDFLAGS  ?=
ALLCFLAGS = $(CSTD) $(WARN) $(OPT) $(SAN) -fPIC -Iinclude -Isrc $(CFLAGS)
LDLIBS   := -ldeflate -lturbojpeg -lsvm -lm
CLI_LIBS := -lxxhash -lpthread

LIB_SRC  := $(sort $(wildcard src/core/*.c src/io/*.c src/kernels/*.c src/ops/*.c))
CLI_SRC  := $(sort $(wildcard src/cli/*.c))
LIB_OBJ  := $(LIB_SRC:%.c=$(BUILD)/obj/%.o)
CLI_OBJ  := $(CLI_SRC:%.c=$(BUILD)/obj/%.o)
TEST_SRC := $(sort $(wildcard tests/unit/test_*.c))
TEST_BIN := $(TEST_SRC:tests/unit/%.c=$(BUILD)/tests/%)
TEST_SUPPORT := $(filter-out $(TEST_SRC),$(wildcard tests/unit/*.c))
HEADERS  := $(wildcard include/augment/*.h src/*/*.h tests/unit/*.h)

.PHONY: all deps check test check-clang check-sanitize valgrind demo bench install uninstall clean

all: $(BUILD)/libaugment.a $(BUILD)/libaugment.so $(BUILD)/augment $(BUILD)/augment.1

# Missing Debian packages are installed first (see .ci/deps), so that the
# README's two commands work on a fresh machine.
deps:
	@sh .ci/deps

$(BUILD)/obj/%.o: %.c $(HEADERS)
	@mkdir -p $(dir $@)
	$(CC) $(ALLCFLAGS) -c -o $@ $<

# stb's implementation is compiled here with our limits (see the file); its
# own code trips a few of our stricter warnings, so only those are relaxed,
# only for this one object.
$(BUILD)/obj/src/io/stb_impl.o: ALLCFLAGS += -Wno-missing-prototypes -Wno-shadow -Wno-sign-compare -Wno-unused-function -Wno-unused-but-set-variable

$(BUILD)/libaugment.a: $(LIB_OBJ)
	@rm -f $@
	$(AR) rcs $@ $^

$(BUILD)/libaugment.so: $(LIB_OBJ)
	$(CC) -shared -Wl,-soname,libaugment.so.0 $(SAN) $(LDFLAGS) -o $@ $^ $(LDLIBS)

$(BUILD)/augment: $(CLI_OBJ) $(BUILD)/libaugment.a
	$(CC) $(SAN) $(LDFLAGS) -o $@ $(CLI_OBJ) $(BUILD)/libaugment.a $(LDLIBS) $(CLI_LIBS)

# The man page: prose from the template, every option list from the same
# declarations as --help (augment help --man replaces "@OPTIONS name@").
$(BUILD)/augment.1: src/cli/augment.1.in $(BUILD)/augment
	$(BUILD)/augment help --man <src/cli/augment.1.in >$@.tmp && mv $@.tmp $@

$(BUILD)/tests/%: tests/unit/%.c $(TEST_SUPPORT) $(BUILD)/libaugment.a $(HEADERS)
	@mkdir -p $(dir $@)
	$(CC) $(ALLCFLAGS) -Itests/unit -o $@ $< $(TEST_SUPPORT) $(BUILD)/libaugment.a -lcmocka $(LDLIBS)

# The suite: every unit program and every end-to-end script, one summary.
test: all $(TEST_BIN)
	@tests/run.sh $(BUILD)

check: deps
	@$(MAKE) --no-print-directory test
	@$(MAKE) --no-print-directory check-clang
	@$(MAKE) --no-print-directory check-sanitize

# Warnings are errors with clang too: build everything once with it.
check-clang:
	@echo "== build with clang -Werror"
	@$(MAKE) --no-print-directory all $(TEST_BIN:$(BUILD)/%=build/clang/%) BUILD=build/clang CC=clang

check-sanitize:
	@echo "== the same suite under AddressSanitizer + UndefinedBehaviorSanitizer"
	@$(MAKE) --no-print-directory test BUILD=build/sanitize OPT="-O1 -g -fno-omit-frame-pointer" \
	    SAN="-fsanitize=address,undefined -fno-sanitize-recover=all"

valgrind: all $(TEST_BIN)
	@VALGRIND=1 tests/run.sh $(BUILD)

demo: deps
	@$(MAKE) --no-print-directory all
	@examples/demo.sh $(BUILD)/augment examples $(BUILD)/demo

bench: all
	@tests/bench/bench.sh $(BUILD)

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
