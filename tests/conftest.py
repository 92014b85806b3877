"""Shared fixtures.

The cast, as in healthchecks: alice is an admin of Acme Analytics, bob is her colleague (an
editor), charlie belongs to another organisation and must see nothing of Acme's; staff works for
the charter team.

Real services: tests that need PostgreSQL, Redis, a Celery worker or Chromium ask for the
``require_*`` fixtures. Without the service such a test is skipped locally, but fails under
``CI=true`` so a CI run can never pass by skipping.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import hmac
import os
import shutil
import struct
import time
import uuid

import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth.models import Group
from django.core.cache import cache
from django.db import connection
from django.utils import timezone

from charter.celery import app as celery_app
from signatories.choices import MemberRole
from signatories.models import Membership, Organisation, Representative

IN_CI = os.environ.get("CI", "").lower() in {"1", "true", "yes"}
PASSWORD = "correct-horse-battery-staple-42"
# The authenticator app secret of every staff account the fixtures make: staff pages need one
# (charter/security.py).
TOTP_SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"


def pytest_collection_modifyitems(items) -> None:
    """Give every transactional test (live_server included) a serialized rollback.

    Transactional tests end by flushing every table, which would also delete the rows data
    migrations create (the five pledges, the signatory number sequence, the staff group).
    A serialized rollback reloads them before each such test.
    """
    for item in items:
        marker = item.get_closest_marker("django_db")
        transactional = bool(marker and marker.kwargs.get("transaction")) or any(
            name in item.fixturenames for name in ("transactional_db", "live_server")
        )
        if not transactional:
            continue
        if marker is not None:
            # pytest-django reads serialized_rollback from the marker when there is one.
            kwargs = {**marker.kwargs, "serialized_rollback": True}
            item.add_marker(pytest.mark.django_db(*marker.args, **kwargs), append=False)
        elif "django_db_serialized_rollback" not in item.fixturenames:
            item.fixturenames.append("django_db_serialized_rollback")


def missing_service(reason: str) -> None:
    if IN_CI:
        pytest.fail(f"CI=true and {reason}: this test must run in CI, not skip.")
    pytest.skip(reason)


@pytest.fixture
def require_postgres(db) -> None:
    if connection.vendor != "postgresql":
        missing_service("the database is not PostgreSQL (set DATABASE_URL)")


@pytest.fixture
def require_redis() -> str:
    import redis

    url = os.environ.get("CELERY_BROKER_URL", "")
    if not url:
        missing_service("no Redis broker is configured (set CELERY_BROKER_URL)")
    try:
        redis.Redis.from_url(url, socket_connect_timeout=2).ping()
    except redis.RedisError as error:
        missing_service(f"Redis at {url} does not answer: {error}")
    return url


@pytest.fixture
def worker_queue(require_redis) -> str:
    """A Redis queue of this test's own, emptied and forgotten afterwards."""
    from tests.celery_worker import forget_queue

    queue = f"charter-test-{uuid.uuid4().hex[:12]}"
    yield queue
    forget_queue(broker_url=require_redis, queue=queue)


@pytest.fixture
def start_worker(require_redis, worker_queue, tmp_path, django_db_setup):
    """Start real ``celery worker`` subprocesses on this test's queue: ``start_worker(name=...,
    environment={...})``. Tasks go through Redis for the rest of the test. Each worker still
    running at the end gets a warm shutdown and must exit cleanly."""
    from tests.celery_worker import Worker

    started: list = []

    def start(*, name: str = "worker", environment: dict[str, str] | None = None):
        worker = Worker(
            queue=worker_queue,
            broker_url=require_redis,
            log_path=tmp_path / f"{name}.log",
            name=name,
            environment=environment,
        )
        started.append(worker)
        try:
            worker.start()
        except BaseException:  # pytest.fail included: never leave a half-started worker behind
            worker.stop()
            raise
        return worker

    # Send through Redis for this test (celery_runs_tasks_inline puts eager mode back after).
    celery_app.conf.task_always_eager = False
    previous_queue = celery_app.conf.task_default_queue
    celery_app.conf.task_default_queue = worker_queue
    yield start
    celery_app.conf.task_default_queue = previous_queue
    exits = {worker.name: (worker.stop(), worker) for worker in started if worker.is_running()}
    for name, (exit_code, worker) in exits.items():
        assert exit_code == 0, f"{name}:\n{worker.log()}"


