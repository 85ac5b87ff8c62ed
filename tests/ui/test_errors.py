"""ui.errors.describe: each error type becomes the French sentence the user reads."""

from __future__ import annotations

import pytest

from paris_desk.core import errors
from paris_desk.store.db import KnownStoreError, StoreBugError, StoreErrorCode
from paris_desk.ui.errors import describe


def plain(text: str) -> str:
    """French typography puts a no-break space before ':' and ';'; compare with plain spaces."""
    return text.replace("\u00a0", " ")


@pytest.mark.parametrize(
    ("exc", "expected"),
    [
        (
            errors.AuthExpired("401"),
            "La session de @ville@paris.social a expiré ; reconnectez-vous.",
        ),
        (
            errors.Unreachable("timeout", maybe_applied=True),
            "Réseau injoignable : le serveur de @ville@paris.social n'a pas répondu. "
            "Vérifiez la connexion, puis réessayez.",
        ),
        (
            errors.RateLimited("429", retry_after=1),
            "Trop de requêtes pour @ville@paris.social : réessayez dans 1 seconde.",
        ),
        (
            errors.RateLimited("429", retry_after=89.2),
            "Trop de requêtes pour @ville@paris.social : réessayez dans 90 secondes.",
        ),
        (
            errors.RateLimited("429"),
            "Trop de requêtes pour @ville@paris.social : réessayez dans quelques minutes.",
        ),
        (
            errors.Rejected("Text character limit of 500 exceeded"),
            "Le serveur de @ville@paris.social a refusé ce contenu : "
            "Text character limit of 500 exceeded",
        ),
        (
            errors.ServerError("503"),
            "Le serveur de @ville@paris.social est en panne ; réessayez plus tard.",
        ),
        (
            errors.NotFound("404"),
            "Introuvable : ce message ou ce compte n'existe plus pour @ville@paris.social.",
        ),
    ],
)
def test_channel_errors_name_the_account(french: object, exc: Exception, expected: str) -> None:
    assert plain(describe(exc, "@ville@paris.social")) == expected


def test_sign_in_errors(french: object) -> None:
    assert plain(describe(errors.NotFound("no instance"), signing_in=True)) == (
        "Instance introuvable : vérifiez l'adresse de l'instance ou du serveur."
    )
    assert plain(describe(errors.BadCredentials("401"), signing_in=True)).startswith(
        "Identifiant ou mot de passe refusé. Sur Bluesky, utilisez un mot de passe d'application"
    )
    assert plain(describe(errors.AuthFactorRequired("2fa"), signing_in=True)) == (
        "Un code de connexion a été envoyé à l'adresse e-mail du compte : "
        "saisissez-le pour continuer."
    )


def test_without_an_account_label_the_sentence_says_this_account(french: object) -> None:
    assert plain(describe(errors.AuthExpired())) == (
        "La session de ce compte a expiré ; reconnectez-vous."
    )


def test_keychain_and_store_errors(french: object) -> None:
    assert plain(describe(errors.KeychainUnavailable())) == (
        "Aucun trousseau système disponible : paris_desk ne peut pas enregistrer vos identifiants."
    )
    assert plain(describe(errors.KeychainLocked())).startswith(
        "Le trousseau système est verrouillé"
    )
    assert plain(describe(errors.UnknownAccount("mastodon:@x@paris.social"))) == (
        "Aucun compte « @x@paris.social » dans paris_desk."
    )
    assert plain(describe(KnownStoreError(StoreErrorCode.DISK_FULL))).startswith(
        "Le disque est plein : paris_desk n'a pas pu enregistrer."
    )
    for code in StoreErrorCode:
        assert describe(KnownStoreError(code))  # every code has a sentence


def test_bugs_are_called_internal_errors(french: object) -> None:
    assert describe(KeyError("x")) == (
        "Erreur interne (KeyError). Les détails ont été écrits dans le journal."
    )
    assert describe(StoreBugError("bad SQL")).startswith("Erreur interne (StoreBugError)")


def test_french_typography_uses_no_break_spaces(french: object) -> None:
    sentence = describe(errors.AuthExpired(), "@ville")
    assert "expiré\u00a0;" in sentence
    assert " ;" not in sentence
