"""Load and validate the question bank and the design flow from `knowledge/` (YAML) into domain values."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, ValidationInfo, field_validator, model_validator

from interviewer.domain import (
    DOING_SLOT,
    QUOTE_SLOT,
    STAGES,
    Ambiguity,
    ChoiceProbe,
    Curveball,
    DepthGaps,
    ExpectedPoint,
    Fact,
    FlagRule,
    Flow,
    Level,
    Output,
    ProbeBook,
    Question,
    RedFlagRule,
    Stage,
    StageGuide,
)
from interviewer.judge import ROUNDING_CUTS, JudgeModel
from interviewer.text import stem

M = TypeVar("M", bound=BaseModel)


class BankError(ValueError):
    """The knowledge files are missing or do not match the schema."""


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class PointSchema(_Strict):
    id: str = Field(min_length=1)
    summary: str = Field(min_length=1)
    cues: list[str] = Field(min_length=1)
    probe: str = Field(min_length=1)
    deeper: str = ""  # asked right after the candidate stated the point (a question's own points all have one)


class FactSchema(_Strict):
    id: str = Field(min_length=1)
    cues: list[str] = Field(min_length=1)
    answer: str = Field(min_length=1)


class RedFlagSchema(_Strict):
    id: str
    cues: list[str] = Field(min_length=1)
    explanation: str


class CurveballSchema(_Strict):
    id: str
    prompt: str
    answered_by: list[str] = []  # expected points that, once stated, already answer the twist


class QuestionSchema(_Strict):
    id: str = Field(pattern=r"^[a-z0-9_]+$")
    title: str = Field(min_length=1)
    domain: str = Field(min_length=1)
    output: Output
    levels: list[Level] = Field(min_length=1)
    prompt: str = Field(min_length=1)
    facts: list[FactSchema] = Field(min_length=10)
    expected: dict[Stage, list[PointSchema]]
    red_flags: list[RedFlagSchema] = Field(min_length=1)
    curveballs: list[CurveballSchema] = Field(min_length=2)

    @model_validator(mode="after")
    def _twists_name_points(self) -> QuestionSchema:
        ids = {p.id for points in self.expected.values() for p in points}
        unknown = [f"{c.id}: {p}" for c in self.curveballs for p in c.answered_by if p not in ids]
        if unknown:
            raise ValueError(f"curveballs answered_by unknown expected points: {', '.join(unknown)}")
        return self

    @field_validator("expected")
    @classmethod
    def _every_stage(cls, value: dict[Stage, list[PointSchema]]) -> dict[Stage, list[PointSchema]]:
        missing = [s.value for s in STAGES if not value.get(s)]
        if missing:
            raise ValueError(f"expected points missing for stages: {', '.join(missing)}")
        return value


class DepthSchema(_Strict):
    reasons: str = Field(min_length=1)
    numbers: str = Field(min_length=1)
    trade_offs: str = Field(min_length=1)
    failure_modes: str = Field(min_length=1)


class GuideSchema(_Strict):
    title: str
    opener: str
    note: str
    note_heading: str
    cues: list[str] = Field(min_length=1)
    hints: list[str] = Field(min_length=1)
    generic_points: list[PointSchema] = Field(min_length=1)
    deeper: str = Field(min_length=1)
    deeper_for: dict[str, str] = {}  # question domain -> the deeper question for it, where `deeper` does not fit
    deeper_answered: list[str] = []  # cue phrases by which a candidate has said what `deeper` asks for
    topic: str = Field(min_length=1)
    bridge: str = Field(min_length=1)
    depth: DepthSchema

    @field_validator("deeper")
    @classmethod
    def _quotes_nothing(cls, value: str) -> str:
        if "{" in value or "}" in value:
            raise ValueError("`deeper` quotes nothing: a stock question after their own words reads as a template")
        return value

    @field_validator("deeper_for")
    @classmethod
    def _each_quotes_nothing(cls, value: dict[str, str]) -> dict[str, str]:
        for question in value.values():
            cls._quotes_nothing(question)
        return value


def _quoting_once(field: str, value: str) -> str:
    """A line that quotes the candidate's own words once ({quote}) and has no other braces."""
    if value.count(QUOTE_SLOT) != 1 or value.replace(QUOTE_SLOT, "").count("{"):
        raise ValueError(f"`{field}` needs {QUOTE_SLOT} once (the candidate's own words) and no other braces")
    return value


