# Tandem's task runner. Every target installs what it needs first, so a fresh Debian machine
# needs nothing but `make run` or `make test`.
SHELL := /bin/bash
.DEFAULT_GOAL := help

export UV_PYTHON_DOWNLOADS := never
export UV_LINK_MODE := copy
# Installed packages get their bytecode at install, as pip gives them: without it a machine that
# sets PYTHONDONTWRITEBYTECODE compiles numpy, Django and the rest again in every process.
export UV_COMPILE_BYTECODE := 1
export PATH := $(HOME)/.local/bin:$(PATH)
export OPENBLAS_NUM_THREADS ?= 1

# Recursive (=) on purpose: looked up when used, so a uv installed by `make uv` is found.
UV = $(shell command -v uv 2>/dev/null || echo "python3 -m uv")
RUN = $(UV) run --frozen
# gettext checks the translation catalogues; fonts-noto-core covers Arabic in pages and PDFs.
DEBIAN_PACKAGES := chromium postgresql libpango-1.0-0 libpangoft2-1.0-0 fonts-dejavu-core fonts-noto-core wrk xmlsec1 gettext
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: help
help:  ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F ':.*## ' '{printf "  make %-14s %s\n", $$1, $$2}'

.PHONY: uv
uv:
	@command -v uv >/dev/null 2>&1 || python3 -m uv --version >/dev/null 2>&1 || \
	  { echo "Installing uv with pip..."; python3 -m pip install --quiet uv; }

.PHONY: install
install: uv  ## install the locked Python environment
	@$(UV) sync --frozen --quiet

.PHONY: debian
debian:  ## install the Debian packages the tests need (when run as root)
	@missing=""; for p in $(DEBIAN_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = 0 ]; then \
	    echo "Installing Debian packages:$$missing"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null; \
	  else echo "Missing Debian packages:$$missing (run as root to install them)"; fi; \
	fi

.PHONY: migrate
migrate: install
	@$(RUN) python manage.py migrate --no-input -v 0

.PHONY: run
run: migrate  ## serve Tandem on http://127.0.0.1:8000
	@echo "Tandem is starting on http://$(HOST):$(PORT)/"
	$(RUN) python manage.py runserver $(HOST):$(PORT)

.PHONY: demo
demo: migrate  ## load the demo organisation (about 150 people)
	$(RUN) python manage.py load_demo

# The database queue by default; Celery when TASKS_BACKEND names it (docs/deploy.md).
.PHONY: worker
worker: migrate  ## run a background task worker
ifneq (,$(findstring celery,$(TASKS_BACKEND)))
	$(RUN) celery -A tandem.web.celery worker --loglevel INFO --without-gossip --without-mingle
else
	$(RUN) python manage.py db_worker --no-reload
endif

# The catalogues of every language but English (the code's own). The compiled .mo files are
# committed, so running Tandem needs no gettext; tests/web/test_catalogues.py checks them.
TRANSLATED := es de ar
MAKEMESSAGES_ARGS := --no-obsolete --add-location=file --ignore=tests/* --ignore=bench/* \
  --ignore=staticfiles/* --ignore=src/tandem/measure/*

.PHONY: messages
messages: install debian  ## update the translation catalogues from the code and compile them
	$(RUN) python manage.py makemessages $(MAKEMESSAGES_ARGS) $(addprefix -l ,$(TRANSLATED))
	$(RUN) python manage.py compilemessages --ignore=.venv

.PHONY: lint
lint: install  ## ruff, mypy and import-linter
	$(RUN) ruff check src tests bench
	$(RUN) ruff format --check src tests bench
	$(RUN) mypy src
	$(RUN) lint-imports

.PHONY: fix
fix: install  ## let ruff fix what it can
	$(RUN) ruff check --fix src tests bench
	$(RUN) ruff format src tests bench

# The OpenID Connect provider the single sign-on tests start (Node's oidc-provider, locked in
# tests/sso_providers/package-lock.json).
.PHONY: sso-providers
sso-providers:
	@[ -d tests/sso_providers/node_modules/oidc-provider ] || \
	  npm ci --prefix tests/sso_providers --no-audit --no-fund --silent

.PHONY: test-sqlite
test-sqlite: install debian sso-providers
	$(RUN) pytest -q -p no:cacheprovider

# The pure measurement core touches no database, so it runs once, on the SQLite pass.
PG_PYTEST_ARGS := -q -p no:cacheprovider tests --ignore=tests/measure

.PHONY: test-postgres
test-postgres: install debian sso-providers
	@if pg_isready -q -h 127.0.0.1 -p 5432 && psql -h 127.0.0.1 -U postgres -d postgres -Atc 'select 1' >/dev/null 2>&1; then \
	  echo "== suite on PostgreSQL (the server on 127.0.0.1:5432)"; \
	  DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres $(RUN) pytest $(PG_PYTEST_ARGS); \
	else \
	  echo "== suite on PostgreSQL (a throw-away cluster from pg_virtualenv)"; \
	  pg_virtualenv sh -c 'DATABASE_URL=postgres:///postgres $(RUN) pytest $(PG_PYTEST_ARGS)'; \
	fi

.PHONY: test
test: lint test-sqlite test-postgres  ## lint, the suite on SQLite with browser tests, then on PostgreSQL

.PHONY: bench
bench: install debian bench-r  ## run the benchmarks and record their results in bench/results/
	$(RUN) python -m bench

.PHONY: bench-r
bench-r:  # R's lavaan and lme4, which bench_cfa and bench_crossed time side by side with Tandem (installed when root)
	@$(MAKE) --no-print-directory debian DEBIAN_PACKAGES="r-cran-lavaan r-cran-lme4"

.PHONY: check-deploy
check-deploy: install  ## Django's deployment checks with production settings
	DJANGO_ENV=production SECRET_KEY=check-deploy-only-$$RANDOM$$RANDOM$$RANDOM$$RANDOM-not-a-real-secret-key \
	  ALLOWED_HOSTS=tandem.example.org $(RUN) python manage.py check --deploy --fail-level WARNING
