"""The yardstick for benchmarks/pages.py: a bare Flask app rendering a small Jinja template, served by the
same gunicorn settings as digibuddy. What it reaches is the most this machine gives any Flask page."""

from pathlib import Path

from flask import Flask, render_template

app = Flask(__name__, template_folder=str(Path(__file__).resolve().parent / "templates"))
ITEMS = [f"Punt {n}" for n in range(10)]


@app.route("/")
def page():
    return render_template("bare.html", title="Digitale hulp in je buurt", items=ITEMS)
