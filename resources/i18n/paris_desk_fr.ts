<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="fr" sourcelanguage="en">
<context>
    <name>Accessibility</name>
    <message>
        <location filename="../../paris_desk/ui/composer/checks.py" line="+23" />
        <source>Describe this image for people who cannot see it (required).</source>
        <translation>Décrivez cette image pour les personnes qui ne la voient pas (obligatoire).</translation>
    </message>
    <message>
        <location line="+2" />
        <source>This description is longer than the network accepts: shorten it.</source>
        <translation>Cette description est plus longue que ce que le réseau accepte : raccourcissez-la.</translation>
    </message>
    <message>
        <location line="+2" />
        <source>This description is a file name: say what the image shows.</source>
        <translation>Cette description est un nom de fichier : dites ce que montre l’image.</translation>
    </message>
    <message>
        <location line="+2" />
        <source>“Image” or “photo” says nothing: describe what it shows.</source>
        <translation>« Image » ou « photo » ne dit rien : décrivez ce qu’elle montre.</translation>
    </message>
    <message>
        <location line="+2" />
        <source>This description is very short: is it enough to understand the image?</source>
        <translation>Cette description est très courte : suffit-elle pour comprendre l’image ?</translation>
    </message>
    <message>
        <location line="+2" />
        <source>Write hashtags of several words with capitals so screen readers read them word by word: {suggestion}</source>
        <translation>Écrivez les mots-dièse de plusieurs mots avec des majuscules, pour que les lecteurs d’écran les lisent mot à mot : {suggestion}</translation>
    </message>
    <message>
        <location line="+4" />
        <source>Several emoji in a row are read out one by one: keep one.</source>
        <translation>Plusieurs émojis à la suite sont lus un par un : gardez-en un.</translation>
    </message>
    <message>
        <location line="+2" />
        <source>An emoji in the middle of a sentence interrupts it when read aloud: move it to the end.</source>
        <translation>Un émoji au milieu d’une phrase l’interrompt à la lecture vocale : placez-le à la fin.</translation>
    </message>
    <message>
        <location line="+3" />
        <source>Stylised letters (“{text}”) are spelled out symbol by symbol by screen readers, and are refused: use plain letters ({suggestion}).</source>
        <translation>Les lettres stylisées (« {text} ») sont épelées symbole par symbole par les lecteurs d’écran et sont refusées : utilisez des lettres simples ({suggestion}).</translation>
    </message>
</context>
<context>
    <name>Accessible</name>
    <message>
        <location filename="../../paris_desk/ui/accessible.py" line="+76" />
        <source>Go to this row</source>
        <translation>Aller à cette ligne</translation>
    </message>
    <message>
        <location line="+3" />
        <source>Tick or untick</source>
        <translation>Cocher ou décocher</translation>
    </message>
    <message>
        <location line="+334" />
        <source>Show this tab</source>
        <translation>Afficher cet onglet</translation>
    </message>
</context>
<context>
    <name>AccountDialog</name>
    <message>
        <location filename="../../paris_desk/ui/accounts/dialogs.py" line="+73" />
        <source>Label</source>
        <translation>Libellé</translation>
    </message>
    <message>
        <location line="+1" />
        <source>e.g. City hall, Libraries</source>
        <translation>par ex. Mairie, Bibliothèques</translation>
    </message>
    <message>
        <location line="+5" />
        <source>Status</source>
        <translation>État</translation>
    </message>
    <message>
        <location line="+4" />
        <source>Cancel</source>
        <translation>Annuler</translation>
    </message>
    <message>
        <location line="+6" />
        <source>&amp;Label:</source>
        <translation>&amp;Libellé :</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Co&amp;lour:</source>
        <translation>C&amp;ouleur :</translation>
    </message>
</context>
<context>
    <name>AccountsModel</name>
    <message>
        <location filename="../../paris_desk/ui/accounts/model.py" line="+52" />
        <source>{label}, {handle}, {network} account</source>
        <translation>{label}, {handle}, compte {network}</translation>
    </message>
    <message>
        <location line="+2" />
        <source>{handle}, {network} account</source>
        <translation>{handle}, compte {network}</translation>
    </message>
</context>
<context>
    <name>AccountsPanel</name>
    <message>
        <location filename="../../paris_desk/ui/accounts/panel.py" line="+68" />
        <source>Accounts</source>
        <translation>Comptes</translation>
    </message>
    <message>
        <location line="+30" />
        <source>Add a &amp;Mastodon account…</source>
        <translation>Ajouter un compte &amp;Mastodon…</translation>
    </message>
    <message>
        <location line="+2" />
        <source>Add a &amp;Bluesky account…</source>
        <translation>Ajouter un compte &amp;Bluesky…</translation>
    </message>
    <message>
        <location line="+1" />
        <source>&amp;Rename…</source>
        <translation>&amp;Renommer…</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Change &amp;colour…</source>
        <translation>Changer la &amp;couleur…</translation>
    </message>
    <message>
        <location line="+2" />
        <source>Move &amp;up</source>
        <translation>Mon&amp;ter</translation>
    </message>
    <message>
        <location line="+3" />
        <source>Move &amp;down</source>
        <translation>&amp;Descendre</translation>
    </message>
    <message>
        <location line="+2" />
        <source>Re&amp;connect…</source>
        <translation>Reco&amp;nnecter…</translation>
    </message>
    <message>
        <location line="+2" />
        <source>Re&amp;move…</source>
        <translation>&amp;Supprimer…</translation>
    </message>
    <message>
        <location line="+15" />
        <source>Add</source>
        <translation>Ajouter</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Add an account</source>
        <translation>Ajouter un compte</translation>
    </message>
    <message>
        <location line="+148" />
        <source>Rename {handle}</source>
        <translation>Renommer {handle}</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Label shown for this account:</source>
        <translation>Libellé affiché pour ce compte :</translation>
    </message>
    <message>
        <location line="+12" />
        <source>Colour of {account}</source>
        <translation>Couleur de {account}</translation>
    </message>
    <message>
        <location line="+12" />
        <source>Remove an account</source>
        <translation>Supprimer un compte</translation>
    </message>
    <message>
        <location line="+2" />
        <source>Remove {account} from paris_desk? Its credentials are deleted from the keychain; nothing is deleted on the server.</source>
        <translation>Supprimer {account} de paris_desk ? Ses identifiants sont effacés du trousseau ; rien n'est supprimé sur le serveur.</translation>
    </message>
    <message>
        <location line="+6" />
        <source>Remove</source>
        <translation>Supprimer</translation>
    </message>
</context>
<context>
    <name>ApprovalsView</name>
    <message>
        <location filename="../../paris_desk/ui/approvals.py" line="+95" />
        <source>Approvals</source>
        <translation>Validations</translation>
    </message>
    <message>
        <location line="+8" />
        <location line="+3" />
        <source>Publications awaiting approval</source>
        <translation>Publications en attente de validation</translation>
    </message>
    <message>
        <location line="+2" />
        <source>No publication is awaiting approval.</source>
        <translation>Aucune publication n'attend de validation.</translation>
    </message>
    <message>
        <location line="+5" />
        <source>Publication submitted</source>
        <translation>Publication soumise</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Co&amp;mment for the author:</source>
        <translation>Co&amp;mmentaire pour l'auteur :</translation>
    </message>
    <message>
        <location line="+2" />
        <source>Comment for the author</source>
        <translation>Commentaire pour l'auteur</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Required to reject: what should change?</source>
        <translation>Obligatoire pour refuser : que faut-il changer ?</translation>
    </message>
    <message>
        <location line="+4" />
        <source>Ap&amp;prove</source>
        <translation>&amp;Valider</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Approve the selected publication</source>
        <translation>Valider la publication sélectionnée</translation>
    </message>
    <message>
        <location line="+1" />
        <source>&amp;Reject…</source>
        <translation>&amp;Refuser…</translation>
    </message>
    <message>
        <location line="+2" />
        <source>Reject the selected publication, with the comment</source>
        <translation>Refuser la publication sélectionnée, avec le commentaire</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Only a validateur can approve or reject.</source>
        <translation>Seul un validateur peut valider ou refuser.</translation>
    </message>
    <message>
        <location line="+62" />
        <source>, scheduled for {when}</source>
        <translation>, programmée pour le {when}</translation>
    </message>
    <message>
        <location line="+2" />
        <source>No. {id} by {author}, {when}, to {accounts}{schedule}: “{text}”</source>
        <translation>N° {id} de {author}, {when}, sur {accounts}{schedule} : « {text} »</translation>
    </message>
    <message>
        <location line="+41" />
        <source>Scheduled for {when}.</source>
        <translation>Programmée pour le {when}.</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Published as soon as it is approved.</source>
        <translation>Publiée dès qu'elle sera validée.</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Submitted by {author} on {when}, to {accounts}. {schedule}

{text}</source>
        <translation>Soumise par {author} le {when}, sur {accounts}. {schedule}

{text}</translation>
    </message>
    <message>
        <location line="+24" />
        <source>Say in the comment what should change: its author will read it.</source>
        <translation>Dites dans le commentaire ce qui doit changer : son auteur le lira.</translation>
    </message>
    <message numerus="yes">
        <location line="+14" />
        <source>Publication no. {id} by {author} approved: %n post(s) in the team's outbox.</source>
        <translation>
            <numerusform>Publication n° {id} de {author} validée : %n envoi dans la file d'envoi de l'équipe.</numerusform>
            <numerusform>Publication n° {id} de {author} validée : %n envois dans la file d'envoi de l'équipe.</numerusform>
        </translation>
    </message>
    <message>
        <location line="+8" />
        <source>Publication no. {id} by {author} rejected; its author will see your comment.</source>
        <translation>Publication n° {id} de {author} refusée ; son auteur verra votre commentaire.</translation>
    </message>
    <message>
        <location line="+9" />
        <source>approved</source>
        <translation>validée</translation>
    </message>
    <message>
        <location line="+1" />
        <source>rejected</source>
        <translation>refusée</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Publication no. {id} was already {state} by {who}.</source>
        <translation>La publication n° {id} a déjà été {state} par {who}.</translation>
    </message>
    <message>
        <location line="+3" />
        <source>Nobody approves their own publication: another validateur must decide. Nothing was changed.</source>
        <translation>On ne valide pas sa propre publication : un autre validateur doit décider. Rien n'a été modifié.</translation>
    </message>
    <message>
        <location line="+3" />
        <source>The team's database refused: only a validateur decides. Nothing was changed.</source>
        <translation>Refusé par la base de l'équipe : seul un validateur décide. Rien n'a été modifié.</translation>
    </message>
    <message>
        <location line="+144" />
        <source>A&amp;pprovals</source>
        <translation>&amp;Validations</translation>
    </message>
    <message>
        <location line="+5" />
        <source>A&amp;pprovals ({count})</source>
        <translation>&amp;Validations ({count})</translation>
    </message>
</context>
<context>
    <name>AssignDialog</name>
    <message>
        <location filename="../../paris_desk/ui/inbox/assignment.py" line="+57" />
        <location line="+1" />
        <source>Assign to a colleague</source>
        <translation>Assigner à un collègue</translation>
    </message>
    <message>
        <location line="+2" />
        <source>Colleague</source>
        <translation>Collègue</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Nobody</source>
        <translation>Personne</translation>
    </message>
    <message>
        <location line="+6" />
        <source>&amp;Colleague:</source>
        <translation>&amp;Collègue :</translation>
    </message>
    <message>
        <location line="+5" />
        <source>&amp;Assign</source>
        <translation>&amp;Assigner</translation>
    </message>
</context>
<context>
    <name>BlueskyAccountDialog</name>
    <message>
        <location filename="../../paris_desk/ui/accounts/dialogs.py" line="+248" />
        <source>Reconnect {handle}</source>
        <translation>Reconnecter {handle}</translation>
    </message>
    <message>
        <location line="+2" />
        <source>Add a Bluesky account</source>
        <translation>Ajouter un compte Bluesky</translation>
    </message>
    <message>
        <location line="+3" />
        <source>Identifier</source>
        <translation>Identifiant</translation>
    </message>
    <message>
        <location line="+0" />
        <source>e.g. ville.bsky.social or an e-mail address</source>
        <translation>par ex. ville.bsky.social ou une adresse e-mail</translation>
    </message>
    <message>
        <location line="+2" />
        <source>App password</source>
        <translation>Mot de passe d'application</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Server (PDS), optional</source>
        <translation>Serveur (PDS), facultatif</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Code received by e-mail</source>
        <translation>Code reçu par e-mail</translation>
    </message>
    <message>
        <location line="+1" />
        <source>E-mail &amp;code:</source>
        <translation>&amp;Code reçu par e-mail :</translation>
    </message>
    <message>
        <location line="+6" />
        <source>&amp;Identifier:</source>
        <translation>&amp;Identifiant :</translation>
    </message>
    <message>
        <location line="+1" />
        <source>App &amp;password:</source>
        <translation>Mot de &amp;passe d'application :</translation>
    </message>
    <message>
        <location line="+10" />
        <source>&amp;Server (PDS):</source>
        <translation>&amp;Serveur (PDS) :</translation>
    </message>
    <message>
        <location line="+6" />
        <source>&amp;Sign in</source>
        <translation>Se co&amp;nnecter</translation>
    </message>
    <message>
        <location line="+2" />
        <source>Sign in</source>
        <translation>Se connecter</translation>
    </message>
    <message>
        <location line="+14" />
        <source>Enter the identifier and the app password.</source>
        <translation>Saisissez l'identifiant et le mot de passe d'application.</translation>
    </message>
    <message>
        <location line="+10" />
        <source>Signing in…</source>
        <translation>Connexion en cours…</translation>
    </message>
    <message>
        <location line="-40" />
        <source>&lt;a href="{url}"&gt;Create an app password&lt;/a&gt; in Bluesky's settings (Privacy and security), then paste it here; never the account's main password.</source>
        <translation>&lt;a href="{url}"&gt;Créez un mot de passe d’application&lt;/a&gt; dans les réglages de Bluesky (Confidentialité et sécurité), puis collez-le ici ; jamais le mot de passe principal du compte.</translation>
    </message>
    <message>
        <location line="+6" />
        <source>Create an app password</source>
        <translation>Créer un mot de passe d’application</translation>
    </message>
</context>
<context>
    <name>ChecksPanel</name>
    <message>
        <location filename="../../paris_desk/ui/composer/checks.py" line="+18" />
        <location line="+9" />
        <source>Accessibility and mentions</source>
        <translation>Accessibilité et mentions</translation>
    </message>
    <message>
        <location line="+12" />
        <source>@{handle}: no such Bluesky account, the mention will stay plain text.</source>
        <translation>@{handle} : aucun compte Bluesky à ce nom, la mention restera du texte simple.</translation>
    </message>
    <message>
        <location line="+3" />
        <source>Checking the mentioned accounts…</source>
        <translation>Vérification des comptes mentionnés…</translation>
    </message>
    <message>
        <location line="+17" />
        <source>Fix</source>
        <translation>Corriger</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Fix: {suggestion}</source>
        <translation>Corriger : {suggestion}</translation>
    </message>
</context>
<context>
    <name>ColorButton</name>
    <message>
        <location filename="../../paris_desk/ui/color_button.py" line="+29" />
        <source>Choose…</source>
        <translation>Choisir…</translation>
    </message>
    <message>
        <location line="+1" />
        <location line="+18" />
        <source>Account colour</source>
        <translation>Couleur du compte</translation>
    </message>
</context>
<context>
    <name>ComposerChecks</name>
    <message>
        <location filename="../../paris_desk/ui/composer/checks.py" line="+13" />
        <source>Too long for {networks}: split it into a thread or adapt the text.</source>
        <translation>Trop long pour {networks} : découpez-le en fil ou adaptez le texte.</translation>
    </message>
    <message numerus="yes">
        <location line="+4" />
        <source>Too many images for the checked accounts (at most %n).</source>
        <translation><numerusform>Trop d'images pour les comptes cochés : %n image au maximum.</numerusform><numerusform>Trop d'images pour les comptes cochés : %n images au maximum.</numerusform></translation>
    </message>
    <message>
        <location line="+4" />
        <source>This draft is already being published: follow it below.</source>
        <translation>Ce brouillon est déjà en cours de publication : suivez l’envoi ci-dessous.</translation>
    </message>
</context>
<context>
    <name>ComposerLayout</name>
    <message>
        <location filename="../../paris_desk/ui/composer/layout.py" line="+56" />
        <source>Replying or quoting</source>
        <translation>Réponse ou citation</translation>
    </message>
    <message>
        <location line="+28" />
        <source>Images</source>
        <translation>Images</translation>
    </message>
    <message>
        <location line="+3" />
        <source>Options</source>
        <translation>Options</translation>
    </message>
    <message>
        <location line="+10" />
        <source>Post being written</source>
        <translation>Message en cours de rédaction</translation>
    </message>
</context>
<context>
    <name>ComposerWidget</name>
    <message>
        <location filename="../../paris_desk/ui/composer/widget.py" line="+107" />
        <source>Composer</source>
        <translation>Rédaction</translation>
    </message>
    <message>
        <location line="+43" />
        <location line="+252" />
        <source>Publish</source>
        <translation>Publier</translation>
    </message>
    <message>
        <location line="-251" />
        <source>Publish to the checked accounts</source>
        <translation>Publier sur les comptes cochés</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Publish (Ctrl+Enter)</source>
        <translation>Publier (Ctrl+Entrée)</translation>
    </message>
    <message>
        <location line="+4" />
        <source>Why publishing is not possible yet</source>
        <translation>Pourquoi la publication n’est pas encore possible</translation>
    </message>
    <message>
        <location line="+4" />
        <location line="+175" />
        <source>Cancel the reply</source>
        <translation>Annuler la réponse</translation>
    </message>
    <message>
        <location line="-4" />
        <source>Reply to {handle}: “{text}”</source>
        <translation>En réponse à {handle} : « {text} »</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Quote of {handle}: “{text}”</source>
        <translation>Citation de {handle} : « {text} »</translation>
    </message>
    <message>
        <location line="+4" />
        <source>Cancel the quote</source>
        <translation>Annuler la citation</translation>
    </message>
    <message>
        <location line="+64" />
        <source>Publishing…</source>
        <translation>Publication…</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Submit for approval</source>
        <translation>Soumettre pour validation</translation>
    </message>
    <message>
        <location line="+4" />
        <source>Cannot publish yet: {reason}</source>
        <translation>Publication impossible pour l’instant : {reason}</translation>
    </message>
    <message>
        <location line="+61" />
        <source>Submitted for approval (no. {id}) to {accounts}: a validateur must approve it before it is published.</source>
        <translation>Soumis pour validation (n° {id}) sur {accounts} : un validateur doit l'approuver avant sa publication.</translation>
    </message>
    <message>
        <location filename="../../paris_desk/ui/composer/install.py" line="+28" />
        <source>&amp;Compose</source>
        <translation>&amp;Rédiger</translation>
    </message>
</context>
<context>
    <name>Covers</name>
    <message>
        <location filename="../../paris_desk/ui/timeline/covers.py" line="+41" />
        <source>Show</source>
        <translation>Voir</translation>
    </message>
    <message>
        <location line="+6" />
        <source>Adult content</source>
        <translation>Contenu pour adultes</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Sexual content</source>
        <translation>Contenu sexuel</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Nudity</source>
        <translation>Nudité</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Graphic media</source>
        <translation>Images choquantes</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Gore</source>
        <translation>Contenu sanglant</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Sensitive media</source>
        <translation>Média sensible</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Warning from the moderators</source>
        <translation>Avertissement des modérateurs</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Hidden by the moderators</source>
        <translation>Masqué par les modérateurs</translation>
    </message>
    <message>
        <location line="+169" />
        <source>Hidden posts</source>
        <translation>Messages masqués</translation>
    </message>
    <message>
        <location filename="../../paris_desk/ui/inbox/filtering.py" line="+105" />
        <location filename="../../paris_desk/ui/inbox/model.py" line="+432" />
        <location filename="../../paris_desk/ui/timeline/covers.py" line="-114" />
        <source>Filtered: {word}</source>
        <translation>Filtré : {word}</translation>
    </message>
    <message>
        <location line="-57" />
        <location filename="../../paris_desk/ui/timeline/covers.py" line="+154" />
        <source>Hide the filtered posts again</source>
        <translation>Masquer à nouveau les messages filtrés</translation>
    </message>
    <message numerus="yes">
        <location line="+2" />
        <location line="+30" />
        <location filename="../../paris_desk/ui/timeline/covers.py" line="+2" />
        <source>%n hidden</source>
        <translation><numerusform>%n masqué</numerusform><numerusform>%n masqués</numerusform></translation>
    </message>
