"""Marketplace links in members' messages, reduced to the key of the listing or storefront.

Members paste links to counterfeit listings on Alibaba's marketplaces, usually inside prose.
Each link is parsed to an `ItemKey` with one canonical URL, left unresolved (short links, which
only the marketplace can expand) or rejected with a sentence telling the member what to paste
instead, in the reader's language. No I/O; no input string makes these functions raise.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TypeAlias
from urllib.parse import unquote

from handlers.kit.i18n import N_, _
from storage.vocabulary import ItemKind, Platform

MAX_ID_DIGITS = 20
_FULL_WIDTH_DIGITS = str.maketrans("０１２３４５６７８９", "0123456789")


@dataclass(frozen=True, slots=True)
class ItemKey:
    """What a link points at: every link to the same listing or storefront has the same key."""

    platform: Platform
    kind: ItemKind
    external_id: str  # digits; "u" + digits for a Taobao seller; the company label on Alibaba.com


@dataclass(frozen=True, slots=True)
class ParsedLink:
    """A link to a listing or storefront; `original` is the link as the member wrote it."""

    original: str
    key: ItemKey
    canonical_url: str


@dataclass(frozen=True, slots=True)
class UnresolvedLink:
    """A short link: only the marketplace knows where it leads."""

    original: str
    platform: Platform | None  # None when the short-link service serves Taobao and Tmall alike
    reason: str


@dataclass(frozen=True, slots=True)
class RejectedLink:
    """A link that names nothing reportable; `reason` tells the member what to paste instead."""

    original: str
    reason: str


LinkResult: TypeAlias = ParsedLink | UnresolvedLink | RejectedLink


@dataclass(frozen=True, slots=True)
class Extraction:
    """Every link found in a text, by outcome, each in order of appearance, duplicates kept."""

    parsed: tuple[ParsedLink, ...]
    unresolved: tuple[UnresolvedLink, ...]
    rejected: tuple[RejectedLink, ...]


# --- Marketplaces -------------------------------------------------------------------------------

_FLAGS = re.ASCII | re.IGNORECASE | re.DOTALL
_LISTING, _STOREFRONT = ItemKind.LISTING, ItemKind.STOREFRONT


@dataclass(frozen=True, slots=True)
class _Rule:
    """One page shape of a marketplace.

    `sub` is matched against the subdomain ("" for the bare domain) and `path` against the path.
    The id is the `id` (digits) or `label` group of either, else the first of `params` present in
    the query, each with the prefix its key gets. A rule with a `refusal` recognises a page that
    cannot be reported.
    """

    sub: re.Pattern[str]
    path: re.Pattern[str]
    kind: ItemKind | None
    noun: str
    params: tuple[tuple[re.Pattern[str], str], ...]
    refusal: str


def _find(
    kind: ItemKind,
    sub: str,
    path: str = "/.*",
    *,
    noun: str = N_("item id"),
    params: tuple[tuple[str, str], ...] = (),
) -> _Rule:
    # Slack relays "&" in links as "&amp;".
    patterns = tuple((re.compile(rf"(?:^|&)(?:amp;)?{name}=([^&]+)", _FLAGS), p) for name, p in params)
    return _Rule(re.compile(sub, _FLAGS), re.compile(path, _FLAGS), kind, noun, patterns, "")


def _refuse(sub: str, refusal: str) -> _Rule:
    return _Rule(re.compile(sub, _FLAGS), re.compile("/.*", _FLAGS), None, "", (), refusal)


@dataclass(frozen=True, slots=True)
class _Site:
    platform: Platform
    rules: tuple[_Rule, ...]
    missing: str  # the refusal when no rule finds an id


_ID = (("id", ""),)
# Subdomains of tmall.com and tmall.hk that are services, not the vanity domain of a store.
_NOT_A_STORE = r"(?!(?:www|m|detail|list|login|chaoshi)(?:\.|$))[a-z0-9-]+(?:\.m)?"

_TAOBAO = _Site(
    Platform.TAOBAO,
    (
        _find(_LISTING, r"item|h5\.m|market\.m|m\.intl", params=_ID),
        _find(_LISTING, r"world", r"/item/(?P<id>[^/]+)\.html?"),
        _find(_LISTING, r"a\.m", r"/i(?P<id>[^/]+)\.htm"),
        _find(_STOREFRONT, r"shop(?P<id>[0-9]+)(?:\.m)?", noun=N_("shop id")),
        _find(
            _STOREFRONT,
            r"shop|store|shop\.m",
            noun=N_("shop id"),
            # A shop id and a seller's user number are different id spaces; the "u" keeps them apart.
            params=(("shop_id", ""), ("user_number_id", "u")),
        ),
        _refuse(
            r"shop|store|shop\.m",
            N_("Taobao shop link without a shop id: paste the shop page link (shopNNN.taobao.com)"),
        ),
    ),
    N_("Taobao link without an item id: paste the item page link (item.taobao.com/item.htm?id=...)"),
)
_TMALL = _Site(
    Platform.TMALL,
    (
        _find(_LISTING, r"(?:chaoshi\.)?detail(?:\.m)?", params=_ID),
        _refuse(_NOT_A_STORE, N_("Tmall store links are not supported yet: paste listing links")),
    ),
    N_("Tmall link without an item id: paste the item page link (detail.tmall.com/item.htm?id=...)"),
)
_TMALL_GLOBAL = _Site(
    Platform.TMALL_GLOBAL,
    (
        _find(_LISTING, r"detail(?:\.m)?", params=_ID),
        _refuse(_NOT_A_STORE, N_("Tmall Global store links are not supported yet: paste listing links")),
    ),
    N_("Tmall Global link without an item id: paste the item page link (detail.tmall.hk/hk/item.htm?id=...)"),
)
_ALIEXPRESS = _Site(
    Platform.ALIEXPRESS,
    (
        _find(_LISTING, r".*", r"/(?:item|i)/(?:[^/]+/)?(?P<id>[^/]+)\.html"),
        _find(_LISTING, r".*", r"/store/product/[^/]*/[0-9]+_(?P<id>[^/]+)\.html"),
        _find(
            _STOREFRONT,
            r".*",
            r"/store/(?:all-wholesale-products/)?(?P<id>[^/.]+)(?:\.html|/.*)?",
            noun=N_("store id"),
        ),
    ),
    N_("AliExpress link without an item id: paste the item page link (aliexpress.com/item/....html)"),
)
_1688 = _Site(
    Platform.ALIBABA_1688,
    (
        _find(_LISTING, r".*", r"/offer/(?P<id>[^/]+)\.html", noun=N_("offer id")),
        _find(_LISTING, r".*", noun=N_("offer id"), params=(("offerid", ""),)),
    ),
    N_("1688 link without an offer id: paste the offer page link (detail.1688.com/offer/....html)"),
)
_ALIBABA = _Site(
    Platform.ALIBABA,
    (
        _find(
            _LISTING,
            r"[a-z0-9-]*",
            r"/product-detail/(?:[^/]*_)?(?P<id>[^/_]+)\.html",
            noun=N_("product id"),
        ),
        _find(_LISTING, r"m", r"/product/(?P<id>[^/.]+)(?:\.html|/.*)?", noun=N_("product id")),
        _find(_LISTING, r"[a-z0-9-]+\.en", r"/product/(?P<id>[^/-]+)-.*", noun=N_("product id")),
        _find(_STOREFRONT, r"(?P<label>[a-z0-9][a-z0-9-]{0,61}[a-z0-9])\.en"),
    ),
    N_("Alibaba.com link without a product id: paste the product page link (alibaba.com/product-detail/..._N.html)"),
)
# Subdomains of en.alibaba.com that belong to Alibaba itself rather than to a supplier.
_RESERVED_COMPANIES = frozenset(
    {"www", "m", "message", "messages", "login", "passport", "my", "sale", "offer", "service"}
    | {"help", "buyer", "seller", "sourcing", "home", "news"}
)
_ALIEXPRESS_TLDS = (
    *("com", "us", "ru", "es", "fr", "it", "de", "nl", "pl", "pt"),
    *("co.kr", "co.jp", "com.br", "com.tr"),
)
_SITES: dict[str, _Site] = {
    "taobao.com": _TAOBAO,
    "tmall.com": _TMALL,
    "tmall.hk": _TMALL_GLOBAL,
    "1688.com": _1688,
    "alibaba.com": _ALIBABA,
    **{f"aliexpress.{tld}": _ALIEXPRESS for tld in _ALIEXPRESS_TLDS},
}
# Short links only the marketplace can expand; m.tb.cn serves Taobao and Tmall alike.
_SHORT_LINKS: dict[str, Platform | None] = {
    **dict.fromkeys(("tb.cn", "m.tb.cn", "s.tb.cn", "e.tb.cn")),
    **dict.fromkeys(("s.click.aliexpress.com", "click.aliexpress.com", "a.aliexpress.com"), Platform.ALIEXPRESS),
    "qr.1688.com": Platform.ALIBABA_1688,
}
_SUPPORTED = ", ".join(platform.label for platform in Platform)

_CANONICAL: dict[tuple[Platform, ItemKind], str] = {
    (Platform.TAOBAO, _LISTING): "https://item.taobao.com/item.htm?id={}",
    (Platform.TAOBAO, _STOREFRONT): "https://shop{}.taobao.com/",
    (Platform.TMALL, _LISTING): "https://detail.tmall.com/item.htm?id={}",
    (Platform.TMALL_GLOBAL, _LISTING): "https://detail.tmall.hk/hk/item.htm?id={}",
    (Platform.ALIEXPRESS, _LISTING): "https://www.aliexpress.com/item/{}.html",
    (Platform.ALIEXPRESS, _STOREFRONT): "https://www.aliexpress.com/store/{}",
    (Platform.ALIBABA_1688, _LISTING): "https://detail.1688.com/offer/{}.html",
    (Platform.ALIBABA, _LISTING): "https://www.alibaba.com/product-detail/_{}.html",
    (Platform.ALIBABA, _STOREFRONT): "https://{}.en.alibaba.com/",
}
_TAOBAO_SELLER = "https://store.taobao.com/shop/view_shop.htm?user_number_id={}"


def canonical_url(key: ItemKey) -> str:
    """The one URL standing for `key`; parsing it gives `key` back.

    Raises ValueError for a platform and kind no link can have (a Tmall storefront, say).
    """
    kind = (key.platform, key.kind)
    if key.external_id[:1] == "u" and kind == (Platform.TAOBAO, _STOREFRONT):
        return _TAOBAO_SELLER.format(key.external_id[1:])
    template = _CANONICAL.get(kind)
    if template is None:
        raise ValueError(f"{key.platform} has no {key.kind} links")
    return template.format(key.external_id)


# --- One link -----------------------------------------------------------------------------------


class _Refusal(Exception):
    """Raised inside the parser with the sentence the member will read."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


