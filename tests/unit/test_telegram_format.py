"""Telegram messages: HTML-escaped, the source in italics, and long texts split under 4096 characters."""

from channels.telegram_format import MESSAGE_LIMIT, telegram_html, telegram_messages


def test_markup_is_escaped_and_the_source_line_is_italic():
    text = "Minum <b>air</b> & regangkan betis\nSumber: Kram malam — bagian \u201cA < B\u201d"
    assert telegram_html(text) == (
        "Minum &lt;b&gt;air&lt;/b&gt; &amp; regangkan betis\n<i>Sumber: Kram malam — bagian \u201cA &lt; B\u201d</i>"
    )


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
