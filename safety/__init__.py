"""Clinical safety: red-flag triage and the dose guard, pure Python over the raw message.

`nlu_component` puts them in the Rasa pipeline so that an emergency wins over every intent.
"""
