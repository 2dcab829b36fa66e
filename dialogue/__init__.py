"""Dialogue: what a message asks in its conversation — intents and their aspects, the topic it
names, whether it follows up the last question — and the retrieval query built from that.

Pure Python over Rasa's parse (intent name, entities, text): imported by `actions/` and `safety/`.
"""
