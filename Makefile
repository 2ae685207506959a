# The two commands: `make run` and `make test`. Everything else is a helper.
SHELL := /bin/bash
.DEFAULT_GOAL := help
.PHONY: help setup run test lint bench stop update reset-demo clean

help:
	@echo "make run         set up, build the demo database once, serve Odoo on http://127.0.0.1:$${B2B_HTTP_PORT:-8069}"
	@echo "make test        set up, build a fresh test database, run every test (unit, HTTP, browser)"
	@echo "make lint        ruff and pylint-odoo on addons/"
	@echo "make bench       benchmarks under bench/, each against standard Odoo"
	@echo "make stop        stop the project's PostgreSQL"
	@echo "make update      update the six addons in the demo database after pulling new code"
	@echo "make reset-demo  drop and rebuild the demo database"
	@echo "make clean       stop PostgreSQL, remove the project's databases and caches (.cache/)"

setup:
	@bash setup/setup.sh

run: setup
	@bash setup/db.sh demo
	@bash setup/run.sh

test:
	@bash setup/test.sh

lint: setup
	@bash setup/lint.sh

bench: setup
	@bash setup/bench.sh

stop:
	@bash setup/pg.sh stop

update: setup
	@bash setup/db.sh update

reset-demo: setup
	@bash setup/db.sh drop-demo
	@bash setup/db.sh demo

clean:
	@bash setup/clean.sh
