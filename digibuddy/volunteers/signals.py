"""Moments in a volunteer's life that the areas above volunteers take part in.

volunteers may not import matching or scheduling (tests/test_layers.py), yet a digibuddy whose access ends
still holds offers, accepted requests and planned sessions there. volunteers names the moment here and
sends it; each of those areas connects a receiver in its services module (which the app always loads),
does its own part in the same transaction and returns what it gave back."""

from blinker import Namespace

_signals = Namespace()

# sender: the VolunteerProfile, suspended or left; actor (a User or None), reason (text or None), now.
# Each receiver returns a dict of lists for the coordinators' message: "offers" withdrawn and passed on,
# "requests" back to matching, "sessions" cancelled with the resident told, drop-in "shifts" given up.
access_ended = _signals.signal("access-ended")
