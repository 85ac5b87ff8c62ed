"""Error types → one French sentence for the terminal (the GUI has its own, in ``ui/errors.py``).

Each sentence says what happened and what to do. ``account`` names the account concerned.
"""

from __future__ import annotations

import math

from paris_desk.core import errors
from paris_desk.core.terminal import for_terminal
from paris_desk.core.urls import InsecureTransport
from paris_desk.services.accounts import AmbiguousAccount
from paris_desk.services.api import CodecError, KnownStoreError, StoreErrorCode
from paris_desk.services.outbox import Job
from paris_desk.services.publisher import Finding, Problem, Refused
from paris_desk.services.team import TeamError

_STORE = {
    StoreErrorCode.DISK_FULL: "le disque est plein : libérez de la place puis recommencez.",
    StoreErrorCode.LOCKED: "la base locale est occupée par un autre paris-desk : "
    "fermez-le ou attendez, puis recommencez.",
    StoreErrorCode.CORRUPT: "la base locale est endommagée ({path}). Lancez « paris-desk "
    "profile repair » (ou ouvrez la fenêtre) : elle sera mise de côté et reconstruite depuis les "
    "serveurs, en gardant les comptes, brouillons et envois encore lisibles.",
    StoreErrorCode.EMPTY: "la base locale est vide (0 octet : copie interrompue ou disque "
    "plein ?) ({path}). Si une sauvegarde existe, remettez-la ; sinon lancez « paris-desk "
    "profile repair » pour repartir d'une base neuve (les comptes seront à rajouter).",
    StoreErrorCode.READ_ONLY: "impossible d'écrire dans le profil ({path}) : vérifiez les droits.",
    StoreErrorCode.IO: "le disque n'a pas pu lire ou écrire la base locale ({path}).",
    StoreErrorCode.TOO_NEW: "la base locale a été créée par une version plus récente "
    "de paris-desk : mettez le programme à jour.",
}


def account_name(exc: BaseException, fallback: str = "ce compte") -> str:
    """The handle in an error's ``account_id`` (``mastodon:@ville@paris.social`` → the part
    after the network)."""
    account_id = getattr(exc, "account_id", "") or ""
    return account_id.split(":", 1)[-1] if account_id else fallback


def describe(
    exc: BaseException, *, account: str = "", signing_in: bool = False, db_path: str = ""
) -> str:
    """A complete French sentence (without the "Erreur : " prefix). ``account`` names the
    account concerned when the error does not say. A server's words in it (a refusal's
    reason) are shown with their control characters escaped (``core.terminal``)."""
    return for_terminal(
        _describe(exc, account=account, signing_in=signing_in, db_path=db_path)
    )


def _describe(
    exc: BaseException, *, account: str = "", signing_in: bool = False, db_path: str = ""
) -> str:
    if isinstance(exc, TeamError):  # team mode's database (cli/team.py words them)
        from paris_desk.cli.team import describe as team_sentence

        return team_sentence(exc)
    if isinstance(exc, InsecureTransport):
        return (
            f"connexion refusée : {exc.url} n'est pas chiffré (http://), vos identifiants y "
            "circuleraient en clair. Utilisez son adresse en https://."
        )
    if isinstance(exc, errors.NotAServer):
        return _not_a_server(exc)
    if isinstance(exc, errors.ChannelError):
        return _channel(exc, account_name(exc, account or "ce compte"), signing_in)
    if isinstance(exc, errors.KeychainUnavailable):
        return (
            "aucun trousseau système utilisable : paris-desk ne peut pas enregistrer vos "
            "identifiants (jamais en clair sur le disque)."
        )
    if isinstance(exc, errors.KeychainLocked):
        return "le trousseau système est verrouillé ou a refusé l'accès : déverrouillez-le."
    if isinstance(exc, errors.KeychainError):
        return "le trousseau système a échoué : réessayez, ou redémarrez la session."
    if isinstance(exc, AmbiguousAccount):
        return f"« {exc.ref} » désigne plusieurs comptes ({', '.join(exc.matches)}) : précisez."
    if isinstance(exc, errors.UnknownAccount):
        return f"aucun compte « {exc} » : voir « paris-desk account list »."
    if isinstance(exc, KnownStoreError):
        return _STORE[exc.code].format(path=db_path or "paris_desk.sqlite3")
    if isinstance(exc, errors.StoreError | CodecError):
        return f"la base locale a échoué ({type(exc).__name__}) : détails dans le journal."
    return f"erreur interne ({type(exc).__name__}) : détails dans le journal."


