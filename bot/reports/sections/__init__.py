"""Sections a–h of Pasal 15 ayat (3) Perbup Bone 22/2019, one module per letter.

Each module compiles its figures from the record (``compile``) and lays them out with a
short narrative written from those figures (``blocks``).
"""
