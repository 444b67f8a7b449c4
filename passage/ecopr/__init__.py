"""The electronic Confirmation of Permanent Residence (eCOPR), pure: no Django.

The record a COPR states (`record.py`), the bilingual PDF that shows it (`layout.py`),
the signed compact credential its QR code carries (`credential.py`), the department's
signature over the whole PDF (`signing.py`) and the verification anyone can run
(`verification.py`)."""
