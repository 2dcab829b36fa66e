"""Stores Rasa is configured with by class path (bot/endpoints.yml) for running several replicas."""
