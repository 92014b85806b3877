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
