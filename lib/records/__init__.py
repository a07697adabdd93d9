"""Records: every write to contacts, events and settings, one transaction per action."""
