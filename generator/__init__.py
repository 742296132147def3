"""Lessons from Neel Nanda: data/*.yaml → load → validate → model → render → write → docs/.

Each stage is a module of its own; `cli` and `mkdocs_hook` only wire them together.
"""
