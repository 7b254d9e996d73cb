"""Certificates of attendance ("bewijs van deelname"): one per participant who met the
attendance requirement, a PDF with a verification code anyone can check at /certificaat/<code>."""
