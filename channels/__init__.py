"""Rasa input channels of the bot: REST, socket.io for the web chat, its page, and Telegram; each
checks a message (channels.incoming) before it reaches Rasa. Each is named in bot/credentials.yml
by its module path.
"""
