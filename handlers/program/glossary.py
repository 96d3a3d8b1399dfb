"""The program's glossary: reason codes and outcome words in English and Simplified Chinese.

A maintained list, not machine translation. The Chinese terms are the ones used in Chinese IP
enforcement and on Alibaba's IP protection platform (IPP) and in Taobao's rules, so the team and
the platforms' staff read the same words:

- counterfeit is Taobao's "出售假冒商品" (selling counterfeit goods, 售假);
- trademark misuse is "不当使用" of a mark, an infringement short of a fake. It is never
  "商标滥用": in Chinese that is the rights-holder abusing their own mark;
- a counter-notice is the seller's "反通知" (the E-Commerce Law's statement of non-infringement),
  which sellers and the platforms also call "申诉" (appeal).
"""

from __future__ import annotations

from dataclasses import dataclass

from handlers.kit.i18n import N_, _
from storage.vocabulary import ReasonCode

SEPARATOR = " · "
# The program's languages, by code, and every way members write them.
LANGUAGES = {"zh": N_("Chinese"), "en": N_("English")}
_ALIASES = {
    "cn": "zh", "zh-cn": "zh", "zh_cn": "zh", "zh-hans": "zh", "zh_hans": "zh", "chinese": "zh", "中文": "zh",
    "汉语": "zh", "english": "en", "en-us": "en", "en-gb": "en", "英文": "en", "英语": "en",
}  # fmt: skip


@dataclass(frozen=True, slots=True)
class Term:
    """One glossary entry: the English label and its Simplified Chinese counterpart."""

    en: str
    zh: str

    def label(self, language: str) -> str:
        return self.zh if _language(language) == "zh" else self.en

    @property
    def bilingual(self) -> str:
        return f"{self.en}{SEPARATOR}{self.zh}"


REASONS: dict[ReasonCode, Term] = {
    ReasonCode.COUNTERFEIT: Term("counterfeit", "假冒商品（售假）"),
    ReasonCode.TRADEMARK_MISUSE: Term("trademark misuse", "商标侵权（不当使用商标）"),
    ReasonCode.COPYRIGHT: Term("copyright / image theft", "著作权侵权（盗图）"),
    ReasonCode.PATENT: Term("patent infringement", "专利侵权"),
    ReasonCode.NO_PROOF: Term("no proof of authenticity", "未提供正品证明"),
    ReasonCode.OTHER: Term("other", "其他"),
}

OUTCOMES: dict[str, Term] = {
    "removed": Term("removed", "已删除"),
    "not_removed": Term("not removed", "未删除"),
    "not_found": Term("not found", "未找到链接"),
    "no_proof_shown": Term("seller showed no proof", "卖家未提供正品证明"),
    "counter_notice": Term("counter-notice", "反通知（卖家申诉）"),
    "upheld": Term("removal upheld", "维持删除"),
    "reinstated": Term("reinstated", "已恢复"),
    "need_info": Term("need more information", "需补充材料"),
    "in_review": Term("in review", "审核中"),
}


def language_code(text: str) -> str | None:
    """`zh`, `en`, or None: `Chinese`, `zh-CN` and `中文` are all `zh`."""
    normalised = text.strip().lower()
    normalised = _ALIASES.get(normalised, normalised)
    return normalised if normalised in LANGUAGES else None


def _language(language: str) -> str:
    """`en` or `zh` (Simplified Chinese); anything else is a programming error."""
    code = language_code(language)
    if code is None:
        raise ValueError(f"The glossary has no language {language!r}; it has {', '.join(LANGUAGES)}.")
    return code


def reason_label(code: ReasonCode, language: str = "en") -> str:
    """A reason code's label: `reason_label(ReasonCode.PATENT, "zh")` -> `专利侵权`."""
    return REASONS[ReasonCode(code)].label(language)


def outcome_label(word: str, language: str = "en") -> str:
    """An outcome word's label: `outcome_label("upheld", "zh")` -> `维持删除`."""
    return _outcome(word).label(language)


def bilingual_reason(code: ReasonCode) -> str:
    """`counterfeit · 假冒商品（售假）`."""
    return REASONS[ReasonCode(code)].bilingual


def bilingual_outcome(word: str) -> str:
    """`removal upheld · 维持删除`."""
    return _outcome(word).bilingual


def glossary_lines() -> list[str]:
    """The whole glossary, one `word: English · 中文` line per entry, reasons first."""
    lines = [_("Reasons:")]
    lines.extend(f"  {code.value}: {term.bilingual}" for code, term in REASONS.items())
    lines.append(_("Outcomes:"))
    lines.extend(f"  {word}: {term.bilingual}" for word, term in OUTCOMES.items())
    return lines


def _outcome(word: str) -> Term:
    term = OUTCOMES.get(word.strip().lower().replace("-", "_"))
    if term is None:
        raise ValueError(f"The glossary has no outcome word {word!r}; it has {', '.join(OUTCOMES)}.")
    return term