CERTIFICATE_HELP = (
    "Si votre service informatique utilise son propre certificat, il doit être installé "
    "dans le magasin de certificats du système."
)


def certificate(exc: errors.CertificateError) -> str:
    """What is wrong with the server's certificate, and what to do (never: skip the check)."""
    host = exc.host or "ce serveur"
    refused = f"paris-desk a refusé la connexion à {host}."
    if exc.kind == errors.CertificateError.UNKNOWN_AUTHORITY:
        authority = f"autorité inconnue : {exc.issuer}" if exc.issuer else "autorité inconnue"
        return (
            f"le certificat du serveur n'est pas reconnu ({authority}) ; {refused} "
            + CERTIFICATE_HELP
        )
    if exc.kind == errors.CertificateError.EXPIRED:
        until = f" (valable jusqu'au {_date(exc.not_after)})" if exc.not_after else ""
        return (
            f"le certificat du serveur a expiré{until} ; {refused} Le serveur doit renouveler "
            "son certificat : prévenez son administrateur, ou vérifiez la date de cet ordinateur."
        )
    if exc.kind == errors.CertificateError.WRONG_NAME:
        names = f" (il est fait pour : {', '.join(exc.names)})" if exc.names else ""
        return (
            f"le certificat du serveur ne correspond pas à son adresse{names} ; {refused} "
            "Vérifiez l'adresse du serveur."
        )
    return f"le certificat du serveur n'est pas valable ; {refused} " + CERTIFICATE_HELP


def proxy(exc: errors.ProxyRefused | errors.ProxyUnreachable) -> str:
    where = f"le proxy {exc.proxy}" if exc.proxy else "le proxy"
    if isinstance(exc, errors.ProxyUnreachable):
        return (
            f"{where} ne répond pas : vérifiez la connexion et le réglage du proxy "
            "(Préférences › Réseau, HTTPS_PROXY ou les réglages du système), puis recommencez."
        )
    if exc.status in (502, 503, 504):
        return (
            f"{where} n'a pas pu joindre le serveur ({exc.status}) : réessayez plus tard ; "
            "si cela dure, demandez à votre service informatique s'il est autorisé."
        )
    if exc.auth_required:
        return (
            f"{where} exige une identification (407) : demandez à votre service informatique "
            "d'autoriser paris-desk, ou donnez l'identifiant dans l'adresse du proxy "
            "(HTTPS_PROXY=http://identifiant:motdepasse@proxy:port)."
        )
    return (
        f"{where} a refusé la connexion ({exc.status}) : demandez à votre service "
        "informatique d'autoriser ce serveur."
    )


def _date(iso: str) -> str:
    parts = iso.split("-")
    return "/".join(reversed(parts)) if len(parts) == 3 else iso


def _transport(exc: errors.ChannelError) -> str | None:
    if isinstance(exc, errors.CertificateError):
        return certificate(exc)
    if isinstance(exc, errors.ProxyRefused | errors.ProxyUnreachable):
        return proxy(exc)
    return None


def _not_a_server(exc: errors.NotAServer) -> str:
    if exc.network == "bluesky":
        return ("cette adresse répond par une page web : ce n'est pas un serveur Bluesky (PDS). "
                "Vérifiez l'adresse du serveur, ou omettez --service.")
    return ("cette adresse répond par une page web : ce n'est pas un serveur Mastodon. "
            "Vérifiez l'adresse de l'instance (ex. paris.social).")


def _channel(exc: errors.ChannelError, account: str, signing_in: bool) -> str:
    transport = _transport(exc)
    if transport is not None:
        return transport
    if isinstance(exc, errors.AuthExpired):
        return f"la session de {account} a expiré : ajoutez le compte à nouveau."
    if isinstance(exc, errors.AuthFactorRequired):
        return "un code de connexion a été envoyé par e-mail : il faut le saisir."
    if isinstance(exc, errors.BadCredentials):
        return (
            "identifiant, mot de passe ou code refusé. Sur Bluesky, utilisez un mot de passe "
            "d'application (Paramètres › Confidentialité et sécurité › Mots de passe "
            "d'application)."
        )
    if isinstance(exc, errors.NotFound):
        if signing_in:
            return "serveur ou compte introuvable : vérifiez l'adresse de l'instance ou du serveur."
        return f"introuvable : ce message ou ce compte n'existe plus pour {account}."
    if isinstance(exc, errors.Unreachable):
        return (
            f"réseau injoignable : le serveur de {account} n'a pas répondu. "
            "Vérifiez la connexion puis recommencez."
        )
    if isinstance(exc, errors.RateLimited):
        if exc.retry_after is None:
            return f"trop de requêtes pour {account} : réessayez dans quelques minutes."
        seconds = max(1, math.ceil(exc.retry_after))
        return f"trop de requêtes pour {account} : réessayez dans {seconds} s."
    if isinstance(exc, errors.Rejected):
        reason = exc.message or "aucune raison donnée"
        return f"le serveur de {account} a refusé ce contenu : {reason}"
    if isinstance(exc, errors.ServerError):
        return f"le serveur de {account} est en panne : réessayez plus tard."
    return f"l'opération a échoué pour {account} ({type(exc).__name__})."


