"""Evaluation: the team's labelled question sets and the reports that measure the bot on them.

Run through make (`make eval`); reports are written to reports/ and their headline printed.
"""
