# Developer entry points. The work is done by scripts/*.sh; see each for the why.
SHELL := /bin/bash
.DEFAULT_GOAL := help
ARGS ?=

.PHONY: help bootstrap run test services stop status bench lint translations clean

help: ## list the targets
	@echo "make targets:"
	@grep -E '^[a-z]+:.*## ' $(MAKEFILE_LIST) | awk -F ':.*## ' '{printf "  %-10s %s\n", $$1, $$2}'

bootstrap: ## install missing system packages, .venv and the project (fast when done)
	scripts/bootstrap.sh

run: ## serve the app (PORT, default 5000) with local services until Ctrl-C
	scripts/run.sh

test: ## run pytest on fresh test databases; pytest arguments via ARGS='-k name'
	scripts/test.sh $(ARGS)

services: ## start the local PostgreSQL and Redis under var/
	scripts/services.sh start

stop: ## stop the local services that scripts/services.sh started
	scripts/services.sh stop

status: ## show the state of the local services
	scripts/services.sh status

bench: ## run the benchmarks in bench/ against the local services (ARGS passed on)
	scripts/bootstrap.sh
	scripts/services.sh start
	eval "$$(scripts/services.sh env)" && .venv/bin/python -m bench $(ARGS)

lint: bootstrap ## ruff over the code, tests and benchmarks
	.venv/bin/ruff check feedbackgis tests bench migrations

translations: bootstrap ## extract the texts (babel.cfg) to the .pot, update the fi/sv/en catalogs, compile
	.venv/bin/pybabel extract -F babel.cfg --add-comments=Translators: --project=feedbackgis \
		--copyright-holder="the feedbackgis authors" \
		--no-wrap --sort-by-file -o feedbackgis/translations/messages.pot .
	.venv/bin/pybabel update -i feedbackgis/translations/messages.pot -d feedbackgis/translations \
		--no-wrap --ignore-obsolete --previous --ignore-pot-creation-date
	.venv/bin/pybabel compile -d feedbackgis/translations --statistics

clean: stop ## stop the services and delete var/ (keeps .venv)
	@rc=0; scripts/services.sh status >/dev/null || rc=$$?; \
	if [ $$rc -ne 3 ]; then \
		echo "services still run from var/ (not started by scripts/services.sh); see 'make status'" >&2; \
		exit 1; \
	fi
	rm -rf var/
