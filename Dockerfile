# Clusterhub in a container, from Debian's and PyPI's packages (and npm's, for the map's
# shapes and the network's graph library, as `make` fetches them): docs/deploy.md.
FROM debian:bookworm-slim AS build
RUN apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \
        python3 python3-venv python3-dev g++ pkg-config libicu-dev make nodejs npm ca-certificates \
    && rm -rf /var/lib/apt/lists/*
WORKDIR /opt/clusterhub
COPY . .
RUN make install PYTHON=python3 && rm -rf node_modules

FROM debian:bookworm-slim
RUN apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \
        python3 libicu72 postgresql-client ca-certificates \
    && rm -rf /var/lib/apt/lists/* \
    && useradd --system --home /var/lib/clusterhub --create-home clusterhub
COPY --from=build /opt/clusterhub /opt/clusterhub
ENV PATH=/opt/clusterhub/.venv/bin:$PATH \
    CLUSTERHUB_DATA_DIR=/var/lib/clusterhub \
    PYTHONUNBUFFERED=1
USER clusterhub
WORKDIR /var/lib/clusterhub
VOLUME /var/lib/clusterhub
EXPOSE 8000
HEALTHCHECK --interval=30s --timeout=5s CMD python3 -c "import urllib.request; urllib.request.urlopen('http://127.0.0.1:8000/health/')"
CMD ["clusterhub", "serve", "--host", "0.0.0.0", "--port", "8000"]