</context>
<context>
    <name>Diagnostics</name>
    <message>
        <location filename="../../paris_desk/ui/shell/diagnostics.py" line="+151" />
        <source>The diagnostics were copied to the clipboard: paste them into your message to the support team.</source>
        <translation>Le diagnostic a été copié dans le presse-papiers : collez-le dans votre message à l'équipe d'assistance.</translation>
    </message>
</context>
<context>
    <name>DraftsPanel</name>
    <message>
        <location filename="../../paris_desk/ui/composer/drafts.py" line="+106" />
        <location line="+1" />
        <source>Drafts</source>
        <translation>Brouillons</translation>
    </message>
    <message>
        <location line="+2" />
        <source>Saved drafts</source>
        <translation>Brouillons enregistrés</translation>
    </message>
    <message>
        <location line="+4" />
        <location line="+1" />
        <source>New draft</source>
        <translation>Nouveau brouillon</translation>
    </message>
    <message>
        <location line="+2" />
        <source>Open</source>
        <translation>Ouvrir</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Open the selected draft</source>
        <translation>Ouvrir le brouillon sélectionné</translation>
    </message>
    <message>
        <location line="+2" />
        <source>Delete</source>
        <translation>Supprimer</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Delete the selected draft</source>
        <translation>Supprimer le brouillon sélectionné</translation>
    </message>
    <message>
        <location line="+37" />
        <source>(empty)</source>
        <translation>(vide)</translation>
    </message>
    <message>
        <location line="+7" />
        <source>{text}
{when}</source>
        <translation>{text}
{when}</translation>
    </message>
    <message>
        <location line="+2" />
        <source>being published</source>
        <translation>en cours de publication</translation>
    </message>
    <message>
        <location line="+2" />
        <source>open</source>
        <translation>ouvert</translation>
    </message>
</context>
<context>
    <name>EditorPanel</name>
    <message>
        <location filename="../../paris_desk/ui/composer/editor.py" line="+43" />
        <source>Text of the post</source>
        <translation>Texte du message</translation>
    </message>
    <message>
        <location line="+1" />
        <source>What does the city want to say?</source>
        <translation>Que veut dire la Ville ?</translation>
    </message>
    <message>
        <location line="+2" />
        <source>Text and per-network variants</source>
        <translation>Texte et variantes par réseau</translation>
    </message>
    <message>
        <location line="+7" />
        <source>Common text</source>
        <translation>Texte commun</translation>
    </message>
    <message>
        <location line="+12" />
        <source>Split into a thread</source>
        <translation>Découper en fil</translation>
    </message>
    <message>
        <location line="+2" />
        <source>Split into a numbered thread</source>
        <translation>Découper en fil numéroté</translation>
    </message>
    <message>
        <location line="+13" />
        <location line="+5" />
        <source>Preview of the thread</source>
        <translation>Aperçu du fil</translation>
    </message>
    <message>
        <location line="+24" />
        <source>Adapt for Bluesky</source>
        <translation>Adapter pour Bluesky</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Adapt for Mastodon</source>
        <translation>Adapter pour Mastodon</translation>
    </message>
    <message>
        <location line="+34" />
        <source>Text for {network}</source>
        <translation>Texte pour {network}</translation>
    </message>
    <message>
        <location line="+3" />
        <source>For {network}</source>
        <translation>Pour {network}</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Only {network} publishes this text</source>
        <translation>Seul {network} publie ce texte</translation>
    </message>
    <message>
        <location line="+4" />
        <source>Remove the variant for {network}</source>
        <translation>Supprimer la variante pour {network}</translation>
    </message>
    <message>
        <location line="+42" />
        <source>Length for {network}</source>
        <translation>Longueur pour {network}</translation>
    </message>
    <message>
        <location line="+23" />
        <source>{n} / {limit} — {network}, too many bytes ({bytes} / {max})</source>
        <translation>{n} / {limit} — {network}, trop d’octets ({bytes} / {max})</translation>
    </message>
    <message>
        <location line="+4" />
        <source>{n} / {limit} — {network}, thread of {parts}</source>
        <translation>{n} / {limit} — {network}, fil de {parts}</translation>
    </message>
    <message>
        <location line="+2" />
        <source>{n} / {limit} — {network}</source>
        <translation>{n} / {limit} — {network}</translation>
    </message>
    <message>
        <location line="+14" />
        <source>{network} · {n} characters
{text}</source>
        <translation>{network} · {n} caractères
{text}</translation>
    </message>
</context>
<context>
    <name>EmptyState</name>
    <message>
        <location filename="../../paris_desk/ui/shell/empty_state.py" line="+27" />
        <source>Welcome</source>
        <translation>Bienvenue</translation>
    </message>
    <message>
        <location line="+1" />
        <source>&lt;h2&gt;No account yet&lt;/h2&gt;</source>
        <translation>&lt;h2&gt;Aucun compte pour l’instant&lt;/h2&gt;</translation>
    </message>
    <message>
        <location line="+3" />
        <source>paris_desk shows the timelines and notifications of the city's Mastodon and Bluesky accounts in one window, and publishes to all of them at once. Add an account to begin; its password or token is kept in the system keychain.</source>
        <translation>paris_desk affiche dans une seule fenêtre les fils et les notifications des comptes Mastodon et Bluesky de la ville, et publie sur tous à la fois. Ajoutez un compte pour commencer ; son mot de passe ou son jeton est gardé dans le trousseau du système.</translation>
    </message>
    <message>
        <location line="+8" />
        <source>Go back to the &amp;sandbox (sample data)</source>
        <translation>Revenir au &amp;bac à sable (données fictives)</translation>
    </message>
</context>
<context>
    <name>ErrorBanners</name>
    <message>
        <location filename="../../paris_desk/ui/timeline/column.py" line="+98" />
        <source>Account error</source>
        <translation>Erreur du compte</translation>
    </message>
    <message>
        <location line="+2" />
        <location line="+1" />
        <source>Retry</source>
        <translation>Réessayer</translation>
    </message>
    <message>
        <location line="+4" />
        <source>Close the message</source>
        <translation>Fermer le message</translation>
    </message>
</context>
<context>
    <name>FiltersDialog</name>
    <message>
        <location filename="../../paris_desk/ui/filters/dialog.py" line="+50" />
        <location line="+6" />
        <source>Filters</source>
        <translation>Filtres</translation>
    </message>
    <message>
        <location line="+2" />
        <source>Word</source>
        <translation>Mot</translation>
    </message>
    <message>
        <location line="+0" />
        <source>Action</source>
        <translation>Effet</translation>
    </message>
    <message>
        <location line="+0" />
        <source>Accounts</source>
        <translation>Comptes</translation>
    </message>
    <message>
        <location line="+1" />
        <source>On the servers</source>
        <translation>Sur les serveurs</translation>
    </message>
    <message>
        <location line="+4" />
        <source>Word or expression</source>
        <translation>Mot ou expression</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Word or expression to filter</source>
        <translation>Mot ou expression à filtrer</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Regular e&amp;xpression</source>
        <translation>E&amp;xpression régulière</translation>
    </message>
    <message>
        <location line="+2" />
        <source>What the filter does</source>
        <translation>Ce que fait le filtre</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Collapse (Filtered: word)</source>
        <translation>Replier (Filtré : mot)</translation>
    </message>
    <message>
        <location line="+1" />
        <location line="+100" />
        <source>Hide</source>
        <translation>Masquer</translation>
    </message>
    <message>
        <location line="-98" />
        <source>For which accounts</source>
        <translation>Pour quels comptes</translation>
    </message>
    <message>
        <location line="+1" />
        <source>&amp;Add</source>
        <translation>&amp;Ajouter</translation>
    </message>
    <message>
        <location line="+3" />
        <source>&amp;Remove</source>
        <translation>&amp;Retirer</translation>
    </message>
    <message>
        <location line="+24" />
        <source>Syncing with the servers…</source>
        <translation>Synchronisation avec les serveurs…</translation>
    </message>
    <message>
        <location line="+58" />
        <source>Invalid regular expression: {detail}</source>
        <translation>Expression régulière invalide : {detail}</translation>
    </message>
    <message>
        <location line="+3" />
        <source>Type a word or an expression to filter.</source>
        <translation>Saisissez un mot ou une expression à filtrer.</translation>
    </message>
    <message>
        <location line="+2" />
        <source>The filter is too long (200 characters at most).</source>
        <translation>Le filtre est trop long (200 caractères au plus).</translation>
    </message>
    <message>
        <location line="+7" />
        <source>Collapse</source>
        <translation>Replier</translation>
    </message>
    <message>
        <location line="+2" />
        <location line="+17" />
        <source>All accounts</source>
        <translation>Tous les comptes</translation>
    </message>
    <message>
        <location line="-8" />
        <source>yes</source>
        <translation>oui</translation>
    </message>
    <message>
        <location line="+2" />
        <source>not yet</source>
        <translation>pas encore</translation>
    </message>
    <message>
        <location line="+1" />
        <source>not possible</source>
        <translation>impossible</translation>
    </message>
    <message>
        <location line="+19" />
        <source>&amp;Filters…</source>
        <translation>&amp;Filtres…</translation>
    </message>
</context>
<context>
    <name>ImageRow</name>
    <message>
        <location filename="../../paris_desk/ui/composer/media.py" line="+52" />
        <source>Loading…</source>
        <translation>Chargement…</translation>
    </message>
    <message>
        <location line="+3" />
        <source>Thumbnail of {name}</source>
        <translation>Vignette de {name}</translation>
    </message>
    <message>
        <location line="+3" />
        <source>Describe the image: who, what, where, text in it…</source>
        <translation>Décrivez l’image : qui, quoi, où, le texte qu’elle contient…</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Alt text of {name}</source>
        <translation>Texte alternatif de {name}</translation>
    </message>
    <message>
        <location line="+6" />
        <source>Checks of the alt text of {name}</source>
        <translation>Vérifications du texte alternatif de {name}</translation>
    </message>
    <message>
        <location line="+2" />
        <source>Remove</source>
        <translation>Retirer</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Remove the image {name}</source>
        <translation>Retirer l’image {name}</translation>
    </message>
    <message>
        <location line="+20" />
        <source>Unreadable</source>
        <translation>Illisible</translation>
    </message>
</context>
<context>
    <name>ImageViewer</name>
    <message>
        <location filename="../../paris_desk/ui/timeline/image_viewer.py" line="+42" />
        <source>Image description</source>
        <translation>Description de l’image</translation>
    </message>
    <message>
        <location line="+1" />
        <source>◀ &amp;Previous</source>
        <translation>◀ &amp;Précédente</translation>
    </message>
    <message>
        <location line="+1" />
        <source>&amp;Next ▶</source>
        <translation>&amp;Suivante ▶</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Open in the &amp;browser</source>
        <translation>Ouvrir dans le &amp;navigateur</translation>
    </message>
    <message>
        <location line="+32" />
        <source>Image {n} of {count} — {author}</source>
        <translation>Image {n} sur {count} — {author}</translation>
    </message>
    <message>
        <location line="+4" />
        <source>No description (alt text) was given for this image.</source>
        <translation>Aucune description (texte alternatif) n’a été donnée pour cette image.</translation>
    </message>
    <message>
        <location line="+9" />
        <source>Loading the image…</source>
        <translation>Chargement de l’image…</translation>
    </message>
</context>
<context>
    <name>InboxAssignment</name>
    <message>
        <location filename="../../paris_desk/ui/inbox/assignment.py" line="+23" />
        <location line="+44" />
        <source>Assign to…</source>
        <translation>Assigner à…</translation>
    </message>
    <message>
        <location line="-41" />
        <location line="+13" />
        <location line="+1" />
        <source>Assign to a colleague (A)</source>
        <translation>Assigner à un collègue (A)</translation>
    </message>
    <message>
        <location line="-10" />
        <source>Assigned to &amp;me</source>
        <translation>Assignés à &amp;moi</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Assigned to me only</source>
        <translation>Seulement ceux qui me sont assignés</translation>
    </message>
    <message>
        <location line="+5" />
        <source>Team</source>
        <translation>Équipe</translation>
    </message>
    <message>
        <location line="+2" />
        <source>Assign…</source>
        <translation>Assigner…</translation>
    </message>
    <message>
        <location line="+60" />
        <source>Assigned to {name}.</source>
        <translation>Assigné à {name}.</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Assigned to nobody.</source>
        <translation>Assigné à personne.</translation>
    </message>
    <message>
        <location line="+17" />
        <source>{name} is not a member of the team.</source>
        <translation>{name} n'est pas membre de l'équipe.</translation>
    </message>
</context>
<context>
    <name>InboxDelegate</name>
    <message>
        <location filename="../../paris_desk/ui/inbox/delegate.py" line="+149" />
        <source>To handle</source>
        <translation>À traiter</translation>
    </message>
    <message>
        <location line="+2" />
        <source>Answered</source>
        <translation>Répondu</translation>
    </message>
    <message>
        <location line="+2" />
        <source>Dismissed</source>
        <translation>Classé</translation>
    </message>
</context>
<context>
    <name>InboxDetail</name>
    <message>
        <location filename="../../paris_desk/ui/inbox/detail.py" line="+62" />
        <source>Conversation</source>
        <translation>Conversation</translation>
    </message>
    <message>
        <location line="+3" />
        <source>Selected notification</source>
        <translation>Notification sélectionnée</translation>
    </message>
    <message>
        <location line="+3" />
        <source>Conversation thread</source>
        <translation>Fil de la conversation</translation>
    </message>
    <message>
        <location line="+4" />
        <source>Thread status</source>
        <translation>État du fil</translation>
    </message>
    <message>
        <location line="+2" />
        <source>&amp;Reply</source>
        <translation>&amp;Répondre</translation>
    </message>
    <message>
        <location line="+0" />
        <source>Reply (R)</source>
        <translation>Répondre (R)</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Compose…</source>
        <translation>Rédacteur…</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Reply in the composer (media, long text)</source>
        <translation>Répondre dans le rédacteur (médias, texte long)</translation>
    </message>
    <message>
        <location line="+2" />
        <source>Like</source>
        <translation>J'aime</translation>
    </message>
    <message>
        <location line="+0" />
        <source>Like this post</source>
        <translation>Aimer ce post</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Share</source>
        <translation>Partager</translation>
    </message>
    <message>
        <location line="+0" />
        <source>Share this post</source>
        <translation>Partager ce post</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Open</source>
        <translation>Ouvrir</translation>
    </message>
    <message>
        <location line="+0" />
        <source>Open in the browser</source>
        <translation>Ouvrir dans le navigateur</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Handled</source>
        <translation>Traité</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Mark as handled (E)</source>
        <translation>Marquer comme traité (E)</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Unread</source>
        <translation>Non lu</translation>
    </message>
    <message>
        <location line="+0" />
        <source>Keep unread (U)</source>
        <translation>Garder non lu (U)</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Mute…</source>
        <translation>Masquer…</translation>
    </message>
    <message>
        <location line="+0" />
        <source>Mute the author</source>
        <translation>Masquer l'auteur</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Block…</source>
        <translation>Bloquer…</translation>
    </message>
    <message>
        <location line="+0" />
        <source>Block the author</source>
        <translation>Bloquer l'auteur</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Report…</source>
        <translation>Signaler…</translation>
    </message>
    <message>
        <location line="+0" />
        <source>Report the post</source>
        <translation>Signaler le post</translation>
    </message>
    <message>
        <location line="+3" />
        <source>Reply as</source>
        <translation>Répondre en tant que</translation>
    </message>
    <message>
        <location line="+2" />
        <source>Reply text</source>
        <translation>Texte de la réponse</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Your reply…</source>
        <translation>Votre réponse…</translation>
    </message>
    <message>
        <location line="+4" />
        <source>&amp;Send</source>
        <translation>&amp;Envoyer</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Send the reply</source>
        <translation>Envoyer la réponse</translation>
    </message>
    <message>
        <location line="+7" />
        <source>Reply status</source>
        <translation>État de la réponse</translation>
    </message>
    <message>
        <location line="+43" />
        <source>Select a notification to see its conversation.</source>
        <translation>Sélectionnez une notification pour voir sa conversation.</translation>
    </message>
    <message>
        <location line="+12" />
        <source>Reply as {account}</source>
        <translation>Répondre en tant que {account}</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Reply</source>
        <translation>Répondre</translation>
    </message>
    <message numerus="yes">
        <location line="+14" />
        <source>%n message(s) in the conversation.</source>
        <translation>
            <numerusform>%n post dans la conversation.</numerusform>
            <numerusform>%n posts dans la conversation.</numerusform>
        </translation>
    </message>
    <message>
        <location line="+19" />
        <source>Sending…</source>
        <translation>Envoi…</translation>
    </message>
</context>
<context>
    <name>InboxModel</name>
    <message>
        <location filename="../../paris_desk/ui/inbox/model.py" line="-310" />
        <source>Unread.</source>
        <translation>Non lu.</translation>
    </message>
    <message>
        <location line="+2" />
        <source>To handle.</source>
        <translation>À traiter.</translation>
    </message>
    <message>
        <location line="+2" />
        <source>Answered.</source>
        <translation>Répondu.</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Dismissed.</source>
        <translation>Classé.</translation>
    </message>
    <message>
        <location line="+12" />
        <source>Assigned to {name}</source>
        <translation>Assigné à {name}</translation>
    </message>
    <message>
        <location line="+7" />
        <source>Handled by {name} at {time}</source>
        <translation>Traité par {name} à {time}</translation>
    </message>
    <message>
        <location line="+4" />
        <source>Handled by {name} on {date}</source>
        <translation>Traité par {name} le {date}</translation>
    </message>
    <message>
        <location line="+8" />
        <source>{summary}, for {account}, {time}.</source>
        <translation>{summary}, pour {account}, {time}.</translation>
    </message>
