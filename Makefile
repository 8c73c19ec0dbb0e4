# Omni — the two commands: `make run` and `make test`. Everything else is a helper.
# All logic lives in scripts/omni.sh; ODOO_SRC, PG* and OMNI_* variables pass through.
SHELL := /bin/bash
OMNI := bash scripts/omni.sh

.PHONY: run test lint check-install bench setup db db-stop i18n help

help:
	@echo "make run            set up, create database 'omni' (first run) and serve http://localhost:8069"
	@echo "make test           lint + install checks + fresh test database + pytest-odoo over all tests"
	@echo "make lint           ruff + pylint-odoo"
	@echo "make check-install  each module installs alone into an empty database, logs clean"
	@echo "make bench          benchmarks (figures and ratios, no pass/fail); BENCH='sourcing --quick'"
	@echo "make db-stop        stop the private PostgreSQL cluster started under .omni/"

run:
	@$(OMNI) run

test: lint check-install
	@$(OMNI) test

lint:
	@$(OMNI) lint

check-install:
	@$(OMNI) check-install

bench:
	@$(OMNI) bench $(BENCH)

setup:
	@$(OMNI) setup

db:
	@$(OMNI) db

db-stop:
	@$(OMNI) db-stop

i18n:
	@$(OMNI) i18n $(MODULES)
