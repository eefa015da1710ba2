# The two commands of the README. Everything else is optional.
.PHONY: run test lint format screenshots bundle bench translations

run:            ## set up and start the app on the embedded sandbox
	scripts/run.sh $(ARGS)

test:           ## set up PostgreSQL, keyring, Xvfb and run the whole test suite
	scripts/test.sh $(ARGS)

lint:
	scripts/bootstrap.sh test && .venv/bin/ruff check . && .venv/bin/ruff format --check .

format:
	scripts/bootstrap.sh test && .venv/bin/ruff format . && .venv/bin/ruff check --fix .

translations:   ## regenerate resources/translations/*.ts from the code and compile the .qm files
	scripts/bootstrap.sh test && scripts/translations.sh

bundle:         ## build the one-folder PyInstaller bundle into dist/viva-desktop and self-test it
	scripts/bundle.sh $(ARGS)

bench:          ## run every benchmark and write benchmarks/results.md (ARGS=--quick for a smoke run)
	scripts/bench.sh $(ARGS)

screenshots:    ## screenshot every page, English and Spanish, into docs/screenshots (Xvfb)
	scripts/screenshots.sh $(ARGS)
