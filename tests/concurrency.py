"""Run functions at the same instant in separate threads, each with its own connection."""

from __future__ import annotations

import threading
from collections.abc import Callable

from django.db import connection


def run_concurrently(functions: list[Callable]) -> tuple[list, list]:
    """Start every function together (a barrier releases them at once); return their results
    and the exceptions they raised, in the same order."""
    barrier = threading.Barrier(len(functions))
    results, errors = [None] * len(functions), [None] * len(functions)

    def run(index, function):
        try:
            barrier.wait(timeout=10)
            results[index] = function()
        except Exception as error:
            errors[index] = error
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i, f)) for i, f in enumerate(functions)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return results, errors
