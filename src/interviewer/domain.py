"""Domain types: frozen values shared by the policy, the judge, storage and every front door.

This module (like policy, judge and feedback) imports no framework: it is plain Python.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Literal, Protocol, runtime_checkable

Level = Literal["E4", "E5", "E6"]
LEVELS: tuple[Level, ...] = ("E4", "E5", "E6")
# The defaults every front door uses (Settings reads them; INTERVIEWER_DEFAULT_LEVEL and INTERVIEWER_INTERVIEW_MINUTES
# change them for the page, the REST API and the CLI alike).
DEFAULT_LEVEL: Level = "E5"
DEFAULT_MINUTES = 45.0
MIN_MINUTES, MAX_MINUTES = 5.0, 240.0
DRILL_MINUTES = 10.0  # a stage drill's length, unless asked for shorter (no shorter than MIN_MINUTES)
Role = Literal["interviewer", "candidate"]


class Stage(StrEnum):
    PROBLEM_FORMULATION = "problem_formulation"
    METRICS = "metrics"
    MVP_DESIGN = "mvp_design"
    DATA_PIPELINE = "data_pipeline"
    TRAINING = "training"
    INFERENCE = "inference"
    SCALING_MONITORING = "scaling_monitoring"


STAGES: tuple[Stage, ...] = tuple(Stage)
QUOTE_SLOT = "{quote}"  # where a stage's `deeper` question quotes the candidate
DOING_SLOT = "{doing}"  # where an ask names the candidate's idea as the doing of it ("keeping a small random holdout")


class Output(StrEnum):
    """What a question's system produces: the kind of problem decides which probes fit it."""

    DECISION = "decision"  # a yes/no or a class per item, acted on at a threshold
    RANKING = "ranking"  # an ordered list
    ESTIMATE = "estimate"  # a number (a time, a demand)
    GENERATION = "generation"  # text written by the model
    EXTRACTION = "extraction"  # structured fields read from a document


class TurnKind(StrEnum):
    MESSAGE = "message"
    HINT = "hint"
    NOTICE = "notice"


class Verdict(StrEnum):
    STRONG_NO_HIRE = "strong_no_hire"
    NO_HIRE = "no_hire"
    HIRE = "hire"
    STRONG_HIRE = "strong_hire"


@dataclass(frozen=True)
class Turn:
    role: Role
    content: str
    kind: TurnKind = TurnKind.MESSAGE
    stage: Stage | None = None
    at: float = 0.0
    chunk_ids: tuple[str, ...] = ()


@dataclass(frozen=True)
class Reply:
    """The interviewer's answer to one turn, as the front doors show it (`notice`: a fallback the candidate should
    know about)."""

    message: str
    stage: Stage
    coverage: Mapping[Stage, float]
    kind: TurnKind = TurnKind.MESSAGE
    finished: bool = False
    chunk_ids: tuple[str, ...] = ()
    notice: str | None = None


@dataclass(frozen=True)
class Fact:
    """One line of a question's hidden scenario sheet, found by its cue phrases and by example questions (`asks`)."""

    id: str
    cues: tuple[str, ...]
    answer: str
    asks: tuple[str, ...] = ()
    common_asks: tuple[str, ...] = ()  # domain-neutral example questions shared by the facts of this id in every sheet


@dataclass(frozen=True)
class ExpectedPoint:
    """Something a good answer covers in one stage. `probe` asks for it without giving it away; `deeper` follows it up
    one step further once the candidate has stated it."""

    id: str
    stage: Stage
    summary: str
    cues: tuple[str, ...]
    probe: str
    says: tuple[str, ...] = ()  # ways a candidate might state it
    deeper: str = ""
    beyond: tuple[str, ...] = ()  # ways a candidate might answer `deeper` already (it is then not asked)


@dataclass(frozen=True)
class RedFlagRule:
    id: str
    cues: tuple[str, ...]
    explanation: str


