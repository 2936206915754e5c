"""The page in a real browser: Debian's Chromium driven by Playwright against the real app on a free port.

Screenshots of every step go to test-artifacts/browser/. Without Chromium or Playwright these tests skip with the
reason, except under CI=true, where a missing browser fails the run.
"""

from __future__ import annotations

import base64
import importlib
import importlib.util
import json
import os
import re
import shutil
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from tests.conftest import STRONG_FRAUD_DIALOGUE, free_port, serving

from interviewer.config import Settings
from interviewer.domain import STAGES
from interviewer.ui import PageHandlers
from interviewer.web import server

pytestmark = pytest.mark.live

CHROMIUM = Path(os.environ.get("INTERVIEWER_CHROMIUM", "/usr/bin/chromium"))
FLAGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
    "--no-first-run",
]
ARTIFACTS = Path(__file__).resolve().parents[1] / "test-artifacts" / "browser"
TIMEOUT_MS = 20_000


def _require_browser() -> Any:
    """The Playwright module, or a skip (a failure under CI=true) that says exactly what is missing."""
    reason = None
    if importlib.util.find_spec("playwright") is None:
        reason = "the playwright package is not installed (make install)"
    elif not CHROMIUM.is_file():
        reason = f"no Chromium at {CHROMIUM} (make test installs it with apt when run as root)"
    if reason is None:
        return importlib.import_module("playwright.sync_api")
    if os.environ.get("CI") == "true":
        pytest.fail(f"browser tests cannot run under CI: {reason}")
    pytest.skip(f"BROWSER TESTS SKIPPED: {reason}")


@pytest.fixture(scope="module")
def base_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    settings = Settings(data_dir=tmp_path_factory.mktemp("browser"), port=free_port())
    with serving(server(settings)):
        yield f"http://{settings.host}:{settings.port}"


FINISH_PAUSE_S = 1.0


@pytest.fixture
def slow_to_finish_url(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[str]:
    """A server whose replies stay open FINISH_PAUSE_S after the last frame, as they can on a loaded machine."""
    streamed = PageHandlers.send

    def send_then_pause(self: PageHandlers, session_id: str, text: str) -> Iterator[tuple[Any, ...]]:
        yield from streamed(self, session_id, text)
        time.sleep(FINISH_PAUSE_S)

    monkeypatch.setattr(PageHandlers, "send", send_then_pause)
    settings = Settings(data_dir=tmp_path, port=free_port())
    with serving(server(settings)):
        yield f"http://{settings.host}:{settings.port}"


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    sync_api = _require_browser()
    shutil.rmtree(ARTIFACTS, ignore_errors=True)
    ARTIFACTS.mkdir(parents=True)
    with sync_api.sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=str(CHROMIUM), args=FLAGS, headless=True)
        yield launched
        launched.close()


@pytest.fixture
def page(browser: Any, base_url: str) -> Iterator[Any]:
    context = browser.new_context(viewport={"width": 1280, "height": 900}, accept_downloads=True)
    opened = context.new_page()
    opened.set_default_timeout(TIMEOUT_MS)
    opened.goto(base_url + "/")
    opened.locator("#answer textarea").wait_for()
    yield opened
    context.close()


def _shot(page: Any, name: str) -> None:
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)


def _messages(page: Any) -> list[str]:
    return [str(text) for text in page.locator("#chat .message").all_inner_texts()]


def _choose(page: Any, label: str, option: str) -> None:
    page.get_by_role("combobox", name=label, exact=True).click()  # by role: a chat message may hold the label
    page.get_by_role("option", name=option).click()


def _send(page: Any, text: str) -> None:
    """Type an answer and press Enter; wait until the interviewer's reply is in and the box is cleared."""
    before = len(_messages(page))
    box = page.locator("#answer textarea")
    box.fill(text)
    box.press("Enter")
    try:
        page.wait_for_function(
            "([n]) => document.querySelectorAll('#chat .message').length >= n + 2 && "
            "document.querySelector('#answer textarea').value === ''",
            arg=[before],
        )
    except Exception:
        _shot(page, "failed-send")  # what the page showed when the reply did not come
        raise


