"""Reading command lines: words, options, case ids, item selections, months, and their errors."""

from __future__ import annotations

import pytest

from handlers.kit.arguments import MAX_LINE, Args, leading_options, parse_case_id, parse_month, parse_selection
from handlers.kit.errors import UserError
from support.harness import Harness

# --- the tokenizer ----------------------------------------------------------------------------


def test_words_and_key_value_options_are_separated() -> None:
    args = Args.parse("MS-000123 1-5,8 removed note=checked")
    assert args.words == ["MS-000123", "1-5,8", "removed"]
    assert args.options == {"note": "checked"}


def test_quoted_values_keep_their_spaces() -> None:
    args = Args.parse('acme "ACME Corp International" note="seller admits: fake" mark="ACME"')
    assert args.words == ["acme", "ACME Corp International"]
    assert args.options == {"note": "seller admits: fake", "mark": "ACME"}


def test_non_ascii_text_is_kept() -> None:
    args = Args.parse('请下架 name_zh="艾克米公司"')
    assert args.words == ["请下架"] and args.options == {"name_zh": "艾克米公司"}


@pytest.mark.parametrize(
    "url",
    [
        "https://item.taobao.com/item.htm?id=123&spm=a1z10.1-c.w4004",
        "https://store.taobao.com/shop/view_shop.htm?user_number_id=42&x=y",
        "https://detail.1688.com/offer/5.html?offerId=5&tracelog=p4p",
        "item.taobao.com/item.htm?id=7",
    ],
)
def test_links_with_equals_signs_and_ampersands_stay_whole_words(url: str) -> None:
    args = Args.parse(f"reason=counterfeit {url} more")
    assert args.words == [url, "more"]
    assert args.options == {"reason": "counterfeit"}


def test_an_empty_option_value_counts_as_not_given() -> None:
    args = Args.parse("note= page=2")
    assert args.options == {"note": "", "page": "2"}
    assert args.option("note") is None and args.option("page") == "2" and args.option("month") is None


@pytest.mark.parametrize(
    ("line", "option"),
    [
        ("reason=counterfeit reason=patent https://item.taobao.com/item.htm?id=1", "reason"),
        ("platform=taobao platform=tmall", "platform"),
        ('note="a" note="b"', "note"),
        ("page=1 page=2", "page"),
        ("page=1 page＝1", "page"),
    ],
)
def test_an_option_given_twice_is_refused_when_read_not_overridden(line: str, option: str) -> None:
    args = Args.parse(line)
    for read in (lambda: args.check_options("reason", "platform", "note", "page"), lambda: args.option(option)):
        with pytest.raises(UserError) as refused:
            read()
        assert (str(refused.value), refused.value.field) == (f"`{option}=` is given twice: give it once.", option)


def test_commands_refuse_an_option_given_twice(program: Harness) -> None:
    link = "https://item.taobao.com/item.htm?id=1"
    for command, who in (
        (f"complaint reason=counterfeit reason=patent {link}", "brand1"),
        ("cases platform=taobao platform=tmall", "team1"),
        ("cases page=1 page=2", "team1"),
        ('store strike https://shop123456.taobao.com note="a" note="b"', "team1"),
    ):
        reply = program.send(command, as_=who)
        assert reply.is_error and reply.text.endswith("is given twice: give it once."), (command, reply.text)
    assert program.ok("cases", as_="brand1").text == "No cases match."


def test_free_text_may_repeat_what_looks_like_an_option(program: Harness) -> None:
    reply = program.ok('propose title="Sizes" Ask sellers for size=M or size=L proof, not size=XL.', as_="brand1")
    assert reply.text.startswith("Posted proposal P-0001")
    assert program.ok("propose show P-0001").lines == ["Ask sellers for size=M or size=L proof, not size=XL."]


def test_an_option_given_twice_is_refused_in_chinese(program: Harness) -> None:
    program.ok("lang zh", as_="brand1")
    assert program.refused("cases page=1 page=2", as_="brand1") == "`page=` 出现了两次：请只填写一次。"