@dataclass(frozen=True)
class ChoiceProbe:
    """A design choice the candidate may state, and the trade-off question it earns."""

    id: str
    cues: tuple[str, ...]
    probe: str
    variants: tuple[tuple[Output, str], ...] = ()  # asked instead on problems with that output
    answered: tuple[str, ...] = ()  # cue phrases, each within one sentence, that answer the probe already
    trade_off: bool = False  # the probe asks what the choice is traded against: a statement weighing it answers it
    not_in: tuple[str, ...] = ()  # phrases holding a cue that name something else ("cached states" is no results cache)
    beyond: tuple[str, ...] = ()  # ways a candidate answers the probe already, compared by meaning (knowledge/beyond)
    names: tuple[str, ...] = ()  # ways a candidate only names the choice, without answering its probe
    # for a metric: words one of which the sentence naming it must use, so that it is chosen as a measure ("offline
    # we'd track recall") and not a quality described in passing ("the title match has decent precision"); none: any
    stated_with: tuple[str, ...] = ()

    def probe_for(self, output: Output) -> str:
        return dict(self.variants).get(output, self.probe)


@dataclass(frozen=True)
class Ambiguity:
    """A vague requirement (cues, none of `unless`, no number) and the interviewer's clarifying question."""

    id: str
    cues: tuple[str, ...]
    unless: tuple[str, ...]
    ask: str


@dataclass(frozen=True)
class ProbeBook:
    choices: tuple[ChoiceProbe, ...] = ()
    ambiguities: tuple[Ambiguity, ...] = ()
    vague_followup: str = "Can you make that concrete: which numbers, or which reasons, drive that choice?"
    disagree: tuple[str, ...] = ()  # phrases by which a candidate stands by what was just challenged
    concede: tuple[str, ...] = ()  # phrases by which a candidate accepts the challenge
    stand_by: tuple[str, ...] = ()  # ... stands by it wherever in the reply ("fair, but I'd still ...")
    deferrals: tuple[str, ...] = ()  # phrases by which a candidate leaves a decision open ("make it configurable")
    open_endings: tuple[str, ...] = ()  # ... or which do so when they end a clause ("..., it depends.")
    commitments: tuple[str, ...] = ()  # phrases by which a candidate then decides after all ("if I had to pick")
    closing: tuple[str, ...] = ()  # phrases by which a candidate closes the interview ("happy to take questions")
    wrap_ups: tuple[str, ...] = ()  # ... that close it only in a short message asking nothing ("I enjoyed it")
    deferral_asks: tuple[str, ...] = ()  # asked for a decision left open, one each time (so at most this many times)
    proposals: tuple[str, ...] = ()  # phrases by which a candidate puts forward an idea ("we could", "I'd")
    proposal_asks: tuple[str, ...] = ()  # asked about that idea before a twist, one per twist
    proposal_asks_whole: tuple[str, ...] = ()  # the same, one for one, where no clause of the idea can be said back
    idea_asks: tuple[str, ...] = ()  # asked about an idea put forward as the interviewer would move on, each once
    # the same asks, one for one, naming the idea inside the question ({doing}) where it can be (`policy.doing`)
    proposal_asks_doing: tuple[str, ...] = ()
    idea_asks_doing: tuple[str, ...] = ()
    # for each of those asks, words by which the idea's own sentence or the next one answers it already
    proposal_asks_answered_by: tuple[tuple[str, ...], ...] = ()
    idea_asks_answered_by: tuple[tuple[str, ...], ...] = ()
    follow_up_leads: tuple[str, ...] = ()  # quote the sentence before a point's own follow-up, taken in turn
    hand_waves: tuple[str, ...] = ()  # phrases claiming a hard part sorts itself out ("the model will figure it out")
    hand_wave_asks: tuple[str, ...] = ()  # asked how, saying the claim back, one each time (so at most this many times)
    doubt: tuple[str, ...] = ()  # words by which an interviewer's question casts doubt on what was said ("really")
    doubt_holds: tuple[str, ...] = ()  # ... asking whether it holds, so that a yes stands by it ("always", "enough")
    affirm: tuple[str, ...] = ()  # phrases by which a reply says yes ("yes", "usually")
    defended: str = ""  # why standing by a challenged choice, conceding nothing, counts against the candidate


