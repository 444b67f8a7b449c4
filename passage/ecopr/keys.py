"""The department's key material for the eCOPR: a folder of five PEM files.

    root-certificate.pem        the trust anchor every verifier holds
    signing-key.pem             PKCS#8, ECDSA P-256: signs the PDF (PAdES) and the QR
                                credential (COSE ES256)
    signing-certificate.pem     the department's certificate for that key, from the root
    timestamp-key.pem           PKCS#8: the local time-stamping authority's key, used when
                                no time-stamping service is configured
    timestamp-certificate.pem   its certificate, from the root, extended key usage
                                timeStamping (critical)

A development installation generates the folder on first use
(`load_or_generate_development_keys`); a production department puts its own files,
under these names, in the folder it configures, and `load_keys` reads them. Key files
are written readable by their owner only (0600)."""

import hashlib
import os
import tempfile
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

from cryptography import x509
from cryptography.exceptions import UnsupportedAlgorithm
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.hazmat.primitives.asymmetric.types import CertificateIssuerPrivateKeyTypes
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

from passage.durable import fsync_folder, one_writer_at_a_time

ROOT_CERTIFICATE = "root-certificate.pem"
SIGNING_KEY = "signing-key.pem"
SIGNING_CERTIFICATE = "signing-certificate.pem"
TIMESTAMP_KEY = "timestamp-key.pem"
TIMESTAMP_CERTIFICATE = "timestamp-certificate.pem"
FILE_NAMES = (
    ROOT_CERTIFICATE,
    SIGNING_KEY,
    SIGNING_CERTIFICATE,
    TIMESTAMP_KEY,
    TIMESTAMP_CERTIFICATE,
)

DEPARTMENT = "Immigration, Refugees and Citizenship Canada"
# A common name holds at most 64 characters (RFC 5280): the department's full name is
# the organization of every certificate, and the signer's name says it is not production.
SIGNER_NAME = f"{DEPARTMENT} (development)"
ROOT_NAME = "eCOPR root CA (development)"
TIMESTAMP_NAME = "eCOPR time-stamping authority (development)"

# Certificates start a little in the past, so that a verifier whose clock is behind
# ours by a few minutes does not see a certificate from the future.
BACKDATING = timedelta(minutes=5)
ROOT_VALIDITY = timedelta(days=3652)
SIGNING_VALIDITY = timedelta(days=1096)


class KeyMaterialError(ValueError):
    """A key file is missing, unreadable or does not fit the others."""


@dataclass(frozen=True)
class KeyMaterial:
    """The department's keys and certificates, each as PEM bytes."""

    root_certificate: bytes
    signing_key: bytes
    signing_certificate: bytes
    timestamp_key: bytes
    timestamp_certificate: bytes


def key_id(certificate_pem: bytes) -> bytes:
    """The key identifier verifiers look the certificate up by: the first 8 bytes of the
    SHA-256 of its DER encoding (the EU digital COVID certificate's rule)."""
    der = x509.load_pem_x509_certificate(certificate_pem).public_bytes(serialization.Encoding.DER)
    return hashlib.sha256(der).digest()[:8]


def load_keys(folder: Path) -> KeyMaterial:
    """Read the five files from `folder`. Raises `KeyMaterialError` naming the file that
    is missing, unreadable, not the kind of PEM expected, or whose key does not match
    its certificate."""
    contents = {name: _read(folder / name) for name in FILE_NAMES}
    signing_key = _private_key(folder / SIGNING_KEY, contents[SIGNING_KEY])
    if not (
        isinstance(signing_key, ec.EllipticCurvePrivateKey)
        and isinstance(signing_key.curve, ec.SECP256R1)
    ):
        raise KeyMaterialError(f"{folder / SIGNING_KEY} is not an ECDSA P-256 key")
    _certificate(folder / ROOT_CERTIFICATE, contents[ROOT_CERTIFICATE])
    _check_pair(folder, SIGNING_KEY, signing_key, SIGNING_CERTIFICATE, contents)
    timestamp_key = _private_key(folder / TIMESTAMP_KEY, contents[TIMESTAMP_KEY])
    _check_pair(folder, TIMESTAMP_KEY, timestamp_key, TIMESTAMP_CERTIFICATE, contents)
    return KeyMaterial(
        root_certificate=contents[ROOT_CERTIFICATE],
        signing_key=contents[SIGNING_KEY],
        signing_certificate=contents[SIGNING_CERTIFICATE],
        timestamp_key=contents[TIMESTAMP_KEY],
        timestamp_certificate=contents[TIMESTAMP_CERTIFICATE],
    )


def load_or_generate_development_keys(folder: Path, now: datetime) -> KeyMaterial:
    """The keys in `folder`, generated there first when it holds none of the files.
    A folder holding only some of them is an error, never overwritten: it may be a
    production folder missing one file. Processes starting together take turns, so
    they all end up with the same keys; a complete folder is read without taking a
    turn, so it may be read-only."""
    if all((folder / name).exists() for name in FILE_NAMES):
        return load_keys(folder)
    folder.mkdir(parents=True, exist_ok=True)
    with one_writer_at_a_time(folder):
        if any((folder / name).exists() for name in FILE_NAMES):
            return load_keys(folder)
        return generate_development_keys(folder, now)


