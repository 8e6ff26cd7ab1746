"""What several apps share and that knows no app: text folding, place names, errors.

The lowest layer (docs/architecture.md): it imports no other part of Clusterhub.
"""
