"""A local Twilio simulator following Twilio's published 2010-04-01 REST API: Messages
(create, fetch, list, delete) and their Media (customers' photos, behind basic auth),
signed incoming-message and status-callback webhooks, WhatsApp's 24-hour window, SMS
opt-outs, fault injection, and a web page acting as the customers' phones. See
docs/simulator.md."""

from bot.twilio_sim.app import create_app
from bot.twilio_sim.client import SimulatorHttpClient, simulator_client
from bot.twilio_sim.config import SimConfig
from bot.twilio_sim.runner import SimHandle, running_simulator, serving

__all__ = [
    "SimConfig",
    "SimHandle",
    "SimulatorHttpClient",
    "create_app",
    "running_simulator",
    "serving",
    "simulator_client",
]