</context>
<context>
    <name>InboxTray</name>
    <message>
        <location filename="../../paris_desk/ui/shell/tray.py" line="+60" />
        <source>Desktop notifications</source>
        <translation>Notifications de bureau</translation>
    </message>
    <message>
        <location line="+21" />
        <source>Notification area menu</source>
        <translation>Menu de la zone de notification</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Open the inbox</source>
        <translation>Ouvrir la boîte de réception</translation>
    </message>
    <message>
        <location line="+17" />
        <source>paris_desk: {unread} unread, {todo} to handle</source>
        <translation>paris_desk : {unread} non lus, {todo} à traiter</translation>
    </message>
    <message numerus="yes">
        <location line="+57" />
        <source>%n new message(s) to handle</source>
        <translation>
            <numerusform>%n nouveau message à traiter</numerusform>
            <numerusform>%n nouveaux messages à traiter</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>InboxView</name>
    <message>
        <location filename="../../paris_desk/ui/inbox/view.py" line="+81" />
        <source>Inbox</source>
        <translation>Boîte de réception</translation>
    </message>
    <message>
        <location line="+27" />
        <source>Notifications</source>
        <translation>Notifications</translation>
    </message>
    <message>
        <location line="+26" />
        <source>Filter by account</source>
        <translation>Filtrer par compte</translation>
    </message>
    <message>
        <location line="+11" />
        <source>Filter by kind</source>
        <translation>Filtrer par type</translation>
    </message>
    <message>
        <location line="+2" />
        <source>All kinds</source>
        <translation>Tous les types</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Mentions, replies and quotes</source>
        <translation>Mentions, réponses et citations</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Likes</source>
        <translation>J'aime</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Shares</source>
        <translation>Partages</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Follows</source>
        <translation>Abonnements</translation>
    </message>
    <message>
        <location line="+6" />
        <source>&amp;Unread only</source>
        <translation>&amp;Non lus seulement</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Unread only</source>
        <translation>Non lus seulement</translation>
    </message>
    <message>
        <location line="+3" />
        <source>&amp;To handle</source>
        <translation>À &amp;traiter</translation>
    </message>
    <message>
        <location line="+1" />
        <source>To handle only</source>
        <translation>À traiter seulement</translation>
    </message>
    <message>
        <location line="+4" />
        <location line="+1" />
        <source>Mark all as read</source>
        <translation>Tout marquer comme lu</translation>
    </message>
    <message>
        <location line="+2" />
        <source>Mark as read every notification of the accounts shown, here and on the servers</source>
        <translation>Marquer comme lues toutes les notifications des comptes affichés, ici et sur les serveurs</translation>
    </message>
    <message>
        <location line="+3" />
        <source>Refresh</source>
        <translation>Actualiser</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Refresh the inbox</source>
        <translation>Actualiser la boîte de réception</translation>
    </message>
    <message>
        <location line="+4" />
        <source>Inbox counts</source>
        <translation>Compteurs de la boîte de réception</translation>
    </message>
    <message>
        <location line="+1" />
        <source>&amp;Account:</source>
        <translation>&amp;Compte :</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Account:</source>
        <translation>Compte :</translation>
    </message>
    <message>
        <location line="+2" />
        <source>&amp;Kind:</source>
        <translation>T&amp;ype :</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Kind:</source>
        <translation>Type :</translation>
    </message>
    <message>
        <location line="+101" />
        <source>All accounts</source>
        <translation>Tous les comptes</translation>
    </message>
    <message>
        <location filename="../../paris_desk/ui/inbox/replying.py" line="+107" />
        <source>Reply to send as {account}: kept in the outbox, it will be sent as soon as possible.</source>
        <translation>Réponse à envoyer en tant que {account} : elle est gardée dans la file d’envoi et partira dès que possible.</translation>
    </message>
    <message>
        <location filename="../../paris_desk/ui/inbox/keyboard.py" line="+99" />
        <source>Show the conversation</source>
        <translation>Afficher la conversation</translation>
    </message>
    <message>
        <location line="+3" />
        <source>Reply</source>
        <translation>Répondre</translation>
    </message>
    <message>
        <location line="+2" />
        <source>Open in the browser</source>
        <translation>Ouvrir dans le navigateur</translation>
    </message>
    <message>
        <location line="+3" />
        <source>Not handled</source>
        <translation>Non traité</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Handled</source>
        <translation>Traité</translation>
    </message>
    <message>
        <location line="+2" />
        <source>Mark as read</source>
        <translation>Marquer comme lu</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Keep unread</source>
        <translation>Garder non lu</translation>
    </message>
    <message>
        <location filename="../../paris_desk/ui/accounts/model.py" line="-16" />
        <location filename="../../paris_desk/ui/inbox/reading.py" line="+117" />
        <source>{unread} unread · {todo} to handle</source>
        <translation>{unread} non lus · {todo} à traiter</translation>
    </message>
    <message>
        <location filename="../../paris_desk/ui/inbox/view.py" line="+63" />
        <source>{summary} — for {account}</source>
        <translation>{summary} — pour {account}</translation>
    </message>
    <message>
        <location line="+32" />
        <source>Loading the conversation…</source>
        <translation>Chargement de la conversation…</translation>
    </message>
    <message>
        <location filename="../../paris_desk/ui/inbox/replying.py" line="-9" />
        <source>Reply sent as {account}.</source>
        <translation>Réponse envoyée en tant que {account}.</translation>
    </message>
    <message>
        <location filename="../../paris_desk/ui/inbox/moderation.py" line="+63" />
        <source>Mute</source>
        <translation>Masquer</translation>
    </message>
    <message>
        <location line="-2" />
        <source>Mute {author} for {account}? Their posts and notifications will no longer show for this account.</source>
        <translation>Masquer {author} pour {account} ? Ses posts et notifications n'apparaîtront plus pour ce compte.</translation>
    </message>
    <message>
        <location line="+6" />
        <source>Block</source>
        <translation>Bloquer</translation>
    </message>
    <message>
        <location line="-2" />
        <source>Block {author} for {account}? They will no longer see nor answer this account's posts.</source>
        <translation>Bloquer {author} pour {account} ? Cette personne ne pourra plus voir ni répondre aux posts de ce compte.</translation>
    </message>
    <message>
        <location line="+12" />
        <source>{author} is muted for {account}.</source>
        <translation>{author} est masqué pour {account}.</translation>
    </message>
    <message>
        <location line="+1" />
        <source>{author} is blocked for {account}.</source>
        <translation>{author} est bloqué pour {account}.</translation>
    </message>
    <message>
        <location line="+1" />
        <source>{author} is no longer muted for {account}.</source>
        <translation>{author} n'est plus masqué pour {account}.</translation>
    </message>
    <message>
        <location line="+2" />
        <source>{author} is no longer blocked for {account}.</source>
        <translation>{author} n'est plus bloqué pour {account}.</translation>
    </message>
    <message>
        <location line="+22" />
        <source>Report sent to the moderators of {account}'s server.</source>
        <translation>Signalement envoyé à la modération du serveur de {account}.</translation>
    </message>
    <message>
        <location filename="../../paris_desk/ui/inbox/install.py" line="+36" />
        <source>{title} — {unread} unread, {todo} to handle</source>
        <translation>{title} — {unread} non lus, {todo} à traiter</translation>
    </message>
    <message>
        <location line="+14" />
        <source>&amp;Inbox</source>
        <translation>&amp;Boîte de réception</translation>
    </message>
    <message>
        <location filename="../../paris_desk/ui/inbox/reacting.py" line="+106" />
        <source>This link cannot be opened: {url}</source>
        <translation>Ce lien ne peut pas être ouvert : {url}</translation>
    </message>
    <message>
        <location line="+4" />
        <source>No browser could open the link. It is copied: paste it in a browser. ({url})</source>
        <translation>Aucun navigateur n’a pu ouvrir le lien. Il est copié : collez-le dans un navigateur. ({url})</translation>
    </message>
</context>
<context>
    <name>InboxWords</name>
    <message numerus="yes">
        <location filename="../../paris_desk/ui/inbox/model.py" line="-80" />
        <source>{name} and %n other(s) liked your post</source>
        <translation>
            <numerusform>{name} et %n autre personne ont aimé votre post</numerusform>
            <numerusform>{name} et %n autres ont aimé votre post</numerusform>
        </translation>
    </message>
    <message>
        <location line="+2" />
        <source>{name} liked your post</source>
        <translation>{name} a aimé votre post</translation>
    </message>
    <message numerus="yes">
        <location line="+3" />
        <source>{name} and %n other(s) shared your post</source>
        <translation>
            <numerusform>{name} et %n autre personne ont partagé votre post</numerusform>
            <numerusform>{name} et %n autres ont partagé votre post</numerusform>
        </translation>
    </message>
    <message>
        <location line="+2" />
        <source>{name} shared your post</source>
        <translation>{name} a partagé votre post</translation>
    </message>
    <message numerus="yes">
        <location line="+3" />
        <source>{name} and %n other(s) followed you</source>
        <translation>
            <numerusform>{name} et %n autre personne vous suivent</numerusform>
            <numerusform>{name} et %n autres vous suivent</numerusform>
        </translation>
    </message>
    <message>
        <location line="+2" />
        <source>{name} followed you</source>
        <translation>{name} vous suit</translation>
    </message>
    <message>
        <location line="+2" />
        <source>{name} mentioned you</source>
        <translation>{name} vous a mentionné</translation>
    </message>
    <message>
        <location line="+1" />
        <source>{name} replied to you</source>
        <translation>{name} vous a répondu</translation>
    </message>
    <message>
        <location line="+1" />
        <source>{name} quoted your post</source>
        <translation>{name} a cité votre post</translation>
    </message>
    <message>
        <location line="+2" />
        <source>{name}: other activity</source>
        <translation>{name} : autre activité</translation>
    </message>
</context>
<context>
    <name>LanguageSwitch</name>
    <message>
        <location filename="../../paris_desk/ui/shell/language.py" line="+31" />
        <source>The interface will be in {language} once paris_desk restarts.</source>
        <translation>L’interface sera en {language} au prochain démarrage de paris_desk.</translation>
    </message>
    <message>
        <location line="+33" />
        <source>Interface language</source>
        <translation>Langue de l’interface</translation>
    </message>
    <message>
        <location line="+4" />
        <source>&amp;Restart now</source>
        <translation>&amp;Redémarrer maintenant</translation>
    </message>
    <message>
        <location line="+2" />
        <source>&amp;Later</source>
        <translation>&amp;Plus tard</translation>
    </message>
</context>
<context>
    <name>LinkCardPreview</name>
    <message>
        <location filename="../../paris_desk/ui/composer/card.py" line="+28" />
        <source>Link card preview for Bluesky</source>
        <translation>Aperçu de la carte de lien pour Bluesky</translation>
    </message>
    <message>
        <location line="+4" />
        <source>Image of the link card</source>
        <translation>Image de la carte de lien</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Link card (Bluesky)</source>
        <translation>Carte de lien (Bluesky)</translation>
    </message>
    <message>
        <location line="+5" />
        <source>Title of the link card</source>
        <translation>Titre de la carte de lien</translation>
    </message>
    <message>
        <location line="+3" />
        <source>Description of the link card</source>
        <translation>Description de la carte de lien</translation>
    </message>
    <message>
        <location line="+2" />
        <source>Site of the link card</source>
        <translation>Site de la carte de lien</translation>
    </message>
    <message>
        <location line="+3" />
        <source>Remove the card</source>
        <translation>Retirer l’aperçu</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Remove the link card</source>
        <translation>Retirer la carte de lien</translation>
    </message>
    <message>
        <location line="+23" />
        <source>Loading the preview…</source>
        <translation>Chargement de l’aperçu…</translation>
    </message>
    <message>
        <location line="+9" />
        <source>The images replace this card on Bluesky.</source>
        <translation>Sur Bluesky, les images remplacent cette carte.</translation>
    </message>
</context>
<context>
    <name>Links</name>
    <message>
        <location filename="../../paris_desk/ui/links.py" line="+23" />
        <source>This link cannot be opened: {url}</source>
        <translation>Ce lien ne peut pas être ouvert : {url}</translation>
    </message>
    <message>
        <location line="+6" />
        <source>No browser could open the link. It is copied: paste it in a browser. ({url})</source>
        <translation>Aucun navigateur n’a pu ouvrir le lien. Il est copié : collez-le dans un navigateur. ({url})</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <location filename="../../paris_desk/ui/shell/main_window.py" line="+95" />
        <source>paris_desk — sandbox</source>
        <translation>paris_desk — bac à sable</translation>
    </message>
    <message>
        <location line="+9" />
        <location line="+2" />
        <source>Accounts</source>
        <translation>Comptes</translation>
    </message>
    <message>
        <location line="+11" />
        <source>Views</source>
        <translation>Vues</translation>
    </message>
    <message>
        <location line="+12" />
        <source>&amp;Welcome</source>
        <translation>&amp;Bienvenue</translation>
    </message>
    <message>
        <location line="+2" />
        <source>Status bar</source>
        <translation>Barre d'état</translation>
    </message>
    <message>
        <location line="+12" />
        <source>Sandbox mode: sample data</source>
        <translation>Mode bac à sable : données fictives</translation>
    </message>
    <message>
        <location line="+3" />
        <source>Sandbox mode: sample data. No account is configured yet: add one from the Accounts menu.</source>
        <translation>Mode bac à sable : données fictives. Aucun compte n'est encore configuré : ajoutez-en un depuis le menu Comptes.</translation>
    </message>
    <message>
        <location line="+6" />
        <source>Sandbox mode</source>
        <translation>Mode bac à sable</translation>
    </message>
    <message>
        <location line="+17" />
        <source>&amp;File</source>
        <translation>&amp;Fichier</translation>
    </message>
    <message>
        <location line="+3" />
        <source>&amp;Preferences…</source>
        <translation>&amp;Préférences…</translation>
    </message>
    <message>
        <location line="+7" />
        <source>&amp;Quit</source>
        <translation>&amp;Quitter</translation>
    </message>
    <message>
        <location line="+6" />
        <source>&amp;Accounts</source>
        <translation>&amp;Comptes</translation>
    </message>
    <message>
        <location line="+6" />
        <source>&amp;View</source>
        <translation>&amp;Affichage</translation>
    </message>
    <message>
        <location line="+5" />
        <source>Accounts &amp;panel</source>
        <translation>&amp;Panneau des comptes</translation>
    </message>
    <message>
        <location line="+5" />
        <source>&amp;Help</source>
        <translation>Aid&amp;e</translation>
    </message>
    <message>
        <location line="+2" />
        <source>&amp;Keyboard shortcuts</source>
        <translation>&amp;Raccourcis clavier</translation>
    </message>
    <message>
        <location line="+4" />
        <source>&amp;Copy the diagnostics</source>
        <translation>&amp;Copier le diagnostic</translation>
    </message>
    <message>
        <location line="+3" />
        <source>&amp;About paris_desk</source>
        <translation>À &amp;propos de paris_desk</translation>
    </message>
    <message>
        <location line="+34" />
        <source>&amp;Language</source>
        <translation>&amp;Langue</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Language</source>
        <translation>Langue</translation>
    </message>
    <message numerus="yes">
        <location line="+67" />
        <source>%n account(s)</source>
        <translation>
            <numerusform>%n compte</numerusform>
            <numerusform>%n comptes</numerusform>
        </translation>
    </message>
    <message>
        <location line="+12" />
        <source>{account} was added. Restart paris_desk to leave the sandbox and use your accounts.</source>
        <translation>{account} a été ajouté. Redémarrez paris_desk pour quitter le bac à sable et utiliser vos comptes.</translation>
    </message>
    <message>
        <location line="+34" />
        <source>About paris_desk</source>
        <translation>À propos de paris_desk</translation>
    </message>
    <message>
        <location line="+2" />
        <source>&lt;h3&gt;paris_desk {version}&lt;/h3&gt;&lt;p&gt;One workstation for the city's communications team on Mastodon and Bluesky.&lt;/p&gt;</source>
        <translation>&lt;h3&gt;paris_desk {version}&lt;/h3&gt;&lt;p&gt;Un seul poste de travail pour l'équipe de communication de la Ville sur Mastodon et Bluesky.&lt;/p&gt;</translation>
    </message>
    <message>
        <location line="-195" />
        <source>The sandbox could not be started: run paris_desk --sandbox.</source>
        <translation>Le bac à sable n’a pas pu démarrer : lancez paris_desk --sandbox.</translation>
    </message>
    <message>
        <location line="+152" />
        <source>Sandbox mode: sample data. Your account {account} is saved: restart paris_desk to leave the sandbox and use it.</source>
        <translation>Mode bac à sable : données fictives. Votre compte {account} est enregistré : redémarrez paris_desk pour quitter le bac à sable et l’utiliser.</translation>
    </message>
</context>
<context>
    <name>MastodonAccountDialog</name>
    <message>
        <location filename="../../paris_desk/ui/accounts/dialogs.py" line="-180" />
        <source>Reconnect {handle}</source>
        <translation>Reconnecter {handle}</translation>
    </message>
    <message>
        <location line="+2" />
        <source>Add a Mastodon account</source>
        <translation>Ajouter un compte Mastodon</translation>
    </message>
    <message>
        <location line="+2" />
        <source>Instance</source>
        <translation>Instance</translation>
    </message>
    <message>
        <location line="+0" />
        <source>e.g. mastodon.social</source>
        <translation>par ex. mastodon.social</translation>
    </message>
    <message>
        <location line="+4" />
        <source>&amp;Instance:</source>
        <translation>&amp;Instance :</translation>
    </message>
    <message>
        <location line="+3" />
        <location line="+1" />
        <source>Sign-in method</source>
        <translation>Méthode de connexion</translation>
    </message>
    <message>
        <location line="+1" />
        <source>&amp;Browser</source>
        <translation>Navi&amp;gateur</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Access &amp;token</source>
        <translation>&amp;Jeton d'accès</translation>
    </message>
    <message>
        <location line="+7" />
        <source>paris_desk opens your instance's authorisation page in the browser.</source>
        <translation>paris_desk ouvre la page d'autorisation de votre instance dans le navigateur.</translation>
    </message>
    <message>
        <location line="+3" />
        <source>Sign in with the &amp;browser</source>
        <translation>Se connecter avec le &amp;navigateur</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Sign in with the browser</source>
        <translation>Se connecter avec le navigateur</translation>
    </message>
    <message>
        <location line="+2" />
        <source>Authorisation code</source>
        <translation>Code d'autorisation</translation>
    </message>
    <message>
        <location line="+0" />
        <source>Paste the code</source>
        <translation>Collez le code</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Use this &amp;code</source>
        <translation>Utiliser ce &amp;code</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Use this code</source>
        <translation>Utiliser ce code</translation>
    </message>
    <message>
        <location line="+6" />
        <source>Code (if the browser does not come back):</source>
        <translation>Code (si le navigateur ne revient pas) :</translation>
    </message>
    <message>
        <location line="+8" />
        <source>Create a token in your instance's settings (Development › New application, scopes read and write), then paste it here.</source>
        <translation>Créez un jeton dans les préférences de votre instance (Développement › Nouvelle application, autorisations read et write), puis collez-le ici.</translation>
    </message>
    <message>
        <location line="+5" />
        <source>Access token</source>
        <translation>Jeton d'accès</translation>
    </message>
    <message>
        <location line="+1" />
        <source>&amp;Add with this token</source>
        <translation>&amp;Ajouter avec ce jeton</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Add with this token</source>
        <translation>Ajouter avec ce jeton</translation>
    </message>
    <message>
        <location line="+4" />
        <source>Access t&amp;oken:</source>
        <translation>J&amp;eton d'accès :</translation>
    </message>
    <message>
        <location line="+11" />
        <source>Enter the address of the instance.</source>
        <translation>Saisissez l'adresse de l'instance.</translation>
    </message>
    <message>
        <location line="+11" />
        <source>Paste an access token.</source>
        <translation>Collez un jeton d'accès.</translation>
    </message>
    <message>
        <location line="+6" />
        <source>Checking the token…</source>
        <translation>Vérification du jeton…</translation>
    </message>
    <message>
        <location line="+12" />
        <source>Contacting {instance}…</source>
        <translation>Connexion à {instance}…</translation>
    </message>
    <message>
        <location line="+6" />
        <source>Authorise paris_desk in the browser, then come back here.</source>
        <translation>Autorisez paris_desk dans le navigateur, puis revenez ici.</translation>
    </message>
    <message>
        <location line="+10" />
        <source>No answer from the browser. Paste the code, or try again.</source>
        <translation>Pas de réponse du navigateur. Collez le code, ou réessayez.</translation>
    </message>
    <message>
        <location line="+9" />
        <source>Paste the code shown by the instance.</source>
        <translation>Collez le code affiché par l'instance.</translation>
    </message>
    <message>
        <location line="+8" />
        <source>Signing in…</source>
        <translation>Connexion en cours…</translation>
    </message>
</context>
<context>
    <name>MediaPanel</name>
    <message>
        <location filename="../../paris_desk/ui/composer/media.py" line="+23" />
        <source>Add images…</source>
        <translation>Ajouter des images…</translation>
    </message>
    <message>
        <location line="+1" />
        <location line="+68" />
        <source>Add images</source>
        <translation>Ajouter des images</translation>
    </message>
    <message>
        <location line="-65" />
        <source>Images</source>
        <translation>Images</translation>
    </message>
    <message>
        <location line="+41" />
        <source>Only image files can be added.</source>
        <translation>Seuls des fichiers image peuvent être ajoutés.</translation>
    </message>
    <message numerus="yes">
        <location line="+2" />
        <source>At most %n image(s) per post.</source>
        <translation>
            <numerusform>%n image au maximum par message.</numerusform>
            <numerusform>%n images au maximum par message.</numerusform>
        </translation>
    </message>
    <message>
        <location line="+23" />
        <source>Images (*.jpg *.jpeg *.png *.gif *.webp *.heic *.bmp *.tif *.tiff)</source>
        <translation>Images (*.jpg *.jpeg *.png *.gif *.webp *.heic *.bmp *.tif *.tiff)</translation>
    </message>
    <message>
        <location line="+18" />
        <source>{name} cannot be read as an image.</source>
        <translation>{name} ne peut pas être lu comme une image.</translation>
    </message>
    <message numerus="yes">
        <location line="+16" />
        <source>Maximum reached: %n image(s).</source>
        <translation>
            <numerusform>Maximum atteint : %n image.</numerusform>
            <numerusform>Maximum atteint : %n images.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location line="+2" />
        <source>Up to %n image(s), drag and drop accepted.</source>
        <translation>
            <numerusform>Jusqu’à %n image, glisser-déposer accepté.</numerusform>
            <numerusform>Jusqu’à %n images, glisser-déposer accepté.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>MessageBar</name>
    <message>
        <location filename="../../paris_desk/ui/shell/main_window.py" line="-262" />
        <source>Message</source>
        <translation>Message</translation>
    </message>
    <message>
        <location line="+3" />
        <location line="+1" />
        <source>Close the message</source>
        <translation>Fermer le message</translation>
    </message>
