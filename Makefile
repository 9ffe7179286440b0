# OS Data Hub Loader — developer commands. `make help` lists them.
PLUGIN      := os_data_hub_loader
VENV        ?= .venv
PYTHON      := $(VENV)/bin/python
VERSION     := $(shell sed -n 's/^version=//p' metadata.txt)
QGIS_PROFILE ?= $(HOME)/.local/share/QGIS/QGIS3/profiles/default
PYTEST_ARGS ?=
ZIP         := build/$(PLUGIN)-$(VERSION).zip

.PHONY: help setup test test-fast test-faults demo bench lint package deploy undeploy clean
.PHONY: translations translations-missing translations-stubs translations-prune transup transcompile
.PHONY: validate gui-test test-urllib3-2 test-matrix

# `make test QGIS=3.44` (or 3.40, 3.22; on the command line only, so that a QGIS variable in
# the environment changes nothing): these targets run inside a Debian chroot with that QGIS
# (scripts/qgis_chroot.sh) instead of against the host's QGIS.
CHROOT_TARGETS := setup test test-fast test-faults demo gui-test

help:
	@echo "make test       install what is missing, then run all tests headless"
	@echo "make test-fast  only the fast tests that need neither QGIS nor the local server"
	@echo "make test-faults  the fault-injection matrix (summary line: faults injected, recovered, ...)"
	@echo "make test-urllib3-2  the Qt-free tests against urllib3 2.x / requests 2.32 (own venv)"
	@echo "make demo       local OS API server + QGIS with the plugin (Xvfb + screenshots if no display)"
	@echo "make bench      benchmarks side by side with curl, unzip and osdatahub (ONLY=name,...)"
	@echo "make lint       ruff, mypy (api/ is typed) and the Qt6 lint (scripts/qt6_lint.py)"
	@echo "make package    the installable plugin zip: $(ZIP)"
	@echo "make validate   build the zip and check it against plugins.qgis.org's rules"
	@echo "make gui-test   install the zip in a throwaway profile and drive the real QGIS (Xvfb)"
	@echo "make test QGIS=3.44  (or 3.40, 3.22) the same in a Debian chroot with that QGIS;"
	@echo "                also setup, test-fast, test-faults, gui-test and demo (root needed)"
	@echo "make test-matrix  make test on QGIS 3.22, 3.40 and 3.44 in turn, with a summary"
	@echo "make deploy     copy the plugin into QGIS_PROFILE=$(QGIS_PROFILE)"
	@echo "make translations          .ts from the code (pylupdate5), filled from i18n/<lang>.json, .qm (lrelease)"
	@echo "make translations-missing  list the strings i18n/<lang>.json does not translate yet (fails if any)"
	@echo "make translations-stubs    add those strings to i18n/<lang>.json with empty translations"
	@echo "make translations-prune    remove from i18n/<lang>.json what the code no longer has"
	@echo "make clean"

ifeq ($(origin QGIS),command line)
$(CHROOT_TARGETS):
	PYTEST_ARGS='$(PYTEST_ARGS)' bash scripts/qgis_chroot.sh $(QGIS) make $@
else
setup:
	@bash scripts/setup.sh

test: setup
	QT_QPA_PLATFORM=offscreen $(PYTHON) -m pytest $(PYTEST_ARGS)

test-fast: setup
	$(PYTHON) -m pytest tests/api $(PYTEST_ARGS)

test-faults: setup
	QT_QPA_PLATFORM=offscreen $(PYTHON) -m pytest tests/faults tests/server/test_fault_switches.py $(PYTEST_ARGS)

# urllib3 2.x (Debian 13) closes connections differently from Debian 12's 1.26 (issue 13): the
# Qt-free tests in a venv where urllib3 2.x shadows the distribution's. URLLIB3_2_TESTS="tests/api
# tests/cli tests/server tests/faults" adds the local server's and the fault matrix's (minutes).
URLLIB3_2_VENV  := build/urllib3-2/venv
URLLIB3_2_TESTS ?= tests/api tests/cli
$(URLLIB3_2_VENV)/.installed: tests/requirements-urllib3-2.txt
	/usr/bin/python3 -m venv --system-site-packages $(URLLIB3_2_VENV)
	$(URLLIB3_2_VENV)/bin/python -m pip install -q --disable-pip-version-check -r $<
	touch $@

