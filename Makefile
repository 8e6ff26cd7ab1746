# The whole set-up is `make run` (serve the demo) and `make test` (the checks CI runs).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
GEODATA := src/clusterhub/statistics/geodata
VENDOR := src/clusterhub/static/vendor

.PHONY: run test install install-dev icu messages gettext catalogues browser lint openapi bench mutation screenshots clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

install: $(BIN)/python $(GEODATA) $(VENDOR) icu
	$(BIN)/pip install --quiet -e '.[postgres]'
	$(MAKE) --no-print-directory messages

install-dev: $(BIN)/python $(GEODATA) $(VENDOR) icu
	$(BIN)/pip install --quiet -e '.[dev]'
	$(MAKE) --no-print-directory messages

# npm's packages, pinned by package-lock.json, installed once per change of it.
node_modules/.installed: package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

# The interface's translations: the committed catalogues (.po) compiled by Babel, a
# dependency, at set-up (docs/translation.md).
messages:
	$(BIN)/pybabel -q compile -d src/clusterhub/locale -D django

# The map's country shapes: Natural Earth from npm's world-atlas, turned into GeoJSON by
# topojson-client at set-up; nothing is fetched at run time.
$(GEODATA): node_modules/.installed
	mkdir -p $@.tmp
	for size in 50m 110m; do \
		node_modules/.bin/topo2geo countries=$@.tmp/countries-$$size.json \
			< node_modules/world-atlas/countries-$$size.json || exit 1; \
	done
	rm -rf $@ && mv $@.tmp $@

# The network page's graph library (Cytoscape.js), served with the site's own files.
$(VENDOR): node_modules/.installed
	mkdir -p $@.tmp
	cp node_modules/cytoscape/dist/cytoscape.min.js $@.tmp/
	rm -rf $@ && mv $@.tmp $@

# The task worker (mail, alerts, digests, expiry) runs beside the server and stops with
# it; links in mail point at the port served unless CLUSTERHUB_SITE_URL says otherwise.
run: export CLUSTERHUB_SITE_URL ?= http://127.0.0.1:$(PORT)
run: install
	$(BIN)/clusterhub migrate --noinput
	$(BIN)/clusterhub demo --profiles 300 --seed 1 --if-empty
	$(BIN)/clusterhub worker & worker=$$!; \
	trap 'kill $$worker 2>/dev/null; wait $$worker' EXIT INT TERM; \
	$(BIN)/clusterhub serve --host 127.0.0.1 --port $(PORT)

# Debian packages a step needs, installed when a test of them fails (as root; else the
# command to run is named): $(call debian,<test command>,<packages>,<what needs them>).
debian = @$(1) >/dev/null 2>&1 || { \
	if [ "$$(id -u)" = 0 ]; then \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $(2) >/dev/null; \
	else \
		echo "Debian's $(2) is needed by $(3): sudo apt-get install $(2)"; exit 1; \
	fi; }

# PyICU, which sorts lists in the reader's alphabet (ICU's collation: "Ł" after "L" in
# Polish), is built from PyPI against Debian's ICU.
icu:
	$(call debian,pkg-config --exists icu-i18n,libicu-dev pkg-config g++,PyICU)

# Browser tests drive Debian's Chromium (never a downloaded browser).
browser:
	$(call debian,command -v chromium,chromium,the browser tests)

lint: install-dev
	$(BIN)/ruff check src tests bench scripts
	$(BIN)/ruff format --check src tests bench scripts
	$(BIN)/clusterhub makemigrations --check --dry-run
	$(BIN)/lint-imports

# The catalogue check (tests/test_catalogues.py) extracts the strings marked for
# translation with GNU gettext's xgettext, from Debian.
gettext:
	$(call debian,command -v xgettext,gettext,the catalogue check)

# The catalogues brought up to date with the strings marked in the code and templates;
# then translate what is new (docs/translation.md). A new language: LANGUAGE=xx.
catalogues: install-dev gettext
	cd src/clusterhub && ../../$(BIN)/clusterhub makemessages --no-obsolete --add-location file \
		$(if $(LANGUAGE),--locale $(LANGUAGE),--all)

# SQLite always; PostgreSQL too when CLUSTERHUB_TEST_DATABASE_URL is set (.ci/run sets it).
test: lint browser gettext
	env -u DATABASE_URL $(BIN)/pytest -q
	@if [ -n "$$CLUSTERHUB_TEST_DATABASE_URL" ]; then \
		echo "--- the suite again on PostgreSQL ($$CLUSTERHUB_TEST_DATABASE_URL)"; \
		DATABASE_URL="$$CLUSTERHUB_TEST_DATABASE_URL" $(BIN)/pytest -q; \
	fi

# On demand, like the benchmarks (docs/mutation.md): mutants of the parser, the document
# mapping, the facet index and the permission checks, against the tests that cover them.
mutation: install-dev
	$(BIN)/pip install --quiet -e '.[mutation]'
	rm -rf mutants
	$(BIN)/mutmut run --max-children 2
	$(BIN)/mutmut results

# The README's pictures: the main pages at 1366 and 390 px, from a fresh demo site.
screenshots: install-dev browser
	$(BIN)/python scripts/screenshots.py

openapi: install
	$(BIN)/clusterhub openapi > tests/api/openapi.json

clean:
	rm -rf $(VENV) var build src/*.egg-info node_modules $(GEODATA) $(VENDOR)
