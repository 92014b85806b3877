"""scripts/services and scripts/bootstrap, the steps .ci/run takes before the suite.

Their real work (starting system daemons, apt-get install) cannot be repeated from a test without
changing the machine, so each case puts small stand-ins for those few system commands first on
PATH and checks what the script does with their answers: the scripts themselves run for real.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parents[2]


def stand_in(directory: Path, name: str, script: str = "exit 0") -> None:
    path = directory / name
    path.write_text(f"#!/bin/sh\n{script}\n")
    path.chmod(0o755)


def run_script(script: str, path: str, *arguments: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        ["/bin/bash", str(BASE_DIR / "scripts" / script), *arguments],
        env={"PATH": path, "HOME": os.environ.get("HOME", "/tmp")},
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_services_fails_naming_postgresql_when_it_does_not_answer_after_starting(tmp_path):
    stand_in(tmp_path, "pg_isready", "exit 2")  # never answers
    stand_in(tmp_path, "pg_ctlcluster")  # "starts" without error
    stand_in(tmp_path, "sleep")  # no need to really wait between tries

    result = run_script("services", f"{tmp_path}:{os.environ['PATH']}")

    assert result.returncode != 0
    assert "services: starting PostgreSQL" in result.stdout
    assert "PostgreSQL still does not answer on 127.0.0.1:5432" in result.stderr


def test_services_fails_naming_redis_when_it_does_not_answer_after_starting(tmp_path):
    stand_in(tmp_path, "pg_isready")  # PostgreSQL answers
    stand_in(tmp_path, "redis-cli", "echo 'Could not connect to Redis' >&2; exit 1")
    stand_in(tmp_path, "redis-server")
    stand_in(tmp_path, "sleep")

    result = run_script("services", f"{tmp_path}:{os.environ['PATH']}")

    assert result.returncode != 0
    assert "services: starting Redis" in result.stdout
    assert "Redis still does not answer PING on 127.0.0.1:6379" in result.stderr


def test_services_passes_when_both_answer(tmp_path):
    stand_in(tmp_path, "pg_isready", "echo '127.0.0.1:5432 - accepting connections'")
    stand_in(tmp_path, "redis-cli", "echo PONG")

    result = run_script("services", f"{tmp_path}:{os.environ['PATH']}")

    assert result.returncode == 0, result.stderr
    assert "starting" not in result.stdout
    assert "redis: PONG" in result.stdout


def test_bootstrap_for_the_tests_installs_npm_when_it_is_missing(tmp_path):
    # A PATH with only what the script needs, so that this machine's own npm is not found.
    for command in ["dirname", "id", "grep"]:
        (tmp_path / command).symlink_to(shutil.which(command))
    installed = tmp_path / "apt-get.log"
    stand_in(tmp_path, "dpkg-query", "exit 1")  # nothing is installed
    stand_in(tmp_path, "apt-get", f'echo "$@" >> {installed}')
    stand_in(tmp_path, "uv")  # the Python environment is not what this test is about
    stand_in(tmp_path, "sudo", 'exec "$@"')  # when the suite does not run as root

    result = run_script("bootstrap", str(tmp_path), "test")

    install = [line for line in installed.read_text().splitlines() if "install" in line]
    assert len(install) == 1, result.stdout + result.stderr
    # Java runs the HTML checker (vnu.jar) in tests/charter/test_valid_html.py.
    assert {"nodejs", "npm", "chromium", "poppler-utils", "default-jre-headless"} <= set(
        install[0].split()
    )


def test_bootstrap_for_the_site_installs_no_node(tmp_path):
    for command in ["dirname", "id", "grep"]:
        (tmp_path / command).symlink_to(shutil.which(command))
    installed = tmp_path / "apt-get.log"
    stand_in(tmp_path, "dpkg-query", "exit 1")
    stand_in(tmp_path, "apt-get", f'echo "$@" >> {installed}')
    stand_in(tmp_path, "uv")
    stand_in(tmp_path, "sudo", 'exec "$@"')

    result = run_script("bootstrap", str(tmp_path), "run")

    assert result.returncode == 0, result.stderr
    install = [line for line in installed.read_text().splitlines() if "install" in line]
    assert len(install) == 1
    assert not {"nodejs", "npm", "chromium", "default-jre-headless"} & set(install[0].split())