test-urllib3-2: $(URLLIB3_2_VENV)/.installed
	$(URLLIB3_2_VENV)/bin/python -c 'import urllib3, requests; print("urllib3", urllib3.__version__, "requests", requests.__version__)'
	$(URLLIB3_2_VENV)/bin/python -m pytest -p no:qgis $(URLLIB3_2_TESTS) \
	  --ignore=tests/faults/test_fault_matrix_qgis.py $(PYTEST_ARGS)

demo: setup transcompile
	bash scripts/demo.sh

gui-test: setup
	bash scripts/gui_test.sh
endif

# Each of QGIS 3.22, 3.40 and 3.44 in its chroot; a summary at the end (build/matrix/).
test-matrix:
	bash scripts/qgis_matrix.sh $(MATRIX)

BENCH_VENV := build/bench/venv
$(BENCH_VENV)/.installed: tests/bench/requirements-bench.txt
	/usr/bin/python3 -m venv --system-site-packages $(BENCH_VENV)
	$(BENCH_VENV)/bin/python -m pip install -q --disable-pip-version-check -r $<
	touch $@

# ONLY=large,many (etc.) runs a subset; see tests/bench/suite.py.
bench: setup $(BENCH_VENV)/.installed
	$(BENCH_VENV)/bin/python tests/bench/suite.py

lint: setup
	$(PYTHON) -m ruff check .
	$(PYTHON) -m mypy
	QT_QPA_PLATFORM=offscreen $(PYTHON) scripts/qt6_lint.py

package:
	python3 scripts/package.py --output $(ZIP)

validate: package
	python3 scripts/validate_package.py $(ZIP) --changelog CHANGELOG.md --translations i18n

deploy: package
	rm -rf "$(QGIS_PROFILE)/python/plugins/$(PLUGIN)"
	mkdir -p "$(QGIS_PROFILE)/python/plugins"
	cd "$(QGIS_PROFILE)/python/plugins" && python3 -m zipfile -e "$(CURDIR)/$(ZIP)" .
	@echo "deployed to $(QGIS_PROFILE)/python/plugins/$(PLUGIN): restart QGIS or use Plugin Reloader"

undeploy:
	rm -rf "$(QGIS_PROFILE)/python/plugins/$(PLUGIN)"

# Translations (i18n/README.md): one i18n/<lang>.json per language, for every file of the plugin.
LANGUAGES   ?= cy
I18N_SOURCES = plugin.py $(sort $(shell find api core ui browser processing_provider -name '*.py'))
PYLUPDATE    = PYTHONWARNINGS=ignore pylupdate5 -noobsolete $(I18N_SOURCES) -ts
TS_TOOL      = python3 i18n/ts_tool.py

translations:
	@for lang in $(LANGUAGES); do \
	  ts=i18n/$(PLUGIN)_$$lang.ts; \
	  $(PYLUPDATE) $$ts >/dev/null && $(TS_TOOL) fill $$ts i18n/$$lang.json \
	  && lrelease -silent $$ts -qm i18n/$(PLUGIN)_$$lang.qm || exit 1; \
	done

translations-missing:
	@tmp=$$(mktemp -d); status=0; \
	for lang in $(LANGUAGES); do \
	  $(PYLUPDATE) $$tmp/$$lang.ts >/dev/null && $(TS_TOOL) missing $$tmp/$$lang.ts i18n/$$lang.json \
	  || status=1; \
	done; rm -rf "$$tmp"; exit $$status

translations-stubs translations-prune:
	@tmp=$$(mktemp -d); \
	for lang in $(LANGUAGES); do \
	  $(PYLUPDATE) $$tmp/$$lang.ts >/dev/null \
	  && $(TS_TOOL) $(subst translations-,,$@) $$tmp/$$lang.ts i18n/$$lang.json; \
	done; rm -rf "$$tmp"

# The old names; transcompile only compiles the committed .ts files (for make demo).
transup: translations

transcompile:
	for ts in i18n/*.ts; do [ -e "$$ts" ] && lrelease -silent "$$ts"; done; true

clean:
	rm -rf build dist .cache .cache-* demo-shots
	rm -f i18n/*.qm
	find . -name __pycache__ -type d -prune -exec rm -rf {} +
