"""What matching asks of the areas above it (tests/test_layers.py): they connect a receiver in their
services module, which the app always loads."""

from blinker import Namespace

_signals = Namespace()

# sender: the volunteer ids being ranked; resident_ids: the residents of the requests being matched; now.
# Each receiver returns a dict of statistics by volunteer id: scheduling "recent" (sessions in the last 30
# days) and "month" (requests helped this month), outcomes "helped" (residents they helped before).
volunteer_history = _signals.signal("volunteer-history")
