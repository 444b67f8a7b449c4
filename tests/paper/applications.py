"""Varied applications for the adult grant's paper form, made up from a seed: names and
places in many scripts (accents, Cyrillic, Greek, Arabic, CJK, Vietnamese), hyphens, long
values (names up to 100 characters, address lines up to 200), none to sixty absences,
optional applicant fields there or not, language level and citizenship test answered or
not asked. The same seed gives the same documents; each is a valid form before printing
(`check_document(definition, document, printed=False)`)."""

import datetime
import random
from pathlib import Path
from typing import Any

from passage.paper.document import PROVINCES, FormDefinition
from passage.programs import read_program

FORM = "cit-grant-adult"
PROGRAM = Path(__file__).resolve().parents[2] / "programs" / "citizenship"
MAX_NAME = 100
MAX_ADDRESS_LINE = 200
MAX_ABSENCES = 60

GIVEN_NAMES = (
    "Amélie",
    "Jean-François",
    "Zoë",
    "Ngọc Ánh",
    "Nguyễn Thị Hồng",
    "Анастасия",
    "Ёлка-Мария",
    "Αικατερίνη",
    "Σπυρίδων",
    "محمد",
    "فاطمة الزهراء",
    "李明",
    "山田 花子",
    "김민준",
    "Siobhán",
    "Łukasz",
    "Søren",
    "Ðặng",
    "O'Brien",
    "José María",
)
FAMILY_NAMES = (
    "Tremblay-Nguyễn",
    "Côté",
    "Ødegård",
    "Иванова-Петрова",
    "Παπαδόπουλος",
    "عبد الرحمن",
    "王",
    "佐藤",
    "Trần-Lê",
    "Müller-Lüdenscheidt",
    "de la Fontaine-Saint-Exupéry",
    "Nuñez y Gasset",
    "Đoàn",
    "Ó Súilleabháin",
    "Bélanger",
)
PLACES = (
    "Hanoi",
    "Thành phố Hồ Chí Minh",
    "Москва",
    "Санкт-Петербург",
    "Αθήνα",
    "Θεσσαλονίκη",
    "القاهرة",
    "الدار البيضاء",
    "北京市",
    "東京都",
    "서울특별시",
    "Saint-Jean-sur-Richelieu",
    "Zürich",
    "São Paulo",
    "Kraków",
)
COUNTRIES = ("VN", "RU", "GR", "EG", "MA", "CN", "JP", "KR", "FR", "CH", "BR", "PL", "IE")
STREETS = (
    "rue Saint-Denis",
    "boulevard de l'Assomption-Saint-Jean-Baptiste",
    "chemin de la Côte-des-Neiges",
    "avenue du Parc-La Fontaine",
    "Queen Street West",
    "улица Ленина",
    "Οδός Ερμού",
    "شارع الحرية",
    "中山路",
    "Đường Lê Lợi",
)
UNITS = ("app. 4", "unité 12-B", "квартира 7", "sonner chez « Ébène »")
CITIES = ("Montréal", "Québec", "Trois-Rivières", "Toronto", "Saint-Hyacinthe", "Gatineau")


def definition() -> FormDefinition:
    """The adult grant's form, read from its program's files (no database)."""
    bundle = read_program(PROGRAM)
    assert bundle.paper is not None
    assert bundle.flow is not None
    return FormDefinition(paper=bundle.paper, flow=bundle.flow)


def applications(count: int, *, seed: int = 0) -> list[dict[str, Any]]:
    """`count` documents (without `printed_at`), the same for the same seed."""
    rng = random.Random(seed)
    return [application(rng) for _ in range(count)]


def application(rng: random.Random, *, absences: int | None = None) -> dict[str, Any]:
    """One document, drawn from `rng`; `absences` fixes how many absences it lists."""
    signed = datetime.date(2026, 1, 5) + datetime.timedelta(days=rng.randrange(330))
    became_pr = signed - datetime.timedelta(days=rng.randrange(3 * 365, 12 * 365))
    person = _applicant(rng)
    # Language and knowledge are asked from applicants aged 18 to 54 only; now and then
    # an applicant of that age leaves them to be proven later.
    age = (signed - datetime.date.fromisoformat(person["date_of_birth"])).days // 365
    tested = 18 <= age <= 54 and rng.random() < 0.9
    return {
        "form": FORM,
        "form_version": 1,
        "applicant": person,
        "facts": {
            "signing_date": signed.isoformat(),
            "became_pr_on": became_pr.isoformat(),
            "pre_pr_periods": _periods(rng, rng.choice((0, 0, 1, 2, 4)), became_pr, back=True),
            "absences": _periods(
                rng,
                rng.randint(0, MAX_ABSENCES) if absences is None else absences,
                became_pr,
                until=signed,
            ),
            "tax_years_filed": sorted(
                rng.sample(range(became_pr.year, signed.year), min(5, signed.year - became_pr.year))
            ),
            "language_clb": rng.randint(1, 12) if tested else None,
            "knowledge_test_passed": rng.choice((True, False)) if tested else None,
        },
    }


