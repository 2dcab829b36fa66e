"""Indonesian text for lexical search: words, the glossary (chat spellings and English to formal
Indonesian, with the synonym files' English words and chat spellings), stems (Sastrawi) and
stopwords. Which files hold the vocabulary is configured in settings.py.

Negations (tidak, bukan, belum, tanpa, jangan) and words like "tiba-tiba" are never stopwords:
they change what a sentence says.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Dict, List, Mapping, Optional, Sequence, Tuple

import yaml

from settings import ENGLISH_AND_CHAT_SYNONYMS, GLOSSARY_PATH, REGIONAL_SYNONYMS, SYNONYM_FILES

CHAT_WORDS = "informal"  # the glossary's chat words, which the safety patterns read too
REGIONAL_WORDS = "regional"  # its Javanese and Sundanese words, which the safety patterns read too
GLOSSARY_SECTIONS = (CHAT_WORDS, REGIONAL_WORDS, "english")
# The synonym files whose variants the glossary applies to a question's words (the topic's words in
# English, chat spelling, Javanese and Sundanese), and those the safety patterns apply.
TRANSLATED_SYNONYMS = (ENGLISH_AND_CHAT_SYNONYMS, REGIONAL_SYNONYMS)
_WORD = re.compile(r"[0-9a-z]+(?:-[0-9a-z]+)*")
_LETTERS = re.compile(r"[^\W_]+(?:-[^\W_]+)*")  # a word as written, any script, digits included
_CHAT_REDUPLICATION = re.compile(r"(?<=[a-z])2$")  # "malem2" for "malem-malem"
MAX_PHRASE_WORDS = 4
ENCLITIC = "nya"  # "obatnya", "mencegahnya": "its", "of it"

# Function words of Indonesian and English questions and of the articles. Not listed, on
# purpose: negations, "tiba-tiba", and every word that names a symptom, body part or aspect.
STOPWORDS = frozenset(
    """
    ada adalah agak agar akan aku anda apa apakah atau bagaimana bahkan bahwa banyak beberapa begitu
    belakangan berapa biasanya bisa boleh dalam dan dapat dari demikian dengan di dia dong ya gimana
    hal harus hanya ini itu ia jadi juga justru kah kak kalau kami kamu karena ke kenapa ketika kita
    kok lagi lah maka mana masih melalui memang mengapa mereka misalnya mohon nih oleh pada para
    per perlu pun saat saja sama sampai sangat saya se sebagai sebelum sedang sehingga sekali selama
    seperti sering sih suatu sudah supaya tapi tentang terhadap terjadi terus tersebut tolong untuk
    yaitu yakni yang dok min halo hai permisi mau tanya nanya apaan deh loh lho kan banget
    a about am an and are as at be been being by can could did do does doing for from get gets got
    had has have how i i'm if in into is it its me my of on or our should so than that the their
    them then there these they this to us very was we were what when where which while who why will
    with would you your
    """.split()
)


@dataclass(frozen=True)
class Glossary:
    """Word and phrase replacements, lower-case; a phrase is a space-separated run of words.
    `regional` holds those of Javanese and Sundanese words, which a question is embedded without."""

    replacements: Mapping[str, str]
    regional: Mapping[str, str] = field(default_factory=dict)

    @classmethod
    def load(
        cls,
        path: Path = GLOSSARY_PATH,
        synonyms: Sequence[Path] = TRANSLATED_SYNONYMS,
        synonym_files: Sequence[Path] = SYNONYM_FILES,
    ) -> "Glossary":
        """The glossary's sections, and the synonyms in the files `synonyms`. ValueError for a
        glossary word that can never match, or that is a synonym in `synonym_files` too."""
        table = synonym_table(synonyms)
        synonym_words = synonym_table(synonym_files)
        for source, target in glossary_words(path).items():
            if source in synonym_words:
                raise ValueError(f"{path}: {source!r} is mapped twice: by the glossary and as a synonym")
            table[source] = target
        return cls(table, regional_words(path))

    def with_enclitic(self, word: str) -> str:
        """A chat word ending in -nya ("nyegahnya") in its formal spelling with -nya kept."""
        base = word[: -len(ENCLITIC)]
        if word.endswith(ENCLITIC) and word not in self.replacements and " " not in self.replacements.get(base, " "):
            return self.replacements[base] + ENCLITIC
        return word

    def in_indonesian(self, text: str) -> str:
        """`text` with its Javanese and Sundanese words and phrases in Indonesian, the rest as it
        was written (the encoder reads chat Indonesian and English as they are, these less well):
        "Piye carane ngilangi kram sikil?" -> "bagaimana caranya menghilangkan kram kaki?"."""
        found = list(_LETTERS.finditer(text))
        out, position, number = [], 0, 0
        while number < len(found):
            for size in range(min(MAX_PHRASE_WORDS, len(found) - number), 0, -1):
                run = found[number : number + size]
                if all(text[a.end() : b.start()] == " " for a, b in zip(run, run[1:])):
                    phrase = " ".join(words(match.group(0))[0] if words(match.group(0)) else "" for match in run)
                    translated = self.regional.get(phrase)
                    if translated is None and size == 1:
                        translated = _with_suffix(phrase, self.regional) or _reduplicated(phrase, self.regional)
                    if translated:
                        out += [text[position : run[0].start()], translated]
                        position, number = run[-1].end(), number + size
                        break
            else:
                number += 1
        return "".join(out) + text[position:]

    def translate(self, tokens: Sequence[str]) -> List[str]:
        """`tokens` with every glossary phrase replaced, longest match first, left to right."""
        out: List[str] = []
        position = 0
        while position < len(tokens):
            for size in range(min(MAX_PHRASE_WORDS, len(tokens) - position), 0, -1):
                phrase = " ".join(tokens[position : position + size])
                if phrase in self.replacements:
                    out.extend(self.replacements[phrase].split())
                    position += size
                    break
            else:
                out.append(tokens[position])
                position += 1
        return out


def glossary_words(path: Path = GLOSSARY_PATH, sections: Sequence[str] = GLOSSARY_SECTIONS) -> Dict[str, str]:
    """The glossary's `sections`: what users type -> the documents' words. ValueError for a word
    mapped twice, one not written as `words` reads it ("bisa2" is read as "bisa"), or one
    replaced by itself."""
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    table: Dict[str, str] = {}
    for section in sections:
        for source, target in (data.get(section) or {}).items():
            source, target = str(source), str(target).lower()
            read = " ".join(words(source))
            if read != source or len(read.split()) > MAX_PHRASE_WORDS:
                limit = f"read as {read!r}, {MAX_PHRASE_WORDS} words at most"
                raise ValueError(f"{path}: {source!r} can never match ({limit})")
            if target == source:
                raise ValueError(f"{path}: {source!r} is replaced by itself")
            if source in table:
                raise ValueError(f"{path}: {source!r} is mapped twice ({table[source]!r}, {target!r})")
            table[source] = target
    return table


def chat_words(path: Path = GLOSSARY_PATH) -> Dict[str, str]:
    """The glossary's chat spellings and abbreviations ("gk" -> "tidak", "bgt" -> "banget")."""
    return glossary_words(path, (CHAT_WORDS,))


