"""Accent- and case-insensitive name search that works the same on PostgreSQL and SQLite.

Both databases get a function called ``charter_fold(text)`` that lower-cases a string and strips
its accents ("Société Générale" → "societe generale"):

- on PostgreSQL it is a SQL function over the ``unaccent`` extension, declared IMMUTABLE so a
  trigram (``pg_trgm``) GIN index can be built on it (migration signatories 0003_directory);
- on SQLite it is :func:`fold` below, registered on every new connection.

Why a database function rather than a normalised ``search_name`` column: several writers create
and rename organisations (approval, the workspace's profile form, ``seed_demo``'s bulk inserts,
the admin) and a column would be stale the day one of them forgot it; a function cannot be.
The search term is folded by the same function (``charter_fold(%s)`` in the query), so term and
names are always folded alike on each database.
"""

from __future__ import annotations

import unicodedata

from django.db.models import F, Func, Q, QuerySet, TextField, Value

FOLD_FUNCTION = "charter_fold"
# Letters that Unicode does not decompose into a base letter plus an accent, mapped as
# PostgreSQL's unaccent does, so SQLite finds "Søren" with "soren" too.
_UNDECOMPOSABLE = str.maketrans(
    {
        "ß": "ss",
        "æ": "ae",
        "Æ": "AE",
        "œ": "oe",
        "Œ": "OE",
        "ø": "o",
        "Ø": "O",
        "ł": "l",
        "Ł": "L",
        "đ": "d",
        "Đ": "D",
        "ð": "d",
        "Ð": "D",
        "þ": "th",
        "Þ": "TH",
        "ı": "i",
        "’": "'",
        "‘": "'",
    }
)


def fold(text: str | None) -> str | None:
    """Lower-case ``text`` and strip its accents: the SQLite side of ``charter_fold``."""
    if text is None:
        return None
    decomposed = unicodedata.normalize("NFKD", text.translate(_UNDECOMPOSABLE))
    return "".join(char for char in decomposed if not unicodedata.combining(char)).lower()


def register_sqlite_functions(sender, connection, **kwargs) -> None:
    """``connection_created`` receiver: give each SQLite connection ``charter_fold``."""
    if connection.vendor == "sqlite":
        connection.connection.create_function(FOLD_FUNCTION, 1, fold, deterministic=True)


class Fold(Func):
    function = FOLD_FUNCTION
    output_field = TextField()


class SearchText(Func):
    """``charter_fold(public_name || ' ' || legal_name)``: the text a search looks in.

    Written out rather than with ``Concat`` so the SQL is exactly the expression the trigram
    index is built on (see the migration), on both databases.
    """

    template = f"{FOLD_FUNCTION}(%(expressions)s)"
    arg_joiner = " || ' ' || "
    output_field = TextField()

    def __init__(self) -> None:
        super().__init__(F("public_name"), F("legal_name"))


def name_search(queryset: QuerySet, query: str) -> QuerySet:
    """Organisations whose public or legal name contains every word of ``query``, in any case
    and with or without accents ("acme anal" finds "Acme Analytics Ltd")."""
    words = query.split()
    if not words:
        return queryset
    match = Q()
    for word in words:
        match &= Q(search_text__contains=Fold(Value(word)))
    return queryset.alias(search_text=SearchText()).filter(match)
