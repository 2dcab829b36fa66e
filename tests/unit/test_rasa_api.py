"""Rasa's HTTP API: off by default; when enabled, only with a token or a JWT secret."""

import settings
from scripts.serve import api_arguments, rasa_command


def test_the_http_api_is_off_by_default():
    config = settings.load({"BUILD_DIR": "/tmp/api-test"})
    assert "--enable-api" not in rasa_command(config, shell=False)


def test_an_enabled_api_requires_the_token_or_the_jwt_secret():
    token = settings.load({"RASA_ENABLE_API": "1", "RASA_API_TOKEN": "t0ken"})
    assert api_arguments(token) == ["--enable-api", "--auth-token", "t0ken"]
    jwt = settings.load({"RASA_ENABLE_API": "1", "RASA_JWT_SECRET": "s3cret"})
    assert api_arguments(jwt)[:3] == ["--enable-api", "--jwt-secret", "s3cret"]


def test_the_servers_bind_to_loopback_by_default():
    config = settings.load({})
    assert config.rasa_host == config.action_host == "127.0.0.1"
