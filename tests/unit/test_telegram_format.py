"""Telegram messages: HTML-escaped, an answer's source in italics, and long texts split under 4096 characters."""

from channels.telegram_format import MESSAGE_LIMIT, answer_messages, telegram_html, telegram_messages

ANSWER = {
    "passage": "Minum <b>air</b> & regangkan betis",
    "title": "Kram <malam>",
    "section": None,
    "warning": "Hati-hati <i>kina</i>",
    "source": "Kram <malam> — bagian \u201cA < B\u201d",
}


def test_markup_in_a_text_is_escaped_and_no_line_is_treated_apart():
    assert telegram_html("Minum <b>air</b> & regangkan betis\nSumber: A < B") == (
        "Minum &lt;b&gt;air&lt;/b&gt; &amp; regangkan betis\nSumber: A &lt; B"
    )


def test_an_answer_is_its_escaped_passage_and_warning_then_its_source_in_italics():
    assert answer_messages(ANSWER) == [
        "Minum &lt;b&gt;air&lt;/b&gt; &amp; regangkan betis\nHati-hati &lt;i&gt;kina&lt;/i&gt;\n"
        "<i>Kram &lt;malam&gt; — bagian \u201cA &lt; B\u201d</i>"
    ]
    assert answer_messages({**ANSWER, "warning": None}) == [
        "Minum &lt;b&gt;air&lt;/b&gt; &amp; regangkan betis\n<i>Kram &lt;malam&gt; — bagian \u201cA &lt; B\u201d</i>"
    ]


def test_a_long_answer_is_split_and_its_source_ends_the_last_message():
    messages = answer_messages({**ANSWER, "passage": "kram betis & kaki " * 600, "warning": None})
    assert len(messages) > 1 and all(len(message) <= MESSAGE_LIMIT for message in messages)
    assert messages[-1].endswith("</i>") and all("<i>" not in message for message in messages[:-1])


def test_a_short_text_is_one_message():
    assert telegram_messages("Halo!\n\nApa kabar?") == ["Halo!\n\nApa kabar?"]


def test_a_long_text_is_cut_between_paragraphs_and_keeps_every_word():
    paragraphs = [f"Paragraf {i}: " + "kram betis " * 150 for i in range(8)]
    messages = telegram_messages("\n\n".join(paragraphs))
    assert len(messages) > 1 and all(len(message) <= MESSAGE_LIMIT for message in messages)
    assert all(message.startswith("Paragraf") for message in messages)
    assert " ".join(messages).split() == "\n\n".join(paragraphs).split()


def test_escaping_counts_towards_the_limit_and_a_giant_word_is_cut():
    messages = telegram_messages("&" * 5000 + " " + "x" * 9000)
    assert all(len(message) <= MESSAGE_LIMIT for message in messages)
    assert "".join(messages) == "&amp;" * 5000 + "x" * 9000
