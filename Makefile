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
