import pytest

from embeddings.indonesian import STOPWORDS, Glossary, stem, words


def test_words_are_lower_case_and_keep_hyphenated_words_whole():
    assert words("Kejang-kejang TIBA-TIBA, di betis!") == ["kejang-kejang", "tiba-tiba", "di", "betis"]


def test_negations_and_suddenness_are_not_stopwords():
    assert {"tidak", "tak", "bukan", "belum", "tanpa", "jangan", "tiba-tiba"}.isdisjoint(STOPWORDS)


def test_chat_spellings_and_english_become_formal_indonesian(analyzer):
    assert analyzer.content_words("knp betis gw keram mulu tiap malem") == ("betis", "kram", "setiap", "malam")
    assert analyzer.content_words("Why do my calves cramp at night?") == ("betis", "kram", "malam")
    assert analyzer.content_words("pins and needles in my feet") == ("kesemutan", "kaki")


def test_terms_are_stems_as_measured_on_the_documents(analyzer):
    assert analyzer.terms("pencegahan kesemutan pembuluh") == ["cegah", "semut", "buluh"]
    assert stem("mengobati") == stem("pengobatan") == "obat"


def test_the_glossary_refuses_a_word_mapped_two_ways(tmp_path):
    path = tmp_path / "glossary.yml"
    path.write_text("informal:\n  knp: kenapa\nenglish:\n  knp: why\n", encoding="utf-8")
    with pytest.raises(ValueError, match="mapped twice"):
        Glossary.load(path)


def test_the_longest_glossary_phrase_wins():
    glossary = Glossary({"leg": "kaki", "lower leg": "kaki bagian bawah"})
    assert glossary.translate(["my", "lower", "leg"]) == ["my", "kaki", "bagian", "bawah"]
