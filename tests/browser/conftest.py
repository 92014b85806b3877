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
        page.add_script_tag(path=str(AXE_SCRIPT))
        results = page.evaluate(
            "async (options) => await axe.run(document, options)",
            {"runOnly": {"type": "tag", "values": AXE_TAGS}, "resultTypes": ["violations"]},
        )
        blocking = [v for v in results["violations"] if v["impact"] in BLOCKING_IMPACTS]
        assert not blocking, f"axe found problems on {page.url}:\n{describe(blocking)}"
        return results["violations"]

    return check
