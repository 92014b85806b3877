"""Benchmark the yearly data collection (issue 11): seeding, the submissions import, and the
return and staff pages served by gunicorn against a trivial view.

    .venv/bin/python bench/returns.py [--organisations 10000] [--duration 10] [--keep]

``BENCH_DATABASE`` (default ``charter_bench_returns``) names its databases and
``BENCH_REDIS_URL`` (default Redis database 12) its cache, so that it can run beside
``bench/directory.py`` or another person's bench on one machine.

What it does, all on this machine and against 127.0.0.1 only:

(a) creates a fresh PostgreSQL database, migrates it and times
    ``manage.py seed_demo --organisations N --seed 1`` (five yearly cycles); goal <= 90 s;
(b) in a second fresh database, imports N organisations with ``manage.py import_signatories``
    from a generated CSV, then times ``manage.py import_submissions`` of 5 x N returns (five
    past years) from a generated CSV whose figures add up; goal <= 60 s;
(c) serves database (a) with gunicorn (2 sync workers, DEBUG off) and measures with ``wrk`` in
    another process (1 thread, 4 connections, ``--duration`` seconds each) the return page
    (``pledges:data_return``, as a demo organisation admin), the staff cycle progress page
    (``staff_data:cycle``) and the outlier queue (``staff_data:outliers``), each as staff who
    passed two-factor authentication; each right after a run of the trivial baseline
    (``/robots.txt``), and prints its throughput as a ratio to that run. Goals: return page
    >= 0.5 of the baseline; staff pages p95 < 200 ms. An existing workspace page and staff
    page are measured the same way as references (no goal).

Pages and commands that are not on this branch yet (other rooms are writing them) are looked up
by name and reported as "not available" rather than failing, so the script runs today and
measures them once merged. Figures vary between machines and with what else runs on them:
compare the ratios in one run, not absolute numbers across runs.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import json
import os
import random
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

# Ours, not the directory bench's, unless the caller chose: read by bench/directory.py on import.
os.environ.setdefault("BENCH_DATABASE", "charter_bench_returns")
os.environ.setdefault("BENCH_REDIS_URL", "redis://127.0.0.1:6379/12")

from directory import (  # bench/ is the script's directory: sys.path[0]
    DATABASE,
    PYTHON,
    ROOT,
    WRK_SCRIPT,
    admin_sql,
    bench_environment,
    ensure_wrk,
    redis_answers,
    run,
    start_gunicorn,
    vacuum_analyze,
    wait_for,
)

YEARS = 5
SEED_GOAL_S = 90
IMPORT_GOAL_S = 60
RETURN_PAGE_GOAL_RATIO = 0.5
STAFF_P95_GOAL_MS = 200

BASELINE = ("/robots.txt", "/robots.txt")
# (label, URL name, who is logged in). Their arguments come from the seeded data (SESSIONS).
PAGES = [
    ("(c1) return page", "pledges:data_return", "member"),
    ("(c2) staff cycle progress", "staff_data:cycle", "staff"),
    ("(c3) outlier queue", "staff_data:outliers", "staff"),
    # References with no goal, already merged: they show both sessions are logged in (a
    # redirect to the log-in or two-factor page would be reported, not measured) and what
    # an existing page of each audience costs on the same machine in the same run.
    ("(ref) workspace overview", "workspace:overview", "member"),
    ("(ref) staff applications", "staff:queue", "staff"),
    # The baseline itself with the member's session cookie: what logging in alone costs
    # (the session and the user read from the database), so the floor under (c1)'s ratio.
    ("(ref) robots.txt, logged in", "robots_txt", "member"),
]

# Run inside the seeded database's environment: log the demo staff login and a demo
# organisation admin in, store both sessions, and resolve the pages' URLs (None while a name
# does not exist on this branch).
SESSIONS = r"""
import json, time
import django
django.setup()
from allauth.account.internal.flows.login import record_authentication
from allauth.mfa.models import Authenticator
from django.conf import settings
from django.contrib.auth import get_user_model, login
from django.contrib.sessions.backends.db import SessionStore
from django.test import RequestFactory
from django.urls import NoReverseMatch, reverse
from importlib import import_module
from pledges.models import ReportingCycle
from signatories.models import Membership