class ChoiceSchema(_Strict):
    id: str
    cues: list[str] = Field(min_length=1)
    probe: str = Field(min_length=1)
    variants: dict[Output, str] = {}
    answered: list[str] = []
    trade_off: bool = False
    not_in: list[str] = []
    stated_with: list[str] = []


class ChoicePhrasingsSchema(_Strict):
    answers: list[str] = Field(min_length=1)
    names: list[str] = Field(min_length=1)


class ChoiceAnswersSchema(_Strict):
    """`knowledge/beyond/_choices.yaml`: per design choice of `probes.yaml`, ways a candidate answers its probe already
    and ways of only naming it, in our own words: a probe answered in other words is not asked."""

    choices: dict[str, ChoicePhrasingsSchema]


class AmbiguitySchema(_Strict):
    id: str
    cues: list[str] = Field(min_length=1)
    unless: list[str] = []
    ask: str = Field(min_length=1)


class ProbeBookSchema(_Strict):
    choices: list[ChoiceSchema] = Field(min_length=1)
    ambiguities: list[AmbiguitySchema] = []
    vague_followup: str = Field(min_length=1)
    disagree: list[str] = Field(min_length=1)
    concede: list[str] = Field(min_length=1)
    stand_by: list[str] = []
    deferrals: list[str] = []
    open_endings: list[str] = []
    commitments: list[str] = []
    closing: list[str] = []
    wrap_ups: list[str] = []
    deferral_asks: list[str] = []
    proposals: list[str] = []
    proposal_asks: list[str] = []
    proposal_asks_whole: list[str] = []
    idea_asks: list[str] = []
    proposal_asks_doing: list[str] = []
    idea_asks_doing: list[str] = []
    proposal_asks_answered_by: list[list[str]] = []
    idea_asks_answered_by: list[list[str]] = []
    follow_up_leads: list[str] = []
    hand_waves: list[str] = []
    hand_wave_asks: list[str] = []
    doubt: list[str] = []
    doubt_holds: list[str] = []
    affirm: list[str] = []
    defended: str = ""

    @field_validator("idea_asks", "follow_up_leads", "hand_wave_asks")
    @classmethod
    def _asks_quote_once(cls, value: list[str], info: ValidationInfo) -> list[str]:
        return [_quoting_once(str(info.field_name), ask) for ask in value]

    @field_validator("proposal_asks_doing", "idea_asks_doing")
    @classmethod
    def _asks_name_the_idea_once(cls, value: list[str], info: ValidationInfo) -> list[str]:
        for ask in value:
            if ask.count(DOING_SLOT) != 1 or ask.replace(DOING_SLOT, "").count("{"):
                raise ValueError(f"`{info.field_name}` needs {DOING_SLOT} once (the idea) and no other braces")
        return value

    @model_validator(mode="after")
    def _one_for_each_ask(self) -> ProbeBookSchema:
        paired: dict[str, tuple[Sequence[object], list[str]]] = {
            "proposal_asks_whole": (self.proposal_asks_whole, self.proposal_asks),
            "proposal_asks_doing": (self.proposal_asks_doing, self.proposal_asks),
            "idea_asks_doing": (self.idea_asks_doing, self.idea_asks),
            "proposal_asks_answered_by": (self.proposal_asks_answered_by, self.proposal_asks),
            "idea_asks_answered_by": (self.idea_asks_answered_by, self.idea_asks),
        }
        for name, (value, asks) in paired.items():
            if value and len(value) != len(asks):
                raise ValueError(f"`{name}` needs one entry for each ask it goes with (or none)")
        return self


