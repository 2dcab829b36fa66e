"""Rasa SDK action server: thin actions that read the tracker, call retrieval and reply.

Start it with `python -m actions`, which loads the model and index before serving.
"""
