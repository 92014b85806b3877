from __future__ import annotations

import functools
import ipaddress
from urllib.parse import urlsplit

from publicsuffixlist import PublicSuffixList


def website_domain(url: str) -> str:
    """The host of a website URL, lower-cased and without a leading ``www.``.

    Used to spot an organisation that is already a signatory: ``https://WWW.Example.com/about``
    and ``http://example.com`` are the same organisation's website.
    """
    host = (urlsplit(url if "://" in url else f"https://{url}").hostname or "").lower()
    return host.removeprefix("www.")


@functools.cache
def _public_suffix_list() -> PublicSuffixList:
    # The list bundled with the package: reading it never touches the network, and a stale
    # snapshot only matters for suffixes created since, which a duplicate warning can live with.
    return PublicSuffixList()


def registrable_domain(host: str) -> str:
    """The part of a host that an organisation registers: ``jobs.acme.co.uk`` → ``acme.co.uk``.

    Found with the Public Suffix List, so ``co.uk``, ``ac.uk`` and shared hosts such as
    ``github.io`` count as suffixes (``a.github.io`` and ``b.github.io`` stay apart). A host with
    no registrable part (``gov.uk``, ``localhost``, an IP address) gives ``""``.
    """
    host = host.lower().rstrip(".")
    if not host:
        return ""
    try:
        ipaddress.ip_address(host.strip("[]"))
    except ValueError:
        pass
    else:
        return ""
    return _public_suffix_list().privatesuffix(host) or ""
