"""An eCOPR rendered by reportlab made a PDF/A-3b file (pure: no Django): the sRGB output
intent, XMP metadata that matches the document information dictionary, a fixed file
identifier, and the record itself attached as `copr.json`, an associated file of the
document (AFRelationship /Data), so that whoever holds the signed PDF holds the whole
record in a form a machine reads.

Everything here is derived from its arguments, never from the clock: the same record
gives the same bytes."""

import functools
import hashlib
import io
import json
import struct
from dataclasses import asdict
from datetime import UTC, date, datetime
from typing import Any
from xml.sax.saxutils import escape

from PIL import ImageCms
from pypdf import PdfReader, PdfWriter
from pypdf.generic import (
    ArrayObject,
    BooleanObject,
    ByteStringObject,
    DecodedStreamObject,
    DictionaryObject,
    NameObject,
    NumberObject,
    TextStringObject,
)

from passage.ecopr.record import CoprRecord

ATTACHMENT = "copr.json"
PRODUCER = "Passage"
_SRGB = "sRGB IEC61966-2.1"


def record_document(record: CoprRecord) -> dict[str, Any]:
    """Every field of `record` as JSON values: dates and instants in ISO 8601, texts in
    both languages as {"en": ..., "fr": ...}, a missing expiry as null."""

    def plain(value: Any) -> Any:
        if isinstance(value, date | datetime):
            return value.isoformat()
        if isinstance(value, dict):
            return {key: plain(item) for key, item in value.items()}
        return value

    return {name: plain(value) for name, value in asdict(record).items()}


def record_json(record: CoprRecord) -> bytes:
    """`record_document(record)` as the UTF-8 JSON of the attachment."""
    return json.dumps(record_document(record), ensure_ascii=False, indent=2).encode("utf-8")


def finish(
    pdf: bytes,
    *,
    record: CoprRecord,
    title: str,
    subject: str,
    author: str,
    language: str,
) -> bytes:
    """`pdf` (one reportlab wrote with embedded TrueType fonts and no transparency) as
    PDF/A-3b, with `record` attached. Its dates are the record's issue instant; its file
    identifier is derived from the document number."""
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(pdf)))
    # PDF/A-3 is built on PDF 1.7, the first version with associated files.
    writer.pdf_header = "%PDF-1.7"
    issued = record.issued_at.astimezone(UTC)
    writer.metadata = {
        "/Title": title,
        "/Subject": subject,
        "/Author": author,
        "/Creator": PRODUCER,
        "/Producer": PRODUCER,
        "/CreationDate": _pdf_date(issued),
        "/ModDate": _pdf_date(issued),
    }
    root = writer.root_object
    # pypdf has no public way to add an indirect object; `_add_object` is the one its own
    # methods use.
    root[NameObject("/Metadata")] = writer._add_object(
        _xmp_stream(title=title, subject=subject, author=author, issued=issued)
    )
    root[NameObject("/OutputIntents")] = ArrayObject([_output_intent(writer)])
    root[NameObject("/Lang")] = TextStringObject("fr-CA" if language == "fr" else "en-CA")
    root[NameObject("/ViewerPreferences")] = DictionaryObject(
        {NameObject("/DisplayDocTitle"): BooleanObject(True)}
    )
    attachment = _attachment(writer, record_json(record), issued)
    root[NameObject("/AF")] = ArrayObject([attachment])
    root[NameObject("/Names")] = DictionaryObject(
        {
            NameObject("/EmbeddedFiles"): DictionaryObject(
                {NameObject("/Names"): ArrayObject([TextStringObject(ATTACHMENT), attachment])}
            )
        }
    )
    identifier = ByteStringObject(
        hashlib.sha256(f"eCOPR {record.document_number}".encode()).digest()[:16]
    )
    # pypdf keeps reportlab's identifier unless told otherwise, and has no public way to.
    writer._ID = ArrayObject([identifier, identifier])
    output = io.BytesIO()
    writer.write(output)
    return output.getvalue()


@functools.cache
def srgb_profile() -> bytes:
    """The ICC profile of sRGB, as Little CMS makes it, dated 2026-01-01: Little CMS
    writes the time it made the profile into its header, which would make the same
    record's eCOPR differ from one second to the next."""
    profile = bytearray(ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes())
    profile[24:36] = struct.pack(">6H", 2026, 1, 1, 0, 0, 0)
    return bytes(profile)


