"""The fix to Rasa's check of action server responses: built once, still strict, version-bound."""

import pytest
from jsonschema import ValidationError
from rasa.core.actions.action import RemoteAction

import scripts.rasa_server as rasa_server

VALID = {"events": [{"event": "slot", "name": "answer_status", "value": "answered"}], "responses": [{"text": "x"}]}


@pytest.fixture()
def fixed(monkeypatch):
    monkeypatch.setattr(RemoteAction, "_validate_action_result", RemoteAction._validate_action_result)
    rasa_server.install()
    return RemoteAction("action_answer_question", None)


def test_a_valid_response_passes_with_the_validator_built_once(fixed):
    assert fixed._validate_action_result(VALID) is True
    assert getattr(RemoteAction._validate_action_result, "built_once", False)


@pytest.mark.parametrize(
    "malformed",
    [
        {"events": "not a list"},
        {"events": [{"event": "slot"}], "responses": "not a list"},
        {"events": [{"event": "no_such_event"}]},
        {"responses": [["not an object"]]},
    ],
)
def test_a_malformed_response_is_still_rejected_with_rasas_message(fixed, malformed):
    with pytest.raises(ValidationError, match="Failed to validate Action server response"):
        fixed._validate_action_result(malformed)


def test_the_fix_refuses_another_rasa_version(monkeypatch):
    monkeypatch.setattr(RemoteAction, "_validate_action_result", RemoteAction._validate_action_result)
    monkeypatch.setattr(rasa_server.rasa, "__version__", "3.7.0")
    with pytest.raises(rasa_server.RasaChanged, match="3.7.0"):
        rasa_server.install()


def test_the_launcher_starts_rasa_through_the_fix():
    import settings
    from scripts.serve import rasa_command

    command = rasa_command(settings.load({}), shell=False)
    assert command[1:4] == ["-m", "scripts.rasa_server", "run"]