# Schemes have no dots here, so "item.taobao.com:443/..." reads as a host and a port.
# Like browsers, a backslash ends the host: "https://evil.com\@item.taobao.com" goes to evil.com.
_URL = re.compile(
    r"(?:(?P<scheme>[A-Za-z][A-Za-z0-9+-]*):)?(?P<slashes>//)?"
    r"(?P<authority>[^/?#\\]*)(?P<path>[^?#]*)(?:\?(?P<query>[^#]*))?"
)
_HOST = re.compile(r"(?:[a-z0-9-]+\.)+[a-z0-9-]+", re.ASCII)
_LOOKS_LIKE_HOST = re.compile(r"(?:[a-z0-9-]+\.)+[a-z]{2,}", re.ASCII)
_SPACE = re.compile(r"\s")
_TRAILING = frozenset(".,;:!?)]}")


def parse_link(text: str) -> LinkResult:
    """Parse one link, with or without its scheme; surrounding space and punctuation are ignored."""
    link = _trim(text.strip())
    if not link:
        return RejectedLink(link, _("empty link: paste the full listing link"))
    if _SPACE.search(link):
        return RejectedLink(link, _("a link cannot contain spaces: paste one link at a time"))
    return _classify(link)


def _classify(link: str) -> LinkResult:
    try:
        return _parse(link)
    except _Refusal as refusal:
        return RejectedLink(link, refusal.reason)