class FlagSchema(_Strict):
    id: str
    title: str
    explanation: str
    when: list[str] = []
    when_together: list[list[str]] = []
    not_with: list[str] = []
    unless: list[str] = []
    domains: list[str] = []
    outputs: list[Output] = []
    absent: bool = False
    stage: Stage | None = None
    caps: Stage | None = None  # a serious mistake: the stage it caps while uncorrected
    cap: int = Field(default=2, ge=1, le=3)
    cleared_anywhere: bool = False
    challenge: str = ""
    press: str = ""

    @model_validator(mode="after")
    def _triggerable(self) -> FlagSchema:
        if not (self.when or self.when_together) and not (self.absent and self.stage and self.unless):
            raise ValueError(f"flag {self.id!r} needs `when` cues, or `absent: true` with `stage` and `unless`")
        if len(self.when_together) == 1 or not all(self.when_together):
            raise ValueError(f"flag {self.id!r}: `when_together` needs two or more groups, none empty")
        if self.caps is not None and not (self.challenge and self.press):
            raise ValueError(f"flag {self.id!r} caps a stage, so it needs a `challenge` for the interviewer to ask and"
                             " a `press` for when the candidate defends the mistake")
        return self


class FlagBookSchema(_Strict):
    flags: list[FlagSchema] = Field(min_length=1)


class FlowSchema(_Strict):
    stages: dict[Stage, GuideSchema]

    @field_validator("stages")
    @classmethod
    def _every_stage(cls, value: dict[Stage, GuideSchema]) -> dict[Stage, GuideSchema]:
        missing = [s.value for s in STAGES if s not in value]
        if missing:
            raise ValueError(f"flow is missing stages: {', '.join(missing)}")
        return value


@dataclass(frozen=True)
class QuestionBank:
    questions: tuple[Question, ...]
    flow: Flow
    probes: ProbeBook = field(default_factory=ProbeBook)
    flags: tuple[FlagRule, ...] = ()
    rubric: Mapping[Stage, Mapping[int, str]] = field(default_factory=dict)  # per stage, each score's anchor

    def get(self, question_id: str) -> Question | None:
        return next((q for q in self.questions if q.id == question_id), None)


class PhrasingsSchema(_Strict):
    """`knowledge/asks/<question>.yaml` (fact id -> how a candidate asks for it), `knowledge/says/<question>.yaml`
    (point id -> how a candidate states it) or `knowledge/beyond/<question>.yaml` (point id -> how a candidate answers
    its follow-up): examples in our own words that matching by meaning compares against."""

    phrasings: dict[str, list[str]]


class UnansweredSchema(_Strict):
    """`knowledge/asks/_off_sheet.yaml`: clarifying questions that no question's sheet answers, and words that name
    what they ask about (the team, budgets, vendors, timelines, ...)."""

    asks: list[str] = Field(min_length=1)
    topics: list[str] = Field(default_factory=list)


Phrasings = dict[str, list[str]]


def _points(
    stage: Stage, items: list[PointSchema], says: Phrasings | None = None, beyond: Phrasings | None = None
) -> tuple[ExpectedPoint, ...]:
    said, further = says or {}, beyond or {}
    return tuple(
        ExpectedPoint(
            p.id, stage, p.summary, tuple(p.cues), p.probe, tuple(said.get(p.id, ())), p.deeper,
            tuple(further.get(p.id, ())),
        )
        for p in items
    )


