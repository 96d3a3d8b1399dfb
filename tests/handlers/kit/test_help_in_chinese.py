"""`help <command>` in the reader's language: the command's syntax as typed, its explanation
translated (the `help` catalog, extracted from the handlers' docstrings)."""

from __future__ import annotations

import re

import pytest

import handlers.catalogue  # noqa: F401  (registers every command)
from handlers.kit.i18n import _, in_language
from handlers.kit.registry import COMMANDS
from support.harness import Harness

SYNTAX_END = re.compile(r"\s{2,}\(")  # `calendar load  (with a CSV file attached ...)`: a remark follows
USAGE_PART = re.compile(r"<[^>]*>|\[[^\]]*\]|\S+")
SYNTAX_PART = re.compile(r"^(?:[\[<|]|[a-z_]+=)")  # `[page=<n>]`, `<text>`, `|`, `role=...`


def is_syntax(line: str) -> bool:
    """An indented line continuing the command's syntax: options and placeholders only."""
    return line.startswith(" ") and all(SYNTAX_PART.match(part) for part in USAGE_PART.findall(line))


def test_a_chinese_reader_reads_help_complaint_in_chinese_with_the_syntax_as_typed(program: Harness) -> None:
    program.ok("lang zh", as_="brand1")
    reply = program.ok("help complaint", as_="brand1")

    assert reply.text == "complaint: 投诉售假商品链接或店铺"
    assert reply.lines[0] == 'complaint [right=<id>] [reason=<code>] [note="..."] [platform=<name>] <links>'
    assert reply.lines[1].startswith("粘贴任意数量的链接（链接前后可以有其他文字），或附上含 `link` 列的 CSV 文件。")
    assert "counterfeit（假冒商品（售假），默认）" in "".join(reply.lines)
    assert reply.lines[-1] == "示例：complaint right=3 reason=counterfeit https://item.taobao.com/item.htm?id=123"


def test_an_english_reader_reads_help_complaint_as_before(program: Harness) -> None:
    reply = program.ok("help complaint", as_="brand1")

    assert reply.text.startswith("complaint: ") and reply.lines == COMMANDS["complaint"].usage.splitlines()
    assert reply.lines[1].startswith("Paste any number of links (text around them is fine)")
    assert reply.lines[-1] == "Example: complaint right=3 reason=counterfeit https://item.taobao.com/item.htm?id=123"


def test_a_command_word_that_runs_alone_and_has_sub_commands_shows_its_usage_in_chinese(program: Harness) -> None:
    program.ok("lang zh", as_="brand1")
    reply = program.ok("help propose", as_="brand1")

    assert reply.lines[0] == 'propose title="<title>" [tags=taobao,handbags] <text>'
    assert reply.lines[2].startswith("提案（对项目的意见）会连同投票按钮发布到工作组；单独使用 `propose` 会打开表单。")
    assert any(line.startswith("propose vote: ") for line in reply.lines)


@pytest.mark.parametrize("path", sorted(COMMANDS))
def test_every_commands_usage_reads_in_chinese_with_its_syntax_and_example_as_typed(path: str) -> None:
    usage = COMMANDS[path].usage
    with in_language("zh"):
        translated = _(usage)
    english, chinese = usage.splitlines(), translated.splitlines()

    assert translated != usage, "no translation"
    assert chinese[0].startswith(SYNTAX_END.split(english[0])[0])
    for line in english[1:]:
        if is_syntax(line):
            assert line in chinese, f"syntax line changed: {line!r}"
    english_example = usage.split("\nExample: ", 1)[1]
    assert translated.split("\n示例：", 1)[1] == english_example