def longest(*, seed: int = 0) -> dict[str, Any]:
    """A document as large as the form allows: every applicant field, names of 100
    characters in several scripts, address lines of 200, and 60 absences."""
    rng = random.Random(seed)
    document = application(rng, absences=MAX_ABSENCES)
    person = {**_applicant(rng), **_every_field(rng)}
    person["given_name"] = _filled(rng, GIVEN_NAMES, MAX_NAME)
    person["family_name"] = _filled(rng, FAMILY_NAMES, MAX_NAME)
    person["address"] = {
        **_address(rng),
        "line1": _filled(rng, STREETS, MAX_ADDRESS_LINE),
        "line2": _filled(rng, STREETS, MAX_ADDRESS_LINE),
    }
    return {**document, "applicant": person}


def _every_field(rng: random.Random) -> dict[str, Any]:
    return {
        "place_of_birth": rng.choice(PLACES),
        "country_of_birth": rng.choice(COUNTRIES),
        "uci": "".join(rng.choice("0123456789") for _ in range(10)),
        "email": f"person{rng.randrange(10**6)}@example.org",
        "phone": f"+1 {rng.randint(200, 999)} 555 {rng.randint(0, 9999):04d}",
        "preferred_language": rng.choice(("en", "fr")),
    }


def _filled(rng: random.Random, words: tuple[str, ...], length: int) -> str:
    """Words joined by hyphens and spaces, exactly `length` characters long."""
    text = ""
    while len(text) < length:
        text += rng.choice(words) + rng.choice(("-", " "))
    text = text[:length]
    return text[:-1] + "x" if text[-1] in " -" else text


def _applicant(rng: random.Random) -> dict[str, Any]:
    person: dict[str, Any] = {
        "given_name": _name(rng, GIVEN_NAMES),
        "family_name": _name(rng, FAMILY_NAMES),
        "date_of_birth": _birth(rng),
    }
    if rng.random() < 0.8:
        person["place_of_birth"] = rng.choice(PLACES)
    if rng.random() < 0.8:
        person["country_of_birth"] = rng.choice(COUNTRIES)
    if rng.random() < 0.6:
        person["uci"] = "".join(rng.choice("0123456789") for _ in range(rng.choice((8, 10))))
    if rng.random() < 0.7:
        person["email"] = f"person{rng.randrange(10**6)}@example.org"
    if rng.random() < 0.7:
        person["phone"] = f"+1 {rng.randint(200, 999)} 555 {rng.randint(0, 9999):04d}"
    if rng.random() < 0.8:
        person["preferred_language"] = rng.choice(("en", "fr"))
    if rng.random() < 0.85:
        person["address"] = _address(rng)
    return person


def _name(rng: random.Random, names: tuple[str, ...]) -> str:
    """A name of one to several parts, now and then as long as a form takes."""
    if rng.random() < 0.15:
        long = ""
        while len(long) < MAX_NAME:
            long += rng.choice(names) + rng.choice(("-", " "))
        return long[: rng.randint(60, MAX_NAME)].strip(" -")
    parts = rng.sample(names, rng.choice((1, 1, 1, 2, 3)))
    return rng.choice((" ", "-")).join(parts)


def _address(rng: random.Random) -> dict[str, str]:
    line1 = f"{rng.randint(1, 99999)} {rng.choice(STREETS)}"
    if rng.random() < 0.15:
        while len(line1) < MAX_ADDRESS_LINE:
            line1 += ", " + rng.choice(STREETS)
        line1 = line1[: rng.randint(150, MAX_ADDRESS_LINE)].strip(" ,")
    address = {"line1": line1}
    if rng.random() < 0.5:
        address["line2"] = rng.choice(UNITS)
    address["city"] = rng.choice(CITIES)
    address["province"] = rng.choice(PROVINCES)
    letters = "ABCEGHJKLMNPRSTVXY"
    address["postal_code"] = (
        f"{rng.choice(letters)}{rng.randint(0, 9)}{rng.choice(letters)} "
        f"{rng.randint(0, 9)}{rng.choice(letters)}{rng.randint(0, 9)}"
    )
    return address


def _birth(rng: random.Random) -> str:
    born = datetime.date(1940, 1, 1) + datetime.timedelta(days=rng.randrange(60 * 365))
    return born.isoformat()


def _periods(
    rng: random.Random,
    count: int,
    pivot: datetime.date,
    *,
    back: bool = False,
    until: datetime.date | None = None,
) -> list[dict[str, str]]:
    """`count` periods, in order, that do not overlap: before `pivot` when `back`, else
    between `pivot` and `until`."""
    if count == 0:
        return []
    start = pivot - datetime.timedelta(days=40 * count + 30) if back else pivot
    end = pivot - datetime.timedelta(days=1) if back else (until or pivot)
    step = max((end - start).days // count, 2)
    periods = []
    for number in range(count):
        first = start + datetime.timedelta(days=number * step + rng.randrange(step // 2 or 1))
        last = min(first + datetime.timedelta(days=rng.randrange(1, step // 2 + 1)), end)
        periods.append({"from": first.isoformat(), "to": max(first, last).isoformat()})
    return periods
