"""Hashtags people can read aloud: ``#fetedelamusique`` → ``#FeteDeLaMusique``.

Screen readers read a CamelCase hashtag word by word and an all-lowercase one as a single,
mangled word. ``camel_case`` splits a lowercase hashtag with a small French/English vocabulary
of a city's communication (fewest words wins, digit runs are words of their own) and
capitalises each word, keeping accents; it gives ``""`` when the tag cannot be split entirely.
Both networks match hashtags case-insensitively (Mastodon also folds accents), so the
suggestion is the same hashtag.
"""

from __future__ import annotations

import unicodedata

_WORDS = """
    a l d y au aux du de des la le les et en un une sur par pour dans avec sans contre chez
    je tu il elle on nous vous ils elles qui que ou notre nos votre vos mon ma mes son sa ses
    tous toutes tout toute ensemble bonne bon nouvel nouvelle an annee merci bienvenue vive
    fete fetes musique nuit nuits blanche jeux olympiques olympique paralympiques paralympique
    paris ville villes mairie hotel conseil municipal municipale municipales culture culturel
    sport sports sportif jeunesse jeunes ecole ecoles college lycee quartier quartiers parc
    parcs jardin jardins plage plages velo velos metro bus tram transport transports travaux
    circulation securite sante solidarite solidaire emploi logement logements environnement
    climat climatique canicule plan grand grande froid chaud propre proprete budget
    participatif participative vote votez election elections europeennes europeenne europe
    marche marches noel printemps ete automne hiver rentree vacances journee journees semaine
    mois patrimoine musee musees bibliotheque bibliotheques theatre cinema concert concerts
    festival exposition expo seine arrondissement nature arbre arbres fleurs eau air qualite
    pollution info infos alerte direct agenda programme inscription inscriptions citoyen
    citoyens citoyenne egalite femme femmes homme hommes droits droit handicap accessibilite
    inclusion senior seniors enfant enfants famille familles animaux sortir sortie sorties
    week end gratuit gratuite ouvert ouverte ouverture fermeture fermee marathon course
    feu artifice bal pompiers nationale national liberation memoire hommage commemoration
    journal telethon solidaires lutte prevention dechets recyclage tri zero vert verte
    developpement durable international internationale mondial mondiale
    the of in on and for to at is day days night city music festival week weekend world open
    data pride black history month games olympic olympics paralympic climate action women
    human rights earth hour new year happy tour france live news
"""
VOCABULARY = frozenset(_WORDS.split())
_MAX_WORD = max(len(word) for word in VOCABULARY)


def _base_letter(char: str) -> str:
    """``é`` → ``e``: one character for one, so indices stay aligned with the original."""
    decomposed = unicodedata.normalize("NFD", char)
    return decomposed[0].lower() if decomposed else char


def split_words(tag: str) -> list[str]:
    """Split ``tag`` (no ``#``) into vocabulary words and digit runs, fewest pieces first;
    ``[]`` when some part is not a known word."""
    folded = "".join(_base_letter(c) for c in tag)
    # best[end] = (pieces, start of the last piece) for the best split of folded[:end]
    best: list[tuple[int, int] | None] = [None] * (len(folded) + 1)
    best[0] = (0, 0)
    for end in range(1, len(folded) + 1):
        for start in range(max(0, end - _MAX_WORD), end):
            before = best[start]
            if before is None:
                continue
            piece = folded[start:end]
            current = best[end]
            if (piece in VOCABULARY or piece.isdigit()) and (
                current is None or before[0] + 1 < current[0]
            ):
                best[end] = (before[0] + 1, start)
    pieces: list[str] = []
    end = len(tag)
    while end > 0 and (step := best[end]) is not None:
        pieces.append(tag[step[1] : end])
        end = step[1]
    return pieces[::-1] if end == 0 else []


def camel_case(tag: str) -> str:
    """``fetedelamusique`` → ``FeteDeLaMusique``; ``""`` if it cannot be split in 2+ words."""
    pieces = split_words(tag)
    if len(pieces) < 2:
        return ""
    return "".join(piece[:1].upper() + piece[1:] for piece in pieces)
