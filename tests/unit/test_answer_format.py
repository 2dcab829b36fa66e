from dataclasses import replace

from actions.answer_format import answer_messages, shorten, source_line
from embeddings.search import Hit


def test_shorten_keeps_text_that_fits():
    assert shorten("Kram itu nyeri.", 100) == "Kram itu nyeri."


def test_shorten_keeps_whole_lines_then_whole_sentences_within_the_limit():
    lines = "Penyebab kram:\n• Dehidrasi\n• Kurang magnesium dan kalium dalam makanan"
    assert shorten(lines, 30) == "Penyebab kram:\n• Dehidrasi\n…"
    sentences = "Kram adalah kontraksi otot. Kram sering terjadi pada malam hari saat tidur."
    assert shorten(sentences, 40) == "Kram adalah kontraksi otot. …"
    assert len(shorten("kata " * 100, 50)) <= 50


def test_each_message_shows_its_source(small_passages):
    hit = Hit(small_passages[1], 0.7, 1)
    (message,) = answer_messages([hit], 700)
    assert message.endswith(source_line(hit))
    assert source_line(hit) == f"Sumber: {hit.passage.doc_title} — bagian \u201c{hit.passage.section}\u201d"


def test_the_source_line_does_not_repeat_a_section_that_is_the_title(small_passages):
    passage = replace(small_passages[0], section=small_passages[0].doc_title)
    assert source_line(Hit(passage, 0.5, 1)) == f"Sumber: {passage.doc_title}"


def test_the_budget_limits_the_source_text_of_all_passages_together(small_passages):
    first, second = small_passages[0], small_passages[1]
    messages = answer_messages([Hit(first, 0.7, 1), Hit(second, 0.69, 2)], len(first.content) + 250)
    assert len(messages) == 2 and messages[0].startswith(first.content)
    shown = [message.split("\nSumber:")[0] for message in messages]
    assert sum(len(text) for text in shown) <= len(first.content) + 250
    assert len(answer_messages([Hit(first, 0.7, 1)], 300)[0].split("\nSumber:")[0]) <= 300


def test_shorten_never_exceeds_its_limit(corpus):
    for limit in (5, 10, 37, 120, 300, 700):
        for passage in corpus[:40]:
            assert len(shorten(passage.content, limit)) <= limit
    assert len(shorten("x" * 50, 10)) <= 10
