"""The confirmation of permanent residence: after an approval, each person who becomes a
permanent resident in Canada declares their presence, gives a mailing address and a
photo, an officer confirms, and the client downloads a signed eCOPR anyone can verify."""
