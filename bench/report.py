"""Benchmark the annual benchmarking report (issue 13): aggregation per year, the full report's
PDF, the public report page served from frozen cells, and a signatory's own-benchmark PDF.

    .venv/bin/python bench/report.py [--organisations 10000] [--duration 10] [--keep]

``BENCH_DATABASE`` (default ``charter_bench_report``) names its database and
``BENCH_REDIS_URL`` (default Redis database 14) its cache, so that it can run beside the other
benches on one machine.

What it does, all on this machine and against 127.0.0.1 only:

(a) creates a fresh PostgreSQL database, migrates it and seeds it with
    ``manage.py seed_demo --organisations N --seed 1`` (five yearly cycles of returns), then
    VACUUM ANALYZE;
(b) in a fresh process, times ``benchmarks_compute`` for every cycle with returns (best of 3;
    goal <= 2 s a year), and freezes each year's cells on a published ``BenchmarkReport``, as
    publication does;
(c) in another fresh process, times the full report's PDF through ``report_pdf_render`` (goal
    <= 10 s) and reads its peak resident memory (``getrusage``'s ``ru_maxrss``; goal < 1 GB),
    when ``reports.document.report_pdf_render`` exists on this branch; otherwise it says
    "not available" and the line (d) stands in for what a PDF of the report's figures costs;
(d) times the own-benchmark PDF (``/dashboard/<slug>/benchmark.pdf``) of a demo signatory
    in-process with the Django test client (median of 5; goal <= 1 s) and its peak memory;
(e) serves the database with gunicorn (2 sync workers, DEBUG off) and measures with ``wrk`` in
    another process (1 thread, 4 connections, ``--duration`` seconds) the public report page
    ``/reports/<year>/`` right after a run of the trivial baseline (``/robots.txt``), as a ratio
    to it (goal >= 0.5). While the report page is not on this branch, the year's open data
    ``/api/benchmarks/<year>/`` (the same frozen cells) is measured the same way, and the output
    says which was measured. The own benchmark page is measured too, as a reference.

Figures vary between machines and with what else runs on them: compare ratios in one run.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
from pathlib import Path

os.environ.setdefault("BENCH_DATABASE", "charter_bench_report")
os.environ.setdefault("BENCH_REDIS_URL", "redis://127.0.0.1:6379/14")

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
from returns import fresh_database, measure, status_of, timed

AGGREGATION_GOAL_S = 2.0
REPORT_PDF_GOAL_S = 10.0
REPORT_PDF_MEMORY_GOAL_MB = 1024
OWN_PDF_GOAL_S = 1.0
PAGE_RATIO_GOAL = 0.5
BASELINE = "/robots.txt"

# (b): aggregate every year with returns and publish its cells, as the generation job and
# publication do (the job itself is the lead's; this freezes the same cells).
AGGREGATE = r"""
import json, time
import django
django.setup()
from django.utils import timezone
from pledges.models import ReportingCycle
from reports.aggregation.benchmarks import benchmarks_compute
from reports.content import report_content_compute
from reports.models import BenchmarkReport

out = []
for cycle in ReportingCycle.objects.filter(returns__status="submitted").distinct().order_by("year"):
    timings = []
    for _ in range(3):
        started = time.perf_counter()
        cells = benchmarks_compute(cycle)
        timings.append(time.perf_counter() - started)
    # The rest of what generation freezes (last year, the signatory base, year on year...):
    # the public page then serves what a published report really holds.
    started = time.perf_counter()
    content = report_content_compute(cycle)
    content_seconds = time.perf_counter() - started
    now = timezone.now()
    BenchmarkReport.objects.filter(cycle=cycle).delete()
    BenchmarkReport.objects.create(
        cycle=cycle, version=1, state="published", cells=cells, content=content,
        requested_at=now, finished_at=now, published_at=now,
    )
    out.append({
        "year": cycle.year,
        "seconds": min(timings),
        "content_seconds": content_seconds,
        "returns": cells["methodology"]["returns_counted"],
        "suppressed": cells["methodology"]["suppressed_cells"],
    })
