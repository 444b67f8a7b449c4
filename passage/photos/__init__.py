"""PURE: the offline pre-check of the photo a new permanent resident uploads for their PR
card, run before an officer sees it, so that every refusal says what is wrong and by how
much.

`check_photo(data, limits)` (`checks.py`) never raises: whatever the bytes, it answers with
the failures in a fixed order (the most basic first), each a code with the value measured
and the range allowed, the checks that passed with their values (for the officer), and the
photo re-encoded as a plain JPEG without its metadata. The limits are configuration with
their sources (`limits.yaml`, read strictly by `limits.py`). The steps: the file's type by
its first bytes, its size and its pixels from the header before anything is decoded
(`decoding.py`); the faces found by the LBP frontal-face cascade that scikit-image ships
(`face.py`); the head's height and place, the background, sharpness and exposure measured
on a copy at a fixed height (`measures.py`).

The codes name what failed; the sentences a client reads, in English and French, are the
caller's.
"""
