"""Moments in a request's life that the areas above requests take part in.

requests may not import matching, scheduling or outcomes (tests/test_layers.py), yet a resident's
cancellation, their anonymisation and their status page concern those areas' rows too. requests names
each moment here and sends it; each of those areas connects a receiver in its services module (which the
app always loads) and does its own part, in the same transaction."""

from blinker import Namespace

_signals = Namespace()

# sender: the HelpRequest the resident cancelled. Receivers call off what still waited for it.
cancelled_by_resident = _signals.signal("cancelled-by-resident")
# request_ids: requests whose free text is forgotten (their resident was anonymised, or they closed longer
# ago than the network keeps data). Receivers clear the free text they keep about them.
free_text_forgotten = _signals.signal("free-text-forgotten")
# sender: the Resident just anonymised (by erasure or retention); now: when. Receivers clear or close what
# they keep that could still reach or name the resident.
resident_anonymised = _signals.signal("resident-anonymised")
# sender: the HelpRequest. Each receiver returns a dict of the StatusView fields it knows.
status_details = _signals.signal("status-details")
