"""Real-browser tests: Playwright driving Debian's Chromium against pytest-django's live server.

Playwright cannot download its own browsers on this machine kind, so the launch arguments point
at the system Chromium (see MACHINE-NOTES.md). Asking for ``chromium_path`` (tests/conftest.py)
makes a missing Chromium skip locally and fail under ``CI=true``.
"""

from __future__ import annotations

import json
import os

import pytest
from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections

from tests.conftest import missing_service

# Playwright's sync API runs an event loop in the main thread; Django refuses database access
# from a thread with a running loop unless told that this is intended.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

# Without the background-networking flags Chromium keeps trying hosts this machine cannot reach.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]

AXE_SCRIPT = settings.BASE_DIR / "node_modules" / "axe-core" / "axe.min.js"
# WCAG 2.0, 2.1 and 2.2 at levels A and AA, plus axe's best practices (landmarks, one h1...).
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]
BLOCKING_IMPACTS = {"serious", "critical"}


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args, chromium_path):
    return {
        **browser_type_launch_args,
        "executable_path": chromium_path,
        "args": CHROMIUM_ARGS,
    }


@pytest.fixture(scope="session", autouse=True)
def serialized_rollback_survives_playwright(django_db_setup):
    """Keep ``serialized_rollback`` working once Playwright has started.

    Playwright's sync API leaves an asyncio loop running in the main thread, and from then on
    Django's connection handler (an asgiref Local) hands out a fresh DatabaseWrapper that lacks the
    ``_test_serialized_contents`` captured when the test database was created. Django then skips
    the restore without a word, and every browser test after the first finds the tables empty:
    no pledges, no staff group (pytest-django issue #1117). This fixture runs before Playwright
    starts, reads the contents off the original connection and puts them on the wrapper class, so
    every wrapper the handler creates later has them too.
    """
    connection = connections[DEFAULT_DB_ALIAS]
    contents = getattr(connection, "_test_serialized_contents", None)
    wrapper_class = type(connection)
    if contents is None or hasattr(wrapper_class, "_test_serialized_contents"):
        yield
        return
    wrapper_class._test_serialized_contents = contents
    yield
    del wrapper_class._test_serialized_contents


def describe(violations: list[dict]) -> str:
    lines = []
    for violation in violations:
        lines.append(f"{violation['id']} ({violation['impact']}): {violation['help']}")
        lines.append(f"  {violation['helpUrl']}")
        for node in violation["nodes"]:
            lines.append(f"  - {json.dumps(node['target'])}: {node.get('failureSummary', '')}")
    return "\n".join(lines)


@pytest.fixture
def axe():
    """Run axe-core on the page as it is now; fail on any serious or critical violation.

    Returns every violation found (minor and moderate included) for tests that want to look.
    """
    if not AXE_SCRIPT.exists():
        missing_service(f"axe-core is not installed at {AXE_SCRIPT} (run npm ci)")

    def check(page) -> list[dict]:
        # Evaluated through the DevTools protocol rather than added as an inline <script>, which
        # the page's Content-Security-Policy refuses (and the csp_violations fixture reports).
        page.evaluate(AXE_SCRIPT.read_text())
        results = page.evaluate(
            "async (options) => await axe.run(document, options)",
            {"runOnly": {"type": "tag", "values": AXE_TAGS}, "resultTypes": ["violations"]},
        )
        blocking = [v for v in results["violations"] if v["impact"] in BLOCKING_IMPACTS]
        others = [v for v in results["violations"] if v["impact"] not in BLOCKING_IMPACTS]
        if others:  # shown with -s, or alongside a failure: worth fixing, not yet blocking
            print(f"axe, minor and moderate on {page.url}:\n{describe(others)}")
        assert not blocking, f"axe found problems on {page.url}:\n{describe(blocking)}"
        return results["violations"]

    return check


# Every page of every browser test listens for Content-Security-Policy violations from its first
# script on: each one is kept in window.__cspViolations (for a look from the page) and handed to
# Python through a binding, so that none is lost when the page navigates away.
CSP_LISTENER = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  const violation = {
    page: document.location.href,
    directive: event.effectiveDirective,
    blocked: event.blockedURI,
    source: event.sourceFile,
    line: event.lineNumber,
    sample: event.sample,
  };
  window.__cspViolations.push(violation);
  if (window.__reportCspViolation) window.__reportCspViolation(violation);
});
"""


@pytest.fixture(autouse=True)
def csp_violations(request):
    """Fail any browser test whose pages broke the Content-Security-Policy.

    Yields the list of violations seen so far: a test that provokes one on purpose asserts on it
    and empties it.
    """
    if "page" not in request.fixturenames:
        yield []
        return
    context = request.getfixturevalue("context")
    seen: list[dict] = []
    context.expose_binding("__reportCspViolation", lambda source, violation: seen.append(violation))
    context.add_init_script(CSP_LISTENER)
    # Asked for here, after the listener, so that the test's page is still open at teardown.
    request.getfixturevalue("page")
    yield seen
    for page in context.pages:
        if not page.is_closed():
            # A round trip to each page delivers any report still on its way.
            page.evaluate("() => window.__cspViolations")
    assert not seen, "Content-Security-Policy violations:\n" + "\n".join(
        json.dumps(violation) for violation in seen
    )
