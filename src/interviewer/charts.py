"""A radar chart of the stage scores as a standalone SVG string. Pure; every label comes from our own data, escaped."""

from __future__ import annotations

import base64
import math
from collections.abc import Mapping, Sequence
from html import escape

from interviewer.domain import Stage

# Wide enough that each stage's title fits beside its axis, the longest ("Scaling, monitoring and updates") included:
# at 560 the outer labels ran off both edges ("ing and updates (not reached)"); tests/test_browser.py measures them.
WIDTH, HEIGHT = 700, 400
CENTRE_X, CENTRE_Y = WIDTH / 2, HEIGHT / 2
RADIUS = 130
MAX_SCORE = 4
LINE_PX = 13  # a label is two lines: the stage's title, then its score


def _point(index: int, count: int, value: float) -> tuple[float, float]:
    angle = -math.pi / 2 + 2 * math.pi * index / count
    distance = RADIUS * value / MAX_SCORE
    return CENTRE_X + distance * math.cos(angle), CENTRE_Y + distance * math.sin(angle)


def _anchor(x: float) -> str:
    """Labels left of the centre end at their point, labels right of it start there: none runs off the edge."""
    if abs(x - CENTRE_X) < RADIUS * 0.2:
        return "middle"
    return "start" if x > CENTRE_X else "end"


def _label(x: float, y: float, title: str, score: str) -> str:
    """The title with the score under it; above the centre both lines sit over the axis end, so neither runs into the
    outer ring."""
    top = y - LINE_PX + 4 if y < CENTRE_Y else y + 4
    return (f'<text x="{x:.1f}" y="{top:.1f}" text-anchor="{_anchor(x)}" fill="#333">{escape(title)}'
            f'<tspan x="{x:.1f}" dy="{LINE_PX}">({escape(score)})</tspan></text>')


def _polygon(points: Sequence[tuple[float, float]]) -> str:
    return " ".join(f"{x:.1f},{y:.1f}" for x, y in points)


def radar_svg(scores: Mapping[Stage, int | None], titles: Mapping[Stage, str]) -> str:
    """One axis per stage; a stage not reached sits at the centre and is labelled so."""
    stages = list(titles)
    count = len(stages)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {HEIGHT}" width="{WIDTH}" height="{HEIGHT}" '
        'style="max-width:100%;height:auto" role="img" aria-label="Radar chart of stage scores" '
        'font-family="sans-serif" font-size="11">',
        f'<rect width="{WIDTH}" height="{HEIGHT}" fill="white"/>',
    ]
    for ring in range(1, MAX_SCORE + 1):
        ring_points = [_point(i, count, ring) for i in range(count)]
        parts.append(f'<polygon points="{_polygon(ring_points)}" fill="none" stroke="#d0d4da" stroke-width="1"/>')
    for i, stage in enumerate(stages):
        x, y = _point(i, count, MAX_SCORE)
        lx, ly = _point(i, count, MAX_SCORE + 0.45)
        parts.append(f'<line x1="{CENTRE_X}" y1="{CENTRE_Y}" x2="{x:.1f}" y2="{y:.1f}" stroke="#d0d4da"/>')
        score = scores.get(stage)
        parts.append(_label(lx, ly, titles[stage], "not reached" if score is None else f"{score}/4"))
    values = [_point(i, count, float(scores.get(s) or 0)) for i, s in enumerate(stages)]
    parts.append(f'<polygon points="{_polygon(values)}" fill="#3b82f6" fill-opacity="0.3" stroke="#1d4ed8" '
                 'stroke-width="2"/>')
    parts.append("</svg>")
    return "".join(parts)


def svg_data_uri(svg: str) -> str:
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode("utf-8")).decode("ascii")


# The progress chart: each stage's scores over the finished interviews, one line per stage, oldest on the left.
PROGRESS_WIDTH, PROGRESS_HEIGHT = 700, 320
PLOT_LEFT, PLOT_RIGHT, PLOT_TOP, PLOT_BOTTOM = 40, 470, 20, 280
STAGE_COLOURS = ("#1d4ed8", "#b91c1c", "#047857", "#a16207", "#7c3aed", "#0e7490", "#be185d")
STAGE_NUDGE = 4  # px between the stages' dots at one interview, so equal scores stay visible side by side


def _x(index: int, count: int) -> float:
    return PLOT_LEFT + (PLOT_RIGHT - PLOT_LEFT) * (index / (count - 1) if count > 1 else 0.5)


def _y(score: float) -> float:
    return PLOT_BOTTOM - (PLOT_BOTTOM - PLOT_TOP) * (score - 1) / (MAX_SCORE - 1)


def progress_svg(sessions: Sequence[str], scores: Mapping[Stage, Sequence[tuple[str, int]]],
                 titles: Mapping[Stage, str]) -> str:
    """`sessions`: the finished interviews in order (the x axis); `scores`: per stage, (session id, score) pairs. A
    stage's line skips the interviews that did not reach it; a single score is a dot."""
    position = {session: i for i, session in enumerate(sessions)}
    count = max(len(sessions), 1)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {PROGRESS_WIDTH} {PROGRESS_HEIGHT}" '
        f'width="{PROGRESS_WIDTH}" height="{PROGRESS_HEIGHT}" style="max-width:100%;height:auto" role="img" '
        f'aria-label="Stage scores over {len(sessions)} interviews" font-family="sans-serif" font-size="11">',
        f'<rect width="{PROGRESS_WIDTH}" height="{PROGRESS_HEIGHT}" fill="white"/>',
    ]
    for score in range(1, MAX_SCORE + 1):
        y = _y(score)
        parts.append(f'<line x1="{PLOT_LEFT}" y1="{y:.1f}" x2="{PLOT_RIGHT}" y2="{y:.1f}" stroke="#e5e7eb"/>')
        parts.append(f'<text x="{PLOT_LEFT - 8}" y="{y + 4:.1f}" text-anchor="end" fill="#333">{score}</text>')
    parts.append(f'<text x="{(PLOT_LEFT + PLOT_RIGHT) / 2}" y="{PROGRESS_HEIGHT - 8}" text-anchor="middle" '
                 f'fill="#333">interviews, oldest first ({len(sessions)})</text>')
    for i, (stage, title) in enumerate(titles.items()):
        colour = STAGE_COLOURS[i % len(STAGE_COLOURS)]
        nudge = (i - (len(titles) - 1) / 2) * STAGE_NUDGE
        points = [(_x(position[s], count) + nudge, _y(v)) for s, v in scores.get(stage, ()) if s in position]
        if len(points) > 1:
            parts.append(f'<polyline points="{_polygon(points)}" fill="none" stroke="{colour}" stroke-width="2" '
                         f'data-stage="{stage.value}"/>')
        parts += [f'<circle cx="{x:.1f}" cy="{y:.1f}" r="3" fill="{colour}" data-stage="{stage.value}"/>'
                  for x, y in points]
        legend_y = PLOT_TOP + 16 * i
        parts.append(f'<rect x="{PLOT_RIGHT + 20}" y="{legend_y}" width="10" height="10" fill="{colour}"/>')
        parts.append(f'<text x="{PLOT_RIGHT + 36}" y="{legend_y + 9}" fill="#333">{escape(title)}</text>')
    parts.append("</svg>")
    return "".join(parts)
