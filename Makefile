# kalm: the two commands a user needs are `make run` and `make test`.
PRESET ?= dev
BUILD_DIR := build
JOBS ?= $(shell nproc)

.PHONY: all deps build run test bench clean format eval

all: build

deps:
	@bash scripts/install-deps

$(BUILD_DIR)/CMakeCache.txt:
	cmake --preset $(PRESET)

build: deps $(BUILD_DIR)/CMakeCache.txt
	cmake --build $(BUILD_DIR) -j $(JOBS)

# Until the web app lands, `make run` builds kalm and shows the analyzer on an
# example message; `build/kalm --help` lists the commands.
run: build
	@echo "kalm is built: $(BUILD_DIR)/kalm --help"
	@printf 'Hoi! Waarom is het verslag NOG steeds niet af?! Ik had het gisteren al nodig.\n' \
	  | $(BUILD_DIR)/kalm analyze -
	@echo
	@echo "== and a draft reply to it, reviewed (kalm review):"
	@printf 'Hoi! Waarom is het verslag NOG steeds niet af?! Ik had het gisteren al nodig.\n' > $(BUILD_DIR)/example-client.txt
	@printf 'Zoals ik al zei wacht ik nog op jouw cijfers!! Ik kijk er binnenkort naar.\n' \
	  | $(BUILD_DIR)/kalm review --reply-to $(BUILD_DIR)/example-client.txt -

test: build
	cd $(BUILD_DIR) && ctest --output-on-failure -j $(JOBS)

bench: build
	bash bench/run.sh

eval: build
	bash tools/eval.sh

format:
	clang-format -i $$(git ls-files '*.cc' '*.h')

clean:
	rm -rf $(BUILD_DIR) build-release build-asan
