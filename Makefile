# Jianguan — the two commands a newcomer needs: `make run` and `make test`.
PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed
export JIANGUAN_VAR_DIR ?= $(CURDIR)/var
PYTEST_ARGS ?=
# Two workers on two cores; the browser tests share a worker with the rest.
XDIST  ?= -n 2

.PHONY: install run test test-sqlite test-postgres bench lint format demo clean

install: $(STAMP)
$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

# Development server on http://127.0.0.1:8000 with the Pingdingshan demo data (loaded once).
# migrate skips the system checks (~1 s of imports): runserver runs them before it serves.
run: install
	@echo "== 建立/更新数据库（jianguan migrate）…"
	JIANGUAN_DEBUG=1 $(PY) -m jianguan migrate --no-input -v 0 --skip-checks
	@if [ ! -f $(JIANGUAN_VAR_DIR)/.demo-loaded ]; then \
		JIANGUAN_DEBUG=1 $(PY) -m jianguan demo && touch $(JIANGUAN_VAR_DIR)/.demo-loaded; \
	else \
		JIANGUAN_DEBUG=1 $(PY) -m jianguan demo --logins-only; \
	fi
	JIANGUAN_DEBUG=1 $(PY) -m jianguan runserver 127.0.0.1:8000

demo: install
	JIANGUAN_DEBUG=1 $(PY) -m jianguan migrate --no-input -v 0
	JIANGUAN_DEBUG=1 $(PY) -m jianguan demo

# The whole suite on SQLite, then again on a throwaway PostgreSQL server the run starts and stops itself.
test: install
	$(MAKE) --no-print-directory test-sqlite
	$(MAKE) --no-print-directory test-postgres

test-sqlite: install
	@echo "== tests on SQLite =="
	env -u DATABASE_URL $(PY) -m pytest $(XDIST) -q $(PYTEST_ARGS)

# The browser tests (tests/browser, Playwright) run once, on SQLite: what they check — pages, scripts, CSP, layout —
# does not depend on the database, and the flows they drive are tested on both databases below the browser.
test-postgres: install
	@echo "== tests on PostgreSQL (throwaway server; browser tests ran on SQLite) =="
	$(PY) -m jianguan.testing.postgres -- $(PY) -m pytest $(XDIST) -q -m "not browser" $(PYTEST_ARGS)

# Every benchmark on a throwaway PostgreSQL server (the pure-Python ones ignore it). Sizes are each script's
# defaults; docs/benchmarks.md gives the full-scale commands and the latest figures. BENCH=bench/bench_x.py runs one.
BENCH ?= $(wildcard bench/bench_*.py)
bench: install
	@for b in $(BENCH); do echo "== $$b"; $(PY) -m jianguan.testing.postgres -- $(PY) $$b || exit 1; done

lint: install
	$(VENV)/bin/ruff check jianguan tests bench

format: install
	$(VENV)/bin/ruff format jianguan tests bench

clean:
	rm -rf $(VENV) var staticfiles
