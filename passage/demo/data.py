# ruff: noqa: RUF001 - French text takes the typographic apostrophe, names their own letters.
"""The cast of the demonstration: offices, staff, clients and the words they use.

Plain data, no logic. Every person here is invented; e-mail addresses use the
reserved `example` domains so that nothing can ever reach a real mailbox.
"""

from dataclasses import dataclass

# One password for every demo account, printed by `passage load_demo`. Demo only.
DEMO_PASSWORD = "passage-demo"  # noqa: S105
# Staff and the administrator sign in with a second factor: each demo account gets its own
# authenticator app with a random secret, under this name, and `passage demo_code officer`
# prints the code of the moment from it.
DEMO_DEVICE_NAME = "Demo authenticator"
# The secret every demo app once shared, the RFC 6238 test key ("12345678901234567890" in
# ASCII): anyone can compute its codes, so a load replaces it where a database still has it.
RETIRED_SHARED_TOTP_KEY = "3132333435363738393031323334353637383930"


@dataclass(frozen=True)
class OfficeData:
    code: str
    name_en: str
    name_fr: str
    time_zone: str
    programs: tuple[str, ...]


OFFICES = (
    OfficeData(
        "ottawa",
        "Ottawa Processing Office",
        "Bureau de traitement d’Ottawa",
        "America/Toronto",
        ("iec", "eta"),
    ),
    OfficeData(
        "montreal",
        "Montréal Processing Office",
        "Bureau de traitement de Montréal",
        "America/Toronto",
        ("family-sponsor", "family-dependent-child", "citizenship"),
    ),
    OfficeData(
        "vancouver",
        "Vancouver Processing Office",
        "Bureau de traitement de Vancouver",
        "America/Vancouver",
        ("iec",),
    ),
    OfficeData(
        "edmonton",
        "Edmonton Processing Office",
        "Bureau de traitement d’Edmonton",
        "America/Edmonton",
        ("family-sponsor", "family-dependent-child"),
    ),
    OfficeData(
        "sydney",
        "Case Processing Centre – Sydney, Nova Scotia",
        "Centre de traitement des demandes – Sydney (Nouvelle-Écosse)",
        "America/Halifax",
        ("pr-card", "citizenship"),
    ),
)


@dataclass(frozen=True)
class StaffData:
    username: str
    given_name: str
    family_name: str
    office: str
    language: str = "en"


# The first officer signs in as `officer`; the others have their own names.
OFFICERS = (
    StaffData("officer", "Émilie", "Côté", "ottawa", "fr"),
    StaffData("mathieu.lavoie", "Mathieu", "Lavoie", "ottawa", "fr"),
    StaffData("aisha.mohamed", "Aisha", "Mohamed", "ottawa"),
    StaffData("kevin.wong", "Kevin", "Wong", "ottawa"),
    StaffData("julie.bergeron", "Julie", "Bergeron", "ottawa", "fr"),
    StaffData("sophie.gauthier", "Sophie", "Gauthier", "montreal", "fr"),
    StaffData("olivier.belanger", "Olivier", "Bélanger", "montreal", "fr"),
    StaffData("nadia.boucher", "Nadia", "Boucher", "montreal", "fr"),
    StaffData("samuel.pelletier", "Samuel", "Pelletier", "montreal", "fr"),
    StaffData("jasmine.singh", "Jasmine", "Singh", "vancouver"),
    StaffData("michael.lee", "Michael", "Lee", "vancouver"),
    StaffData("laura.fraser", "Laura", "Fraser", "vancouver"),
    StaffData("tyler.brooks", "Tyler", "Brooks", "vancouver"),
    StaffData("amanda.kowalski", "Amanda", "Kowalski", "edmonton"),
    StaffData("benoit.leclerc", "Benoît", "Leclerc", "edmonton", "fr"),
    StaffData("grace.okonkwo", "Grace", "Okonkwo", "edmonton"),
    StaffData("colin.macleod", "Colin", "MacLeod", "sydney"),
    StaffData("marie-eve.leblanc", "Marie-Ève", "LeBlanc", "sydney", "fr"),
    StaffData("patrick.doucet", "Patrick", "Doucet", "sydney", "fr"),
    StaffData("heather.campbell", "Heather", "Campbell", "sydney"),
)
SUPERVISORS = (
    StaffData("supervisor", "Robert", "Nadeau", "ottawa", "fr"),
    StaffData("ian.mackinnon", "Ian", "MacKinnon", "sydney"),
)
ANALYST = StaffData("analyst", "Kavita", "Rao", "ottawa")


