"""Links as members paste them: which listing or storefront each one names, and why not."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from handlers.cases.link_parsing import (
    ItemKey,
    ParsedLink,
    RejectedLink,
    UnresolvedLink,
    canonical_url,
    extract_links,
    parse_link,
)
from handlers.kit.i18n import in_language
from storage.vocabulary import ItemKind, Platform

LISTING, STOREFRONT = ItemKind.LISTING, ItemKind.STOREFRONT
SUPPORTED = "(Taobao, Tmall, Tmall Global, AliExpress, 1688, Alibaba.com)"


def parsed(text: str) -> ParsedLink:
    result = parse_link(text)
    assert isinstance(result, ParsedLink), result
    return result


def rejection(text: str) -> str:
    result = parse_link(text)
    assert isinstance(result, RejectedLink), result
    return result.reason


# --- Every form of every marketplace ------------------------------------------------------------

TAOBAO_ITEM = "https://item.taobao.com/item.htm?id=612345678901"
TMALL_ITEM = "https://detail.tmall.com/item.htm?id=612345678901"
TMALL_HK_ITEM = "https://detail.tmall.hk/hk/item.htm?id=612345678901"
ALIEXPRESS_ITEM = "https://www.aliexpress.com/item/1005001234567890.html"
ALIEXPRESS_STORE = "https://www.aliexpress.com/store/1101234567"
OFFER_1688 = "https://detail.1688.com/offer/612345678901.html"
ALIBABA_PRODUCT = "https://www.alibaba.com/product-detail/_1600123456789.html"

FORMS = [
    # Taobao listings
    ("https://item.taobao.com/item.htm?id=612345678901", TAOBAO_ITEM),
    ("https://h5.m.taobao.com/awp/core/detail.htm?id=612345678901", TAOBAO_ITEM),
    (
        "https://market.m.taobao.com/app/dinamic/h5-tb-detail/index.html?id=612345678901",
        TAOBAO_ITEM,
    ),
    ("https://m.intl.taobao.com/detail/detail.html?id=612345678901", TAOBAO_ITEM),
    ("https://world.taobao.com/item/612345678901.htm", TAOBAO_ITEM),
    ("https://a.m.taobao.com/i612345678901.htm", TAOBAO_ITEM),
    # Taobao storefronts
    ("https://shop123456.taobao.com/?spm=a1z10", "https://shop123456.taobao.com/"),
    ("https://shop123456.taobao.com/index.htm", "https://shop123456.taobao.com/"),
    ("https://shop123456.m.taobao.com", "https://shop123456.taobao.com/"),
    (
        "https://shop.m.taobao.com/shop/shop_index.htm?shop_id=123456",
        "https://shop123456.taobao.com/",
    ),
    ("https://shop.taobao.com/?shop_id=123456", "https://shop123456.taobao.com/"),
    (
        "https://store.taobao.com/shop/view_shop.htm?shop_id=123456",
        "https://shop123456.taobao.com/",
    ),
    (
        "https://store.taobao.com/shop/view_shop.htm?user_number_id=2200123",
        "https://store.taobao.com/shop/view_shop.htm?user_number_id=2200123",
    ),
    # Tmall and Tmall Global listings
    ("https://detail.tmall.com/item.htm?id=612345678901", TMALL_ITEM),
    ("https://detail.m.tmall.com/item.htm?id=612345678901", TMALL_ITEM),
    ("https://chaoshi.detail.tmall.com/item.htm?id=612345678901", TMALL_ITEM),
    ("https://detail.tmall.hk/hk/item.htm?id=612345678901", TMALL_HK_ITEM),
    ("https://detail.tmall.hk/item.htm?id=612345678901", TMALL_HK_ITEM),
    ("https://detail.m.tmall.hk/item.htm?id=612345678901", TMALL_HK_ITEM),
    # AliExpress listings, on every subdomain and country domain
    ("https://www.aliexpress.com/item/1005001234567890.html", ALIEXPRESS_ITEM),
    ("https://aliexpress.com/item/1005001234567890.html", ALIEXPRESS_ITEM),
    ("https://m.aliexpress.com/item/1005001234567890.html", ALIEXPRESS_ITEM),
    ("https://fr.aliexpress.com/item/1005001234567890.html", ALIEXPRESS_ITEM),
    ("https://es.aliexpress.com/item/1005001234567890.html", ALIEXPRESS_ITEM),
    ("https://pt.aliexpress.com/item/1005001234567890.html", ALIEXPRESS_ITEM),
    ("https://ja.aliexpress.com/item/1005001234567890.html", ALIEXPRESS_ITEM),
    ("https://www.aliexpress.us/item/1005001234567890.html", ALIEXPRESS_ITEM),
    ("https://aliexpress.ru/item/1005001234567890.html", ALIEXPRESS_ITEM),
    ("https://www.aliexpress.com.br/item/1005001234567890.html", ALIEXPRESS_ITEM),
    ("https://ko.aliexpress.co.kr/item/1005001234567890.html", ALIEXPRESS_ITEM),
    ("https://www.aliexpress.com/i/1005001234567890.html", ALIEXPRESS_ITEM),
    ("https://www.aliexpress.com/item/Wireless-Earbuds/1005001234567890.html", ALIEXPRESS_ITEM),
    (
        "https://www.aliexpress.com/store/product/Earbuds/1101234567_1005001234567890.html",
        ALIEXPRESS_ITEM,
    ),
    # AliExpress storefronts
    ("https://www.aliexpress.com/store/1101234567", ALIEXPRESS_STORE),
    ("https://m.aliexpress.com/store/1101234567/index.html", ALIEXPRESS_STORE),
    ("https://www.aliexpress.com/store/1101234567.html", ALIEXPRESS_STORE),
    ("https://www.aliexpress.com/store/all-wholesale-products/1101234567.html", ALIEXPRESS_STORE),
    # 1688 offers
    ("https://detail.1688.com/offer/612345678901.html", OFFER_1688),
    ("https://m.1688.com/offer/612345678901.html", OFFER_1688),
    ("https://detail.m.1688.com/page/index.html?offerId=612345678901", OFFER_1688),
    ("https://show.1688.com/pinlei/industry/pllist.html?offerId=612345678901", OFFER_1688),
    # Alibaba.com products and supplier storefronts
    (
        "https://www.alibaba.com/product-detail/Men-s-Sneakers-2024_1600123456789.html",
        ALIBABA_PRODUCT,
    ),
    ("https://www.alibaba.com/product-detail/_1600123456789.html", ALIBABA_PRODUCT),
    ("https://spanish.alibaba.com/product-detail/Zapatos_1600123456789.html", ALIBABA_PRODUCT),
    ("https://m.alibaba.com/product/1600123456789/Men-s-Sneakers.html", ALIBABA_PRODUCT),
    (
        "https://acme-shoes.en.alibaba.com/product/1600123456789-801234567/Sneakers.html",
        ALIBABA_PRODUCT,
    ),
    ("https://acme-shoes.en.alibaba.com/", "https://acme-shoes.en.alibaba.com/"),
    (
        "https://acme-shoes.en.alibaba.com/company_profile.html",
        "https://acme-shoes.en.alibaba.com/",
    ),
]


@pytest.mark.parametrize(("link", "canonical"), FORMS, ids=[link for link, _ in FORMS])
def test_every_form_of_a_link_has_the_key_and_canonical_url_of_the_platform_s_own_form(
    link: str, canonical: str
) -> None:
    result = parsed(link)
    assert result.canonical_url == canonical
    assert result.key == parsed(canonical).key
    assert result.original == link


@pytest.mark.parametrize(
    ("link", "key"),
    [
        (TAOBAO_ITEM, ItemKey(Platform.TAOBAO, LISTING, "612345678901")),
        ("https://shop123456.taobao.com/", ItemKey(Platform.TAOBAO, STOREFRONT, "123456")),
        (TMALL_ITEM, ItemKey(Platform.TMALL, LISTING, "612345678901")),
        (TMALL_HK_ITEM, ItemKey(Platform.TMALL_GLOBAL, LISTING, "612345678901")),
        (ALIEXPRESS_ITEM, ItemKey(Platform.ALIEXPRESS, LISTING, "1005001234567890")),
        (ALIEXPRESS_STORE, ItemKey(Platform.ALIEXPRESS, STOREFRONT, "1101234567")),
        (OFFER_1688, ItemKey(Platform.ALIBABA_1688, LISTING, "612345678901")),
        (ALIBABA_PRODUCT, ItemKey(Platform.ALIBABA, LISTING, "1600123456789")),
        ("https://Acme-Shoes.EN.Alibaba.com/", ItemKey(Platform.ALIBABA, STOREFRONT, "acme-shoes")),
    ],
)
def test_a_link_names_its_platform_kind_and_id(link: str, key: ItemKey) -> None:
    assert parsed(link).key == key


def test_taobao_mobile_link_has_the_key_of_the_desktop_link() -> None:
    mobile = parsed("https://h5.m.taobao.com/awp/core/detail.htm?id=612345678901&spm=a2141")
    assert mobile.key == parsed(TAOBAO_ITEM).key


def test_tracking_parameters_and_fragments_are_dropped_from_the_canonical_url() -> None:
    link = (
        "https://item.taobao.com/item.htm?spm=a1z10.3-c.w4002-21.9.5c1b&ali_refid=a3_430&"
        "id=612345678901&ns=1&abbucket=7#detail"
    )
    assert parsed(link).canonical_url == TAOBAO_ITEM
    assert parsed(f"{ALIEXPRESS_ITEM}?spm=a2g0o&gatewayAdapt=glo2fra").canonical_url == (ALIEXPRESS_ITEM)


def test_leading_zeros_do_not_make_a_different_listing() -> None:
    assert parsed("https://item.taobao.com/item.htm?id=000612345678901").key == (parsed(TAOBAO_ITEM).key)


def test_the_same_id_on_taobao_tmall_and_tmall_global_names_three_different_listings() -> None:
    keys = {parsed(link).key for link in (TAOBAO_ITEM, TMALL_ITEM, TMALL_HK_ITEM)}
    assert len(keys) == 3
    assert {key.platform for key in keys} == {
        Platform.TAOBAO,
        Platform.TMALL,
        Platform.TMALL_GLOBAL,
    }


def test_a_taobao_seller_number_is_not_confused_with_a_shop_id() -> None:
    by_shop = parsed("https://store.taobao.com/shop/view_shop.htm?shop_id=2200123").key
    by_seller = parsed("https://store.taobao.com/shop/view_shop.htm?user_number_id=2200123").key
    assert by_seller == ItemKey(Platform.TAOBAO, STOREFRONT, "u2200123")
    assert by_shop != by_seller


def test_a_taobao_shop_id_wins_over_the_seller_number_in_the_same_link() -> None:
    link = "https://store.taobao.com/shop/view_shop.htm?user_number_id=2200123&shop_id=123456"
    assert parsed(link).key == ItemKey(Platform.TAOBAO, STOREFRONT, "123456")


@pytest.mark.parametrize(
    "link",
    [
        "item.taobao.com/item.htm?id=612345678901",
        "http://item.taobao.com/item.htm?id=612345678901",
        "HTTPS://ITEM.TAOBAO.COM/item.htm?id=612345678901",
        "https://item.taobao.com./item.htm?id=612345678901",
        "https://item.taobao.com:443/item.htm?id=612345678901",
        "http://item.taobao.com:80/item.htm?id=612345678901",
        "//item.taobao.com/item.htm?id=612345678901",
        "  https://item.taobao.com/item.htm?id=612345678901.  ",
        # Slack relays "&" as "&amp;"
        "https://item.taobao.com/item.htm?spm=a1z10&amp;id=612345678901",
    ],
)
def test_how_a_link_is_written_does_not_change_the_listing(link: str) -> None:
    assert parsed(link).key == parsed(TAOBAO_ITEM).key


def test_a_link_without_a_scheme_is_accepted_for_a_marketplace_host() -> None:
    assert parsed("www.aliexpress.com/item/1005001234567890.html").canonical_url == ALIEXPRESS_ITEM


def test_canonical_url_refuses_a_key_no_link_can_have() -> None:
    with pytest.raises(ValueError):
        canonical_url(ItemKey(Platform.TMALL, STOREFRONT, "123"))


# --- Short links --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("link", "platform"),
    [
        ("https://m.tb.cn/h.5AbCdEf?tk=xyz", None),
        ("https://s.tb.cn/c.0abc", None),
        ("https://e.tb.cn/h.abc", None),
        ("https://tb.cn/x", None),
        ("m.tb.cn/h.5AbCdEf", None),
        ("https://s.click.aliexpress.com/e/_DmXyZab", Platform.ALIEXPRESS),
        ("https://a.aliexpress.com/_mKaBcDe", Platform.ALIEXPRESS),
        ("https://qr.1688.com/s/AbCdEf", Platform.ALIBABA_1688),
    ],
)
def test_a_short_link_is_left_for_the_member_to_open(link: str, platform: Platform | None) -> None:
    result = parse_link(link)
    assert isinstance(result, UnresolvedLink)
    assert result.platform == platform
    assert "short link: open it in a browser and paste the full listing link" in result.reason


# --- Rejections ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("link", "reason"),
    [
        (
            "https://example.com/item.htm?id=1",
            f"example.com is not a supported marketplace {SUPPORTED}",
        ),
        (
            "https://www.taobao.com/",
            "Taobao link without an item id: paste the item page link (item.taobao.com/item.htm?id=...)",
        ),
        (
            "https://s.taobao.com/search?q=shoes&id=1",
            "Taobao link without an item id: paste the item page link (item.taobao.com/item.htm?id=...)",
        ),
        (
            "https://item.taobao.com/item.htm?id=",
            "Taobao link without an item id: paste the item page link (item.taobao.com/item.htm?id=...)",
        ),
        (
            "https://store.taobao.com/shop/view_shop.htm",
            "Taobao shop link without a shop id: paste the shop page link (shopNNN.taobao.com)",
        ),
        ("https://nike.tmall.com/", "Tmall store links are not supported yet: paste listing links"),
        (
            "https://nike.m.tmall.com/shop",
            "Tmall store links are not supported yet: paste listing links",
        ),
        (
            "https://sephora.tmall.hk/",
            "Tmall Global store links are not supported yet: paste listing links",
        ),
        (
            "https://detail.tmall.com/item.htm",
            "Tmall link without an item id: paste the item page link (detail.tmall.com/item.htm?id=...)",
        ),
        (
            "https://detail.tmall.hk/hk/item.htm?spm=a1z10",
            "Tmall Global link without an item id: paste the item page link (detail.tmall.hk/hk/item.htm?id=...)",
        ),
        (
            "https://www.aliexpress.com/category/100003109/women-clothing.html",
            "AliExpress link without an item id: paste the item page link (aliexpress.com/item/....html)",
        ),
        (
            "https://s.1688.com/selloffer/offer_search.htm?keywords=shoes",
            "1688 link without an offer id: paste the offer page link (detail.1688.com/offer/....html)",
        ),
        (
            "https://www.alibaba.com/trade/search?SearchText=shoes",
            "Alibaba.com link without a product id: paste the product page link "
            "(alibaba.com/product-detail/..._N.html)",
        ),
        (
            "https://message.en.alibaba.com/",
            "Alibaba.com link without a product id: paste the product page link "
            "(alibaba.com/product-detail/..._N.html)",
        ),
    ],
)
def test_a_link_without_a_reportable_id_says_what_to_paste_instead(link: str, reason: str) -> None:
    assert rejection(link) == reason


@pytest.mark.parametrize(
    ("link", "reason"),
    [
        ("https://item.taobao.com/item.htm?id=0", "item id 0 is not valid"),
        ("https://detail.1688.com/offer/000.html", "offer id 000 is not valid"),
        ("https://shop0.taobao.com/", "shop id 0 is not valid"),
        (
            "https://item.taobao.com/item.htm?id=123456789012345678901",
            "item id 123456789012345678901 is too long: ids have at most 20 digits",
        ),
        ("https://item.taobao.com/item.htm?id=12ab", "item id '12ab' is not a number"),
        ("https://item.taobao.com/item.htm?id=-5", "item id '-5' is not a number"),
        # Arabic-Indic digits look like digits but are not ASCII ids (full-width ones are read as ASCII)
        ("https://item.taobao.com/item.htm?id=١٢٣", "item id '١٢٣' is not a number"),
        ("https://www.aliexpress.com/item/１２３ａ.html", "item id '１２３ａ' is not a number"),
        ("https://www.aliexpress.com/store/abc", "store id 'abc' is not a number"),
        (
            "https://www.alibaba.com/product-detail/Shoes_12x.html",
            "product id '12x' is not a number",
        ),
    ],
)
def test_an_invalid_id_is_rejected_with_the_id_quoted(link: str, reason: str) -> None:
    assert rejection(link) == reason


@pytest.mark.parametrize(
    ("link", "reason"),
    [
        (
            "https://item.taobao.com.evil.com/item.htm?id=1",
            f"item.taobao.com.evil.com is not a supported marketplace {SUPPORTED}",
        ),
        (
            "https://eviltaobao.com/item.htm?id=1",
            f"eviltaobao.com is not a supported marketplace {SUPPORTED}",
        ),
        (
            "https://item.taobao.com@evil.com/item.htm?id=1",
            "the text before @ is a user name, so this link really leads to evil.com: "
            "paste the marketplace link itself",
        ),
        (
            "https://evil.com/?u=https://item.taobao.com/item.htm?id=1",
            f"evil.com is not a supported marketplace {SUPPORTED}",
        ),
        (
            "https://evil.com\\@item.taobao.com/item.htm?id=1",
            f"evil.com is not a supported marketplace {SUPPORTED}",
        ),
        (
            "https://item.taobao.com:8080/item.htm?id=1",
            "links with a port number (:8080) are not accepted: remove it",
        ),
        ("javascript:alert(1)", "javascript: links are not accepted: paste the https:// link"),
        (
            "ftp://item.taobao.com/item.htm?id=1",
            "ftp: links are not accepted: paste the https:// link",
        ),
        ("file:///etc/passwd", "file: links are not accepted: paste the https:// link"),
        (
            "https://xn--tobao-abc.com/item.htm?id=1",
            f"xn--tobao-abc.com is not a supported marketplace {SUPPORTED}",
        ),
        # Cyrillic "а" in "tаobao"
        (
            "https://item.t\u0430obao.com/item.htm?id=1",
            f"item.t\u0430obao.com is not a supported marketplace {SUPPORTED}",
        ),
        ("https://[::1]/item.htm?id=1", f"[::1] is not a supported marketplace {SUPPORTED}"),
        (
            "https:item.taobao.com/item.htm?id=1",
            "https: must be followed by //: paste the full link",
        ),
        ("https:///item.htm?id=1", "link without a host name: paste the full listing link"),
        ("hello", "hello is not a link: paste the full link starting with https://"),
        ("", "empty link: paste the full listing link"),
        (
            "https://item.taobao.com/item.htm?id=1 https://item.taobao.com/item.htm?id=2",
            "a link cannot contain spaces: paste one link at a time",
        ),
    ],
)
def test_a_hostile_or_broken_link_is_rejected_with_the_reason(link: str, reason: str) -> None:
    assert rejection(link) == reason


def test_a_rejection_quotes_no_more_than_a_line_of_a_huge_link() -> None:
    reason = rejection("https://" + "a" * 100_000 + ".com/")
    assert len(reason) < 200


# --- Extraction from free text ------------------------------------------------------------------


def originals(text: str) -> list[str]:
    return [link.original for link in extract_links(text).parsed]


def test_links_are_found_in_chinese_prose_in_order_without_the_punctuation() -> None:
    text = (
        "请下架以下链接：https://item.taobao.com/item.htm?id=123&spm=a1z10 和 "
        "https://detail.tmall.com/item.htm?id=456，谢谢"
    )
    found = extract_links(text)
    assert [link.original for link in found.parsed] == [
        "https://item.taobao.com/item.htm?id=123&spm=a1z10",
        "https://detail.tmall.com/item.htm?id=456",
    ]
    assert [link.key for link in found.parsed] == [
        ItemKey(Platform.TAOBAO, LISTING, "123"),
        ItemKey(Platform.TMALL, LISTING, "456"),
    ]
    assert not found.unresolved
    assert not found.rejected


@pytest.mark.parametrize(
    "text",
    [
        "<https://item.taobao.com/item.htm?id=123>",
        "<https://item.taobao.com/item.htm?id=123|item.taobao.com/item.htm?id=123>",
        "<https://item.taobao.com/item.htm?id=123|the fake bag on item.taobao.com/item.htm?id=>",
        "(https://item.taobao.com/item.htm?id=123)",
        "[the bag](https://item.taobao.com/item.htm?id=123)",
        '"https://item.taobao.com/item.htm?id=123"',
        "'https://item.taobao.com/item.htm?id=123'",
        "\u201chttps://item.taobao.com/item.htm?id=123\u201d",
        "「https://item.taobao.com/item.htm?id=123」",
        "【https://item.taobao.com/item.htm?id=123】",
        "See https://item.taobao.com/item.htm?id=123.",
        "See https://item.taobao.com/item.htm?id=123...",
        "Is it https://item.taobao.com/item.htm?id=123?!",
        "链接:https://item.taobao.com/item.htm?id=123;",
        "假货https://item.taobao.com/item.htm?id=123假货",
        "假货item.taobao.com/item.htm?id=123。",
        "`https://item.taobao.com/item.htm?id=123`",
        "https://item.taobao.com/item.htm?id=123\u3000下一个",
    ],
)
def test_a_link_is_found_whatever_surrounds_it(text: str) -> None:
    found = extract_links(text)
    assert [link.key for link in found.parsed] == [ItemKey(Platform.TAOBAO, LISTING, "123")]
    assert not found.unresolved
    assert not found.rejected


def test_a_closing_parenthesis_of_the_link_itself_is_kept() -> None:
    text = "(bag: https://www.alibaba.com/product-detail/Bag-(new)_1600123456789.html)"
    assert originals(text) == ["https://www.alibaba.com/product-detail/Bag-(new)_1600123456789.html"]


def test_words_that_are_not_links_are_not_reported() -> None:
    text = (
        "hello id=123 taobao Taobao.com www.aliexpress.com alibaba.com. tb.cn 淘宝 天猫 "
        "email me at ip@taobao.com; 1688 offer 612345678901"
    )
    assert extract_links(text) == extract_links("")


def test_each_link_is_reported_in_its_own_list_in_order_of_appearance() -> None:
    text = (
        "1. https://m.tb.cn/h.5AbC 2. https://example.com/x 3. https://detail.1688.com/offer/7.html "
        "4. https://item.taobao.com/item.htm?id=0 5. https://a.aliexpress.com/_mK "
        "6. https://detail.1688.com/offer/7.html"
    )
    found = extract_links(text)
    assert [link.canonical_url for link in found.parsed] == [
        "https://detail.1688.com/offer/7.html",
        "https://detail.1688.com/offer/7.html",
    ]
    assert [link.original for link in found.unresolved] == [
        "https://m.tb.cn/h.5AbC",
        "https://a.aliexpress.com/_mK",
    ]
    assert [link.original for link in found.rejected] == [
        "https://example.com/x",
        "https://item.taobao.com/item.htm?id=0",
    ]


def test_a_link_hidden_in_another_link_is_not_a_second_link() -> None:
    found = extract_links("look: https://evil.com/?u=https://item.taobao.com/item.htm?id=1 ok")
    assert not found.parsed
    assert not found.unresolved
    assert [link.original for link in found.rejected] == ["https://evil.com/?u=https://item.taobao.com/item.htm?id=1"]


def test_a_link_with_a_host_that_only_starts_like_a_marketplace_is_rejected() -> None:
    found = extract_links("https://item.taobao.com.evil.com/item.htm?id=1 and ftp://item.taobao.com/x")
    assert found.parsed == ()
    assert len(found.rejected) == 2


def test_ten_thousand_links_in_one_paste_are_all_found() -> None:
    lines = [f"{n}. 假货 https://item.taobao.com/item.htm?id={n}&spm=x，" for n in range(1, 10_001)]
    found = extract_links("\n".join(lines))
    assert [link.key.external_id for link in found.parsed] == [str(n) for n in range(1, 10_001)]


# --- Properties ---------------------------------------------------------------------------------

URL_ALPHABET = st.sampled_from(
    [*"htps:/.?=&#@%[]()<>|_-\\ taobmlcnxie0123456789", "taobao.com", "https://", "０", "١", "淘", "，"]
)


@given(st.one_of(st.text(), st.lists(URL_ALPHABET).map("".join)))
def test_parsing_and_extracting_never_fail_on_any_text(text: str) -> None:
    result = parse_link(text)
    assert isinstance(result, ParsedLink | UnresolvedLink | RejectedLink)
    found = extract_links(text)
    all_found: list[ParsedLink | UnresolvedLink | RejectedLink] = [*found.parsed, *found.unresolved, *found.rejected]
    for link in all_found:
        assert link.original
        assert link.original in text


IDS = st.integers(min_value=1, max_value=10**20 - 1).map(str)
LABELS = st.from_regex(r"[a-z0-9]{1,20}-[a-z0-9]{1,20}", fullmatch=True)
KEYS = st.one_of(
    st.builds(ItemKey, st.just(Platform.TAOBAO), st.just(LISTING), IDS),
    st.builds(ItemKey, st.just(Platform.TAOBAO), st.just(STOREFRONT), IDS),
    st.builds(ItemKey, st.just(Platform.TAOBAO), st.just(STOREFRONT), IDS.map("u{}".format)),
    st.builds(ItemKey, st.just(Platform.TMALL), st.just(LISTING), IDS),
    st.builds(ItemKey, st.just(Platform.TMALL_GLOBAL), st.just(LISTING), IDS),
    st.builds(ItemKey, st.just(Platform.ALIEXPRESS), st.just(LISTING), IDS),
    st.builds(ItemKey, st.just(Platform.ALIEXPRESS), st.just(STOREFRONT), IDS),
    st.builds(ItemKey, st.just(Platform.ALIBABA_1688), st.just(LISTING), IDS),
    st.builds(ItemKey, st.just(Platform.ALIBABA), st.just(LISTING), IDS),
    st.builds(ItemKey, st.just(Platform.ALIBABA), st.just(STOREFRONT), LABELS),
)


@given(KEYS)
def test_the_canonical_url_of_a_key_parses_back_to_the_key(key: ItemKey) -> None:
    url = canonical_url(key)
    result = parsed(url)
    assert result.key == key
    assert result.canonical_url == url


# Each variant: (platform, kind, host and path with {id}, query parameter holding the id or None).
VARIANTS: list[tuple[Platform, ItemKind, str, str | None]] = [
    (Platform.TAOBAO, LISTING, "item.taobao.com/item.htm", "id"),
    (Platform.TAOBAO, LISTING, "h5.m.taobao.com/awp/core/detail.htm", "id"),
    (Platform.TAOBAO, LISTING, "market.m.taobao.com/app/dinamic/h5-tb-detail/index.html", "id"),
    (Platform.TAOBAO, LISTING, "m.intl.taobao.com/detail/detail.html", "id"),
    (Platform.TAOBAO, LISTING, "world.taobao.com/item/{id}.htm", None),
    (Platform.TAOBAO, STOREFRONT, "shop{id}.taobao.com/", None),
    (Platform.TAOBAO, STOREFRONT, "shop.m.taobao.com/shop/shop_index.htm", "shop_id"),
    (Platform.TMALL, LISTING, "detail.tmall.com/item.htm", "id"),
    (Platform.TMALL, LISTING, "detail.m.tmall.com/item.htm", "id"),
    (Platform.TMALL, LISTING, "chaoshi.detail.tmall.com/item.htm", "id"),
    (Platform.TMALL_GLOBAL, LISTING, "detail.tmall.hk/hk/item.htm", "id"),
    (Platform.TMALL_GLOBAL, LISTING, "detail.m.tmall.hk/item.htm", "id"),
    (Platform.ALIEXPRESS, LISTING, "www.aliexpress.com/item/{id}.html", None),
    (Platform.ALIEXPRESS, LISTING, "m.aliexpress.com/item/{id}.html", None),
    (Platform.ALIEXPRESS, LISTING, "fr.aliexpress.com/item/{id}.html", None),
    (Platform.ALIEXPRESS, LISTING, "aliexpress.ru/item/{id}.html", None),
    (Platform.ALIEXPRESS, LISTING, "www.aliexpress.us/i/{id}.html", None),
    (Platform.ALIEXPRESS, LISTING, "pt.aliexpress.com.br/item/{id}.html", None),
    (Platform.ALIEXPRESS, STOREFRONT, "www.aliexpress.com/store/{id}", None),
    (Platform.ALIEXPRESS, STOREFRONT, "m.aliexpress.com/store/{id}/index.html", None),
    (Platform.ALIBABA_1688, LISTING, "detail.1688.com/offer/{id}.html", None),
    (Platform.ALIBABA_1688, LISTING, "m.1688.com/offer/{id}.html", None),
    (Platform.ALIBABA_1688, LISTING, "detail.m.1688.com/page/index.html", "offerId"),
    (Platform.ALIBABA, LISTING, "www.alibaba.com/product-detail/Sneakers_{id}.html", None),
    (Platform.ALIBABA, LISTING, "m.alibaba.com/product/{id}/Sneakers.html", None),
]
TRACKING = st.lists(
    st.tuples(
        st.sampled_from(["spm", "scm", "ns", "abbucket", "gatewayAdapt", "pvid", "skuId", "_t"]),
        st.from_regex(r"[A-Za-z0-9._-]{0,12}", fullmatch=True),
    ),
    max_size=3,
)


@st.composite
def variant_links(draw: st.DrawFn) -> tuple[str, ItemKey]:
    """A link in any accepted form, with the key of its canonical URL."""
    platform, kind, where, param = draw(st.sampled_from(VARIANTS))
    number = draw(st.integers(min_value=1, max_value=10**16))
    written = "0" * draw(st.integers(min_value=0, max_value=3)) + str(number)
    pairs = [f"{name}={value}" for name, value in draw(TRACKING)]
    if param is not None:
        pairs.insert(draw(st.integers(min_value=0, max_value=len(pairs))), f"{param}={written}")
    link = where.format(id=written) + ("?" + "&".join(pairs) if pairs else "")
    link += draw(st.sampled_from(["", "#detail"]))
    link = draw(st.sampled_from(["https://", "http://", "", "HTTPS://"])) + link
    return link, ItemKey(platform, kind, str(number))


@given(variant_links())
def test_every_variant_of_a_link_parses_to_the_key_of_its_canonical_url(
    variant: tuple[str, ItemKey],
) -> None:
    link, key = variant
    assert parsed(link).key == parsed(canonical_url(key)).key == key


@given(variant_links(), st.sampled_from(["", ".", ",", ")", "!", "?", "。", "，", "）", "...", ";"]))
def test_a_variant_followed_by_punctuation_in_prose_is_found(variant: tuple[str, ItemKey], punctuation: str) -> None:
    link, key = variant
    found = extract_links(f"请下架（{link}{punctuation} thanks")
    assert [result.key for result in found.parsed] == [key]


FILLER = st.one_of(
    st.from_regex(r"[A-Za-z]{1,12}", fullmatch=True),
    st.text(alphabet=st.characters(min_codepoint=0x4E00, max_codepoint=0x9FA5), min_size=1),
    st.sampled_from(["，", "。", "：", "！", "-", "id=123", "taobao", "1688", "(", ")"]),
)


@settings(max_examples=60)
@given(st.lists(st.one_of(variant_links(), FILLER), max_size=30))
def test_extraction_finds_exactly_the_links_embedded_in_prose(
    pieces: list[tuple[str, ItemKey] | str],
) -> None:
    words = [piece if isinstance(piece, str) else piece[0] for piece in pieces]
    expected = [piece[1] for piece in pieces if not isinstance(piece, str)]
    found = extract_links(" ".join(words))
    assert [result.key for result in found.parsed] == expected
    assert not found.unresolved
    assert not found.rejected


@pytest.mark.parametrize(
    "link",
    [
        "https://item.taobao.com/foo",
        "https://detail.tmall.com/foo",
        "https://detail.tmall.hk/foo",
        "https://www.aliexpress.com/foo",
        "https://detail.1688.com/foo",
        "https://www.alibaba.com/foo",
    ],
)
def test_a_link_without_an_id_is_refused_in_the_readers_language(link: str) -> None:
    with in_language("zh"):
        reason = rejection(link)
    assert "：请粘贴" in reason, reason


@pytest.mark.parametrize(
    ("link", "canonical"),
    [
        ("https://item.taobao.com/item.htm?id=１２３４", "https://item.taobao.com/item.htm?id=1234"),
        ("https://www.aliexpress.com/item/１２３.html", "https://www.aliexpress.com/item/123.html"),
        ("https://shop.taobao.com/?shop_id=０５６７", "https://shop567.taobao.com/"),
    ],
)
def test_full_width_digits_typed_in_chinese_input_mode_are_read_as_ascii(link: str, canonical: str) -> None:
    assert parsed(link).canonical_url == canonical
    [found] = extract_links(f"请下架{link}，谢谢").parsed
    assert (found.original, found.canonical_url) == (link, canonical)


def test_a_refused_link_is_shown_as_pasted_with_the_full_width_forms_that_cut_it_short() -> None:
    found = extract_links(
        "请下架 https://item.taobao.com/item.htm？id＝１２３，谢谢 https://item.taobao.com/item.htm?id=１２ｘ"
    )
    assert [link.original for link in found.rejected] == [
        "https://item.taobao.com/item.htm？id＝１２３",
        "https://item.taobao.com/item.htm?id=１２ｘ",
    ]
    assert found.rejected[1].reason == "item id '１２ｘ' is not a number"