def _output_intent(writer: PdfWriter) -> Any:
    profile = DecodedStreamObject()
    profile.set_data(srgb_profile())
    profile[NameObject("/N")] = NumberObject(3)
    intent = DictionaryObject(
        {
            NameObject("/Type"): NameObject("/OutputIntent"),
            NameObject("/S"): NameObject("/GTS_PDFA1"),
            NameObject("/OutputConditionIdentifier"): TextStringObject(_SRGB),
            NameObject("/Info"): TextStringObject(_SRGB),
            NameObject("/DestOutputProfile"): writer._add_object(profile.flate_encode()),
        }
    )
    return writer._add_object(intent)


def _attachment(writer: PdfWriter, data: bytes, issued: datetime) -> Any:
    """The file specification of `data` as `copr.json`, its stream compressed."""
    embedded = DecodedStreamObject()
    embedded.set_data(data)
    stream = embedded.flate_encode()
    stream[NameObject("/Type")] = NameObject("/EmbeddedFile")
    stream[NameObject("/Subtype")] = NameObject("/application/json")
    stream[NameObject("/Params")] = DictionaryObject(
        {
            NameObject("/Size"): NumberObject(len(data)),
            NameObject("/ModDate"): TextStringObject(_pdf_date(issued)),
            NameObject("/CheckSum"): ByteStringObject(hashlib.md5(data).digest()),  # noqa: S324 (the checksum PDF defines)
        }
    )
    reference = writer._add_object(stream)
    spec = DictionaryObject(
        {
            NameObject("/Type"): NameObject("/Filespec"),
            NameObject("/F"): TextStringObject(ATTACHMENT),
            NameObject("/UF"): TextStringObject(ATTACHMENT),
            NameObject("/Desc"): TextStringObject(
                "The record of the confirmation / Enregistrement de la confirmation"
            ),
            NameObject("/AFRelationship"): NameObject("/Data"),
            NameObject("/EF"): DictionaryObject(
                {NameObject("/F"): reference, NameObject("/UF"): reference}
            ),
        }
    )
    return writer._add_object(spec)


def _xmp_stream(*, title: str, subject: str, author: str, issued: datetime) -> Any:
    stamp = issued.isoformat()
    packet = f"""<?xpacket begin="\ufeff" id="W5M0MpCehiHzreSzNTczkc9d"?>
<x:xmpmeta xmlns:x="adobe:ns:meta/">
 <rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">
  <rdf:Description rdf:about=""
    xmlns:dc="http://purl.org/dc/elements/1.1/"
    xmlns:xmp="http://ns.adobe.com/xap/1.0/"
    xmlns:pdf="http://ns.adobe.com/pdf/1.3/"
    xmlns:pdfaid="http://www.aiim.org/pdfa/ns/id/">
   <dc:format>application/pdf</dc:format>
   <dc:title>{_alternative(title)}</dc:title>
   <dc:description>{_alternative(subject)}</dc:description>
   <dc:creator><rdf:Seq><rdf:li>{escape(author)}</rdf:li></rdf:Seq></dc:creator>
   <xmp:CreatorTool>{PRODUCER}</xmp:CreatorTool>
   <xmp:CreateDate>{stamp}</xmp:CreateDate>
   <xmp:ModifyDate>{stamp}</xmp:ModifyDate>
   <xmp:MetadataDate>{stamp}</xmp:MetadataDate>
   <pdf:Producer>{PRODUCER}</pdf:Producer>
   <pdfaid:part>3</pdfaid:part>
   <pdfaid:conformance>B</pdfaid:conformance>
  </rdf:Description>
 </rdf:RDF>
</x:xmpmeta>
<?xpacket end="w"?>"""
    # PDF/A wants the metadata stream unfiltered, so that any tool can read it.
    stream = DecodedStreamObject()
    stream.set_data(packet.encode("utf-8"))
    stream[NameObject("/Type")] = NameObject("/Metadata")
    stream[NameObject("/Subtype")] = NameObject("/XML")
    return stream


def _alternative(text: str) -> str:
    return f'<rdf:Alt><rdf:li xml:lang="x-default">{escape(text)}</rdf:li></rdf:Alt>'


def _pdf_date(instant: datetime) -> str:
    return instant.strftime("D:%Y%m%d%H%M%S+00'00'")