User = get_user_model()
engine = import_module(settings.SESSION_ENGINE)


def session_for(user, *, second_factor):
    # What allauth leaves in the session after a password log-in and, for staff, the
    # authenticator app's code (allauth.mfa.base.internal.flows.post_authentication).
    request = RequestFactory().get("/")
    request.session = engine.SessionStore()
    login(request, user, backend=settings.AUTHENTICATION_BACKENDS[0])
    record_authentication(request, user, "password", email=user.email)
    if second_factor:
        authenticator = Authenticator.objects.get(user=user, type=Authenticator.Type.TOTP)
        record_authentication(request, user, "mfa", id=authenticator.pk, type=authenticator.type)
    request.session.save()
    return request.session.session_key


staff = User.objects.get(email="staff@charter.example")
membership = (
    Membership.objects.filter(user__email__startswith="admin@", role="admin")
    .select_related("organisation", "user").order_by("organisation__signatory_number").first()
)
cycle = ReportingCycle.objects.filter(status="open").order_by("-year").first()
slug, year = membership.organisation.slug, cycle.year


def path(name, *args):
    try:
        return reverse(name, args=args)
    except NoReverseMatch:
        return None


print(json.dumps({
    "cookie": settings.SESSION_COOKIE_NAME,
    "sessions": {
        "staff": session_for(staff, second_factor=True),
        "member": session_for(membership.user, second_factor=False),
    },
    "member": membership.user.email,
    "paths": {
        "pledges:data_return": path("pledges:data_return", slug, year),
        "staff_data:cycle": path("staff_data:cycle", year),
        "staff_data:outliers": path("staff_data:outliers"),
        "workspace:overview": path("workspace:overview", slug),
        "staff:queue": path("staff:queue"),
        "robots_txt": path("robots_txt"),
    },
}))
"""


# One request at a time, in-process with the Django test client and the sessions above: each
# page's server time (median of 7) and query count, to tell a slow page from a busy machine.
IN_PROCESS = r"""
import json, statistics, sys, time
import django
django.setup()
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

cookie, pages = json.loads(sys.argv[1])
out = {}
for label, path, session in pages:
    client = Client(HTTP_HOST="127.0.0.1")
    client.cookies[cookie] = session
    timings = []
    for _ in range(7):
        started = time.perf_counter()
        with CaptureQueriesContext(connection) as queries:
            response = client.get(path)
        timings.append((time.perf_counter() - started) * 1000)
    out[label] = [statistics.median(timings), len(queries.captured_queries), response.status_code]
