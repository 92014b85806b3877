"""All-or-nothing CSV imports: read every row, collect every error, write nothing unless all
rows are good.

The machinery is shared by every import (signatories now, submitted returns next): a file is
decoded (UTF-8, with or without the BOM a spreadsheet adds), its header checked against the
columns the import knows, and each row handed to the import's own parser as a dict. Errors are
collected, never raised one at a time, so the person fixing the file sees all of them at once,
each with its row number as a spreadsheet shows it (the header is row 1) and its column.

The staff upload pages share their preview-then-confirm step here too: the uploaded bytes are
kept in the session under their SHA-256 (``upload_keep``), and the confirm form carries that
digest and the preview's fingerprint, so a confirm imports exactly the previewed file.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
from base64 import b64decode, b64encode
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from django import forms
from django.contrib import messages
from django.db import models

# The largest file an import accepts. 10,000 signatories are about 1.5 MB; the limit leaves
# room for longer names without letting an upload fill the memory of a web worker.
MAX_IMPORT_BYTES = 5 * 1024 * 1024


@dataclass(frozen=True, order=True)
class RowError:
    """One problem: ``row`` as a spreadsheet numbers it (header = 1, 0 for the whole file)."""

    row: int
    column: str
    message: str

    def __str__(self) -> str:
        where = f"Row {self.row}" if self.row else "File"
        return (
            f"{where}, column {self.column}: {self.message}"
            if self.column
            else (f"{where}: {self.message}")
        )


class ImportFileError(Exception):
    """The file cannot be read at all (size, encoding, not a CSV): nothing else is checked."""


@dataclass
class CsvRows:
    """The rows of a file whose header is good, each a dict keyed by column, with its number."""

    columns: list[str]
    rows: list[tuple[int, dict[str, str]]] = field(default_factory=list)


def decode_csv(content: bytes, *, max_bytes: int = MAX_IMPORT_BYTES) -> str:
    """The file's text, or ImportFileError saying why it cannot be read."""
    if len(content) > max_bytes:
        raise ImportFileError(
            f"The file is {len(content) / 1024 / 1024:.1f} MB; the largest accepted is "
            f"{max_bytes / 1024 / 1024:.0f} MB. Split it into smaller files."
        )
    if not content.strip():
        raise ImportFileError("The file is empty.")
    try:
        # utf-8-sig drops the byte order mark Excel writes at the start of a "CSV UTF-8" file.
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise ImportFileError(
            f"The file is not UTF-8 text (byte {error.start + 1} cannot be read). In a "
            "spreadsheet, save it as “CSV UTF-8 (comma delimited)”."
        ) from None
    if "\x00" in text:
        raise ImportFileError("The file is not a CSV file: it contains binary data.")
    return text


def read_csv(
    text: str,
    *,
    required: Sequence[str],
    optional: Sequence[str] = (),
    errors: list[RowError],
) -> CsvRows | None:
    """The rows, or None with the header's problems added to ``errors``.

    Column names are compared without surrounding spaces and case, as people type them in a
    spreadsheet; an unknown column is an error rather than silently ignored, since it is most
    often a misspelt known one whose values would otherwise be lost.
    """
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = next(reader)
    except (StopIteration, csv.Error):
        errors.append(RowError(1, "", "The file has no header row."))
        return None
    columns = [name.strip().lower() for name in header]
    known = set(required) | set(optional)
    for index, name in enumerate(columns):
        if name not in known:
            errors.append(
                RowError(
                    1, name or f"#{index + 1}", f"Unknown column. Expected: {', '.join(required)}."
                )
            )
        elif columns.index(name) != index:
            errors.append(RowError(1, name, "This column appears twice."))
    for name in required:
        if name not in columns:
            errors.append(RowError(1, name, "This required column is missing."))
    if errors:
        return None
    result = CsvRows(columns=columns)
    try:
        for line_number, values in enumerate(reader, start=2):
            if not any(value.strip() for value in values):
                continue  # blank lines at the end of a spreadsheet export
            if len(values) != len(columns):
                errors.append(
                    RowError(
                        line_number,
                        "",
                        f"The row has {len(values)} values; the header has {len(columns)}.",
                    )
                )
                continue
            result.rows.append(
                (
                    line_number,
                    {name: value.strip() for name, value in zip(columns, values, strict=True)},
                )
            )
    except csv.Error as error:
        errors.append(RowError(reader.line_num, "", f"The file is not valid CSV: {error}."))
        return None
    if not result.rows and not errors:
        errors.append(RowError(0, "", "The file has a header but no rows."))
    return result


