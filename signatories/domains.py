from __future__ import annotations

from urllib.parse import urlsplit


def website_domain(url: str) -> str:
    """The host of a website URL, lower-cased and without a leading ``www.``.

    Used to spot an organisation that is already a signatory: ``https://WWW.Example.com/about``
    and ``http://example.com`` are the same organisation's website.
    """
    host = (urlsplit(url if "://" in url else f"https://{url}").hostname or "").lower()
    return host.removeprefix("www.")
