# OS Data Hub Loader — developer commands. `make help` lists them.
PLUGIN      := os_data_hub_loader
VENV        := .venv
PYTHON      := $(VENV)/bin/python
VERSION     := $(shell sed -n 's/^version=//p' metadata.txt)
QGIS_PROFILE ?= $(HOME)/.local/share/QGIS/QGIS3/profiles/default
PYTEST_ARGS ?=
ZIP         := build/$(PLUGIN)-$(VERSION).zip

.PHONY: help setup test test-fast test-faults demo bench lint package deploy undeploy clean transup transcompile
.PHONY: validate gui-test

help:
	@echo "make test       install what is missing, then run all tests headless"
	@echo "make test-fast  only the fast tests that need neither QGIS nor the local server"
	@echo "make test-faults  the fault-injection matrix (summary line: faults injected, recovered, ...)"
	@echo "make demo       local OS API server + QGIS with the plugin (Xvfb + screenshots if no display)"
	@echo "make bench      benchmarks side by side with curl, unzip and osdatahub (ONLY=name,...)"
	@echo "make lint       ruff and mypy (api/ is typed)"
	@echo "make package    the installable plugin zip: $(ZIP)"
	@echo "make validate   build the zip and check it against plugins.qgis.org's rules"
	@echo "make gui-test   install the zip in a throwaway profile and drive the real QGIS (Xvfb)"
	@echo "make deploy     copy the plugin into QGIS_PROFILE=$(QGIS_PROFILE)"
	@echo "make transup TRANSLATION=fr / transcompile   update / compile translations in i18n/"
	@echo "make clean"

setup:
	@bash scripts/setup.sh

test: setup
	QT_QPA_PLATFORM=offscreen $(PYTHON) -m pytest $(PYTEST_ARGS)

test-fast: setup
	$(PYTHON) -m pytest tests/api $(PYTEST_ARGS)

test-faults: setup
	QT_QPA_PLATFORM=offscreen $(PYTHON) -m pytest tests/faults tests/server/test_fault_switches.py $(PYTEST_ARGS)

demo: setup
	bash scripts/demo.sh

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

package:
	python3 scripts/package.py --output $(ZIP)

validate: package
	python3 scripts/validate_package.py $(ZIP) --changelog CHANGELOG.md --translations i18n

gui-test: setup
	bash scripts/gui_test.sh

deploy: package
	rm -rf "$(QGIS_PROFILE)/python/plugins/$(PLUGIN)"
	mkdir -p "$(QGIS_PROFILE)/python/plugins"
	cd "$(QGIS_PROFILE)/python/plugins" && python3 -m zipfile -e "$(CURDIR)/$(ZIP)" .
	@echo "deployed to $(QGIS_PROFILE)/python/plugins/$(PLUGIN): restart QGIS or use Plugin Reloader"

undeploy:
	rm -rf "$(QGIS_PROFILE)/python/plugins/$(PLUGIN)"

TRANSLATION ?= fr
transup:
	pylupdate5 -noobsolete $$(find . -name '*.py' -not -path './.venv/*' | grep -v -E '^\./(tests|local_os_api|scripts|api)/') -ts i18n/$(PLUGIN)_$(TRANSLATION).ts

transcompile:
	for ts in i18n/*.ts; do [ -e "$$ts" ] && lrelease "$$ts"; done; true

clean:
	rm -rf build dist .cache demo-shots
	find . -name __pycache__ -type d -prune -exec rm -rf {} +
