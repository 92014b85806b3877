"""The pledges app's models: commitments and practices (pledges 2–4), and the yearly data
collection (pledge 5): reporting cycles, returns, their revisions, and the raw-data access log.
"""

from pledges.models.access import RawDataAccess, RawDataAccessKind
from pledges.models.commitments import (
    CommitmentChange,
    CommitmentChangeKind,
    PledgeAction,
    PledgeCommitment,
    Practice,
    PracticeStatus,
    PracticeTopic,
    ProgressStatus,
)
from pledges.models.cycles import (
    ComplianceDecision,
    ComplianceDecisionKind,
    CycleEvent,
    CycleEventKind,
    CycleExemption,
    CycleStatus,
    ReportingCycle,
)
from pledges.models.returns import (
    DataReturn,
    GraceRequest,
    GraceStatus,
    OutlierStatus,
    Retention,
    ReturnQuery,
    ReturnRevision,
    ReturnStatus,
    RevisionSource,
)

__all__ = [
    "CommitmentChange",
    "CommitmentChangeKind",
    "ComplianceDecision",
    "ComplianceDecisionKind",
    "CycleEvent",
    "CycleEventKind",
    "CycleExemption",
    "CycleStatus",
    "DataReturn",
    "GraceRequest",
    "GraceStatus",
    "OutlierStatus",
    "PledgeAction",
    "PledgeCommitment",
    "Practice",
    "PracticeStatus",
    "PracticeTopic",
    "ProgressStatus",
    "RawDataAccess",
    "RawDataAccessKind",
    "ReportingCycle",
    "Retention",
    "ReturnQuery",
    "ReturnRevision",
    "ReturnStatus",
    "RevisionSource",
]
