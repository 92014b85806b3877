# The two commands a newcomer needs. Both install what is missing first (scripts/bootstrap).
.PHONY: run test install lint format

ORGANISATIONS ?= 300
PYTEST_ARGS ?=

run: ## Install, migrate, load demo data and serve http://127.0.0.1:8000/
	scripts/bootstrap run
	.venv/bin/python manage.py migrate --no-input
	.venv/bin/python manage.py seed_demo --organisations $(ORGANISATIONS) --seed 1
	.venv/bin/python manage.py runserver 127.0.0.1:8000

test: ## Install, then run linters and the whole test suite (PostgreSQL and Redis when they answer)
	scripts/bootstrap test
	scripts/test $(PYTEST_ARGS)

lint:
	.venv/bin/ruff check .
	.venv/bin/ruff format --check .

format:
	.venv/bin/ruff check --fix .
	.venv/bin/ruff format .