def test_unknown_options_are_refused_with_the_known_ones() -> None:
    with pytest.raises(UserError) as refused:
        Args.parse("platform=tmall colour=red").check_options("platform", "month")
    assert str(refused.value) == "Unknown option colour=. Options here: platform=, month=."


def test_a_missing_word_is_named() -> None:
    with pytest.raises(UserError, match=r"^Missing case id\.$"):
        Args.parse("").word(0, "case id")


def test_an_over_long_line_is_refused_with_a_way_out() -> None:
    assert Args.parse("x" * MAX_LINE).words == ["x" * MAX_LINE]
    with pytest.raises(UserError) as refused:
        Args.parse("x" * (MAX_LINE + 1))
    assert str(refused.value) == (
        f"That message is too long ({MAX_LINE + 1:,} characters; the limit is {MAX_LINE:,}). "
        "Split the links over several messages or attach them as a CSV file."
    )


def test_an_over_long_paste_is_refused_by_the_bot(program: Harness) -> None:
    link = "https://item.taobao.com/item.htm?id=1 "
    message = program.refused("complaint " + link * (MAX_LINE // len(link) + 1), as_="brand1")
    assert message.startswith("That message is too long (")
    assert program.ok("cases", as_="brand1").text == "No cases match."


# --- case ids ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "number"),
    [("MS-000123", 123), ("ms-123", 123), ("MS123", 123), ("123", 123), (" MS-7 ", 7), ("MS-0000000001", 1),
     ("MS-999999999", 999_999_999)],
)  # fmt: skip
def test_case_ids_in_every_written_form(text: str, number: int) -> None:
    assert parse_case_id(text) == number


@pytest.mark.parametrize(
    "text", ["MS-abc", "MS-0", "0", "MS-", "", "MS-1234567890", "#123", "MS--1", "MX-123", "MS-12a"]
)
def test_text_that_is_not_a_case_id_is_refused(text: str) -> None:
    with pytest.raises(UserError) as refused:
        parse_case_id(text)
    assert str(refused.value) == f"'{text}' is not a case id. Case ids look like MS-000123."


# --- item selections --------------------------------------------------------------------------

EMPTY = "(two commas in a row, or a comma at either end). Write items as 1,3-5 (or all)."


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("3", [3]),
        ("1,4,7-9", [1, 4, 7, 8, 9]),
        ("7-9,1", [1, 7, 8, 9]),
        ("1-3,2-4", [1, 2, 3, 4]),
        ("5-5", [5]),
        ("1-10", list(range(1, 11))),
        ("03-004", [3, 4]),
        ("0" * 5000 + "1", [1]),
    ],
)
def test_selections_of_items_and_ranges(text: str, expected: list[int]) -> None:
    assert parse_selection(text, 10) == expected


@pytest.mark.parametrize("text", ["all", "ALL", "All"])
def test_all_selects_every_item(text: str) -> None:
    assert parse_selection(text, 10) is None


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("11", "'11' is not a valid item number. Use a number from 1 to 10."),
        ("0", "'0' is not a valid item number. Use a number from 1 to 10."),
        ("5-12", "'12' is not a valid item number. Use a number from 1 to 10."),
        ("x", "'x' is not a valid item number. Use a number from 1 to 10."),
        ("1,,2", f"'1,,2' has an empty item number {EMPTY}"),
        ("1,", f"'1,' has an empty item number {EMPTY}"),
        ("1-", "'1-' is not a range: give both ends, e.g. 1-10."),
        ("4-,7", "'4-' is not a range: give both ends, e.g. 4-10."),
        ("-3", "'-3' is not a range: give both ends, e.g. 1-3."),
        ("-", "'-' is not a range: give both ends, e.g. 1-5."),
        ("1--2", "'1--2' is not a range of items. Write ranges low-high, e.g. 3-7."),
        ("1-2-3", "'1-2-3' is not a range of items. Write ranges low-high, e.g. 3-7."),
        ("9-3", "'9-3' is not a range of items. Write ranges low-high, e.g. 3-7."),
        ("99999999999999999999", "'99999999999999999999' is not a valid item number. Use a number from 1 to 10."),
        ("1" * 5000, f"'{'1' * 39}…' is not a valid item number. Use a number from 1 to 10."),
        ("٣", "'٣' is not a valid item number. Use a number from 1 to 10."),
    ],
)
def test_selections_out_of_range_or_malformed_are_refused(text: str, expected: str) -> None:
    with pytest.raises(UserError) as refused:
        parse_selection(text, 10)
    assert str(refused.value) == expected


