"""The tables the demo data generator (``signatories.demo.organisations``) draws from: weights
by type, sector, size and region, word lists for names, and phrases for descriptions."""

from __future__ import annotations

from signatories.choices import OrganisationType, Region, Sector, SizeBand

# --- Weights ---------------------------------------------------------------------------------
# Roughly the shape of the UK Tech Talent Charter's signatories: mostly employers in software,
# finance and professional services, London and the South East heavy.

TYPE_WEIGHTS = {
    OrganisationType.EMPLOYER: 72,
    OrganisationType.RECRUITER: 8,
    OrganisationType.UNIVERSITY: 5,
    OrganisationType.PUBLIC_BODY: 6,
    OrganisationType.CHARITY: 7,
    OrganisationType.OTHER: 2,
}

SECTOR_WEIGHTS = {
    OrganisationType.EMPLOYER: {
        Sector.SOFTWARE: 34,
        Sector.FINANCE: 16,
        Sector.PROFESSIONAL: 14,
        Sector.RETAIL: 7,
        Sector.MEDIA: 6,
        Sector.HEALTH: 6,
        Sector.TELECOMS: 5,
        Sector.ENGINEERING: 5,
        Sector.ENERGY: 3,
        Sector.TRANSPORT: 3,
        Sector.OTHER: 1,
    },
    OrganisationType.RECRUITER: {Sector.RECRUITMENT: 1},
    OrganisationType.UNIVERSITY: {Sector.EDUCATION: 1},
    OrganisationType.PUBLIC_BODY: {Sector.PUBLIC: 75, Sector.HEALTH: 20, Sector.TRANSPORT: 5},
    OrganisationType.CHARITY: {Sector.CHARITY: 85, Sector.EDUCATION: 15},
    OrganisationType.OTHER: {
        Sector.OTHER: 40,
        Sector.EDUCATION: 20,
        Sector.SOFTWARE: 20,
        Sector.PROFESSIONAL: 20,
    },
}

SIZE_WEIGHTS = {
    OrganisationType.EMPLOYER: {
        SizeBand.MICRO: 12,
        SizeBand.SMALL: 24,
        SizeBand.MEDIUM: 26,
        SizeBand.LARGE: 18,
        SizeBand.VERY_LARGE: 12,
        SizeBand.ENTERPRISE: 8,
    },
    OrganisationType.RECRUITER: {
        SizeBand.MICRO: 30,
        SizeBand.SMALL: 40,
        SizeBand.MEDIUM: 20,
        SizeBand.LARGE: 10,
    },
    OrganisationType.UNIVERSITY: {
        SizeBand.MEDIUM: 10,
        SizeBand.LARGE: 30,
        SizeBand.VERY_LARGE: 45,
        SizeBand.ENTERPRISE: 15,
    },
    OrganisationType.PUBLIC_BODY: {
        SizeBand.MEDIUM: 10,
        SizeBand.LARGE: 25,
        SizeBand.VERY_LARGE: 40,
        SizeBand.ENTERPRISE: 25,
    },
    OrganisationType.CHARITY: {
        SizeBand.MICRO: 40,
        SizeBand.SMALL: 40,
        SizeBand.MEDIUM: 15,
        SizeBand.LARGE: 5,
    },
    OrganisationType.OTHER: {
        SizeBand.MICRO: 30,
        SizeBand.SMALL: 40,
        SizeBand.MEDIUM: 20,
        SizeBand.LARGE: 10,
    },
}

REGION_WEIGHTS = {
    Region.LONDON: 33,
    Region.SOUTH_EAST: 13,
    Region.NORTH_WEST: 8,
    Region.SCOTLAND: 7,
    Region.YORKSHIRE: 6,
    Region.WEST_MIDLANDS: 6,
    Region.EAST: 6,
    Region.SOUTH_WEST: 6,
    Region.EAST_MIDLANDS: 4,
    Region.WALES: 3,
    Region.NORTH_EAST: 3,
    Region.NORTHERN_IRELAND: 2,
    Region.OUTSIDE_UK: 3,
}
UK_REGION_WEIGHTS = {
    key: weight for key, weight in REGION_WEIGHTS.items() if key != Region.OUTSIDE_UK
}

# --- Word lists ------------------------------------------------------------------------------

