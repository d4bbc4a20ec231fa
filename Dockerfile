# digibuddy web server or scheduler (the same image; the command chooses). See README, "Running in production".
#   docker build -t digibuddy .
#   docker run --env-file production.env -p 8000:8000 digibuddy                      # web (gunicorn)
#   docker run --env-file production.env digibuddy flask --app wsgi scheduler run   # scheduler
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    DIGIBUDDY_ENV=production \
    PORT=8000

WORKDIR /app
RUN useradd --create-home --uid 10001 digibuddy

COPY setup.cfg pyproject.toml README.md ./
COPY digibuddy ./digibuddy
COPY migrations ./migrations
COPY templates ./templates
COPY static ./static
COPY translations ./translations
COPY babel.cfg wsgi.py gunicorn.conf.py ./
RUN pip install -e . && pybabel -q compile --use-fuzzy -d translations \
    && mkdir -p instance && chown digibuddy instance

USER digibuddy
EXPOSE 8000
HEALTHCHECK --interval=30s --timeout=5s CMD python -c "import urllib.request, os; urllib.request.urlopen(f'http://127.0.0.1:{os.environ[\"PORT\"]}/healthz', timeout=4)"
CMD ["gunicorn", "-c", "gunicorn.conf.py", "wsgi:app"]
