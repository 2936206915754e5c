"""Baselines the judge must beat, given the same information the judge gets.

`random`: each stage drawn uniformly from not reached and 1-4 (fixed seed). `length`: told which stages the judge
found reached, it scores each of them by how many words the candidate wrote, with thresholds fit on the blind dev set
(`fit_length_steps`; tests/test_gates.py fits them again and compares), so it differs from the judge only in reading
length instead of substance.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Mapping, Sequence
from itertools import combinations

from interviewer.domain import STAGES, Stage, Transcript
from interviewer.evals.metrics import qwk
from interviewer.evaluation import LabelledCase

RANDOM_SEED = 20261123
# Candidate words at which a reached stage scores 2, 3 and 4: fit_length_steps on evals/blind/transcripts.
LENGTH_STEPS = (653, 766, 1308)

StageScores = Mapping[Stage, int | None]
Baseline = Callable[[Transcript, frozenset[Stage]], StageScores]


def random_scores(transcript: Transcript, reached: frozenset[Stage] = frozenset(), seed: int = RANDOM_SEED) -> (
    StageScores
):
    """Each stage drawn uniformly from not reached and 1-4; the seed makes a run reproducible per transcript."""
    rng = random.Random(f"{seed}:{transcript.id}")
    return {stage: rng.choice([None, 1, 2, 3, 4]) for stage in STAGES}


def candidate_words(transcript: Transcript) -> int:
    return sum(len(turn.split()) for turn in transcript.candidate_turns())


def length_scores(
    transcript: Transcript, reached: frozenset[Stage], steps: Sequence[int] = LENGTH_STEPS
) -> StageScores:
    """Every reached stage gets the same score, from how many words the candidate wrote: verbosity, not substance."""
    words = candidate_words(transcript)
    score = 1 + sum(words >= step for step in steps)
    return {stage: score if stage in reached else None for stage in STAGES}


def fit_length_steps(cases: Sequence[LabelledCase], reach: Sequence[frozenset[Stage]]) -> tuple[int, int, int]:
    """The three word-count steps (from the counts seen) that give the best pooled kappa against the first labeller;
    `reach`: the stages the judge scored in each case."""
    labels = [c.labels.stages.get(s) or 0 for c in cases for s in STAGES]
    counts = [*sorted({candidate_words(c.transcript) for c in cases}), 10**9]
    best: tuple[float, tuple[int, int, int]] = (-2.0, (counts[0], counts[0], counts[0]))
    for steps in combinations(counts, 3):
        predicted = [
            v or 0 for c, r in zip(cases, reach, strict=True) for v in length_scores(c.transcript, r, steps).values()
        ]
        kappa = qwk(labels, predicted)
        if kappa > best[0]:
            best = (kappa, steps)
    return best[1]


BASELINES: Mapping[str, Baseline] = {"random": random_scores, "length": length_scores}