def to_question(
    schema: QuestionSchema,
    asks: Phrasings | None = None,
    says: Phrasings | None = None,
    common: Phrasings | None = None,
    *,
    unanswered: tuple[str, ...] = (),
    unanswered_topics: frozenset[str] = frozenset(),
    beyond: Phrasings | None = None,
) -> Question:
    """`common`: phrasings for fact ids most questions share (`knowledge/asks/_common.yaml`), kept apart from the
    question's own (`Fact.common_asks`)."""
    asked, shared = asks or {}, common or {}
    return Question(
        id=schema.id,
        title=schema.title,
        domain=schema.domain,
        prompt=schema.prompt.strip(),
        levels=tuple(schema.levels),
        facts=tuple(Fact(f.id, tuple(f.cues), f.answer, tuple(asked.get(f.id, ())), tuple(shared.get(f.id, ())))
                    for f in schema.facts),
        expected=tuple(p for stage in STAGES for p in _points(stage, schema.expected[stage], says, beyond)),
        red_flags=tuple(
            RedFlagRule(id=r.id, cues=tuple(r.cues), explanation=r.explanation.strip()) for r in schema.red_flags
        ),
        curveballs=tuple(Curveball(c.id, c.prompt, tuple(c.answered_by)) for c in schema.curveballs),
        output=schema.output,
        unanswered=unanswered,
        unanswered_topics=unanswered_topics,
    )


def to_flow(schema: FlowSchema) -> Flow:
    guides = {
        stage: StageGuide(
            stage=stage,
            title=g.title,
            opener=g.opener,
            hints=tuple(g.hints),
            cues=tuple(g.cues),
            generic_points=_points(stage, g.generic_points),
            note=g.note,
            note_heading=g.note_heading,
            deeper=g.deeper,
            deeper_for=tuple(sorted(g.deeper_for.items())),
            deeper_answered=tuple(g.deeper_answered),
            topic=g.topic,
            bridge=g.bridge,
            depth=DepthGaps(**g.depth.model_dump()),
        )
        for stage, g in schema.stages.items()
    }
    return Flow(guides={stage: guides[stage] for stage in STAGES})


def to_probes(schema: ProbeBookSchema, answers: ChoiceAnswersSchema | None = None) -> ProbeBook:
    phrasings = answers.choices if answers else {}
    return ProbeBook(
        choices=tuple(_choice_probe(c, phrasings.get(c.id)) for c in schema.choices),
        ambiguities=tuple(Ambiguity(a.id, tuple(a.cues), tuple(a.unless), a.ask) for a in schema.ambiguities),
        vague_followup=schema.vague_followup,
        disagree=tuple(schema.disagree),
        concede=tuple(schema.concede),
        stand_by=tuple(schema.stand_by),
        deferrals=tuple(schema.deferrals),
        open_endings=tuple(schema.open_endings),
        commitments=tuple(schema.commitments),
        closing=tuple(schema.closing),
        wrap_ups=tuple(schema.wrap_ups),
        deferral_asks=tuple(schema.deferral_asks),
        proposals=tuple(schema.proposals),
        proposal_asks=tuple(schema.proposal_asks),
        proposal_asks_whole=tuple(schema.proposal_asks_whole),
        idea_asks=tuple(schema.idea_asks),
        proposal_asks_doing=tuple(schema.proposal_asks_doing),
        idea_asks_doing=tuple(schema.idea_asks_doing),
        proposal_asks_answered_by=tuple(tuple(words) for words in schema.proposal_asks_answered_by),
        idea_asks_answered_by=tuple(tuple(words) for words in schema.idea_asks_answered_by),
        follow_up_leads=tuple(schema.follow_up_leads),
        hand_waves=tuple(schema.hand_waves),
        hand_wave_asks=tuple(schema.hand_wave_asks),
        doubt=tuple(schema.doubt),
        doubt_holds=tuple(schema.doubt_holds),
        affirm=tuple(schema.affirm),
        defended=schema.defended.strip(),
    )


def to_flag(schema: FlagSchema) -> FlagRule:
    return FlagRule(
        id=schema.id,
        title=schema.title,
        explanation=schema.explanation.strip(),
        when=tuple(schema.when),
        when_together=tuple(tuple(group) for group in schema.when_together),
        not_with=tuple(schema.not_with),
        unless=tuple(schema.unless),
        domains=tuple(schema.domains),
        outputs=tuple(schema.outputs),
        absent=schema.absent,
        stage=schema.stage,
        caps=schema.caps,
        cap=schema.cap,
        cleared_anywhere=schema.cleared_anywhere,
        challenge=schema.challenge.strip(),
        press=schema.press.strip(),
    )


