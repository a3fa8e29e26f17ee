# Two entry points, each setting itself up: `make demo` and `make test`.
PYTHON ?= python3
VENV ?= .venv
BIN = $(VENV)/bin

.PHONY: demo test bench clean chromium

demo: $(VENV)/.runtime
	$(BIN)/kg build -o exports

test: $(VENV)/.tests chromium
	$(BIN)/python -m pytest

# The browser tests drive Debian's chromium (never a downloaded browser): install it when it
# is missing and this runs as root with apt-get; otherwise those tests skip and say why.
chromium:
	@command -v chromium >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	    echo "Installing chromium for the browser tests (apt-get)"; \
	    { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; } \
	      || echo "make: could not install chromium; the browser tests will be skipped"; \
	  else echo "make: chromium is missing and needs root and apt-get to install; the browser tests will be skipped"; fi; }

# Reads the shared corpus beside the repository (../shared), which a fresh clone does not have.
BENCH_CORPUS = ../shared/corpus/hf-daily-papers

bench: $(VENV)/.runtime
	@ls $(BENCH_CORPUS)/*.txt >/dev/null 2>&1 || { \
	  echo "make bench: no corpus at $(BENCH_CORPUS)/*.txt; put the shared data beside the repository as ../shared," \
	       "or run: $(BIN)/python benchmarks/build_vs_pipe.py YOUR_FILES" >&2; exit 1; }
	$(BIN)/python benchmarks/build_vs_pipe.py $(BENCH_CORPUS)/*.txt

# `make demo` installs what kg needs to run; `make test` adds the test tools and the transformer
# recogniser's runtime (ONNX Runtime; never torch).
$(VENV)/.runtime: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e .
	touch $@

$(VENV)/.tests: $(VENV)/.runtime
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $@

clean:
	rm -rf $(VENV) exports/*.ttl exports/*.html exports/*.json
