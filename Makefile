# Quietdesk. `make run` builds and opens the app; `make test` runs every
# check CI runs. Both install what they need first (scripts/install-deps.sh).

SHELL := /bin/bash
GOBIN := $(shell go env GOPATH)/bin
WAILS := $(GOBIN)/wails
TAGS := webkit2_41
VERSION ?= $(shell git describe --tags --always --dirty 2>/dev/null || echo dev)
LDFLAGS := -X main.version=$(VERSION)
STATICCHECK := honnef.co/go/tools/cmd/staticcheck@v0.8.2
ARTIFACTS := test-artifacts
WINDOWS_CC := x86_64-w64-mingw32-gcc

.PHONY: all deps bindings frontend build run test test-go lint-go vet-cross test-frontend e2e e2e-webkit smoke bench soak fuzz clean \
	dist dist-linux dist-windows test-windows

all: build

deps:
	@scripts/install-deps.sh

# The Wails bindings (frontend/wailsjs) are generated, never committed.
# Generating them compiles main, whose embed needs a file in frontend/dist.
bindings: deps
	@mkdir -p frontend/dist; [ -n "$$(ls -A frontend/dist)" ] || echo "built by make frontend" > frontend/dist/.placeholder
	$(WAILS) generate module -tags $(TAGS)

frontend: bindings
	cd frontend && npm run build

build: deps
	$(WAILS) build -tags $(TAGS) -ldflags "$(LDFLAGS)" -trimpath -clean

# Opens the desktop window on the default data folder; the first run offers
# to create a practice or open the demo practice.
run: build
	./build/bin/quietdesk

test: frontend lint-go vet-cross test-go test-frontend e2e e2e-webkit smoke
	@echo "make test: all checks passed"

lint-go:
	@unformatted="$$(gofmt -l $$(git ls-files '*.go'))"; \
	  if [ -n "$$unformatted" ]; then echo "gofmt needed:"; echo "$$unformatted"; exit 1; fi
	go vet -tags $(TAGS) ./...
	go run $(STATICCHECK) -tags $(TAGS) ./...

# The Windows and macOS code is checked on every run: built for Windows with
# cgo through Debian's mingw-w64, vetted for macOS with cgo off (no Apple SDK
# here).
vet-cross: deps
	GOOS=windows GOARCH=amd64 CGO_ENABLED=1 CC=$(WINDOWS_CC) go build ./...
	GOOS=darwin GOARCH=arm64 CGO_ENABLED=0 go vet ./...
	GOOS=darwin GOARCH=amd64 CGO_ENABLED=0 go vet ./...

test-go:
	go test -race -count=1 -timeout 40m -tags $(TAGS) ./...

test-frontend: bindings
	cd frontend && npm run check && npm run lint && npm test

# The real frontend in headless Chromium against the real Go backend
# (wails dev), on a fresh data folder.
e2e: frontend
	scripts/e2e.sh

# The booking and patient-form flows in WebKitGTK, the engine the Linux app
# ships with: WebKitWebDriver drives MiniBrowser against the real backend.
e2e-webkit: frontend
	scripts/e2e-webkit.sh

# The production binary starts under Xvfb, paints its window and exits
# cleanly on SIGTERM.
smoke: build
	scripts/desktop-smoke.sh ./build/bin/quietdesk $(ARTIFACTS)

bench: build
	scripts/bench.sh

# Longer fault sweeps than make test runs: the demo killed at nine points
# (make test: three); 2000 random sync schedules (make test: 8), each named
# by its seed (QUIETDESK_SEED=N reruns one). Restores are killed at every
# step in make test already.
SCHEDULES ?= 2000
soak:
	QUIETDESK_SOAK=1 go test -count=1 -tags $(TAGS) -timeout 60m -run 'TestDemoIsAllOrNothing' -v ./internal/demo/
	set -o pipefail; go test -count=1 -tags $(TAGS) -timeout 180m -run '^TestRandomSchedulesConverge$$' -v ./internal/store/ -schedules $(SCHEDULES) \
	  | grep -v '^=== RUN\|^    --- PASS'

# Release packages in build/bin: the Linux .deb, and quietdesk.exe with its
# per-user NSIS installer quietdesk-amd64-installer.exe, cross-compiled here.
dist: dist-linux dist-windows
	@ls -l build/bin

dist-linux: build
	scripts/package-linux.sh build/bin/quietdesk $(VERSION) build/bin

# After the Linux build (whose -clean empties build/bin). Wails fills its
# NSIS include in place; it is put back so the tree stays clean.
dist-windows: build
	CGO_ENABLED=1 CC=$(WINDOWS_CC) $(WAILS) build -platform windows/amd64 -nsis -s -m -skipbindings \
	  -ldflags "$(LDFLAGS)" -trimpath
	git checkout -- build/windows/installer/wails_tools.nsh

# The Windows build under Wine: installer, subcommands, a hub syncing with
# the Linux hub, uninstall (scripts/test-windows.sh).
test-windows: dist-windows
	scripts/test-windows.sh build/bin/quietdesk-amd64-installer.exe build/bin/quietdesk $(ARTIFACTS)

# Fuzzing beyond the seed corpora (which every `go test` runs): the sync
# frame decoder as an unpaired device could drive it, the host's check of a
# pairing request, the typed pairing code, and the beacon parser.
FUZZTIME ?= 60s
fuzz:
	go test -run='^$$' -fuzz='^FuzzFrameDecoder$$' -fuzztime=$(FUZZTIME) ./internal/sync
	go test -run='^$$' -fuzz='^FuzzParseBeacon$$' -fuzztime=$(FUZZTIME) ./internal/sync
	go test -run='^$$' -fuzz='^FuzzPairingRequest$$' -fuzztime=$(FUZZTIME) ./internal/sync
	go test -run='^$$' -fuzz='^FuzzNormalizeCode$$' -fuzztime=$(FUZZTIME) ./internal/sync

clean:
	rm -rf build/bin frontend/dist frontend/wailsjs $(ARTIFACTS)