@dataclass(frozen=True)
class ClientData:
    """A client. `age` is their age when the demo is first loaded, so the cast stays
    young enough for youth mobility whatever the year; `group` says what they apply to."""

    username: str
    given_name: str
    family_name: str
    citizenship: str
    language: str
    age: int
    group: str  # youth, resident, citizen, visitor, child


YOUTH = "youth"  # citizens of IEC partner countries, 18 to 35
RESIDENT = "resident"  # permanent residents of Canada
CITIZEN = "citizen"  # Canadian citizens (sponsors)
VISITOR = "visitor"  # visa-exempt travellers (eTA)
CHILD = "child"  # an adult dependent child who applies with their own account

APPLICANTS = (
    ClientData("amelie", "Amélie", "Lefebvre", "FR", "fr", 27, YOUTH),
    ClientData("liam.obrien", "Liam", "O’Brien", "IE", "en", 24, YOUTH),
    ClientData("sophie.muller", "Sophie", "Müller", "DE", "en", 29, YOUTH),
    ClientData("chloe.martin", "Chloé", "Martin", "BE", "fr", 26, YOUTH),
    ClientData("haruto.sato", "Haruto", "Satō", "JP", "en", 25, YOUTH),
    ClientData("jiwoo.kim", "Ji-woo", "Kim", "KR", "en", 31, YOUTH),
    ClientData("lucia.fernandez", "Lucía", "Fernández", "ES", "en", 28, YOUTH),
    ClientData("matteo.rossi", "Matteo", "Rossi", "IT", "en", 30, YOUTH),
    ClientData("olivia.smith", "Olivia", "Smith", "AU", "en", 23, YOUTH),
    ClientData("oliver.jones", "Oliver", "Jones", "GB", "en", 33, YOUTH),
    ClientData("margaux.dubois", "Margaux", "Dubois", "FR", "fr", 22, YOUTH),
    ClientData("noe.schneider", "Noé", "Schneider", "CH", "fr", 27, YOUTH),
    ClientData("ana.silva", "Ana", "Silva", "PT", "en", 26, YOUTH),
    ClientData("tomas.novak", "Tomáš", "Novák", "CZ", "en", 29, YOUTH),
    ClientData("camila.rojas", "Camila", "Rojas", "CL", "en", 24, YOUTH),
    ClientData("priya.sharma", "Priya", "Sharma", "IN", "en", 38, RESIDENT),
    ClientData("wei.zhang", "Wei", "Zhang", "CN", "en", 42, RESIDENT),
    ClientData("maria.santos", "Maria", "Santos", "PH", "en", 35, RESIDENT),
    ClientData("chinedu.okafor", "Chinedu", "Okafor", "NG", "en", 40, RESIDENT),
    ClientData("fatima.benali", "Fatima", "Benali", "MA", "fr", 36, RESIDENT),
    ClientData("mamadou.diallo", "Mamadou", "Diallo", "SN", "fr", 45, RESIDENT),
    ClientData("jean-baptiste.pierre", "Jean-Baptiste", "Pierre", "HT", "fr", 50, RESIDENT),
    ClientData("hoa.nguyen", "Thị Hoa", "Nguyễn", "VN", "en", 33, RESIDENT),
    ClientData("alejandro.garcia", "Alejandro", "García", "MX", "en", 39, RESIDENT),
    ClientData("yasmine.haddad", "Yasmine", "Haddad", "LB", "fr", 31, RESIDENT),
    ClientData("arjun.patel", "Arjun", "Patel", "IN", "en", 47, RESIDENT),
    ClientData("olena.kovalenko", "Olena", "Kovalenko", "UA", "en", 34, RESIDENT),
    ClientData("samira.haidari", "Samira", "Haidari", "AF", "en", 29, RESIDENT),
    ClientData("sponsor", "Geneviève", "Tremblay", "CA", "fr", 44, CITIZEN),
    ClientData("marc.gagnon", "Marc", "Gagnon", "CA", "fr", 37, CITIZEN),
    ClientData("emily.chen", "Emily", "Chen", "CA", "en", 34, CITIZEN),
    ClientData("ryan.macdonald", "Ryan", "MacDonald", "CA", "en", 45, CITIZEN),
    ClientData("isabelle.roy", "Isabelle", "Roy", "CA", "fr", 52, CITIZEN),
    ClientData("daniel.cohen", "Daniel", "Cohen", "CA", "en", 39, CITIZEN),
    ClientData("hans.jensen", "Hans", "Jensen", "DK", "en", 58, VISITOR),
    ClientData("catherine.dupont", "Catherine", "Dupont", "FR", "fr", 61, VISITOR),
    ClientData("james.wilson", "James", "Wilson", "GB", "en", 49, VISITOR),
    ClientData("yuki.tanaka", "Yuki", "Tanaka", "JP", "en", 44, VISITOR),
    ClientData("ingrid.larsen", "Ingrid", "Larsen", "NO", "en", 53, VISITOR),
    ClientData("pieter.devries", "Pieter", "de Vries", "NL", "en", 46, VISITOR),
    ClientData("aroha.ngata", "Aroha", "Ngata", "NZ", "en", 37, VISITOR),
    # Geneviève Tremblay's daughter, who lives in France and applies herself.
    ClientData("lea.tremblay", "Léa", "Tremblay", "FR", "fr", 19, CHILD),
)
# The parent who sponsors each adult child above, and follows the case as its sponsor.
CHILD_SPONSORS = {"lea.tremblay": "sponsor"}

