# kalm: the two commands a user needs are `make run` and `make test`.
PRESET ?= dev
BUILD_DIR := build
JOBS ?= $(shell nproc)

.PHONY: all deps build run test bench clean format eval screenshots

all: build

deps:
	@bash scripts/install-deps

$(BUILD_DIR)/CMakeCache.txt:
	cmake --preset $(PRESET)

build: deps $(BUILD_DIR)/CMakeCache.txt
	cmake --build $(BUILD_DIR) -j $(JOBS)

# Builds kalm and starts the web app on http://127.0.0.1:8080/ with the
# embedded SQLite database ($$XDG_DATA_HOME/kalm/kalm.db). PORT=... and
# DB=sqlite:PATH|postgresql://... change those.
PORT ?= 8080
run: build
	$(BUILD_DIR)/kalm serve --port $(PORT) $(if $(DB),--db $(DB))

test: build
	cd $(BUILD_DIR) && ctest --output-on-failure -j $(JOBS)

# docs/screenshots: made by the browser test (tests/web/e2e.mjs).
screenshots: build
	cd tests/web && KALM_BIN=$(CURDIR)/$(BUILD_DIR)/kalm KALM_SCREENSHOTS=$(CURDIR)/docs/screenshots node e2e.mjs

bench: build
	bash bench/run.sh

eval: build
	bash tools/eval.sh

format:
	clang-format -i $$(git ls-files '*.cc' '*.h')

clean:
	rm -rf $(BUILD_DIR) build-release build-asan
