"""The public home page and each role's home page after log-in."""

from flask import Blueprint, render_template
from flask_login import current_user, login_required
from sqlalchemy import select

from ..core.i18n import resident_facing
from ..extensions import db
from ..network.models import LocalNetwork
from . import dashboards

bp = Blueprint("public", __name__)


@bp.route("/")
@resident_facing
def home():
    networks = db.session.scalars(
        select(LocalNetwork).where(LocalNetwork.active.is_(True)).order_by(LocalNetwork.name)
    ).all()
    return render_template("public/home.html", networks=networks)


@bp.route("/home")
@login_required
def dashboard():
    return render_template("home/dashboard.html", panels=dashboards.panels_for(current_user))