class RowParser:
    """Reads one row's values, recording each problem instead of stopping at the first."""

    def __init__(self, row: int, values: dict[str, str], errors: list[RowError]) -> None:
        self.row, self.values, self.errors = row, values, errors
        self.ok = True

    def error(self, column: str, message: str) -> None:
        self.ok = False
        self.errors.append(RowError(self.row, column, message))

    def text(self, column: str, *, required: bool = True, max_length: int | None = None) -> str:
        value = self.values.get(column, "")
        if required and not value:
            self.error(column, "A value is required.")
        elif max_length is not None and len(value) > max_length:
            self.error(column, f"At most {max_length} characters; this has {len(value)}.")
        return value

    def positive_int(self, column: str) -> int | None:
        value = self.values.get(column, "")
        if not value:
            self.error(column, "A value is required.")
            return None
        if not value.isdigit() or int(value) < 1:
            self.error(column, f"“{value}” is not a whole number of 1 or more.")
            return None
        return int(value)

    def count(self, column: str, *, required: bool = True) -> int | None:
        """A whole number of people, 0 or more; None when empty (and allowed to be)."""
        value = self.values.get(column, "")
        if not value:
            if required:
                self.error(column, "A value is required (0 if none).")
            return None
        if not value.isdigit():
            self.error(column, f"“{value}” is not a whole number of 0 or more.")
            return None
        return int(value)

    def date(self, column: str) -> dt.date | None:
        value = self.values.get(column, "")
        if not value:
            self.error(column, "A value is required.")
            return None
        if len(value) == 10 and value[4] == "-":
            # The usual YYYY-MM-DD, read without strptime (which dominates a 50,000-row file).
            try:
                return dt.date.fromisoformat(value)
            except ValueError:
                pass
        for pattern in ("%Y-%m-%d", "%d/%m/%Y"):
            try:
                return dt.datetime.strptime(value, pattern).date()
            except ValueError:
                continue
        self.error(column, f"“{value}” is not a date: write it as YYYY-MM-DD (2024-03-01).")
        return None

    def choice(self, column: str, choices: type[models.TextChoices]) -> str:
        value = self.values.get(column, "")
        if not value:
            self.error(column, "A value is required.")
        elif value not in choices.values:
            self.error(column, f"Unknown code “{value}”. Use one of: {', '.join(choices.values)}.")
        return value


class ConfirmImportForm(forms.Form):
    """The confirm step of an upload page: which previewed file, and which plan it showed."""

    digest = forms.CharField(widget=forms.HiddenInput, max_length=64, min_length=64)
    fingerprint = forms.CharField(widget=forms.HiddenInput, max_length=64, min_length=64)


def upload_keep(session, key: str, content: bytes) -> str:
    """Keep an uploaded file in the session between its preview and the confirm; its SHA-256.

    The confirm then imports exactly the bytes that were previewed, not a second upload that
    could differ from what the staff member looked at.
    """
    digest = hashlib.sha256(content).hexdigest()
    session[key] = {"digest": digest, "content": b64encode(content).decode()}
    return digest


def upload_kept(session, key: str, digest: str) -> bytes | None:
    """The file kept under ``key`` if it is the one with ``digest``, else None (expired)."""
    stored = session.get(key)
    if not stored or stored.get("digest") != digest:
        return None
    content = b64decode(stored["content"])
    return content if hashlib.sha256(content).hexdigest() == digest else None


@dataclass
class UploadStep:
    """What an upload page shows after a preview: its context and its status."""

    context: dict
    status: int = 200


def upload_preview(request, form, *, plan_for, session_key: str) -> UploadStep:
    """Check an uploaded CSV and plan its import without writing anything (``plan_for(bytes)``
    returns a plan with ``ok`` and ``fingerprint()``). A good file is kept in the session for
    the confirm, which then imports exactly these bytes."""
    if not form.is_valid():
        return UploadStep({"form": form}, status=400)
    upload = form.cleaned_data["file"]
    if upload.size > MAX_IMPORT_BYTES:
        form.add_error(
            "file",
            f"The file is {upload.size / 1024 / 1024:.1f} MB; the largest accepted is "
            f"{MAX_IMPORT_BYTES // 1024 // 1024} MB.",
        )
        return UploadStep({"form": form}, status=400)
    content = upload.read()
    try:
        plan = plan_for(content)
    except ImportFileError as error:
        form.add_error("file", str(error))
        return UploadStep({"form": form}, status=400)
    if not plan.ok:
        request.session.pop(session_key, None)
        return UploadStep({"form": form, "plan": plan, "filename": upload.name}, status=400)
    digest = upload_keep(request.session, session_key, content)
    confirm = ConfirmImportForm(initial={"digest": digest, "fingerprint": plan.fingerprint()})
    return UploadStep(
        {"form": type(form)(), "plan": plan, "filename": upload.name, "confirm": confirm}
    )


def upload_confirm(request, *, apply, refused: type[Exception], session_key: str, done: str):
    """Import the file kept by ``upload_preview`` if its plan is still the one previewed
    (``apply(bytes, expected_fingerprint=...)`` raises ``refused`` otherwise); the outcome is
    left in the messages, and the caller redirects back to its page."""
    confirm = ConfirmImportForm(request.POST)
    content = (
        upload_kept(request.session, session_key, confirm.cleaned_data["digest"])
        if confirm.is_valid()
        else None
    )
    if content is None:
        messages.error(request, "That preview has expired: upload the file again.")
        return
    try:
        plan = apply(content, expected_fingerprint=confirm.cleaned_data["fingerprint"])
    except refused as error:
        messages.error(request, str(error))
        return
    request.session.pop(session_key, None)
    messages.success(request, f"{done}: {plan.summary()}.")


def duplicates(keyed: Iterable[tuple[int, object]]) -> dict[object, list[int]]:
    """The keys seen on more than one row, each with its rows."""
    seen: dict[object, list[int]] = {}
    for row, key in keyed:
        seen.setdefault(key, []).append(row)
    return {key: rows for key, rows in seen.items() if len(rows) > 1}
