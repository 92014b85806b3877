"""Accent- and case-insensitive name search that works the same on PostgreSQL and SQLite.

Both databases get a function called ``charter_fold(text)`` that lower-cases a string and strips
its accents ("Société Générale" → "societe generale"):

- on PostgreSQL it is a SQL function (:data:`POSTGRES_FOLD_SQL`), declared IMMUTABLE so a
  trigram (``pg_trgm``) GIN index can be built on it (migrations signatories 0003_directory
  and 0007_fold_without_unaccent);
- on SQLite it is :func:`fold` below, registered on every new connection.

Both run the same steps, from the same table, so they agree character for character (a test
compares them on PostgreSQL): replace the letters Unicode does not decompose (ß, ø, ł, æ, œ…),
decompose (NFKD: "é" becomes "e" and an accent, "ｆ" becomes "f", "ﬁ" becomes "fi"), drop
the combining marks, lower-case, and write the final sigma "ς" as "σ" (Python lower-cases a
final capital sigma to "ς", PostgreSQL to "σ"). PostgreSQL's ``unaccent`` is not used: its
rules file differs from Python's Unicode tables in hundreds of characters (Cyrillic "й",
Greek symbols, ordinal indicators) and from one PostgreSQL version to the next.

Why a database function rather than a normalised ``search_name`` column: several writers create
and rename organisations (approval, the workspace's profile form, ``seed_demo``'s bulk inserts,
the admin) and a column would be stale the day one of them forgot it; a function cannot be.
The search term is folded by the same function (``charter_fold(%s)`` in the query), so term and
names are always folded alike on each database. Name sorting uses it too (:class:`NameSortKey`).
The directory's search entries (signatories.models.DirectorySearchEntry) do store folded text,
for the facet counts of searched pages, but database triggers write it, so no writer can
forget it either.
"""

from __future__ import annotations

import unicodedata

from django.db.models import F, Func, Q, QuerySet, TextField, Value

FOLD_FUNCTION = "charter_fold"
# Letters that Unicode does not decompose into a base letter plus an accent, as commonly
# transliterated, so "soren" finds "Søren".
UNDECOMPOSABLE = {
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
    "ħ": "h",
    "Ħ": "H",
    "ŧ": "t",
    "Ŧ": "T",
    "þ": "th",
    "Þ": "TH",
    "ı": "i",
    "’": "'",
    "‘": "'",
}
_UNDECOMPOSABLE = str.maketrans(UNDECOMPOSABLE)
# The blocks of combining marks: diacritical marks, their extension and supplement, marks for
# symbols, half marks. Named as ranges so PostgreSQL's regular expression is the same set.
COMBINING_MARKS = (
    (0x0300, 0x036F),
    (0x1AB0, 0x1AFF),
    (0x1DC0, 0x1DFF),
    (0x20D0, 0x20FF),
    (0xFE20, 0xFE2F),
)
_COMBINING = frozenset(
    chr(code) for first, last in COMBINING_MARKS for code in range(first, last + 1)
)
_FINAL_SIGMA = str.maketrans({"ς": "σ"})


def fold(text: str | None) -> str | None:
    """Lower-case ``text`` and strip its accents: the SQLite side of ``charter_fold``."""
    if text is None:
        return None
    if text.isascii():  # most names: nothing to replace, decompose or strip
        return text.lower()
    decomposed = unicodedata.normalize("NFKD", text.translate(_UNDECOMPOSABLE))
    stripped = "".join(char for char in decomposed if char not in _COMBINING)
    return stripped.lower().translate(_FINAL_SIGMA)


def _postgres_fold_sql() -> str:
    """The body of PostgreSQL's ``charter_fold($1)``: the steps of :func:`fold`, in SQL."""
    expression = "$1"
    for letter, replacement in UNDECOMPOSABLE.items():
        quoted = replacement.replace("'", "''")
        expression = f"replace({expression}, '{letter}', '{quoted}')"
    # PostgreSQL's regular expressions read \uXXXX escapes (standard_conforming_strings is on).
    marks = "".join(f"\\u{first:04x}-\\u{last:04x}" for first, last in COMBINING_MARKS)
    expression = f"regexp_replace(normalize({expression}, NFKD), '[{marks}]', '', 'g')"
    full = f"translate(lower({expression}), 'ς', 'σ')"
    # ASCII text (one byte per character) needs lower-casing only, and most names are ASCII:
    # the full steps cost about 15 µs a name, lower() a tenth of that.
    return f"CASE WHEN octet_length($1) = char_length($1) THEN lower($1) ELSE {full} END"


# Not STRICT, so PostgreSQL can inline it (a NULL gives NULL all the same); IMMUTABLE, so it
# can be indexed. Changing it means rebuilding the indexes built on it (see the migrations).
POSTGRES_FOLD_SQL = f"""
    CREATE OR REPLACE FUNCTION {FOLD_FUNCTION}(text) RETURNS text
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    AS $$ SELECT {_postgres_fold_sql()} $$
"""


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


class NameSortKey(Func):
    """``charter_fold(public_name)``, to sort by name in any case and with or without accents
    ("acme", "élan", "Örn", "Zeta"). PostgreSQL compares it byte by byte (``COLLATE "C"``), as
    SQLite does, so both sort alike whatever the database's locale; an index on exactly this
    expression serves the directory's default order (signatories_organisation_by_name, migration
    0008_directory_facet_counts, which also covers the columns a row shows)."""

    template = f"{FOLD_FUNCTION}(%(expressions)s)"
    output_field = TextField()

    def __init__(self) -> None:
        super().__init__(F("public_name"))

    def as_postgresql(self, compiler, connection, **extra_context):
        return self.as_sql(
            compiler, connection, template=f'{FOLD_FUNCTION}(%(expressions)s) COLLATE "C"'
        )


def name_search(queryset: QuerySet, query: str) -> QuerySet:
    """Organisations whose public or legal name contains every word of ``query``, in any case
    and with or without accents ("acme anal" finds "Acme Analytics Ltd")."""
    return folded_search(queryset.alias(search_text=SearchText()), query)


def folded_search(queryset: QuerySet, query: str, *, field: str = "search_text") -> QuerySet:
    """Rows whose ``field``, text already folded by ``charter_fold``, contains every word of
    ``query`` folded alike: :func:`name_search` on a computed field, or on the stored text of
    the directory's search entries (signatories.models.DirectorySearchEntry)."""
    words = query.split()
    if not words:
        return queryset
    match = Q()
    for word in words:
        match &= Q(**{f"{field}__contains": Fold(Value(word))})
    return queryset.filter(match)
