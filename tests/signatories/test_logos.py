"""Logo uploads become PNGs, whatever arrives; uploaded media are served safely with DEBUG off."""

from __future__ import annotations

import base64
import io
import time

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from PIL import Image

from signatories.services import logos

PROFILE = {
    "public_name": "Acme Analytics",
    "description": "We analyse things.",
    "website": "https://acme.example",
    "sector": "software",
    "size_band": "50-249",
    "region": "london",
}
SVG_NS = b'xmlns="http://www.w3.org/2000/svg"'
PLAIN_SVG = (
    b'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10">'
    b'<rect width="10" height="10" fill="#3b1f6e"/></svg>'
)
# Two payloads that passed the old SVG blocklist, which stripped known-bad tags and attributes
# before logos were rasterised to PNG: one sets a javascript: link through an animation, the
# other fetches a remote URL through a CSS escape.
SET_ANIMATION_PAYLOAD = (
    b'<svg xmlns="http://www.w3.org/2000/svg" width="100" height="100">'
    b'<a id="x"><rect width="100" height="100" fill="red"/>'
    b'<set attributeName="href" to="java&#9;script:alert(1)"/></a></svg>'
)
CSS_ESCAPE_PAYLOAD = (
    b'<svg xmlns="http://www.w3.org/2000/svg" width="100" height="100">'
    b'<rect width="100" height="100" style="fill:\\75 rl(https://x.example/track)"/></svg>'
)
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


@pytest.fixture(autouse=True)
def media_in_tmp(tmp_path):
    media_root = tmp_path / "media"
    media_root.mkdir()
    with override_settings(MEDIA_ROOT=media_root):
        yield media_root


def upload(client, content: bytes, name="logo.svg", content_type="image/svg+xml"):
    return client.post(
        "/dashboard/acme-analytics/profile/",
        {**PROFILE, "logo_upload": SimpleUploadedFile(name, content, content_type=content_type)},
    )


def png_data_url(colour: str) -> bytes:
    output = io.BytesIO()
    Image.new("RGB", (20, 20), colour).save(output, format="PNG")
    return b"data:image/png;base64," + base64.b64encode(output.getvalue())


# --- Uploads ------------------------------------------------------------------------------------


@pytest.mark.parametrize("payload", [SET_ANIMATION_PAYLOAD, CSS_ESCAPE_PAYLOAD])
def test_an_svg_that_slipped_past_the_old_checks_reaches_visitors_only_as_a_png(
    client, alice, acme_workspace, payload
):
    client.force_login(alice)

    response = upload(client, payload)

    assert response.status_code == 302
    acme_workspace.refresh_from_db()
    assert acme_workspace.logo.name.endswith(".png")
    stored = acme_workspace.logo.read()
    assert stored.startswith(PNG_SIGNATURE) and b"<svg" not in stored
    profile = client.get("/signatories/acme-analytics/").content.decode()
    assert f'src="{acme_workspace.logo.url}"' in profile
    served = client.get(acme_workspace.logo.url)
    assert served["Content-Type"] == "image/png"
    assert b"".join(served.streaming_content) == stored


def test_a_plain_svg_logo_becomes_a_png_sized_for_display(client, alice, acme_workspace):
    client.force_login(alice)

    response = upload(client, PLAIN_SVG)

    assert response.status_code == 302
    acme_workspace.refresh_from_db()
    with Image.open(acme_workspace.logo.path) as stored:
        assert stored.format == "PNG"
        assert stored.size == (400, 400)
        assert stored.convert("RGB").getpixel((200, 200)) == (0x3B, 0x1F, 0x6E)


def test_a_wide_or_huge_svg_is_drawn_inside_the_display_box(client, alice, acme_workspace):
    client.force_login(alice)
    huge = (
        b'<svg xmlns="http://www.w3.org/2000/svg" width="4000000" height="1000000">'
        b'<rect width="4000000" height="1000000" fill="#3b1f6e"/></svg>'
    )

    response = upload(client, huge)

    assert response.status_code == 302
    acme_workspace.refresh_from_db()
    with Image.open(acme_workspace.logo.path) as stored:
        assert stored.size == (400, 100)


