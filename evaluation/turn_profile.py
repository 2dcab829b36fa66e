"""Where a turn's time goes inside Rasa: each assistant's model loaded in this process, its
conversations handled once to warm up and then timed stage by stage (NLU, each policy prediction,
the action server's round trip, Rasa's check of its response, the rest)."""

from __future__ import annotations

import asyncio
import logging
import time
from collections import defaultdict
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Dict, Iterator, List, Optional, Sequence

import settings
from evaluation.bench_conversations import Conversation
from scripts.rasa_server import install as install_rasa_fix

STAGES = (
    ("parse", "NLU (parse the message)"),
    ("predict", "policy predictions"),
    ("request", "action server round trip"),
    ("validate", "check of the action server's response (validator built once)"),
)


@dataclass(frozen=True)
class TurnProfile:
    turns: int
    total_ms: float  # per turn, handle_message
    stages_ms: Dict[str, float]  # per turn
    calls: Dict[str, float]  # per turn

    @property
    def other_ms(self) -> float:
        return self.total_ms - sum(self.stages_ms.values())


def profile(
    model: Path, action_url: Optional[str], conversations: Sequence[Conversation], passes: int = 2
) -> TurnProfile:
    from rasa.core.agent import Agent
    from rasa.utils.endpoints import EndpointConfig
    from rasa.utils.log_utils import configure_structlog

    configure_structlog(logging.WARNING)  # unconfigured, Rasa's structured debug log floods the output
    install_rasa_fix()  # what scripts/serve.py's Rasa runs with
    from actions.access import ACTION_TOKEN_HEADER

    secret = {ACTION_TOKEN_HEADER: settings.load().action_server_secret}
    endpoint = EndpointConfig(action_url, headers=secret) if action_url else None
    agent = Agent.load(str(model), action_endpoint=endpoint)
    asyncio.run(_converse(agent, conversations, "profile-warm"))
    with _timing() as samples:
        for number in range(passes):
            asyncio.run(_converse(agent, conversations, f"profile-{number}"))
    turns = len(samples["total"])
    return TurnProfile(
        turns,
        sum(samples["total"]) / turns,
        {stage: sum(samples[stage]) / turns for stage, _ in STAGES},
        {stage: len(samples[stage]) / turns for stage, _ in STAGES},
    )


async def _converse(agent, conversations: Sequence[Conversation], tag: str) -> None:
    from rasa.core.channels.channel import CollectingOutputChannel, UserMessage

    for number, conversation in enumerate(conversations):
        for text in conversation:
            await agent.handle_message(UserMessage(text, CollectingOutputChannel(), sender_id=f"{tag}-{number}"))


@contextmanager
def _timing() -> Iterator[Dict[str, List[float]]]:
    """Time Rasa's stages by wrapping the methods that do them, and put them back after."""
    from rasa.core.actions.action import RemoteAction
    from rasa.core.processor import MessageProcessor
    from rasa.utils.endpoints import EndpointConfig

    samples: Dict[str, List[float]] = defaultdict(list)
    targets = [
        (MessageProcessor, "handle_message", "total", True),
        (MessageProcessor, "parse_message", "parse", True),
        (MessageProcessor, "_predict_next_with_tracker", "predict", False),
        (EndpointConfig, "request", "request", True),
        (RemoteAction, "_validate_action_result", "validate", False),
    ]
    originals = [(owner, name, getattr(owner, name)) for owner, name, _, _ in targets]
    for (owner, name, stage, is_async), (_, _, original) in zip(targets, originals):
        setattr(owner, name, _timed_async(original, samples[stage]) if is_async else _timed(original, samples[stage]))
    try:
        yield samples
    finally:
        for owner, name, original in originals:
            setattr(owner, name, original)


def _timed(function, sink: List[float]):
    def wrapper(*args, **kwargs):
        began = time.perf_counter()
        try:
            return function(*args, **kwargs)
        finally:
            sink.append((time.perf_counter() - began) * 1000)

    return wrapper


def _timed_async(function, sink: List[float]):
    async def wrapper(*args, **kwargs):
        began = time.perf_counter()
        try:
            return await function(*args, **kwargs)
        finally:
            sink.append((time.perf_counter() - began) * 1000)

    return wrapper
