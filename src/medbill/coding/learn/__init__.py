"""What the coder learns from a coded corpus (CodiEsp train): a lexicon of English phrases for codes,
a nearest-neighbour index of coded documents, and a re-ranker that scores candidate codes.

Everything here is rebuilt by `medbill coding train` from the corpus files; nothing is committed.
"""
