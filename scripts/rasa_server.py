"""Rasa's command line with the project's fix to Rasa 3.6.21 applied first:

    python -m scripts.rasa_server run ...   # what scripts/serve.py starts instead of `rasa run`

Rasa 3.6 checks every action server response with `jsonschema.validate`, which first checks
the schema itself against its meta-schema, on every call (rasa#11717): about 19 ms a turn here,
more than our whole retrieval. The fix checks responses with one validator built once for the
same schema, so a malformed response is still rejected, with Rasa's message. It replaces one
method and refuses to start on another Rasa version or if that method's source has changed.
"""

from __future__ import annotations

import hashlib
import inspect
from typing import Any, Dict, Text

import rasa

RASA_VERSION = "3.6.21"
# SHA-256 of the source of rasa.core.actions.action.RemoteAction._validate_action_result in 3.6.21.
VALIDATE_SOURCE_SHA256 = "f8cdb4be6812396167ced74161b2ccd65c5ea676ad86d7d359d8c322d9d8dc42"


class RasaChanged(RuntimeError):
    """The Rasa this fix was written for is not the one installed."""


def install() -> None:
    """Make RemoteAction check responses with a validator built once (idempotent)."""
    from jsonschema import ValidationError
    from jsonschema.validators import validator_for
    from rasa.core.actions.action import DOCS_BASE_URL, RemoteAction

    if getattr(RemoteAction._validate_action_result, "built_once", False):
        return
    if rasa.__version__ != RASA_VERSION:
        raise RasaChanged(f"scripts/rasa_server.py fixes Rasa {RASA_VERSION}, found {rasa.__version__}: review it.")
    source = inspect.getsource(RemoteAction._validate_action_result)
    if hashlib.sha256(source.encode("utf-8")).hexdigest() != VALIDATE_SOURCE_SHA256:
        raise RasaChanged("RemoteAction._validate_action_result changed in this Rasa: review scripts/rasa_server.py.")
    schema = RemoteAction.action_response_format_spec()
    validator = validator_for(schema)(schema)

    def _validate_action_result(self: RemoteAction, result: Dict[Text, Any]) -> bool:
        try:
            validator.validate(result)
            return True
        except ValidationError as error:
            error.message += (
                ". Failed to validate Action server response from API, make sure your response from the "
                f"Action endpoint is valid. For more information about the format visit {DOCS_BASE_URL}/custom-actions"
            )
            raise error

    _validate_action_result.built_once = True  # type: ignore[attr-defined]
    RemoteAction._validate_action_result = _validate_action_result  # type: ignore[method-assign]


def main() -> None:
    install()
    from rasa.__main__ import main as rasa_main

    rasa_main()


if __name__ == "__main__":
    main()
