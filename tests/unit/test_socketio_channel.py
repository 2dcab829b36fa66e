"""The socket.io channel's allow-list comes from credentials.yml (a ${VARIABLE} gives a string);
an empty one stops Rasa at start-up instead of letting every page connect."""

import pytest

from channels.socketio import SocketIOChannel


def test_origins_are_read_from_a_comma_separated_string_and_other_options_kept():
    channel = SocketIOChannel.from_credentials(
        {"cors_allowed_origins": "http://127.0.0.1:5005, https://a.example/", "session_persistence": True}
    )
    assert channel.allowed_origins == ("http://127.0.0.1:5005", "https://a.example")
    assert channel.session_persistence is True and channel.bot_message_evt == "bot_uttered"


@pytest.mark.parametrize("credentials", [{}, {"cors_allowed_origins": ""}, {"cors_allowed_origins": []}, None])
def test_no_allowed_origin_is_refused(credentials):
    with pytest.raises(ValueError, match="CHAT_ALLOWED_ORIGINS"):
        SocketIOChannel.from_credentials(credentials)
