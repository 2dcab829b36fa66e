"""The whole bot for an evaluation: the trained Rasa model (NLU, rules, the project's fix) in this
process, talking over HTTP to a real action server started on a free loopback port, and what
each turn ended in, read from the conversation's own events (nothing parses reply text).

    with BotSession() as bot:
        outcome = bot.turn("conversation-1", "Kenapa betis saya kram di malam hari?")
        outcome.escalated, outcome.status, outcome.passages
"""

from __future__ import annotations

import asyncio
import logging
import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType
from typing import Any, Dict, List, Optional, Tuple, Type

import settings
from dialogue.intents import ANSWERED
from dialogue.records import ANSWERED_SLOT
from scripts.processes import LOOPBACK, StartupError, answers, free_port, start, stop, wait_until_up

EMERGENCY_ACTION = "utter_emergency"
RED_FLAG_SLOT = "red_flag"
START_TIMEOUT_S = 300.0


@dataclass(frozen=True)
class TurnOutcome:
    """What one user turn ended in."""

    intent: str  # NLU's intent, as the rules saw it
    escalated: bool  # the emergency reply was given
    category: str  # the red-flag category set in this turn ("" if none)
    status: str  # answer_status of the answer action in this turn; "" if it did not run
    passages: Tuple[str, ...]  # ids of the passages shown, best first
    actions: Tuple[str, ...]  # every action the bot ran in this turn

    @property
    def answered(self) -> bool:
        return self.status == ANSWERED and bool(self.passages)


class BotSession:
    """The trained model at RASA_MODEL and a fresh action server over the index at INDEX_DIR; the
    conversations live in memory and end with the session."""

    def __init__(self, model_path: Optional[Path] = None, log_path: Optional[Path] = None) -> None:
        config = settings.load()
        self.model_path = model_path or config.rasa_model
        self.port = free_port()
        self.log_path = log_path or config.build_dir / "evaluation-actions.log"
        self._children: List[subprocess.Popen] = []
        self._loop = asyncio.new_event_loop()
        self._agent: Any = None

    def __enter__(self) -> "BotSession":
        self.log_path.parent.mkdir(parents=True, exist_ok=True)
        env = {**os.environ, "ACTION_PORT": str(self.port), "ACTION_HOST": LOOPBACK, "RASA_TELEMETRY_ENABLED": "false"}
        with self.log_path.open("w") as log:
            child = start([sys.executable, "-m", "actions"], env, self._children, output=log)
        try:
            wait_until_up(child, answers(f"http://{LOOPBACK}:{self.port}/health"), "Action server", START_TIMEOUT_S,
                          f"in {self.log_path}")
        except StartupError:
            stop(self._children)
            raise
        from rasa.core.agent import Agent
        from rasa.utils.common import configure_logging_and_warnings
        from rasa.utils.endpoints import EndpointConfig
        from rasa.utils.log_utils import configure_structlog

        from scripts.rasa_server import install

        install()
        configure_logging_and_warnings(logging.WARNING)  # no conversation in this run's output
        configure_structlog(logging.WARNING)
        from actions.access import ACTION_TOKEN_HEADER

        endpoint = EndpointConfig(
            f"http://{LOOPBACK}:{self.port}/webhook",
            headers={ACTION_TOKEN_HEADER: settings.load().action_server_secret},
        )
        self._agent = Agent.load(str(self.model_path), action_endpoint=endpoint)
        return self

    def __exit__(
        self, kind: Optional[Type[BaseException]], error: Optional[BaseException], trace: Optional[TracebackType]
    ) -> None:
        stop(self._children)
        self._loop.close()

    def turn(self, sender: str, text: str) -> TurnOutcome:
        """Send `text` in conversation `sender` and read what the turn ended in."""
        return self._loop.run_until_complete(self._turn(sender, text))

    async def _turn(self, sender: str, text: str) -> TurnOutcome:
        await self._agent.handle_text(text, sender_id=sender)
        tracker = await self._agent.tracker_store.retrieve(sender)
        events = list(tracker.events)
        last_user = max(i for i, event in enumerate(events) if event.type_name == "user")
        turn = events[last_user + 1 :]
        actions = tuple(e.action_name for e in turn if e.type_name == "action" and e.action_name != "action_listen")
        slots = {e.key: e.value for e in turn if e.type_name == "slot"}
        answered = slots.get(ANSWERED_SLOT)
        record: Dict[str, Any] = answered if isinstance(answered, dict) else {}
        return TurnOutcome(
            intent=str((events[last_user].intent or {}).get("name") or ""),
            escalated=EMERGENCY_ACTION in actions,
            category=str(slots.get(RED_FLAG_SLOT) or "") if EMERGENCY_ACTION in actions else "",
            status=str(record.get("status") or ""),
            passages=tuple(str(p) for p in record.get("passages") or ()),
            actions=actions,
        )