def generate_development_keys(folder: Path, now: datetime) -> KeyMaterial:
    """Make a development PKI valid from `now` (timezone-aware): a self-signed root CA
    (P-256, 10 years, issuing end certificates only), the department's signing
    certificate (3 years) and the time-stamping authority's certificate, write them to
    `folder`, replacing any there, and return them."""
    root_key = ec.generate_private_key(ec.SECP256R1())
    start = now - BACKDATING
    root_end = now + ROOT_VALIDITY
    root_certificate = (
        _builder(_name(ROOT_NAME), _name(ROOT_NAME), root_key.public_key(), start, root_end)
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(_key_usage(key_cert_sign=True, crl_sign=True), critical=True)
        .sign(root_key, hashes.SHA256())
    )
    signing_key = ec.generate_private_key(ec.SECP256R1())
    signing_certificate = _issue(
        root_key,
        root_certificate,
        SIGNER_NAME,
        signing_key.public_key(),
        start,
        now + SIGNING_VALIDITY,
        _key_usage(digital_signature=True, content_commitment=True),
    )
    # pyHanko's local time-stamping authority signs with RSA only.
    timestamp_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    timestamp_certificate = _issue(
        root_key,
        root_certificate,
        TIMESTAMP_NAME,
        timestamp_key.public_key(),
        start,
        root_end,
        _key_usage(digital_signature=True),
        x509.ExtendedKeyUsage([ExtendedKeyUsageOID.TIME_STAMPING]),
    )
    keys = KeyMaterial(
        root_certificate=_certificate_pem(root_certificate),
        signing_key=_private_key_pem(signing_key),
        signing_certificate=_certificate_pem(signing_certificate),
        timestamp_key=_private_key_pem(timestamp_key),
        timestamp_certificate=_certificate_pem(timestamp_certificate),
    )
    folder.mkdir(parents=True, exist_ok=True)
    _write(folder / ROOT_CERTIFICATE, keys.root_certificate, 0o644)
    _write(folder / SIGNING_KEY, keys.signing_key, 0o600)
    _write(folder / SIGNING_CERTIFICATE, keys.signing_certificate, 0o644)
    _write(folder / TIMESTAMP_KEY, keys.timestamp_key, 0o600)
    _write(folder / TIMESTAMP_CERTIFICATE, keys.timestamp_certificate, 0o644)
    fsync_folder(folder)
    return keys


def _name(common_name: str) -> x509.Name:
    return x509.Name(
        [
            x509.NameAttribute(NameOID.COUNTRY_NAME, "CA"),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, DEPARTMENT),
            x509.NameAttribute(NameOID.COMMON_NAME, common_name),
        ]
    )


def _builder(
    subject: x509.Name,
    issuer: x509.Name,
    public_key: ec.EllipticCurvePublicKey | rsa.RSAPublicKey,
    start: datetime,
    end: datetime,
) -> x509.CertificateBuilder:
    return (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(issuer)
        .public_key(public_key)
        .serial_number(x509.random_serial_number())
        .not_valid_before(start)
        .not_valid_after(end)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(public_key), critical=False)
    )


def _issue(
    root_key: ec.EllipticCurvePrivateKey,
    root: x509.Certificate,
    subject: str,
    public_key: ec.EllipticCurvePublicKey | rsa.RSAPublicKey,
    start: datetime,
    end: datetime,
    *critical_extensions: x509.ExtensionType,
) -> x509.Certificate:
    builder = (
        _builder(_name(subject), root.subject, public_key, start, end)
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(root_key.public_key()),
            critical=False,
        )
    )
    for extension in critical_extensions:
        builder = builder.add_extension(extension, critical=True)
    return builder.sign(root_key, hashes.SHA256())


def _key_usage(
    *,
    digital_signature: bool = False,
    content_commitment: bool = False,
    key_cert_sign: bool = False,
    crl_sign: bool = False,
) -> x509.KeyUsage:
    return x509.KeyUsage(
        digital_signature=digital_signature,
        content_commitment=content_commitment,
        key_encipherment=False,
        data_encipherment=False,
        key_agreement=False,
        key_cert_sign=key_cert_sign,
        crl_sign=crl_sign,
        encipher_only=False,
        decipher_only=False,
    )


def _certificate_pem(certificate: x509.Certificate) -> bytes:
    return certificate.public_bytes(serialization.Encoding.PEM)


def _private_key_pem(key: CertificateIssuerPrivateKeyTypes) -> bytes:
    return key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )


def _read(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except FileNotFoundError:
        raise KeyMaterialError(f"{path} is missing") from None
    except OSError as error:
        raise KeyMaterialError(f"{path} cannot be read: {error.strerror}") from error


def _private_key(path: Path, pem: bytes) -> CertificateIssuerPrivateKeyTypes:
    try:
        key = serialization.load_pem_private_key(pem, password=None)
    except (ValueError, TypeError, UnsupportedAlgorithm) as error:
        raise KeyMaterialError(f"{path} is not an unencrypted PEM private key") from error
    if not isinstance(key, ec.EllipticCurvePrivateKey | rsa.RSAPrivateKey):
        raise KeyMaterialError(f"{path} is neither an ECDSA nor an RSA key")
    return key


def _certificate(path: Path, pem: bytes) -> x509.Certificate:
    try:
        return x509.load_pem_x509_certificate(pem)
    except ValueError as error:
        raise KeyMaterialError(f"{path} is not a PEM certificate") from error


def _check_pair(
    folder: Path,
    key_name: str,
    key: CertificateIssuerPrivateKeyTypes,
    certificate_name: str,
    contents: dict[str, bytes],
) -> None:
    certificate = _certificate(folder / certificate_name, contents[certificate_name])
    spki = serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
    if key.public_key().public_bytes(*spki) != certificate.public_key().public_bytes(*spki):
        raise KeyMaterialError(f"{folder / key_name} does not match {certificate_name}")


def _write(path: Path, content: bytes, mode: int) -> None:
    """Replace `path` so that a reader sees the old file or the new one, never a part;
    the temporary file is created 0600, so a key is never readable by others."""
    descriptor, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    try:
        with os.fdopen(descriptor, "wb") as file:
            file.write(content)
            file.flush()
            os.fsync(file.fileno())
        os.chmod(temporary, mode)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
