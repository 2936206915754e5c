"""One ASGI app: the REST API under /api and the page at /, served by uvicorn."""

from __future__ import annotations

import logging
import secrets
import signal
import threading
from collections.abc import Callable

import gradio as gr
import uvicorn
from fastapi import FastAPI

from interviewer.api import create_api
from interviewer.bootstrap import build_knowledge, build_service, quiet_third_parties
from interviewer.config import Settings
from interviewer.llm.local_server import MODEL_ALIAS, LocalModelServer
from interviewer.service import InterviewService
from interviewer.ui import build_page, page_assets

LOOPBACK = ("127.0.0.1", "localhost", "::1")


def create_app(service: InterviewService, auth_token: str | None = None) -> FastAPI:
    """API routes are registered first, so the page mounted at / never shadows /api.

    With `auth_token`, REST needs `Authorization: Bearer <token>` and the page asks for it on a login screen.
    """
    app = create_api(service, auth_token)
    css, head = page_assets()
    mounted: FastAPI = gr.mount_gradio_app(
        app,
        build_page(service),
        path="/",
        footer_links=["api"],
        css=css,
        head=head,
        auth=page_login(auth_token) if auth_token else None,
        auth_message=LOGIN_MESSAGE if auth_token else None,
    )
    return mounted


LOGIN_MESSAGE = "Protected: any user name, and the access token (INTERVIEWER_AUTH_TOKEN) as the password."


def page_login(token: str) -> Callable[[str, str], bool]:
    def check(_user: str, password: str) -> bool:
        return secrets.compare_digest(password.encode(), token.encode())

    return check


# How long an idle kept-alive connection stays open. Longer than the pools of common clients keep one (httpx 5 s): at
# uvicorn's default of 5 s the server closed connections as clients reused them, and `make bench`'s stress run lost 1-2
# of 50 candidates to httpx.ReadError.
KEEP_ALIVE_S = 75

def server(settings: Settings, service: InterviewService | None = None) -> uvicorn.Server:
    quiet_third_parties()
    if settings.host not in LOOPBACK and not settings.auth_token:
        print(f"interviewer: WARNING: listening on {settings.host} with no INTERVIEWER_AUTH_TOKEN", flush=True)
    service = service or build_service(settings, build_knowledge(settings))
    threading.Thread(target=service.prepare, name="prepare", daemon=True).start()  # /api/health says when it is done
    app = create_app(service, settings.auth_token)
    config = uvicorn.Config(app, host=settings.host, port=settings.port, log_level="info", access_log=False,
                            timeout_keep_alive=KEEP_ALIVE_S)
    return uvicorn.Server(config)


def serve(settings: Settings) -> None:
    """Run the app; with INTERVIEWER_LLM=local, a llama.cpp server runs beside it and stops with it."""
    if settings.model_mode() != "local":
        _run(settings)
        return
    signal.signal(signal.SIGTERM, _exit_on_sigterm)
    with LocalModelServer() as local:
        print(f"interviewer: local model {MODEL_ALIAS} at {local.base_url}", flush=True)
        _run(settings.model_copy(update={"llm": "openai", "llm_base_url": local.base_url, "llm_model": MODEL_ALIAS}))


def _exit_on_sigterm(signum: int, frame: object) -> None:
    """SIGTERM (systemd, Docker, `kill`) unwinds like Ctrl-C, so the local model server is stopped on the way out:
    uvicorn shuts down on it, then raises it again with this handler in place."""
    raise SystemExit(128 + signum)


def _run(settings: Settings) -> None:
    logging.basicConfig(level=settings.log_level, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    print(f"interviewer: open http://{settings.host}:{settings.port} (REST API under /api)", flush=True)
    server(settings).run()
