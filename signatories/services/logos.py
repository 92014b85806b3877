"""Checking and preparing an uploaded logo.

The file's content decides what it is, never its name or the browser's content type. Raster
images (PNG, JPEG, WebP) are opened with Pillow, verified, and re-encoded as a PNG at most
``LOGO_MAX_SIDE`` pixels wide or high: re-encoding also drops anything hidden after the pixels.

SVG is the one format Pillow cannot read. We sanitise by refusal rather than by rewriting: the
file must parse as XML without a DOCTYPE or entities (no entity expansion bombs, no external
entities), its root must be ``<svg>``, and any script, ``foreignObject``, event handler
(``on*=``), ``javascript:`` URL or reference to another file or site refuses the upload. An SVG
that passes holds only shapes, text and styles, and is stored unchanged (it is already
resolution-independent, so it needs no resizing).
"""

from __future__ import annotations

import io
import re
import xml.etree.ElementTree as ElementTree
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from PIL import Image, UnidentifiedImageError

LOGO_MAX_BYTES = 2 * 1024 * 1024
LOGO_MAX_SIDE = 400
RASTER_FORMATS = {"PNG", "JPEG", "WEBP"}
# Decoding a huge canvas costs memory even when the file is small (a "decompression bomb").
MAX_PIXELS = 40_000_000

FORBIDDEN_SVG_ELEMENTS = {"script", "foreignobject", "iframe", "embed", "object", "handler"}
URL_IN_STYLE = re.compile(r"url\(\s*['\"]?\s*(?!#)", re.IGNORECASE)
IMPORT_IN_STYLE = re.compile(r"@import", re.IGNORECASE)


@dataclass(frozen=True)
class PreparedLogo:
    content: ContentFile
    extension: str  # "png" or "svg"


def logo_prepare(upload) -> PreparedLogo:
    """Check an upload and return what to store, or raise ValidationError saying why not."""
    if upload.size > LOGO_MAX_BYTES:
        raise ValidationError(
            f"The logo is {upload.size / 1024 / 1024:.1f} MB; the most we accept is 2 MB."
        )
    data = upload.read()
    upload.seek(0)
    if _looks_like_svg(data):
        return PreparedLogo(content=ContentFile(_sanitised_svg(data)), extension="svg")
    return PreparedLogo(content=ContentFile(_resized_raster(data)), extension="png")


def _looks_like_svg(data: bytes) -> bool:
    head = data[:1024].lstrip().lower()
    return head.startswith((b"<?xml", b"<svg")) or b"<svg" in head


def _resized_raster(data: bytes) -> bytes:
    unreadable = ValidationError(
        "The logo must be a PNG, JPEG, SVG or WebP image; this file is not one of them, "
        "whatever its name says."
    )
    try:
        with Image.open(io.BytesIO(data)) as probe:
            image_format = probe.format
            probe.verify()  # checks the file's structure without decoding every pixel
        if image_format not in RASTER_FORMATS:
            raise unreadable
        image = Image.open(io.BytesIO(data))  # verify() leaves the image unusable: reopen
        if image.width * image.height > MAX_PIXELS:
            raise ValidationError("The logo's canvas is too large; upload a smaller image.")
        image.load()
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError):
        raise unreadable from None
    image = image.convert("RGBA")
    image.thumbnail((LOGO_MAX_SIDE, LOGO_MAX_SIDE))
    output = io.BytesIO()
    image.save(output, format="PNG", optimize=True)
    return output.getvalue()


def _sanitised_svg(data: bytes) -> bytes:
    lowered = data.lower()
    if b"<!doctype" in lowered or b"<!entity" in lowered:
        raise ValidationError("SVG logos may not contain a DOCTYPE or entity declarations.")
    try:
        root = ElementTree.fromstring(data)
    except ElementTree.ParseError:
        raise ValidationError(
            "The SVG logo is not well-formed XML, so we cannot check it."
        ) from None
    if _local_name(root.tag) != "svg":
        raise ValidationError("The logo is XML but not an SVG image.")
    for element in root.iter():
        name = _local_name(element.tag).lower()
        if name in FORBIDDEN_SVG_ELEMENTS:
            raise ValidationError(f"SVG logos may not contain <{name}> elements.")
        for attribute, value in element.attrib.items():
            attribute_name = _local_name(attribute).lower()
            stripped = value.strip().lower()
            if attribute_name.startswith("on"):
                raise ValidationError(
                    f"SVG logos may not contain event handlers (found {attribute_name})."
                )
            if attribute_name in {"href", "src"} and not stripped.startswith("#"):
                raise ValidationError("SVG logos may not link to other files or sites.")
            if "javascript:" in stripped.replace(" ", ""):
                raise ValidationError("SVG logos may not contain javascript: links.")
            if attribute_name == "style" and (
                URL_IN_STYLE.search(value) or IMPORT_IN_STYLE.search(value)
            ):
                raise ValidationError("SVG logos may not load other files from their styles.")
        if (
            name == "style"
            and element.text
            and (URL_IN_STYLE.search(element.text) or IMPORT_IN_STYLE.search(element.text))
        ):
            raise ValidationError("SVG logos may not load other files from their styles.")
    return data


def _local_name(tag: str) -> str:
    # "{namespace}name" -> "name"; xlink:href arrives as "{http://www.w3.org/1999/xlink}href".
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""