@pytest.fixture
def smtp_server():
    """A real SMTP server (aiosmtpd) on a free port that records what it accepts."""
    from tests.smtp_server import SmtpServer

    with SmtpServer() as server:
        yield server


@pytest.fixture(scope="session")
def chromium_path() -> str:
    path = os.environ.get("CHROMIUM", "/usr/bin/chromium")
    if not shutil.which(path):
        missing_service(f"Chromium is not installed at {path}")
    return path


@pytest.fixture(autouse=True)
def celery_runs_tasks_inline():
    """Run tasks in the test process so their effects (emails) can be asserted directly.

    The worker tests switch this off to send tasks through Redis to a real worker.
    """
    previous = celery_app.conf.task_always_eager
    celery_app.conf.task_always_eager = True
    yield
    celery_app.conf.task_always_eager = previous


@pytest.fixture(autouse=True)
def directory_checks_for_changes_on_every_request(settings):
    # Production reuses the directory's version for up to a second; tests change a signatory
    # and look at once. tests/signatories/test_directory_version.py covers the reuse itself.
    # The same for which version of a benchmarking report is published (reports.open_data).
    settings.DIRECTORY_VERSION_MAX_AGE = 0
    settings.REPORTS_PUBLISHED_MAX_AGE = 0


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    # The production hasher is slow on purpose; tests create hundreds of users.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def empty_cache():
    # allauth's rate limits live in the cache: one test's failed logins must not lock out the next.
    # The directory also keeps recent pages in process memory (signatories.public.views.directory).
    from reports.open_data import open_data_memory_clear
    from signatories.public.views.directory import recent_pages

    cache.clear()
    recent_pages.clear()
    open_data_memory_clear()
    yield
    cache.clear()
    recent_pages.clear()
    open_data_memory_clear()


