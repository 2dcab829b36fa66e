"""The review file: excluded lines never reach a passage or a search result; warnings go with passages."""

import re

import pytest

import settings
from actions.answer_format import answers
from embeddings.index import PassageIndex
from embeddings.search import Hit, Query, build_retriever
from knowledge.cleaning import clean
from knowledge.documents import Document
from knowledge.review import load_review

# Phrases of the advice and products the review excludes, as they appear in the documents.
EXCLUDED = ("jarum", "vodka", "bibir bawah", "magne b6", "365 mg", "panangin", "mydocalm", "memberkati")


@pytest.fixture(scope="module")
def full_retriever(corpus, encoder):
    return build_retriever(PassageIndex.build(corpus, encoder), encoder, settings.load({}))


def test_the_documents_hold_what_the_review_excludes(cleaned_documents):
    originals = " ".join(document.document.text.lower() for document in cleaned_documents)
    assert all(phrase in originals for phrase in EXCLUDED)


def test_excluded_lines_are_dropped_with_the_reviews_reason(cleaned_documents):
    reasons = {line.reason for document in cleaned_documents for line in document.dropped}
    assert any("pin or needle" in reason for reason in reasons) and any("vodka" in reason for reason in reasons)
    assert all(phrase not in document.text.lower() for document in cleaned_documents for phrase in EXCLUDED)


@pytest.mark.parametrize(
    "question",
    [
        "tusuk otot betis dengan jarum",
        "kompres vodka kram kaki",
        "tekan bibir bawah saat kram",
        "Magne B6 Forte tablet dosis",
    ],
)
def test_excluded_advice_can_never_be_retrieved(full_retriever, question):
    hits = full_retriever.search(Query(question))
    assert hits and all(phrase not in hit.passage.content.lower() for hit in hits for phrase in EXCLUDED)


def test_no_passage_names_a_dose(corpus):
    review = load_review()
    dose = next(e.pattern for e in review.exclusions if "dose" in e.reason)
    assert not [p.id for p in corpus if dose.search(p.content)]


def test_quinine_and_massage_passages_carry_their_warnings(corpus):
    quinine = [p for p in corpus if re.search(r"\bkina\b", p.content, re.IGNORECASE)]
    massage = [p for p in corpus if re.search(r"\b(pijat|memijat|dipijat)", p.content, re.IGNORECASE)]
    assert quinine and all("Kina (kuinin)" in p.warning for p in quinine)
    assert massage and all("varises" in p.warning for p in massage)
    assert all(not p.warning for p in corpus if p not in quinine + massage)


def test_an_answer_shows_the_warning_before_its_source(corpus):
    passage = next(p for p in corpus if "Kina (kuinin)" in p.warning)
    [answer] = answers([Hit(passage, 1.0, 1)], 700)
    assert "Kina (kuinin) dapat" in answer.warning
    assert answer.text.index("Kina (kuinin) dapat") < answer.text.index(answer.source)


def test_a_review_excludes_by_pattern_and_keeps_the_rest(tmp_path):
    path = tmp_path / "review.yml"
    path.write_text("exclude:\n  - {pattern: 'tusuk', reason: unsafe}\nwarn: []\n", encoding="utf-8")
    document = Document("d", "Judul", "id", "d.txt", "Judul\nPijat betis pelan.\nTusuk otot dengan jarum.\n")
    cleaned = clean(document, load_review(path))
    assert "Tusuk" not in cleaned.text and "Pijat betis" in cleaned.text
    assert [line.reason for line in cleaned.dropped] == ["review: unsafe"]


def test_an_invalid_review_entry_is_an_error_naming_the_file(tmp_path):
    path = tmp_path / "review.yml"
    path.write_text("exclude:\n  - {pattern: '(', reason: broken}\n", encoding="utf-8")
    with pytest.raises(ValueError, match="review.yml"):
        load_review(path)
