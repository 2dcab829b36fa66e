"""Integration tests: the real bot started by scripts.serve, spoken to over REST on loopback."""
