"""Suggested next questions, checked against the real small index: only aspects the documents
answer about the topic, never the aspect just answered, never one that retrieval would refuse or
answer with a passage already shown."""

from dataclasses import replace

import pytest

from dialogue.answering import answer
from dialogue.focus import Focus
from dialogue.intents import ANSWERED, intent_aspect
from dialogue.suggestions import CANDIDATES, MAX_SUGGESTIONS, suggestions
from embeddings.search import Query

QUESTIONS = [
    ("ask_cause", "Kenapa kaki saya mati rasa saat berlari?"),
    ("ask_cause", "kaki saya sering spasme, apa penyebabnya?"),
    ("ask_treatment", "Bagaimana cara meredakan kram betis saat berlari?"),
]


def _answered(components, intent, text):
    reply = answer(components, Focus(), intent, [], text)
    assert reply.status == ANSWERED
    return reply.focus


def _would_be_answered_anew_on_its_aspect(components, focus, intent):
    reply = answer(components, focus, intent, [], f"/{intent}")
    best = reply.hits[0].passage if reply.hits else None
    return bool(best) and best.id not in focus.shown and intent_aspect(intent) in best.aspects


@pytest.mark.parametrize("intent, text", QUESTIONS)
def test_each_suggestion_is_another_aspect_answered_with_a_new_passage_about_it(small_components, intent, text):
    focus = _answered(small_components, intent, text)
    suggested = suggestions(small_components, focus)
    assert len(suggested) <= MAX_SUGGESTIONS
    for suggestion in suggested:
        assert intent_aspect(suggestion.intent) != focus.aspect
        assert _would_be_answered_anew_on_its_aspect(small_components, focus, suggestion.intent)


def test_the_aspects_left_out_are_those_retrieval_would_refuse_or_not_answer_on_their_aspect(small_components):
    focus = _answered(small_components, "ask_cause", "Kenapa kaki saya mati rasa saat berlari?")
    offered = {s.intent for s in suggestions(small_components, focus, limit=len(CANDIDATES))}
    for intent, _ in CANDIDATES:
        if intent_aspect(intent) != focus.aspect:
            assert (intent in offered) == _would_be_answered_anew_on_its_aspect(small_components, focus, intent)


def test_nothing_is_suggested_when_retrieval_would_refuse_every_follow_up(small_components):
    focus = _answered(small_components, "ask_cause", "Kenapa kaki saya mati rasa saat berlari?")
    assert suggestions(small_components, focus)  # with the bot's threshold some are offered
    strict = replace(small_components, retriever=small_components.retriever.replaced(min_score=0.99))
    assert suggestions(strict, focus) == ()


def test_queries_embedded_ahead_in_one_batch_rank_as_when_embedded_alone(small_components):
    texts = ["cara mencegah kaki mati rasa berlari", "penyebab spasme kaki", "kapan harus ke dokter kaki kesemutan"]
    alone = small_components.retriever.replaced(query_cache=0)
    batched = small_components.retriever.replaced()
    batched.embed_ahead(texts)
    for text in texts:
        expected, found = alone.search(Query(text)), batched.search(Query(text))
        assert [h.passage.id for h in found] == [h.passage.id for h in expected]
        assert [h.score for h in found] == pytest.approx([h.score for h in expected], abs=1e-5)