BRAND_STARTS = (
    "North", "South", "East", "West", "Bright", "Blue", "Silver", "Red", "Green", "Iron",
    "Clear", "Swift", "Deep", "High", "Oak", "Ash", "Stone", "Cloud", "Star", "Sun", "Moor",
    "River", "Lark", "Fern", "Quick", "True", "Open", "Gold", "Amber", "Copper", "Cedar",
    "Frost", "Harbour", "Maple", "Orbit", "Pine", "Quill", "Ridge", "Tide", "Wild",
)  # fmt: skip
BRAND_ENDS = (
    "wind", "loop", "gate", "stack", "field", "bridge", "wave", "path", "line", "byte", "forge",
    "light", "point", "beam", "mark", "craft", "works", "shore", "vale", "spring", "ford",
    "bit", "cast", "fold", "grid", "hive", "leaf", "lane", "mill", "nest", "peak", "sail",
    "scape", "thread", "well",
)  # fmt: skip
BRAND_WORDS = (
    "Kestrel", "Heron", "Otter", "Falcon", "Badger", "Puffin", "Wren", "Osprey", "Curlew",
    "Merlin", "Lynx", "Kingfisher", "Skylark", "Marten", "Plover", "Fulmar", "Avocet", "Linnet",
    "Bramble", "Thistle", "Juniper", "Saffron", "Indigo", "Meridian", "Lumen", "Vector",
    "Quantum", "Polaris", "Zephyr", "Halcyon",
)  # fmt: skip

SECTOR_NOUNS = {
    Sector.SOFTWARE: ("Software", "Analytics", "Labs", "Digital", "Systems", "Technologies",
                      "Data", "Cloud", "Apps", "Code"),
    Sector.FINANCE: ("Capital", "Bank", "Payments", "Insurance", "Wealth", "Finance",
                     "Pay", "Money", "Mutual", "Lending"),
    Sector.PROFESSIONAL: ("Consulting", "Partners", "Advisory", "Associates", "Group",
                          "Solutions", "Strategy"),
    Sector.TELECOMS: ("Networks", "Telecom", "Connect", "Mobile", "Broadband", "Fibre"),
    Sector.RETAIL: ("Retail", "Commerce", "Marketplace", "Stores", "Shop", "Brands"),
    Sector.MEDIA: ("Studios", "Games", "Media", "Interactive", "Creative", "Pictures"),
    Sector.HEALTH: ("Health", "Therapeutics", "Bio", "Diagnostics", "Care", "Genomics"),
    Sector.ENGINEERING: ("Engineering", "Manufacturing", "Robotics", "Aerospace", "Industries",
                         "Automation"),
    Sector.ENERGY: ("Energy", "Power", "Utilities", "Renewables", "Water", "Grid"),
    Sector.TRANSPORT: ("Logistics", "Mobility", "Freight", "Rail", "Transport", "Delivery"),
    Sector.OTHER: ("Group", "Holdings", "Ventures", "Company", "Collective"),
    Sector.EDUCATION: ("Learning", "Academy", "Education", "Skills", "Training"),
    Sector.RECRUITMENT: ("Recruitment", "Talent", "Search", "People", "Resourcing", "Careers"),
}  # fmt: skip
SECTOR_QUALIFIERS = (
    "Cloud", "Data", "Digital", "Smart", "Open", "Secure", "Applied", "Connected", "Green",
    "Mobile",
)  # fmt: skip

PLACE_STARTS = (
    "East", "West", "North", "South", "Ash", "Oak", "Elm", "Kings", "Queens", "Mill", "Fern",
    "Bracken", "Red", "Black", "White", "Green", "Stan", "Hart", "Brook", "Cold", "Hazel",
    "Wether", "Lang", "Thorn",
)  # fmt: skip
PLACE_ENDS = (
    "moor", "mere", "ford", "bridge", "holt", "combe", "haven", "wick", "dale", "field", "ton",
    "bury", "stead", "ley", "wood", "minster", "port", "well",
)  # fmt: skip