def _parse(link: str) -> LinkResult:
    parts = _URL.match(link)
    assert parts is not None  # every part of the pattern is optional
    scheme, slashes, authority, path, query = parts.group("scheme", "slashes", "authority", "path", "query")
    if scheme is not None:
        scheme = scheme.lower()
        if scheme not in ("http", "https"):
            raise _Refusal(_("{scheme}: links are not accepted: paste the https:// link", scheme=_show(scheme)))
        if slashes is None:
            raise _Refusal(_("{scheme}: must be followed by //: paste the full link", scheme=scheme))
    host = _host(authority, link, has_scheme=slashes is not None)
    if host in _SHORT_LINKS:
        platform = _SHORT_LINKS[host]
        service = platform.label if platform else "Taobao/Tmall"
        reason = _("{service} short link: open it in a browser and paste the full listing link", service=service)
        return UnresolvedLink(link, platform, reason)
    site, sub = _site(host)
    path = path or "/"
    for rule in site.rules:
        in_sub = rule.sub.fullmatch(sub)
        in_path = rule.path.fullmatch(path) if in_sub else None
        if in_sub is None or in_path is None:
            continue
        if rule.kind is None:
            raise _Refusal(_(rule.refusal))
        found = in_sub.groupdict() or in_path.groupdict()  # no rule has groups in both
        if found.get("id") is not None:
            external_id = _number(found["id"], rule.noun)
        elif found.get("label") is not None:
            if found["label"] in _RESERVED_COMPANIES:
                continue
            external_id = found["label"]
        else:
            value, prefix = _param(query or "", rule.params)
            if not value:
                continue
            external_id = prefix + _number(value, rule.noun)
        key = ItemKey(site.platform, rule.kind, external_id)
        return ParsedLink(link, key, canonical_url(key))
    raise _Refusal(_(site.missing))


