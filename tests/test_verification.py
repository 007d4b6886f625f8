"""Serial checks against format, ranges, registry and the customer's own serials."""

import pytest

from bot.campaigns.definition import parse_definition
from bot.domain.serials import serial_readings
from bot.models import Customer, Unit, Verification
from bot.services.verification import VerificationOutcome, check_serial, rank_readings, record_verification
from tests import factories


@pytest.fixture
def world(session_factory):
    with session_factory.begin() as s:
        campaign = factories.demo_campaign(s)
        asha = factories.customer(s, campaign, "+919812300001", "AR26D004512")
        other = factories.customer(s, campaign, "+919812300002", "AR26E120035", name="Ravi Iyer")
        s.add(Unit(campaign_id=campaign.id, serial="AR26H000100", affected=False, customer_id=other.id))
        return {
            "campaign": campaign.id,
            "asha": asha.id,
            "other": other.id,
            "definition": parse_definition(campaign.definition),
        }


@pytest.mark.parametrize(
    ("text", "entity", "outcome", "serial", "suggestion", "owned_by_other"),
    [
        ("AR26D004512", None, VerificationOutcome.AFFECTED, "AR26D004512", None, False),
        ("sr no ar26-d 004512 pls", None, VerificationOutcome.AFFECTED, "AR26D004512", None, False),
        ("my serial", "ar26 d 004512", VerificationOutcome.AFFECTED, "AR26D004512", None, False),
        ("AR26D004521", None, VerificationOutcome.NEAR_MISS, "AR26D004521", "AR26D004512", False),  # swapped digits
        ("AR26D00451", None, VerificationOutcome.NEAR_MISS, "AR26D00451", "AR26D004512", False),  # one missing
        ("AR26E120035", None, VerificationOutcome.AFFECTED, "AR26E120035", None, True),  # another customer's
        ("AR26H000100", None, VerificationOutcome.NOT_AFFECTED, "AR26H000100", None, True),
        ("AR26B000123", None, VerificationOutcome.NOT_AFFECTED, "AR26B000123", None, False),  # in format, out of range
        ("AR26F777777", None, VerificationOutcome.AFFECTED, "AR26F777777", None, False),  # in range, not yet on file
        ("XY99Z123456", None, VerificationOutcome.MALFORMED, "XY99Z123456", None, False),
        ("where do I find it?", None, VerificationOutcome.MALFORMED, None, None, False),
    ],
)
def test_check_serial(session_factory, world, text, entity, outcome, serial, suggestion, owned_by_other):
    with session_factory() as s:
        check = check_serial(
            s,
            campaign_id=world["campaign"],
            customer_id=world["asha"],
            definition=world["definition"],
            text=text,
            entity=entity,
        )
    assert (check.outcome, check.serial, check.suggestion, check.owned_by_other) == (
        outcome,
        serial,
        suggestion,
        owned_by_other,
    )


def test_registry_complete_makes_unlisted_serials_unknown(session_factory, world):
    strict = world["definition"].model_copy(
        update={"affected": world["definition"].affected.model_copy(update={"registry_complete": True})}
    )
    with session_factory() as s:
        check = check_serial(
            s, campaign_id=world["campaign"], customer_id=world["asha"], definition=strict, text="AR26F777777"
        )
    assert check.outcome is VerificationOutcome.UNKNOWN


def test_recording_registers_new_units_and_flags_shared_serials(session_factory, world):
    with session_factory.begin() as s:
        new = check_serial(
            s,
            campaign_id=world["campaign"],
            customer_id=world["asha"],
            definition=world["definition"],
            text="AR26F777777",
        )
        record_verification(s, campaign_id=world["campaign"], customer_id=world["asha"], check=new)
        shared = check_serial(
            s,
            campaign_id=world["campaign"],
            customer_id=world["asha"],
            definition=world["definition"],
            text="AR26E120035",
        )
        record_verification(s, campaign_id=world["campaign"], customer_id=world["asha"], check=shared)
    with session_factory() as s:
        asha = s.get(Customer, world["asha"])
        assert asha.verification == Verification.AFFECTED and asha.verified_at is not None
        assert asha.flagged_for_agent == "serial AR26E120035 is on file under another customer"
        assert {u.serial for u in asha.units} == {"AR26D004512", "AR26F777777"}
        assert {u.serial for u in s.get(Customer, world["other"]).units} == {"AR26E120035", "AR26H000100"}


@pytest.mark.parametrize(
    ("text", "outcome", "suggestion", "substituted"),
    [
        ("ar26d1o452O", VerificationOutcome.NEAR_MISS, "AR26D104520", True),  # O for 0: in range, asked
        ("ar26d0o4512", VerificationOutcome.NEAR_MISS, "AR26D004512", True),  # her own serial, still asked
        ("its AR26-E12OO35 i think", VerificationOutcome.NEAR_MISS, "AR26E120035", True),  # another's: asked
        ("AR26B1O4520 or AR26E1O4520", VerificationOutcome.NEAR_MISS, "AR26E104520", True),  # in range first
        ("AR26H1O4520 or AR26D0O4512", VerificationOutcome.NEAR_MISS, "AR26D004512", True),  # on file first
        ("AR26H1OO1OO", VerificationOutcome.NEAR_MISS, "AR26H100100", True),  # out of range: still a reading
        ("AR26D00451 I think", VerificationOutcome.NEAR_MISS, "AR26D004512", False),  # her serial beats a guess
        ("AR26DXO4520", VerificationOutcome.MALFORMED, None, False),  # no reading fits the format
        ("AR26D004512", VerificationOutcome.AFFECTED, None, False),  # typed right: verified as before
    ],
)
def test_look_alike_slips_are_suggested_never_accepted(session_factory, world, text, outcome, suggestion, substituted):
    with session_factory() as s:
        check = check_serial(
            s, campaign_id=world["campaign"], customer_id=world["asha"], definition=world["definition"], text=text
        )
    assert (check.outcome, check.suggestion, check.substituted) == (outcome, suggestion, substituted)


def test_readings_rank_own_then_affected_then_the_rest(session_factory, world):
    readings = serial_readings("AR26B1O4520 AR26H1OO1OO AR26E1O4520 AR26D0O4512", r"^AR26[A-Z][0-9]{6}$")
    with session_factory() as s:
        ranked = rank_readings(
            s, world["campaign"], readings, ["AR26D004512"], world["definition"].affected.serial_ranges()
        )
    assert [r.serial for r in ranked] == ["AR26D004512", "AR26E104520", "AR26B104520", "AR26H100100"]
