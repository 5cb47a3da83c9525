# The two commands on a fresh machine: `make demo` and `make test` (see README).
PORT ?= 8000
VENV := .venv
BIN := $(VENV)/bin
export PORT

.PHONY: demo test install system-deps lint typecheck clean

$(BIN)/.installed: pyproject.toml
	python3 -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

install: $(BIN)/.installed node_modules/.installed

system-deps:
	./scripts/system-deps.sh

var/secret_key:
	mkdir -p var
	python3 -c 'import secrets; print(secrets.token_urlsafe(50))' > $@
	chmod 600 $@

demo: install var/secret_key
	KARTLEGGING_MODE=demo $(BIN)/kartlegging migrate --noinput
	KARTLEGGING_MODE=demo $(BIN)/kartlegging collectstatic --noinput --verbosity 0
	KARTLEGGING_MODE=demo $(BIN)/kartlegging load-demo
	./scripts/serve-demo.sh

test: install system-deps
	$(BIN)/pytest

lint: install
	$(BIN)/ruff check src tests
	$(BIN)/ruff format --check src tests

typecheck: install
	$(BIN)/mypy

clean:
	rm -rf $(VENV) node_modules var/static
