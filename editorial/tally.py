"""Counts for the report: questions by status, and per passage and per article how often it was
shown and its 👍 and 👎 (a vote counts for every passage of the answer voted on, and once for
each article among them)."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import Dict, List, Mapping, Sequence, Tuple

from dialogue.intents import ANSWERED, NO_MORE
from dialogue.records import DOWN, UP
from editorial.store import Conversations
from knowledge.passages import Passage

UNKNOWN_ARTICLE = "(not in the current index)"
EXCERPT_CHARS = 160


@dataclass(frozen=True)
class Votes:
    """How often a passage or an article was shown, and its votes."""

    name: str  # a passage id or an article title
    article: str
    shown: int
    up: int
    down: int


@dataclass(frozen=True)
class Tally:
    asked: int
    answered: int
    refused: Tuple[Tuple[str, int], ...]  # (status, questions), most first
    passages: Tuple[Votes, ...]  # most 👎 first
    articles: Tuple[Votes, ...]  # most shown first


def tally(conversations: Conversations, passages: Sequence[Passage]) -> Tally:
    """The counts of `conversations`; passage ids are named by the article of `passages`."""
    titles: Mapping[str, str] = {p.id: p.doc_title for p in passages}
    statuses = Counter(turn.status for turn in conversations.asked)
    shown = Counter(pid for turn in conversations.asked for pid in turn.passages)
    votes: Dict[str, Counter] = {UP: Counter(), DOWN: Counter()}
    for vote in conversations.feedback:
        votes[vote.value].update(dict.fromkeys(vote.passages, 1))
    ids = sorted(set(shown) | set(votes[UP]) | set(votes[DOWN]))
    per_passage = [
        Votes(pid, titles.get(pid, UNKNOWN_ARTICLE), shown[pid], votes[UP][pid], votes[DOWN][pid]) for pid in ids
    ]
    return Tally(
        asked=len(conversations.asked),
        answered=statuses[ANSWERED],
        refused=tuple(sorted(((s, n) for s, n in statuses.items() if s != ANSWERED), key=lambda item: -item[1])),
        passages=tuple(sorted(per_passage, key=lambda v: (-v.down, v.up, v.name))),
        articles=_per_article(conversations, titles),
    )


def _per_article(conversations: Conversations, titles: Mapping[str, str]) -> Tuple[Votes, ...]:
    def articles_of(ids: Sequence[str]) -> List[str]:
        return list(dict.fromkeys(titles.get(pid, UNKNOWN_ARTICLE) for pid in ids))

    shown = Counter(title for turn in conversations.asked for title in articles_of(turn.passages))
    up = Counter(t for vote in conversations.feedback if vote.value == UP for t in articles_of(vote.passages))
    down = Counter(t for vote in conversations.feedback if vote.value == DOWN for t in articles_of(vote.passages))
    names = sorted(set(shown) | set(up) | set(down), key=lambda t: (-shown[t], t))
    return tuple(Votes(title, title, shown[title], up[title], down[title]) for title in names)


def unanswered_questions(conversations: Conversations) -> List[str]:
    """The questions the bot did not answer from its documents (but "yang lain?" with nothing more:
    its text says nothing of what was asked)."""
    return [turn.question for turn in conversations.asked if turn.status not in (ANSWERED, NO_MORE)]


def excerpt(passage: Passage, limit: int = EXCERPT_CHARS) -> str:
    """The passage's start on one line, cut at a word within `limit` characters."""
    text = " ".join(passage.content.split())
    if len(text) <= limit:
        return text
    return text[:limit].rsplit(" ", 1)[0] + " …"
