"""Baselines the judge must beat: uniform random scores (fixed seed) and a scorer that only counts words."""

from __future__ import annotations

import random
from collections.abc import Mapping

from interviewer.domain import STAGES, Stage, Transcript

RANDOM_SEED = 20261123
LENGTH_STEPS = (60, 200, 450)  # candidate words: below each step scores 1, 2, 3; above the last, 4


def random_scores(transcript: Transcript, seed: int = RANDOM_SEED) -> Mapping[Stage, int | None]:
    """Each stage drawn uniformly from not reached and 1-4; the seed makes a run reproducible per transcript."""
    rng = random.Random(f"{seed}:{transcript.id}")
    return {stage: rng.choice([None, 1, 2, 3, 4]) for stage in STAGES}


def length_scores(transcript: Transcript) -> Mapping[Stage, int | None]:
    """Every stage gets the same score, from how many words the candidate wrote: verbosity, not substance."""
    words = sum(len(turn.split()) for turn in transcript.candidate_turns())
    score = 1 + sum(words >= step for step in LENGTH_STEPS)
    return dict.fromkeys(STAGES, score)