def _start(page: Any, domain: str = "Fraud", question: str = "Fraud detection for card payments") -> None:
    _choose(page, "Domain", domain)
    _choose(page, "Question", f"{question} (fraud)")
    _choose(page, "Length", "30 minutes")
    before = len(_messages(page))
    page.get_by_role("button", name="Start interview").click()
    # the new interview's opening replaces an earlier interview's chat, which stays on screen for a moment
    page.wait_for_function(
        "([n]) => { const m = document.querySelectorAll('#chat .message').length; "
        "return m >= 1 && (n <= 2 || m < n); }",
        arg=[before],
    )


def _current_stage(page: Any) -> str:
    return str(page.locator("#tracker li.current").get_attribute("data-stage"))


def test_a_whole_interview_in_the_browser(page: Any, base_url: str, bank: Any) -> None:
    """Two interviews and a drill in one browser: feedback, the strong answer (only after the end), a question to the
    report, history, and progress over all three."""
    assert "offline" in page.locator("#backend").inner_text()
    _shot(page, "01-start-screen")
    _start(page)
    assert "Fraud detection for card payments" in _messages(page)[0]
    assert _current_stage(page) == "problem_formulation"
    assert "starts with your first answer" in page.locator("#clock").inner_text()
    assert page.locator("#model-answer-section").is_hidden()  # no strong answer while the interview is open
    _shot(page, "02-started")

    _send(page, "What's the latency budget?")
    assert "100 ms" in _messages(page)[-1]
    clock = page.locator("#clock .interview .left")
    assert clock.get_attribute("data-state") == "running" and re.fullmatch(r"\d+:\d\d", clock.inner_text())
    first_reading = clock.inner_text()
    page.wait_for_function(f"document.querySelector('#clock .interview .left').textContent !== '{first_reading}'")
    _shot(page, "03-clarifying-answered")

    for answer in STRONG_FRAUD_DIALOGUE[:6]:
        _send(page, answer)
    assert _current_stage(page) not in ("problem_formulation", "metrics")
    covered = page.locator("#tracker li[data-stage=problem_formulation] .pct").inner_text()
    assert covered == "100%"
    _shot(page, "04-tracker-moved")

    page.get_by_role("button", name="Hint").click()
    page.wait_for_function("[...document.querySelectorAll('#chat .message')].some(m => m.innerText.includes('💡'))")
    _shot(page, "05-hint")

    count = len(_messages(page))
    page.reload()
    page.wait_for_function(f"document.querySelectorAll('#chat .message').length === {count}")
    assert _current_stage(page) not in ("problem_formulation", "metrics")
    _shot(page, "06-after-refresh")

    page.get_by_role("button", name="End interview").click()
    page.get_by_role("button", name="Keep going").click()
    page.locator("#confirm-end").wait_for(state="hidden")
    page.get_by_role("button", name="End interview").click()
    page.get_by_role("button", name="Yes, end and score it").click()
    page.locator("#feedback").get_by_text("Verdict:").wait_for()
    assert page.locator("#chart svg").count() == 1
    assert "Interview ended" in page.locator("#clock").inner_text()
    _shot(page, "07-feedback")
    page.locator("#model-answer-section").get_by_text("What a strong answer looks like").click()
    page.locator("#model-answer").get_by_text("you covered this").first.wait_for()
    assert "What a strong answer looks like: Fraud detection" in page.locator("#model-answer").inner_text()
    _shot(page, "07b-model-answer")
    page.locator("#ask textarea").fill("Why that score in metrics?")
    page.locator("#ask-button").click()
    page.locator("#ask-answer").get_by_text("What you said that the score rests on").wait_for()
    assert "“" in page.locator("#ask-answer").inner_text()  # it quotes the candidate
    _shot(page, "07c-ask")

    with page.expect_download() as transcript_download:
        page.locator("#transcript-file").click()
    transcript = json.loads(Path(transcript_download.value.path()).read_text())
    assert transcript["question_id"] == "fraud_card_payments"
    said = [t["content"] for t in transcript["turns"] if t["role"] == "candidate"]
    assert said[0] == "What's the latency budget?" and said[-1] == STRONG_FRAUD_DIALOGUE[5]
    with page.expect_download() as report_download:
        page.locator("#report-file").click()
    assert "**Verdict:" in Path(report_download.value.path()).read_text()

    page.get_by_role("tab", name="History").click()
    page.wait_for_function(
        "document.querySelector('#history').innerText.includes('Fraud detection for card payments')"
    )
    assert "ended" in page.locator("#history").inner_text()
    _shot(page, "08-history")

    page.get_by_role("tab", name="Progress").click()
    page.locator("#progress-summary").get_by_text("1 finished interview").wait_for()
    assert page.locator("#progress-chart img").count() == 1
    assert "Weakest:" in page.locator("#progress-summary").inner_text()
    _shot(page, "09-progress")

    page.get_by_role("tab", name="Interview").click()  # a second interview, then a drill of the stage suggested
    _start(page)
    for answer in STRONG_FRAUD_DIALOGUE[:2]:
        _send(page, answer)
    _end(page, "Verdict:")
    page.get_by_role("tab", name="Progress").click()
    page.locator("#progress-summary").get_by_text("2 finished interviews").wait_for()
    drill_button = page.locator("#drill-next")
    suggested = drill_button.inner_text().removeprefix("Drill ").removesuffix(" now")
    assert f"drill next: {suggested}" in page.locator("#progress-summary").inner_text().lower()
    drill_button.click()
    page.get_by_role("tab", name="Interview", selected=True).wait_for()
    page.locator("#chat").get_by_text("This is a stage drill on").wait_for()
    assert "Fraud detection for card payments" not in _messages(page)[0]  # a question not used lately
    assert page.locator("#model-answer-section").is_hidden()
    _shot(page, "10-drill")
    _send(page, "I would start simple and say why: the numbers I design against come first, then the trade-offs.")
    _end(page, "Stage drill:")
    assert "Verdict:" not in page.locator("#feedback").inner_text()
    if page.locator("#model-answer").is_hidden():  # the section stays open once opened
        page.get_by_role("button", name="What a strong answer looks like").click()
    page.locator("#model-answer").get_by_text("points a strong answer makes").wait_for()
    _shot(page, "11-drill-feedback")

    page.get_by_role("tab", name="Progress").click()
    page.locator("#progress-summary").get_by_text("3 finished interviews, 1 of them stage drill").wait_for()
    source = str(page.locator("#progress-chart img").get_attribute("src"))
    chart = base64.b64decode(source.split(",", 1)[1]).decode("utf-8")
    assert "interviews, oldest first (3)" in chart  # three interviews along the bottom
    assert len(set(re.findall(r'<circle cx="([\d.]+)"', chart))) >= 3  # points at each of the three
    weakest = page.locator("#progress-summary").inner_text().split("Weakest:")[1].split("(")[0].strip()
    assert weakest in {bank.flow.guide(stage).title for stage in STAGES}  # the weakest stage, named
    _shot(page, "12-progress-after-drill")