def _host(authority: str, link: str, *, has_scheme: bool) -> str:
    """The lowercase host of `authority`, refusing anything that hides or bends it."""
    _user, at, host_port = authority.rpartition("@")
    if at:
        raise _Refusal(
            _(
                "the text before @ is a user name, so this link really leads to {host}: "
                "paste the marketplace link itself",
                host=_show(host_port),
            )
        )
    if host_port.startswith("["):
        raise _unsupported(host_port)
    host, _colon, port = host_port.partition(":")
    if port not in ("", "80", "443"):
        raise _Refusal(_("links with a port number (:{port}) are not accepted: remove it", port=_show(port)))
    # Only ASCII is lowered: the Kelvin sign, U+212A, lowers to an ASCII "k".
    host = (host.lower() if host.isascii() else host).removesuffix(".")
    if not has_scheme and not _LOOKS_LIKE_HOST.fullmatch(host):
        raise _Refusal(_("{text} is not a link: paste the full link starting with https://", text=_show(link)))
    if not host:
        raise _Refusal(_("link without a host name: paste the full listing link"))
    if not _HOST.fullmatch(host):
        raise _unsupported(host)
    return host


def _unsupported(host: str) -> _Refusal:
    return _Refusal(_("{host} is not a supported marketplace ({supported})", host=_show(host), supported=_SUPPORTED))


def _site(host: str) -> tuple[_Site, str]:
    """The marketplace of `host` and the subdomain in front of its domain."""
    labels = host.split(".")
    for size in (2, 3):  # aliexpress.com, aliexpress.com.br
        site = _SITES.get(".".join(labels[-size:]))
        if site is not None and len(labels) >= size:
            return site, ".".join(labels[:-size])
    raise _unsupported(host)


def _param(query: str, params: tuple[tuple[re.Pattern[str], str], ...]) -> tuple[str, str]:
    """The value of the first of `params` in `query`, with its key prefix; "" when none is."""
    for pattern, prefix in params:
        found = pattern.search(query)
        if found:
            value = found.group(1)
            return (unquote(value) if "%" in value else value), prefix
    return "", ""


def _number(raw: str, noun: str) -> str:
    """`raw` as an id: 1 to 20 digits, ASCII or full-width (read as ASCII, as NFKC does), not all
    zero, without leading zeros. A refusal quotes `raw` as written."""
    digits = raw.translate(_FULL_WIDTH_DIGITS)
    if not (digits.isascii() and digits.isdigit()):
        raise _Refusal(_("{noun} {value} is not a number", noun=_(noun), value=repr(_show(raw))))
    if len(digits) > MAX_ID_DIGITS:
        raise _Refusal(
            _("{noun} {value} is too long: ids have at most {digits} digits", noun=_(noun), value=_show(raw),
              digits=MAX_ID_DIGITS)
        )  # fmt: skip
    number = digits.lstrip("0")
    if not number:
        raise _Refusal(_("{noun} {value} is not valid", noun=_(noun), value=raw))
    return number


def _show(text: str) -> str:
    """`text` cut short enough to quote in a reply."""
    return text if len(text) <= 60 else text[:57] + "..."