def test_an_svg_may_embed_its_own_raster_images(client, alice, acme_workspace):
    client.force_login(alice)
    embedded = (
        b'<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" '
        b'viewBox="0 0 20 20"><image width="20" height="20" xlink:href="'
        + png_data_url("lime")
        + b'"/></svg>'
    )

    response = upload(client, embedded)

    assert response.status_code == 302
    acme_workspace.refresh_from_db()
    with Image.open(acme_workspace.logo.path) as stored:
        assert stored.convert("RGB").getpixel((200, 200)) == (0, 255, 0)


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b'<svg xmlns="http://www.w3.org/2000/svg"><rect></svg>', "not well-formed XML"),
        (
            b'<?xml version="1.0"?><!DOCTYPE svg [<!ENTITY a "aaaa">]>'
            b'<svg xmlns="http://www.w3.org/2000/svg">&a;</svg>',
            "DOCTYPE",
        ),
        (b'<svg xmlns="http://www.w3.org/2000/svg" width="0" height="0"></svg>', "draw"),
        (b'<?xml version="1.0"?><html><body>hello</body></html>', "not an SVG image"),
    ],
)
def test_a_malformed_svg_is_refused_with_a_message(client, alice, acme_workspace, content, message):
    client.force_login(alice)

    response = upload(client, content)

    assert response.status_code == 400
    page = response.content.decode()
    assert message in page
    assert 'value="We analyse things."' in page or "We analyse things." in page  # kept
    acme_workspace.refresh_from_db()
    assert not acme_workspace.logo
    assert acme_workspace.description == "Acme Analytics builds software."  # nothing saved


# --- SVGs too costly to draw -----------------------------------------------------------------


def svg(body: str, *, view_box: str = "0 0 100 100") -> bytes:
    return f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="{view_box}">{body}</svg>'.encode()


def blur_filter(region: str = "", steps: int = 1) -> str:
    blurs = '<feGaussianBlur stdDeviation="1e9"/>' * steps
    return f'<filter id="f" {region}>{blurs}</filter>'


# Each of these is refused before resvg sees it; without the checks each one held the drawing
# process for 5 s to minutes on a development machine, or crashed it.
CRAFTED_SVGS = {
    # A few hundred nested groups overflow resvg's stack and kill the process.
    "nesting bomb": (svg("<g>" * 1000 + '<rect width="9" height="9"/>' + "</g>" * 1000), "nests"),
    # Blur costs by the filter's region: here 2,000 times the shape, blurred without end.
    "huge blur": (
        svg(
            blur_filter('x="-1000" y="-1000" width="2000" height="2000"')
            + '<rect width="100" height="100" filter="url(#f)"/>'
        ),
        "a filter covers more",
    ),
    "huge blur in user units": (
        svg(
            blur_filter('filterUnits="userSpaceOnUse" x="-1e6" y="-1e6" width="2e6" height="2e6"')
            + '<rect width="100" height="100" filter="url(#f)"/>'
        ),
        "a filter covers more",
    ),
    "many elements": (svg('<rect width="10" height="10" fill="red"/>' * 20_000), "shapes"),
    # 10 copies of 10 copies … of a rectangle: a million shapes from a 2 KB file.
    "use chain": (
        svg(
            '<defs><rect id="u0" width="1" height="1"/>'
            + "".join(
                f'<g id="u{level}">' + f'<use href="#u{level - 1}"/>' * 10 + "</g>"
                for level in range(1, 7)
            )
            + '</defs><use href="#u6"/>'
        ),
        "shapes",
    ),
    "many transparent layers": (
        svg('<rect width="100" height="100" opacity="0.5"/>' * 500),
        "transparent, masked or clipped",
    ),
    "many filtered shapes": (
        svg(blur_filter() + '<rect width="100" height="100" style="filter:url(#f)"/>' * 50),
        "filtered parts",
    ),
    "turbulence octaves": (
        svg(
            '<filter id="f"><feTurbulence baseFrequency="0.05" numOctaves="100000"/></filter>'
            '<rect width="100" height="100" filter="url(#f)"/>'
        ),
        "a filter with numOctaves above 10",
    ),
    "morphology radius": (
        svg(
            '<filter id="f"><feMorphology radius="100000"/></filter>'
            '<rect width="100" height="100" filter="url(#f)"/>'
        ),
        "a filter with radius above 5",
    ),
    "long path data": (
        svg(
            '<path stroke="black" fill="none" d="M0 0 '
            + " ".join(f"L{i % 100} {i * 7 % 100}" for i in range(50_000))
            + '"/>'
        ),
        "characters of path data",
    ),
}


