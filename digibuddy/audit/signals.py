"""Which records are about one person, for the audit log's person filter.

The audit log names records (a request, a session, a message), not people, and audit sits below the areas
that know which records belong to a resident or a digibuddy. It asks them with this signal; each area
answers for its own rows."""

from blinker import Namespace

_signals = Namespace()

# sender: "resident" or "volunteer"; keyword person_id. Each receiver returns {object_type: {ids}} of the
# audit records about that person that its area keeps.
person_records = _signals.signal("person-records")
