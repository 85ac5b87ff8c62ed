"""Deterministic French sample content about a city's public information.

Both sandbox servers draw from here so a trainee sees the same kind of day on each network.
Images are generated (solid colours with a stripe pattern), never downloaded.
"""

from __future__ import annotations

import random
import struct
import zlib
from dataclasses import dataclass

CITY_ACCOUNTS = [
    ("ville", "Ville de Paris (bac à sable)"),
    ("culture", "Culture — Ville (bac à sable)"),
]

AUTHOR_NAMES = [
    ("marie.dupont", "Marie Dupont"), ("karim.benali", "Karim Benali"),
    ("sophie.martin", "Sophie Martin"), ("lucas.bernard", "Lucas Bernard"),
    ("amina.diallo", "Amina Diallo"), ("jules.moreau", "Jules Moreau"),
    ("camille.leroy", "Camille Leroy"), ("thomas.petit", "Thomas Petit"),
    ("ines.garcia", "Inès Garcia"), ("hugo.roux", "Hugo Roux"),
    ("lea.fournier", "Léa Fournier"), ("nathan.girard", "Nathan Girard"),
    ("chloe.bonnet", "Chloé Bonnet"), ("yanis.mercier", "Yanis Mercier"),
    ("manon.lambert", "Manon Lambert"), ("louis.faure", "Louis Faure"),
    ("sarah.rousseau", "Sarah Rousseau"), ("adam.blanc", "Adam Blanc"),
    ("zoe.guerin", "Zoé Guérin"), ("paul.muller", "Paul Muller"),
    ("bibliotheques", "Bibliothèques municipales"), ("piscines", "Piscines de la ville"),
    ("mairie11", "Mairie du 11e"), ("mairie18", "Mairie du 18e"),
    ("velo.quartier", "Collectif Vélo Quartier"), ("musee.carnavalet", "Musée (bac à sable)"),
    ("trafic.info", "Info trafic (bac à sable)"), ("prefecture.demo", "Préfecture (démo)"),
    ("meteo.locale", "Météo locale"), ("parcs.jardins", "Parcs et jardins"),
    ("conseil.quartier", "Conseil de quartier"), ("asso.solidarite", "Asso Solidarité"),
]

TOPICS = [
    ("La {event} aura lieu {day} place de la République, de 14 h à 22 h. Programme complet : "
     "{link} #{tag}"),
    "Travaux rue de Rivoli : la circulation est réduite à une voie jusqu'au {day}. Itinéraires "
    "conseillés sur {link} #Travaux #Mobilité",
    "Les bibliothèques ouvrent le dimanche dans cinq arrondissements à partir de {day}. "
    "#Lecture #{tag}",
    "Alerte canicule : les salles rafraîchies sont ouvertes. Liste et horaires : {link} "
    "#Canicule",
    "Merci à toutes et à tous pour la {event} ! Rendez-vous l'an prochain. #{tag}",
    "Le conseil municipal se réunit {day}. Ordre du jour et retransmission : {link} "
    "#ConseilMunicipal",
    "Nouvelle piste cyclable boulevard Voltaire : 2,3 km sécurisés, ouverts {day}. #Vélo",
    "Vaccination gratuite sans rendez-vous {day} à la mairie du 11e. #Santé",
    "La ligne 14 est interrompue entre Saint-Lazare et Olympiades ce week-end. Bus de "
    "remplacement prévus. #Transports",
    "Budget participatif : votez pour vos projets préférés jusqu'au {day} sur {link} "
    "#BudgetParticipatif",
    "Collecte des sapins de Noël dans 150 points de la ville jusqu'au {day}. #Recyclage",
    "Exposition gratuite au musée : « Paris en lumière », du {day} au 30 mars. #{tag}",
    "Les piscines municipales passent en horaires d'été {day}. Détails : {link} #Piscines",
    "Qualité de l'air dégradée aujourd'hui : évitez les efforts physiques intenses. #Pollution",
    "Rappel : le marché de Noël du parvis ouvre {day} à 11 h. #{tag}",
]
EVENTS = ["Fête de la musique", "Nuit Blanche", "Journée du patrimoine", "fête des voisins",
          "semaine de la propreté", "foire aux livres", "course des garçons de café"]
DAYS = ["lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche",
        "le 12 décembre", "le 3 janvier", "le 21 juin"]
TAGS = ["Culture", "Paris", "FeteDeLaMusique", "NuitBlanche", "Patrimoine", "Quartiers",
        "Solidarité", "Sport", "Jeunesse", "Environnement"]
LINKS = ["https://www.paris.fr/pages/agenda", "https://www.paris.fr/evenements/nuit-blanche",
         "https://example.org/programme-2026.pdf", "https://www.ratp.fr/travaux",
         "https://budgetparticipatif.example.fr/votes"]
REPLIES = [
    "Merci pour l'info ! Est-ce accessible aux personnes à mobilité réduite ?",
    "Super nouvelle, bravo à toutes les équipes 👏",
    "Et pour le 20e, c'est prévu quand ?",
    "Le lien ne marche pas chez moi…",
    "Il faudrait prévenir plus tôt, on l'apprend le jour même.",
    "Les horaires sont-ils les mêmes le dimanche ?",
    "Bravo ! Hâte d'y être 🎶",
    "Merci, je partage autour de moi.",
]
ALTS = [
    "Vue de la place de la République remplie de monde sous un ciel bleu.",
    "Plan des travaux rue de Rivoli avec les déviations en orange.",
    "Affiche de la Nuit Blanche : silhouette de la tour Eiffel sur fond violet.",
    "Des enfants lisent dans une bibliothèque municipale aux grandes fenêtres.",
    "Carte des salles rafraîchies, marquées par des points bleus.",
    "Cyclistes sur une piste cyclable protégée par des bordures vertes.",
]


@dataclass(frozen=True)
class SampleText:
    text: str
    tags: tuple[str, ...]
    links: tuple[str, ...]


def sample_text(rng: random.Random) -> SampleText:
    template = rng.choice(TOPICS)
    tag = rng.choice(TAGS)
    link = rng.choice(LINKS)
    text = template.format(event=rng.choice(EVENTS), day=rng.choice(DAYS), link=link, tag=tag)
    tags = tuple(w[1:].rstrip(".,!?") for w in text.split() if w.startswith("#"))
    links = (link,) if link in text else ()
    return SampleText(text, tags, links)


def sample_reply(rng: random.Random) -> str:
    return rng.choice(REPLIES)


def sample_alt(rng: random.Random) -> str:
    return rng.choice(ALTS)


def png_image(width: int, height: int, seed: int) -> bytes:
    """A small valid PNG: a colour field with diagonal stripes, different for each seed."""
    rng = random.Random(seed)
    base = (rng.randrange(40, 220), rng.randrange(40, 220), rng.randrange(40, 220))
    stripe = tuple(255 - c for c in base)
    rows = []
    for y in range(height):
        row = bytearray(b"\x00")
        for x in range(width):
            row.extend(stripe if (x + y) // 8 % 4 == 0 else base)
        rows.append(bytes(row))
    raw = zlib.compress(b"".join(rows), 6)

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (struct.pack(">I", len(data)) + kind + data
                + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF))

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", raw) + chunk(b"IEND", b"")