# -- publishing ----------------------------------------------------------------------------------
# The same sentences as the window's composer (resources/i18n/paris_desk_fr.ts, ComposerChecks).

_NETWORK_NAMES = {"bluesky": "Bluesky", "mastodon": "Mastodon"}
_REFUSALS = {
    Problem.NO_TARGET: "Cochez au moins un compte.",
    Problem.EMPTY: "Le message est vide.",
    Problem.ALT_MISSING: "Chaque image doit avoir un texte alternatif.",
    Problem.ALT_TOO_LONG: "Un texte alternatif est trop long pour le réseau.",
    Problem.FANCY_LETTERS: "Remplacez les lettres stylisées par des lettres simples.",
    Problem.TOO_MANY_IMAGES: "Trop d'images pour les comptes choisis.",
    Problem.SCHEDULE_PAST: "L’heure de publication programmée est passée.",
    Problem.PUBLISHED: "Ce brouillon est déjà en cours de publication.",
    Problem.IMAGE_MISSING: "{subject} : fichier introuvable.",
    Problem.IMAGE_NOT_FILE: "{subject} n'est pas un fichier ordinaire.",
    Problem.IMAGE_FILE_TOO_BIG: "{subject} : fichier trop gros ({count} octets, {limit} au plus).",
    Problem.IMAGE_UNREADABLE: "{subject} n'est pas une image lisible ({detail}).",
    Problem.UNKNOWN_MENTION: "@{subject} : aucun compte Bluesky à ce nom.",
}


def refusal(exc: Refused) -> list[str]:
    """One sentence per reason a draft was refused."""
    return [_refusal(finding) for finding in exc.findings]


def _refusal(finding: Finding) -> str:
    if finding.problem is Problem.OVER_LIMIT and finding.network is not None:
        name = _NETWORK_NAMES.get(finding.network.value, finding.network.value)
        where = f" ({finding.subject})" if finding.subject else ""
        return (
            f"Trop long pour {name}{where} : {finding.count} caractères pour {finding.limit} "
            "au plus ; découpez-le en fil (--split) ou raccourcissez le texte."
        )
    if finding.problem is Problem.IMAGE_UNREADABLE and "too large" in finding.detail:
        size = finding.detail.partition("(")[2].rstrip(")").replace("x", "×")
        return f"{finding.subject} : image trop grande ({size})." if size else (
            f"{finding.subject} : image trop grande.")
    return _REFUSALS[finding.problem].format(
        subject=finding.subject, count=finding.count, limit=finding.limit,
        detail=finding.detail or "format inconnu",
    )


_OUTBOX_KINDS = {  # error kinds the outbox sets itself (the others name a ParisDeskError)
    "NotSent": "{handle} : pas envoyé dans le délai (--timeout).",
    "Interrupted": "{handle} : envoi interrompu (arrêt du programme).",
    "Bug": "{handle} : erreur interne, détails dans le journal.",
}


def job_failure(job: Job, handle: str) -> str:
    """A French sentence for a failed outbox job, from its stored error kind and reason."""
    cls = getattr(errors, job.error_kind, None)
    if job.error_kind in _OUTBOX_KINDS:
        sentence = _OUTBOX_KINDS[job.error_kind].format(handle=handle)
    elif isinstance(cls, type) and issubclass(cls, errors.ParisDeskError):
        exc = cls(job.last_error)
        if isinstance(exc, errors.ChannelError):
            exc.account_id = job.account_id
        sentence = describe(exc, account=handle)
    else:
        sentence = f"la publication sur {handle} a échoué ({for_terminal(job.last_error)})."
    attempts = f"{job.attempts} tentative{'s' if job.attempts > 1 else ''}"
    return f"{sentence} Message conservé dans la file d'envoi ({attempts})."
