"""Clinical safety, pure Python: red flags read by rules (red_flags) and by meaning (meaning), and
the dose guard. nlu.safety_triage puts the rules in the Rasa pipeline; the answer turn
(dialogue.answering) reads every message by meaning too, before it searches.
"""