# --- months -----------------------------------------------------------------------------------


@pytest.mark.parametrize(("text", "month"), [("2026-11", 202611), ("2027-01", 202701), (" 2026-12 ", 202612)])
def test_months_are_read_as_year_and_month(text: str, month: int) -> None:
    assert parse_month(text) == month


@pytest.mark.parametrize("text", ["2026-13", "2026-00", "2026-1", "26-11", "2026/11", "November 2026", "2026-11-01"])
def test_text_that_is_not_a_month_is_refused(text: str) -> None:
    with pytest.raises(UserError) as refused:
        parse_month(text)
    assert str(refused.value) == f"'{text}' is not a month. Write months as YYYY-MM, e.g. 2026-11."


@pytest.mark.parametrize(
    ("line", "note"),
    [
        ("note='single quotes' x", "single quotes"),
        ("note=\u201ccurly quotes\u201d x", "curly quotes"),
        ("note=\u2018curly single\u2019 x", "curly single"),
        ("note=「卖家 承认」 x", "卖家 承认"),
        ('note="it\'s fine" x', "it's fine"),
    ],
)
def test_single_curly_and_corner_quotes_group_a_value(line: str, note: str) -> None:
    args = Args.parse(line)
    assert args.options == {"note": note}
    assert args.words == ["x"]


def test_quotes_inside_a_word_and_apostrophes_are_kept_as_written() -> None:
    args = Args.parse("don't say 5\"x3\" 'til the '90s")
    assert args.words == ["don't", "say", '5"x3"', "'til", "the", "'90s"]


@pytest.mark.parametrize("line", ['note="never closed', "note=\u201cnever closed", 'acme "ACME Corp'])
def test_an_unterminated_quote_is_refused_rather_than_kept_as_text(line: str) -> None:
    with pytest.raises(UserError) as refused:
        Args.parse(line)
    assert "is never closed" in str(refused.value)


def test_leading_options_read_the_same_quotes_and_keep_the_rest_as_written() -> None:
    options, rest = leading_options(
        "title=\u201cFaster 1688\u201d tags='a b' The text, with \"quotes\".", ["title", "tags"]
    )
    assert options == {"title": "Faster 1688", "tags": "a b"}
    assert rest == 'The text, with "quotes".'


@pytest.mark.parametrize(
    ("text", "expected"),
    [("１，３－５", [1, 3, 4, 5]), ("1、2", [1, 2]), ("２", [2]), ("7,8，9", [7, 8, 9])],
)
def test_selections_typed_on_a_chinese_keyboard_read_as_typed_in_ascii(text: str, expected: list[int]) -> None:
    assert parse_selection(text, 10) == expected


def test_a_full_width_space_separates_words_and_full_width_signs_end_an_option_key() -> None:
    args = Args.parse("store\u3000strike note＝“假货 店铺” reason：counterfeit")
    assert args.words == ["store", "strike"]
    assert args.options == {"note": "假货 店铺", "reason": "counterfeit"}


def test_a_word_outside_a_vocabulary_is_refused_in_a_whole_sentence_in_each_language(program: Harness) -> None:
    assert program.refused("export format=pdf", as_="brand1") == (
        "'pdf' is not an export format. Use one of: csv, xlsx."
    )
    program.ok("lang zh", as_="brand1")
    assert program.refused("export format=pdf", as_="brand1").startswith("“pdf”不是有效的导出格式。")
    assert program.refused("cases platform=ebay", as_="brand1").startswith("“ebay”不是有效的电商平台。")