# libyaml's loader when PyYAML was built with it: the same values, read 15 times faster (1.5 s -> 0.1 s for the bank).
YAML_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def _read_yaml(path: Path) -> Any:
    try:
        return yaml.load(path.read_text(encoding="utf-8"), Loader=YAML_LOADER)
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
        raise BankError(f"{path}: cannot read YAML: {exc}") from exc


def _validate(model: type[M], path: Path) -> M:
    try:
        return model.model_validate(_read_yaml(path))
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(part) for part in first["loc"])
        raise BankError(f"{path}: {where}: {first['msg']} ({exc.error_count()} problem(s))") from exc


def _choice_probe(choice: ChoiceSchema, phrasings: ChoicePhrasingsSchema | None) -> ChoiceProbe:
    return ChoiceProbe(
        choice.id, tuple(choice.cues), choice.probe, tuple(choice.variants.items()), tuple(choice.answered),
        choice.trade_off, tuple(choice.not_in),
        beyond=tuple(phrasings.answers) if phrasings else (), names=tuple(phrasings.names) if phrasings else (),
        stated_with=tuple(choice.stated_with),
    )


def _choice_answers(knowledge_dir: Path, schema: ProbeBookSchema) -> ChoiceAnswersSchema | None:
    """`knowledge/beyond/_choices.yaml`, if there is one; each of its ids must be a choice of `probes.yaml`."""
    path = knowledge_dir / "beyond" / CHOICE_ANSWERS
    if not path.is_file():
        return None
    answers = _validate(ChoiceAnswersSchema, path)
    unknown = sorted(set(answers.choices) - {c.id for c in schema.choices})
    if unknown:
        raise BankError(f"{path}: no such choice(s) in probes.yaml: {', '.join(unknown)}")
    return answers


def load_bank(knowledge_dir: Path) -> QuestionBank:
    """Read `flow.yaml` and `questions/*.yaml`; raise BankError naming the file and field on any problem."""
    flow = to_flow(_validate(FlowSchema, knowledge_dir / "flow.yaml"))
    probe_schema = _validate(ProbeBookSchema, knowledge_dir / "probes.yaml")
    probes = to_probes(probe_schema, _choice_answers(knowledge_dir, probe_schema))
    flags = tuple(to_flag(f) for f in _validate(FlagBookSchema, knowledge_dir / "red_flags.yaml").flags)
    files = sorted((knowledge_dir / "questions").glob("*.yaml"))
    if not files:
        raise BankError(f"no question files in {knowledge_dir / 'questions'}")
    schemas = [(f, _validate(QuestionSchema, f)) for f in files]
    common = _common_phrasings(knowledge_dir, {fact.id for _, schema in schemas for fact in schema.facts})
    off_sheet = _off_sheet(knowledge_dir)
    questions = tuple(_question(knowledge_dir, schema, common, off_sheet) for _, schema in schemas)
    seen: set[str] = set()
    for q in questions:
        if q.id in seen:
            raise BankError(f"duplicate question id {q.id!r}")
        seen.add(q.id)
    rubric = load_rubric(knowledge_dir / "rubric.md", flow)
    return QuestionBank(questions=questions, flow=flow, probes=probes, flags=flags, rubric=rubric)


_ANCHOR = re.compile(r"^- ([1-4]): (.+)$")


def load_rubric(path: Path, flow: Flow) -> dict[Stage, dict[int, str]]:
    """knowledge/rubric.md's anchors per stage: under each stage's heading (its title in the flow), "- N: text" for
    each score 1-4. A stage without all four is a broken bank."""
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError as exc:
        raise BankError(f"{path}: cannot read it ({exc.strerror or exc})") from exc
    by_title = {guide.title: stage for stage, guide in flow.guides.items()}
    rubric: dict[Stage, dict[int, str]] = {}
    stage: Stage | None = None
    for line in lines:
        if line.startswith("## "):
            stage = by_title.get(line[3:].strip())
        elif stage is not None and (found := _ANCHOR.match(line.strip())):
            rubric.setdefault(stage, {})[int(found.group(1))] = found.group(2).strip()
    incomplete = [s.value for s in flow.guides if set(rubric.get(s, {})) != {1, 2, 3, 4}]
    if incomplete:
        raise BankError(f"{path}: no anchors for scores 1-4 under the heading of {', '.join(incomplete)}")
    return rubric


