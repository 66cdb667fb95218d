"""URL canonicalization: one spelling for every address under which the same article is served.

Two URLs that differ only by scheme, a ``www.``/``m.``/``amp.`` host prefix, an AMP path, tracking
parameters, parameter order, a default port, a trailing slash, ``index.html`` or a fragment name the same
article. Anything else (a different path, a meaningful query such as ``?id=12``) is kept.
"""

from __future__ import annotations

import re
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

#: Query parameters that only track where a click came from (analytics, ads, newsletters, social sites).
TRACKING_PARAMS = frozenset(
    {
        "fbclid", "gclid", "dclid", "gbraid", "wbraid", "msclkid", "yclid", "mc_cid", "mc_eid", "igshid",
        "_ga", "_gl", "ref", "ref_src", "ref_url", "referrer", "cmpid", "cmp", "ito", "ncid", "ocid", "smid",
        "sr_share", "sharetype", "taid", "xtor", "spm", "outputtype",
        "amp", "__twitter_impression", "s_cid", "intcmp", "icid", "mbid",
    }
)
_TRACKING_PREFIXES = ("utm_", "pk_", "hsa_", "mtm_", "at_", "oly_", "vero_")
_HOST_PREFIX_RE = re.compile(r"^(?:www\d*|m|mobile|amp)\.")
_AMP_PATH_RE = re.compile(r"(?:/amp/?$|\.amp(?=\.html?$)|/amp\.html?$)", re.I)
_INDEX_RE = re.compile(r"/(?:index|default)\.(?:html?|php|aspx?)$", re.I)


def canonical_url(url: str | None) -> str | None:
    """The canonical spelling of ``url`` (None for a missing or non-web URL)."""
    if not url:
        return None
    url = url.strip()
    try:
        parts = urlsplit(url)
    except ValueError:
        return None
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        return None
    host = _HOST_PREFIX_RE.sub("", parts.hostname.lower().rstrip("."))
    try:
        port = parts.port
    except ValueError:
        port = None
    if port and port not in (80, 443):
        host = f"{host}:{port}"
    path = re.sub(r"/{2,}", "/", parts.path or "/")
    path = _AMP_PATH_RE.sub("", path)
    path = _INDEX_RE.sub("/", path)
    if len(path) > 1:
        path = path.rstrip("/")
    query = [
        (k, v)
        for k, v in parse_qsl(parts.query, keep_blank_values=True)
        if k.lower() not in TRACKING_PARAMS and not k.lower().startswith(_TRACKING_PREFIXES)
    ]
    return urlunsplit(("https", host, path or "/", urlencode(sorted(query)), ""))