print(json.dumps(out))
"""


def timed(command: list[str], environment: dict[str, str]) -> tuple[float, str]:
    started = time.perf_counter()
    result = subprocess.run(
        command, cwd=ROOT, env=environment, capture_output=True, text=True, check=False
    )
    elapsed = time.perf_counter() - started
    if result.returncode:
        sys.exit(f"bench: {' '.join(command[1:])} failed:\n{result.stderr[-3000:]}")
    return elapsed, result.stdout


def fresh_database(name: str, environment: dict[str, str]) -> dict[str, str]:
    admin_sql(f"DROP DATABASE IF EXISTS {name}")
    admin_sql(f"CREATE DATABASE {name}")
    fresh = {**environment, "DATABASE_URL": f"postgres://postgres@127.0.0.1:5432/{name}"}
    run([PYTHON, "manage.py", "migrate", "--no-input", "-v0"], env=fresh, stdout=subprocess.DEVNULL)
    return fresh


def command_exists(name: str, environment: dict[str, str]) -> bool:
    return (
        subprocess.run(
            [PYTHON, "manage.py", "help", name],
            cwd=ROOT,
            env=environment,
            capture_output=True,
            check=False,
        ).returncode
        == 0
    )


# --- (b) the import's files -------------------------------------------------------------------

SIZE_BANDS = (("1-9", 2, 9), ("10-49", 10, 49), ("50-249", 50, 249), ("250-999", 250, 999))
SECTORS = ("software", "finance", "retail", "public", "charity", "media", "health", "telecoms")
REGIONS = ("london", "north-west", "scotland", "wales", "east", "south-west")
SUBMISSION_COLUMNS = (
    "signatory_number",
    "year",
    "snapshot_date",
    "total_employees",
    "tech_total",
    "tech_women",
    "tech_men",
    "tech_non_binary",
    "tech_gender_undisclosed",
    "tech_ethnic_minority",
    "tech_white",
    "tech_ethnicity_undisclosed",
    "senior_total",
    "senior_women",
    "senior_ethnic_minority",
)


def write_import_files(directory: Path, organisations: int, first_year: int) -> tuple[Path, Path]:
    """A signatories CSV of ``organisations`` rows and a submissions CSV of five years each,
    whose figures add up (gender and ethnicity to the tech total; senior parts within it)."""
    rng = random.Random(11)
    signatories = directory / "signatories.csv"
    submissions = directory / "submissions.csv"
    bands = {}
    with signatories.open("w", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(
            [
                "signatory_number",
                "name",
                "website",
                "companies_house_number",
                "organisation_type",
                "sector",
                "size_band",
                "region",
                "signed_on",
            ]
        )
        for number in range(1, organisations + 1):
            band = SIZE_BANDS[number % len(SIZE_BANDS)]
            bands[number] = band
            writer.writerow(
                [
                    number,
                    f"Bench Organisation {number}",
                    f"https://bench-{number}.example",
                    "",
                    "employer",
                    SECTORS[number % len(SECTORS)],
                    band[0],
                    REGIONS[number % len(REGIONS)],
                    (dt.date(first_year - 2, 1, 1) + dt.timedelta(days=number % 700)).isoformat(),
                ]
            )
    with submissions.open("w", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(SUBMISSION_COLUMNS)
        for number in range(1, organisations + 1):
            _, low, high = bands[number]
            for year in range(first_year, first_year + YEARS):
                total = rng.randint(low, high)
                tech = max(1, round(total * rng.uniform(0.1, 0.7)))
                women = round(tech * rng.uniform(0.2, 0.32))
                non_binary = round(tech * rng.uniform(0, 0.02))
                undisclosed = min(tech - women - non_binary, round(tech * 0.02))
                men = tech - women - non_binary - undisclosed
                ethnicity = ["", "", ""]  # one in ten did not collect ethnicity
                minority = round(tech * rng.uniform(0.15, 0.28))
                if number % 10:
                    not_said = min(tech - minority, round(tech * 0.03))
                    ethnicity = [minority, tech - minority - not_said, not_said]
                senior = round(tech * 0.12)
                writer.writerow(
                    [
                        number,
                        year,
                        dt.date(year, 4, 5).isoformat(),
                        total,
                        tech,
                        women,
                        men,
                        non_binary,
                        undisclosed,
                        *ethnicity,
                        senior,
                        round(senior * 0.2),
                        min(senior, round(senior * 0.15)) if number % 10 else 0,
                    ]
                )
    return signatories, submissions


# --- (c) pages under load ---------------------------------------------------------------------


def measure(wrk: str, url: str, *, duration: int, script: str, cookie: str | None) -> dict:
    headers = ["-H", f"Cookie: {cookie}"] if cookie else []
    output = subprocess.run(
        [wrk, "-t1", "-c4", f"-d{duration}s", "--timeout", "5s", "-s", script, *headers, url],
        check=True,
        capture_output=True,
        text=True,
        timeout=duration + 30,
    ).stdout
    line = next(line for line in output.splitlines() if line.startswith("RESULT "))
    requests, duration_us, p50_us, p95_us, errors = (int(v) for v in line.split()[1:])
    return {
        "rps": requests / (duration_us / 1e6),
        "p50_ms": p50_us / 1000,
        "p95_ms": p95_us / 1000,
        "errors": errors,
    }


def status_of(url: str, cookie: str | None) -> int:
    request = urllib.request.Request(url, headers={"Cookie": cookie} if cookie else {})

    class NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args, **kwargs):
            return None

    try:
        with urllib.request.build_opener(NoRedirect).open(request, timeout=30) as response:
            response.read()
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


def serve_and_load(environment: dict[str, str], args, script: str) -> None:
    wrk = ensure_wrk()
    probe = json.loads(
        subprocess.run(
            [PYTHON, "-c", SESSIONS],
            check=True,
            capture_output=True,
            text=True,
            cwd=ROOT,
            env=environment,
        ).stdout
    )
    run(
        [PYTHON, "manage.py", "collectstatic", "--no-input", "-v0"],
        env=environment,
        stdout=subprocess.DEVNULL,
    )
    server, base = start_gunicorn(environment)
    try:
        wait_for(base + BASELINE[1])
        rows = []
        for label, name, who in PAGES:
            path = probe["paths"][name]
            cookie = f"{probe['cookie']}={probe['sessions'][who]}"
            if path is None:
                rows.append((label, name, None, None, f"not available ({name} does not resolve)"))
                continue
            status = status_of(base + path, cookie)
            for _ in range(3):  # warm both workers' connections and templates
                status = status_of(base + path, cookie)
            if status != 200:
                rows.append((label, name, None, None, f"not available (HTTP {status} at {path})"))
                continue
            baseline = measure(
                wrk, base + BASELINE[1], duration=args.duration, script=script, cookie=None
            )
            result = measure(wrk, base + path, duration=args.duration, script=script, cookie=cookie)
            rows.append((label, name, result, baseline, path))
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=30)

    print(
        f"\n(c) pages under load: gunicorn 2 sync workers, wrk 1 thread x 4 connections x "
        f"{args.duration} s per run, {os.cpu_count()} CPUs shared by server, database and wrk; "
        f"member {probe['member']}, staff with two factors\n"
    )
    print(
        f"{'page':<28}{'req/s':>8}{'p50 ms':>8}{'p95 ms':>8}{'errors':>7}"
        f"   {'baseline req/s':>14}{'p95 ms':>8}   {'ratio':>6}   goal"
    )
    for label, name, result, baseline, note in rows:
        if result is None:
            print(f"{label:<28}{note}")
            continue
        ratio = result["rps"] / baseline["rps"]
        if label.startswith("(ref)"):
            goal = "(reference)"
        elif name == "pledges:data_return":
            held = ratio >= RETURN_PAGE_GOAL_RATIO
            goal = f"ratio >= {RETURN_PAGE_GOAL_RATIO}: {'met' if held else 'NOT met'}"
        else:
            held = result["p95_ms"] < STAFF_P95_GOAL_MS
            goal = f"p95 < {STAFF_P95_GOAL_MS} ms: {'met' if held else 'NOT met'}"
        print(
            f"{label:<28}{result['rps']:>8.0f}{result['p50_ms']:>8.1f}{result['p95_ms']:>8.1f}"
            f"{result['errors']:>7}   {baseline['rps']:>14.0f}{baseline['p95_ms']:>8.1f}"
            f"   {ratio:>6.2f}   {goal}   {note}"
        )
    print(f"(baseline: {BASELINE[0]}, run just before each page)")
    by_name = {name: result for _, name, result, _, _ in rows if result is not None}
    if "pledges:data_return" in by_name and "robots_txt" in by_name:
        # No goal: it separates what the return page costs from what any logged-in request
        # costs, which (c1)'s ratio to the anonymous baseline cannot.
        print(
            "(c1) against the logged-in robots.txt: "
            f"{by_name['pledges:data_return']['rps'] / by_name['robots_txt']['rps']:.2f}"
        )

    measured = [
        (label, note, probe["sessions"][who])
        for (label, _, result, _, note), (_, _, who) in zip(rows, PAGES, strict=True)
        if result is not None
    ]
    if measured:
        timings = json.loads(
            subprocess.run(
                [PYTHON, "-c", IN_PROCESS, json.dumps([probe["cookie"], measured])],
                check=True,
                capture_output=True,
                text=True,
                cwd=ROOT,
                env=environment,
            ).stdout
        )
        print("\nserver time, in-process, one request at a time (median of 7):")
        for label, (median, queries, status) in timings.items():
            print(f"  {label:<28}{median:>8.1f} ms {queries:>4} queries  HTTP {status}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--organisations", type=int, default=10_000)
    parser.add_argument("--duration", type=int, default=10, help="seconds per measurement")
    parser.add_argument("--keep", action="store_true", help="keep the databases afterwards")
    parser.add_argument(
        "--parts", default="abc", help="which of (a), (b), (c) to run (default abc; c needs a)"
    )
    args = parser.parse_args()
    if "c" in args.parts and "a" not in args.parts:
        parser.error("(c) serves the database (a) seeds: --parts must include a")

    use_redis = redis_answers()
    var_dir = tempfile.mkdtemp(prefix="charter-bench-returns-")
    environment = bench_environment(var_dir, use_redis)
    script = Path(var_dir) / "report.lua"
    script.write_text(WRK_SCRIPT)
    imported = f"{DATABASE}_import"
    try:
        if "a" in args.parts:
            seeded = seed_part(args, environment)
        if "b" in args.parts:
            import_part(args, environment, Path(var_dir), imported)
        if "c" in args.parts:
            if use_redis:
                import redis

                redis.Redis.from_url(environment["REDIS_URL"]).flushdb()
            serve_and_load(seeded, args, str(script))
    finally:
        if not args.keep:
            for database in (DATABASE, imported):
                admin_sql(f"DROP DATABASE IF EXISTS {database}")
        shutil.rmtree(var_dir, ignore_errors=True)


def seed_part(args, environment: dict[str, str]) -> dict[str, str]:
    """(a): returns the environment of the seeded database, which (c) serves."""
    print(f"bench: (a) database {DATABASE}, seed_demo of {args.organisations:,} organisations")
    seeded = fresh_database(DATABASE, environment)
    seconds, output = timed(
        [
            PYTHON,
            "manage.py",
            "seed_demo",
            "--organisations",
            str(args.organisations),
            "--seed",
            "1",
        ],
        seeded,
    )
    counts = [line.strip() for line in output.splitlines() if "returns" in line]
    verdict = "met" if seconds <= SEED_GOAL_S else "NOT met"
    print(
        f"(a) seed_demo, {args.organisations:,} organisations, {YEARS} yearly cycles: "
        f"{seconds:.1f} s (goal <= {SEED_GOAL_S} s: {verdict}); {'; '.join(counts)}"
    )
    vacuum_analyze(seeded["DATABASE_URL"])
    return seeded


def import_part(args, environment: dict[str, str], var_dir: Path, imported: str) -> None:
    print(f"bench: (b) database {imported}")
    fresh = fresh_database(imported, environment)
    first_year = dt.date.today().year - YEARS
    signatories, submissions = write_import_files(var_dir, args.organisations, first_year)
    seconds, _ = timed([PYTHON, "manage.py", "import_signatories", str(signatories)], fresh)
    print(f"(b) import_signatories, {args.organisations:,} organisations: {seconds:.1f} s")
    returns = args.organisations * YEARS
    if command_exists("import_submissions", fresh):
        seconds, _ = timed([PYTHON, "manage.py", "import_submissions", str(submissions)], fresh)
        verdict = "met" if seconds <= IMPORT_GOAL_S else "NOT met"
        print(
            f"(b) import_submissions, {returns:,} returns ({first_year}–"
            f"{first_year + YEARS - 1}): {seconds:.1f} s (goal <= {IMPORT_GOAL_S} s: {verdict})"
        )
    else:
        print(
            f"(b) import_submissions, {returns:,} returns: not available (the command is "
            "not on this branch yet)"
        )


if __name__ == "__main__":
    main()
