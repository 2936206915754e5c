"""Where a model's judgement is trusted: per stage, its measured agreement with people beside the offline judge's.

`interviewer eval --task judge --backend live|recorded --calibrate FILE` measures both on labelled transcripts (the
blind dev set by default) and writes this file; the app reads it (`INTERVIEWER_LLM_CALIBRATION`) and lets the model's
score replace the offline one on exactly the stages where the model agreed better. A file for another model, or none,
trusts no stage: the offline scores stand.
"""

from __future__ import annotations

from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from interviewer.domain import STAGES, Stage


class CalibrationError(ValueError):
    """The calibration file cannot be used; the message names the file and what is wrong."""


class StageAgreement(BaseModel):
    """One stage's agreement with the labellers: quadratic-weighted kappa, the mean over the labellers."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    offline: float = Field(ge=-1, le=1)
    model: float = Field(ge=-1, le=1)


class Calibration(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    model: str = Field(min_length=1, description="The model name as configured (INTERVIEWER_LLM_MODEL).")
    measured_on: str = Field(description="The labelled transcripts it was measured on, and how many.")
    stages: dict[Stage, StageAgreement]

    def trusts(self, stage: Stage) -> bool:
        """Whether the model's score replaces the offline one on this stage: only where it agreed strictly better."""
        agreement = self.stages.get(stage)
        return agreement is not None and agreement.model > agreement.offline

    def trusted(self) -> tuple[Stage, ...]:
        return tuple(stage for stage in STAGES if self.trusts(stage))

    def to_json(self) -> str:
        return self.model_dump_json(indent=2) + "\n"


def load_calibration(path: Path) -> Calibration:
    try:
        return Calibration.model_validate_json(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise CalibrationError(f"cannot read the calibration {path}: {exc.strerror or exc}") from exc
    except ValidationError as exc:
        problems = "; ".join(f"{'.'.join(map(str, e['loc'])) or 'file'}: {e['msg']}" for e in exc.errors()[:5])
        raise CalibrationError(f"the calibration {path} is not valid ({problems})") from exc
