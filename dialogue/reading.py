"""What one message says, read from its words: the aspect it asks about, the vocabulary terms it
names, the words of its own topic, and whether it leans on the conversation ("kalau …",
"what about …", "mencegahnya", "it").

    reading = read(text, nlu_entities, analyzer)
    reading.aspect, reading.terms, reading.subject, reading.opens_follow_up, reading.points_back
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable, Mapping, Tuple

from dialogue.vocabulary import Term, entity_of, terms_in
from embeddings.indonesian import ENCLITIC, STOPWORDS, Analyzer, words
from knowledge.aspects import question_aspect, without_cues

# Words of a question that say how it is asked, not what about ("cara", "lama" in "berapa lama").
QUESTION_WORDS = frozenset(
    """
    cara bagaimana caranya apa saja sih ya nya dong kah tuh gitu gini aja biasanya normal wajar
    lama berapa brp seberapa perlu harus boleh bisa mungkin sebaiknya baiknya benar betul
    efek hubungan hubungannya pengaruh pengaruhnya kalau jika bila lalu terus trus btw oke ok
    it its this that she he they them her his do does can could should would about what how
    long normal ok okay and then also else anything more other another different question
    kapan mana siapa when where which who whom whose
    lain lainnya selain lagi lanjut lanjutkan info informasi tambah
    hmm hm eh ah oh wah duh aduh hehe haha wkwk lol please tolong
    """.split()
)
# Openings that make a message lean on the previous question: "kalau pas hamil?", "what about at night?"
FOLLOW_UP_OPENINGS = (
    "kalau",
    "jika",
    "bila",
    "lalu",
    "terus",
    "trus",
    "bagaimana dengan",
    "and",
    "what about",
    "how about",
)
# What no article answers, matched on the formal words as whole phrases: services (prices and
# costs, where to buy, brands, which named hospital, clinic or doctor, insurance, booking) and
# topics the articles never treat (contagion, heredity, alternative therapies, menstruation, omens).
OUTSIDE_THE_ARTICLES = (
    # services
    "harga", "biaya", "biayanya", "harganya", "tarif", "ongkos", "rupiah", "price", "cost", "costs",
    "beli di mana", "beli dimana", "where to buy", "merek", "merk", "brand", "brands",
    "rumah sakit mana", "klinik mana", "dokter mana", "apotek mana", "which hospital", "which clinic",
    "bpjs", "asuransi", "insurance", "membuat janji", "buat janji", "appointment", "booking",
    # topics
    "menular", "tertular", "contagious", "infectious", "genetik", "genetic", "hereditary", "diturunkan",
    "akupunktur", "acupuncture", "tusuk jarum", "bekam", "cupping", "kerokan", "refleksi", "reflexology",
    "haid", "menstruasi", "mens", "datang bulan", "menstrual", "period", "pms",
    "primbon", "pertanda", "firasat", "rezeki", "rejeki", "omen",
)
# Pronouns that point back at the topic just discussed.
POINTERS = frozenset({"itu", "ini", "tersebut", "it", "this", "that", "she", "he", "they", "them"})


@dataclass(frozen=True)
class Reading:
    """A message as the dialogue understands it."""

    text: str  # the message, whitespace-normalised
    aspect: str  # what its own words ask about (knowledge.aspects), "" if they do not say
    terms: Tuple[Term, ...]  # vocabulary values it names (from its words and from NLU)
    subject: Tuple[str, ...]  # its own topic's words in formal Indonesian, contexts excluded
    opens_follow_up: bool  # "kalau pas hamil?", "what about at night?"
    points_back: bool  # "mencegahnya", "is it dangerous?"
    asks_outside_the_articles: bool  # a service (a price, a brand, a named hospital) or a topic none treats

    def values(self, entity: str) -> Tuple[str, ...]:
        return tuple(dict.fromkeys(term.value for term in self.terms if term.entity == entity))

    @property
    def names_a_complaint(self) -> bool:
        """A symptom or condition of its own, other than bare pain ("kalau di paha?" names only a
        body part, "sakit" nothing in particular)."""
        return any(term.value not in VAGUE_VALUES for term in self.terms if term.entity in ("symptom", "condition"))

    @property
    def has_something_to_search(self) -> bool:
        """Anything besides question words, aspect cues and vague words ("sakit", "kenapa ya?")."""
        return any(term.value not in VAGUE_VALUES for term in self.terms) or any(
            word not in VAGUE_WORDS for word in self.subject
        )


# A complaint named only as pain, with nothing else, gives nothing to search for.
VAGUE_VALUES = frozenset({"nyeri"})
VAGUE_WORDS = frozenset({"sakit", "nyeri", "keluhan", "masalah", "penyakit", "kondisi", "gejala", "pain", "problem"})


def read(text: str, entities: Iterable[Mapping], analyzer: Analyzer) -> Reading:
    """Read `text` (NLU `entities` add values its words do not show)."""
    text = " ".join(text.split())
    raw = tuple(words(text))
    formal = tuple(analyzer.formal_words(text))
    terms = _merge(terms_in(raw), terms_in(formal), _nlu_terms(entities, analyzer))
    context_words = {word for term in terms if term.entity == "context" for word in term.value.split()}
    context_words |= {
        word for term in terms_in(formal) if term.entity == "context" for word in formal[term.start : term.end]
    }
    subject = tuple(
        word
        for word in words(without_cues(" ".join(formal)))
        if word not in STOPWORDS and word not in QUESTION_WORDS and word not in context_words and word not in POINTERS
    )
    return Reading(
        text=text,
        aspect=question_aspect(" ".join(formal)),
        terms=terms,
        subject=tuple(dict.fromkeys(subject)),
        opens_follow_up=any(" ".join(formal[: len(start.split())]) == start for start in FOLLOW_UP_OPENINGS),
        points_back=any(
            word in POINTERS or (word.endswith(ENCLITIC) and len(word) > len(ENCLITIC) + 2) for word in raw
        ),
        asks_outside_the_articles=any(f" {phrase} " in f" {' '.join(formal)} " for phrase in OUTSIDE_THE_ARTICLES),
    )


def _nlu_terms(entities: Iterable[Mapping], analyzer: Analyzer) -> Tuple[Term, ...]:
    """NLU's entities whose value (in formal Indonesian) is a vocabulary value."""
    found = []
    for entity in entities:
        value = analyzer.formal_phrase(str(entity.get("value") or ""))
        name = entity_of(value)
        if name:
            found.append(Term(name, value, -1, -1))
    return tuple(found)


def _merge(*groups: Iterable[Term]) -> Tuple[Term, ...]:
    seen, merged = set(), []
    for term in (term for group in groups for term in group):
        if (term.entity, term.value) not in seen:
            seen.add((term.entity, term.value))
            merged.append(term)
    return tuple(merged)
