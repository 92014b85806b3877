"""The tables the demo data generator (``signatories.demo.organisations``) draws from: weights
by type, sector, size and region, word lists for names, and phrases for descriptions.

A leaf: it imports nothing of the project, so every demo module can share it without an import
circle. The weights are keyed by the stored choice codes (``"employer"``, ``"software"``…);
tests/signatories/test_seed_demo.py checks that each is a real choice.
"""

from __future__ import annotations

# --- Weights ---------------------------------------------------------------------------------
# Roughly the shape of the UK Tech Talent Charter's signatories: mostly employers in software,
# finance and professional services, London and the South East heavy.

TYPE_WEIGHTS = {
    "employer": 72,
    "recruiter": 8,
    "university": 5,
    "public-body": 6,
    "charity": 7,
    "other": 2,
}

SECTOR_WEIGHTS = {
    "employer": {
        "software": 34,
        "finance": 16,
        "professional": 14,
        "retail": 7,
        "media": 6,
        "health": 6,
        "telecoms": 5,
        "engineering": 5,
        "energy": 3,
        "transport": 3,
        "other": 1,
    },
    "recruiter": {"recruitment": 1},
    "university": {"education": 1},
    "public-body": {"public": 75, "health": 20, "transport": 5},
    "charity": {"charity": 85, "education": 15},
    "other": {
        "other": 40,
        "education": 20,
        "software": 20,
        "professional": 20,
    },
}

SIZE_WEIGHTS = {
    "employer": {
        "1-9": 12,
        "10-49": 24,
        "50-249": 26,
        "250-999": 18,
        "1000-4999": 12,
        "5000+": 8,
    },
    "recruiter": {
        "1-9": 30,
        "10-49": 40,
        "50-249": 20,
        "250-999": 10,
    },
    "university": {
        "50-249": 10,
        "250-999": 30,
        "1000-4999": 45,
        "5000+": 15,
    },
    "public-body": {
        "50-249": 10,
        "250-999": 25,
        "1000-4999": 40,
        "5000+": 25,
    },
    "charity": {
        "1-9": 40,
        "10-49": 40,
        "50-249": 15,
        "250-999": 5,
    },
    "other": {
        "1-9": 30,
        "10-49": 40,
        "50-249": 20,
        "250-999": 10,
    },
}

REGION_WEIGHTS = {
    "london": 33,
    "south-east": 13,
    "north-west": 8,
    "scotland": 7,
    "yorkshire-humber": 6,
    "west-midlands": 6,
    "east": 6,
    "south-west": 6,
    "east-midlands": 4,
    "wales": 3,
    "north-east": 3,
    "northern-ireland": 2,
    "outside-uk": 3,
}
UK_REGION_WEIGHTS = {key: weight for key, weight in REGION_WEIGHTS.items() if key != "outside-uk"}

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
    "software": ("Software", "Analytics", "Labs", "Digital", "Systems", "Technologies",
                      "Data", "Cloud", "Apps", "Code"),
    "finance": ("Capital", "Bank", "Payments", "Insurance", "Wealth", "Finance",
                     "Pay", "Money", "Mutual", "Lending"),
    "professional": ("Consulting", "Partners", "Advisory", "Associates", "Group",
                          "Solutions", "Strategy"),
    "telecoms": ("Networks", "Telecom", "Connect", "Mobile", "Broadband", "Fibre"),
    "retail": ("Retail", "Commerce", "Marketplace", "Stores", "Shop", "Brands"),
    "media": ("Studios", "Games", "Media", "Interactive", "Creative", "Pictures"),
    "health": ("Health", "Therapeutics", "Bio", "Diagnostics", "Care", "Genomics"),
    "engineering": ("Engineering", "Manufacturing", "Robotics", "Aerospace", "Industries",
                         "Automation"),
    "energy": ("Energy", "Power", "Utilities", "Renewables", "Water", "Grid"),
    "transport": ("Logistics", "Mobility", "Freight", "Rail", "Transport", "Delivery"),
    "other": ("Group", "Holdings", "Ventures", "Company", "Collective"),
    "education": ("Learning", "Academy", "Education", "Skills", "Training"),
    "recruitment": ("Recruitment", "Talent", "Search", "People", "Resourcing", "Careers"),
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
    "public": (
        (30, "{place} City Council"),
        (20, "{place} Borough Council"),
        (15, "{place} County Council"),
        (10, "{place} District Council"),
        (8, "{place} Combined Authority"),
        (8, "{place} Police"),
        (5, "{place} Fire and Rescue Service"),
        (4, "{place} and {other_place} Councils"),
    ),
    "health": (
        (40, "{place} NHS Foundation Trust"),
        (25, "{place} Teaching Hospitals NHS Trust"),
        (20, "{place} Integrated Care Board"),
        (15, "{place} and {other_place} NHS Trust"),
    ),
    "transport": (
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
    "employer": (
        "Chief Technology Officer", "Chief Executive Officer", "Chief People Officer",
        "Head of People", "Managing Director", "Chief Operating Officer",
        "Director of Engineering", "VP Engineering", "HR Director",
        "Head of Diversity and Inclusion", "Chief Information Officer", "Chief Digital Officer",
    ),
    "recruiter": (
        "Managing Director", "Founder", "Head of Tech Recruitment", "Director",
        "Head of Talent", "Chief Executive Officer",
    ),
    "university": (
        "Pro Vice-Chancellor (Equality, Diversity and Inclusion)", "Dean of Computing",
        "Head of the School of Computer Science", "Director of People", "Principal",
        "Head of Digital Skills",
    ),
    "public-body": (
        "Chief Digital Officer", "Director of Digital", "Chief Executive",
        "Chief Information Officer", "Director of HR", "Head of Digital Services",
    ),
    "charity": (
        "Chief Executive", "Founder", "Director", "Head of Programmes", "Co-founder",
    ),
    "other": (
        "Director", "Chair", "Chief Executive", "Head of Membership", "Programme Director",
    ),
}  # fmt: skip
SMALL_COMPANY_TITLES = ("Founder", "Co-founder and CEO", "Managing Director", "Director")

