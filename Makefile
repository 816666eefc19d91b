# lambda2layer: every target works on a fresh machine (it creates .venv first).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
ACCEPTANCE ?= ../shared/acceptance
STAMP := $(VENV)/.installed
RUNTIME_STAMP := $(VENV)/.runtime-installed
RESULTS ?=
TEST_RESULTS := .test-results
# the acceptance corpora `make acceptance` (and so `make test`) judges
CORPORA := $(ACCEPTANCE)/public tests/acceptance_extra $(ACCEPTANCE)/legacy $(ACCEPTANCE)/callables
JOBS ?= 2

export KERAS_BACKEND ?= tensorflow
export TF_CPP_MIN_LOG_LEVEL ?= 2
export PIP_DISABLE_PIP_VERSION_CHECK := 1

.PHONY: venv test unit runtime acceptance demo golden lint bench clean

venv: $(STAMP)

# the runtime alone (Keras 3 + TensorFlow CPU): all `make demo` needs
$(RUNTIME_STAMP): pyproject.toml
	@echo "== setting up $(VENV): lambda2layer with Keras 3 and TensorFlow (CPU), about a minute on a fresh machine"
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --progress-bar on -e '.[runtime]'
	touch $(RUNTIME_STAMP)

# the tests add pytest, black, JAX (a second backend) and tf_keras
$(STAMP): $(RUNTIME_STAMP)
	@echo "== adding the test tools: pytest, black, JAX, tf_keras"
	$(BIN)/pip install --quiet -e '.[test]'
	# tf_keras without the 570 MB `tensorflow` wheel: tensorflow-cpu is already there
	$(BIN)/pip install --quiet --no-deps tf-keras==2.21.0
	touch $(STAMP)

## test: everything: the fast tests, the tests that build Keras models, then the
## acceptance corpora in tool mode (what .ci/run calls); one grand total at the end.
## Every part runs even when one fails; the exit status is non-zero if any failed.
test: venv
	@rm -rf $(TEST_RESULTS) && mkdir -p $(TEST_RESULTS)
	@status=0; \
	$(MAKE) --no-print-directory unit RESULTS=$(abspath $(TEST_RESULTS)) || status=1; \
	$(MAKE) --no-print-directory runtime RESULTS=$(abspath $(TEST_RESULTS)) || status=1; \
	$(MAKE) --no-print-directory acceptance RESULTS=$(abspath $(TEST_RESULTS)) || status=1; \
	$(BIN)/python scripts/total.py $(TEST_RESULTS) || status=1; \
	exit $$status

## unit: the fast tests (resolver tables, stages, CLI, golden): well under a minute
unit: venv
	$(BIN)/python -m pytest -q -m "not runtime" $(if $(RESULTS),--junitxml=$(RESULTS)/unit.xml)

## runtime: the tests that build, save or load Keras models (minutes)
runtime: venv
	$(BIN)/python -m pytest -q -m runtime $(if $(RESULTS),--junitxml=$(RESULTS)/runtime.xml)

## acceptance: every corpus in CORPORA, judged by the harness in tool mode
acceptance: venv
	@test -f $(ACCEPTANCE)/harness.py || { echo "acceptance harness not found at $(ACCEPTANCE) (set ACCEPTANCE=...)" >&2; exit 1; }
	@status=0; for corpus in $(CORPORA); do \
	  echo "== acceptance: $$corpus"; \
	  $(BIN)/python $(ACCEPTANCE)/harness.py $$corpus --tool "$(abspath $(BIN))/lambda2layer" --jobs $(JOBS) \
	    $(if $(RESULTS),--json $(RESULTS)/acceptance-$$(basename $$corpus).json) || status=1; \
	done; exit $$status

## demo: convert the bundled legacy project, show the diff, prove safe_mode reload
demo: $(RUNTIME_STAMP)
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
	rm -rf $(VENV) demo-out .pytest_cache bench-tree bench-results.json $(TEST_RESULTS)