UNIVERSITY_PATTERNS = (
    (30, "University of {place}"),
    (20, "{place} University"),
    (10, "{place} {qualifier} University"),
    (15, "{place} College"),
    (8, "{place} College of Further Education"),
    (7, "{place} Institute of Technology"),
    (5, "{place} and {other_place} College"),
    (5, "{place} Sixth Form College"),
)
UNIVERSITY_QUALIFIERS = ("Metropolitan", "City", "Valley", "Coastal", "Trent", "Hallam")
PUBLIC_BODY_PATTERNS = {
    Sector.PUBLIC: (
        (30, "{place} City Council"),
        (20, "{place} Borough Council"),
        (15, "{place} County Council"),
        (10, "{place} District Council"),
        (8, "{place} Combined Authority"),
        (8, "{place} Police"),
        (5, "{place} Fire and Rescue Service"),
        (4, "{place} and {other_place} Councils"),
    ),
    Sector.HEALTH: (
        (40, "{place} NHS Foundation Trust"),
        (25, "{place} Teaching Hospitals NHS Trust"),
        (20, "{place} Integrated Care Board"),
        (15, "{place} and {other_place} NHS Trust"),
    ),
    Sector.TRANSPORT: (
        (60, "{place} Transport Authority"),
        (40, "{place} Port Authority"),
    ),
}
CHARITY_FIRST = (
    "Code", "Tech", "Digital", "Future", "Open", "Bright", "Inclusive", "Next", "Kind", "Equal",
    "Spark", "Rise", "Level", "Coding", "Data",
)  # fmt: skip
CHARITY_SECOND = (
    "Bridge", "Futures", "Pathways", "Sisters", "Ladder", "Reach", "Horizons", "Minds",
    "Skills", "Doors", "Steps", "Voices", "Roots", "Circle",
)  # fmt: skip
CHARITY_THIRD = ("Foundation", "Trust", "Network", "Collective", "Project", "Academy")
CHARITY_PLACE_PATTERNS = (
    "{place} Code Club",
    "{place} Digital Inclusion Trust",
    "{place} Women in Tech",
    "{place} Tech Mentors",
)
OTHER_PATTERNS = (
    (30, "{place} Tech Network"),
    (25, "{place} Digital Partnership"),
    (20, "{brand} Institute"),
    (15, "{brand} Association"),
    (10, "{place} Tech Cluster"),
)

# Overseas legal forms for employers based outside the UK.
OVERSEAS_FORMS = ("Inc.", "GmbH", "B.V.", "SAS", "AB", "S.A.")

FIRST_NAMES = (
    "Aisha", "Oliver", "Priya", "Mohammed", "Siobhán", "Chen", "Kwame", "Amara", "Fatima",
    "Rhys", "Eilidh", "Tomasz", "Olusegun", "Mei", "Hannah", "James", "Zainab", "Arjun",
    "Niamh", "Callum", "Grace", "Daniel", "Sophie", "Yusuf", "Emily", "Ravi", "Chloe",
    "Ibrahim", "Ffion", "Lucy", "Kofi", "Anya", "Joanna", "David", "Sarah", "Ahmed", "Leila",
    "Marcus", "Nadia", "Gareth", "Isla", "Samuel", "Ayesha", "Jamal", "Rebecca", "Adebayo",
    "Harriet", "Kieran", "Mariam", "Wei", "Jasmine", "Ewan", "Amelia", "Hamza", "Zoë",
    "Siân", "Precious", "Rohan", "Agnieszka", "Thomas", "Olivia", "Connor", "Bethany",
    "Nkechi", "Kamala", "Ruth", "Imran", "Catriona", "Dmitri", "Lauren", "Ade", "Alex",
    "Sam", "Jordan", "Robin", "Noor", "Esther", "Malik", "Freya", "Tariq",
)  # fmt: skip
SURNAMES = (
    "Smith", "Patel", "Jones", "Khan", "Williams", "Taylor", "Ahmed", "Brown", "Okafor",
    "Campbell", "Evans", "Singh", "Nguyen", "Murphy", "O'Brien", "Kowalski", "Begum",
    "Thompson", "Hughes", "Mensah", "Chen", "Davies", "Wilson", "Ali", "Robinson", "Walker",
    "Hussain", "Roberts", "Adeyemi", "MacDonald", "Kaur", "Wright", "Lewis", "Green", "Shah",
    "Osei", "Fraser", "Morgan", "Hall", "Nowak", "Li", "Clarke", "Hassan", "Bennett",
    "Rahman", "Kelly", "Da Silva", "Okonkwo", "Gallagher", "Chowdhury", "Reid", "Wang",
    "Boateng", "McLaughlin", "Iqbal", "Price", "Ellis", "Kumar", "Watson", "Achterberg",
    "Jenkins", "Mahmood", "Quinn", "Sandhu", "Owusu", "Parry", "Zhang", "Doherty", "Bailey",
    "Novak",
)  # fmt: skip