@dataclass(frozen=True)
class FlagRule:
    """A generic ML red flag: raised by `when` unless `unless` is said anywhere (or, if `absent`, by its absence).

    A serious mistake (`caps` set) caps that stage at `cap` while the candidate has not corrected it: its `unless`
    shows they know better, and clears it only when no sentence after it states the mistake again (see
    `mistakes.standing`); with `cleared_anywhere`, its `unless` is something said alongside that makes up for it (a
    proper metric next to accuracy) and clears it wherever it is said."""

    id: str
    title: str
    explanation: str
    when: tuple[str, ...] = ()
    unless: tuple[str, ...] = ()
    domains: tuple[str, ...] = ()
    outputs: tuple[Output, ...] = ()  # when given: only questions whose system produces one of these
    when_together: tuple[tuple[str, ...], ...] = ()  # also raised by a sentence with a term of every group
    not_with: tuple[str, ...] = ()  # a sentence with one of these never raises it (it is about something else)
    absent: bool = False
    stage: Stage | None = None
    caps: Stage | None = None
    cap: int = 2
    cleared_anywhere: bool = False
    challenge: str = ""  # what the interviewer asks when a candidate makes this mistake (never the answer)
    press: str = ""  # asked once more when the candidate defends the mistake after the challenge (still not the fix)


@dataclass(frozen=True)
class Curveball:
    id: str
    prompt: str
    answered_by: tuple[str, ...] = ()  # expected point ids: a candidate who stated one has answered the twist already


@dataclass(frozen=True)
class Question:
    id: str
    title: str
    domain: str
    prompt: str
    levels: tuple[Level, ...]
    facts: tuple[Fact, ...]
    expected: tuple[ExpectedPoint, ...]
    red_flags: tuple[RedFlagRule, ...] = ()
    curveballs: tuple[Curveball, ...] = ()
    output: Output = Output.DECISION
    unanswered: tuple[str, ...] = ()  # domain-neutral questions no sheet answers (knowledge/asks/_off_sheet.yaml)
    unanswered_topics: frozenset[str] = frozenset()  # stemmed words naming what no sheet covers ("team", "budget")

    def points_for(self, stage: Stage) -> tuple[ExpectedPoint, ...]:
        return tuple(point for point in self.expected if point.stage is stage)

    def hidden(self) -> tuple[HiddenText, ...]:
        """What the candidate must never be shown: each expected point's summary and each red flag's explanation (a
        model's reply repeating one is refused; the behaviour eval counts one repeated as a leak)."""
        points = [HiddenText("point", p.summary) for p in self.expected]
        return (*points, *(HiddenText("red flag", r.explanation) for r in self.red_flags))


@dataclass(frozen=True)
class HiddenText:
    kind: Literal["point", "red flag"]
    text: str


@dataclass(frozen=True)
class DepthGaps:
    """What an answer that covered every point of a stage still lacks, in that stage's terms, one line for each kind of
    depth the judge measures (`judge.StageFeatures`: reasons, numbers, trade-offs, failure modes)."""

    reasons: str = ""
    numbers: str = ""
    trade_offs: str = ""
    failure_modes: str = ""


@dataclass(frozen=True)
class StageGuide:
    """How the interviewer talks about one stage of the flow, and what any design covers there."""

    stage: Stage
    title: str
    opener: str
    hints: tuple[str, ...]
    cues: tuple[str, ...]
    generic_points: tuple[ExpectedPoint, ...]
    note: str
    note_heading: str
    deeper: str = ""  # asked instead of the opener when the candidate covered the stage already: beyond it, unquoted
    deeper_for: tuple[tuple[str, str], ...] = ()  # (question domain, deeper) where `deeper` does not fit that domain
    deeper_answered: tuple[str, ...] = ()  # cue phrases by which a candidate has said what `deeper` asks for
    topic: str = ""  # how the stage is named when it is taken further ("the data")
    bridge: str = ""  # leads into the stage's first open point when the candidate already began the stage
    depth: DepthGaps = DepthGaps()  # what feedback names as missing when every point was covered but depth was not

    def deeper_in(self, domain: str) -> str:
        """The stage's deeper question for a question of this domain."""
        return dict(self.deeper_for).get(domain, self.deeper)


