"""The public home page, the help points anyone can look up (also as open data), and each role's home page
after log-in."""

import csv
import io

from flask import Blueprint, Response, jsonify, render_template, request
from flask_login import current_user, login_required
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from ..core import page_cache
from ..core.i18n import gettext as _
from ..core.i18n import resident_facing
from ..core.time import local_today
from ..extensions import db
from ..network.models import LocalNetwork, NetworkMunicipality
from ..network.services import network_for_postcode
from ..reference.models import Municipality
from ..scheduling.forms_dropins import PostcodeFinderForm
from . import dashboards
from . import help_points as finder

bp = Blueprint("public", __name__)
# The home page lists the active networks with their phone numbers and municipalities.
page_cache.watch("networks", LocalNetwork, NetworkMunicipality, Municipality)


@bp.route("/")
@resident_facing
@page_cache.cached_for_visitors("networks")
def home():
    networks = db.session.scalars(
        select(LocalNetwork)
        .where(LocalNetwork.active.is_(True))
        .order_by(LocalNetwork.name)
        .options(selectinload(LocalNetwork.municipalities))  # one query for every network's list
    ).all()
    return render_template("public/home.html", networks=networks)


@bp.route("/home")
@login_required
def dashboard():
    return render_template("home/dashboard.html", panels=dashboards.panels_for(current_user))


def _finder_postcode(form):
    """The Postcode row for ?postcode=, or None (no search yet, or a field error on the form)."""
    if "postcode" not in request.args or not form.validate():
        return None
    return form.postcode.postcode


@bp.route("/help-points")
@resident_facing
def help_points():
    """Where can I get help near me? Anyone types a postcode; no log-in, nothing personal."""
    form = PostcodeFinderForm(request.args)
    postcode = _finder_postcode(form)
    points, network = [], None
    if postcode is not None:
        points = finder.help_points_near(postcode, local_today())
        network = network_for_postcode(postcode.code)
        if not points:
            form.postcode.errors.append(
                _("We know no help points near this postcode yet. Call your municipality.")
            )
    return render_template(
        "public/help_points.html",
        form=form,
        postcode=postcode,
        points=points,
        network=network,
        today=local_today(),
    ), (422 if form.errors else 200)


def _open_data_points():
    """All help points, or the nearest to ?postcode=; None for a postcode that does not exist."""
    if "postcode" not in request.args:
        return finder.all_help_points(local_today())
    form = PostcodeFinderForm(request.args)
    postcode = _finder_postcode(form)
    return None if postcode is None else finder.help_points_near(postcode, local_today())


def _open_data_headers(response):
    response.headers["Access-Control-Allow-Origin"] = "*"  # open data: any municipal website may show it
    response.headers["Cache-Control"] = "public, max-age=900"
    return response


@bp.route("/help-points.json")
def help_points_json():
    points = _open_data_points()
    if points is None:
        return jsonify(error=_("We do not know this postcode.")), 400
    return _open_data_headers(
        jsonify(
            licence="CC0-1.0",
            generated_on=local_today().isoformat(),
            help_points=[finder.open_data_record(point) for point in points],
        )
    )


@bp.route("/help-points.csv")
def help_points_csv():
    points = _open_data_points()
    if points is None:
        return Response(_("We do not know this postcode."), status=400, mimetype="text/plain")
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=finder.CSV_COLUMNS)
    writer.writeheader()
    writer.writerows(finder.open_data_row(point) for point in points)
    response = Response(out.getvalue(), mimetype="text/csv")
    response.headers["Content-Disposition"] = 'attachment; filename="digibuddy-help-points.csv"'
    return _open_data_headers(response)
