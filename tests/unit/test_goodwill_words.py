"""Reading a goodwill claim from the customer's words (bot/domain/goodwill.py), and the
campaign's `goodwill` fields: validated, and said only as offered."""

from decimal import Decimal

import pytest

from bot.campaigns.definition import CampaignDefinitionError, parse_definition, read_definition
from bot.conversation import texts
from bot.domain.goodwill import ClaimAsk, claim_asks, claimed_amount
from tests.factories import DEMO_CAMPAIGN

FOOD, DISCOUNT = ClaimAsk.SPOILED_FOOD, ClaimAsk.DISCOUNT


@pytest.mark.parametrize(
    ("text", "asks"),
    [
        ("what do I get for the trouble? my food spoiled, can I get a discount on a new one?", (FOOD, DISCOUNT)),
        ("my food spoiled", (FOOD,)),
        ("all the milk n curd got spoilt", (FOOD,)),
        ("vegetables went bad", (FOOD,)),
        ("the fish and meat went off", (FOOD,)),
        ("had to throw away everything in the freezer", (FOOD,)),
        ("lost 1.5k of groceries", (FOOD,)),
        ("khana kharab ho gaya", (FOOD,)),
        ("ice cream melted", (FOOD,)),
        ("any coupon for a new fridge?", (DISCOUNT,)),
        ("is there a discount for recall customers", (DISCOUNT,)),
        ("do i get anything for the trouble", ()),
        ("is it safe to keep food in it", ()),
        ("AR26D004512", ()),
        ("the fridge is not cooling", ()),
    ],
)
def test_claim_asks(text, asks):
    assert claim_asks(text) == asks


@pytest.mark.parametrize(
    ("text", "amount"),
    [
        ("milk and paneer went bad, about rs 1500", "1500"),
        ("₹2,000 worth of food wasted", "2000"),
        ("lost 1.5k of groceries", "1500"),
        ("all the food is kharab ho gaya 800 rupees ka", "800"),
        ("food spoilt worth 650/- on the 3rd of dec", "650"),
        ("around rs 1,25,000 of stock in my shop fridge", "125000"),
        ("1200", "1200"),
        ("2 litres of milk spoiled", None),  # a quantity, not money
        ("my serial is AR26D004512", None),
        ("spoiled on the 2nd, about 3 days ago", None),
        ("my food spoiled", None),
    ],
)
def test_claimed_amount(text, amount):
    assert claimed_amount(text) == (Decimal(amount).quantize(Decimal("0.01")) if amount else None)


def _demo(**goodwill) -> dict:
    data = read_definition(DEMO_CAMPAIGN).to_json()
    data.pop("goodwill")
    if goodwill:
        data["goodwill"] = goodwill
    return data


@pytest.mark.parametrize(
    ("goodwill", "problem"),
    [
        ({"discount": {"percent": 0, "text": "x"}}, ("goodwill.discount.percent", "greater than or equal to 1")),
        ({"discount": {"percent": 15}}, ("goodwill.discount.text", "required key is missing")),
        ({"spoiled_food": {"max_amount": -5}}, ("goodwill.spoiled_food.max_amount", "greater than 0")),
        ({"spoiled_food": {"max_amount": 2000, "receipt": True}}, ("goodwill.spoiled_food.receipt", "did you mean")),
        ({"spoilt_food": {"max_amount": 2000}}, ("goodwill.spoilt_food", "did you mean 'spoiled_food'")),
    ],
)
def test_goodwill_fields_are_validated(goodwill, problem):
    with pytest.raises(CampaignDefinitionError) as error:
        parse_definition(_demo(**goodwill))
    key, message = problem
    assert any(k == key and message in m for k, m in error.value.problems), error.value.problems


def test_the_policy_says_only_what_the_campaign_offers():
    demo = read_definition(DEMO_CAMPAIGN)
    assert texts.goodwill_policy(demo) == (
        "Beyond the free repair or replacement or refund, this recall offers: 15% off a new Arctica Appliances "
        "product (Use the code our team sends you at an Arctica store or on arctica-appliances.in); and a claim "
        "for food spoiled by the fault, up to ₹2,000, with a photo of the receipt, reviewed by a person from our team."
    )
    food_only = parse_definition(_demo(spoiled_food={"max_amount": 500, "receipt_required": False}))
    policy = texts.goodwill_policy(food_only)
    assert "discount" not in policy and "% off" not in policy and "receipt" not in policy and "₹500" in policy
    assert texts.goodwill_not_covered(food_only, "discount").startswith("A discount is not part of this recall")
    none = parse_definition(_demo())
    assert not none.goodwill.offered and texts.how_to_claim(none) is None
    assert "No compensation is set for this recall" in texts.no_goodwill(none)
