"""Fixed lists an organisation is described by. Codes are stable: filters, exports and the API
use them, so change labels freely but never a code."""

from django.db import models


class OrganisationType(models.TextChoices):
    EMPLOYER = "employer", "Employer"
    RECRUITER = "recruiter", "Recruiter"
    UNIVERSITY = "university", "University or college"
    PUBLIC_BODY = "public-body", "Public body"
    CHARITY = "charity", "Charity or social enterprise"
    OTHER = "other", "Other"


class Sector(models.TextChoices):
    SOFTWARE = "software", "Software and IT services"
    TELECOMS = "telecoms", "Telecommunications"
    FINANCE = "finance", "Financial services"
    PROFESSIONAL = "professional", "Professional services and consulting"
    RETAIL = "retail", "Retail and e-commerce"
    MEDIA = "media", "Media, games and creative"
    HEALTH = "health", "Health and life sciences"
    EDUCATION = "education", "Education and training"
    PUBLIC = "public", "Government and public services"
    CHARITY = "charity", "Charity and social enterprise"
    ENGINEERING = "engineering", "Manufacturing and engineering"
    ENERGY = "energy", "Energy and utilities"
    TRANSPORT = "transport", "Transport and logistics"
    RECRUITMENT = "recruitment", "Recruitment and staffing"
    OTHER = "other", "Other"


class SizeBand(models.TextChoices):
    MICRO = "1-9", "1–9 employees"
    SMALL = "10-49", "10–49 employees"
    MEDIUM = "50-249", "50–249 employees"
    LARGE = "250-999", "250–999 employees"
    VERY_LARGE = "1000-4999", "1,000–4,999 employees"
    ENTERPRISE = "5000+", "5,000+ employees"


class Region(models.TextChoices):
    NORTH_EAST = "north-east", "North East"
    NORTH_WEST = "north-west", "North West"
    YORKSHIRE = "yorkshire-humber", "Yorkshire and the Humber"
    EAST_MIDLANDS = "east-midlands", "East Midlands"
    WEST_MIDLANDS = "west-midlands", "West Midlands"
    EAST = "east", "East of England"
    LONDON = "london", "London"
    SOUTH_EAST = "south-east", "South East"
    SOUTH_WEST = "south-west", "South West"
    WALES = "wales", "Wales"
    SCOTLAND = "scotland", "Scotland"
    NORTHERN_IRELAND = "northern-ireland", "Northern Ireland"
    OUTSIDE_UK = "outside-uk", "Outside the UK"


class OrganisationStatus(models.TextChoices):
    ACTIVE = "active", "Active"
    SUSPENDED = "suspended", "Suspended"
    WITHDRAWN = "withdrawn", "Withdrawn"


class MemberRole(models.TextChoices):
    ADMIN = "admin", "Admin"
    EDITOR = "editor", "Editor"


class ApplicationStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    SUBMITTED = "submitted", "Submitted"
    CHANGES_REQUESTED = "changes_requested", "Changes requested"
    APPROVED = "approved", "Approved"
    REJECTED = "rejected", "Rejected"
    # Closed by the applicant (for example to join their organisation, which already signed).
    WITHDRAWN = "withdrawn", "Withdrawn"


# An applicant may hold one open application at a time; these are the open states.
OPEN_APPLICATION_STATUSES = (
    ApplicationStatus.DRAFT,
    ApplicationStatus.SUBMITTED,
    ApplicationStatus.CHANGES_REQUESTED,
)


# The applicant may edit the application only in these states.
APPLICANT_EDITABLE_STATUSES = (ApplicationStatus.DRAFT, ApplicationStatus.CHANGES_REQUESTED)


class ApplicationEventKind(models.TextChoices):
    SUBMITTED = "submitted", "Submitted"
    RESUBMITTED = "resubmitted", "Resubmitted"
    COMMENT = "comment", "Internal comment"
    CHANGES_REQUESTED = "changes_requested", "Changes requested"
    APPROVED = "approved", "Approved"
    REJECTED = "rejected", "Rejected"
    WITHDRAWN = "withdrawn", "Withdrawn by the applicant"


class RejectionReason(models.TextChoices):
    NOT_ELIGIBLE = "not_eligible", "Not eligible: does not employ, train or recruit people in tech"
    ALREADY_SIGNED = "already_signed", "The organisation is already a signatory"
    UNVERIFIABLE = "unverifiable", "We could not verify the organisation"
    INCOMPLETE = "incomplete", "The application is incomplete or inaccurate"
    NO_COMMITMENT = "no_commitment", "The commitments do not meet the charter's pledges"
    OTHER = "other", "Another reason (explained in the note)"


class JoinRequestStatus(models.TextChoices):
    PENDING = "pending", "Pending"
    ACCEPTED = "accepted", "Accepted"
    REFUSED = "refused", "Refused"