# Clients who have authorised the representative on every one of their cases.
REPRESENTED = frozenset(
    {
        "priya.sharma",
        "mamadou.diallo",
        "jean-baptiste.pierre",
        "olena.kovalenko",
        "samira.haidari",
        "maria.santos",
        "liam.obrien",
    }
)
REPRESENTATIVE = ClientData("rep", "Nadia", "Belkacem", "CA", "fr", 46, "representative")
# Her number with the College of Immigration and Citizenship Consultants (made up), and
# how long ago her clients authorised her: before the oldest demo case (a year old).
REPRESENTATIVE_MEMBERSHIP = "R712345"

# Applicants whose oldest file in review waits on them: a document asked for and a
# message from the officer.
FOLLOWED_UP = ("amelie", "priya.sharma")
FOLLOW_UP_DOCUMENT = "Bank statements for the last three months"
FOLLOW_UP_REQUEST = "Statements from every account you named, with your name on each page."
FOLLOW_UP_SUBJECT = "Proof of funds"
FOLLOW_UP_MESSAGE = (
    "Hello, your application is nearly complete. Please upload your last three bank "
    "statements from the application's page, by the date shown there. Thank you."
)
AUTHORISED_DAYS_AGO = 400
EMPLOYER = ClientData("employer", "Julie", "Bouchard", "CA", "fr", 41, "employer")

# A sponsored spouse or partner in Canada, who confirms their permanent residence with an
# account of their own, at the email address their sponsor gave.
SPONSORED = "sponsored"


@dataclass(frozen=True)
class ChildData:
    """A dependent child who comes with a sponsored person. `declared_in` is the city
    and province their declaration of presence names, when not those of the family's
    home."""

    given_name: str
    sex: str
    age: int
    place_of_birth: str
    declared_in: tuple[str, str] | None = None


@dataclass(frozen=True)
class ResidenceData:
    """A sponsorship the demo officer approved, and how far each of its people came in
    confirming their permanent residence (`demo/residence.py`): `stages` gives each one's
    state, the sponsored person first, then each child. The sponsored person did their
    part, and their children's, `client_days_ago`; the officer reviewed it
    `officer_days_ago`."""

    person: ClientData
    sponsor: str
    category: str
    sex: str
    place_of_birth: str
    home: tuple[str, str, str, str]  # street, city, province, postal code
    stages: tuple[str, ...]
    approved_days_ago: int
    client_days_ago: int | None = None
    officer_days_ago: int | None = None
    children: tuple[ChildData, ...] = ()
    # What the officer wrote when returning a confirmation, in English and French.
    returned_reason: tuple[str, str] = ("", "")


