"""The texts seed_demo writes into demo workspaces: progress, evidence, actions, practices.

Plain data, so ``pledges.demo.workspaces`` stays about how it is written. Every list is picked
from by a number derived from the organisation (never by chance), so a seed always gives the
same texts.
"""

from __future__ import annotations

SUMMARIES = {
    "in_progress": {
        "plan": "Two thirds of our tech shortlists now include at least one woman.",
        "policies": "Flexible working and a returners policy are agreed; rollout is under way.",
        "practice": "We have joined two signatory working groups and shared one practice.",
    },
    "embedded": {
        "plan": "Every tech shortlist has included a woman for the last four quarters.",
        "policies": "Our progression policy is reviewed yearly with our employee networks.",
        "practice": "We host a quarterly meet-up for signatories in our region.",
    },
}

# Private evidence: notes per pledge, and the paths of links on the organisation's own site.
EVIDENCE_NOTES = {
    "plan": "Shortlist reports from the applicant tracking system, reviewed each quarter by "
    "the Head of Talent. Q3: 14 of 19 technical shortlists included a woman.",
    "policies": "The flexible working policy was approved by the board in March; the pay gap "
    "review of technical roles is with the remuneration committee.",
    "practice": "Minutes of the regional signatory meet-ups, and the slides from our returners "
    "programme talk.",
}
EVIDENCE_PATHS = {
    "plan": ("/careers/how-we-hire", "/reports/shortlists"),
    "policies": ("/people/flexible-working", "/reports/pay-gap"),
    "practice": ("/news/signatory-meet-up", "/talks/returners"),
}

# Each organisation gets one or two of its pledge's actions, starting at a different one.
ACTIONS = {
    "plan": [
        ("Rewrite job adverts with a gender decoder", "Head of Talent"),
        ("Add a diverse interview panel to every senior hire", "CTO"),
        ("Track shortlist diversity in the applicant tracking system", "Recruitment Lead"),
        ("Advertise every technical role on two returner job boards", "Talent Partner"),
        ("Train every hiring manager in structured interviewing", "People Partner"),
    ],
    "policies": [
        ("Publish a flexible working policy for engineering", "People Director"),
        ("Run a pay gap review of technical roles", "Head of Reward"),
        ("Offer paid returnships after career breaks", "Head of Engineering"),
        ("Set promotion criteria for every engineering level", "VP Engineering"),
    ],
    "practice": [
        ("Present our returners programme to other signatories", "Engineering Manager"),
        ("Host the regional signatory meet-up", "Diversity and Inclusion Lead"),
        ("Write up our structured interview guide for the library", "Talent Partner"),
    ],
}

PRACTICES = [
    (
        "A paid returners programme for engineers",
        "Sixteen-week paid placements for people returning to tech after a career break.",
        "We ran **two cohorts** of eight returners.\n\n- mentors from the team\n- a "
        "guaranteed interview at the end\n\nFourteen of sixteen stayed with us.",
        ["retention", "recruitment"],
    ),
    (
        "Structured interviews with published criteria",
        "Every candidate answers the same questions, scored against criteria shared in advance.",
        "We publish the criteria in the advert. Panels score separately before they talk.",
        ["recruitment"],
    ),
    (
        "Code clubs in local secondary schools",
        "Engineers volunteer an hour a week to run code clubs for girls aged 11 to 14.",
        "Twelve engineers, four schools, ninety pupils a year.",
        ["education"],
    ),
    (
        "Promotion panels that explain every decision",
        "Written reasons for every promotion decision, and a second panel for appeals.",
        "Each panel has a member from outside the team.\n\n1. the candidate writes a case\n"
        "2. the panel scores it against the level's criteria\n3. everyone gets written reasons",
        ["retention", "culture"],
    ),
    (
        "Counting who applies, who is shortlisted and who is hired",
        "A monthly dashboard of the recruitment funnel by gender, shared with every manager.",
        "We found most women dropped out between *application* and *shortlist*, so we changed "
        "how CVs are screened: names and schools are hidden.",
        ["data", "recruitment"],
    ),
    (
        "Employee networks with a budget and a board sponsor",
        "Our women in tech and LGBTQ+ networks each have a budget and a sponsor on the board.",
        "Networks meet monthly and bring one proposal a quarter to the board.",
        ["culture", "other"],
    ),
]
RETURN_COMMENTS = [
    "Thank you. Could you add what changed as a result, with figures if you have them?",
    "Please remove the names of individual candidates before we publish this.",
    "The summary promises results the body does not describe: add a paragraph on them.",
]

# --- The data collection (pledges.demo.returns) ----------------------------------------------

CYCLE_INTRODUCTION = (
    "Tell us about your tech workforce on one day between {starts:%-d %B} and {ends:%-d %B %Y}: "
    "headcounts by gender and ethnicity, senior roles, and the practices you have in place. "
    "Your figures are only ever published in the anonymised benchmarking report."
)

# Why a return came in after its deadline, as submitters answer the Gender Pay Gap service.
LATE_REASONS = (
    "Our HR system migration delayed the headcount extract by three weeks.",
    "The person responsible for the return left in October and the handover was missed.",
    "We waited for our payroll provider to confirm the snapshot figures.",
    "The return needed board sign-off, and the board met after the closing date.",
    "We misread the closing date in the reminder email.",
)

REOPEN_REASONS = (
    "The organisation asked for more time after the closing date; reopened for three weeks.",
    "Reopened so the organisation can report: its data lead was on leave during the window.",
)

# Staff excuse an organisation from one cycle (issue 11 gives the first as its example).
EXEMPTION_REASONS = (
    "No tech staff on the snapshot date.",
    "The organisation was restructuring and had no employees of its own on the snapshot date.",
    "Merged into another signatory during the year; its staff are counted in that return.",
)

# What a submitter wrote to confirm or explain a plausibility warning, by warning code
# (pledges.returns_rules.figures_warnings).
WARNING_NOTES = {
    "tech_total_jump": (
        "We acquired a data consultancy in the spring and its team joined ours.",
        "Confirmed: the platform team was moved into a separate company in March.",
    ),
    "women_share_jump": (
        "Confirmed: our graduate intake this year was mostly women.",
        "Confirmed: two large teams with more women moved into tech roles.",
    ),
    "identical_to_last_year": (
        "Confirmed: nobody joined or left our tech team this year.",
        "Checked with HR: the figures really are the same as last year.",
    ),
    "outside_size_band": (
        "We grew past our size band this year; we will update our profile.",
        "Confirmed: our headcount fell below the band after a restructure.",
    ),
}

# Staff's question about a return in the outlier queue.
QUERY_MESSAGES = (
    "Could you confirm the total employees figure? It is outside your profile's size band.",
    "Your tech headcount changed a lot since last year: is the snapshot date right?",
)
