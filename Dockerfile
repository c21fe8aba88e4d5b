# prodready's webhook server (`prodready serve`) in a container.
#   docker build -t prodready .
# BASE is any Debian-like image with Python 3.11+ and the venv module (python3 -m venv);
# the official slim image is the default.
ARG BASE=python:3.11-slim-bookworm

FROM ${BASE} AS build
ENV PIP_DISABLE_PIP_VERSION_CHECK=1
WORKDIR /src
# Dependencies first, from the runtime lock (pinned, checked by hash), so a code change reuses this layer.
COPY requirements/ requirements/
RUN python3 -m venv /opt/prodready \
 && /opt/prodready/bin/pip install --no-cache-dir -r requirements/runtime.lock
COPY pyproject.toml setup.py README.md ./
COPY bot/ bot/
COPY prompts/ prompts/
# The build backend (setuptools) is in the lock, so nothing unpinned is downloaded.
RUN /opt/prodready/bin/pip install --no-cache-dir --no-deps --no-build-isolation .

FROM ${BASE}
ENV PATH=/opt/prodready/bin:$PATH \
    PYTHONUNBUFFERED=1 \
    PYTHONDONTWRITEBYTECODE=1 \
    PRODREADY_DATA_DIR=/data \
    PORT=8080
COPY --from=build /opt/prodready /opt/prodready
RUN useradd --uid 10001 --user-group --no-create-home --home-dir /data --shell /usr/sbin/nologin prodready \
 && mkdir -p /data \
 && chown prodready:prodready /data
# The embedded job store (SQLite) lives here; mount a volume to keep jobs across container restarts.
VOLUME ["/data"]
USER prodready
WORKDIR /data
EXPOSE 8080
HEALTHCHECK --interval=30s --timeout=5s --start-period=10s --retries=3 \
  CMD ["python", "-c", "import json, os, urllib.request; r = urllib.request.urlopen('http://127.0.0.1:%s/healthz' % os.environ.get('PORT', '8080'), timeout=4); raise SystemExit(json.load(r).get('status') != 'ok')"]
CMD ["prodready", "serve"]