# One client at each stage of the confirmation of permanent residence, oldest first.
RESIDENCE = (
    ResidenceData(
        ClientData("thandiwe", "Thandiwe", "Dlamini", "ZA", "en", 41, SPONSORED),
        sponsor="ryan.macdonald",
        category="spouse",
        sex="F",
        place_of_birth="Durban",
        home=("1560 Hollis Street", "Halifax", "NS", "B3J 1V3"),
        stages=("card_ordered",),
        approved_days_ago=200,
        client_days_ago=196,
        officer_days_ago=181,
    ),
    ResidenceData(
        ClientData("karim", "Karim", "Mansouri", "TN", "fr", 36, SPONSORED),
        sponsor="emily.chen",
        category="common-law-partner",
        sex="M",
        place_of_birth="Sfax",
        home=("85, rue Laurier, app. 4", "Gatineau", "QC", "J8X 3V8"),
        stages=("confirmed", "returned"),
        approved_days_ago=75,
        client_days_ago=68,
        officer_days_ago=12,
        children=(ChildData("Inès", "F", 9, "Tunis", declared_in=("Gatineau", "ON")),),
        returned_reason=(
            "Inès’s declaration says she is in Gatineau, Ontario: Gatineau is in Quebec. "
            "Declare again where she is, then send her confirmation again.",
            "La déclaration d’Inès indique qu’elle est à Gatineau, en Ontario\u00a0: Gatineau "
            "est au Québec. Déclarez de nouveau où elle se trouve, puis envoyez de nouveau "
            "sa confirmation.",
        ),
    ),
    ResidenceData(
        ClientData("nino", "Nino", "Quincampoix", "FR", "fr", 46, SPONSORED),
        sponsor="isabelle.roy",
        category="spouse",
        sex="M",
        place_of_birth="Paris",
        home=("4520, rue Saint-Denis", "Montréal", "QC", "H2J 2L3"),
        stages=("ready_for_review", "photo_rejected", "in_progress"),
        approved_days_ago=24,
        client_days_ago=3,
        children=(ChildData("Zoé", "F", 12, "Paris"), ChildData("Léo", "M", 7, "Lyon")),
    ),
    ResidenceData(
        ClientData("camille", "Camille", "Girard", "FR", "fr", 33, SPONSORED),
        sponsor="daniel.cohen",
        category="common-law-partner",
        sex="F",
        place_of_birth="Lyon",
        home=("200 Queens Quay West", "Toronto", "ON", "M5J 2Y2"),
        stages=("invited",),
        approved_days_ago=5,
    ),
)

# Given names for the minor children that parents apply for.
CHILD_GIVEN_NAMES = (
    "Zoé",
    "Noah",
    "Aïcha",
    "Lucas",
    "Maya",
    "Élodie",
    "Arjun",
    "Sofia",
    "Théo",
    "Amara",
    "Léo",
    "Hana",
    "Gabriel",
    "Inès",
    "Mateo",
    "Yara",
)

# Where a sponsored spouse or partner comes from, by the sponsor's citizenship.
PARTNER_NAMES = (
    ("Karim", "Mansouri", "TN"),
    ("Ana Lucía", "Herrera", "CO"),
    ("Rahul", "Mehta", "IN"),
    ("Thandiwe", "Dlamini", "ZA"),
    ("Mei", "Lin", "CN"),
    ("Joseph", "Mensah", "GH"),
    ("Camille", "Girard", "FR"),
    ("Dmytro", "Shevchenko", "UA"),
    ("Ayşe", "Yılmaz", "TR"),
    ("Paulo", "Ferreira", "BR"),
)

