"""The paper channel: application forms that carry their answers in 2D barcodes
(the public PSG1 format: the payload, its symbols and the two commands)."""
