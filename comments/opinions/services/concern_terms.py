"""The terms a resident's opinion is grouped by: jieba words and character bigrams, minus filler."""

from __future__ import annotations

import re

from search.core.analysis import fold, words

# Words residents put in every opinion whatever it is about: they say nothing of the subject.
FILLER = frozenset(
    "希望 建议 能否 能不能 是否 请 尽快 一下 我们 我家 他们 大家 现在 经常 很多 非常 问题 情况 "
    "反映 没有 不能 可以 一直 好几 相关 部门 政府 有关 进行 加强 解决 出现 存在 已经 还是 "
    "如果 因为 所以 但是 而且 这个 那个 什么 怎么 这样 为了 以及 的话 目前 多次 仍未 一个 "
    "不要 一些 要求 整改 督促 落实 及时 方便 问题 居民 群众 市民 住户 业主 小区 社区 "
    # When and where in general: every kind of complaint happens at night or by a gate.
    "晚上 白天 早上 上午 下午 夏天 冬天 今年 去年 门口 附近 旁边 周边 周围 市区 城区".split()
)
_CJK = re.compile(r"[\u4e00-\u9fff]+")
_FILLER_CHARS = frozenset(
    "的了是在和与及也都就还很太又把被让给对从到向这那有没不我你他她它们啊吧呢吗"
)


def concern_terms(text: str, *, bigram_weight: int = 1) -> list[str]:
    """Return an opinion's terms: content words (two characters or more) and character bigrams."""
    folded, _map = fold(text)
    terms = [w for w in words(folded) if len(w) > 1 and w not in FILLER]
    for run in _CJK.findall(folded):
        for a, b in zip(run, run[1:], strict=False):
            if a in _FILLER_CHARS or b in _FILLER_CHARS:
                continue
            gram = a + b
            if gram not in FILLER:
                terms.extend(["~" + gram] * bigram_weight)
    return terms


def display_terms(terms: list[str]) -> list[str]:
    """Return the words among terms (bigrams are for matching, not for naming)."""
    return [t for t in terms if not t.startswith("~")]
