# lambda2layer: every target works on a fresh machine (it creates .venv first).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
ACCEPTANCE ?= ../shared/acceptance
STAMP := $(VENV)/.installed
JOBS ?= 2

export KERAS_BACKEND ?= tensorflow
export TF_CPP_MIN_LOG_LEVEL ?= 2
export PIP_DISABLE_PIP_VERSION_CHECK := 1

.PHONY: venv test unit runtime acceptance demo golden lint bench clean

venv: $(STAMP)

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	# tf_keras without the 570 MB `tensorflow` wheel: tensorflow-cpu is already there
	$(BIN)/pip install --quiet --no-deps tf-keras==2.21.0
	touch $(STAMP)

## test: everything: the fast tests, the tests that build Keras models, then the
## acceptance corpora in tool mode (what .ci/run calls)
test: unit runtime acceptance

## unit: the fast tests (resolver tables, stages, CLI, golden): well under a minute
unit: venv
	$(BIN)/python -m pytest -q -m "not runtime"

## runtime: the tests that build, save or load Keras models (minutes)
runtime: venv
	$(BIN)/python -m pytest -q -m runtime

acceptance: venv
	@test -f $(ACCEPTANCE)/harness.py || { echo "acceptance harness not found at $(ACCEPTANCE) (set ACCEPTANCE=...)" >&2; exit 1; }
	$(BIN)/python $(ACCEPTANCE)/harness.py $(ACCEPTANCE)/public --tool "$(abspath $(BIN))/lambda2layer" --jobs $(JOBS)
	$(BIN)/python $(ACCEPTANCE)/harness.py tests/acceptance_extra --tool "$(abspath $(BIN))/lambda2layer" --jobs $(JOBS)
	$(BIN)/python $(ACCEPTANCE)/harness.py $(ACCEPTANCE)/legacy --tool "$(abspath $(BIN))/lambda2layer" --jobs $(JOBS)

## demo: convert the bundled legacy project, show the diff, prove safe_mode reload
demo: venv
	rm -rf demo-out && cp -r examples/legacy_project demo-out
	$(BIN)/lambda2layer convert --diff demo-out
	$(BIN)/lambda2layer convert demo-out
	$(BIN)/python scripts/demo_check.py examples/legacy_project demo-out
	$(BIN)/lambda2layer verify examples/legacy_project/model.py::build_model

## golden: regenerate golden expectations (review them in the diff)
golden: venv
	L2L_UPDATE_GOLDEN=1 $(BIN)/python -m pytest -q tests/test_golden.py

## bench: time lambda2layer against ruff and a LibCST codemod on a monorepo-sized tree
bench: venv
	$(BIN)/pip install --quiet -e '.[test,bench]'
	$(BIN)/python scripts/bench.py

lint: venv
	$(BIN)/python -m black --check --quiet lambda2layer tests/*.py tests/*/*.py scripts

clean:
	rm -rf $(VENV) demo-out .pytest_cache bench-tree bench-results.json