print(json.dumps(out))
"""

# (c): the full report's PDF, in a fresh process so that ru_maxrss is this PDF's peak.
REPORT_PDF = r"""
import importlib, json, resource, time
import django
django.setup()
from reports.models import BenchmarkReport

try:
    document = importlib.import_module("reports.document")
    render = document.report_pdf_render
except (ImportError, AttributeError) as error:
    print(json.dumps({"available": False, "why": str(error)}))
    raise SystemExit
report = BenchmarkReport.objects.select_related("cycle").order_by("-cycle__year").first()
before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
started = time.perf_counter()
pdf = render(report, draft=False)
seconds = time.perf_counter() - started
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print(json.dumps({
    "available": True, "year": report.cycle.year, "seconds": seconds, "bytes": len(pdf),
    "peak_mb": peak / 1024, "before_mb": before / 1024,
}))
"""

# (d): the own-benchmark PDF of the first demo admin's organisation, and the paths to load (e).
OWN_PDF = r"""
import json, resource, statistics, time
import django
django.setup()
from django.test import Client
from django.conf import settings
from django.urls import reverse
from reports.models import BenchmarkReport
from signatories.models import Membership

membership = (
    Membership.objects.filter(role="admin", organisation__status="active")
    .select_related("organisation", "user").order_by("organisation__signatory_number").first()
)
slug = membership.organisation.slug
client = Client(HTTP_HOST="127.0.0.1")
client.force_login(membership.user)
path = reverse("reports_workspace:benchmark_pdf", args=[slug])
timings = []
for _ in range(5):
    started = time.perf_counter()
    response = client.get(path)
    timings.append(time.perf_counter() - started)
    assert response.status_code == 200, response.status_code