# Javanese and Sundanese possessive endings and their Indonesian ones: "wentisku" is "betisku",
# "sikile" and "bitisna" are "kakinya" and "betisnya".
_REGIONAL_SUFFIXES = (("ku", "ku"), ("mu", "mu"), ("ne", "nya"), ("na", "nya"), ("e", "nya"))


def _reduplicated(word: str, table: Mapping[str, str]) -> Optional[str]:
    """"eureun-eureun" is "berhenti-berhenti" when "eureun" is "berhenti"."""
    half, _, other = word.partition("-")
    return f"{table[half]}-{table[half]}" if half == other and " " not in table.get(half, " ") else None


def _with_suffix(word: str, table: Mapping[str, str]) -> Optional[str]:
    for ending, indonesian in _REGIONAL_SUFFIXES:
        base = word[: -len(ending)]
        if word.endswith(ending) and len(base) > 2 and base in table and " " not in table[base]:
            return table[base] + indonesian
    return None


@lru_cache(maxsize=1)
def _glossary() -> Glossary:
    return Glossary.load()


def question_text(text: str) -> str:
    """What the encoder is given for a question, wherever one is embedded (a user's message, an
    example question, an exemplar, a fine-tuning pair): its Javanese and Sundanese words in
    Indonesian, the rest as written."""
    return _glossary().in_indonesian(text)


def regional_words(path: Path = GLOSSARY_PATH, regional_synonyms: Path = REGIONAL_SYNONYMS) -> Dict[str, str]:
    """Javanese and Sundanese words in Indonesian: the glossary's ("ora", "teu" -> "tidak") and the
    topic's ("sikil" -> "kaki", "abuh" -> "bengkak")."""
    table = {word: value for word, value in synonym_table((regional_synonyms,)).items() if word != value}
    table.update(glossary_words(path, (REGIONAL_WORDS,)))
    return table