JOB_TITLES = {
    OrganisationType.EMPLOYER: (
        "Chief Technology Officer", "Chief Executive Officer", "Chief People Officer",
        "Head of People", "Managing Director", "Chief Operating Officer",
        "Director of Engineering", "VP Engineering", "HR Director",
        "Head of Diversity and Inclusion", "Chief Information Officer", "Chief Digital Officer",
    ),
    OrganisationType.RECRUITER: (
        "Managing Director", "Founder", "Head of Tech Recruitment", "Director",
        "Head of Talent", "Chief Executive Officer",
    ),
    OrganisationType.UNIVERSITY: (
        "Pro Vice-Chancellor (Equality, Diversity and Inclusion)", "Dean of Computing",
        "Head of the School of Computer Science", "Director of People", "Principal",
        "Head of Digital Skills",
    ),
    OrganisationType.PUBLIC_BODY: (
        "Chief Digital Officer", "Director of Digital", "Chief Executive",
        "Chief Information Officer", "Director of HR", "Head of Digital Services",
    ),
    OrganisationType.CHARITY: (
        "Chief Executive", "Founder", "Director", "Head of Programmes", "Co-founder",
    ),
    OrganisationType.OTHER: (
        "Director", "Chair", "Chief Executive", "Head of Membership", "Programme Director",
    ),
}  # fmt: skip
SMALL_COMPANY_TITLES = ("Founder", "Co-founder and CEO", "Managing Director", "Director")

# --- Descriptions ----------------------------------------------------------------------------

