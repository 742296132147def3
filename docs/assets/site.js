// Site behaviour; filled in by later issues.
