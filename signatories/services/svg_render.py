"""Draw one SVG into a PNG, as a child process: SVG on stdin, PNG on stdout.

``logos.py`` runs this file with ``python -I`` and a time limit, because resvg works in native
code that a thread cannot interrupt, and a crafted file can make it run for minutes or crash
the process (a few hundred nested groups overflow its stack). Killing a child loses nothing;
a stuck or crashed web worker loses every request it holds.

It imports nothing of the project (``-I`` leaves the project off ``sys.path``), and caps its
own CPU time and memory as a second bound, for the case where its parent dies before killing it.

Exit codes: 0 with the PNG on stdout; ``EXIT_NOT_DRAWABLE`` when resvg refuses the file (no
size, not valid SVG); anything else (killed, crashed, out of memory) means "too complex".
"""

from __future__ import annotations

import resource
import sys

EXIT_NOT_DRAWABLE = 65
MEMORY_BYTES = 1024 * 1024 * 1024


def main() -> int:
    box, cpu_seconds = int(sys.argv[1]), int(sys.argv[2])
    resource.setrlimit(resource.RLIMIT_CPU, (cpu_seconds, cpu_seconds))
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_BYTES, MEMORY_BYTES))
    import resvg_py  # after the limits, so loading it counts against them too

    try:
        png = resvg_py.svg_to_bytes(
            svg_string=sys.stdin.buffer.read().decode("utf-8-sig"),
            # Both sides given: resvg fits the drawing inside the box, keeping its proportions.
            width=box,
            height=box,
        )
    except (ValueError, UnicodeDecodeError):
        return EXIT_NOT_DRAWABLE
    sys.stdout.buffer.write(png)
    return 0


if __name__ == "__main__":
    sys.exit(main())
