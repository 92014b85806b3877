# Charter's one image: gunicorn serves it (the default command), and docker-compose.yml runs the
# same image as the Celery worker, Celery beat and the one-shot migration.
FROM python:3.11-slim-bookworm

# WeasyPrint renders PDFs through Pango and HarfBuzz (libharfbuzz-subset0 embeds font subsets;
# without it WeasyPrint warns and embeds whole fonts). DejaVu gives it a font to lay text out with.
RUN apt-get update \
    && apt-get install -y --no-install-recommends \
        libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz0b libharfbuzz-subset0 fontconfig \
        fonts-dejavu-core \
    && rm -rf /var/lib/apt/lists/*

# uv installs exactly what uv.lock pins; the version matches the one used to write the lock file.
COPY --from=ghcr.io/astral-sh/uv:0.13.9 /uv /uvx /bin/

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    UV_COMPILE_BYTECODE=1 \
    UV_LINK_MODE=copy \
    UV_NO_CACHE=1 \
    UV_PYTHON_DOWNLOADS=never \
    UV_PROJECT_ENVIRONMENT=/opt/venv \
    VIRTUAL_ENV=/opt/venv \
    PATH="/opt/venv/bin:$PATH"

WORKDIR /app

# Dependencies first, so that a code change does not reinstall them. The environment lives in
# /opt/venv, outside the source tree, so a developer's .venv can never shadow it.
COPY pyproject.toml uv.lock ./
RUN uv sync --frozen --no-dev --no-install-project

# Only what the site needs: copying "." would also bake in a developer's .env, var/ (the SQLite
# database) and node_modules. Add any new Django app here.
COPY manage.py ./
COPY charter ./charter
COPY signatories ./signatories
COPY pledges ./pledges
COPY reports ./reports
COPY templates ./templates
COPY static ./static

# Production static files (hashed and compressed by whitenoise, which needs DEBUG off to pick that
# storage). The secret is a throwaway: collectstatic neither signs anything nor runs the check
# that refuses the development key, and the real key only ever comes from the environment.
RUN DEBUG=false SECRET_KEY=collectstatic-only-not-a-secret python manage.py collectstatic --no-input

# Run as an unprivileged user that owns only var/ (uploads, the beat schedule). The code and the
# environment stay read-only to it.
RUN useradd --system --uid 10001 --user-group --home-dir /app --no-create-home charter \
    && mkdir -p var/media \
    && chown -R charter:charter var
USER charter

EXPOSE 8000
CMD ["gunicorn", "charter.wsgi", "--bind", "0.0.0.0:8000", "--workers", "3", "--access-logfile", "-"]
