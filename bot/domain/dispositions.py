"""What became of a unit that is no longer with the customer (issue 16, item 8).

A unit the customer sold, gave away or threw away cannot be fixed through this
customer; the recall records it (the regulator's report counts such units as
unreachable, with why) and offers what the campaign offers then. Recording one stops
contact about that unit, so it is only recorded after the customer confirmed it.
"""

from __future__ import annotations

import enum


class Disposition(str, enum.Enum):  # noqa: UP042 - like every enum of bot.models; StrEnum changes str()
    SOLD = "sold"
    GIVEN_AWAY = "given_away"
    DISPOSED = "disposed"  # thrown away, scrapped
