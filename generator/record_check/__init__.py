"""`python -m generator check-record`: is every passage still at its source, in the words on record?

fetch (client, politeness, remapping) → page (visible text) → match (a passage's result, pure)
→ archive (Wayback snapshots) → results (data/record-checks.yaml); `check` wires them and
`command` is its command line. Only `results` is used by the build: it imports nothing that
talks to the network.
"""
