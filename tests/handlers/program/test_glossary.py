"""The glossary: every reason code and outcome word, in English and Simplified Chinese."""

from __future__ import annotations

import re

import pytest

import handlers.program.language  # noqa: F401  (registers the `language` command, which shows the glossary)
from handlers.cases.notices import REASON_LABELS
from handlers.cases.outcomes import CASE_OUTCOMES, ITEM_OUTCOMES
from handlers.program.glossary import (
    OUTCOMES,
    REASONS,
    Term,
    bilingual_outcome,
    bilingual_reason,
    glossary_lines,
    outcome_label,
    reason_label,
)
from storage.vocabulary import ReasonCode
from support.harness import Harness

HAN = re.compile(r"[\u4e00-\u9fff]")
OUTCOME_WORDS = sorted({*ITEM_OUTCOMES, *CASE_OUTCOMES, "no_proof_shown"})


def test_every_reason_code_has_both_languages() -> None:
    assert set(REASONS) == set(ReasonCode)
    for code in ReasonCode:
        assert reason_label(code, "en") and reason_label(code, "zh")


def test_every_outcome_word_has_both_languages() -> None:
    assert set(OUTCOME_WORDS) <= set(OUTCOMES)
    for word in OUTCOME_WORDS:
        assert outcome_label(word, "en") and outcome_label(word, "zh")


@pytest.mark.parametrize(
    "term",
    [*(REASONS[code] for code in ReasonCode), *(OUTCOMES[word] for word in OUTCOME_WORDS)],
    ids=[*(code.value for code in ReasonCode), *OUTCOME_WORDS],
)
def test_chinese_labels_are_chinese_and_english_labels_english(term: Term) -> None:
    en, zh = term.en, term.zh
    assert en.strip() == en and zh.strip() == zh and en and zh
    assert zh != en and zh.lower() != en.lower()
    assert HAN.search(zh), f"{zh!r} has no Chinese characters"
    assert en.isascii() and not HAN.search(en)


def test_no_two_entries_share_a_chinese_label() -> None:
    reasons = [term.zh for term in REASONS.values()]
    outcomes = [term.zh for term in OUTCOMES.values()]
    assert len(set(reasons)) == len(reasons)
    assert len(set(outcomes)) == len(outcomes)


def test_the_standard_terms_the_team_reads() -> None:
    assert reason_label(ReasonCode.COUNTERFEIT, "zh") == "假冒商品（售假）"
    assert reason_label(ReasonCode.TRADEMARK_MISUSE, "zh") == "商标侵权（不当使用商标）"
    # 商标滥用 would mean the rights-holder abusing its own mark: never the seller's misuse.
    assert "滥用" not in reason_label(ReasonCode.TRADEMARK_MISUSE, "zh")
    assert reason_label(ReasonCode.COPYRIGHT, "zh") == "著作权侵权（盗图）"
    assert reason_label(ReasonCode.PATENT, "zh") == "专利侵权"
    assert reason_label(ReasonCode.NO_PROOF, "zh") == "未提供正品证明"
    assert reason_label(ReasonCode.OTHER, "zh") == "其他"
    assert {word: outcome_label(word, "zh") for word in OUTCOME_WORDS} == {
        "counter_notice": "反通知（卖家申诉）",
        "in_review": "审核中",
        "need_info": "需补充材料",
        "no_proof_shown": "卖家未提供正品证明",
        "not_found": "未找到链接",
        "not_removed": "未删除",
        "reinstated": "已恢复",
        "removed": "已删除",
        "upheld": "维持删除",
    }


def test_english_reason_labels_are_the_ones_case_notices_show() -> None:
    assert {code: reason_label(code) for code in ReasonCode} == REASON_LABELS


def test_bilingual_formats() -> None:
    assert bilingual_reason(ReasonCode.COUNTERFEIT) == "counterfeit · 假冒商品（售假）"
    assert bilingual_reason(ReasonCode.PATENT) == "patent infringement · 专利侵权"
    assert bilingual_outcome("upheld") == "removal upheld · 维持删除"
    assert bilingual_outcome("no_proof_shown") == "seller showed no proof · 卖家未提供正品证明"
    for code in ReasonCode:
        assert bilingual_reason(code) == f"{reason_label(code)} · {reason_label(code, 'zh')}"
    for word in OUTCOME_WORDS:
        assert bilingual_outcome(word) == f"{outcome_label(word)} · {outcome_label(word, 'zh')}"


def test_languages_and_words_are_read_leniently_and_unknown_ones_refused() -> None:
    assert reason_label(ReasonCode.PATENT) == "patent infringement"
    assert reason_label(ReasonCode("patent"), "zh-CN") == reason_label(ReasonCode.PATENT, "zh-Hans") == "专利侵权"
    assert outcome_label("Not-Found", "ZH") == "未找到链接"
    with pytest.raises(ValueError, match="no language 'fr'"):
        reason_label(ReasonCode.PATENT, "fr")
    with pytest.raises(ValueError, match="no outcome word 'deleted'"):
        outcome_label("deleted")


def test_the_glossary_lists_every_entry() -> None:
    lines = glossary_lines()
    assert lines[0] == "Reasons:" and "Outcomes:" in lines
    assert "  counterfeit: counterfeit · 假冒商品（售假）" in lines
    assert "  no_proof_shown: seller showed no proof · 卖家未提供正品证明" in lines
    assert len(lines) == 2 + len(REASONS) + len(OUTCOMES)


def test_members_and_the_team_read_the_glossary_in_chat(program: Harness) -> None:
    for who in ("brand1", "team1"):
        reply = program.ok("language glossary", as_=who)
        assert "English · 简体中文" in reply.text
        assert reply.lines == glossary_lines()
    assert "takes nothing after it" in program.refused("language glossary patent", as_="brand1")
