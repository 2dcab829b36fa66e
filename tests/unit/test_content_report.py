"""The content report read from a real SQLite tracker store written by Rasa's own SQLTrackerStore:
questions by status, unanswered questions grouped by meaning, votes per passage and article, no
conversation id anywhere, and only the events of the retention window."""

import asyncio
import csv
import time

import pytest
from rasa.core.tracker_store import SQLTrackerStore
from rasa.shared.core.events import SessionStarted, SlotSet, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

import settings
from editorial.content_report import write_report
from editorial.grouping import group_questions
from editorial.store import SECONDS_PER_DAY, read_conversations
from editorial.tally import tally
from embeddings.index import PASSAGES_FILE
from knowledge.passages import passages_to_jsonl

STOMACH = [
    "Kenapa perut saya sakit setelah makan?",
    "perut sakit terus kenapa ya",
    "Apa penyebab sakit perut?",
    "My stomach hurts after eating, why?",
    "perut saya sakit dari pagi, kenapa?",
]
HEADACHE = ["Kenapa kepala saya sering pusing?", "sakit kepala terus menerus penyebabnya apa"]
SENDERS = ("rahasia-pengguna-0811", "rahasia-pengguna-0822", "rahasia-pengguna-0833")
OLD_QUESTION = "Pertanyaan lama tentang sakit gigi"
NOW = time.time()


def _asked(question, status, passages=(), at=NOW - 60):
    return SlotSet("answered", {"question": question, "status": status, "passages": list(passages)}, timestamp=at)


def _vote(value, passages, at=NOW - 50):
    return SlotSet("feedback", {"value": value, "question": "q", "passages": list(passages)}, timestamp=at)


def _turn(question, *slot_events):
    at = slot_events[0].timestamp - 1
    return [UserUttered(question, timestamp=at), *slot_events]


async def _write(url, conversations):
    store = SQLTrackerStore(host=url)
    for sender, events in conversations.items():
        tracker = DialogueStateTracker(sender, [])
        for event in [SessionStarted(timestamp=NOW - 41 * SECONDS_PER_DAY), *events]:
            tracker.update(event)
        await store.save(tracker)


@pytest.fixture(scope="module")
def store_url(tmp_path_factory, small_passages):
    """Three conversations: paraphrases of a stomach ache and of a headache refused; answers with
    votes; a question and a vote older than 30 days; the slots a new session carries over."""
    first, second, third = (p.id for p in small_passages[:3])
    url = f"sqlite:///{tmp_path_factory.mktemp('store') / 'tracker.db'}"
    old = NOW - 40 * SECONDS_PER_DAY
    conversations = {
        SENDERS[0]: [
            *_turn(OLD_QUESTION, _asked(OLD_QUESTION, "out_of_scope", at=old), _vote("down", [third], at=old + 1)),
            *_turn(STOMACH[0], _asked(STOMACH[0], "out_of_scope")),
            *_turn("kram betis", _asked("kram betis", "answered", [first, second])),
            *_turn("👎", _vote("down", [first, second])),
            SessionStarted(timestamp=NOW - 40),
            _asked("kram betis", "answered", [first, second], at=NOW - 40),  # carried over
            _vote("down", [first, second], at=NOW - 40),  # carried over
            *_turn(HEADACHE[0], _asked(HEADACHE[0], "not_found", at=NOW - 30)),
        ],
        SENDERS[1]: [
            *(event for q in STOMACH[1:] for event in _turn(q, _asked(q, "out_of_scope"))),
            *_turn("kram betis", _asked("kram betis", "answered", [first])),
            *_turn("👍", _vote("up", [first])),
        ],
        SENDERS[2]: [
            *_turn(STOMACH[2], _asked(STOMACH[2], "out_of_scope")),
            *_turn(HEADACHE[1], _asked(HEADACHE[1], "not_found")),
            *_turn("yang lain?", _asked("yang lain?", "no_more")),
        ],
    }
    asyncio.run(_write(url, conversations))
    return url


def test_questions_are_counted_by_status_within_the_retention_window_and_carried_slots_once(store_url):
    read = read_conversations(store_url, retention_days=30, now=NOW)
    statuses = sorted(turn.status for turn in read.asked)
    assert statuses == sorted(["out_of_scope"] * 6 + ["not_found"] * 2 + ["answered"] * 2 + ["no_more"])
    assert OLD_QUESTION not in [turn.question for turn in read.asked]
    assert sorted(vote.value for vote in read.feedback) == ["down", "up"]
    everything = read_conversations(store_url, retention_days=0, now=NOW)
    assert OLD_QUESTION in [turn.question for turn in everything.asked] and len(everything.feedback) == 3


def test_votes_are_counted_per_passage_and_once_per_article(store_url, small_passages):
    first, second, third = small_passages[:3]
    counts = tally(read_conversations(store_url, 30, NOW), small_passages)
    votes = {v.name: (v.shown, v.up, v.down) for v in counts.passages}
    assert votes == {first.id: (2, 1, 1), second.id: (1, 0, 1)}
    assert counts.passages[0].article == first.doc_title
    assert (counts.asked, counts.answered) == (11, 2)
    assert dict(counts.refused) == {"out_of_scope": 6, "not_found": 2, "no_more": 1}
    articles = {a.name: (a.shown, a.up, a.down) for a in counts.articles}
    if first.doc_title == second.doc_title:
        assert articles == {first.doc_title: (2, 1, 1)}


def test_paraphrases_of_one_complaint_form_one_group_apart_from_another(encoder):
    questions = STOMACH + HEADACHE + [HEADACHE[0]]
    groups = group_questions(questions, encoder, settings.load({}).content_group_distance)
    assert [g.count for g in groups[:2]] == [5, 3]
    assert set(groups[0].examples) <= set(STOMACH) and set(groups[1].examples) <= set(HEADACHE)
    assert groups[1].examples[0] == HEADACHE[0]  # the most asked wording first


def test_the_report_names_no_conversation_and_leaves_out_old_events(store_url, small_passages, tmp_path):
    index_dir = tmp_path / "index"
    index_dir.mkdir()
    (index_dir / PASSAGES_FILE).write_text(passages_to_jsonl(small_passages), encoding="utf-8")
    config = settings.load({"TRACKER_STORE_URL": store_url, "INDEX_DIR": str(index_dir)})
    md, csv_path, png = write_report(config, tmp_path / "reports", NOW)
    text, table = md.read_text(encoding="utf-8"), csv_path.read_text(encoding="utf-8")
    assert png.stat().st_size > 0 and md.name.startswith("content-")
    for sender in SENDERS:
        assert sender not in text and sender not in table
    assert OLD_QUESTION not in text and OLD_QUESTION not in table and "yang lain?" not in text
    groups = [row for row in csv.DictReader(table.splitlines()) if row["section"] == "unanswered_group"]
    assert [row["count"] for row in groups] == ["6", "2"]  # one paraphrase asked twice
    assert small_passages[0].doc_title in text.split("Passages with the most 👎")[1]