@pytest.mark.parametrize("name", CRAFTED_SVGS)
def test_a_crafted_svg_is_refused_quickly_as_too_complex_and_nothing_saved(
    client, alice, acme_workspace, name
):
    content, reason = CRAFTED_SVGS[name]
    client.force_login(alice)

    started = time.monotonic()
    response = upload(client, content)
    elapsed = time.monotonic() - started

    assert response.status_code == 400
    page = response.content.decode()
    assert "This SVG is too complex to draw as a logo" in page
    assert reason in page
    assert elapsed < 1.5, elapsed  # refused from the counts, without drawing
    acme_workspace.refresh_from_db()
    assert not acme_workspace.logo
    assert acme_workspace.description == "Acme Analytics builds software."


def test_an_svg_within_every_count_but_slow_to_draw_is_stopped_by_the_time_limit(
    client, alice, acme_workspace
):
    # Ten shapes (the most allowed) through a filter of twenty blurs (the most allowed) over a
    # region of three times each shape (the most allowed): 200 full-canvas blurs, which took
    # well over a minute to draw here.
    content = svg(
        blur_filter('x="-1" y="-1" width="3" height="3"', steps=logos.SVG_MAX_FILTER_PRIMITIVES)
        + '<rect width="100" height="100" filter="url(#f)"/>' * logos.SVG_MAX_FILTERED_ELEMENTS
    )
    client.force_login(alice)

    started = time.monotonic()
    response = upload(client, content)
    elapsed = time.monotonic() - started

    assert response.status_code == 400
    assert "This SVG is too complex to draw as a logo" in response.content.decode()
    assert "drawing it takes more than 3 seconds" in response.content.decode()
    assert logos.SVG_RENDER_SECONDS <= elapsed < logos.SVG_RENDER_SECONDS + 2
    acme_workspace.refresh_from_db()
    assert not acme_workspace.logo


def test_a_crash_while_drawing_leaves_this_process_standing():
    # The nesting bomb, past the counts, straight to the drawing process: resvg overflows its
    # stack and dies there; here we only get the message.
    nesting_bomb, _ = CRAFTED_SVGS["nesting bomb"]

    with pytest.raises(ValidationError, match="too complex to draw as a logo"):
        logos._render_in_child(nesting_bomb)


def test_a_logo_with_the_usual_effects_is_still_drawn(client, alice, acme_workspace):
    shadow = (
        '<filter id="shadow" x="-20%" y="-20%" width="140%" height="140%">'
        '<feGaussianBlur in="SourceAlpha" stdDeviation="2"/><feOffset dx="2" dy="2"/>'
        '<feFlood flood-color="#000" flood-opacity="0.3"/>'
        '<feComposite operator="in" in2="SourceAlpha"/>'
        '<feMerge><feMergeNode/><feMergeNode in="SourceGraphic"/></feMerge></filter>'
    )
    content = svg(
        f"<defs>{shadow}"
        '<linearGradient id="g"><stop offset="0" stop-color="#3b1f6e"/>'
        '<stop offset="1" stop-color="#6e3b1f"/></linearGradient>'
        '<clipPath id="c"><circle cx="50" cy="50" r="45"/></clipPath></defs>'
        '<g filter="url(#shadow)">'
        '<rect x="5" y="5" width="90" height="90" rx="10" fill="url(#g)"/></g>'
        '<g clip-path="url(#c)" opacity="0.8">'
        '<path d="M0 50 Q50 0 100 50 T200 50" fill="#fff"/></g>'
        '<text x="50" y="60" font-family="DejaVu Sans" font-size="20" text-anchor="middle">'
        "AA</text>"
    )
    client.force_login(alice)

    response = upload(client, content)

    assert response.status_code == 302
    acme_workspace.refresh_from_db()
    with Image.open(acme_workspace.logo.path) as stored:
        assert stored.format == "PNG"
        assert stored.size == (400, 400)
        assert stored.convert("RGB").getpixel((60, 200))[2] > 0x40  # the gradient's purple


