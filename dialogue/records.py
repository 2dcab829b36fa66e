"""What a conversation keeps for editors, as two slots in the tracker store: `answered` (every
answer turn: the question, its status, the passages shown) and `feedback` (👍 / 👎 on the last
answer, with that answer's question and passages). The actions write them; editorial/ reads them.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Dict, Mapping, Optional

if TYPE_CHECKING:  # read by editorial/ too, which needs no search stack loaded
    from dialogue.answering import Answer

ANSWERED_SLOT = "answered"
FEEDBACK_SLOT = "feedback"
UP, DOWN = "up", "down"
FEEDBACK_VALUES = (UP, DOWN)


def answered_record(reply: "Answer") -> Dict[str, Any]:
    """The `answered` slot: {"question", "status", "passages": ids shown, best first}."""
    return {"question": reply.question, "status": reply.status, "passages": [hit.passage.id for hit in reply.hits]}


def feedback_record(value: str, answered: Optional[object]) -> Dict[str, Any]:
    """The `feedback` slot: {"value", "question", "passages"}, empty without a previous answer."""
    rated: Mapping[str, Any] = answered if isinstance(answered, Mapping) else {}
    return {
        "value": value,
        "question": str(rated.get("question") or ""),
        "passages": [str(passage) for passage in rated.get("passages") or ()],
    }