OFF_SHEET = "_off_sheet.yaml"  # questions no sheet answers, shared by every question
CHOICE_ANSWERS = "_choices.yaml"  # in knowledge/beyond: ways of answering each design choice's probe
COMMON_PHRASINGS = "_common.yaml"  # phrasings for ids that most questions share, added to every question that has one


def _phrasings(folder: Path, question_id: str, known: set[str]) -> Phrasings:
    """The optional phrasings files for one question (`<id>.yaml`, and `<id>.<author>.yaml` from further authors),
    merged; every id in them must exist in the question."""
    merged: Phrasings = {}
    for path in sorted(folder.glob(f"{question_id}.yaml")) + sorted(folder.glob(f"{question_id}.*.yaml")):
        phrasings = _validate(PhrasingsSchema, path).phrasings
        unknown = sorted(set(phrasings) - known)
        if unknown:
            raise BankError(f"{path}: no such id(s) in the question: {', '.join(unknown)}")
        for key, items in phrasings.items():
            merged.setdefault(key, []).extend(items)
    return merged


def _common_phrasings(knowledge_dir: Path, fact_ids: set[str]) -> Phrasings:
    """`knowledge/asks/_common.yaml`, if there is one; each of its ids must be a fact id of some question."""
    path = knowledge_dir / "asks" / COMMON_PHRASINGS
    if not path.is_file():
        return {}
    phrasings = _validate(PhrasingsSchema, path).phrasings
    unknown = sorted(set(phrasings) - fact_ids)
    if unknown:
        raise BankError(f"{path}: no question has a fact with id(s): {', '.join(unknown)}")
    return phrasings


def _off_sheet(knowledge_dir: Path) -> UnansweredSchema | None:
    """`knowledge/asks/_off_sheet.yaml`, if there is one."""
    path = knowledge_dir / "asks" / OFF_SHEET
    return _validate(UnansweredSchema, path) if path.is_file() else None


def _question(
    knowledge_dir: Path, schema: QuestionSchema, common: Phrasings, off_sheet: UnansweredSchema | None = None
) -> Question:
    asks = _phrasings(knowledge_dir / "asks", schema.id, {f.id for f in schema.facts})
    points = {p.id for items in schema.expected.values() for p in items}
    says = _phrasings(knowledge_dir / "says", schema.id, points)
    beyond = _phrasings(knowledge_dir / "beyond", schema.id, points)
    unanswered = tuple(off_sheet.asks) if off_sheet else ()
    topics = frozenset(stem(word.lower()) for word in off_sheet.topics) if off_sheet else frozenset()
    return to_question(
        schema, asks, says, common, unanswered=unanswered, unanswered_topics=topics, beyond=beyond
    )


class JudgeModelSchema(_Strict):
    intercept: float
    weights: dict[str, float] = Field(min_length=1)
    cuts: tuple[float, float, float] = ROUNDING_CUTS

    @field_validator("cuts")
    @classmethod
    def _increasing(cls, cuts: tuple[float, float, float]) -> tuple[float, float, float]:
        if not cuts[0] < cuts[1] < cuts[2]:
            raise ValueError(f"cuts must increase: {list(cuts)}")
        return cuts


def load_judge_model(knowledge_dir: Path) -> JudgeModel:
    """`judge_model.yaml`, written by `interviewer calibrate`; the built-in default when it is absent."""
    path = knowledge_dir / "judge_model.yaml"
    if not path.is_file():
        return JudgeModel()
    schema = _validate(JudgeModelSchema, path)
    return JudgeModel(schema.intercept, dict(schema.weights), schema.cuts)