WHAT_THEY_DO = {
    Sector.SOFTWARE: (
        "builds {product} for {customers}",
        "develops {product} used by {customers}",
        "designs and runs {product} for {customers}",
    ),
    Sector.FINANCE: (
        "offers {product} to {customers}",
        "provides {product} for {customers}",
    ),
    Sector.PROFESSIONAL: (
        "advises {customers} on {product}",
        "helps {customers} with {product}",
    ),
    Sector.TELECOMS: ("runs {product} for {customers}", "builds {product} for {customers}"),
    Sector.RETAIL: ("sells {product} to {customers}", "runs {product} for {customers}"),
    Sector.MEDIA: ("makes {product} for {customers}", "produces {product} for {customers}"),
    Sector.HEALTH: ("develops {product} for {customers}", "provides {product} to {customers}"),
    Sector.ENGINEERING: ("designs {product} for {customers}", "makes {product} for {customers}"),
    Sector.ENERGY: ("supplies {product} to {customers}", "builds {product} for {customers}"),
    Sector.TRANSPORT: ("runs {product} for {customers}", "moves {product} for {customers}"),
    Sector.OTHER: ("provides {product} for {customers}",),
    Sector.EDUCATION: ("runs {product} for {customers}",),
}
PRODUCTS = {
    Sector.SOFTWARE: ("cloud software", "data platforms", "mobile apps", "cyber security tools",
                      "machine learning services", "payroll software", "developer tools",
                      "open-source infrastructure", "booking systems"),
    Sector.FINANCE: ("current accounts and savings", "business lending", "card payments",
                     "pensions and investments", "home and motor insurance", "open banking APIs"),
    Sector.PROFESSIONAL: ("digital transformation", "technology strategy", "audit and tax",
                          "data and AI adoption", "cloud migration", "legal technology"),
    Sector.TELECOMS: ("full-fibre broadband", "mobile networks", "business connectivity",
                      "private 5G networks"),
    Sector.RETAIL: ("fashion and homeware online", "groceries", "an online marketplace",
                    "electronics and appliances"),
    Sector.MEDIA: ("games", "streaming services", "news apps", "visual effects",
                   "podcasts and audio"),
    Sector.HEALTH: ("diagnostic software", "clinical trial platforms", "medical devices",
                    "telehealth services", "genomic analysis"),
    Sector.ENGINEERING: ("aircraft components", "industrial robots", "smart sensors",
                         "electric vehicle parts"),
    Sector.ENERGY: ("renewable electricity", "smart meters", "battery storage",
                    "heat pumps and solar"),
    Sector.TRANSPORT: ("parcel delivery networks", "fleet management software",
                       "rail operations", "freight"),
    Sector.OTHER: ("shared services", "technology programmes"),
    Sector.EDUCATION: ("digital skills courses", "coding bootcamps", "apprenticeships"),
}  # fmt: skip
CUSTOMERS = {
    Sector.SOFTWARE: ("small businesses", "the public sector", "retailers",
                      "healthcare providers", "schools and colleges", "banks and insurers",
                      "charities", "manufacturers"),
    Sector.FINANCE: ("households across the UK", "small businesses", "savers and investors",
                     "fintech start-ups"),
    Sector.PROFESSIONAL: ("FTSE 250 companies", "public bodies", "growing businesses",
                          "charities and housing associations"),
    Sector.TELECOMS: ("homes and businesses", "rural communities", "large enterprises"),
    Sector.RETAIL: ("shoppers across the UK", "customers in 30 countries",
                    "independent brands"),
    Sector.MEDIA: ("players worldwide", "broadcasters", "audiences across the UK",
                   "film studios"),
    Sector.HEALTH: ("the NHS", "pharmaceutical companies", "GP practices", "patients at home"),
    Sector.ENGINEERING: ("the aerospace industry", "car makers", "factories",
                         "infrastructure projects"),
    Sector.ENERGY: ("homes and businesses", "local councils", "the national grid"),
    Sector.TRANSPORT: ("online retailers", "passengers", "businesses across Europe"),
    Sector.OTHER: ("its members", "local businesses"),
    Sector.EDUCATION: ("adult learners", "employers", "school leavers"),
}  # fmt: skip
RECRUITER_ROLES = (
    "software engineers",
    "data and AI specialists",
    "cyber security talent",
    "product and design teams",
    "technology leaders",
    "tech apprentices",
)
RECRUITER_CLIENTS = (
    "start-ups and scale-ups",
    "banks and insurers",
    "public bodies",
    "employers across the UK",
    "retailers and consumer brands",
)
CHARITY_GROUPS = (
    "women returners",
    "young people from low-income backgrounds",
    "refugees",
    "neurodivergent adults",
    "career changers",
    "girls aged 11 to 18",
    "Black and minority ethnic graduates",
    "disabled people",
    "veterans",
)
CHARITY_MEANS = (
    "free coding courses",
    "mentoring",
    "paid placements",
    "school workshops",
    "a peer support network",
    "bursaries and laptops",
)
PUBLIC_BODY_TEAMS = ("an in-house digital team", "a growing data team", "a digital service unit")
NETWORK_MEMBERS = ("tech employers", "digital businesses", "educators and employers")
SECOND_SENTENCES = (
    "We signed the charter to make our hiring fairer and our teams more diverse.",
    "Around {headcount} people work for us{where}.",
    "Our teams are based {where_plain}.",
    "We share what we learn about inclusive hiring with other signatories.",
    "We publish our diversity data every year and act on it.",
)
REGION_PHRASES = {
    Region.NORTH_EAST: "in the North East",
    Region.NORTH_WEST: "in the North West",
    Region.YORKSHIRE: "in Yorkshire and the Humber",
    Region.EAST_MIDLANDS: "in the East Midlands",
    Region.WEST_MIDLANDS: "in the West Midlands",
    Region.EAST: "in the East of England",
    Region.LONDON: "in London",
    Region.SOUTH_EAST: "in the South East",
    Region.SOUTH_WEST: "in the South West",
    Region.WALES: "in Wales",
    Region.SCOTLAND: "in Scotland",
    Region.NORTHERN_IRELAND: "in Northern Ireland",
    Region.OUTSIDE_UK: "in London and abroad",
}
HEADCOUNT_RANGES = {
    SizeBand.MICRO: (2, 9, 1),
    SizeBand.SMALL: (10, 49, 1),
    SizeBand.MEDIUM: (50, 249, 10),
    SizeBand.LARGE: (250, 999, 50),
    SizeBand.VERY_LARGE: (1000, 4999, 100),
    SizeBand.ENTERPRISE: (5000, 60000, 1000),
}
