# scsim - social-credit spillover simulator.   make help  lists the targets.
BUILD   ?= build
CC      ?= cc
PKGS    := gsl sqlite3 inih
PLOT_PKGS := cairo pangocairo
WARN    := -std=c11 -D_DEFAULT_SOURCE -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes \
           -Wno-unknown-pragmas
CFLAGS  ?= -O3 -g
OMP     := -fopenmp
SAN     := -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer
PKG_CFLAGS = $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
PKG_LIBS   = $(shell pkg-config --libs $(PKGS) 2>/dev/null) -lm
TEST_LIBS  = $(shell pkg-config --libs cmocka 2>/dev/null)
PLOT_CFLAGS = $(shell pkg-config --cflags $(PLOT_PKGS) 2>/dev/null)
PLOT_LIBS   = $(shell pkg-config --libs $(PLOT_PKGS) 2>/dev/null)
SERVE_PKGS  := libmicrohttpd jansson
SERVE_CFLAGS = $(shell pkg-config --cflags $(SERVE_PKGS) 2>/dev/null)
SERVE_LIBS   = $(shell pkg-config --libs $(SERVE_PKGS) 2>/dev/null) -lpthread

# sim/ is one folder per layer, each its own library with its own include path, so an
# include may only point down this list (docs/architecture.md):
#   cli > serve > plots > verify > experiment > store > engine > society > scenario > core
LAYERS   := core scenario society engine store experiment verify
INC_core       := core
INC_scenario   := scenario core
INC_society    := society scenario core
INC_engine     := engine society scenario core
INC_store      := store scenario core
INC_experiment := experiment store engine society scenario core
INC_verify     := verify experiment store engine society scenario core
INC_plots      := verify experiment store scenario core
INC_serve      := serve verify experiment store engine society scenario core
INC_cli        := cli serve $(LAYERS)
layer_inc = $(addprefix -Isim/,$(INC_$(1)))
# link order: each library before the ones it uses, so no --start-group is needed
LINK_ORDER := verify experiment store engine society scenario core
LAYER_LIBS := $(foreach l,$(LINK_ORDER),$(BUILD)/lib/libsc$(l).a)
LIB_OBJ  := $(foreach l,$(LAYERS),$(patsubst %.c,$(BUILD)/%.o,$(wildcard sim/$(l)/*.c)))
CLI_SRC  := $(filter-out sim/cli/main.c sim/cli/mpi_main.c,$(wildcard sim/cli/*.c))
CLI_OBJ  := $(CLI_SRC:%.c=$(BUILD)/%.o)
PLOT_SRC := $(wildcard plots/*.c)
PLOT_OBJ := $(PLOT_SRC:%.c=$(BUILD)/%.o)
SERVE_SRC := $(wildcard sim/serve/*.c)
SERVE_OBJ := $(SERVE_SRC:%.c=$(BUILD)/%.o) $(BUILD)/sim/serve/gen/serve_www_data.o
SERVE_LIB := $(BUILD)/lib/libscserve.a
TEST_SRC := $(wildcard tests/test_*.c)
TEST_BIN := $(TEST_SRC:tests/%.c=$(BUILD)/tests/%)
# scsim: the commands that neither draw nor serve, linked without cairo, pango,
# libmicrohttpd and jansson (built with SCSIM_CORE); it runs the others in scsim-ui, the
# build with every command, from its own folder (sim/cli/cli.h, main.c)
SCSIM    := $(BUILD)/scsim
SCSIM_UI := $(BUILD)/scsim-ui
CORE_CLI_OBJ := $(filter-out $(addprefix $(BUILD)/sim/cli/,cli.o cli_plot.o cli_verify.o \
    cli_report.o cli_compare.o cli_serve.o),$(CLI_OBJ)) $(BUILD)/sim/cli/core_cli.o $(BUILD)/sim/cli/core_main.o

.PHONY: all deps demo test check bench bench-sweep mpi verify clean help fuzz fuzz-objs fuzz-short
MPI_CFLAGS = $(shell pkg-config --cflags ompi-c 2>/dev/null)
MPI_LIBS   = $(shell pkg-config --libs ompi-c 2>/dev/null)
SCSIM_MPI := $(BUILD)/scsim-mpi
all: $(SCSIM) $(SCSIM_UI)

help:
	@echo "make          build $(SCSIM) and, beside it, $(SCSIM_UI) (plot, verify, report, compare, serve)"
	@echo "make demo     install missing packages, build, run the scenario library, compare"
	@echo "make test     build and run every test (unit, end-to-end)"
	@echo "make check    the tests under AddressSanitizer and UBSan (build/san), then fuzz-short"
	@echo "make fuzz     the libFuzzer targets (clang) in build/fuzz (docs/testing.md)"
	@echo "make bench    benchmark RSM-1, RSM-P and LISTS8 at N = 1e5, 1e6, 1e7 (BENCH_SIZES, BENCH_WORKLOADS to change),"
	@echo "              then one ER layer build at 1e6, 1e7 (BENCH_LAYER_SIZES=1e8 for 10^8),"
	@echo "              then RSM-1 against the hand-written loop and against --dense at 1e6, 1e7"
	@echo "              (scripts/bench-ref.sh; BENCH_REF_SIZES to change, empty to skip; BENCH_PAIRS)"
	@echo "make bench-sweep  time a 200-run sweep of 100,000-person runs with --jobs 2"
	@echo "make mpi      build/scsim-mpi, the MPI sweep driver (also built by make test)"
	@echo "make verify   the full verification suite (make test runs scsim verify --quick)"
	@echo "make deps     install missing Debian packages (scripts/install-deps.sh)"
	@echo "make clean    remove build/ and results/"

deps:
	@scripts/install-deps.sh

define layer_rules
$$(BUILD)/sim/$(1)/%.o: sim/$(1)/%.c
	@mkdir -p $$(@D)
	$$(CC) $$(WARN) $$(CFLAGS) $$(OMP) $$(PKG_CFLAGS) $$(call layer_inc,$(1)) -MMD -MP -c $$< -o $$@
$$(BUILD)/lib/libsc$(1).a: $$(patsubst %.c,$$(BUILD)/%.o,$$(wildcard sim/$(1)/*.c))
	@mkdir -p $$(@D); rm -f $$@
	ar rcs $$@ $$^
endef
$(foreach l,$(LAYERS),$(eval $(call layer_rules,$(l))))

# sim/cli/: the commands; they may include every layer and the plotting layer
$(BUILD)/sim/cli/%.o: sim/cli/%.c
	@mkdir -p $(@D)
	$(CC) $(WARN) $(CFLAGS) $(OMP) $(PKG_CFLAGS) $(PLOT_CFLAGS) $(call layer_inc,cli) -Iplots \
	    -MMD -MP -c $< -o $@

# plots/: the cairo plotting layer, its own library (the engine never links cairo)
$(BUILD)/plots/%.o: plots/%.c
	@mkdir -p $(@D)
	$(CC) $(WARN) $(CFLAGS) $(PKG_CFLAGS) $(PLOT_CFLAGS) -Iplots $(call layer_inc,plots) \
	    -MMD -MP -c $< -o $@

$(BUILD)/lib/libscplot.a: $(PLOT_OBJ)
	@mkdir -p $(@D); rm -f $@
	ar rcs $@ $^

# sim/serve/: the web explorer (`scsim serve`): HTTP (libmicrohttpd), JSON (jansson), the run
# queue; above plots (it draws figures as SVG), below cli. Its page (sim/serve/www/) is
# embedded into the binary by sim/serve/embed.sh (no build step for the page itself).
$(BUILD)/sim/serve/%.o: sim/serve/%.c
	@mkdir -p $(@D)
	$(CC) $(WARN) $(CFLAGS) $(PKG_CFLAGS) $(PLOT_CFLAGS) $(SERVE_CFLAGS) $(call layer_inc,serve) \
	    -Iplots -MMD -MP -c $< -o $@
$(BUILD)/sim/serve/gen/serve_www_data.c: sim/serve/embed.sh $(wildcard sim/serve/www/*)
	@mkdir -p $(@D)
	sim/serve/embed.sh $(sort $(wildcard sim/serve/www/*)) > $@.tmp && mv $@.tmp $@
$(BUILD)/sim/serve/gen/serve_www_data.o: $(BUILD)/sim/serve/gen/serve_www_data.c
	$(CC) $(WARN) $(CFLAGS) -Isim/serve -c $< -o $@
$(SERVE_LIB): $(SERVE_OBJ)
	@mkdir -p $(@D); rm -f $@
	ar rcs $@ $^

$(SCSIM_UI): $(BUILD)/sim/cli/main.o $(CLI_OBJ) $(SERVE_LIB) $(BUILD)/lib/libscplot.a $(LAYER_LIBS)
	$(CC) $(CFLAGS) $(OMP) $(LDFLAGS) -o $@ $(BUILD)/sim/cli/main.o $(CLI_OBJ) \
	    $(SERVE_LIB) $(BUILD)/lib/libscplot.a $(LAYER_LIBS) $(SERVE_LIBS) $(PLOT_LIBS) $(PKG_LIBS)

$(BUILD)/sim/cli/core_%.o: sim/cli/%.c
	@mkdir -p $(@D)
	$(CC) $(WARN) $(CFLAGS) $(OMP) $(PKG_CFLAGS) $(call layer_inc,cli) -DSCSIM_CORE \
	    -MMD -MP -c $< -o $@
$(SCSIM): $(CORE_CLI_OBJ) $(LAYER_LIBS) | $(SCSIM_UI)
	$(CC) $(CFLAGS) $(OMP) $(LDFLAGS) -o $@ $(CORE_CLI_OBJ) $(LAYER_LIBS) $(PKG_LIBS)

TEST_INC := $(call layer_inc,cli) -Iplots
$(BUILD)/tests/%: tests/%.c tests/testutil.h $(LAYER_LIBS)
	@mkdir -p $(@D)
	$(CC) $(WARN) $(CFLAGS) $(OMP) $(PKG_CFLAGS) $(TEST_INC) -MMD -MP -o $@ $< \
	    $(LAYER_LIBS) $(LDFLAGS) $(PKG_LIBS) $(TEST_LIBS)

# plot tests (test_plot*) link the plotting layer too
PLOT_TESTS := $(filter $(BUILD)/tests/test_plot%,$(TEST_BIN))
$(PLOT_TESTS): $(BUILD)/tests/%: tests/%.c tests/testutil.h $(BUILD)/lib/libscplot.a $(LAYER_LIBS)
	@mkdir -p $(@D)
	$(CC) $(WARN) $(CFLAGS) $(OMP) $(PKG_CFLAGS) $(PLOT_CFLAGS) $(TEST_INC) -MMD -MP -o $@ $< \
	    $(BUILD)/lib/libscplot.a $(LAYER_LIBS) $(LDFLAGS) $(PLOT_LIBS) $(PKG_LIBS) $(TEST_LIBS)

# the explorer's library test (test_serve) links the serve layer, libmicrohttpd and jansson
SERVE_TESTS := $(filter $(BUILD)/tests/test_serve%,$(TEST_BIN))
$(SERVE_TESTS): $(BUILD)/tests/%: tests/%.c tests/testutil.h $(SERVE_LIB) $(BUILD)/lib/libscplot.a \
    $(LAYER_LIBS)
	@mkdir -p $(@D)
	$(CC) $(WARN) $(CFLAGS) $(OMP) $(PKG_CFLAGS) $(TEST_INC) -MMD -MP -o $@ $< $(SERVE_LIB) \
	    $(BUILD)/lib/libscplot.a $(LAYER_LIBS) $(LDFLAGS) $(SERVE_LIBS) $(PLOT_LIBS) $(PKG_LIBS) \
	    $(TEST_LIBS)

# the option layer's tests (test_opt) link the commands too: every command's table
CLI_TESTS := $(BUILD)/tests/test_opt
$(CLI_TESTS): $(BUILD)/tests/%: tests/%.c tests/testutil.h $(CLI_OBJ) $(SERVE_LIB) \
    $(BUILD)/lib/libscplot.a $(LAYER_LIBS)
	@mkdir -p $(@D)
	$(CC) $(WARN) $(CFLAGS) $(OMP) $(PKG_CFLAGS) $(PLOT_CFLAGS) $(TEST_INC) -MMD -MP -o $@ $< \
	    $(CLI_OBJ) $(SERVE_LIB) $(BUILD)/lib/libscplot.a $(LAYER_LIBS) $(LDFLAGS) $(SERVE_LIBS) \
	    $(PLOT_LIBS) $(PKG_LIBS) $(TEST_LIBS)

# the explorer's tests (tests/test_serve_*.py, Debian's /usr/bin/python3): they start
# build/scsim serve and print cmocka-style lines that scripts/run-tests.sh counts
SERVE_PY_TESTS := $(wildcard tests/test_serve_*.py)
run-tests: $(SCSIM) $(SCSIM_UI) $(SCSIM_MPI) $(TEST_BIN)
	@SCSIM=$(abspath $(SCSIM)) SCSIM_MPI=$(abspath $(SCSIM_MPI)) scripts/run-tests.sh $(TEST_BIN) \
	    $(SERVE_PY_TESTS)

test: deps
	@$(MAKE) --no-print-directory run-tests

# the tests under ASan/UBSan (scripts/run-tests.sh points LeakSanitizer at tests/lsan.supp),
# then a short run of each fuzz target
check: deps
	@$(MAKE) --no-print-directory BUILD=build/san CFLAGS="-O1 -g $(SAN)" \
	    LDFLAGS="$(SAN)" run-tests
	@$(MAKE) --no-print-directory fuzz-short

# libFuzzer targets (tests/fuzz/, docs/testing.md): the libraries compiled again by clang
# with the fuzzer's coverage and the sanitizers into their own BUILD (build/fuzz-obj, so gcc
# and clang objects never mix), each target linked with -fsanitize=fuzzer into build/fuzz/.
FUZZ_CC      := clang
FUZZ_SAN     := -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer
FUZZ_OBJ     := build/fuzz-obj
FUZZ_DIR     := build/fuzz
FUZZ_TARGETS := scenario experiment csv db
FUZZ_BINS    := $(FUZZ_TARGETS:%=$(FUZZ_DIR)/fuzz_%)
FUZZ_LIBS    := $(FUZZ_OBJ)/lib/libscplot.a $(foreach l,$(LINK_ORDER),$(FUZZ_OBJ)/lib/libsc$(l).a)
FUZZ_SECONDS ?= 15
# clang warns where gcc does not; these are style, not defects (merge.c joins SQL literals)
FUZZ_WNO     := -Wno-string-concatenation
fuzz: deps
	@$(MAKE) --no-print-directory BUILD=$(FUZZ_OBJ) CC=$(FUZZ_CC) \
	    CFLAGS="-O1 -g -fsanitize=fuzzer-no-link $(FUZZ_SAN) $(FUZZ_WNO)" fuzz-objs
	@$(MAKE) --no-print-directory $(FUZZ_BINS)
fuzz-objs: $(LAYER_LIBS) $(BUILD)/lib/libscplot.a
$(FUZZ_DIR)/fuzz_%: tests/fuzz/fuzz_%.c tests/fuzz/fuzz_util.h $(FUZZ_LIBS)
	@mkdir -p $(@D)
	$(FUZZ_CC) $(WARN) -O1 -g -fsanitize=fuzzer $(FUZZ_SAN) $(OMP) $(PKG_CFLAGS) $(PLOT_CFLAGS) \
	    $(TEST_INC) -Itests/fuzz -o $@ $< $(FUZZ_LIBS) $(PLOT_LIBS) $(PKG_LIBS)
# the short run of every target, part of make check: FUZZ_SECONDS each on its seed corpus
# (tests/fuzz/corpus/TARGET, read only: new inputs go to a scratch directory)
fuzz-short: fuzz
	@scripts/fuzz-short.sh $(FUZZ_SECONDS) $(FUZZ_TARGETS)

DEMO_SCENARIOS := baseline joint-punishment family-spillover camera-chilling platform-pooling data-minimization
# the comparison's size: about a minute on 2 cores (docs/plots.md); seeds are the replicates
DEMO_PERSONS ?= 1500000
DEMO_SEEDS   ?= 1 2 3

demo: deps
	@$(MAKE) --no-print-directory all
	@mkdir -p results
	@rm -rf results/baseline.db* results/compare.db* results/figures   # the demo starts afresh
	$(SCSIM) run scenarios/baseline.ini --out results/baseline.db
	@echo "demo: $(words $(DEMO_SCENARIOS)) scenarios x seeds $(DEMO_SEEDS) at $(DEMO_PERSONS) persons -> results/compare.db"
	@t0=$$(date +%s); for seed in $(DEMO_SEEDS); do for s in $(DEMO_SCENARIOS); do \
	    echo "  $(SCSIM) run scenarios/$$s.ini --seed $$seed --set population.persons=$(DEMO_PERSONS)"; \
	    $(SCSIM) run scenarios/$$s.ini --quiet --seed $$seed \
	        --set population.persons=$(DEMO_PERSONS) --set run.event_cap=20000 \
	        --out results/compare.db || exit 1; \
	    done; done; echo "demo: the runs took $$(( $$(date +%s) - t0 )) s"
	$(SCSIM) summary results/compare.db --runs 1-$(words $(DEMO_SCENARIOS))
	$(SCSIM) plot results/compare.db --out results/figures
	$(SCSIM) report results/compare.db -o results/brief.pdf
	@echo "demo: results in results/baseline.db and results/compare.db (docs/results.md),"
	@echo "      figures in results/figures (each with the .sql query behind it; replicates"
	@echo "      pooled: mean and 95% interval), the brief in results/brief.pdf; try:"
	@echo "  sqlite3 results/baseline.db \"SELECT step, value FROM metrics WHERE run_id=1 AND name='listed.black' AND grp='all' ORDER BY step\""

bench: deps
	@$(MAKE) --no-print-directory all $(LAYER_BENCH) $(RSM1_REF)
	@scripts/bench.sh $(SCSIM) $(BENCH_SIZES)
	@scripts/bench-layers.sh $(LAYER_BENCH) $(BENCH_LAYER_SIZES)
	@if [ -n "$(strip $(BENCH_REF_SIZES))" ]; then \
	    scripts/bench-ref.sh $(SCSIM) $(RSM1_REF) $(BENCH_REF_SIZES); fi

# the hand-written RSM-1 loop (tests/bench/rsm1_ref.c, the yardstick of issue 17): built with
# the flags of its own header (OpenMP build), not $(WARN)/$(CFLAGS), so -Werror never breaks it
RSM1_REF := $(BUILD)/bench/rsm1_ref
BENCH_REF_SIZES ?= 1e6 1e7
$(RSM1_REF): tests/bench/rsm1_ref.c
	@mkdir -p $(@D)
	gcc -O2 -march=native -std=c11 -fopenmp -o $@ $< -lm

# the layer-build benchmark (tests/bench/layer_bench.c): one generator, timed alone
LAYER_BENCH := $(BUILD)/bench/layer_bench
$(LAYER_BENCH): tests/bench/layer_bench.c $(LAYER_LIBS)
	@mkdir -p $(@D)
	$(CC) $(WARN) $(CFLAGS) $(OMP) $(PKG_CFLAGS) $(call layer_inc,society) -MMD -MP -o $@ $< \
	    $(LAYER_LIBS) $(LDFLAGS) $(PKG_LIBS)

verify: deps
	@$(MAKE) --no-print-directory all
	$(SCSIM) verify --out results/verify

bench-sweep: deps
	@$(MAKE) --no-print-directory all
	@rm -f build/bench-sweep.db build/bench-sweep.db-wal build/bench-sweep.db-shm
	$(SCSIM) sweep scenarios/sweeps/bench-sweep200.ini --out build/bench-sweep.db --jobs 2 --quiet

# the MPI driver: rank 0 hands out runs and writes the database, the others simulate
mpi: $(SCSIM_MPI)
# (with the option layer of sim/cli/: opt.o, opt_help.o)
MPI_OPT_OBJ := $(BUILD)/sim/cli/opt.o $(BUILD)/sim/cli/opt_help.o
$(SCSIM_MPI): sim/cli/mpi_main.c $(MPI_OPT_OBJ) $(LAYER_LIBS)
	@mkdir -p $(@D)
	$(CC) $(WARN) $(CFLAGS) $(OMP) $(PKG_CFLAGS) $(MPI_CFLAGS) $(call layer_inc,cli) -MMD -MP \
	    -o $@ $< $(MPI_OPT_OBJ) $(LAYER_LIBS) $(LDFLAGS) $(MPI_LIBS) $(PKG_LIBS)

clean:
	rm -rf build results

-include $(LIB_OBJ:.o=.d) $(CLI_OBJ:.o=.d) $(PLOT_OBJ:.o=.d) $(SERVE_OBJ:.o=.d) $(BUILD)/sim/cli/main.d \
    $(BUILD)/sim/cli/core_cli.d $(BUILD)/sim/cli/core_main.d \
    $(TEST_BIN:=.d) $(SCSIM_MPI).d