def safety_words(path: Path = GLOSSARY_PATH) -> Dict[str, str]:
    """What the safety patterns replace: the glossary's chat words ("gk" -> "tidak") and every
    Javanese and Sundanese word. English is left as it is: the patterns are written in English too."""
    return {**regional_words(path), **glossary_words(path, (CHAT_WORDS,))}


def synonym_table(paths: Sequence[Path] = SYNONYM_FILES) -> Dict[str, str]:
    """The synonyms in the files `paths` (NLU YAML: `- synonym: value` with `examples`), the one
    list of the topic's words: each variant users type, and each canonical value itself -> the
    canonical value, as space-joined lower-case words (the first mapping of a variant counts)."""
    table: Dict[str, str] = {}
    for path in paths:
        for item in yaml.safe_load(path.read_text(encoding="utf-8"))["nlu"]:
            canonical = item.get("synonym")
            if canonical:
                table.setdefault(canonical, canonical)
                for line in item["examples"].splitlines():
                    variant = " ".join(words(line.strip().lstrip("-")))
                    if variant:
                        table.setdefault(variant, canonical)
    return table


def words(text: str) -> List[str]:
    """Lower-case words of `text`, accents dropped (Sundanese "éta" is "eta"); hyphenated words
    ("kejang-kejang", "tiba-tiba") stay whole and a chat reduplication ("malem2") counts as its word."""
    return [_CHAT_REDUPLICATION.sub("", word) for word in _WORD.findall(without_accents(text.lower()))]


def without_accents(text: str) -> str:
    """`text` with the accents of Latin letters dropped ("é" -> "e"), character for character, so
    that positions in it stay those of `text`."""
    return "".join(_unaccented(char) for char in text)


STEM_CACHE = 50_000


@lru_cache(maxsize=4096)
def _unaccented(char: str) -> str:
    if char.isascii():
        return char
    base = unicodedata.normalize("NFKD", char)[:1]
    return base if base.isascii() and base.isalpha() else char


def is_root_word(word: str) -> bool:
    """Whether `word` is an Indonesian word: its stem is in Sastrawi's dictionary of root words."""
    return stem(word) in _stemmer().dictionary.words


@lru_cache(maxsize=STEM_CACHE)
def stem(word: str) -> str:
    """Sastrawi's stem of an Indonesian word ("kesemutan" -> "semut", "pencegahan" -> "cegah"),
    the latest STEM_CACHE words' kept (every word anyone types would grow it without bound)."""
    return _stemmer().stem(word) or word


@lru_cache(maxsize=1)
def _stemmer():
    """Sastrawi's stemmer over its root-word dictionary held in a set: Sastrawi keeps it in a
    list, which makes every dictionary lookup a scan (about 18 ms a word instead of 0.1 ms)."""
    from Sastrawi.Stemmer.Stemmer import Stemmer
    from Sastrawi.Stemmer.StemmerFactory import StemmerFactory

    class RootWords:
        def __init__(self, words: Sequence[str]) -> None:
            self.words = frozenset(word for word in words if word.strip())

        def contains(self, word: str) -> bool:
            return word in self.words

    return Stemmer(RootWords(StemmerFactory().get_words()))


class Analyzer:
    """Text -> search terms: words, glossary, stopwords out, then stems (if `stemming`)."""

    def __init__(self, glossary: Glossary, stemming: bool = True) -> None:
        self.glossary = glossary
        self.stemming = stemming

    def formal_words(self, text: str) -> List[str]:
        """Every word of `text` in formal Indonesian (the glossary applied, also to a chat word
        with the enclitic -nya: "nyegahnya" is "mencegahnya"), stopwords included."""
        return self.glossary.translate([self.glossary.with_enclitic(word) for word in words(text)])

    def content_words(self, text: str) -> Tuple[str, ...]:
        """The words that carry meaning, in formal Indonesian, unstemmed (for a dense query)."""
        return tuple(word for word in self.formal_words(text) if word not in STOPWORDS)

    def formal_phrase(self, text: str) -> str:
        return " ".join(self.formal_words(text))

    def names_something(self, text: str) -> bool:
        """Whether `text` consists of Indonesian content words (not chat noise nor function words)."""
        content = self.formal_words(text)
        return bool(content) and all(word not in STOPWORDS and is_root_word(word) for word in content)

    def terms(self, text: str) -> List[str]:
        """The terms BM25 indexes and searches."""
        content = self.content_words(text)
        return [stem(word) for word in content] if self.stemming else list(content)
