from dataclasses import replace

from actions.answer_format import answers, shorten
from embeddings.search import Hit


def test_shorten_keeps_text_that_fits():
    assert shorten("Kram itu nyeri.", 100) == "Kram itu nyeri."


def test_shorten_keeps_whole_lines_then_whole_sentences_within_the_limit():
    lines = "Penyebab kram:\n• Dehidrasi\n• Kurang magnesium dan kalium dalam makanan"
    assert shorten(lines, 30) == "Penyebab kram:\n• Dehidrasi\n…"
    sentences = "Kram adalah kontraksi otot. Kram sering terjadi pada malam hari saat tidur."
    assert shorten(sentences, 40) == "Kram adalah kontraksi otot. …"
    assert len(shorten("kata " * 100, 50)) <= 50


def test_an_answer_is_data_and_its_plain_text_is_rendered_from_that_data(small_passages):
    hit = Hit(small_passages[1], 0.7, 1)
    (answer,) = answers([hit], 700)
    passage = hit.passage
    assert answer.payload() == {
        "answer": {
            "passage": passage.content,
            "title": passage.doc_title,
            "section": passage.section,
            "warning": None,
            "source": f"Sumber: {passage.doc_title} \u2014 bagian \u201c{passage.section}\u201d",
        }
    }
    assert answer.text == f"{passage.content}\n{answer.source}"


def test_a_warning_comes_between_the_passage_and_its_source(small_passages):
    passage = replace(small_passages[1], warning="Tanyakan dokter dulu.")
    (answer,) = answers([Hit(passage, 0.7, 1)], 700)
    assert answer.warning == "Tanyakan dokter dulu." and answer.payload()["answer"]["warning"] == answer.warning
    assert answer.text == f"{passage.content}\nTanyakan dokter dulu.\n{answer.source}"


def test_the_source_does_not_repeat_a_section_that_is_the_title(small_passages):
    passage = replace(small_passages[0], section=small_passages[0].doc_title)
    (answer,) = answers([Hit(passage, 0.5, 1)], 700)
    assert answer.section is None and answer.source == f"Sumber: {passage.doc_title}"


def test_the_budget_limits_the_source_text_of_all_passages_together(small_passages):
    first, second = small_passages[0], small_passages[1]
    shown = answers([Hit(first, 0.7, 1), Hit(second, 0.69, 2)], len(first.content) + 250)
    assert len(shown) == 2 and shown[0].passage == first.content
    assert sum(len(answer.passage) for answer in shown) <= len(first.content) + 250
    assert len(answers([Hit(first, 0.7, 1)], 300)[0].passage) <= 300


def test_shorten_never_exceeds_its_limit(corpus):
    for limit in (5, 10, 37, 120, 300, 700):
        for passage in corpus[:40]:
            assert len(shorten(passage.content, limit)) <= limit
    assert len(shorten("x" * 50, 10)) <= 10