# Words officers and clients use in the demo history, in English and French.
STEP_NOTES: dict[tuple[str, str], tuple[str, str]] = {
    ("eligibility", "waiting_on_you"): (
        "We asked for more documents to assess eligibility. Upload them within 30 days.",
        "Nous avons demandé d’autres documents pour évaluer l’admissibilité. "
        "Téléversez-les dans les 30 jours.",
    ),
    ("eligibility", "in_progress"): (
        "An officer is assessing eligibility.",
        "Un agent évalue l’admissibilité.",
    ),
    ("eligibility", "completed"): (
        "Eligibility is met.",
        "Les conditions d’admissibilité sont remplies.",
    ),
    ("background", "waiting_on_you"): (
        "We asked for a police certificate. Upload it within 60 days.",
        "Nous avons demandé un certificat de police. Téléversez-le dans les 60 jours.",
    ),
    ("background", "in_progress"): (
        "Background checks have started.",
        "Les vérifications des antécédents ont commencé.",
    ),
    ("background", "completed"): (
        "Background checks are complete.",
        "Les vérifications des antécédents sont terminées.",
    ),
    ("medical", "waiting_on_you"): (
        "We sent instructions for an immigration medical exam with a panel physician.",
        "Nous avons envoyé les instructions pour l’examen médical aux fins de l’immigration "
        "auprès d’un médecin désigné.",
    ),
    ("medical", "in_progress"): (
        "We received the medical exam results and are reviewing them.",
        "Nous avons reçu les résultats de l’examen médical et nous les examinons.",
    ),
    ("medical", "completed"): (
        "The medical exam is complete.",
        "L’examen médical est terminé.",
    ),
    ("biometrics", "waiting_on_you"): (
        "We sent a biometric instruction letter. Give your fingerprints and photo within 30 days.",
        "Nous avons envoyé une lettre d’instructions sur la biométrie. Donnez vos "
        "empreintes digitales et votre photo dans les 30 jours.",
    ),
    ("biometrics", "in_progress"): (
        "We received your biometrics and are processing them.",
        "Nous avons reçu vos données biométriques et nous les traitons.",
    ),
    ("biometrics", "completed"): (
        "Biometrics are complete.",
        "La biométrie est terminée.",
    ),
}
EXEMPTION_NOTES: dict[str, tuple[str, str]] = {
    "eligibility": (
        "Eligibility was established in an earlier application and still holds.",
        "L’admissibilité a été établie dans une demande antérieure et demeure valable.",
    ),
    "medical": (
        "No medical exam is required for this application.",
        "Aucun examen médical n’est exigé pour cette demande.",
    ),
    "biometrics": (
        "No biometrics are required: you are exempt or gave them recently.",
        "Aucune donnée biométrique n’est exigée : vous êtes exempté ou vous les avez "
        "données récemment.",
    ),
    "background": (
        "No separate background check is required for this application.",
        "Aucune vérification distincte des antécédents n’est exigée pour cette demande.",
    ),
}
AUTOMATED_ELIGIBILITY_NOTE = (
    "Tier 1: every eligibility criterion passed. An officer still decides admissibility "
    "and the final decision.",
    "Niveau 1 : tous les critères d’admissibilité sont remplis. Un agent décide encore "
    "de l’interdiction de territoire et de la décision finale.",
)


@dataclass(frozen=True)
class RefusalData:
    step: str  # the step the refusal turned on
    reasons_en: str
    reasons_fr: str
    legal_grounds: tuple[str, ...]


