"""The department's key material: a development PKI made once and written safely, a
production folder read with every problem named."""

import hashlib
import shutil
import stat
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

from passage.ecopr.keys import (
    FILE_NAMES,
    SIGNING_CERTIFICATE,
    SIGNING_KEY,
    TIMESTAMP_KEY,
    KeyMaterial,
    KeyMaterialError,
    generate_development_keys,
    key_id,
    load_keys,
    load_or_generate_development_keys,
)

NOW = datetime(2026, 3, 2, 14, 30, tzinfo=UTC)


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("keys")
    generate_development_keys(folder, NOW)
    return folder


@pytest.fixture
def copy(folder: Path, tmp_path: Path) -> Path:
    """A folder of its own, for a test that breaks a file."""
    return Path(shutil.copytree(folder, tmp_path / "keys"))


def certificate(pem: bytes) -> x509.Certificate:
    return x509.load_pem_x509_certificate(pem)


def common_name(certificate: x509.Certificate) -> str:
    return str(certificate.subject.get_attributes_for_oid(NameOID.COMMON_NAME)[0].value)


def test_the_five_files_are_written_and_only_the_owner_can_read_the_keys(folder: Path) -> None:
    assert sorted(path.name for path in folder.iterdir()) == sorted(FILE_NAMES)
    for name in FILE_NAMES:
        mode = stat.S_IMODE((folder / name).stat().st_mode)
        assert mode == (0o600 if name.endswith("key.pem") else 0o644), name


def test_the_root_is_a_p256_authority_that_issues_end_certificates_only_for_ten_years(
    folder: Path,
) -> None:
    root = certificate(load_keys(folder).root_certificate)
    constraints = root.extensions.get_extension_for_class(x509.BasicConstraints)
    assert constraints.critical
    assert constraints.value.ca
    assert constraints.value.path_length == 0
    assert root.issuer == root.subject
    assert isinstance(root.public_key(), ec.EllipticCurvePublicKey)
    assert root.public_key().curve.name == "secp256r1"  # type: ignore[union-attr]
    root.verify_directly_issued_by(root)
    assert root.not_valid_after_utc - NOW > timedelta(days=3650)


def test_the_signing_certificate_is_the_departments_issued_by_the_root_for_three_years(
    folder: Path,
) -> None:
    keys = load_keys(folder)
    signing = certificate(keys.signing_certificate)
    signing.verify_directly_issued_by(certificate(keys.root_certificate))
    assert common_name(signing) == "Immigration, Refugees and Citizenship Canada (development)"
    usage = signing.extensions.get_extension_for_class(x509.KeyUsage).value
    assert usage.digital_signature
    assert usage.content_commitment
    assert not signing.extensions.get_extension_for_class(x509.BasicConstraints).value.ca
    assert timedelta(days=1095) <= signing.not_valid_after_utc - NOW <= timedelta(days=1097)
    key = serialization.load_pem_private_key(keys.signing_key, password=None)
    assert isinstance(key, ec.EllipticCurvePrivateKey)
    assert key.curve.name == "secp256r1"


def test_the_time_stamping_certificate_is_for_time_stamping_only(folder: Path) -> None:
    keys = load_keys(folder)
    tsa = certificate(keys.timestamp_certificate)
    tsa.verify_directly_issued_by(certificate(keys.root_certificate))
    extended = tsa.extensions.get_extension_for_class(x509.ExtendedKeyUsage)
    assert extended.critical
    assert list(extended.value) == [ExtendedKeyUsageOID.TIME_STAMPING]


def test_load_or_generate_makes_the_keys_once_and_then_reads_the_same_ones(
    tmp_path: Path,
) -> None:
    first = load_or_generate_development_keys(tmp_path / "keys", NOW)
    again = load_or_generate_development_keys(tmp_path / "keys", NOW + timedelta(days=1))
    assert again == first
    assert isinstance(first, KeyMaterial)


def test_processes_starting_together_all_end_up_with_the_same_keys(tmp_path: Path) -> None:
    # Each thread opens the lock file itself, as each process would.
    with ThreadPoolExecutor(max_workers=4) as pool:
        results = list(
            pool.map(lambda _: load_or_generate_development_keys(tmp_path / "k", NOW), range(4))
        )
    assert all(keys == results[0] for keys in results)
    assert load_keys(tmp_path / "k") == results[0]


def test_a_complete_folder_is_read_without_taking_a_turn(copy: Path) -> None:
    # A production folder may be read-only: nothing is written into it.
    load_or_generate_development_keys(copy, NOW)
    assert not (copy / ".lock").exists()


def test_load_or_generate_never_overwrites_a_folder_missing_one_file(copy: Path) -> None:
    before = (copy / SIGNING_KEY).read_bytes()
    (copy / SIGNING_CERTIFICATE).unlink()
    with pytest.raises(KeyMaterialError, match=SIGNING_CERTIFICATE):
        load_or_generate_development_keys(copy, NOW)
    assert (copy / SIGNING_KEY).read_bytes() == before


def test_loading_names_the_missing_file(copy: Path) -> None:
    (copy / TIMESTAMP_KEY).unlink()
    with pytest.raises(KeyMaterialError, match=f"{TIMESTAMP_KEY} is missing"):
        load_keys(copy)


def test_loading_names_a_file_that_is_not_pem(copy: Path) -> None:
    (copy / SIGNING_CERTIFICATE).write_text("not a certificate")
    with pytest.raises(KeyMaterialError, match=f"{SIGNING_CERTIFICATE} is not a PEM"):
        load_keys(copy)


def test_loading_names_a_signing_key_that_does_not_match_its_certificate(copy: Path) -> None:
    other = ec.generate_private_key(ec.SECP256R1())
    (copy / SIGNING_KEY).write_bytes(
        other.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    with pytest.raises(KeyMaterialError, match=f"{SIGNING_KEY} does not match"):
        load_keys(copy)


def test_the_key_id_is_the_start_of_the_certificates_sha256(folder: Path) -> None:
    pem = load_keys(folder).signing_certificate
    der = certificate(pem).public_bytes(serialization.Encoding.DER)
    assert key_id(pem) == hashlib.sha256(der).digest()[:8]
    assert len(key_id(pem)) == 8
