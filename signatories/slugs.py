"""An organisation's slug: its name as a web address, made unique with -2, -3…"""

from __future__ import annotations

from collections.abc import Callable

from django.utils.text import slugify

MAX_SLUG_BASE = 200


def unique_slug(name: str, *, taken: Callable[[str], bool]) -> str:
    """The first of ``name``'s slug, then ``-2``, ``-3``… for which ``taken`` says no.

    ``taken`` is the caller's: approval asks the database under the numbering lock, an import
    asks the set of slugs it has already read and planned.
    """
    base = slugify(name)[:MAX_SLUG_BASE] or "organisation"
    slug, suffix = base, 2
    while taken(slug):
        slug, suffix = f"{base}-{suffix}", suffix + 1
    return slug
