"""The editors' view of the conversations: what people asked, what the bot could not answer, which
passages they liked. Small modules: reading the store, grouping questions, writing the report."""