# --- Descriptions ----------------------------------------------------------------------------

WHAT_THEY_DO = {
    "software": (
        "builds {product} for {customers}",
        "develops {product} used by {customers}",
        "designs and runs {product} for {customers}",
    ),
    "finance": (
        "offers {product} to {customers}",
        "provides {product} for {customers}",
    ),
    "professional": (
        "advises {customers} on {product}",
        "helps {customers} with {product}",
    ),
    "telecoms": ("runs {product} for {customers}", "builds {product} for {customers}"),
    "retail": ("sells {product} to {customers}", "runs {product} for {customers}"),
    "media": ("makes {product} for {customers}", "produces {product} for {customers}"),
    "health": ("develops {product} for {customers}", "provides {product} to {customers}"),
    "engineering": ("designs {product} for {customers}", "makes {product} for {customers}"),
    "energy": ("supplies {product} to {customers}", "builds {product} for {customers}"),
    "transport": ("runs {product} for {customers}", "moves {product} for {customers}"),
    "other": ("provides {product} for {customers}",),
    "education": ("runs {product} for {customers}",),
}
PRODUCTS = {
    "software": ("cloud software", "data platforms", "mobile apps", "cyber security tools",
                      "machine learning services", "payroll software", "developer tools",
                      "open-source infrastructure", "booking systems"),
    "finance": ("current accounts and savings", "business lending", "card payments",
                     "pensions and investments", "home and motor insurance", "open banking APIs"),
    "professional": ("digital transformation", "technology strategy", "audit and tax",
                          "data and AI adoption", "cloud migration", "legal technology"),
    "telecoms": ("full-fibre broadband", "mobile networks", "business connectivity",
                      "private 5G networks"),
    "retail": ("fashion and homeware online", "groceries", "an online marketplace",
                    "electronics and appliances"),
    "media": ("games", "streaming services", "news apps", "visual effects",
                   "podcasts and audio"),
    "health": ("diagnostic software", "clinical trial platforms", "medical devices",
                    "telehealth services", "genomic analysis"),
    "engineering": ("aircraft components", "industrial robots", "smart sensors",
                         "electric vehicle parts"),
    "energy": ("renewable electricity", "smart meters", "battery storage",
                    "heat pumps and solar"),
    "transport": ("parcel delivery networks", "fleet management software",
                       "rail operations", "freight"),
    "other": ("shared services", "technology programmes"),
    "education": ("digital skills courses", "coding bootcamps", "apprenticeships"),
}  # fmt: skip
CUSTOMERS = {
    "software": ("small businesses", "the public sector", "retailers",
                      "healthcare providers", "schools and colleges", "banks and insurers",
                      "charities", "manufacturers"),
    "finance": ("households across the UK", "small businesses", "savers and investors",
                     "fintech start-ups"),
    "professional": ("FTSE 250 companies", "public bodies", "growing businesses",
                          "charities and housing associations"),
    "telecoms": ("homes and businesses", "rural communities", "large enterprises"),
    "retail": ("shoppers across the UK", "customers in 30 countries",
                    "independent brands"),
    "media": ("players worldwide", "broadcasters", "audiences across the UK",
                   "film studios"),
    "health": ("the NHS", "pharmaceutical companies", "GP practices", "patients at home"),
    "engineering": ("the aerospace industry", "car makers", "factories",
                         "infrastructure projects"),
    "energy": ("homes and businesses", "local councils", "the national grid"),
    "transport": ("online retailers", "passengers", "businesses across Europe"),
    "other": ("its members", "local businesses"),
    "education": ("adult learners", "employers", "school leavers"),
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
    "north-east": "in the North East",
    "north-west": "in the North West",
    "yorkshire-humber": "in Yorkshire and the Humber",
    "east-midlands": "in the East Midlands",
    "west-midlands": "in the West Midlands",
    "east": "in the East of England",
    "london": "in London",
    "south-east": "in the South East",
    "south-west": "in the South West",
    "wales": "in Wales",
    "scotland": "in Scotland",
    "northern-ireland": "in Northern Ireland",
    "outside-uk": "in London and abroad",
}
HEADCOUNT_RANGES = {
    "1-9": (2, 9, 1),
    "10-49": (10, 49, 1),
    "50-249": (50, 249, 10),
    "250-999": (250, 999, 50),
    "1000-4999": (1000, 4999, 100),
    "5000+": (5000, 60000, 1000),
}
