# The offline interviewer in a container. Inside it binds 0.0.0.0 so a port mapping works; on a host the default
# stays 127.0.0.1. Build: docker build -t interviewer .   Run: docker run -p 7860:7860 -v interviewer-data:/data interviewer
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    GRADIO_ANALYTICS_ENABLED=False \
    ANONYMIZED_TELEMETRY=False \
    INTERVIEWER_HOST=0.0.0.0 \
    INTERVIEWER_PORT=7860 \
    INTERVIEWER_DATA_DIR=/data \
    INTERVIEWER_KNOWLEDGE_DIR=/app/knowledge

WORKDIR /app
COPY requirements.lock ./
RUN pip install --no-cache-dir -U pip && pip install --no-cache-dir -r requirements.lock

COPY pyproject.toml README.md app.py ./
COPY src ./src
COPY knowledge ./knowledge
RUN pip install --no-cache-dir --no-deps . \
    && useradd --create-home --uid 1000 interviewer \
    && mkdir -p /data && chown interviewer /data

USER interviewer
VOLUME ["/data"]
EXPOSE 7860
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s \
    CMD python -c "import urllib.request; urllib.request.urlopen('http://127.0.0.1:7860/api/health', timeout=4)"
CMD ["python", "app.py"]