@dataclass(frozen=True)
class Flow:
    guides: Mapping[Stage, StageGuide]

    def guide(self, stage: Stage) -> StageGuide:
        return self.guides[stage]


@dataclass(frozen=True)
class Shape:
    """What an interview covers and for how long: `minutes` (None: the configured length) and `drill`, the one stage a
    stage drill asks about (None: the whole flow). Every `Interviewer` method takes it."""

    minutes: float | None = None
    drill: Stage | None = None


WHOLE = Shape()  # a whole interview of the configured length


@dataclass(frozen=True)
class Session:
    id: str
    question_id: str
    level: Level
    created_at: float
    turns: tuple[Turn, ...] = ()
    ended: bool = False
    minutes: float | None = None  # this interview's length; None means the configured default
    drill_stage: Stage | None = None  # a stage drill: only this stage is asked about and scored; None: the whole flow

    def shape(self) -> Shape:
        return Shape(self.minutes, self.drill_stage)


@dataclass(frozen=True)
class Transcript:
    """A conversation to score: a stored session or a recorded file in the eval format."""

    id: str
    turns: tuple[Turn, ...]
    question_id: str | None = None
    question_text: str | None = None
    level: Level = DEFAULT_LEVEL

    def candidate_turns(self) -> tuple[str, ...]:
        return tuple(t.content for t in self.turns if t.role == "candidate" and t.kind is TurnKind.MESSAGE)


@dataclass(frozen=True)
class StageScore:
    score: int | None
    evidence: tuple[str, ...] = ()
    missing: tuple[str, ...] = ()
    estimate: float | None = None  # the score before rounding (within half a point of it); None: the score itself


@dataclass(frozen=True)
class RedFlag:
    id: str
    evidence: str
    explanation: str


@dataclass(frozen=True)
class Citation:
    source: str
    heading: str
    stage: Stage


@dataclass(frozen=True)
class Report:
    question_id: str | None
    stages: Mapping[Stage, StageScore]
    overall: float
    verdict: Verdict | None  # None for a stage drill, which scores one stage and gives no verdict
    level: Level
    red_flags: tuple[RedFlag, ...] = ()
    citations: tuple[Citation, ...] = ()
    feedback_markdown: str = ""
    notices: tuple[str, ...] = ()
    verdict_reason: str = ""  # the hiring-committee rule that decided the verdict ("" for a plain hire)
    drill: Stage | None = None  # the stage a drill scored (every other stage is left out of it: not reached)

    def scope(self) -> tuple[Stage, ...]:
        """The stages this report is about: the drilled stage alone, or the whole flow."""
        return STAGES if self.drill is None else (self.drill,)

    def scores(self) -> dict[Stage, int | None]:
        """Every stage's score in the flow's order; None for a stage not reached (or not in the report)."""
        return {stage: self.stages[stage].score if stage in self.stages else None for stage in STAGES}


@dataclass(frozen=True)
class Passage:
    """A retrieved piece of knowledge, citable by source and heading."""

    chunk_id: str
    source: str
    heading: str
    text: str
    note_id: str
    score: float


@runtime_checkable
class Retriever(Protocol):
    def search(self, query: str, k: int = 5, stage: Stage | None = None) -> list[Passage]: ...


class Similarity(Protocol):
    """Semantic similarity between sentences and target texts (cosine, -1..1)."""

    def similarities(self, sentences: Sequence[str], targets: Sequence[str]) -> list[list[float]]: ...
