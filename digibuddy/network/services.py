"""Creating and changing local networks, and routing a postcode to the network that covers it."""

import re
import unicodedata

from sqlalchemy import select

from ..core.exceptions import DomainError
from ..core.i18n import current_locale
from ..core.i18n import gettext as _
from ..extensions import db
from ..reference.models import Municipality, Postcode
from .models import LocalNetwork, NetworkMunicipality


def slugify(text: str) -> str:
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")[:60] or "network"


def network_for_postcode(code: str) -> LocalNetwork | None:
    """The one local network that covers the municipality of this postcode, if any."""
    return db.session.scalar(
        select(LocalNetwork)
        .join(NetworkMunicipality, NetworkMunicipality.network_id == LocalNetwork.id)
        .join(Postcode, Postcode.municipality_nis == NetworkMunicipality.municipality_nis)
        .where(Postcode.code == code, LocalNetwork.active.is_(True))
    )


def _check_municipalities(network: LocalNetwork | None, nis_codes: list[str]) -> list[Municipality]:
    if not nis_codes:
        raise DomainError(_("Choose at least one municipality."), "municipalities")
    municipalities = db.session.scalars(
        select(Municipality).where(Municipality.nis_code.in_(nis_codes))
    ).all()
    if len(municipalities) != len(set(nis_codes)):
        raise DomainError(_("One of the municipalities does not exist."), "municipalities")
    taken = db.session.execute(
        select(Municipality, LocalNetwork.name)
        .join(NetworkMunicipality, NetworkMunicipality.municipality_nis == Municipality.nis_code)
        .join(LocalNetwork, LocalNetwork.id == NetworkMunicipality.network_id)
        .where(
            Municipality.nis_code.in_(nis_codes),
            LocalNetwork.id != (network.id if network and network.id else -1),
        )
        .order_by(Municipality.name_nl)
    ).all()
    if taken:
        # Every municipality that is taken, in one message on the field: the form is fixed in one go.
        locale = current_locale()
        sentences = [
            _("%(municipality)s is already covered by %(network)s.", municipality=m.name(locale), network=net)
            for m, net in taken
        ]
        raise DomainError(" ".join(sentences), "municipalities")
    return municipalities


def save_network(
    network: LocalNetwork | None, *, name: str, municipality_codes: list[str], **fields
) -> LocalNetwork:
    """Create a network (network=None) or update one; a municipality belongs to at most one network."""
    name = name.strip()
    clash = db.session.scalar(select(LocalNetwork).where(LocalNetwork.name == name))
    if clash is not None and clash is not network:
        raise DomainError(_("A local network with this name already exists."), "name")
    municipalities = _check_municipalities(network, municipality_codes)
    if network is None:
        base = slugify(name)
        slug, n = base, 1
        while db.session.scalar(select(LocalNetwork.id).where(LocalNetwork.slug == slug)):
            n += 1
            slug = f"{base}-{n}"
        network = LocalNetwork(name=name, slug=slug)
        db.session.add(network)
    network.name = name
    for key, value in fields.items():
        setattr(network, key, value)
    network.municipalities = municipalities
    db.session.commit()
    return network


def save_location(
    location,
    *,
    network_id: int,
    name: str,
    kind: str,
    street: str,
    postcode,
    phone: str | None,
    accessibility_notes: str | None,
    opening_hours,
):
    """Create or update a location; its coordinates come from its postcode."""
    from .models import Location, LocationKind, OpeningHours

    if location is None:
        location = Location(network_id=network_id)
        db.session.add(location)
    location.network_id = network_id
    location.name = name.strip()
    location.kind = LocationKind(kind)
    location.street = street.strip()
    location.postcode_code = postcode.code
    location.latitude, location.longitude = postcode.latitude, postcode.longitude
    location.phone = phone or None
    location.accessibility_notes = accessibility_notes or None
    location.opening_hours = [OpeningHours(weekday=d, opens=o, closes=c) for d, o, c in opening_hours]
    db.session.commit()
    return location


def nearest_networks(postcode: Postcode, limit: int = 3) -> list[tuple[LocalNetwork, float]]:
    """The active networks closest to a postcode (by their nearest covered postcode), with the distance in
    km."""
    from ..core.geo import distance_km

    rows = db.session.execute(
        select(LocalNetwork, Postcode.latitude, Postcode.longitude)
        .join(NetworkMunicipality, NetworkMunicipality.network_id == LocalNetwork.id)
        .join(Postcode, Postcode.municipality_nis == NetworkMunicipality.municipality_nis)
        .where(LocalNetwork.active.is_(True))
    ).all()
    best: dict[int, tuple[LocalNetwork, float]] = {}
    for network, lat, lon in rows:
        km = distance_km(postcode.latitude, postcode.longitude, lat, lon)
        if network.id not in best or km < best[network.id][1]:
            best[network.id] = (network, km)
    return sorted(best.values(), key=lambda pair: pair[1])[:limit]