cookie = settings.SESSION_COOKIE_NAME
year = BenchmarkReport.objects.order_by("-cycle__year").values_list("cycle__year", flat=True)[0]
print(json.dumps({
    "organisation": slug,
    "seconds": statistics.median(timings),
    "bytes": len(response.content),
    "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    "year": year,
    "report_page": f"/reports/{year}/",
    "api_page": reverse("reports_api:year", args=[year]),
    "own_page": reverse("reports_workspace:benchmark", args=[slug]),
    "cookie": f"{cookie}={client.cookies[cookie].value}",
}))
"""


def probe(script: str, environment: dict[str, str]) -> dict | list:
    result = subprocess.run(
        [PYTHON, "-c", script], cwd=ROOT, env=environment, capture_output=True, text=True
    )
    if result.returncode:
        sys.exit(f"bench: a probe failed:\n{result.stderr[-3000:]}")
    return json.loads(result.stdout.strip().splitlines()[-1])


def verdict(held: bool) -> str:
    return "met" if held else "NOT met"


def load(seeded: dict[str, str], own: dict, args, script: str) -> None:
    wrk = ensure_wrk()
    run(
        [PYTHON, "manage.py", "collectstatic", "--no-input", "-v0"],
        env=seeded,
        stdout=subprocess.DEVNULL,
    )
    server, base = start_gunicorn(seeded)
    try:
        wait_for(base + BASELINE)
        # The report page is the document helper's: measured once it is on this branch.
        if status_of(base + own["report_page"], None) == 200:
            pages = [("(e) public report page", own["report_page"], None, True)]
        else:
            label = "(e) the year's open data (no /reports/<year>/ page on this branch)"
            pages = [(label, own["api_page"], None, True)]
        pages.append(("(ref) own benchmark page", own["own_page"], own["cookie"], False))
        print(
            f"\n(e) under load: gunicorn 2 sync workers, wrk 1 thread x 4 connections x "
            f"{args.duration} s, {os.cpu_count()} CPUs shared by server, database and wrk"
        )
        for label, path, cookie, has_goal in pages:
            for _ in range(3):
                status = status_of(base + path, cookie)
            if status != 200:
                print(f"  {label}: not measured (HTTP {status} at {path})")
                continue
            baseline = measure(
                wrk, base + BASELINE, duration=args.duration, script=script, cookie=None
            )
            result = measure(wrk, base + path, duration=args.duration, script=script, cookie=cookie)
            ratio = result["rps"] / baseline["rps"]
            goal = (
                f"goal ratio >= {PAGE_RATIO_GOAL}: {verdict(ratio >= PAGE_RATIO_GOAL)}"
                if has_goal
                else "(reference)"
            )
            print(
                f"  {label} {path}: {result['rps']:.0f} req/s, p50 {result['p50_ms']:.1f} ms, "
                f"p95 {result['p95_ms']:.1f} ms, {result['errors']} errors; baseline "
                f"{baseline['rps']:.0f} req/s; ratio {ratio:.2f} {goal}"
            )
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=30)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--organisations", type=int, default=10_000)
    parser.add_argument("--duration", type=int, default=10, help="seconds per wrk run")
    parser.add_argument("--keep", action="store_true", help="keep the database afterwards")
    args = parser.parse_args()

    use_redis = redis_answers()
    var_dir = tempfile.mkdtemp(prefix="charter-bench-report-")
    environment = bench_environment(var_dir, use_redis)
    script = Path(var_dir) / "report.lua"
    script.write_text(WRK_SCRIPT)
    try:
        print(f"bench: (a) database {DATABASE}, seed_demo of {args.organisations:,} organisations")
        seeded = fresh_database(DATABASE, environment)
        seconds, _ = timed(
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
        print(f"(a) seed_demo: {seconds:.1f} s")
        vacuum_analyze(seeded["DATABASE_URL"])

        years = probe(AGGREGATE, seeded)
        print("(b) benchmarks_compute per year (best of 3), cells frozen on a published report:")
        for year in years:
            held = year["seconds"] <= AGGREGATION_GOAL_S
            print(
                f"  {year['year']}: {year['seconds']:.2f} s over {year['returns']:,} returns, "
                f"{year['suppressed']} cells suppressed (goal <= {AGGREGATION_GOAL_S:.0f} s: "
                f"{verdict(held)}); the rest of the content {year['content_seconds']:.2f} s"
            )
        vacuum_analyze(seeded["DATABASE_URL"])

        full = probe(REPORT_PDF, seeded)
        if full["available"]:
            print(
                f"(c) full report PDF {full['year']}: {full['seconds']:.2f} s, "
                f"{full['bytes'] / 1024:.0f} KiB (goal <= {REPORT_PDF_GOAL_S:.0f} s: "
                f"{verdict(full['seconds'] <= REPORT_PDF_GOAL_S)}); peak memory "
                f"{full['peak_mb']:.0f} MB (goal < {REPORT_PDF_MEMORY_GOAL_MB} MB: "
                f"{verdict(full['peak_mb'] < REPORT_PDF_MEMORY_GOAL_MB)})"
            )
        else:
            print(f"(c) full report PDF: not available on this branch ({full['why']})")

        own = probe(OWN_PDF, seeded)
        print(
            f"(d) own-benchmark PDF of {own['organisation']}: {own['seconds']:.3f} s (median of 5; "
            f"goal <= {OWN_PDF_GOAL_S:.0f} s: {verdict(own['seconds'] <= OWN_PDF_GOAL_S)}), "
            f"{own['bytes'] / 1024:.0f} KiB, process peak memory {own['peak_mb']:.0f} MB"
        )

        if use_redis:
            import redis

            redis.Redis.from_url(environment["REDIS_URL"]).flushdb()
        load(seeded, own, args, str(script))
    finally:
        if not args.keep:
            admin_sql(f"DROP DATABASE IF EXISTS {DATABASE}")
        shutil.rmtree(var_dir, ignore_errors=True)


if __name__ == "__main__":
    main()