def _trim(token: str) -> str:
    """`token` without trailing punctuation, keeping a `)` closing a `(` of the link."""
    if not token or token[-1] not in _TRAILING:
        return token
    end, opened, closed = len(token), token.count("("), token.count(")")
    while end and token[end - 1] in _TRAILING:
        if token[end - 1] == ")":
            if closed <= opened:
                break
            closed -= 1
        end -= 1
    return token[:end]


# --- Free text ----------------------------------------------------------------------------------


def _alternation(domains: list[str]) -> str:
    """A pattern matching any of `domains`, grouped by first label so that a mismatch fails fast."""
    endings: dict[str, list[str]] = {}
    for domain in sorted(domains, key=len, reverse=True):
        name, _dot, ending = domain.partition(".")
        endings.setdefault(name, []).append(re.escape(ending))
    return "|".join(rf"{re.escape(name)}\.(?:{'|'.join(ends)})" for name, ends in endings.items())


# A link ends at a space, a quote or bracket, CJK text or full-width punctuation. Full-width
# letters and digits do not end it: a phone's Chinese input mode types ids with them.
_STOP = (
    r"\s<>\"'|`"
    r"\u2000-\u206f"  # general punctuation: curly quotes, dashes, zero-width spaces
    r"\u2e80-\u9fff\ua960-\ua97f\uac00-\ud7ff\uf900-\ufaff\ufe30-\ufe6f"
    r"\uff00-\uff0f\uff1a-\uff20\uff3b-\uff40\uff5b-\uffef"  # the full-width forms but ０-９ Ａ-Ｚ ａ-ｚ
    r"\U00020000-\U0003ffff"
)
# What follows a link that was refused, up to a space, a quote or CJK text, is shown with it: full-width
# forms typed inside a link (？ ＝ ＆) end it, and the member must see them to see what was wrong.
_PASTED_TAIL = re.compile(rf"(?:[^{_STOP}]|[\uff01-\uff5e])*")
_FULL_WIDTH_TRAILING = "！），．：；？］｝"
_CANDIDATE = re.compile(
    r"(?<![A-Za-z0-9+.@_-])(?ai:"
    r"[a-z][a-z0-9+-]*://"
    # Without a scheme, only the marketplaces' own hosts make a link (tb.cn: short links).
    rf"|(?P<host>(?:[a-z0-9-]+\.)*(?:{_alternation([*_SITES, 'tb.cn'])}))"
    r"(?![a-z0-9_-]|\.[a-z0-9])"
    rf")[^{_STOP}]*"
)
_SLACK_LABEL = re.compile(r"\|[^<>\n]*>")
# In prose "taobao.com" names a marketplace; without a scheme, only a path or a subdomain makes it a link.
_NAMES = frozenset({*_SITES, *_SHORT_LINKS})


def extract_links(text: str) -> Extraction:
    """Find and parse every link in free text: prose, Slack's `<url|label>`, brackets, CJK."""
    parsed: list[ParsedLink] = []
    unresolved: list[UnresolvedLink] = []
    rejected: list[RejectedLink] = []
    skip_to = 0
    for candidate in _CANDIDATE.finditer(text):
        start = candidate.start()
        if start < skip_to:
            continue
        if start and text[start - 1] == "<":
            # Slack's label repeats or describes the link; it is not a second link.
            label = _SLACK_LABEL.match(text, candidate.end())
            skip_to = label.end() if label else skip_to
        token, host = candidate.group(0, "host")
        link = _trim(token)
        if host and len(link) == len(host) and host.lower().removeprefix("www.") in _NAMES:
            continue
        result = _classify(link)
        if isinstance(result, ParsedLink):
            parsed.append(result)
        elif isinstance(result, UnresolvedLink):
            unresolved.append(result)
        else:
            rejected.append(RejectedLink(_as_pasted(text, start, result.original), result.reason))
    return Extraction(tuple(parsed), tuple(unresolved), tuple(rejected))


def _as_pasted(text: str, start: int, link: str) -> str:
    """The refused `link` found at `start` of `text`, with the full-width forms that cut it short."""
    tail = _PASTED_TAIL.match(text, start + len(link))
    pasted = text[start : tail.end()] if tail else link
    while len(pasted) > len(link) and pasted[-1] in _FULL_WIDTH_TRAILING:
        pasted = pasted[:-1]
    return _trim(pasted) if len(pasted) > len(link) else link