def authenticator_code(secret: str = TOTP_SECRET, *, period: int = 30, digits: int = 6) -> str:
    """The code an authenticator app shows now (RFC 6238), computed independently of allauth."""
    if period - time.time() % period < 2:
        time.sleep(2)  # so the code cannot expire between here and allauth checking it
    counter = struct.pack(">Q", int(time.time()) // period)
    digest = hmac.new(base64.b32decode(secret, casefold=True), counter, hashlib.sha1).digest()
    offset = digest[-1] & 0x0F
    value = struct.unpack(">I", digest[offset : offset + 4])[0] & 0x7FFFFFFF
    return str(value % 10**digits).zfill(digits)


def give_authenticator(user, secret: str = TOTP_SECRET):
    """An authenticator app on the account, as allauth stores one (no recovery codes)."""
    from allauth.mfa.totp.internal.auth import TOTP

    TOTP.activate(user, secret)
    return user


def make_user(
    email: str,
    *,
    verified: bool = True,
    full_name: str = "",
    authenticator: bool | None = None,
    **extra,
):
    """A user who can log in. Admin-level accounts (is_staff, is_superuser) get an authenticator
    app unless ``authenticator=False``, as the site requires of them; group staff ask for one."""
    from charter.models import User

    user = User.objects.create_user(email=email, password=PASSWORD, full_name=full_name, **extra)
    EmailAddress.objects.create(user=user, email=email, verified=verified, primary=True)
    if authenticator is None:
        authenticator = bool(extra.get("is_staff") or extra.get("is_superuser"))
    if authenticator:
        give_authenticator(user)
    return user


def make_organisation(name: str, *, number: int, **fields) -> Organisation:
    slug = fields.pop("slug", name.lower().replace(" ", "-"))
    defaults = {
        "legal_name": f"{name} Ltd",
        "public_name": name,
        "slug": slug,
        "website": f"https://{slug}.example",
        "website_domain": f"{slug}.example",
        "organisation_type": "employer",
        "sector": "software",
        "size_band": "50-249",
        "region": "london",
        "description": f"{name} builds software.",
        "signatory_number": number,
        "signed_on": dt.date(2024, 3, 1),
    }
    defaults.update(fields)
    return Organisation.objects.create(**defaults)


@pytest.fixture
def password() -> str:
    return PASSWORD


@pytest.fixture
def alice(db):
    return make_user("alice@acme.example", full_name="Alice Adams")


@pytest.fixture
def bob(db):
    return make_user("bob@acme.example", full_name="Bob Brown")


@pytest.fixture
def charlie(db):
    return make_user("charlie@globex.example", full_name="Charlie Chen")


@pytest.fixture
def staff_user(db):
    user = make_user("staff@charter.example", full_name="Sam Staff", authenticator=True)
    group, _ = Group.objects.get_or_create(name="Charter staff")
    user.groups.add(group)
    return user


@pytest.fixture
def acme(alice, bob) -> Organisation:
    organisation = make_organisation("Acme Analytics", number=1)
    Membership.objects.create(organisation=organisation, user=alice, role=MemberRole.ADMIN)
    Membership.objects.create(organisation=organisation, user=bob, role=MemberRole.EDITOR)
    Representative.objects.create(
        organisation=organisation,
        full_name="Dana Director",
        job_title="Chief Technology Officer",
        email="dana@acme.example",
        consent_to_be_named=True,
        named_by=alice,
        named_at=timezone.now(),
    )
    return organisation


@pytest.fixture
def globex(charlie) -> Organisation:
    organisation = make_organisation("Globex", number=2, sector="finance", region="scotland")
    Membership.objects.create(organisation=organisation, user=charlie, role=MemberRole.ADMIN)
    return organisation


def make_commitments(organisation: Organisation) -> None:
    """The five pledge commitments an approved organisation has."""
    from charter.models import Pledge
    from pledges.models import PledgeCommitment

    PledgeCommitment.objects.bulk_create(
        PledgeCommitment(organisation=organisation, pledge=pledge, accepted_at=timezone.now())
        for pledge in Pledge.objects.all()
    )


@pytest.fixture
def acme_workspace(acme) -> Organisation:
    """Acme with its five pledge commitments, as approval leaves it."""
    make_commitments(acme)
    return acme


@pytest.fixture
def globex_workspace(globex) -> Organisation:
    make_commitments(globex)
    return globex


# ---- the data collection (pledge 5) ----------------------------------------------------------


def make_cycle(year: int = 2026, *, status: str = "open", **fields):
    """A reporting cycle with the default snapshot window, open 1 October – 31 October."""
    from pledges.models import ReportingCycle

    defaults = {
        "status": status,
        "window_starts_on": dt.date(year, 3, 1),
        "window_ends_on": dt.date(year, 9, 30),
        "opens_on": dt.date(year, 10, 1),
        "closes_on": dt.date(year, 10, 31),
        "introduction": f"Tell us about your tech workforce on one day of {year}.",
    }
    defaults.update(fields)
    return ReportingCycle.objects.create(year=year, **defaults)


def valid_figures(year: int = 2026, **overrides) -> dict:
    """Figures that break no rule: 40 tech staff of 120, 10 of them women."""
    figures = {
        "snapshot_date": dt.date(year, 4, 5),
        "total_employees": 120,
        "tech_total": 40,
        "tech_women": 10,
        "tech_men": 28,
        "tech_non_binary": 1,
        "tech_gender_undisclosed": 1,
        "ethnicity_collected": True,
        "tech_ethnic_minority": 9,
        "tech_white": 29,
        "tech_ethnicity_undisclosed": 2,
        "senior_total": 6,
        "senior_women": 2,
        "senior_ethnic_minority": 1,
    }
    figures.update(overrides)
    return figures


@pytest.fixture
def open_cycle(db):
    """The 2026 cycle, open; tests set the date inside 1–31 October with time_machine."""
    return make_cycle(2026)