</context>
<context>
    <name>OptionsPanel</name>
    <message>
        <location filename="../../paris_desk/ui/composer/options.py" line="+41" />
        <source>Optional: e.g. “Road works”, “Noise”</source>
        <translation>Facultatif : par ex. « Travaux », « Bruit »</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Content warning</source>
        <translation>Avertissement de contenu</translation>
    </message>
    <message>
        <location line="+3" />
        <source>Visibility on Mastodon</source>
        <translation>Visibilité sur Mastodon</translation>
    </message>
    <message>
        <location line="+2" />
        <source>Public</source>
        <translation>Public</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Unlisted</source>
        <translation>Non listé</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Followers only</source>
        <translation>Abonnés uniquement</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Mentioned people only</source>
        <translation>Personnes mentionnées uniquement</translation>
    </message>
    <message>
        <location line="+5" />
        <source>Language of the post</source>
        <translation>Langue du message</translation>
    </message>
    <message>
        <location line="+5" />
        <source>Who can reply on Bluesky</source>
        <translation>Qui peut répondre sur Bluesky</translation>
    </message>
    <message>
        <location line="+2" />
        <source>Everyone</source>
        <translation>Tout le monde</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Mentioned people</source>
        <translation>Personnes mentionnées</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Followers</source>
        <translation>Abonnés</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Nobody</source>
        <translation>Personne</translation>
    </message>
    <message>
        <location line="+5" />
        <source>Schedule</source>
        <translation>Programmer</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Publish later, at a date and time</source>
        <translation>Publier plus tard, à une date et une heure</translation>
    </message>
    <message>
        <location line="+5" />
        <source>Date and time of publication</source>
        <translation>Date et heure de publication</translation>
    </message>
    <message>
        <location line="+7" />
        <source>How scheduling works</source>
        <translation>Fonctionnement de la programmation</translation>
    </message>
    <message>
        <location line="+6" />
        <source>Content warning:</source>
        <translation>Avertissement de contenu :</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Visibility (Mastodon):</source>
        <translation>Visibilité (Mastodon) :</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Language:</source>
        <translation>Langue :</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Who can reply (Bluesky):</source>
        <translation>Qui peut répondre (Bluesky) :</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Publication:</source>
        <translation>Publication :</translation>
    </message>
    <message>
        <location line="+66" />
        <source>Mastodon: a thread is sent by paris_desk at the set time, the application must stay open.</source>
        <translation>Mastodon : un fil est envoyé par paris_desk à l’heure prévue, l’application doit rester ouverte.</translation>
    </message>
    <message>
        <location line="+2" />
        <source>Mastodon: scheduled on the server.</source>
        <translation>Mastodon : publication programmée sur le serveur.</translation>
    </message>
    <message>
        <location line="+2" />
        <source>Bluesky: sent by paris_desk at the set time, the application must stay open.</source>
        <translation>Bluesky : envoi par paris_desk à l’heure prévue, l’application doit rester ouverte.</translation>
    </message>
</context>
<context>
    <name>PostActions</name>
    <message>
        <location filename="../../paris_desk/ui/timeline/actions.py" line="+153" />
        <source>The composer is not available.</source>
        <translation>La rédaction n’est pas disponible.</translation>
    </message>
    <message>
        <location line="+18" />
        <source>Post actions</source>
        <translation>Actions sur le post</translation>
    </message>
    <message>
        <location line="+28" />
        <source>&amp;Reply…</source>
        <translation>&amp;Répondre…</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Un&amp;like</source>
        <translation>Ne plus &amp;aimer</translation>
    </message>
    <message>
        <location line="+0" />
        <source>&amp;Like</source>
        <translation>&amp;Aimer</translation>
    </message>
    <message>
        <location line="+2" />
        <source>Undo re&amp;post</source>
        <translation>Annuler le &amp;partage</translation>
    </message>
    <message>
        <location line="+0" />
        <source>Re&amp;post</source>
        <translation>&amp;Partager</translation>
    </message>
    <message>
        <location line="+2" />
        <source>&amp;Quote…</source>
        <translation>&amp;Citer…</translation>
    </message>
    <message>
        <location line="+2" />
        <source>&amp;Copy link</source>
        <translation>Copier le &amp;lien</translation>
    </message>
    <message>
        <location line="+1" />
        <source>&amp;Open in browser</source>
        <translation>&amp;Ouvrir dans le navigateur</translation>
    </message>
    <message>
        <location line="-119" />
        <source>Like as…</source>
        <translation>Aimer en tant que…</translation>
    </message>
    <message>
        <location line="+22" />
        <source>Share as…</source>
        <translation>Partager en tant que…</translation>
    </message>
    <message>
        <location line="+27" />
        <source>Liked as {account}.</source>
        <translation>Aimé en tant que {account}.</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Like withdrawn ({account}).</source>
        <translation>« J’aime » retiré ({account}).</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Shared as {account}.</source>
        <translation>Partagé en tant que {account}.</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Share withdrawn ({account}).</source>
        <translation>Partage retiré ({account}).</translation>
    </message>
    <message>
        <location line="+35" />
        <source>As: {account}</source>
        <translation>En tant que : {account}</translation>
    </message>
</context>
<context>
    <name>PostDelegate</name>
    <message>
        <location filename="../../paris_desk/ui/timeline/post_delegate.py" line="+249" />
        <source>↻ shared by {name}</source>
        <translation>↻ partagé par {name}</translation>
    </message>
    <message>
        <location line="+8" />
        <source>in reply to {handle}</source>
        <translation>en réponse à {handle}</translation>
    </message>
    <message>
        <location line="+55" />
        <source>Hide</source>
        <translation>Masquer</translation>
    </message>
    <message>
        <location line="+0" />
        <source>Show</source>
        <translation>Afficher</translation>
    </message>
    <message numerus="yes">
        <location line="+110" />
        <source>published on %n accounts</source>
        <translation>
            <numerusform>publié sur %n compte</numerusform>
            <numerusform>publié sur %n comptes</numerusform>
        </translation>
    </message>
    <message>
        <location line="+82" />
        <source>Image without description</source>
        <translation>Image sans description</translation>
    </message>
</context>
<context>
    <name>PostText</name>
    <message>
        <location filename="../../paris_desk/ui/timeline/post_text.py" line="+122" />
        <location line="+16" />
        <source>just now</source>
        <translation>à l’instant</translation>
    </message>
    <message>
        <location line="-14" />
        <source>{count} min ago</source>
        <translation>il y a {count} min</translation>
    </message>
    <message>
        <location line="+2" />
        <source>{count} h ago</source>
        <translation>il y a {count} h</translation>
    </message>
    <message numerus="yes">
        <location line="+2" />
        <location line="+16" />
        <source>%n day(s) ago</source>
        <translation><numerusform>il y a %n jour</numerusform><numerusform>il y a %n jours</numerusform></translation>
    </message>
    <message numerus="yes">
        <location line="-4" />
        <source>%n minute(s) ago</source>
        <translation><numerusform>il y a %n minute</numerusform><numerusform>il y a %n minutes</numerusform></translation>
    </message>
    <message numerus="yes">
        <location line="+2" />
        <source>%n hour(s) ago</source>
        <translation><numerusform>il y a %n heure</numerusform><numerusform>il y a %n heures</numerusform></translation>
    </message>
    <message>
        <location line="+21" />
        <source>{author} ({handle}) on {network}, {time}:</source>
        <translation>{author} ({handle}) sur {network}, {time} :</translation>
    </message>
    <message>
        <location line="+9" />
        <source>Shared by {name}.</source>
        <translation>Partagé par {name}.</translation>
    </message>
    <message>
        <location line="+2" />
        <source>In reply to {handle}.</source>
        <translation>En réponse à {handle}.</translation>
    </message>
    <message>
        <location line="+3" />
        <source>Content warning: {warning}.</source>
        <translation>Avertissement de contenu : {warning}.</translation>
    </message>
    <message numerus="yes">
        <location line="+5" />
        <source>%n image(s).</source>
        <translation><numerusform>%n image.</numerusform><numerusform>%n images.</numerusform></translation>
    </message>
    <message>
        <location line="+2" />
        <source>Quotes {handle}: {text}</source>
        <translation>Cite {handle} : {text}</translation>
    </message>
    <message numerus="yes">
        <location line="+3" />
        <source>%n repl(y/ies),</source>
        <translation><numerusform>%n réponse,</numerusform><numerusform>%n réponses,</numerusform></translation>
    </message>
    <message numerus="yes">
        <location line="+1" />
        <source>%n repost(s),</source>
        <translation><numerusform>%n partage,</numerusform><numerusform>%n partages,</numerusform></translation>
    </message>
    <message numerus="yes">
        <location line="+1" />
        <source>%n like(s).</source>
        <translation><numerusform>%n mention J'aime.</numerusform><numerusform>%n mentions J'aime.</numerusform></translation>
    </message>
    <message>
        <location line="+3" />
        <source>Seen by {accounts}.</source>
        <translation>Vu par {accounts}.</translation>
    </message>
    <message numerus="yes">
        <location line="+8" />
        <source>Published on %n accounts: {accounts}.</source>
        <translation><numerusform>Publié sur %n compte : {accounts}.</numerusform><numerusform>Publié sur %n comptes : {accounts}.</numerusform></translation>
    </message>
    <message>
        <location line="+17" />
        <source>Image: {alt}.</source>
        <translation>Image : {alt}.</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Image without description.</source>
        <translation>Image sans description.</translation>
    </message>
    <message>
        <location line="+2" />
        <source>Image {n}: {alt}.</source>
        <translation>Image {n} : {alt}.</translation>
    </message>
    <message>
        <location line="+2" />
        <source>Image {n} without description.</source>
        <translation>Image {n} sans description.</translation>
    </message>
    <message>
        <location line="+6" />
        <source>Link: {title} ({domain}).</source>
        <translation>Lien : {title} ({domain}).</translation>
    </message>
    <message>
        <location line="+2" />
        <source>Link to {domain}.</source>
        <translation>Lien vers {domain}.</translation>
    </message>
</context>
<context>
    <name>Protect</name>
    <message>
        <location filename="../../paris_desk/ui/timeline/protect.py" line="+49" />
        <source>Everyone</source>
        <translation>Tout le monde</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Mentioned accounts</source>
        <translation>Les comptes mentionnés</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Followers</source>
        <translation>Nos abonnés</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Accounts we follow</source>
        <translation>Les comptes que nous suivons</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Nobody</source>
        <translation>Personne</translation>
    </message>
    <message>
        <location line="+25" />
        <source>&amp;Protect the thread</source>
        <translation>&amp;Protéger le fil</translation>
    </message>
    <message>
        <location line="+7" />
        <source>&amp;Hide this reply</source>
        <translation>&amp;Masquer cette réponse</translation>
    </message>
    <message>
        <location line="+2" />
        <source>Reply hidden in the thread.</source>
        <translation>Réponse masquée dans le fil.</translation>
    </message>
    <message>
        <location line="+1" />
        <source>&amp;Show this reply again</source>
        <translation>&amp;Réafficher cette réponse</translation>
    </message>
    <message>
        <location line="+2" />
        <source>Reply shown again.</source>
        <translation>Réponse réaffichée.</translation>
    </message>
    <message>
        <location line="+3" />
        <source>&amp;Detach this quote</source>
        <translation>&amp;Détacher cette citation</translation>
    </message>
    <message>
        <location line="+2" />
        <source>Quote detached from our post.</source>
        <translation>Citation détachée de notre message.</translation>
    </message>
    <message>
        <location line="+4" />
        <source>&amp;Who may reply</source>
        <translation>&amp;Qui peut répondre</translation>
    </message>
    <message>
        <location line="+4" />
        <source>Who may reply: {who}.</source>
        <translation>Qui peut répondre : {who}.</translation>
    </message>
    <message>
        <location line="+5" />
        <source>&amp;Forbid quotes</source>
        <translation>&amp;Interdire les citations</translation>
    </message>
    <message>
        <location line="+2" />
        <source>Quotes forbidden.</source>
        <translation>Citations interdites.</translation>
    </message>
    <message>
        <location line="+1" />
        <source>&amp;Allow quotes again</source>
        <translation>&amp;Autoriser à nouveau les citations</translation>
    </message>
    <message>
        <location line="+2" />
        <source>Quotes allowed.</source>
        <translation>Citations autorisées.</translation>
    </message>
    <message>
        <location filename="../../paris_desk/ui/inbox/protect.py" line="+28" />
        <source>Protect…</source>
        <translation>Protéger…</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Protect the thread</source>
        <translation>Protéger le fil</translation>
    </message>
</context>
<context>
    <name>PublishPanel</name>
    <message>
        <location filename="../../paris_desk/ui/composer/publish_panel.py" line="+37" />
        <source>Publication status</source>
        <translation>État de la publication</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Publication</source>
        <translation>Publication</translation>
    </message>
    <message>
        <location line="+3" />
        <source>Summary of the publication</source>
        <translation>Résumé de la publication</translation>
    </message>
    <message>
        <location line="+39" />
        <source>{account}, part {n}/{total}</source>
        <translation>{account}, partie {n}/{total}</translation>
    </message>
    <message numerus="yes">
        <location line="+4" />
        <source>%n of {total} sent</source>
        <translation>
            <numerusform>%n sur {total} publié</numerusform>
            <numerusform>%n sur {total} publiés</numerusform>
        </translation>
    </message>
    <message>
        <location line="+14" />
        <source>State for {account}</source>
        <translation>État pour {account}</translation>
    </message>
    <message>
        <location line="+8" />
        <source>Retry</source>
        <translation>Réessayer</translation>
    </message>
    <message>
        <location line="+0" />
        <source>Retry now</source>
        <translation>Réessayer maintenant</translation>
    </message>
    <message>
        <location line="+2" />
        <source>{action} for {account}</source>
        <translation>{action} pour {account}</translation>
    </message>
    <message>
        <location line="+7" />
        <source>Cancel</source>
        <translation>Annuler</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Cancel the post for {account}</source>
        <translation>Annuler la publication pour {account}</translation>
    </message>
    <message>
        <location line="+10" />
        <source>scheduled on the server for {when}</source>
        <translation>programmé sur le serveur pour le {when}</translation>
    </message>
    <message>
        <location line="+3" />
        <source>published</source>
        <translation>publié</translation>
    </message>
    <message>
        <location line="+4" />
        <source>see</source>
        <translation>voir</translation>
    </message>
    <message>
        <location line="+6" />
        <source>refused: {reason}</source>
        <translation>refusé : {reason}</translation>
    </message>
    <message>
        <location line="+6" />
        <source>attempt {n} failed: {reason}</source>
        <translation>tentative {n} échouée : {reason}</translation>
    </message>
    <message>
        <location line="-5" />
        <source>failed: {reason}</source>
        <translation>échec : {reason}</translation>
    </message>
    <message>
        <location line="+9" />
        <source>sending…</source>
        <translation>envoi…</translation>
    </message>
    <message>
        <location line="+2" />
        <source>cancelled</source>
        <translation>annulé</translation>
    </message>
    <message>
        <location line="+3" />
        <source>queued, sent by paris_desk at {when}</source>
        <translation>en file, envoyé par paris_desk le {when}</translation>
    </message>
    <message>
        <location line="+2" />
        <source>queued</source>
        <translation>en file</translation>
    </message>
</context>
<context>
    <name>ReportDialog</name>
    <message>
        <location filename="../../paris_desk/ui/inbox/actions.py" line="+56" />
        <source>Report a post</source>
        <translation>Signaler un post</translation>
    </message>
    <message>
        <location line="+2" />
        <source>Report this post by {author} to the moderators, as {account}. A report cannot be withdrawn.</source>
        <translation>Signaler ce post de {author} à la modération, en tant que {account}. Un signalement ne peut pas être retiré.</translation>
    </message>
    <message>
        <location line="+5" />
        <source>Reason</source>
        <translation>Motif</translation>
    </message>
    <message>
        <location line="+2" />
        <source>Insults or harassment</source>
        <translation>Insultes ou harcèlement</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Spam</source>
        <translation>Spam</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Misleading</source>
        <translation>Trompeur</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Breaks the rules or the law</source>
        <translation>Enfreint les règles ou la loi</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Other</source>
        <translation>Autre</translation>
    </message>
    <message>
        <location line="+5" />
        <source>Note for the moderators</source>
        <translation>Note pour la modération</translation>
    </message>
    <message>
        <location line="+4" />
        <source>Report</source>
        <translation>Signaler</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Send the report</source>
        <translation>Envoyer le signalement</translation>
    </message>
    <message>
        <location line="+7" />
        <source>Reason:</source>
        <translation>Motif :</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Note:</source>
        <translation>Note :</translation>
    </message>
</context>
<context>
    <name>RequestsDialog</name>
    <message>
        <location filename="../../paris_desk/ui/inbox/requests.py" line="+50" />
        <location line="+5" />
        <location line="+93" />
        <source>Requests</source>
        <translation>Demandes</translation>
    </message>
    <message>
        <location line="-97" />
        <source>Mentions from accounts you do not follow</source>
        <translation>Mentions de comptes que vous ne suivez pas</translation>
    </message>
    <message>
        <location line="+7" />
        <source>Their messages</source>
        <translation>Leurs messages</translation>
    </message>
    <message>
        <location line="+3" />
        <source>&amp;Accept</source>
        <translation>&amp;Accepter</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Their mentions join the inbox, now and later</source>
        <translation>Ses mentions rejoignent la boîte de réception, maintenant et à l'avenir</translation>
    </message>
    <message>
        <location line="+2" />
        <source>&amp;Ignore</source>
        <translation>&amp;Ignorer</translation>
    </message>
    <message>
        <location line="+2" />
        <source>&amp;See the messages</source>
        <translation>&amp;Voir le fil</translation>
    </message>
    <message numerus="yes">
        <location line="+48" />
        <source>{who} ({handle}) to {account}: %n message(s)</source>
        <translation>
            <numerusform>{who} ({handle}) à {account} : %n message</numerusform>
            <numerusform>{who} ({handle}) à {account} : %n messages</numerusform>
        </translation>
    </message>
    <message>
        <location line="+12" />
        <source>No request is waiting.</source>
        <translation>Aucune demande en attente.</translation>
    </message>
    <message numerus="yes">
        <location line="+32" />
        <source>Requests (%n)</source>
        <translation><numerusform>Demande (%n)</numerusform><numerusform>Demandes (%n)</numerusform></translation>
    </message>
</context>
<context>
    <name>SavedReplies</name>
    <message>
        <location filename="../../paris_desk/ui/inbox/saved_replies.py" line="+49" />
        <location line="+3" />
        <source>Saved replies</source>
        <translation>Réponses types</translation>
    </message>
    <message>
        <location line="+2" />
        <source>Insert a saved reply ({key})</source>
        <translation>Insérer une réponse type ({key})</translation>
    </message>
    <message>
        <location line="+23" />
        <source>No saved reply yet</source>
        <translation>Aucune réponse type pour l'instant</translation>
    </message>
    <message>
        <location line="+4" />
        <source>&amp;Manage the saved replies…</source>
        <translation>&amp;Gérer les réponses types…</translation>
    </message>
