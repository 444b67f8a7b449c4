# ruff: noqa: RUF001 - French text takes the typographic apostrophe, categories their dash.
"""COPR records for the eCOPR tests: a typical one, the longest one the tests print (names
of more than 120 characters with diacritics, a place of birth of more than 80), and
records in Arabic, Chinese and Cyrillic script; and throwaway signing keys."""

import functools
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, timedelta, timezone

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from passage.ecopr.record import Bilingual, CoprRecord

VERIFY_URL = "https://passage.example.ca/en/verify/"

SPOUSE = Bilingual(
    "Family class – spouse or common-law partner",
    "Catégorie du regroupement familial – époux ou conjoint de fait",
)
SKILLED = Bilingual(
    "Economic class – Canadian Experience Class",
    "Catégorie de l’immigration économique – catégorie de l’expérience canadienne",
)
TORONTO = Bilingual("Toronto, Ontario (virtual)", "Toronto (Ontario) (virtuel)")
NONE = Bilingual("", "")

TYPICAL = CoprRecord(
    document_number="C0001234567",
    uci="1234567890",
    family_name="Tremblay",
    given_names="Amélie Joséphine",
    date_of_birth=date(1990, 4, 17),
    place_of_birth="Lyon",
    country_of_birth="FR",
    country_of_birth_name=Bilingual("France", "France"),
    sex="F",
    citizenship="FR",
    citizenship_name=Bilingual("France", "France"),
    travel_document_number="19AB12345",
    travel_document_country="FR",
    travel_document_country_name=Bilingual("France", "France"),
    travel_document_expiry=date(2031, 6, 30),
    category=SPOUSE,
    application_number="P-2027-000123-4",
    became_permanent_resident_on=date(2027, 3, 15),
    became_permanent_resident_at=TORONTO,
    conditions=NONE,
    remarks=NONE,
    officer_name="Officer K. Singh",
    issuing_office=Bilingual(
        "Mississauga processing office", "Bureau de traitement de Mississauga"
    ),
    issued_at=datetime(2027, 3, 15, 14, 30, 5, tzinfo=timezone(timedelta(hours=-4))),
)

LONG_FAMILY_NAME = (
    "Wolfeschlegelsteinhausenbergerdorff-Müller-Lüdenscheidt de la Fontaine-Éluard "
    "Çelik-Øvergård Székely-Nguyễn Brontë-Ñúñez"
)
LONG_GIVEN_NAMES = (
    "Hubert Blaine Maximilián Józef Ørjan François-Xavier Zoë Ingrid "
    "Saoirse Ljubomir Đorđe Sébastien-Étienne Åsa Leopoldine Ágnes"
)
LONG_PLACE = "Llanfairpwllgwyngyllgogerychwyrndrobwllllantysiliogogogoch, Isle of Anglesey"

LONGEST = replace(
    TYPICAL,
    document_number="C0009876543",
    uci="9876543210",
    family_name=LONG_FAMILY_NAME,
    given_names=LONG_GIVEN_NAMES,
    place_of_birth=LONG_PLACE + ", Wales, United Kingdom of Great Britain and Northern Ireland",
    country_of_birth="GB",
    country_of_birth_name=Bilingual(
        "United Kingdom of Great Britain and Northern Ireland",
        "Royaume-Uni de Grande-Bretagne et d’Irlande du Nord",
    ),
    sex="X",
    citizenship="GB",
    citizenship_name=Bilingual(
        "United Kingdom of Great Britain and Northern Ireland",
        "Royaume-Uni de Grande-Bretagne et d’Irlande du Nord",
    ),
    travel_document_number="GBR123456789",
    travel_document_country="GB",
    travel_document_country_name=Bilingual("United Kingdom", "Royaume-Uni"),
    category=SKILLED,
    application_number="P-2027-987654-3",
    became_permanent_resident_at=Bilingual(
        "Port of entry: Vancouver International Airport, Richmond, British Columbia",
        "Point d’entrée : Aéroport international de Vancouver, Richmond (Colombie-Britannique)",
    ),
    conditions=Bilingual(
        "Must undergo medical surveillance within 30 days of becoming a permanent resident.",
        "Doit se soumettre à une surveillance médicale dans les 30 jours suivant "
        "l’obtention de la résidence permanente.",
    ),
    remarks=Bilingual(
        "Name recorded as it appears on the passport; accompanied by two dependent children.",
        "Nom inscrit tel qu’il figure sur le passeport; accompagné de deux enfants à charge.",
    ),
)

ARABIC = replace(
    TYPICAL,
    document_number="C0001112223",
    uci="12345678",
    family_name="الهاشمي",
    given_names="فاطمة الزهراء",
    place_of_birth="الدار البيضاء",
    country_of_birth="MA",
    country_of_birth_name=Bilingual("Morocco", "Maroc"),
    citizenship="MA",
    citizenship_name=Bilingual("Morocco", "Maroc"),
    travel_document_country="MA",
    travel_document_country_name=Bilingual("Morocco", "Maroc"),
    travel_document_expiry=None,
)

CHINESE = replace(
    TYPICAL,
    document_number="C0003334445",
    uci="87654321",
    family_name="欧阳",
    given_names="明华",
    sex="M",
    place_of_birth="广州市",
    country_of_birth="CN",
    country_of_birth_name=Bilingual("China", "Chine"),
    citizenship="CN",
    citizenship_name=Bilingual("China", "Chine"),
    travel_document_country="CN",
    travel_document_country_name=Bilingual("China", "Chine"),
    issued_at=datetime(2027, 5, 2, 9, 0, tzinfo=UTC),
)

CYRILLIC = replace(
    TYPICAL,
    document_number="C0005556667",
    family_name="Ковальчук",
    given_names="Анастасія Олександрівна",
    place_of_birth="Київ",
    country_of_birth="UA",
    country_of_birth_name=Bilingual("Ukraine", "Ukraine"),
    citizenship="UA",
    citizenship_name=Bilingual("Ukraine", "Ukraine"),
)

ALL = (TYPICAL, LONGEST, ARABIC, CHINESE, CYRILLIC)


@dataclass(frozen=True)
class ThrowawayKey:
    """A throwaway ECDSA P-256 key: its PKCS#8 PEM, a self-signed certificate, the public
    key alone, and a key id."""

    private: bytes
    certificate: bytes
    public: bytes
    kid: bytes


def new_key(kid: bytes) -> ThrowawayKey:
    """A fresh P-256 key filed under `kid`."""
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "eCOPR test signer")])
    now = datetime.now(UTC)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(days=1))
        .not_valid_after(now + timedelta(days=30))
        .sign(key, hashes.SHA256())
    )
    return ThrowawayKey(
        private=key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        ),
        certificate=certificate.public_bytes(serialization.Encoding.PEM),
        public=key.public_key().public_bytes(
            serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
        ),
        kid=kid,
    )


@functools.cache
def signing_key() -> ThrowawayKey:
    """The key the tests sign with, made once per run."""
    return new_key(b"\x01\x02\x03\x04\x05\x06\x07\x08")
