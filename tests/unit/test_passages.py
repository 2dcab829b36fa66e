import itertools
import random

import pytest

from knowledge.cleaning import clean
from knowledge.documents import Document
from knowledge.lines import is_bullet
from knowledge.passages import (
    MAX_WORDS,
    MIN_WORDS,
    Passage,
    _balanced,
    passage_id,
    read_passages,
    split_into_passages,
    write_passages,
)


def _cleaned(text: str):
    return clean(Document(id="contoh", title="Judul contoh", language="id", original_file="x.txt", text=text))


def test_every_passage_text_is_its_span_of_the_cleaned_source(cleaned_documents):
    for document in cleaned_documents:
        for passage in split_into_passages(document):
            assert document.text[passage.start : passage.end] == passage.text


def test_the_same_input_gives_the_same_ids_and_different_content_gives_different_ids(cleaned_documents, corpus):
    again = [p for document in cleaned_documents for p in split_into_passages(document)]
    assert [p.id for p in again] == [p.id for p in corpus]
    assert len({p.id for p in corpus}) == len(corpus)
    first = corpus[0]
    assert passage_id(first.doc_id, first.section, first.lead, first.text + " ") != first.id


def test_passages_of_the_real_articles_are_chat_sized(corpus):
    sizes = [p.words for p in corpus]
    assert max(sizes) <= MAX_WORDS
    assert sum(size >= MIN_WORDS for size in sizes) / len(sizes) >= 0.9


def test_a_list_stays_with_the_sentence_that_introduces_it(corpus):
    passage = next(p for p in corpus if "Penyebab berikut bisa memicu otot betis berkedut:" in p.text)
    assert passage.section == "penyebab"
    assert "• Dehidrasi" in passage.content and "• Efek samping obat tertentu" in passage.content


def test_a_long_list_is_split_into_balanced_parts_that_repeat_its_introduction():
    items = [f"  • Butir nomor {n} berisi tujuh kata untuk uji." for n in range(1, 31)]
    text = "Daftar panjang\nBerikut penyebab yang perlu diketahui:\n" + "\n".join(items)
    passages = split_into_passages(_cleaned(text))
    assert len(passages) >= 3
    assert all(p.words <= MAX_WORDS for p in passages)
    assert passages[0].lead == "" and passages[0].text.startswith("Berikut penyebab")
    assert all(p.lead == "Berikut penyebab yang perlu diketahui:" for p in passages[1:])
    shown = [line for p in passages for line in p.text.splitlines() if "Butir" in line]
    assert shown == items
    assert max(p.words for p in passages) - min(p.words for p in passages) <= 20


def test_short_neighbouring_paragraphs_are_merged_within_a_section_only():
    text = "Bagian satu\nKalimat pendek pertama.\nKalimat pendek kedua.\nBagian dua\nKalimat pendek ketiga."
    passages = split_into_passages(_cleaned(text))
    assert [(p.section, p.content) for p in passages] == [
        ("Bagian satu", "Kalimat pendek pertama.\nKalimat pendek kedua."),
        ("Bagian dua", "Kalimat pendek ketiga."),
    ]


def test_a_long_paragraph_is_split_at_sentence_ends():
    sentences = [f"Otot betis bisa kram karena alasan nomor {n} yang perlu dijelaskan dokter." for n in range(30)]
    passages = split_into_passages(_cleaned("Judul\n" + " ".join(sentences)))
    assert len(passages) >= 2
    assert all(p.text.endswith(".") and p.words <= MAX_WORDS for p in passages)


def test_passages_round_trip_through_jsonl(tmp_path, corpus):
    path = tmp_path / "passages.jsonl"
    write_passages(path, corpus)
    assert read_passages(path) == corpus
    assert Passage.from_dict(corpus[3].to_dict()) == corpus[3]


def test_identical_passages_in_one_document_are_refused():
    with pytest.raises(ValueError, match="share id"):
        split_into_passages(_cleaned("Bagian\n" + "\n".join(["Kalimat yang sama persis diulang. " * 20] * 2)))


def test_passages_end_on_text_and_start_on_text_or_a_list_item(corpus):
    assert all(p.text == p.text.rstrip() for p in corpus)
    assert all(p.text == p.text.lstrip() or is_bullet(p.text) for p in corpus)


def test_list_groups_are_the_fewest_possible_and_as_even_as_that_allows():
    def best(sizes, capacity):
        for count in range(1, len(sizes) + 1):
            largest = []
            for cuts in itertools.combinations(range(1, len(sizes)), count - 1):
                bounds = [0, *cuts, len(sizes)]
                groups = [sizes[a:b] for a, b in zip(bounds, bounds[1:])]
                if all(len(g) == 1 or sum(g) <= capacity for g in groups):
                    largest.append(max(sum(g) for g in groups))
            if largest:
                return count, min(largest)

    rng = random.Random(7)
    for _ in range(500):
        sizes = [rng.randint(1, 60) for _ in range(rng.randint(1, 7))]
        capacity = rng.randint(10, 80)
        groups = _balanced(sizes, capacity)
        assert [i for g in groups for i in g] == list(range(len(sizes)))
        assert (len(groups), max(sum(sizes[i] for i in g) for g in groups)) == best(sizes, capacity)
