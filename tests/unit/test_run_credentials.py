"""The launcher's choice of channels and the origin allow-list setting."""

import yaml

import settings
from scripts.credentials import TELEGRAM_CHANNEL, write_credentials

WEB_CHANNELS = ["channels.rest.RestChannel", "channels.socketio.SocketIOChannel", "channels.chat_page.ChatPage"]


def _channels(tmp_path, **env):
    config = settings.load({"BUILD_DIR": str(tmp_path), "RASA_PORT": "5123", **env})
    return yaml.safe_load(write_credentials(config).read_text())


def test_without_a_telegram_token_the_run_has_the_web_channels_only(tmp_path):
    assert list(_channels(tmp_path)) == WEB_CHANNELS


def test_with_a_telegram_token_telegram_is_on_and_its_secrets_stay_variables(tmp_path):
    channels = _channels(tmp_path, TELEGRAM_TOKEN="1:secret-value")
    assert list(channels) == WEB_CHANNELS + [TELEGRAM_CHANNEL]
    assert channels[TELEGRAM_CHANNEL]["access_token"] == "${TELEGRAM_TOKEN}"
    assert "secret-value" not in (tmp_path / "credentials-5123.yml").read_text()


def test_telegram_names_the_variables_it_still_needs():
    config = settings.load({"TELEGRAM_TOKEN": "1:a", "TELEGRAM_BOT_USERNAME": "@kram_bot"})
    assert config.telegram_missing == ("TELEGRAM_WEBHOOK_URL", "TELEGRAM_SECRET_TOKEN")
    assert config.telegram_bot_username == "kram_bot"
    assert settings.load({}).telegram_missing == ()


def test_the_default_origins_are_the_bots_own_and_a_list_can_replace_them():
    assert settings.load({"RASA_PORT": "5123"}).chat_allowed_origins == ("http://127.0.0.1:5123", "http://localhost:5123")
    assert settings.load({"CHAT_ALLOWED_ORIGINS": "https://a.example/, https://b.example"}).chat_allowed_origins == (
        "https://a.example",
        "https://b.example",
    )
