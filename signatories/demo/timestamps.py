"""Backdating the rows ``seed_demo`` has just inserted, so their timestamps tell the story.

``created_at`` fields are ``auto_now_add``: every INSERT writes now, whatever the row says, so
an application started today would show as submitted days earlier. The demo steps insert in
bulk, then give each row its moment with :func:`backdate`.

Django's ``bulk_update`` would do, but it writes one ``CASE WHEN id = … THEN …`` branch per row:
at 10,000 organisations it took longer than the rest of the seeding together. ``UPDATE … FROM
(VALUES …)`` sets a thousand rows by a join instead, and PostgreSQL and SQLite (3.33 and later)
both run it. Imports nothing of the project, so any app's demo step can use it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

from django.db import connection
from django.db.models import Model

# Two parameters a row: 500 rows stay under the 999 parameters of older SQLite builds.
ROWS_PER_UPDATE = 500


def backdate(model: type[Model], field_name: str, moments: Mapping[int, dt.datetime]) -> None:
    """Set ``field_name`` of each row of ``model`` (by primary key) to its moment."""
    quote = connection.ops.quote_name
    table = quote(model._meta.db_table)
    column = quote(model._meta.get_field(field_name).column)
    primary_key = quote(model._meta.pk.column)
    # VALUES columns are called column1, column2 on both databases; PostgreSQL needs their types.
    postgres = connection.vendor == "postgresql"
    moment_value = "v.column2::timestamptz" if postgres else "v.column2"
    key_value = "v.column1::bigint" if postgres else "v.column1"
    rows = list(moments.items())
    with connection.cursor() as cursor:
        for start in range(0, len(rows), ROWS_PER_UPDATE):
            chunk = rows[start : start + ROWS_PER_UPDATE]
            params = []
            for pk, moment in chunk:
                params += [pk, connection.ops.adapt_datetimefield_value(moment)]
            values = ", ".join(["(%s, %s)"] * len(chunk))
            cursor.execute(
                f"UPDATE {table} SET {column} = {moment_value} "
                f"FROM (VALUES {values}) AS v WHERE {table}.{primary_key} = {key_value}",
                params,
            )
