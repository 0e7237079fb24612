# The two commands of the README. Each installs what is missing first.
.PHONY: serve test

# Build the release bundle and serve it at http://127.0.0.1:8080.
serve:
	@scripts/serve.sh

# Run every test (format, lints, native, wasm in Chromium, end-to-end).
test:
	@scripts/test.sh