</context>
<context>
    <name>SavedRepliesDialog</name>
    <message>
        <location line="+30" />
        <location line="+5" />
        <source>Saved replies</source>
        <translation>Réponses types</translation>
    </message>
    <message>
        <location line="+3" />
        <source>Title</source>
        <translation>Titre</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Title (as shown in the menu)</source>
        <translation>Titre (tel qu'il apparaît dans le menu)</translation>
    </message>
    <message>
        <location line="+2" />
        <source>Text of the reply</source>
        <translation>Texte de la réponse</translation>
    </message>
    <message>
        <location line="+2" />
        <source>{auteur}: the person answered, {pseudo}: their @address, {compte}: the account that answers.</source>
        <translation>{auteur} : la personne à qui l'on répond, {pseudo} : son @adresse, {compte} : le compte qui répond.</translation>
    </message>
    <message>
        <location line="+3" />
        <source>&amp;New</source>
        <translation>&amp;Nouvelle</translation>
    </message>
    <message>
        <location line="+2" />
        <source>&amp;Save</source>
        <translation>&amp;Enregistrer</translation>
    </message>
    <message>
        <location line="+2" />
        <source>&amp;Remove</source>
        <translation>&amp;Supprimer</translation>
    </message>
</context>
<context>
    <name>Settings</name>
    <message>
        <location filename="../../paris_desk/ui/settings/wiring.py" line="+157" />
        <source>Splitting into a thread is turned off in the preferences.</source>
        <translation>Le découpage en fil est désactivé dans les préférences.</translation>
    </message>
</context>
<context>
    <name>SettingsDialog</name>
    <message>
        <location filename="../../paris_desk/ui/settings/dialog.py" line="+53" />
        <source>Preferences</source>
        <translation>Préférences</translation>
    </message>
    <message>
        <location line="+4" />
        <source>About the interface language</source>
        <translation>À propos de la langue de l'interface</translation>
    </message>
    <message>
        <location line="+30" />
        <source>Timeline</source>
        <translation>Fil d’accueil</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Automatic refresh of the timeline</source>
        <translation>Actualisation automatique du fil d’accueil</translation>
    </message>
    <message>
        <location line="+2" />
        <source>Never</source>
        <translation>Jamais</translation>
    </message>
    <message numerus="yes">
        <location line="+2" />
        <source>Every %n minute(s)</source>
        <translation>
            <numerusform>Toutes les %n minute</numerusform>
            <numerusform>Toutes les %n minutes</numerusform>
        </translation>
    </message>
    <message>
        <location line="+5" />
        <source>Automatic &amp;refresh:</source>
        <translation>&amp;Actualisation automatique :</translation>
    </message>
    <message>
        <location line="+5" />
        <source>Desktop notifications</source>
        <translation>Notifications de bureau</translation>
    </message>
    <message>
        <location line="+2" />
        <source>Mentions</source>
        <translation>Mentions</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Replies</source>
        <translation>Réponses</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Quotes</source>
        <translation>Citations</translation>
    </message>
    <message>
        <location line="+1" />
        <source>New followers</source>
        <translation>Nouveaux abonnés</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Likes</source>
        <translation>J'aime</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Reposts and boosts</source>
        <translation>Partages</translation>
    </message>
    <message>
        <location line="+4" />
        <source>Show a desktop notification for new:</source>
        <translation>Afficher une notification de bureau pour les nouveaux éléments suivants :</translation>
    </message>
    <message>
        <location line="+5" />
        <source>Desktop notification for {kind}</source>
        <translation>Notification de bureau pour : {kind}</translation>
    </message>
    <message>
        <location line="+7" />
        <source>New posts</source>
        <translation>Nouveaux posts</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Default language of a new post</source>
        <translation>Langue par défaut d'un nouveau post</translation>
    </message>
    <message>
        <location line="+4" />
        <source>Default visibility on Mastodon</source>
        <translation>Visibilité par défaut sur Mastodon</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Who can see a new Mastodon post; Bluesky posts are always public.</source>
        <translation>Qui peut voir un nouveau post Mastodon ; les posts Bluesky sont toujours publics.</translation>
    </message>
    <message>
        <location line="+3" />
        <source>Public</source>
        <translation>Public</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Unlisted</source>
        <translation>Non listé</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Followers only</source>
        <translation>Abonnés uniquement</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Mentioned people only</source>
        <translation>Personnes mentionnées uniquement</translation>
    </message>
    <message>
        <location line="+4" />
        <source>When a text is too long</source>
        <translation>Quand un texte est trop long</translation>
    </message>
    <message>
        <location line="+1" />
        <source>What the composer does with a text over an account's limit.</source>
        <translation>Ce que fait la rédaction d'un texte qui dépasse la limite d'un compte.</translation>
    </message>
    <message>
        <location line="+3" />
        <source>Offer to split it into a thread</source>
        <translation>Proposer de le découper en fil</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Split it into a thread</source>
        <translation>Le découper en fil</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Never split: shorten the text</source>
        <translation>Ne jamais découper : raccourcir le texte</translation>
    </message>
    <message>
        <location line="+4" />
        <source>Accounts checked in a new post</source>
        <translation>Comptes cochés dans un nouveau post</translation>
    </message>
    <message>
        <location line="+10" />
        <source>&amp;Language:</source>
        <translation>&amp;Langue :</translation>
    </message>
    <message>
        <location line="+1" />
        <source>&amp;Visibility (Mastodon):</source>
        <translation>&amp;Visibilité (Mastodon) :</translation>
    </message>
    <message>
        <location line="+1" />
        <source>&amp;Too long:</source>
        <translation>&amp;Trop long :</translation>
    </message>
    <message>
        <location line="+1" />
        <source>&amp;Accounts checked:</source>
        <translation>&amp;Comptes cochés :</translation>
    </message>
    <message>
        <location line="+4" />
        <source>Interface</source>
        <translation>Interface</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Colour theme</source>
        <translation>Thème de couleurs</translation>
    </message>
    <message>
        <location line="+2" />
        <location line="+9" />
        <source>Follow the system</source>
        <translation>Suivre le système</translation>
    </message>
    <message>
        <location line="-8" />
        <source>Light</source>
        <translation>Clair</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Dark</source>
        <translation>Sombre</translation>
    </message>
    <message>
        <location line="+4" />
        <source>Language of the interface</source>
        <translation>Langue de l'interface</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Takes effect the next time paris_desk starts.</source>
        <translation>Prend effet au prochain démarrage de paris_desk.</translation>
    </message>
    <message>
        <location line="+7" />
        <source>T&amp;heme:</source>
        <translation>T&amp;hème :</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Interface lan&amp;guage:</source>
        <translation>Lan&amp;gue de l'interface :</translation>
    </message>
    <message>
        <location line="+6" />
        <source>Network</source>
        <translation>Réseau</translation>
    </message>
    <message>
        <location line="+3" />
        <source>Proxy in use</source>
        <translation>Proxy utilisé</translation>
    </message>
    <message>
        <location line="+2" />
        <source>Proxy</source>
        <translation>Serveur proxy</translation>
    </message>
    <message>
        <location line="+0" />
        <source>How paris_desk reaches the servers of the accounts.</source>
        <translation>Comment paris_desk joint les serveurs des comptes.</translation>
    </message>
    <message>
        <location line="+3" />
        <source>Use the system's settings</source>
        <translation>Utiliser les réglages du système</translation>
    </message>
    <message>
        <location line="+1" />
        <source>No proxy</source>
        <translation>Aucun proxy</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Use this proxy</source>
        <translation>Utiliser ce proxy</translation>
    </message>
    <message>
        <location line="+5" />
        <source>Proxy address</source>
        <translation>Adresse du proxy</translation>
    </message>
    <message>
        <location line="+2" />
        <source>host:port; no identifier or password (they would be saved in clear).</source>
        <translation>hôte:port ; sans identifiant ni mot de passe (ils seraient enregistrés en clair).</translation>
    </message>
    <message>
        <location line="+4" />
        <source>About the proxy address</source>
        <translation>À propos de l'adresse du proxy</translation>
    </message>
    <message>
        <location line="+4" />
        <source>In use:</source>
        <translation>Utilisé :</translation>
    </message>
    <message>
        <location line="+1" />
        <source>&amp;Proxy:</source>
        <translation>&amp;Proxy :</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Proxy a&amp;ddress:</source>
        <translation>A&amp;dresse du proxy :</translation>
    </message>
    <message>
        <location line="+7" />
        <source>none, direct connection</source>
        <translation>aucun, connexion directe</translation>
    </message>
    <message>
        <location line="+1" />
        <source>environment variables</source>
        <translation>variables d'environnement</translation>
    </message>
    <message>
        <location line="+1" />
        <source>system settings</source>
        <translation>réglages du système</translation>
    </message>
    <message>
        <location line="+1" />
        <source>these preferences</source>
        <translation>ces préférences</translation>
    </message>
    <message>
        <location line="+3" />
        <source>No proxy: direct connection ({origin}).</source>
        <translation>Aucun proxy : connexion directe ({origin}).</translation>
    </message>
    <message>
        <location line="+3" />
        <source>{proxy} ({origin})</source>
        <translation>{proxy} ({origin})</translation>
    </message>
    <message>
        <location line="+71" />
        <source>Give the proxy as host:port (for example proxy.example:3128), without identifier or password.</source>
        <translation>Indiquez le proxy sous la forme hôte:port (par exemple proxy.example:3128), sans identifiant ni mot de passe.</translation>
    </message>
    <message>
        <location line="-212" />
        <source>Ask before &amp;sharing a post (boost, repost)</source>
        <translation>Demander avant de &amp;partager un post (boost, repost)</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Ask before sharing a post</source>
        <translation>Demander avant de partager un post</translation>
    </message>
    <message>
        <location line="-4" />
        <source>Every minute</source>
        <translation>Toutes les minutes</translation>
    </message>
</context>
<context>
    <name>ShareDialog</name>
    <message>
        <location filename="../../paris_desk/ui/timeline/acting.py" line="+54" />
        <source>Share this post?</source>
        <translation>Partager ce post ?</translation>
    </message>
    <message>
        <location line="+3" />
        <source>The post by {author} will be shown to the followers of the account you choose. You can undo it.</source>
        <translation>Le post de {author} sera montré aux abonnés du compte choisi. Vous pourrez annuler.</translation>
    </message>
    <message>
        <location line="+4" />
        <source>Share as</source>
        <translation>Partager en tant que</translation>
    </message>
    <message>
        <location line="+5" />
        <source>Share &amp;as:</source>
        <translation>Partager &amp;en tant que :</translation>
    </message>
    <message>
        <location line="+2" />
        <source>&amp;Don't ask again (Preferences can ask again)</source>
        <translation>&amp;Ne plus demander (réactivable dans les Préférences)</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Don't ask again before sharing</source>
        <translation>Ne plus demander avant de partager</translation>
    </message>
    <message>
        <location line="+2" />
        <source>&amp;Share</source>
        <translation>&amp;Partager</translation>
    </message>
    <message>
        <location line="+2" />
        <source>Share</source>
        <translation>Partager</translation>
    </message>
</context>
<context>
    <name>Shortcuts</name>
    <message>
        <location filename="../../paris_desk/ui/shell/shortcuts.py" line="+51" />
        <source>Move to the next control</source>
        <translation>Passer à la commande suivante</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Move to the previous control</source>
        <translation>Revenir à la commande précédente</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Cancel or close a dialog</source>
        <translation>Annuler ou fermer une boîte de dialogue</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Publish the post (composer) or send the reply (inbox)</source>
        <translation>Publier le post (rédaction) ou envoyer la réponse (boîte de réception)</translation>
    </message>
    <message>
        <location line="+2" />
        <source>Insert a saved reply (inbox reply box)</source>
        <translation>Insérer une réponse type (zone de réponse de la boîte de réception)</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Next post or message (timeline, inbox)</source>
        <translation>Post ou message suivant (fil, boîte de réception)</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Previous post or message (timeline, inbox)</source>
        <translation>Post ou message précédent (fil, boîte de réception)</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Open the conversation (timeline, inbox)</source>
        <translation>Ouvrir la conversation (fil, boîte de réception)</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Reply (timeline, inbox)</source>
        <translation>Répondre (fil, boîte de réception)</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Like or unlike (timeline)</source>
        <translation>Aimer ou ne plus aimer (fil)</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Repost or undo the repost (timeline)</source>
        <translation>Partager ou annuler le partage (fil)</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Open in the web browser (timeline)</source>
        <translation>Ouvrir dans le navigateur web (fil)</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Mark as handled or to handle (inbox)</source>
        <translation>Marquer comme traité ou à traiter (boîte de réception)</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Mark as read or unread (inbox)</source>
        <translation>Marquer comme lu ou non lu (boîte de réception)</translation>
    </message>
</context>
<context>
    <name>ShortcutsSheet</name>
    <message>
        <location line="+11" />
        <location line="+6" />
        <source>Keyboard shortcuts</source>
        <translation>Raccourcis clavier</translation>
    </message>
    <message>
        <location line="-3" />
        <source>Every command of paris_desk can be reached with the keyboard.</source>
        <translation>Toutes les commandes de paris_desk sont accessibles au clavier.</translation>
    </message>
    <message>
        <location line="+5" />
        <source>Each row: what the shortcut does, then its keys.</source>
        <translation>Chaque ligne : ce que fait le raccourci, puis ses touches.</translation>
    </message>
    <message>
        <location line="+2" />
        <source>Command</source>
        <translation>Commande</translation>
    </message>
    <message>
        <location line="+0" />
        <source>Keys</source>
        <translation>Touches</translation>
    </message>
</context>
<context>
    <name>TargetsPanel</name>
    <message>
        <location filename="../../paris_desk/ui/composer/targets.py" line="+53" />
        <source>Publish from</source>
        <translation>Publier depuis</translation>
    </message>
    <message>
        <location line="+2" />
        <source>Accounts to publish from</source>
        <translation>Comptes depuis lesquels publier</translation>
    </message>
    <message>
        <location line="+5" />
        <source>Saved groups of accounts</source>
        <translation>Groupes de comptes enregistrés</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Check the accounts of a saved group</source>
        <translation>Cocher les comptes d’un groupe enregistré</translation>
    </message>
    <message>
        <location line="+2" />
        <source>Save as group…</source>
        <translation>Enregistrer comme groupe…</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Save the checked accounts as a group</source>
        <translation>Enregistrer les comptes cochés comme groupe</translation>
    </message>
    <message>
        <location line="+2" />
        <source>Delete</source>
        <translation>Supprimer</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Delete the chosen group</source>
        <translation>Supprimer le groupe choisi</translation>
    </message>
    <message>
        <location line="+88" />
        <source>Choose a group…</source>
        <translation>Choisir un groupe…</translation>
    </message>
    <message>
        <location line="+30" />
        <source>Save as group</source>
        <translation>Enregistrer comme groupe</translation>
    </message>
    <message>
        <location line="+0" />
        <source>Name of the group:</source>
        <translation>Nom du groupe :</translation>
    </message>
</context>
<context>
    <name>TeamApprovals</name>
    <message>
        <location filename="../../paris_desk/ui/approvals.py" line="-48" />
        <source>Approval requested by {author}</source>
        <translation>Validation demandée par {author}</translation>
    </message>
    <message numerus="yes">
        <location line="+3" />
        <source>%n approval(s) requested</source>
        <translation>
            <numerusform>%n validation demandée</numerusform>
            <numerusform>%n validations demandées</numerusform>
        </translation>
    </message>
    <message>
        <location line="+6" />
        <source>Publication no. {id} rejected by {who}</source>
        <translation>Publication n° {id} refusée par {who}</translation>
    </message>
    <message>
        <location line="+2" />
        <source>{title}: “{comment}”. It is back in your drafts.</source>
        <translation>{title} : « {comment} ». Elle est de retour dans vos brouillons.</translation>
    </message>
    <message>
        <location line="+7" />
        <source>Publication no. {id} approved by {who}: it goes to the team's outbox.</source>
        <translation>Publication n° {id} validée par {who} : elle part dans la file d'envoi de l'équipe.</translation>
    </message>
</context>
<context>
    <name>ThreadDialog</name>
    <message>
        <location filename="../../paris_desk/ui/timeline/thread_dialog.py" line="+24" />
        <source>Conversation</source>
        <translation>Conversation</translation>
    </message>
    <message>
        <location line="+9" />
        <source>Posts of the conversation</source>
        <translation>Posts de la conversation</translation>
    </message>
    <message>
        <location line="+3" />
        <source>Loading the conversation…</source>
        <translation>Chargement de la conversation…</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Status</source>
        <translation>État</translation>
    </message>
</context>
<context>
    <name>TimelineColumn</name>
    <message>
        <location filename="../../paris_desk/ui/timeline/column.py" line="+66" />
        <source>Show the new posts</source>
        <translation>Afficher les nouveaux posts</translation>
    </message>
    <message>
        <location line="+40" />
        <source>Posts</source>
        <translation>Posts</translation>
    </message>
    <message>
        <location line="+7" />
        <source>Unlike</source>
        <translation>Ne plus aimer</translation>
    </message>
    <message>
        <location line="+0" />
        <source>Like</source>
        <translation>Aimer</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Undo the share</source>
        <translation>Annuler le partage</translation>
    </message>
    <message>
        <location line="+0" />
        <source>Share</source>
        <translation>Partager</translation>
    </message>
    <message>
        <location line="+9" />
        <source>Reply</source>
        <translation>Répondre</translation>
    </message>
    <message>
        <location line="+4" />
        <source>Open in the browser</source>
        <translation>Ouvrir dans le navigateur</translation>
    </message>
    <message>
        <location line="+2" />
        <source>Quote</source>
        <translation>Citer</translation>
    </message>
    <message>
        <location line="+2" />
        <source>Show the conversation</source>
        <translation>Afficher la conversation</translation>
    </message>
    <message>
        <location line="+31" />
        <location line="+1" />
        <source>Close the column</source>
        <translation>Fermer la colonne</translation>
    </message>
    <message>
        <location line="+25" />
        <source>Unified home</source>
        <translation>Accueil unifié</translation>
    </message>
    <message>
        <location line="+3" />
        <source>Home of {account}</source>
        <translation>Accueil de {account}</translation>
    </message>
    <message numerus="yes">
        <location line="+92" />
        <source>%n new post(s)</source>
        <translation>
            <numerusform>%n nouveau post</numerusform>
            <numerusform>%n nouveaux posts</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>TimelineView</name>
    <message>
        <location filename="../../paris_desk/ui/timeline/view.py" line="+141" />
        <location line="+19" />
        <location line="+1" />
        <source>Add a column</source>
        <translation>Ajouter une colonne</translation>
    </message>
    <message>
        <location line="-10" />
        <source>&amp;Refresh</source>
        <translation>&amp;Actualiser</translation>
    </message>
    <message>
        <location line="+7" />
        <source>Refresh</source>
        <translation>Actualiser</translation>
    </message>
    <message>
        <location line="+7" />
        <location line="+1" />
        <source>Automatic refresh</source>
        <translation>Actualisation automatique</translation>
    </message>
    <message>
        <location line="+3" />
        <location line="+9" />
        <source>Group cross-posts</source>
        <translation>Regrouper les publications multiples</translation>
    </message>
    <message>
        <location line="-5" />
        <source>One row for a post published on several of your accounts; unchecked, one row per account</source>
        <translation>Une seule ligne pour un post publié sur plusieurs de vos comptes ; décoché, une ligne par compte</translation>
    </message>
    <message>
        <location line="+18" />
        <source>Never</source>
        <translation>Jamais</translation>
    </message>
    <message numerus="yes">
        <location line="+4" />
        <source>Every %n minute(s)</source>
        <translation>
            <numerusform>Toutes les %n minute</numerusform>
            <numerusform>Toutes les %n minutes</numerusform>
        </translation>
    </message>
    <message>
        <location line="+70" />
        <source>Unified home</source>
        <translation>Accueil unifié</translation>
    </message>
    <message>
        <location line="+124" />
        <source>&amp;Timeline</source>
        <translation>&amp;Fil d’accueil</translation>
    </message>
    <message>
        <location line="-196" />
        <source>Every minute</source>
        <translation>Toutes les minutes</translation>
    </message>
</context>
<context>
    <name>UndoBar</name>
    <message>
        <location filename="../../paris_desk/ui/inbox/actions.py" line="+17" />
        <source>Last action</source>
        <translation>Dernière action</translation>
    </message>
    <message>
        <location line="+1" />
        <source>&amp;Undo</source>
        <translation>&amp;Annuler l'action</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Undo the last action</source>
        <translation>Annuler la dernière action</translation>
    </message>
    <message>
        <location line="+4" />
        <source>Close the message</source>
        <translation>Fermer le message</translation>
    </message>
</context>
<context>
    <name>WelcomeDialog</name>
    <message>
        <location filename="../../paris_desk/ui/shell/welcome.py" line="+46" />
        <source>Welcome to paris_desk</source>
        <translation>Bienvenue dans paris_desk</translation>
    </message>
    <message>
        <location line="+3" />
        <source>paris_desk publishes and follows the city's Mastodon and Bluesky accounts from one window. Start by adding an account, or try it first on the sandbox: sample data, nothing is published.</source>
        <translation>paris_desk publie et suit les comptes Mastodon et Bluesky de la Ville depuis une seule fenêtre. Commencez par ajouter un compte, ou essayez d'abord le bac à sable : des données fictives, rien n'est publié.</translation>
    </message>
    <message>
        <location line="+12" />
        <source>Welcome</source>
        <translation>Accueil</translation>
    </message>
    <message>
        <location line="+3" />
        <source>Add a &amp;Mastodon account</source>
        <translation>Ajouter un compte &amp;Mastodon</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Sign in to a Mastodon account of the city</source>
        <translation>Se connecter à un compte Mastodon de la Ville</translation>
    </message>
    <message>
        <location line="+4" />
        <source>Add a &amp;Bluesky account</source>
        <translation>Ajouter un compte &amp;Bluesky</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Sign in to a Bluesky account of the city with an app password</source>
        <translation>Se connecter à un compte Bluesky de la Ville avec un mot de passe d'application</translation>
    </message>
    <message>
        <location line="+4" />
        <source>&amp;Try the sandbox</source>
        <translation>&amp;Essayer le bac à sable</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Explore paris_desk with sample data; nothing is published</source>
        <translation>Découvrir paris_desk avec des données fictives ; rien n'est publié</translation>
    </message>
    <message>
        <location line="+5" />
        <source>Why accounts cannot be added</source>
        <translation>Pourquoi les comptes ne peuvent pas être ajoutés</translation>
    </message>
    <message>
        <location line="+12" />
        <source>Close the welcome</source>
        <translation>Fermer l'accueil</translation>
    </message>
    <message>
        <location line="+73" />
        <source>The sandbox could not be started: run paris_desk --sandbox.</source>
        <translation>Le bac à sable n'a pas pu démarrer : lancez paris_desk --sandbox.</translation>
    </message>
    <message>
        <location line="-110" />
        <source>paris_desk publishes and follows the city's Mastodon and Bluesky accounts from one window. What you see now is the sandbox: sample data, nothing is published. Add an account when you are ready, or explore first.</source>
        <translation>paris_desk publie et suit les comptes Mastodon et Bluesky de la ville depuis une seule fenêtre. Vous êtes dans le bac à sable : données fictives, rien n’est publié. Ajoutez un compte quand vous êtes prêt, ou explorez d’abord.</translation>
    </message>
    <message>
        <location line="+19" />
        <source>&amp;Explore the sample data</source>
        <translation>&amp;Explorer les données fictives</translation>
    </message>
</context>
<context>
    <name>cli</name>
    <message>
        <location filename="../../paris_desk/cli/approvals.py" line="+35" />
        <location filename="../../paris_desk/cli/outbox.py" line="+43" />
        <source>waiting</source>
        <translation>en attente</translation>
    </message>
    <message>
        <location line="+1" />
        <source>approved</source>
        <translation>approuvée</translation>
    </message>
    <message>
        <location line="+1" />
        <source>rejected</source>
        <translation>refusée</translation>
    </message>
    <message>
        <location line="+5" />
        <source>the publications submitted for validation</source>
        <translation>les publications soumises pour validation</translation>
    </message>
    <message>
        <location line="+2" />
        <source>those already decided too</source>
        <translation>aussi celles déjà décidées</translation>
    </message>
    <message>
        <location line="+8" />
        <source>approve a submitted publication</source>
        <translation>valider une publication soumise</translation>
    </message>
    <message>
        <location line="+7" />
        <source>reject a submitted publication</source>
        <translation>refuser une publication soumise</translation>
    </message>
    <message>
        <location line="+3" />
        <source>for its author</source>
        <translation>pour son auteur</translation>
    </message>
    <message>
        <location line="+11" />
        <source>No publication waiting for validation.</source>
        <translation>Aucune publication en attente de validation.</translation>
    </message>
    <message>
        <location line="+2" />
        <source>, scheduled {when}</source>
        <translation>, programmée {when}</translation>
    </message>
    <message>
        <location line="+3" />
        <source>no. {id}{state}  {author}  {at}  {accounts}{when}  “{text}”</source>
        <translation>n°{id}{state}  {author}  {at}  {accounts}{when}  « {text} »</translation>
    </message>
    <message numerus="yes">
        <location line="+11" />
        <source>Publication no. {id} by {author} approved: %n post(s) in the team's outbox (“paris-desk outbox”).</source>
        <translation><numerusform>Publication n°{id} de {author} validée : %n envoi dans la file d'envoi de l'équipe (« paris-desk outbox »).</numerusform><numerusform>Publication n°{id} de {author} validée : %n envois dans la file d'envoi de l'équipe (« paris-desk outbox »).</numerusform></translation>
    </message>
    <message>
        <location line="+8" />
        <source>--comment: tell the author what is wrong.</source>
        <translation>--comment : dites à l'auteur ce qui ne va pas.</translation>
    </message>
    <message>
        <location line="+2" />
        <source>Publication no. {id} by {author} rejected; its author will see your comment.</source>
        <translation>Publication n°{id} de {author} refusée ; son auteur verra votre commentaire.</translation>
    </message>
    <message>
        <location line="+22" />
        <source>No publication was submitted under this number.</source>
        <translation>Aucune publication soumise sous ce numéro.</translation>
    </message>
    <message>
        <location line="+3" />
        <source>Publication no. {id} is already {state} (by {who}).</source>
        <translation>La publication n°{id} est déjà {state} (par {who}).</translation>
    </message>
    <message>
        <location line="+5" />
        <source>Refused: nobody validates their own publication. Nothing was changed.</source>
        <translation>Refusé : on ne valide pas sa propre publication. Rien n'a été modifié.</translation>
    </message>
    <message>
        <location line="+5" />
        <source>only a validateur decides</source>
        <translation>seul un validateur décide</translation>
    </message>
    <message>
        <location line="+8" />
        <source>invalid number: {text}</source>
        <translation>numéro invalide : {text}</translation>
    </message>
    <message>
        <location filename="../../paris_desk/cli/post.py" line="+100" />
        <source>invalid duration: {value} (a number of seconds ≥ 0)</source>
        <translation>durée invalide : {value} (un nombre de secondes ≥ 0)</translation>
    </message>
    <message>
        <location line="+10" />
        <source>invalid date: {value} (ISO-8601, e.g. 2026-12-24T18:00+01:00)</source>
        <translation>date invalide : {value} (ISO-8601, par ex. 2026-12-24T18:00+01:00)</translation>
    </message>
    <message>
        <location line="+38" />
        <source>your role may not publish on this account without validation (“--submit”)</source>
        <translation>votre rôle ne peut pas publier sur ce compte sans validation (« --submit »)</translation>
    </message>
    <message>
        <location line="-10" />
        <source>--submit does not go with --reply-to (yet).</source>
        <translation>--submit ne s'utilise pas (encore) avec --reply-to.</translation>
    </message>
    <message>
        <location line="-89" />
        <source>publish on one or several accounts</source>
        <translation>publier sur un ou plusieurs comptes</translation>
    </message>
    <message>
        <location line="+4" />
        <source>target account (id or end of the handle), repeatable; “all”: every account</source>
        <translation>compte cible (id ou fin du handle), répétable ; « all » : tous les comptes</translation>
    </message>
    <message>
        <location line="+5" />
        <source>the image's description</source>
        <translation>description de l'image</translation>
    </message>
    <message>
        <location line="+3" />
        <source>address of the post to reply to</source>
        <translation>adresse du message auquel répondre</translation>
    </message>
    <message>
        <location line="+2" />
        <source>content warning</source>
        <translation>avertissement de contenu</translation>
    </message>
    <message>
        <location line="+4" />
        <source>the text's language (default: fr)</source>
        <translation>langue du texte (défaut : fr)</translation>
    </message>
    <message>
        <location line="+4" />
        <source>too long for a network: publish as a numbered thread rather than refuse</source>
        <translation>trop long pour un réseau : publier en fil numéroté plutôt que refuser</translation>
    </message>
    <message>
        <location line="+3" />
        <source>no preview of the first link</source>
        <translation>pas d'aperçu du premier lien</translation>
    </message>
    <message>
        <location line="+4" />
        <source>publish later, e.g. 2026-12-24T18:00+01:00</source>
        <translation>publier plus tard, par ex. 2026-12-24T18:00+01:00</translation>
    </message>
    <message>
        <location line="+9" />
        <source>team mode: submit for validation instead of publishing</source>
        <translation>mode équipe : soumettre pour validation au lieu de publier</translation>
    </message>
    <message>
        <location line="+2" />
        <source>the text (“-”: read on standard input)</source>
        <translation>le texte (« - » : lu sur l'entrée standard)</translation>
    </message>
    <message>
        <location line="+103" />
        <source>Submitted for validation: no. {id} ({accounts}).</source>
        <translation>Soumis pour validation : n°{id} ({accounts}).</translation>
    </message>
    <message>
        <location line="+3" />
        <source>This account needs a validation before publishing: a validateur must approve it (“paris-desk approvals”).</source>
        <translation>Ce compte demande une validation avant publication : un validateur doit approuver (« paris-desk approvals »).</translation>
    </message>
    <message numerus="yes">
        <location line="+18" />
        <source>%n message(s) being sent by another paris-desk: not taken over now.</source>
        <translation><numerusform>%n message en cours d'envoi par un autre paris-desk : il n'est pas repris maintenant.</numerusform><numerusform>%n messages en cours d'envoi par un autre paris-desk : ils ne sont pas repris maintenant.</numerusform></translation>
    </message>
    <message numerus="yes">
        <location line="+4" />
        <source>%n message(s) waiting in the outbox (an earlier sending interrupted, a retry or a scheduled message): sent now; see “paris-desk outbox”.</source>
        <translation><numerusform>%n message en attente dans la file d'envoi (envoi précédent interrompu, nouvelle tentative ou message programmé) : envoi maintenant ; voir « paris-desk outbox ».</numerusform><numerusform>%n messages en attente dans la file d'envoi (envoi précédent interrompu, nouvelle tentative ou message programmé) : envoi maintenant ; voir « paris-desk outbox ».</numerusform></translation>
    </message>
    <message>
        <location line="+19" />
        <source>Each --image needs its description --alt.</source>
        <translation>Chaque --image doit avoir sa description --alt.</translation>
    </message>
    <message>
        <location line="+18" />
        <source>No account: add one with “paris-desk account add”.</source>
        <translation>Aucun compte : ajoutez-en un avec « paris-desk account add ».</translation>
    </message>
    <message>
        <location line="+11" />
        <location filename="../../paris_desk/cli/team.py" line="+209" />
        <source>Warning: the team's accounts are unavailable. {sentence}</source>
        <translation>Attention : comptes de l'équipe indisponibles. {sentence}</translation>
    </message>
    <message>
        <location line="+5" />
        <source>The team's accounts whose credentials are on another workstation: {accounts}; their posts will wait in the team's outbox.</source>
        <translation>Comptes de l'équipe dont les identifiants sont sur un autre poste : {accounts} ; leurs envois attendront dans la file d'envoi de l'équipe.</translation>
    </message>
    <message>
        <location line="+70" />
        <source>Published on {account}: {url}</source>
        <translation>Publié sur {account} : {url}</translation>
    </message>
    <message>
        <location line="+3" />
        <source>Scheduled on {account}</source>
        <translation>Programmé sur {account}</translation>
    </message>
    <message>
        <location line="+3" />
        <source>In the team's outbox for {account}: the workstation or the worker that holds its credentials will publish it.</source>
        <translation>En file d'envoi de l'équipe pour {account} : le poste ou le worker qui détient ses identifiants le publiera.</translation>
    </message>
    <message>
        <location filename="../../paris_desk/cli/team.py" line="-170" />
        <source>team mode (a shared PostgreSQL database)</source>
        <translation>le mode équipe (base PostgreSQL partagée)</translation>
    </message>
    <message>
        <location line="+4" />
        <source>create the schema, the roles and the first admin</source>
        <translation>créer le schéma, les rôles et le premier admin</translation>
    </message>
    <message>
        <location line="+2" />
        <source>connection of an owner of the database</source>
        <translation>connexion d'un propriétaire de la base</translation>
    </message>
    <message>
        <location line="+2" />
        <source>the first administrator</source>
        <translation>le premier administrateur</translation>
    </message>
    <message>
        <location line="+3" />
        <location line="+8" />
        <source>their password, read on standard input</source>
        <translation>son mot de passe, lu sur l'entrée standard</translation>
    </message>
    <message>
        <location line="-4" />
        <source>add a member (admin only)</source>
        <translation>ajouter un membre (admin seulement)</translation>
    </message>
    <message>
        <location line="+7" />
        <source>join the team with this profile</source>
        <translation>rejoindre l'équipe avec ce profil</translation>
    </message>
    <message>
        <location line="+1" />
        <source>the server and the database, without a password</source>
        <translation>le serveur et la base, sans mot de passe</translation>
    </message>
    <message>
        <location line="+4" />
        <source>the password, read on standard input (kept in the keychain)</source>
        <translation>le mot de passe, lu sur l'entrée standard (gardé au trousseau)</translation>
    </message>
    <message>
        <location line="+5" />
        <source>server, member, role and schema version</source>
        <translation>serveur, membre, rôle et version du schéma</translation>
    </message>
    <message>
        <location line="+5" />
        <source>leave the team (forgets the password)</source>
        <translation>quitter l'équipe (oublie le mot de passe)</translation>
    </message>
    <message>
        <location line="+4" />
        <source>the team's accounts and their settings</source>
        <translation>les comptes de l'équipe et leurs réglages</translation>
    </message>
    <message>
        <location line="+7" />
        <source>publishing on this account needs a validation (admin)</source>
        <translation>publier sur ce compte demande une validation (admin)</translation>
    </message>
    <message>
        <location line="+2" />
        <source>id or end of the handle</source>
        <translation>id ou fin du handle</translation>
    </message>
    <message>
        <location line="+2" />
        <source>no longer ask for it</source>
        <translation>ne plus la demander</translation>
    </message>
    <message>
        <location line="+12" />
        <source>Team ready on {server}/{database} (schema {version}); this profile is a member: {user} (admin).</source>
        <translation>Équipe prête sur {server}/{database} (schéma {version}) ; ce profil en est membre : {user} (admin).</translation>
    </message>
    <message>
        <location line="+11" />
        <source>only an admin can add members</source>
        <translation>seul un admin peut ajouter des membres</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Member added: {name} ({role}).</source>
        <translation>Membre ajouté : {name} ({role}).</translation>
    </message>
    <message>
        <location line="+9" />
        <source>This profile joined the team on {server}/{database}: {user} ({role}).</source>
        <translation>Ce profil a rejoint l'équipe sur {server}/{database} : {user} ({role}).</translation>
    </message>
    <message>
        <location line="+11" />
        <source>Server: {server}</source>
        <translation>Serveur : {server}</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Database: {database}</source>
        <translation>Base : {database}</translation>
    </message>
    <message>
        <location line="+2" />
        <source>Member: {user} ({role})</source>
        <translation>Membre : {user} ({role})</translation>
    </message>
    <message>
        <location line="+2" />
        <source>Schema: {version}</source>
        <translation>Schéma : {version}</translation>
    </message>
    <message>
        <location line="+7" />
        <source>This profile is in no team.</source>
        <translation>Ce profil n'est dans aucune équipe.</translation>
    </message>
    <message>
        <location line="+2" />
        <source>This profile left the team; its password is removed from the keychain.</source>
        <translation>Ce profil a quitté l'équipe ; son mot de passe est retiré du trousseau.</translation>
    </message>
    <message>
        <location line="+12" />
        <source>No account set up for the team.</source>
        <translation>Aucun compte réglé pour l'équipe.</translation>
    </message>
    <message>
        <location line="+2" />
        <source>validation before publishing</source>
        <translation>validation avant publication</translation>
    </message>
    <message>
        <location line="+1" />
        <source>direct publishing</source>
        <translation>publication directe</translation>
    </message>
    <message>
        <location line="+9" />
        <source>only an admin changes the team's settings</source>
        <translation>seul un admin change les réglages de l'équipe</translation>
    </message>
    <message>
        <location line="+2" />
        <source>{account}: the redacteurs' posts will wait for a validation.</source>
        <translation>{account} : les publications des rédacteurs attendront une validation.</translation>
    </message>
    <message>
        <location line="+3" />
        <source>{account}: direct publishing for every member.</source>
        <translation>{account} : publication directe pour tous les membres.</translation>
    </message>
    <message>
        <location line="+17" />
        <source>accept the DSN's sslmode weaker than verify-full for a remote server (by default: refused)</source>
        <translation>accepter le sslmode plus faible que verify-full que donne le DSN pour un serveur distant (par défaut : refusé)</translation>
    </message>
    <message>
        <location line="+24" />
        <source>Empty password: give it on standard input (--password-stdin).</source>
        <translation>Mot de passe vide : donnez-le sur l'entrée standard (--password-stdin).</translation>
    </message>
    <message>
        <location line="+6" />
        <source>no role</source>
        <translation>sans rôle</translation>
    </message>
    <message>
        <location line="+9" />
        <source>Invalid member name: lowercase letters, digits, “_”, “.” or “-”, starting with a letter (63 characters at most).</source>
        <translation>Nom de membre invalide : lettres minuscules, chiffres, « _ », « . » ou « - », commençant par une lettre (63 caractères au plus).</translation>
    </message>
    <message>
        <location filename="../../paris_desk/cli/about.py" line="+20" />
        <source>the system's certificate store</source>
        <translation>magasin de certificats du système</translation>
    </message>
    <message>
        <location line="+1" />
        <source>certifi (fallback: the system's store is not read)</source>
        <translation>certifi (repli : le magasin du système n'est pas lu)</translation>
    </message>
    <message>
        <location line="+4" />
        <source>none, direct connection</source>
        <translation>aucun, connexion directe</translation>
    </message>
    <message>
        <location line="+1" />
        <source>environment variables</source>
        <translation>variables d'environnement</translation>
    </message>
    <message>
        <location line="+1" />
        <source>system settings</source>
        <translation>réglages du système</translation>
    </message>
    <message>
        <location line="+1" />
        <source>paris_desk's preferences</source>
        <translation>préférences de paris_desk</translation>
    </message>
    <message>
        <location line="+12" />
        <source>Certificates: {source} ({detail})</source>
        <translation>Certificats : {source} ({detail})</translation>
    </message>
    <message>
        <location line="+2" />
        <source>HTTPS proxy: {proxy}</source>
        <translation>Proxy HTTPS : {proxy}</translation>
    </message>
    <message>
        <location line="+3" />
        <source>No proxy for: {hosts}</source>
        <translation>Sans proxy pour : {hosts}</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Libraries: {versions}</source>
        <translation>Bibliothèques : {versions}</translation>
    </message>
    <message>
        <location line="+16" />
        <source>{name} missing</source>
        <translation>{name} absent</translation>
    </message>
    <message>
        <location filename="../../paris_desk/cli/account.py" line="+23" />
        <source>add, list or remove accounts</source>
        <translation>ajouter, lister ou retirer des comptes</translation>
    </message>
    <message>
        <location line="+4" />
        <source>add (or reconnect) an account</source>
        <translation>ajouter (ou reconnecter) un compte</translation>
    </message>
    <message>
        <location line="+3" />
        <source>a Mastodon account</source>
        <translation>un compte Mastodon</translation>
    </message>
    <message>
        <location line="+1" />
        <source>e.g. paris.social</source>
        <translation>ex. paris.social</translation>
    </message>
    <message>
        <location line="+5" />
        <source>read an access token on standard input (otherwise: sign in in the browser)</source>
        <translation>lire un jeton d'accès sur l'entrée standard (sinon : connexion dans le navigateur)</translation>
    </message>
    <message>
        <location line="+6" />
        <source>a Bluesky account</source>
        <translation>un compte Bluesky</translation>
    </message>
    <message>
        <location line="+1" />
        <source>e.g. ville.bsky.social</source>
        <translation>ex. ville.bsky.social</translation>
    </message>
    <message>
        <location line="+2" />
        <source>server (PDS), if it cannot be found from the handle</source>
        <translation>serveur (PDS), si non déductible</translation>
    </message>
    <message>
        <location line="+5" />
        <source>read the app password on standard input</source>
        <translation>lire le mot de passe d'application sur l'entrée standard</translation>
    </message>
    <message>
        <location line="+5" />
        <source>the accounts, in order</source>
        <translation>les comptes, dans l'ordre</translation>
    </message>
    <message>
        <location line="+1" />
        <location filename="../../paris_desk/cli/approvals.py" line="-96" />
        <location filename="../../paris_desk/cli/audit.py" line="+26" />
        <location filename="../../paris_desk/cli/filter.py" line="+48" />
        <location line="+5" />
        <location filename="../../paris_desk/cli/outbox.py" line="+11" />
        <location line="+11" />
        <location filename="../../paris_desk/cli/post.py" line="-262" />
        <location filename="../../paris_desk/cli/team.py" line="-161" />
        <location line="+9" />
        <location filename="../../paris_desk/cli/timeline.py" line="+34" />
        <source>JSON output</source>
        <translation>sortie JSON</translation>
    </message>
    <message>
        <location line="+4" />
        <source>remove an account and its secret</source>
        <translation>retirer un compte et son secret</translation>
    </message>
    <message>
        <location line="+2" />
        <source>id (see list) or end of the handle</source>
        <translation>id (voir list) ou fin du handle</translation>
    </message>
    <message>
        <location line="+6" />
        <source>label shown</source>
        <translation>libellé affiché</translation>
    </message>
    <message>
        <location line="+2" />
        <source>colour, e.g. #1f6feb</source>
        <translation>couleur, ex. #1f6feb</translation>
    </message>
    <message>
        <location line="+10" />
        <source>No token on standard input.</source>
        <translation>Aucun jeton sur l'entrée standard.</translation>
    </message>
    <message>
        <location line="+9" />
        <source>Authorise paris-desk in your browser, at this address:</source>
        <translation>Autorisez paris-desk dans votre navigateur, à cette adresse :</translation>
    </message>
    <message>
        <location line="+4" />
        <source>Waiting for the browser to come back…</source>
        <translation>En attente du retour du navigateur…</translation>
    </message>
    <message>
        <location line="+3" />
        <source>Paste the authorisation code (or the whole return address):</source>
        <translation>Collez le code d'autorisation (ou l'adresse de retour complète) :</translation>
    </message>
    <message>
        <location line="+4" />
        <source>No authorisation code entered.</source>
        <translation>Aucun code d'autorisation saisi.</translation>
    </message>
    <message>
        <location line="+8" />
        <source>App password: </source>
        <translation>Mot de passe d'application : </translation>
    </message>
    <message>
        <location line="+3" />
        <source>Empty password.</source>
        <translation>Mot de passe vide.</translation>
    </message>
    <message>
        <location line="+7" />
        <source>Cannot find the server of {handle} from its handle. An account hosted elsewhere than on bsky.social (the city's server, the sandbox) needs its address: add --service URL, for example --service {example}.</source>
        <translation>Impossible de trouver le serveur de {handle} à partir de son identifiant. Un compte hébergé ailleurs que sur bsky.social (le serveur de la ville, le bac à sable) demande son adresse : ajoutez --service URL, par exemple --service {example}.</translation>
    </message>
    <message>
        <location line="+6" />
        <source>Bluesky sent a sign-in code by e-mail. Enter it:</source>
        <translation>Bluesky a envoyé un code de connexion par e-mail. Saisissez-le :</translation>
    </message>
    <message>
        <location line="+9" />
        <source>Account added: {id}</source>
        <translation>Compte ajouté : {id}</translation>
    </message>
    <message>
        <location line="+17" />
        <source>{id}  (team; credentials on another workstation)</source>
        <translation>{id}  (équipe ; identifiants sur un autre poste)</translation>
    </message>
    <message>
        <location line="+15" />
        <source>Warning: account not registered with the team. {sentence}</source>
        <translation>Attention : compte non inscrit dans l'équipe. {sentence}</translation>
    </message>
    <message>
        <location line="+7" />
        <source>Account removed: {id}</source>
        <translation>Compte retiré : {id}</translation>
    </message>
    <message>
        <location filename="../../paris_desk/cli/assign.py" line="+21" />
        <source>assign an item of the inbox</source>
        <translation>assigner un élément de la boîte de réception</translation>
    </message>
    <message>
        <location line="+2" />
        <source>the “id” of “paris-desk inbox --json”</source>
        <translation>l'« id » de « paris-desk inbox --json »</translation>
    </message>
    <message>
        <location line="+3" />
        <source>a member of the team</source>
        <translation>un membre de l'équipe</translation>
    </message>
    <message>
        <location line="+1" />
        <source>assign it to nobody</source>
        <translation>ne l'assigner à personne</translation>
    </message>
    <message>
        <location line="+9" />
        <source>Invalid item: {item} (the “id” of “paris-desk inbox --json”, account/notification).</source>
        <translation>Élément invalide : {item} (l'« id » de « paris-desk inbox --json », compte/notification).</translation>
    </message>
    <message>
        <location line="+6" />
        <source>Assigned to nobody: {item}.</source>
        <translation>Assigné à personne : {item}.</translation>
    </message>
    <message>
        <location line="+1" />
        <source>This item was assigned to nobody: {item}.</source>
        <translation>Cet élément n'était assigné à personne : {item}.</translation>
    </message>
    <message>
        <location line="+5" />
        <source>{name} is not a member of the team.</source>
        <translation>{name} n'est pas membre de l'équipe.</translation>
    </message>
    <message>
        <location line="+4" />
        <source>Assigned to {name}: {item}.</source>
        <translation>Assigné à {name} : {item}.</translation>
    </message>
    <message>
        <location filename="../../paris_desk/cli/audit.py" line="-3" />
        <source>the team's audit log</source>
        <translation>le journal d'audit de l'équipe</translation>
    </message>
    <message>
        <location line="+1" />
        <source>from this date (and time)</source>
        <translation>à partir de cette date (et heure)</translation>
    </message>
    <message>
        <location line="+13" />
        <source>The audit log is empty.</source>
        <translation>Journal d'audit vide.</translation>
    </message>
    <message>
        <location line="+25" />
        <source>--since: an ISO-8601 date is expected (2026-12-07 or 2026-12-07T09:30:00Z), not “{text}”.</source>
        <translation>--since : date ISO-8601 attendue (2026-12-07 ou 2026-12-07T09:30:00Z), pas « {text} ».</translation>
    </message>
    <message>
        <location filename="../../paris_desk/cli/errors.py" line="+31" />
        <source>{account}: {sentence}</source>
        <translation>{account} : {sentence}</translation>
    </message>
    <message>
        <location filename="../../paris_desk/cli/filter.py" line="-29" />
        <source>hide</source>
        <translation>masquer</translation>
    </message>
    <message>
        <location line="+1" />
        <source>warn</source>
        <translation>avertir</translation>
    </message>
    <message>
        <location line="+5" />
        <source>word filters (hide or warn)</source>
        <translation>filtres de mots (masquer ou avertir)</translation>
    </message>
    <message>
        <location line="+4" />
        <source>add a filter</source>
        <translation>ajouter un filtre</translation>
    </message>
    <message>
        <location line="+1" />
        <source>word or phrase (whole words)</source>
        <translation>mot ou expression (mots entiers)</translation>
    </message>
    <message>
        <location line="+2" />
        <source>TEXT is a regular expression</source>
        <translation>TEXT est une expression régulière</translation>
    </message>
    <message>
        <location line="+3" />
        <location filename="../../paris_desk/cli/timeline.py" line="-4" />
        <source>id or end of the handle (repeatable; by default: every account)</source>
        <translation>id ou fin du handle (répétable ; par défaut : tous les comptes)</translation>
    </message>
    <message>
        <location line="+4" />
        <source>fold the item behind “Filtered: TEXT” (the default)</source>
        <translation>replier l'élément derrière « Filtré : TEXT » (par défaut)</translation>
    </message>
    <message>
        <location line="+3" />
        <source>hide the item (shown with --all)</source>
        <translation>masquer l'élément (visible avec --all)</translation>
    </message>
    <message>
        <location line="+4" />
        <source>the filters, with the servers' ones</source>
        <translation>les filtres, avec ceux des serveurs</translation>
    </message>
    <message>
        <location line="+6" />
        <source>remove a filter (here and on the servers)</source>
        <translation>retirer un filtre (ici et sur les serveurs)</translation>
    </message>
    <message>
        <location line="+18" />
        <source>Filter added:</source>
        <translation>Filtre ajouté :</translation>
    </message>
    <message>
        <location line="+20" />
        <source>No filter “{id}” (see “paris-desk filter list”).</source>
        <translation>Aucun filtre « {id} » (voir « paris-desk filter list »).</translation>
    </message>
    <message>
        <location line="+3" />
        <source>Filter {id} removed.</source>
        <translation>Filtre {id} retiré.</translation>
    </message>
    <message>
        <location line="+19" />
        <source>No filter. Add one with “paris-desk filter add”.</source>
        <translation>Aucun filtre. Ajoutez-en un avec « paris-desk filter add ».</translation>
    </message>
    <message>
        <location line="+3" />
        <source>regular expression</source>
        <translation>expression régulière</translation>
    </message>
    <message>
        <location line="+0" />
        <source>whole words</source>
        <translation>mots entiers</translation>
    </message>
    <message>
        <location line="+2" />
        <source>{id}  “{text}”  {action}  ({kind})</source>
        <translation>{id}  « {text} »  {action}  ({kind})</translation>
    </message>
    <message>
        <location line="+2" />
        <source>all</source>
        <translation>tous</translation>
    </message>
    <message>
        <location line="+1" />
        <source>accounts: {accounts}</source>
        <translation>comptes : {accounts}</translation>
    </message>
    <message>
        <location line="+3" />
        <source>not supported</source>
        <translation>non pris en charge</translation>
    </message>
    <message>
        <location line="+1" />
        <source>synchronised</source>
        <translation>synchronisé</translation>
    </message>
    <message>
        <location line="+1" />
        <source>not yet synchronised</source>
        <translation>pas encore synchronisé</translation>
    </message>
    <message>
        <location line="+1" />
        <source>{account}: {state}</source>
        <translation>{account} : {state}</translation>
    </message>
    <message>
        <location line="+8" />
        <source>Warning: the server of {account} was not updated (tried again at the next “filter” command): {reason}</source>
        <translation>Attention : le serveur de {account} n'a pas été mis à jour (nouvel essai à la prochaine commande « filter ») : {reason}</translation>
    </message>
    <message>
        <location line="+7" />
        <source>Invalid regular expression ({detail}).</source>
        <translation>Expression régulière invalide ({detail}).</translation>
    </message>
    <message>
        <location line="+3" />
        <source>The filter is empty.</source>
        <translation>Le filtre est vide.</translation>
    </message>
    <message>
        <location line="+1" />
        <source>The filter is too long (200 characters at most).</source>
        <translation>Le filtre est trop long (200 caractères au plus).</translation>
    </message>
    <message>
        <location filename="../../paris_desk/cli/inbox.py" line="+25" />
        <source>the accounts' notifications</source>
        <translation>les notifications des comptes</translation>
    </message>
    <message>
        <location line="+3" />
        <source>only the unread ones</source>
        <translation>seulement les non lues</translation>
    </message>
    <message>
        <location line="+3" />
        <source>team mode: only those assigned to me</source>
        <translation>mode équipe : seulement celles qui me sont assignées</translation>
    </message>
    <message>
        <location line="+41" />
        <source>--assigned-to-me: this profile is in no team.</source>
        <translation>--assigned-to-me : ce profil n'est dans aucune équipe.</translation>
    </message>
    <message>
        <location filename="../../paris_desk/cli/main.py" line="+48" />
        <source>Mastodon and Bluesky workstation. Without a command: the application.</source>
        <translation>Poste de travail Mastodon et Bluesky. Sans commande : l'application.</translation>
    </message>
    <message>
        <location line="+6" />
        <source>training profile (local servers, never the real accounts)</source>
        <translation>profil d'entraînement (serveurs locaux, jamais les vrais comptes)</translation>
    </message>
    <message>
        <location line="+2" />
        <source>the application's language (fr, en)</source>
        <translation>langue de l'application (fr, en)</translation>
    </message>
    <message>
        <location line="+2" />
        <source>version, then quit</source>
        <translation>version, puis quitter</translation>
    </message>
    <message>
        <location line="+5" />
        <source>with --version: trusted certificates, proxy, libraries</source>
        <translation>avec --version : certificats de confiance, proxy, bibliothèques</translation>
    </message>
    <message>
        <location line="+101" />
        <source>Interrupted.</source>
        <translation>Interrompu.</translation>
    </message>
    <message>
        <location filename="../../paris_desk/cli/outbox.py" line="-21" />
        <source>being sent</source>
        <translation>en cours d'envoi</translation>
    </message>
    <message>
        <location line="+1" />
        <source>published</source>
        <translation>publié</translation>
    </message>
    <message>
        <location line="+1" />
        <source>failed</source>
        <translation>échec</translation>
    </message>
    <message>
        <location line="+1" />
        <source>cancelled</source>
        <translation>annulé</translation>
    </message>
    <message>
        <location line="+5" />
        <source>the outbox: see, send, retry</source>
        <translation>la file d'envoi : voir, envoyer, réessayer</translation>
    </message>
    <message>
        <location line="+3" />
        <source>the published and cancelled messages too</source>
        <translation>aussi les messages publiés et annulés</translation>
    </message>
    <message>
        <location line="+5" />
        <source>send what is due now, wait, quit</source>
        <translation>envoyer maintenant ce qui est dû, attendre, quitter</translation>
    </message>
    <message>
        <location line="+3" />
        <location filename="../../paris_desk/cli/post.py" line="-2" />
        <source>maximum duration of the retries (default: %(default).0f s)</source>
        <translation>durée maximale des nouvelles tentatives (défaut : %(default).0f s)</translation>
    </message>
    <message>
        <location line="+5" />
        <source>put a failed message back in the outbox</source>
        <translation>remettre en file un message en échec</translation>
    </message>
    <message>
        <location line="+3" />
        <location line="+8" />
        <source>number of the message (see “outbox”)</source>
        <translation>numéro du message (voir « outbox »)</translation>
    </message>
    <message>
        <location line="-6" />
        <source>every failed message</source>
        <translation>tous les messages en échec</translation>
    </message>
    <message>
        <location line="+4" />
        <source>never send a waiting or failed message</source>
        <translation>ne jamais envoyer un message en attente ou en échec</translation>
    </message>
    <message>
        <location line="+18" />
        <source>The outbox is empty.</source>
        <translation>File d'envoi vide.</translation>
    </message>
    <message>
        <location line="+8" />
        <source>--timeout must be positive.</source>
        <translation>--timeout doit être positif.</translation>
    </message>
    <message>
        <location line="+10" />
        <source>Nothing to send.</source>
        <translation>Rien à envoyer.</translation>
    </message>
    <message>
        <location line="+17" />
        <source>Message #{id} has not failed ({state}).</source>
        <translation>Le message #{id} n'est pas en échec ({state}).</translation>
    </message>
    <message>
        <location line="+5" />
        <source>Message #{id} back in the outbox.</source>
        <translation>Message #{id} remis en file d'envoi.</translation>
    </message>
    <message>
        <location line="+2" />
        <source>To send: “paris-desk outbox run” (or the application, if it is open).</source>
        <translation>Envoi : « paris-desk outbox run » (ou l'application, si elle est ouverte).</translation>
    </message>
    <message>
        <location line="+3" />
        <source>No failed message.</source>
        <translation>Aucun message en échec.</translation>
    </message>
    <message>
        <location line="+10" />
        <source>Message #{id} cannot be cancelled ({state}).</source>
        <translation>Le message #{id} ne peut pas être annulé ({state}).</translation>
    </message>
    <message>
        <location line="+5" />
        <source>Message #{id} cancelled: it will never be sent.</source>
        <translation>Message #{id} annulé : il ne sera jamais envoyé.</translation>
    </message>
    <message>
        <location line="+3" />
        <source>The rest of the thread is cancelled too: {ids}.</source>
        <translation>Suite du fil annulée aussi : {ids}.</translation>
    </message>
    <message>
        <location line="+25" />
        <source>#{id}  {state}  {account}  “{text}”</source>
        <translation>#{id}  {state}  {account}  « {text} »</translation>
    </message>
    <message>
        <location line="+4" />
        <source> (part {part})</source>
        <translation> (partie {part})</translation>
    </message>
    <message>
        <location line="+5" />
        <source>, not before {when}</source>
        <translation>, pas avant {when}</translation>
    </message>
    <message>
        <location line="+6" />
        <source>{line}: {more}</source>
        <translation>{line} : {more}</translation>
    </message>
    <message>
        <location line="+21" />
        <source>{account}: message #{id} still being sent by another paris-desk.</source>
        <translation>{account} : message #{id} toujours en cours d'envoi par un autre paris-desk.</translation>
    </message>
    <message>
        <location line="+4" />
        <source>{account}: message #{id} not sent yet, tried again later.</source>
        <translation>{account} : message #{id} pas encore envoyé, nouvelle tentative plus tard.</translation>
    </message>
    <message>
        <location line="+3" />
        <source>{account}: message #{id} {state}.</source>
        <translation>{account} : message #{id} {state}.</translation>
    </message>
    <message>
        <location line="+15" />
        <source>Invalid message number: {ref}.</source>
        <translation>Numéro de message invalide : {ref}.</translation>
    </message>
    <message>
        <location line="+5" />
        <source>No message #{id} in the outbox.</source>
        <translation>Aucun message #{id} dans la file d'envoi.</translation>
    </message>
    <message numerus="yes">
        <location filename="../../paris_desk/cli/output.py" line="+79" />
        <source>%n hidden by a filter (--all to see them)</source>
        <translation><numerusform>%n masqué par un filtre (--all pour les voir)</numerusform><numerusform>%n masqués par un filtre (--all pour les voir)</numerusform></translation>
    </message>
    <message>
        <location line="+5" />
        <source>[hidden: {words}]</source>
        <translation>[masqué : {words}]</translation>
    </message>
    <message>
        <location line="+1" />
        <source>[Filtered: {words}]</source>
        <translation>[Filtré : {words}]</translation>
    </message>
    <message>
        <location line="+24" />
        <source>No account. Add one with “paris-desk account add”.</source>
        <translation>Aucun compte. Ajoutez-en un avec « paris-desk account add ».</translation>
    </message>
    <message>
        <location line="+2" />
        <source>  “{label}”</source>
        <translation>  « {label} »</translation>
    </message>
    <message>
        <location line="+10" />
        <source>  (reposted by {handle})</source>
        <translation>  (partagé par {handle})</translation>
    </message>
    <message>
        <location line="+9" />
        <source>[content warning: {text}]</source>
        <translation>[avertissement : {text}]</translation>
    </message>
    <message>
        <location line="+5" />
        <source>no description</source>
        <translation>sans description</translation>
    </message>
    <message>
        <location line="+1" />
        <source>[image: {alt}]</source>
        <translation>[image : {alt}]</translation>
    </message>
    <message>
        <location line="+2" />
        <source>seen by: {accounts}</source>
        <translation>vu par : {accounts}</translation>
    </message>
    <message>
        <location line="+5" />
        <source>mentions you</source>
        <translation>vous mentionne</translation>
    </message>
    <message>
        <location line="+1" />
        <source>replied</source>
        <translation>a répondu</translation>
    </message>
    <message>
        <location line="+1" />
        <source>quotes you</source>
        <translation>vous cite</translation>
    </message>
    <message>
        <location line="+1" />
        <source>liked</source>
        <translation>a aimé</translation>
    </message>
    <message>
        <location line="+1" />
        <source>reposted</source>
        <translation>a partagé</translation>
    </message>
    <message>
        <location line="+1" />
        <source>follows you</source>
        <translation>vous suit</translation>
    </message>
    <message>
        <location line="+1" />
        <source>sent a notification</source>
        <translation>a envoyé une notification</translation>
    </message>
    <message>
        <location filename="../../paris_desk/cli/profile.py" line="+14" />
        <source>accounts</source>
        <translation>comptes</translation>
    </message>
    <message>
        <location line="+1" />
        <source>drafts</source>
        <translation>brouillons</translation>
    </message>
    <message>
        <location line="+1" />
        <source>posts waiting or sent</source>
        <translation>envois en attente ou faits</translation>
    </message>
    <message>
        <location line="+1" />
        <source>posts' images</source>
        <translation>images d'envois</translation>
    </message>
    <message>
        <location line="+1" />
        <source>groups of accounts</source>
        <translation>groupes de comptes</translation>
    </message>
    <message>
        <location line="+1" />
        <source>inbox tracking</source>
        <translation>suivi de la boîte de réception</translation>
    </message>
    <message>
        <location line="+1" />
        <source>filters</source>
        <translation>filtres</translation>
    </message>
    <message>
        <location line="+5" />
        <source>the local profile (database, permissions)</source>
        <translation>le profil local (base, droits)</translation>
    </message>
    <message>
        <location line="+5" />
        <source>set a damaged database aside and rebuild it (drafts and posts kept if readable)</source>
        <translation>mettre de côté une base endommagée et la reconstruire (brouillons et envois conservés s'ils sont lisibles)</translation>
    </message>
    <message>
        <location line="+4" />
        <source>even if the database seems intact</source>
        <translation>même si la base semble intacte</translation>
    </message>
    <message>
        <location line="+18" />
        <source>The local database is intact ({path}): nothing to do.</source>
        <translation>La base locale est intacte ({path}) : rien à faire.</translation>
    </message>
    <message>
        <location line="+6" />
        <source>Damaged database set aside: {path}</source>
        <translation>Base endommagée mise de côté : {path}</translation>
    </message>
    <message>
        <location line="+2" />
        <source>Recovered: {what}.</source>
        <translation>Récupéré : {what}.</translation>
    </message>
    <message>
        <location line="+1" />
        <source>nothing readable</source>
        <translation>rien de lisible</translation>
    </message>
    <message>
        <location line="+2" />
        <source>everything</source>
        <translation>tout</translation>
    </message>
    <message>
        <location line="+2" />
        <source>Unreadable (in part or in whole): {what}.</source>
        <translation>Illisible (en partie ou en entier) : {what}.</translation>
    </message>
    <message>
        <location line="+1" />
        <source>The posts and notifications will be loaded again from the servers.</source>
        <translation>Les messages et notifications seront rechargés depuis les serveurs.</translation>
    </message>
    <message>
        <location filename="../../paris_desk/cli/timeline.py" line="-11" />
        <source>the accounts' home timelines, merged</source>
        <translation>le fil d'accueil des comptes, fusionné</translation>
    </message>
    <message>
        <location line="+17" />
        <source>show the items a filter hides too</source>
        <translation>montrer aussi les éléments masqués par un filtre</translation>
    </message>
    <message>
        <location line="+6" />
        <source>must be at least 1</source>
        <translation>doit être au moins 1</translation>
    </message>
    <message>
        <location filename="../../paris_desk/cli/worker.py" line="+31" />
        <source>send the messages due, without a window</source>
        <translation>envoyer les messages dus, sans fenêtre</translation>
    </message>
    <message>
        <location line="+3" />
        <source>send what is due now, then quit</source>
        <translation>envoyer ce qui est dû maintenant, puis quitter</translation>
    </message>
    <message>
        <location line="+22" />
        <source>Automatic sending running (stop: Ctrl-C or SIGTERM).</source>
        <translation>Envoi automatique en marche (arrêt : Ctrl-C ou SIGTERM).</translation>
    </message>
    <message>
        <location line="+8" />
        <source>Automatic sending stopped.</source>
        <translation>Envoi automatique arrêté.</translation>
    </message>
    <message>
        <location filename="../../paris_desk/cli/sandbox.py" line="+12" />
        <source>local training servers</source>
        <translation>serveurs d'entraînement locaux</translation>
    </message>
    <message>
        <location line="+3" />
        <source>start the local Mastodon and Bluesky servers (Ctrl-C to stop)</source>
        <translation>lancer les serveurs Mastodon et Bluesky locaux (Ctrl-C pour arrêter)</translation>
    </message>
    <message>
        <location line="+3" />
        <location line="+2" />
        <source>0: any free port</source>
        <translation>0 : au hasard</translation>
    </message>
    <message>
        <location line="+2" />
        <source>added delay</source>
        <translation>délai ajouté</translation>
    </message>
    <message>
        <location line="+2" />
        <source>the data's seed</source>
        <translation>graine des données</translation>
    </message>
    <message>
        <location line="+3" />
        <source>accounts per network (the accounts added are throwaway)</source>
        <translation>comptes par réseau (les comptes ajoutés sont jetables)</translation>
    </message>
</context>
<context>
    <name>errors</name>
    <message>
        <location filename="../../paris_desk/services/sentences.py" line="+69" />
        <source>The disk is full: paris_desk could not save. Free some space, then try again.</source>
        <translation>Le disque est plein : paris_desk n'a pas pu enregistrer. Libérez de la place, puis réessayez.</translation>
    </message>
    <message>
        <location line="+3" />
        <source>The local database is in use by another paris_desk; close it, then try again.</source>
        <translation>La base de données locale est utilisée par un autre paris_desk ; fermez-le, puis réessayez.</translation>
    </message>
    <message>
        <location line="+4" />
        <source>The local database is damaged. paris_desk can move it aside and rebuild it from the servers, keeping the accounts, drafts and outbox it can still read. Your credentials are safe in the keychain.</source>
        <translation>La base locale est endommagée. paris_desk peut la mettre de côté et la reconstruire depuis les serveurs, en gardant les comptes, brouillons et envois encore lisibles. Vos identifiants restent en sécurité dans le trousseau.</translation>
    </message>
    <message>
        <location line="+6" />
        <source>The local database is empty (0 bytes: an interrupted copy or a full disk?). Put back a backup if you have one; otherwise paris_desk can start a new database (the accounts will have to be added again).</source>
        <translation>La base locale est vide (0 octet : copie interrompue ou disque plein ?). Remettez une sauvegarde si vous en avez une ; sinon paris_desk peut repartir d’une base neuve (les comptes seront à rajouter).</translation>
    </message>
    <message>
        <location line="+6" />
        <source>paris_desk may not write to its data folder (read-only disk or permission refused).</source>
        <translation>paris_desk ne peut pas écrire dans son dossier de données (disque en lecture seule ou permission refusée).</translation>
    </message>
    <message>
        <location line="+4" />
        <source>The disk failed to read or write the local database.</source>
        <translation>Le disque n'a pas pu lire ou écrire la base de données locale.</translation>
    </message>
    <message>
        <location line="+3" />
        <source>This profile was written by a newer paris_desk: update paris_desk to open it.</source>
        <translation>Ce profil a été écrit par une version plus récente de paris_desk : mettez paris_desk à jour pour l'ouvrir.</translation>
    </message>
    <message>
        <location line="+5" />
        <source>Check at least one account.</source>
        <translation>Cochez au moins un compte.</translation>
    </message>
    <message>
        <location line="+1" />
        <source>The post is empty.</source>
        <translation>Le message est vide.</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Every image needs an alt text.</source>
        <translation>Chaque image doit avoir un texte alternatif.</translation>
    </message>
    <message>
        <location line="+1" />
        <source>An alt text is too long for the network.</source>
        <translation>Un texte alternatif est trop long pour le réseau.</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Replace the stylised letters with plain ones.</source>
        <translation>Remplacez les lettres stylisées par des lettres simples.</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Too many images for the checked accounts.</source>
        <translation>Trop d’images pour les comptes cochés.</translation>
    </message>
    <message>
        <location line="+1" />
        <source>The scheduled time has passed.</source>
        <translation>L’heure de publication programmée est passée.</translation>
    </message>
    <message>
        <location line="+1" />
        <source>This draft is already being published.</source>
        <translation>Ce brouillon est déjà en cours de publication.</translation>
    </message>
    <message>
        <location line="+20" />
        <source>this account</source>
        <translation>ce compte</translation>
    </message>
    <message>
        <location line="+6" />
        <source>“{ref}” names several accounts ({matches}): say which one.</source>
        <translation>« {ref} » désigne plusieurs comptes ({matches}) : précisez lequel.</translation>
    </message>
    <message>
        <location line="+4" />
        <source>No account “{ref}” in paris_desk.</source>
        <translation>Aucun compte « {ref} » dans paris_desk.</translation>
    </message>
    <message>
        <location line="-87" />
        <source>The team's database refused: your role does not allow it. Nothing was changed.</source>
        <translation>Refusé par la base de l'équipe : votre rôle ne le permet pas. Rien n'a été modifié.</translation>
    </message>
    <message>
        <location line="+3" />
        <source>The team's server refused your name or password: join the team again (“paris-desk team join”).</source>
        <translation>Le serveur de l'équipe a refusé votre nom ou votre mot de passe : rejoignez de nouveau l'équipe (« paris-desk team join »).</translation>
    </message>
    <message>
        <location line="+3" />
        <source>The team's server does not answer: check the network, then try again.</source>
        <translation>Le serveur de l'équipe ne répond pas : vérifiez le réseau, puis réessayez.</translation>
    </message>
    <message>
        <location line="+2" />
        <source>This profile is in no team (“paris-desk team join”).</source>
        <translation>Ce profil n'est dans aucune équipe (« paris-desk team join »).</translation>
    </message>
    <message>
        <location line="+4" />
        <source>The team's database has no paris_desk schema, or you are not a member of the team.</source>
        <translation>La base de l'équipe n'a pas de schéma paris_desk, ou vous n'êtes pas membre de l'équipe.</translation>
    </message>
    <message>
        <location line="+109" />
        <source>The team's database failed ({kind}); try again.</source>
        <translation>La base de l'équipe a échoué ({kind}) ; réessayez.</translation>
    </message>
    <message>
        <location line="+11" />
        <source>No system keychain available: paris_desk cannot store your credentials.</source>
        <translation>Aucun trousseau système disponible : paris_desk ne peut pas enregistrer vos identifiants.</translation>
    </message>
    <message>
        <location line="+4" />
        <source>The system keychain is locked or refused access: unlock it, then try again.</source>
        <translation>Le trousseau système est verrouillé ou a refusé l'accès : déverrouillez-le, puis réessayez.</translation>
    </message>
    <message>
        <location line="+4" />
        <source>The system keychain refused the operation; try again.</source>
        <translation>Le trousseau système a refusé l'opération ; réessayez.</translation>
    </message>
    <message>
        <location line="+183" />
        <source>{file}: file not found.</source>
        <translation>{file} : fichier introuvable.</translation>
    </message>
    <message>
        <location line="+2" />
        <source>{file} is not a regular file.</source>
        <translation>{file} n’est pas un fichier ordinaire.</translation>
    </message>
    <message>
        <location line="+2" />
        <source>{file}: file too big ({count} bytes, at most {limit}).</source>
        <translation>{file} : fichier trop gros ({count} octets, {limit} au plus).</translation>
    </message>
    <message>
        <location line="+6" />
        <source>@{handle}: no such Bluesky account.</source>
        <translation>@{handle} : aucun compte Bluesky à ce nom.</translation>
    </message>
    <message>
        <location line="+8" />
        <source>Too long for {network} ({host}): {count} characters for at most {limit}; split it into a thread or shorten the text.</source>
        <translation>Trop long pour {network} ({host}) : {count} caractères pour {limit} au plus ; découpez-le en fil ou raccourcissez le texte.</translation>
    </message>
    <message>
        <location line="+5" />
        <source>Too long for {network}: {count} characters for at most {limit}; split it into a thread or shorten the text.</source>
        <translation>Trop long pour {network} : {count} caractères pour {limit} au plus ; découpez-le en fil ou raccourcissez le texte.</translation>
    </message>
    <message>
        <location line="+8" />
        <source>{file}: image too large ({size}).</source>
        <translation>{file} : image trop grande ({size}).</translation>
    </message>
    <message>
        <location line="+2" />
        <source>{file} cannot be read as an image ({detail}).</source>
        <translation>{file} n’est pas une image lisible ({detail}).</translation>
    </message>
    <message>
        <location line="+2" />
        <source>unknown format</source>
        <translation>format inconnu</translation>
    </message>
    <message>
        <location line="+10" />
        <source>{account}: not sent in the time allowed.</source>
        <translation>{account} : pas envoyé dans le délai.</translation>
    </message>
    <message>
        <location line="+3" />
        <source>{account}: sending interrupted (the program stopped).</source>
        <translation>{account} : envoi interrompu (arrêt du programme).</translation>
    </message>
    <message>
        <location line="+6" />
        <source>Publishing on {account} failed ({reason}).</source>
        <translation>La publication sur {account} a échoué ({reason}).</translation>
    </message>
    <message>
        <location line="+8" />
        <source>The draft is kept; change it before publishing again.</source>
        <translation>Le brouillon est conservé ; modifiez-le avant de le publier à nouveau.</translation>
    </message>
    <message>
        <location line="+3" />
        <source>Next try at {when}.</source>
        <translation>Prochain essai à {when}.</translation>
    </message>
    <message numerus="yes">
        <location line="+2" />
        <source>The post is kept in the outbox (%n attempt(s)).</source>
        <translation><numerusform>Message conservé dans la file d’envoi (%n tentative).</numerusform><numerusform>Message conservé dans la file d’envoi (%n tentatives).</numerusform></translation>
    </message>
    <message>
        <location line="+7" />
        <source>Error: {sentence}</source>
        <translation>Erreur : {sentence}</translation>
    </message>
    <message>
        <location line="+3" />
        <source>Nothing was published or queued.</source>
        <translation>Rien n’a été publié ni mis en file d’envoi.</translation>
    </message>
    <message>
        <location line="+3" />
        <source>Database file: {path}.</source>
        <translation>Fichier de la base : {path}.</translation>
    </message>
    <message>
        <location line="+6" />
        <source>Command: paris-desk profile repair.</source>
        <translation>Commande : paris-desk profile repair.</translation>
    </message>
    <message>
        <location line="+2" />
        <source>See: paris-desk account list.</source>
        <translation>Voir : paris-desk account list.</translation>
    </message>
    <message>
        <location line="+2" />
        <source>Command: paris-desk account add.</source>
        <translation>Commande : paris-desk account add.</translation>
    </message>
    <message>
        <location line="+6" />
        <source>To post it as a numbered thread: --split.</source>
        <translation>Pour le publier en fil numéroté : --split.</translation>
    </message>
    <message>
        <location line="-293" />
        <source>Internal error ({kind}). The details were written to the log.</source>
        <translation>Erreur interne ({kind}). Les détails ont été écrits dans le journal.</translation>
    </message>
    <message>
        <location line="-116" />
        <source>This name already exists on the team's server.</source>
        <translation>Ce nom existe déjà sur le serveur de l'équipe.</translation>
    </message>
    <message>
        <location line="+89" />
        <source>The team's database refused: {reason}. Nothing was changed.</source>
        <translation>Refusé par la base de l'équipe : {reason}. Rien n'a été modifié.</translation>
    </message>
    <message>
        <location line="+4" />
        <source>The team's server ({host}) is on another machine and sslmode={mode} does not check its identity: nothing was sent to it. Use sslmode=verify-full (with sslrootcert=FILE for your organisation's certificate authority), or join again with --allow-unverified-tls.</source>
        <translation>Le serveur de l'équipe ({host}) est sur une autre machine et sslmode={mode} ne vérifie pas son identité : rien ne lui a été envoyé. Utilisez sslmode=verify-full (avec sslrootcert=FICHIER pour l'autorité de certification de votre organisation), ou rejoignez l'équipe avec --allow-unverified-tls.</translation>
    </message>
    <message>
        <location line="+6" />
        <source>The team's database is at schema {found}, newer than this paris_desk (schema {known}): update paris_desk to use it. The database was not touched.</source>
        <translation>La base de l'équipe est au schéma {found}, plus récent que ce paris_desk (schéma {known}) : mettez paris_desk à jour pour l'utiliser. La base n'a pas été touchée.</translation>
    </message>
    <message>
        <location line="+5" />
        <source>The team's database is at schema {found}, older than this paris_desk (schema {known}): an admin must run “paris-desk team init”.</source>
        <translation>La base de l'équipe est au schéma {found}, plus ancien que ce paris_desk (schéma {known}) : un administrateur doit lancer « paris-desk team init ».</translation>
    </message>
    <message>
        <location line="+31" />
        <source>this server</source>
        <translation>ce serveur</translation>
    </message>
    <message>
        <location line="+3" />
        <source>The server's certificate is not recognised (unknown authority: {issuer}); paris_desk refused the connection to {host}.</source>
        <translation>Le certificat du serveur n'est pas reconnu (autorité inconnue : {issuer}) ; paris_desk a refusé la connexion à {host}.</translation>
    </message>
    <message>
        <location line="+6" />
        <source>The server's certificate is not recognised (unknown authority); paris_desk refused the connection to {host}.</source>
        <translation>Le certificat du serveur n'est pas reconnu (autorité inconnue) ; paris_desk a refusé la connexion à {host}.</translation>
    </message>
    <message>
        <location line="+8" />
        <source>The server's certificate has expired (valid until {date}); paris_desk refused the connection to {host}. The server must renew its certificate: tell its administrator, or check this computer's date.</source>
        <translation>Le certificat du serveur a expiré (valable jusqu'au {date}) ; paris_desk a refusé la connexion à {host}. Le serveur doit renouveler son certificat : prévenez son administrateur, ou vérifiez la date de cet ordinateur.</translation>
    </message>
    <message>
        <location line="+7" />
        <source>The server's certificate does not match its address (it is for: {names}); paris_desk refused the connection to {host}. Check the server's address.</source>
        <translation>Le certificat du serveur ne correspond pas à son adresse (il est fait pour : {names}) ; paris_desk a refusé la connexion à {host}. Vérifiez l'adresse du serveur.</translation>
    </message>
    <message>
        <location line="+5" />
        <source>The server's certificate is not valid; paris_desk refused the connection to {host}.</source>
        <translation>Le certificat du serveur n'est pas valable ; paris_desk a refusé la connexion à {host}.</translation>
    </message>
    <message>
        <location line="+6" />
        <source>If your IT department uses its own certificate, it must be installed in the system's certificate store.</source>
        <translation>Si votre service informatique utilise son propre certificat, il doit être installé dans le magasin de certificats du système.</translation>
    </message>
    <message>
        <location line="+7" />
        <source>the proxy</source>
        <translation>le proxy</translation>
    </message>
    <message>
        <location line="+2" />
        <source>The proxy {proxy} does not answer: check the connection and the proxy setting (Preferences › Network), then try again.</source>
        <translation>Le proxy {proxy} ne répond pas : vérifiez la connexion et le réglage du proxy (Préférences › Réseau), puis recommencez.</translation>
    </message>
    <message>
        <location line="+6" />
        <source>The proxy {proxy} could not reach the server ({status}): try again later; if it lasts, ask your IT department whether this server is allowed.</source>
        <translation>Le proxy {proxy} n'a pas pu joindre le serveur ({status}) : réessayez plus tard ; si cela dure, demandez à votre service informatique s'il est autorisé.</translation>
    </message>
    <message>
        <location line="+6" />
        <source>The proxy {proxy} requires identification (407): ask your IT department to let paris_desk through, or give the identifier in the proxy address (HTTPS_PROXY=http://identifier:password@proxy:port).</source>
        <translation>Le proxy {proxy} exige une identification (407) : demandez à votre service informatique d'autoriser paris_desk, ou donnez l'identifiant dans l'adresse du proxy (HTTPS_PROXY=http://identifiant:motdepasse@proxy:port).</translation>
    </message>
    <message>
        <location line="+6" />
        <source>The proxy {proxy} refused the connection ({status}): ask your IT department to allow this server.</source>
        <translation>Le proxy {proxy} a refusé la connexion ({status}) : demandez à votre service informatique d'autoriser ce serveur.</translation>
    </message>
    <message>
        <location line="+11" />
        <source>{day}/{month}/{year}</source>
        <translation>{day}/{month}/{year}</translation>
    </message>
    <message>
        <location line="+10" />
        <source>Connection refused: {url} is not encrypted (http://), your credentials would travel in clear. Use its https:// address.</source>
        <translation>Connexion refusée : {url} n’est pas chiffré (http://), vos identifiants y circuleraient en clair. Utilisez son adresse en https://.</translation>
    </message>
    <message>
        <location line="+7" />
        <source>This address answers with a web page: it is not a Bluesky server (PDS). Check the address of the server.</source>
        <translation>Cette adresse répond par une page web : ce n’est pas un serveur Bluesky (PDS). Vérifiez l’adresse du serveur.</translation>
    </message>
    <message>
        <location line="+5" />
        <source>This address answers with a web page: it is not a Mastodon server. Check the address of the instance.</source>
        <translation>Cette adresse répond par une page web : ce n’est pas un serveur Mastodon. Vérifiez l’adresse de l’instance.</translation>
    </message>
    <message>
        <location line="+31" />
        <source>The session of {account} has expired; sign in again.</source>
        <translation>La session de {account} a expiré ; reconnectez-vous.</translation>
    </message>
    <message>
        <location line="-22" />
        <source>A sign-in code was sent to the e-mail address of the account: enter it to continue.</source>
        <translation>Un code de connexion a été envoyé à l'adresse e-mail du compte : saisissez-le pour continuer.</translation>
    </message>
    <message>
        <location line="+6" />
        <source>Identifier or password refused. On Bluesky, use an app password (Settings › Privacy and security › App passwords).</source>
        <translation>Identifiant ou mot de passe refusé. Sur Bluesky, utilisez un mot de passe d'application (Paramètres › Confidentialité et sécurité › Mots de passe d'application).</translation>
    </message>
    <message>
        <location line="+6" />
        <source>Server not found: check the address of the instance or server.</source>
        <translation>Instance introuvable : vérifiez l'adresse de l'instance ou du serveur.</translation>
    </message>
    <message>
        <location line="+14" />
        <source>Not found: this post or account no longer exists for {account}.</source>
        <translation>Introuvable : ce message ou ce compte n'existe plus pour {account}.</translation>
    </message>
    <message>
        <location line="+4" />
        <source>Network unreachable: the server of {account} did not answer. Check the connection, then try again.</source>
        <translation>Réseau injoignable : le serveur de {account} n'a pas répondu. Vérifiez la connexion, puis réessayez.</translation>
    </message>
    <message>
        <location line="+22" />
        <source>Too many requests for {account}: try again in a few minutes.</source>
        <translation>Trop de requêtes pour {account} : réessayez dans quelques minutes.</translation>
    </message>
    <message>
        <location line="-14" />
        <source>The server of {account} refused this content: {reason}</source>
        <translation>Le serveur de {account} a refusé ce contenu : {reason}</translation>
    </message>
    <message>
        <location line="+3" />
        <source>no reason given</source>
        <translation>aucune raison donnée</translation>
    </message>
    <message>
        <location line="+2" />
        <source>The server of {account} is failing; try again later.</source>
        <translation>Le serveur de {account} est en panne ; réessayez plus tard.</translation>
    </message>
    <message>
        <location line="+3" />
        <source>The operation failed for {account} ({kind}).</source>
        <translation>L'opération a échoué pour {account} ({kind}).</translation>
    </message>
    <message numerus="yes">
        <location line="+10" />
        <source>Too many requests for {account}: try again in %n second(s).</source>
        <translation><numerusform>Trop de requêtes pour {account} : réessayez dans %n seconde.</numerusform><numerusform>Trop de requêtes pour {account} : réessayez dans %n secondes.</numerusform></translation>
    </message>
</context>
<context>
    <name>repair</name>
    <message>
        <location filename="../../paris_desk/ui/shell/repair_offer.py" line="+26" />
        <source>The damaged file is kept beside the new one; the posts and notifications are fetched again from the servers.</source>
        <translation>Le fichier endommagé est gardé à côté du nouveau ; les messages et notifications sont rechargés depuis les serveurs.</translation>
    </message>
    <message>
        <location line="+5" />
        <source>Move aside and rebuild</source>
        <translation>Mettre de côté et reconstruire</translation>
    </message>
    <message>
        <location line="+2" />
        <source>Quit</source>
        <translation>Quitter</translation>
    </message>
    <message>
        <location line="+12" />
        <source>The damaged database was moved to {path}. Items kept: {count}.</source>
        <translation>La base endommagée a été déplacée vers {path}. Éléments conservés : {count}.</translation>
    </message>
    <message>
        <location line="+4" />
        <source>Some data could not be read.</source>
        <translation>Certaines données n’ont pas pu être lues.</translation>
    </message>
</context>
</TS>
