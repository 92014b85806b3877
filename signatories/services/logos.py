"""Checking and preparing an uploaded logo.

The file's content decides what it is, never its name or the browser's content type. Whatever
arrives, what we store and serve is a PNG at most ``LOGO_MAX_SIDE`` pixels wide or high:

- Raster images (PNG, JPEG, WebP) are opened with Pillow, verified and re-encoded; re-encoding
  also drops anything hidden after the pixels.
- SVGs are rasterised with resvg (``resvg-py``) and then go through the same re-encoding. No SVG
  ever reaches a visitor, so nothing inside one (scripts, ``<set>`` animations rewriting links,
  CSS escapes) can run in their browser: we no longer have to win a race against every way of
  hiding script in SVG.

resvg never fetches anything over the network, but it does read image files from the server's
disk when an ``<image>`` or ``<feImage>`` names a path (``href="/etc/…"``), which would copy a
private file into a public logo. So before rendering we refuse any reference that is not a
fragment inside the same file (``#id``) or an embedded PNG, JPEG, GIF or WebP ``data:`` URL.
We also refuse DOCTYPEs and entity declarations (no entity expansion bombs), and render into a
box of ``LOGO_MAX_SIDE`` pixels so a huge declared canvas cannot exhaust memory.
"""

from __future__ import annotations

import io
import re
import xml.etree.ElementTree as ElementTree
from dataclasses import dataclass

import resvg_py
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from PIL import Image, UnidentifiedImageError

LOGO_MAX_BYTES = 2 * 1024 * 1024
LOGO_MAX_SIDE = 400
RASTER_FORMATS = {"PNG", "JPEG", "WEBP"}
# Decoding a huge canvas costs memory even when the file is small (a "decompression bomb").
MAX_PIXELS = 40_000_000

# Whitespace and control characters that browsers and parsers skip inside URLs ("java&#9;script").
IGNORED_IN_URLS = re.compile(r"[\x00-\x20\x7f]+")
EMBEDDED_RASTER = re.compile(r"^data:image/(png|jpeg|jpg|gif|webp)[;,]", re.IGNORECASE)
REFERENCE_ATTRIBUTES = {"href", "src"}


@dataclass(frozen=True)
class PreparedLogo:
    content: ContentFile
    extension: str  # always "png": see the module docstring


def logo_prepare(upload) -> PreparedLogo:
    """Check an upload and return the PNG to store, or raise ValidationError saying why not."""
    if upload.size > LOGO_MAX_BYTES:
        raise ValidationError(
            f"The logo is {upload.size / 1024 / 1024:.1f} MB; the most we accept is 2 MB."
        )
    data = upload.read()
    upload.seek(0)
    if _looks_like_svg(data):
        data = _rasterised_svg(data)
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


def _rasterised_svg(data: bytes) -> bytes:
    _check_svg(data)
    try:
        png = resvg_py.svg_to_bytes(
            svg_string=data.decode("utf-8-sig"),
            # Both sides given: resvg fits the drawing inside the box, keeping its proportions.
            width=LOGO_MAX_SIDE,
            height=LOGO_MAX_SIDE,
        )
    except (ValueError, UnicodeDecodeError):
        raise ValidationError(
            "We could not draw this SVG logo: it has no size or its content is not valid SVG. "
            "Export it again from your design tool, or upload a PNG."
        ) from None
    with Image.open(io.BytesIO(png)) as rendered:
        if min(rendered.size) < 1:
            raise ValidationError("The SVG logo draws nothing we can show; upload a PNG instead.")
    return png


def _check_svg(data: bytes) -> None:
    lowered = data.lower()
    if b"<!doctype" in lowered or b"<!entity" in lowered:
        raise ValidationError("SVG logos may not contain a DOCTYPE or entity declarations.")
    try:
        root = ElementTree.fromstring(data)
    except ElementTree.ParseError:
        raise ValidationError(
            "The SVG logo is not well-formed XML, so we cannot read it. Export it again from "
            "your design tool, or upload a PNG."
        ) from None
    if _local_name(root.tag) != "svg":
        raise ValidationError("The logo is XML but not an SVG image.")
    for element in root.iter():
        for attribute, value in element.attrib.items():
            if _local_name(attribute).lower() not in REFERENCE_ATTRIBUTES:
                continue
            reference = IGNORED_IN_URLS.sub("", value)
            if not (reference.startswith("#") or EMBEDDED_RASTER.match(reference)):
                raise ValidationError(
                    "SVG logos may not refer to other files or sites; embed every image in the "
                    "SVG itself."
                )


def _local_name(tag: str) -> str:
    # "{namespace}name" -> "name"; xlink:href arrives as "{http://www.w3.org/1999/xlink}href".
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def logos_convert_stored_svgs() -> tuple[list[str], list[str]]:
    """Rasterise the SVG logos stored before uploads were converted on arrival.

    The media view never serves an SVG, so such a logo shows as a broken image until this runs.
    Returns the slugs converted and the slugs whose SVG we refuse (referring to other files, or
    unreadable): those stay stored, unserved, for their admins to upload again.
    """
    from signatories.models import Organisation

    converted, refused = [], []
    for organisation in Organisation.objects.filter(logo__iendswith=".svg").order_by("pk"):
        old_name = organisation.logo.name
        try:
            with organisation.logo.open("rb") as stored:
                prepared = logo_prepare(ContentFile(stored.read()))
        except (ValidationError, OSError):
            refused.append(organisation.slug)
            continue
        storage = organisation.logo.storage
        new_name = storage.save(f"logos/{organisation.slug}.png", prepared.content)
        # A conditional update: a logo uploaded meanwhile wins, and our PNG is thrown away.
        if Organisation.objects.filter(pk=organisation.pk, logo=old_name).update(logo=new_name):
            storage.delete(old_name)
            converted.append(organisation.slug)
        else:
            storage.delete(new_name)
    return converted, refused
