"""The project's own Rasa NLU components, placed by config.yml after DIET: the safety triage, which
makes an emergency or a dose question win over every intent and never lets a complaint pass as small talk.
"""
