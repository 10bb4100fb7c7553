"""What a proposal replaces when its author did not say, and duplicated words caught."""

from comments.consultation.core.adoption import duplication, infer_scope

ARTICLE = "本条例适用于本市行政区域内骆马湖的水环境保护及其相关活动。"


def test_a_few_words_for_the_quoted_words_replace_the_quote():
    assert infer_scope(ARTICLE, "骆马湖", "骆马湖及其入湖河道") == "quote"


def test_a_rewritten_paragraph_quoting_a_phrase_replaces_the_paragraph():
    proposal = "本条例适用于本市行政区域内骆马湖及其入湖河道的水环境保护及其相关活动。"
    assert infer_scope(ARTICLE, "本市行政区域内", proposal) == "clause"


def test_one_line_per_paragraph_replaces_the_whole_article():
    assert infer_scope(ARTICLE, None, "甲。\n乙。\n丙。", paragraphs=3) == "provision"
    assert infer_scope(ARTICLE, None, "甲。", paragraphs=3) == "clause"


def test_duplicated_words_are_found_and_honest_edits_are_not():
    garbled = "本条例适用于本条例适用于本市行政区域内骆马湖及其入湖河道。骆马湖的水环境保护。"
    assert duplication(ARTICLE, garbled) == "本条例适用于"
    assert duplication("甲乙丙。", "甲乙丙。。") == "。。"
    twice = "第一句话在这里。第二句。第一句话在这里。"
    assert duplication("第一句话在这里。第二句。", twice) == "第一句话在这里。"
    assert duplication(ARTICLE, ARTICLE.replace("骆马湖", "骆马湖及其入湖河道")) is None
