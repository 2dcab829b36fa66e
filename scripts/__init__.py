"""Command-line entry points that run the bot: `python -m scripts.serve` (make run, make shell)."""
