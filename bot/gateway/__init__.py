"""The gateway: the only part of the product that talks to Twilio.

It checks every webhook's signature, stores every inbound message before answering,
hands each customer's messages to Rasa one at a time in arrival order, and sends the
replies on the channel the customer last wrote on (Rasa's client and the reply sender
are `bot.messaging`'s, shared with the follow-ups).
"""
