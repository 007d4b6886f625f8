"""The gateway: the only part of the product that talks to Twilio.

It checks every webhook's signature, stores every inbound message before answering,
hands each customer's messages to Rasa one at a time in arrival order, and sends the
replies with the official twilio client on the channel the customer last wrote on.
"""
