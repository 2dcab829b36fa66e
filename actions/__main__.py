"""Start the action server: `python -m actions`.

The model and index load before the server binds, so a missing or mismatched index set stops
it at start-up with a message that names the fix, instead of failing on the first question.
Then a background thread watches INDEX_DIR and switches to each new set `make index` builds.
Only Rasa may call it, with the shared secret (actions.access).
"""

from __future__ import annotations

import logging
import sys

from rasa_sdk.endpoint import create_app

import settings
from actions.access import protect
from actions.components import shared_components, shared_set
from embeddings.encoder import ModelNotBuiltError
from embeddings.index import IndexSetError

logger = logging.getLogger("actions")


def main() -> None:
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s - %(message)s")
    config = settings.load_or_exit()
    try:
        components = shared_components()
    except (IndexSetError, ModelNotBuiltError) as error:
        sys.exit(f"Action server not started: {error}")
    logger.info("Loaded %d passages, model %s", len(components.index.passages), components.embedder.encoder.model_name)
    shared_set().watch()
    app = create_app("actions", cors_origins=None)
    # Rasa sends the whole conversation with each call: a long one is far above a public request.
    app.config.REQUEST_MAX_SIZE = config.action_max_request_bytes
    protect(app, config.action_server_secret, config.action_max_request_bytes)
    app.run(host=config.action_host, port=config.action_port, workers=1, access_log=False, motd=False)


if __name__ == "__main__":
    main()
