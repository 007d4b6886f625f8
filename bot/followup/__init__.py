"""After a visit the bot writes first: feedback after a completed remedy, new times after a failed or missed visit."""
