"""The bot's two conversations with the outside: Rasa over HTTP (`rasa`) and replies to
customers through Twilio (`replies`). Used by the gateway and the follow-ups alike."""
