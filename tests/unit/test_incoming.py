"""Incoming text: whatever a client sends, a text for NLU or a reply of our own, never a crash."""

import time

from hypothesis import given, settings as hypothesis_settings, strategies as st

from channels.incoming import EMPTY_REPLY, MAX_MESSAGE_CHARS, NO_TEXT_REPLY, prepare


@given(st.text(max_size=30000))
@hypothesis_settings(max_examples=300, deadline=None)
def test_any_text_gives_a_clean_bounded_text_or_a_reply(raw):
    incoming = prepare(raw)
    if incoming.text is None:
        assert incoming.reply in (EMPTY_REPLY, NO_TEXT_REPLY)
    else:
        assert 0 < len(incoming.text) <= MAX_MESSAGE_CHARS
        assert incoming.text == incoming.text.strip()
        assert not any(ord(ch) < 32 and ch not in "\n\t" for ch in incoming.text)
        assert any(ch.isalnum() for ch in incoming.text)


@given(st.one_of(st.none(), st.integers(), st.lists(st.text()), st.dictionaries(st.text(), st.text())))
def test_a_message_that_is_not_text_gets_a_reply(raw):
    assert prepare(raw).text is None and prepare(raw).reply == EMPTY_REPLY


def test_empty_whitespace_and_emoji_only_messages_get_a_clear_reply():
    assert prepare("").reply == EMPTY_REPLY
    assert prepare("  \n\t ").reply == EMPTY_REPLY
    assert prepare("🦵😣🙏").reply == NO_TEXT_REPLY


def test_markup_and_control_characters_are_removed_and_the_words_kept():
    assert prepare("<b>kram</b> betis\x00\x07 <img src=x onerror=alert(1)>").text == "kram betis"
    assert prepare("kram &amp; kesemutan").text == "kram & kesemutan"


def test_markup_written_with_entities_or_longer_than_usual_is_removed_and_lone_brackets_kept():
    assert prepare("&lt;script&gt;alert(1)&lt;/script&gt; kram").text == "alert(1) kram"
    assert prepare("<a href='" + "x" * 300 + "'>kram</a> betis").text == "kram betis"
    assert prepare("<<b>b> kram").text == "b> kram"
    assert prepare("kram > 5 menit, lalu a < b").text == "kram > 5 menit, lalu a < b"


def test_a_flood_of_angle_brackets_takes_linear_time():
    started = time.perf_counter()
    assert prepare("<" * 10_000 + "kram").text.endswith("<")
    assert prepare("<" * 300_000 + "kram").reply  # only brackets are read: nothing to answer
    assert prepare("<a" * 7_000 + ">" + " kram").text == "kram"  # within MAX_RAW_CHARS
    assert prepare("<a" * 150_000 + ">" + " kram").note  # beyond it, the rest is not read
    assert time.perf_counter() - started < 5


def test_a_long_message_is_cut_at_a_word_with_a_note():
    incoming = prepare("kram betis " * 2000)
    assert len(incoming.text) <= MAX_MESSAGE_CHARS and incoming.text.endswith(("kram", "betis"))
    assert "sangat panjang" in incoming.note and "1.000" in incoming.note


def test_sql_like_text_is_just_text():
    assert prepare("'; DROP TABLE events; --").text == "'; DROP TABLE events; --"
