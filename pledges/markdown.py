"""Markdown for shared practices, rendered then sanitised.

``markdown`` turns the text into HTML (raw HTML in the text passes through it, as Markdown
allows); ``nh3`` (the Rust ammonia sanitiser) then keeps only an allow-list of tags and
attributes, drops scripts, styles and event handlers, and keeps only http(s) and mailto links.
"""

from __future__ import annotations

import markdown as markdown_lib
import nh3
from django.utils.safestring import SafeString, mark_safe

ALLOWED_TAGS = {
    "p", "br", "strong", "em", "b", "i", "ul", "ol", "li", "blockquote", "code", "pre",
    "h2", "h3", "h4", "a", "hr", "table", "thead", "tbody", "tr", "th", "td",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}}


def markdown_to_safe_html(text: str) -> SafeString:
    html = markdown_lib.markdown(text, extensions=["extra", "sane_lists"], output_format="html")
    cleaned = nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener nofollow ugc",
    )
    return mark_safe(cleaned)
