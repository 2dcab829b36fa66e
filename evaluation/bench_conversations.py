"""The conversations `make bench` sends over REST: ours about calf cramps, numbness and twitching
(Indonesian formal and informal, English, follow-ups), and the stock `rasa init` assistant's."""

from __future__ import annotations

from typing import Tuple

Conversation = Tuple[str, ...]

OURS: Tuple[Conversation, ...] = (
    (
        "Halo",
        "Kenapa betis saya sering kram di malam hari?",
        "Bagaimana cara mencegahnya?",
        "yang lain?",
        "Terima kasih",
    ),
    ("Why do my calves cramp at night?", "How can I prevent it?", "anything else?"),
    ("Kaki saya sering kesemutan dan mati rasa saat berlari", "Apa penyebabnya?", "Kapan harus ke dokter?"),
    ("Betis saya kedutan terus, kenapa ya?", "Bagaimana cara mengatasinya?", "yang lain?"),
    ("knp betis gw keram tiap malem", "cara ngatasinnya gmn?", "makasih"),
    ("Apa itu spasme kaki?", "Apa penyebabnya?", "Bagaimana cara mencegahnya?"),
    ("My leg goes numb when I run", "What causes it?", "When should I see a doctor?"),
    ("Kram betis saat hamil, apa sebabnya?", "Bagaimana cara mencegahnya?", "kalau pas olahraga?", "Dadah"),
)

# Our turns that are not questions: greetings, thanks, goodbyes.
SMALL_TALK = frozenset({"Halo", "Terima kasih", "makasih", "Dadah"})

# The stock assistant (greet, mood, bot challenge, goodbye), turns of the same count.
REFERENCE: Tuple[Conversation, ...] = (
    ("hello", "I am sad", "yes", "great", "bye"),
    ("hi", "I am feeling very good", "goodbye"),
    ("hey there", "I am very sad", "no"),
    ("good morning", "are you a bot?", "great"),
    ("hey", "not good", "yes"),
    ("good evening", "I am great", "see you later"),
    ("hello there", "am I talking to a human?", "bye bye"),
    ("hi", "very sad", "no", "goodbye"),
)


def turn_count(conversations: Tuple[Conversation, ...]) -> int:
    return sum(len(conversation) for conversation in conversations)