# Any program: an applicant who did not send what the officer asked for.
GENERIC_REFUSAL = RefusalData(
    "eligibility",
    "You did not send the documents we asked for, so we cannot conclude that you meet "
    "the requirements of the program.",
    "Vous n’avez pas envoyé les documents que nous avons demandés; nous ne pouvons donc "
    "pas conclure que vous remplissez les exigences du programme.",
    ("IRPA s. 16(1)",),
)
REFUSALS: dict[str, tuple[RefusalData, ...]] = {
    "iec": (
        RefusalData(
            "eligibility",
            "You did not send proof of funds of at least CAD 2,500 after we asked for it, "
            "so we cannot conclude that you meet the requirements of the program.",
            "Vous n’avez pas envoyé la preuve de fonds d’au moins 2 500 $ CA que nous avons "
            "demandée; nous ne pouvons donc pas conclure que vous remplissez les exigences "
            "du programme.",
            ("IRPA s. 16(1)", "IRPR s. 200(1)"),
        ),
        RefusalData(
            "eligibility",
            "Your health insurance does not cover the whole of your intended stay and you "
            "did not send a policy that does.",
            "Votre assurance maladie ne couvre pas toute la durée du séjour prévu et vous "
            "n’avez pas envoyé de police qui la couvre.",
            ("IRPR s. 200(1)", "IEC program delivery instructions"),
        ),
    ),
    "family-sponsor": (
        RefusalData(
            "eligibility",
            "You are in default of a court-ordered support payment, so you cannot sponsor "
            "at this time.",
            "Vous êtes en défaut d’une pension alimentaire ordonnée par un tribunal; vous ne "
            "pouvez donc pas parrainer pour l’instant.",
            ("IRPR s. 133(1)(g)",),
        ),
        RefusalData(
            "eligibility",
            "You receive social assistance for a reason other than disability.",
            "Vous recevez de l’aide sociale pour une raison autre qu’une invalidité.",
            ("IRPR s. 133(1)(k)",),
        ),
    ),
    "family-dependent-child": (
        RefusalData(
            "eligibility",
            "The child was 22 or older when the application was received, and the evidence "
            "does not show that they depend on you because of a physical or mental condition.",
            "L’enfant avait 22 ans ou plus à la réception de la demande, et la preuve ne "
            "montre pas qu’il dépend de vous en raison d’un état physique ou mental.",
            ("IRPR s. 2 (dependent child)",),
        ),
    ),
    "pr-card": (
        RefusalData(
            "eligibility",
            "You were physically present in Canada for 512 days in the five years examined, "
            "fewer than the 730 days required, and the humanitarian considerations you "
            "gave do not justify keeping your status.",
            "Vous avez été effectivement présent au Canada pendant 512 jours au cours des "
            "cinq années examinées, moins que les 730 jours exigés, et les motifs d’ordre "
            "humanitaire présentés ne justifient pas le maintien de votre statut.",
            ("IRPA s. 28(2)(a)", "IRPA s. 28(2)(c)"),
        ),
    ),
    "citizenship": (
        RefusalData(
            "eligibility",
            "You were physically present in Canada for 1,021 days in the five years before "
            "you signed your application, fewer than the 1,095 days required.",
            "Vous avez été effectivement présent au Canada pendant 1 021 jours au cours des "
            "cinq années précédant la signature de votre demande, moins que les 1 095 jours "
            "exigés.",
            ("Citizenship Act s. 5(1)(c)",),
        ),
        RefusalData(
            "background",
            "You are charged with an indictable offence and the charge has not been disposed of.",
            "Vous êtes accusé d’un acte criminel et l’accusation n’a pas été réglée.",
            ("Citizenship Act s. 22(1)(b)",),
        ),
    ),
    "eta": (
        RefusalData(
            "background",
            "You did not disclose a previous refusal of entry to Canada. This is "
            "misrepresentation of a material fact.",
            "Vous n’avez pas déclaré un refus d’entrée antérieur au Canada. Il s’agit d’une "
            "fausse déclaration sur un fait important.",
            ("IRPA s. 40(1)(a)",),
        ),
    ),
}

WITHDRAWAL_REASONS = (
    ("My plans have changed.", "Mes projets ont changé."),
    ("I accepted a job in my home country.", "J’ai accepté un emploi dans mon pays."),
    (
        "I submitted this application by mistake.",
        "J’ai présenté cette demande par erreur.",
    ),
    (
        "I will apply again with a complete file.",
        "Je présenterai une nouvelle demande avec un dossier complet.",
    ),
)

# The day the follow-up documents are due, counted from the demo's anchor; the demo's
# planned maintenance falls on it (`demo/outages.py`).
FOLLOW_UP_DUE_DAYS = 21
# The outages the demo's supervisor recorded, as staff type them, in both languages.
INCIDENT_TEXTS = {
    "title_en": "Secure messages could not be sent",
    "title_fr": "Impossible d\u2019envoyer des messages sécurisés",
    "text_en": "Messages could not be sent or read for 47 minutes. Nothing was lost.",
    "text_fr": "Les messages ne pouvaient être ni envoyés ni lus pendant 47 minutes. "
    "Rien n\u2019a été perdu.",
    "advice_en": "Send your message again if you saw an error.",
    "advice_fr": "Envoyez de nouveau votre message si une erreur s\u2019est affichée.",
}
MAINTENANCE_TEXTS = {
    "title_en": "Document uploads and the tracker under maintenance",
    "title_fr": "Maintenance du téléversement de documents et du suivi des demandes",
    "text_en": "Uploads and the case status tracker will be unavailable for five hours.",
    "text_fr": "Le téléversement et le suivi de l\u2019état des demandes seront indisponibles "
    "pendant cinq heures.",
    "advice_en": "Documents due that day are due on the next business day instead: "
    "you do not need to ask.",
    "advice_fr": "Les documents attendus ce jour-là le sont plutôt le jour ouvrable "
    "suivant\u00a0: vous n\u2019avez rien à demander.",
}
