"""Counting what happened to the customers' messages: from the app's database (stored,
processed, the replies' outbox rows) and from the simulator (what Twilio received)."""

from __future__ import annotations

import time
from collections import Counter
from itertools import pairwise

from sqlalchemy import text

from tests.e2e.stack import Stack


def wait_all_processed(stack: Stack, sids: list[str], timeout: float) -> int:
    """Wait until every stored message among `sids` is processed; the number still pending."""
    deadline = time.monotonic() + timeout
    pending = len(sids)
    with stack.db() as s:
        while True:
            pending = s.scalar(
                text("SELECT count(*) FROM messages WHERE twilio_sid = ANY(:sids) AND processed_at IS NULL"),
                {"sids": sids},
            )
            if not pending or time.monotonic() > deadline:
                return pending
            s.rollback()
            time.sleep(0.2)


def figures(stack: Stack, sent: list[dict], *, expect_reply: bool = True, settle: float = 2.0) -> dict:
    """`sent`: one dict per message a customer sent, in sending order per phone:
    {"phone", "sid", "status"} (status: what the webhook answered; "sid" None when the
    simulator could not post it). Figures:

    - acknowledged: webhooks answered 2xx; refused: answered otherwise (Twilio retries or
      reports those; nothing was promised);
    - stored: acknowledged messages with their row; lost_acknowledged: acknowledged and not stored;
    - answered: stored messages with a reply Twilio accepted (a row with a sid, and the
      simulator has it); lost = lost_acknowledged + stored messages never answered (when
      a reply is expected);
    - doubled: stored twice, or a reply part Twilio received more than once (the same
      body for the same message, or a message Twilio has that the outbox does not know);
    - reordered: per customer, a reply to a later message sent before one to an earlier one.
    """
    time.sleep(settle)
    acked = [m for m in sent if m["sid"] and 200 <= m["status"] < 300]
    sids = [m["sid"] for m in acked]
    with stack.db() as s:
        stored_rows = s.execute(
            text("SELECT twilio_sid, id FROM messages WHERE direction = 'inbound' AND twilio_sid = ANY(:sids)"),
            {"sids": sids},
        ).all()
        stored_ids = {sid: mid for sid, mid in stored_rows}
        replies = s.execute(
            text(
                "SELECT reply_to_id, body, twilio_sid, id, status FROM messages "
                "WHERE direction = 'outbound' AND reply_to_id = ANY(:ids) ORDER BY id"
            ),
            {"ids": list(stored_ids.values())},
        ).all()
        outbox_sids = set(
            s.scalars(text("SELECT twilio_sid FROM messages WHERE direction = 'outbound' AND twilio_sid IS NOT NULL"))
        )
    stored_counter = Counter(sid for sid, _ in stored_rows)
    phones = {m["phone"] for m in sent}
    sim_out = {p: [m for m in stack.sim.messages(p) if m["direction"] == "outbound-api"] for p in phones}
    sim_sids = Counter(m["sid"] for msgs in sim_out.values() for m in msgs)
    accepted = [r for r in replies if r.twilio_sid]
    answered_ids = {r.reply_to_id for r in accepted if sim_sids[r.twilio_sid]}
    parts = Counter((r.reply_to_id, r.body) for r in accepted)
    unknown_to_outbox = sum(1 for sid in sim_sids if sid not in outbox_sids)
    doubled = (
        sum(c - 1 for c in stored_counter.values() if c > 1)
        + sum(c - 1 for c in parts.values() if c > 1)
        + sum(c - 1 for c in sim_sids.values() if c > 1)
        + unknown_to_outbox
    )
    # order: per phone, the inbound ids replied to, in the order Twilio received the replies
    sid_to_reply = {r.twilio_sid: r.reply_to_id for r in accepted}
    reordered = 0
    for msgs in sim_out.values():
        seen = [sid_to_reply[m["sid"]] for m in msgs if m["sid"] in sid_to_reply]
        reordered += sum(1 for a, b in pairwise(seen) if b < a)
    lost_acked = len([sid for sid in sids if sid not in stored_ids])
    unanswered = [sid for sid, mid in stored_ids.items() if mid not in answered_ids] if expect_reply else []
    return {
        "sent": len(sent),
        "acknowledged": len(acked),
        "refused": len(sent) - len(acked),
        "stored": len(stored_ids),
        "answered": len(answered_ids),
        "reply_parts_delivered": len(accepted),
        "failed_reply_rows": sum(1 for r in replies if r.status == "failed"),
        "lost": lost_acked + len(unanswered),
        "doubled": doubled,
        "reordered": reordered,
        "unanswered_sids": unanswered[:10],
    }
