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
We also refuse DOCTYPEs and entity declarations (no entity expansion bombs, parsed with
defusedxml), and render into a box of ``LOGO_MAX_SIDE`` pixels so a huge declared canvas cannot
exhaust memory.

Drawing is bounded twice, because a small file can cost minutes of CPU or crash resvg:

- before drawing, :func:`_check_svg_complexity` counts what the drawing would cost (elements
  with ``<use>`` copies expanded, nesting depth, path data, layers, filters) and refuses a file
  past the limits below, each set from what we measured on a development machine;
- the drawing itself runs in a child process (``svg_render.py``) that is killed after
  ``SVG_RENDER_SECONDS``, which catches whatever costly construct the counts do not foresee.
"""

from __future__ import annotations

import io
import re
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from xml.etree.ElementTree import Element, ParseError

import defusedxml.ElementTree
from defusedxml import DefusedXmlException
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from PIL import Image, UnidentifiedImageError

from signatories.services.svg_render import EXIT_NOT_DRAWABLE

LOGO_MAX_BYTES = 2 * 1024 * 1024
LOGO_MAX_SIDE = 400
RASTER_FORMATS = {"PNG", "JPEG", "WEBP"}
# Decoding a huge canvas costs memory even when the file is small (a "decompression bomb").
MAX_PIXELS = 40_000_000

# Whitespace and control characters that browsers and parsers skip inside URLs ("java&#9;script").
IGNORED_IN_URLS = re.compile(r"[\x00-\x20\x7f]+")
EMBEDDED_RASTER = re.compile(r"^data:image/(png|jpeg|jpg|gif|webp)[;,]", re.IGNORECASE)
REFERENCE_ATTRIBUTES = {"href", "src"}

# The bounds on drawing an SVG (see the module docstring). Figures are resvg's times on a shared
# two-core development machine, drawing into the 400-pixel box.
SVG_RENDER_SECONDS = 3.0  # a typical logo draws in 5-50 ms
SVG_RENDERER = Path(__file__).with_name("svg_render.py")
# Elements drawn, each <use> counted as a copy of what it points at: 5,000 plain rectangles take
# 0.6 s; <use> chains of ten copies of ten copies multiply a small file into millions.
SVG_MAX_ELEMENTS = 5_000
# Nesting, <use> hops included: resvg crashes (stack overflow) at about 500 nested groups.
SVG_MAX_DEPTH = 50
# Characters of path data (d, points) drawn: 160,000 characters of long strokes took 3 s.
SVG_MAX_PATH_DATA = 100_000
# Elements drawn on a layer of their own (opacity, masks, clips, blending): 10 ms each at
# 400 pixels, so 500 of them took 5 s.
SVG_MAX_LAYERS = 100
LAYER_PROPERTIES = {"opacity", "mask", "clip-path", "filter", "mix-blend-mode", "isolation"}
LAYER_NEUTRAL_VALUES = {"", "none", "1", "normal", "auto", "inherit"}
# Filters cost with the size of their region, whatever the file's size: a drop shadow is about
# five primitives, and a blur over the canvas 0.3-1.2 s.
SVG_MAX_FILTERED_ELEMENTS = 10
SVG_MAX_FILTER_PRIMITIVES = 20
# A filter draws over its whole region, and a blur costs with the region's size, not its own:
# over the default region (120 % of the shape) 0.06 s, over 20 times the shape 0.9 s. So a
# region may be at most 3 times the filtered shape's box (or the canvas, in user units).
SVG_MAX_FILTER_REGION = 3
# Filter parameters whose cost grows without bound: feMorphology at radius 50 and
# feTurbulence at 50 octaves ran past 20 s; a 20 × 20 convolution took 4 s.
SVG_FILTER_PARAMETER_LIMITS = {
    ("femorphology", "radius"): 5,
    ("feturbulence", "numOctaves"): 10,
    ("feconvolvematrix", "order"): 5,
}
TOO_COMPLEX = (
    "This SVG is too complex to draw as a logo ({reason}). Simplify it in your design tool, "
    "or upload a PNG."
)


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
    root = _check_svg(data)
    _check_svg_complexity(root)
    png = _render_in_child(data)
    with Image.open(io.BytesIO(png)) as rendered:
        if min(rendered.size) < 1:
            raise ValidationError("The SVG logo draws nothing we can show; upload a PNG instead.")
    return png


def _render_in_child(data: bytes) -> bytes:
    # -I: the child sees neither the project nor PYTHON* variables, only the installed packages.
    command = [
        sys.executable,
        "-I",
        str(SVG_RENDERER),
        str(LOGO_MAX_SIDE),
        str(int(SVG_RENDER_SECONDS) + 1),  # its own CPU limit, should we die before killing it
    ]
    try:
        # run() kills the child when the time is up, and reaps it.
        finished = subprocess.run(
            command, input=data, capture_output=True, timeout=SVG_RENDER_SECONDS, check=False
        )
    except subprocess.TimeoutExpired:
        raise ValidationError(
            TOO_COMPLEX.format(reason=f"drawing it takes more than {SVG_RENDER_SECONDS:g} seconds")
        ) from None
    if finished.returncode == 0 and finished.stdout:
        return finished.stdout
    if finished.returncode == EXIT_NOT_DRAWABLE:
        raise ValidationError(
            "We could not draw this SVG logo: it has no size or its content is not valid SVG. "
            "Export it again from your design tool, or upload a PNG."
        )
    # Killed for CPU or memory, or crashed inside resvg.
    raise ValidationError(TOO_COMPLEX.format(reason="drawing it failed on our server"))


def _check_svg(data: bytes) -> Element:
    try:
        root = defusedxml.ElementTree.fromstring(data, forbid_dtd=True)
    except DefusedXmlException:
        raise ValidationError(
            "SVG logos may not contain a DOCTYPE or entity declarations."
        ) from None
    except ParseError:
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
    return root


@dataclass(frozen=True)
class _DrawingCost:
    elements: int = 0
    depth: int = 0
    path_data: int = 0
    layers: int = 0
    filtered: int = 0


def _check_svg_complexity(root: Element) -> None:
    """Refuse an SVG whose drawing would cost more than the ``SVG_MAX_*`` limits allow.

    Counted as resvg would draw it: each ``<use>`` as a copy of the element it points at, so
    a chain of uses multiplying copies is counted at its full size, without building it.
    Styles set from a ``<style>`` sheet are not counted; the time limit bounds those.
    """
    primitives = 0
    for element in root.iter():
        name = _local_name(element.tag).lower()
        if not name.startswith("fe"):
            continue
        primitives += 1
        for (primitive, attribute), limit in SVG_FILTER_PARAMETER_LIMITS.items():
            if name == primitive and any(
                number > limit for number in _numbers(_attribute(element, attribute))
            ):
                _too_complex(f"a filter with {attribute} above {limit}")
    if primitives > SVG_MAX_FILTER_PRIMITIVES:
        _too_complex(f"{primitives} filter steps, the most we draw is {SVG_MAX_FILTER_PRIMITIVES}")
    canvas = _canvas_size(root)
    for element in root.iter():
        if _local_name(element.tag) == "filter" and _filter_region_scale(element, canvas) > (
            SVG_MAX_FILTER_REGION
        ):
            _too_complex(f"a filter covers more than {SVG_MAX_FILTER_REGION} times its shape")

    by_id = {element.get("id"): element for element in root.iter() if element.get("id")}
    costs: dict[int, _DrawingCost] = {}

    def cost(element: Element, depth: int) -> _DrawingCost:
        if depth > SVG_MAX_DEPTH:
            _too_complex(f"it nests more than {SVG_MAX_DEPTH} levels deep")
        known = costs.get(id(element))
        if known is not None:
            if depth + known.depth - 1 > SVG_MAX_DEPTH:  # reused below a deeper parent
                _too_complex(f"it nests more than {SVG_MAX_DEPTH} levels deep")
            return known
        parts = list(element)
        if _local_name(element.tag) == "use":
            reference = _attribute(element, "href")
            target = by_id.get(reference[1:]) if reference.startswith("#") else None
            if target is not None:
                parts.append(target)
        below = [cost(part, depth + 1) for part in parts]
        total = _DrawingCost(
            elements=1 + sum(part.elements for part in below),
            depth=1 + max((part.depth for part in below), default=0),
            path_data=len(element.get("d", ""))
            + len(element.get("points", ""))
            + sum(part.path_data for part in below),
            layers=_needs_layer(element) + sum(part.layers for part in below),
            filtered=_has_filter(element) + sum(part.filtered for part in below),
        )
        if total.elements > SVG_MAX_ELEMENTS:
            _too_complex(f"more than {SVG_MAX_ELEMENTS:,} shapes to draw")
        if total.path_data > SVG_MAX_PATH_DATA:
            _too_complex(f"more than {SVG_MAX_PATH_DATA:,} characters of path data")
        if total.layers > SVG_MAX_LAYERS:
            _too_complex(f"more than {SVG_MAX_LAYERS} transparent, masked or clipped parts")
        if total.filtered > SVG_MAX_FILTERED_ELEMENTS:
            _too_complex(f"more than {SVG_MAX_FILTERED_ELEMENTS} filtered parts")
        costs[id(element)] = total
        return total

    cost(root, 1)


def _too_complex(reason: str) -> None:
    raise ValidationError(TOO_COMPLEX.format(reason=reason))


def _attribute(element: Element, name: str) -> str:
    """An attribute by its local name, whatever its namespace (``href`` or ``xlink:href``)."""
    for attribute, value in element.attrib.items():
        if _local_name(attribute).lower() == name.lower():
            return value.strip()
    return ""


def _presentation(element: Element) -> dict[str, str]:
    """The element's presentation attributes and inline style properties, by lower-case name."""
    properties = {
        _local_name(name).lower(): value.strip().lower() for name, value in element.attrib.items()
    }
    for declaration in element.get("style", "").split(";"):
        name, _, value = declaration.partition(":")
        if value:
            properties[name.strip().lower()] = value.strip().lower()
    return properties