def _end(page: Any, heading: str) -> None:
    page.get_by_role("button", name="End interview").click()
    page.get_by_role("button", name="Yes, end and score it").click()
    page.locator("#feedback").get_by_text(heading).first.wait_for()


def test_text_typed_as_a_reply_finishes_is_kept(browser: Any, slow_to_finish_url: str) -> None:
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(TIMEOUT_MS)
    page.goto(slow_to_finish_url + "/")
    _start(page)
    box = page.locator("#answer textarea")
    box.fill("What's the latency budget?")
    box.press("Enter")
    page.wait_for_function("[...document.querySelectorAll('#chat .message')].some(m => m.innerText.includes('100 ms'))")
    box.fill("Next I'd like to talk about labels")
    page.wait_for_timeout(FINISH_PAUSE_S * 1000 + 1000)
    assert box.input_value() == "Next I'd like to talk about labels"
    _send(page, "Then how many transactions a second?")
    assert box.input_value() == ""
    context.close()


def test_text_being_typed_is_read_ahead_and_the_reply_still_comes(
    browser: Any, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """Each keystroke's draft reaches the service's reader (the newest at least), and sending works as before."""
    drafts: list[str] = []
    reading = PageHandlers.read_ahead

    def recorded(self: PageHandlers, session_id: str | None, text: str) -> None:
        drafts.append(text)
        reading(self, session_id, text)

    monkeypatch.setattr(PageHandlers, "read_ahead", recorded)
    settings = Settings(data_dir=tmp_path, port=free_port())
    with serving(server(settings)):
        context = browser.new_context(viewport={"width": 1280, "height": 900})
        page = context.new_page()
        page.set_default_timeout(TIMEOUT_MS)
        page.goto(f"http://{settings.host}:{settings.port}/")
        _start(page)
        typed = "Labels come from chargebacks. What's the latency budget?"
        page.locator("#answer textarea").press_sequentially(typed, delay=15)
        deadline = time.monotonic() + TIMEOUT_MS / 1000
        while typed not in drafts and time.monotonic() < deadline:
            page.wait_for_timeout(100)
        assert typed in drafts and len(drafts) > 1, drafts[-3:]
        page.locator("#answer textarea").press("Enter")
        page.wait_for_function(
            "[...document.querySelectorAll('#chat .message')].some(m => m.innerText.includes('100 ms'))"
        )
        context.close()


def test_html_and_scripts_in_a_message_show_as_text(page: Any) -> None:
    dialogs: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    _start(page)
    attacks = ["<img src=x onerror=alert(1)>", "<script>window.__owned = 1; alert(2)</script>"]
    for attack in attacks:
        _send(page, attack)
    page.wait_for_timeout(500)
    _shot(page, "09-xss-as-text")
    text = "\n".join(_messages(page))
    assert attacks[0] in text and "<script>" in text
    assert dialogs == [] and page.evaluate("window.__owned === undefined")
    assert page.locator("#chat img[src=x]").count() == 0 and page.locator("#chat script").count() == 0


def test_narrow_screen_has_no_sideways_scroll(browser: Any, base_url: str) -> None:
    context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)
    phone = context.new_page()
    phone.set_default_timeout(TIMEOUT_MS)
    phone.goto(base_url + "/")
    phone.locator("#answer textarea").wait_for()
    assert phone.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
    unlabelled = phone.evaluate(
        "[...document.querySelectorAll('button')].filter(b => b.offsetParent && !b.innerText.trim() && "
        "!b.getAttribute('aria-label') && !b.getAttribute('title')).length"
    )
    assert unlabelled == 0
    _shot(phone, "10-mobile")
    context.close()


def test_every_radar_label_lies_inside_the_chart(browser: Any, bank: Any) -> None:
    """Measured where the report is read, in the browser: at 560 px wide the outer labels ran off both edges
    ("ing and updates (not reached)")."""
    from interviewer.charts import HEIGHT, WIDTH, radar_svg  # noqa: PLC0415

    titles = {stage: bank.flow.guide(stage).title for stage in STAGES}
    context = browser.new_context()
    opened = context.new_page()
    for scores in ({stage: None for stage in STAGES}, {stage: 4 for stage in STAGES}):
        opened.set_content(f"<html><body style='margin:0'>{radar_svg(scores, titles)}</body></html>")
        boxes = opened.eval_on_selector_all(
            "svg text",
            "els => els.map(e => { const b = e.getBBox(); return [e.textContent, b.x, b.y, b.width, b.height]; })",
        )
        assert len(boxes) == len(STAGES)
        outside = [b for b in boxes if b[1] < 0 or b[2] < 0 or b[1] + b[3] > WIDTH or b[2] + b[4] > HEIGHT]
        assert outside == [], outside
    context.close()
