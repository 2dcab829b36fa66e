"""One source per word: the glossary's chat words (read by retrieval and by the safety patterns),
its English words and Rasa's entity synonyms never map the same word, and every glossary entry can
match a question."""

from typing import Dict, List

import pytest
import yaml

from embeddings.indonesian import (
    ENGLISH_AND_CHAT_SYNONYMS,
    GLOSSARY_PATH,
    GLOSSARY_SECTIONS,
    MAX_PHRASE_WORDS,
    Glossary,
    chat_words,
    synonym_table,
    words,
)
from safety.normalize import normalize


def _glossary_entries() -> List[tuple]:
    """(section, word, replacement) as written in glossary.yml."""
    data = yaml.safe_load(GLOSSARY_PATH.read_text(encoding="utf-8"))
    return [
        (section, str(word), str(target)) for section in GLOSSARY_SECTIONS for word, target in data[section].items()
    ]


def test_no_word_is_mapped_by_two_tables():
    tables: Dict[str, List[str]] = {}
    for section, word, _ in _glossary_entries():
        tables.setdefault(word, []).append(f"glossary {section}")
    for variant in synonym_table():
        tables.setdefault(variant, []).append("entity synonyms")
    assert {word: where for word, where in tables.items() if len(where) > 1} == {}


def test_every_glossary_entry_can_match_and_changes_something():
    dead = [
        (word, target)
        for _, word, target in _glossary_entries()
        if " ".join(words(word)) != word or len(word.split()) > MAX_PHRASE_WORDS or target == word
    ]
    assert dead == []


def test_the_safety_patterns_read_the_glossary_chat_words():
    table = chat_words()
    assert {word: normalize(word) for word in table} == table
    assert normalize("gk bs napas tb2, sakit bgt sm bengkak & merah") == (
        "tidak bisa napas tiba-tiba, sakit banget dan bengkak dan merah"
    )


def test_retrieval_reads_the_same_chat_words_and_rasas_english_and_chat_synonyms():
    glossary = Glossary.load()
    expected = {**synonym_table((ENGLISH_AND_CHAT_SYNONYMS,)), **chat_words()}
    assert {word: " ".join(glossary.translate(word.split())) for word in expected} == expected
    assert glossary.translate(words("calves sakit bgt sm bengkak pas tidur")) == [
        "betis",
        "sakit",
        "banget",
        "dan",
        "bengkak",
        "saat",
        "tidur",
    ]


def test_a_replacement_is_final_so_a_question_meets_the_documents_words_as_indexed():
    glossary = Glossary.load()
    changed = {
        word: target
        for word, target in glossary.replacements.items()
        if glossary.translate(target.split()) != target.split()
    }
    assert changed == {}


@pytest.mark.parametrize(
    "glossary, refusal",
    [
        ("informal:\n  bisa2: bisa\n", "'bisa2' can never match"),
        ("informal:\n  Knp: kenapa\n", "'Knp' can never match"),
        ("english:\n  diet: diet\n", "'diet' is replaced by itself"),
        ("informal:\n  keram: kram\n", "'keram' is mapped twice"),
        ("informal:\n  knp: kenapa\nenglish:\n  knp: why\n", "'knp' is mapped twice"),
    ],
)
def test_a_glossary_entry_that_cannot_work_is_refused(tmp_path, glossary, refusal):
    path = tmp_path / "glossary.yml"
    path.write_text(glossary, encoding="utf-8")
    with pytest.raises(ValueError, match=refusal):
        Glossary.load(path)