@pytest.mark.parametrize(
    "reference",
    [
        b"/etc/secret.png",
        b"file:///etc/secret.png",
        b"secret.png",
        b"https://tracker.example/pixel.png",
        b"&#9;/etc/secret.png",
        b"data:image/svg+xml;base64,PHN2Zz48L3N2Zz4=",
    ],
)
def test_an_svg_referring_to_another_file_is_refused_before_it_is_drawn(
    client, alice, acme_workspace, reference
):
    # resvg reads <image> files from the server's disk: a logo must never copy one out.
    client.force_login(alice)
    content = (
        b'<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" '
        b'width="10" height="10"><image width="10" height="10" xlink:href="'
        + reference
        + b'"/></svg>'
    )

    response = upload(client, content)

    assert response.status_code == 400
    assert "may not refer to other files or sites" in response.content.decode()
    acme_workspace.refresh_from_db()
    assert not acme_workspace.logo


# --- Serving uploaded media ---------------------------------------------------------------------


def test_a_logo_is_served_with_debug_off(
    client, db, settings, media_in_tmp, django_assert_num_queries
):
    settings.DEBUG = False
    (media_in_tmp / "logos").mkdir()
    (media_in_tmp / "logos" / "acme.png").write_bytes(PNG_SIGNATURE + b"pixels")

    with django_assert_num_queries(0):
        response = client.get("/media/logos/acme.png")

    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "sandbox" in response["Content-Security-Policy"]
    assert "default-src 'none'" in response["Content-Security-Policy"]
    assert "max-age=31536000" in response["Cache-Control"]
    assert b"".join(response.streaming_content) == PNG_SIGNATURE + b"pixels"


@pytest.mark.parametrize(
    "path",
    [
        "/media/../secret.png",
        "/media/logos/../../secret.png",
        "/media/logos/%2e%2e/%2e%2e/secret.png",
        "/media/{absolute_secret}",
    ],
)
def test_a_path_outside_the_media_folder_is_404(client, settings, media_in_tmp, path):
    settings.DEBUG = False
    secret = media_in_tmp.parent / "secret.png"
    secret.write_bytes(PNG_SIGNATURE + b"secret")
    (media_in_tmp / "logos").mkdir()

    response = client.get(path.format(absolute_secret=secret))

    assert response.status_code == 404


@pytest.mark.parametrize("name", ["old.svg", "page.html", "missing.png"])
def test_only_existing_raster_images_are_served(client, settings, media_in_tmp, name):
    settings.DEBUG = False
    (media_in_tmp / "logos").mkdir()
    for stored in ("old.svg", "page.html"):
        (media_in_tmp / "logos" / stored).write_text("<svg onload='alert(1)'/>")

    response = client.get(f"/media/logos/{name}")

    assert response.status_code == 404


def test_media_refuses_anything_but_reading(client, media_in_tmp):
    (media_in_tmp / "logos").mkdir()
    (media_in_tmp / "logos" / "acme.png").write_bytes(PNG_SIGNATURE)

    assert client.post("/media/logos/acme.png").status_code == 405


# --- Logos stored as SVG before uploads were rasterised -----------------------------------------


def test_stored_svg_logos_are_converted_and_unsafe_ones_left_unserved(
    client, acme, globex, media_in_tmp
):
    from django.core.management import call_command

    from signatories.models import Organisation

    (media_in_tmp / "logos").mkdir()
    (media_in_tmp / "logos" / "acme-analytics.svg").write_bytes(PLAIN_SVG)
    unsafe = b'<svg xmlns="http://www.w3.org/2000/svg"><image href="/etc/x.png"/></svg>'
    (media_in_tmp / "logos" / "globex.svg").write_bytes(unsafe)
    Organisation.objects.filter(pk=acme.pk).update(logo="logos/acme-analytics.svg")
    Organisation.objects.filter(pk=globex.pk).update(logo="logos/globex.svg")
    output = io.StringIO()

    call_command("logos_convert_svgs", stdout=output)

    acme.refresh_from_db()
    globex.refresh_from_db()
    assert acme.logo.name.endswith(".png")
    assert not (media_in_tmp / "logos" / "acme-analytics.svg").exists()
    with Image.open(acme.logo.path) as stored:
        assert stored.format == "PNG" and stored.size == (400, 400)
    assert globex.logo.name == "logos/globex.svg"
    assert client.get("/media/logos/globex.svg").status_code == 404
    assert "Converted 1 SVG logo(s) to PNG." in output.getvalue()
    assert "Left unconverted (ask its admins for a new logo): globex" in output.getvalue()
