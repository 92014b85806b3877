"""The pledges app's models: commitments and practices (pledges 2–4), and the yearly data
collection (pledge 5): reporting cycles, returns, their revisions, the raw-data access log, and
the reminders that chase them.
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
from pledges.models.reminders import (
    OPTIONAL_KINDS,
    DeliveryState,
    EmailOptOut,
    ReminderClaim,
    ReminderDelivery,
    ReminderKind,
    ReminderPause,
    kind_is_optional,
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
    "OPTIONAL_KINDS",
    "CommitmentChange",
    "CommitmentChangeKind",
    "ComplianceDecision",
    "ComplianceDecisionKind",
    "CycleEvent",
    "CycleEventKind",
    "CycleExemption",
    "CycleStatus",
    "DataReturn",
    "DeliveryState",
    "EmailOptOut",
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
    "ReminderClaim",
    "ReminderDelivery",
    "ReminderKind",
    "ReminderPause",
    "ReportingCycle",
    "Retention",
    "ReturnQuery",
    "ReturnRevision",
    "ReturnStatus",
    "RevisionSource",
    "kind_is_optional",
]