def _needs_layer(element: Element) -> int:
    properties = _presentation(element)
    return int(
        any(properties.get(name, "") not in LAYER_NEUTRAL_VALUES for name in LAYER_PROPERTIES)
    )


def _has_filter(element: Element) -> int:
    return int(_presentation(element).get("filter", "none") not in LAYER_NEUTRAL_VALUES)


def _canvas_size(root: Element) -> tuple[float, float] | None:
    """The root's size in user units (its viewBox, else its width and height), if it says."""
    view_box = _numbers(root.get("viewBox", ""))
    if len(view_box) == 4:
        return view_box[2], view_box[3]
    sides = [_numbers(root.get(side, "").removesuffix("px")) for side in ("width", "height")]
    if all(len(side) == 1 for side in sides):
        return sides[0][0], sides[1][0]
    return None


def _filter_region_scale(element: Element, canvas: tuple[float, float] | None) -> float:
    """How many times the filtered shape (or the canvas, in user units) its region spans."""
    in_user_units = element.get("filterUnits", "").strip() == "userSpaceOnUse"
    scale = 0.0
    for axis, side in enumerate(("width", "height")):
        value = element.get(side, "").strip()
        if value.endswith("%"):
            numbers = _numbers(value[:-1])
            ratio = numbers[0] / 100 if numbers else 0.0
        elif (numbers := _numbers(value.removesuffix("px"))) and not in_user_units:
            ratio = numbers[0]
        elif numbers and canvas and canvas[axis] > 0:
            ratio = numbers[0] / canvas[axis]
        else:
            ratio = 0.0  # unset (the default 120 %) or unmeasurable: left to the time limit
        scale = max(scale, abs(ratio))
    return scale


def _numbers(text: str) -> list[float]:
    numbers = []
    for word in re.split(r"[\s,]+", text.strip()):
        try:
            numbers.append(float(word))
        except ValueError:
            continue
    return numbers


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
