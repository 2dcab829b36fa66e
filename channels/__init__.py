"""Rasa input channels of the bot: REST with checked input, socket.io for the web chat, its
page, and Telegram. Each is named in bot/credentials.yml by its module path.
"""
