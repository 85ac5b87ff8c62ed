<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="fr" sourcelanguage="en">
<context>
    <name>AccountDialog</name>
    <message>
        <location filename="../../paris_desk/ui/account_dialogs.py" line="+70"/>
        <source>Label</source>
        <translation>Libellé</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>e.g. City hall, Libraries</source>
        <translation>par ex. Mairie, Bibliothèques</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Status</source>
        <translation>État</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Cancel</source>
        <translation>Annuler</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>&amp;Label:</source>
        <translation>&amp;Libellé&#xa0;:</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Co&amp;lour:</source>
        <translation>C&amp;ouleur&#xa0;:</translation>
    </message>
</context>
<context>
    <name>AccountsModel</name>
    <message>
        <location filename="../../paris_desk/ui/accounts_model.py" line="+44"/>
        <source>{label}, {handle}, {network} account</source>
        <translation>{label}, {handle}, compte {network}</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>{handle}, {network} account</source>
        <translation>{handle}, compte {network}</translation>
    </message>
</context>
<context>
    <name>AccountsPanel</name>
    <message>
        <location filename="../../paris_desk/ui/accounts_panel.py" line="+64"/>
        <source>Accounts</source>
        <translation>Comptes</translation>
    </message>
    <message>
        <location line="+30"/>
        <source>Add a &amp;Mastodon account…</source>
        <translation>Ajouter un compte &amp;Mastodon…</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Add a &amp;Bluesky account…</source>
        <translation>Ajouter un compte &amp;Bluesky…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Rename…</source>
        <translation>&amp;Renommer…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Change &amp;colour…</source>
        <translation>Changer la &amp;couleur…</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Move &amp;up</source>
        <translation>Mon&amp;ter</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Move &amp;down</source>
        <translation>&amp;Descendre</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Re&amp;connect…</source>
        <translation>Reco&amp;nnecter…</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Re&amp;move…</source>
        <translation>&amp;Supprimer…</translation>
    </message>
    <message>
        <location line="+15"/>
        <source>Add</source>
        <translation>Ajouter</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Add an account</source>
        <translation>Ajouter un compte</translation>
    </message>
    <message>
        <location line="+148"/>
        <source>Rename {handle}</source>
        <translation>Renommer {handle}</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Label shown for this account:</source>
        <translation>Libellé affiché pour ce compte&#xa0;:</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>Colour of {account}</source>
        <translation>Couleur de {account}</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>Remove an account</source>
        <translation>Supprimer un compte</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Remove {account} from paris_desk? Its credentials are deleted from the keychain; nothing is deleted on the server.</source>
        <translation>Supprimer {account} de paris_desk&#xa0;? Ses identifiants sont effacés du trousseau&#xa0;; rien n&apos;est supprimé sur le serveur.</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Remove</source>
        <translation>Supprimer</translation>
    </message>
</context>
<context>
    <name>BlueskyAccountDialog</name>
    <message>
        <location filename="../../paris_desk/ui/account_dialogs.py" line="+248"/>
        <source>Reconnect {handle}</source>
        <translation>Reconnecter {handle}</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Add a Bluesky account</source>
        <translation>Ajouter un compte Bluesky</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Identifier</source>
        <translation>Identifiant</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>e.g. ville.bsky.social or an e-mail address</source>
        <translation>par ex. ville.bsky.social ou une adresse e-mail</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>App password</source>
        <translation>Mot de passe d&apos;application</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Server (PDS), optional</source>
        <translation>Serveur (PDS), facultatif</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Code received by e-mail</source>
        <translation>Code reçu par e-mail</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>E-mail &amp;code:</source>
        <translation>&amp;Code reçu par e-mail&#xa0;:</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>&amp;Identifier:</source>
        <translation>&amp;Identifiant&#xa0;:</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>App &amp;password:</source>
        <translation>Mot de &amp;passe d&apos;application&#xa0;:</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Server (PDS):</source>
        <translation>&amp;Serveur (PDS)&#xa0;:</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>&amp;Sign in</source>
        <translation>Se co&amp;nnecter</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Sign in</source>
        <translation>Se connecter</translation>
    </message>
    <message>
        <location line="+14"/>
        <source>Enter the identifier and the app password.</source>
        <translation>Saisissez l&apos;identifiant et le mot de passe d&apos;application.</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>Signing in…</source>
        <translation>Connexion en cours…</translation>
    </message>
</context>
<context>
    <name>ColorButton</name>
    <message>
        <location filename="../../paris_desk/ui/color_button.py" line="+39"/>
        <source>Choose…</source>
        <translation>Choisir…</translation>
    </message>
    <message>
        <location line="+1"/>
        <location line="+18"/>
        <source>Account colour</source>
        <translation>Couleur du compte</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <location filename="../../paris_desk/ui/main_window.py" line="+75"/>
        <source>paris_desk — sandbox</source>
        <translation>paris_desk — bac à sable</translation>
    </message>
    <message>
        <location line="+9"/>
        <location line="+2"/>
        <source>Accounts</source>
        <translation>Comptes</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>Views</source>
        <translation>Vues</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>&amp;Welcome</source>
        <translation>&amp;Accueil</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Status bar</source>
        <translation>Barre d&apos;état</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>Sandbox mode: sample data</source>
        <translation>Mode bac à sable&#xa0;: données fictives</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Sandbox mode: sample data. No account is configured yet: add one from the Accounts menu.</source>
        <translation>Mode bac à sable&#xa0;: données fictives. Aucun compte n&apos;est encore configuré&#xa0;: ajoutez-en un depuis le menu Comptes.</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Sandbox mode</source>
        <translation>Mode bac à sable</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>&lt;h2&gt;Welcome to paris_desk&lt;/h2&gt;&lt;p&gt;Your accounts are on the left. Add a Mastodon or Bluesky account from the &lt;b&gt;Accounts&lt;/b&gt; menu.&lt;/p&gt;</source>
        <translation>&lt;h2&gt;Bienvenue dans paris_desk&lt;/h2&gt;&lt;p&gt;Vos comptes sont à gauche. Ajoutez un compte Mastodon ou Bluesky depuis le menu &lt;b&gt;Comptes&lt;/b&gt;.&lt;/p&gt;</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Welcome</source>
        <translation>Accueil</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>&amp;File</source>
        <translation>&amp;Fichier</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Quit</source>
        <translation>&amp;Quitter</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>&amp;Accounts</source>
        <translation>&amp;Comptes</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>&amp;View</source>
        <translation>&amp;Affichage</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Accounts &amp;panel</source>
        <translation>&amp;Panneau des comptes</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>&amp;Help</source>
        <translation>Aid&amp;e</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Keyboard shortcuts</source>
        <translation>&amp;Raccourcis clavier</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>&amp;About paris_desk</source>
        <translation>À &amp;propos de paris_desk</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>&amp;Language</source>
        <translation>&amp;Langue</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Language</source>
        <translation>Langue</translation>
    </message>
    <message numerus="yes">
        <location line="+55"/>
        <source>%n account(s)</source>
        <translation>
            <numerusform>%n compte</numerusform>
            <numerusform>%n comptes</numerusform>
        </translation>
    </message>
    <message>
        <location line="+6"/>
        <source>{account} was added. Restart paris_desk to leave the sandbox and use your accounts.</source>
        <translation>{account} a été ajouté. Redémarrez paris_desk pour quitter le bac à sable et utiliser vos comptes.</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>The language will change the next time paris_desk starts.</source>
        <translation>La langue changera au prochain démarrage de paris_desk.</translation>
    </message>
    <message>
        <location line="+21"/>
        <source>Keyboard shortcuts</source>
        <translation>Raccourcis clavier</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>About paris_desk</source>
        <translation>À propos de paris_desk</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>&lt;h3&gt;paris_desk {version}&lt;/h3&gt;&lt;p&gt;One workstation for the city&apos;s communications team on Mastodon and Bluesky.&lt;/p&gt;</source>
        <translation>&lt;h3&gt;paris_desk {version}&lt;/h3&gt;&lt;p&gt;Un seul poste de travail pour l&apos;équipe de communication de la Ville sur Mastodon et Bluesky.&lt;/p&gt;</translation>
    </message>
</context>
<context>
    <name>MastodonAccountDialog</name>
    <message>
        <location filename="../../paris_desk/ui/account_dialogs.py" line="-205"/>
        <source>Reconnect {handle}</source>
        <translation>Reconnecter {handle}</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Add a Mastodon account</source>
        <translation>Ajouter un compte Mastodon</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Instance</source>
        <translation>Instance</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>e.g. mastodon.social</source>
        <translation>par ex. mastodon.social</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>&amp;Instance:</source>
        <translation>&amp;Instance&#xa0;:</translation>
    </message>
    <message>
        <location line="+3"/>
        <location line="+1"/>
        <source>Sign-in method</source>
        <translation>Méthode de connexion</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Browser</source>
        <translation>Navi&amp;gateur</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Access &amp;token</source>
        <translation>&amp;Jeton d&apos;accès</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>paris_desk opens your instance&apos;s authorisation page in the browser.</source>
        <translation>paris_desk ouvre la page d&apos;autorisation de votre instance dans le navigateur.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Sign in with the &amp;browser</source>
        <translation>Se connecter avec le &amp;navigateur</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Sign in with the browser</source>
        <translation>Se connecter avec le navigateur</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Authorisation code</source>
        <translation>Code d&apos;autorisation</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Paste the code</source>
        <translation>Collez le code</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Use this &amp;code</source>
        <translation>Utiliser ce &amp;code</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Use this code</source>
        <translation>Utiliser ce code</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Code (if the browser does not come back):</source>
        <translation>Code (si le navigateur ne revient pas)&#xa0;:</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Create a token in your instance&apos;s settings (Development › New application, scopes read and write), then paste it here.</source>
        <translation>Créez un jeton dans les préférences de votre instance (Développement › Nouvelle application, autorisations read et write), puis collez-le ici.</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Access token</source>
        <translation>Jeton d&apos;accès</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Add with this token</source>
        <translation>&amp;Ajouter avec ce jeton</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Add with this token</source>
        <translation>Ajouter avec ce jeton</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Access t&amp;oken:</source>
        <translation>J&amp;eton d&apos;accès&#xa0;:</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>Enter the address of the instance.</source>
        <translation>Saisissez l&apos;adresse de l&apos;instance.</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>Paste an access token.</source>
        <translation>Collez un jeton d&apos;accès.</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Checking the token…</source>
        <translation>Vérification du jeton…</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>Contacting {instance}…</source>
        <translation>Connexion à {instance}…</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Authorise paris_desk in the browser, then come back here.</source>
        <translation>Autorisez paris_desk dans le navigateur, puis revenez ici.</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>No answer from the browser. Paste the code, or try again.</source>
        <translation>Pas de réponse du navigateur. Collez le code, ou réessayez.</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Paste the code shown by the instance.</source>
        <translation>Collez le code affiché par l&apos;instance.</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Signing in…</source>
        <translation>Connexion en cours…</translation>
    </message>
</context>
<context>
    <name>MessageBar</name>
    <message>
        <location filename="../../paris_desk/ui/main_window.py" line="-241"/>
        <source>Message</source>
        <translation>Message</translation>
    </message>
    <message>
        <location line="+3"/>
        <location line="+1"/>
        <source>Close the message</source>
        <translation>Fermer le message</translation>
    </message>
</context>
<context>
    <name>errors</name>
    <message>
        <location filename="../../paris_desk/ui/errors.py" line="+20"/>
        <source>The disk is full: paris_desk could not save. Free some space, then try again.</source>
        <translation>Le disque est plein&#xa0;: paris_desk n&apos;a pas pu enregistrer. Libérez de la place, puis réessayez.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>The local database is in use by another paris_desk; close it, then try again.</source>
        <translation>La base de données locale est utilisée par un autre paris_desk&#xa0;; fermez-le, puis réessayez.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>The local database is damaged. Your credentials are safe in the keychain; start with a new profile folder.</source>
        <translation>La base de données locale est endommagée. Vos identifiants sont en sécurité dans le trousseau&#xa0;; repartez d&apos;un nouveau dossier de profil.</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>paris_desk may not write to its data folder (read-only disk or permission refused).</source>
        <translation>paris_desk ne peut pas écrire dans son dossier de données (disque en lecture seule ou permission refusée).</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>The disk failed to read or write the local database.</source>
        <translation>Le disque n&apos;a pas pu lire ou écrire la base de données locale.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>This profile was written by a newer paris_desk: update paris_desk to open it.</source>
        <translation>Ce profil a été écrit par une version plus récente de paris_desk&#xa0;: mettez paris_desk à jour pour l&apos;ouvrir.</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>this account</source>
        <translation>ce compte</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>No system keychain available: paris_desk cannot store your credentials.</source>
        <translation>Aucun trousseau système disponible&#xa0;: paris_desk ne peut pas enregistrer vos identifiants.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>The system keychain is locked or refused access: unlock it, then try again.</source>
        <translation>Le trousseau système est verrouillé ou a refusé l&apos;accès&#xa0;: déverrouillez-le, puis réessayez.</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>The system keychain refused the operation; try again.</source>
        <translation>Le trousseau système a refusé l&apos;opération&#xa0;; réessayez.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>This account no longer exists in paris_desk.</source>
        <translation>Ce compte n&apos;existe plus dans paris_desk.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Internal error ({kind}). The details were written to the log.</source>
        <translation>Erreur interne ({kind}). Les détails ont été écrits dans le journal.</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>The session of {account} has expired; sign in again.</source>
        <translation>La session de {account} a expiré&#xa0;; reconnectez-vous.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>A sign-in code was sent to the e-mail address of the account: enter it to continue.</source>
        <translation>Un code de connexion a été envoyé à l&apos;adresse e-mail du compte&#xa0;: saisissez-le pour continuer.</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Identifier or password refused. On Bluesky, use an app password (Settings › Privacy and security › App passwords).</source>
        <translation>Identifiant ou mot de passe refusé. Sur Bluesky, utilisez un mot de passe d&apos;application (Paramètres › Confidentialité et sécurité › Mots de passe d&apos;application).</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Server not found: check the address of the instance or server.</source>
        <translation>Instance introuvable&#xa0;: vérifiez l&apos;adresse de l&apos;instance ou du serveur.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Not found: this post or account no longer exists for {account}.</source>
        <translation>Introuvable&#xa0;: ce message ou ce compte n&apos;existe plus pour {account}.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Network unreachable: the server of {account} did not answer. Check the connection, then try again.</source>
        <translation>Réseau injoignable&#xa0;: le serveur de {account} n&apos;a pas répondu. Vérifiez la connexion, puis réessayez.</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Too many requests for {account}: try again in a few minutes.</source>
        <translation>Trop de requêtes pour {account}&#xa0;: réessayez dans quelques minutes.</translation>
    </message>
    <message numerus="yes">
        <location line="+4"/>
        <source>Too many requests for {account}: try again in %n second(s).</source>
        <translation>
            <numerusform>Trop de requêtes pour {account}&#xa0;: réessayez dans %n seconde.</numerusform>
            <numerusform>Trop de requêtes pour {account}&#xa0;: réessayez dans %n secondes.</numerusform>
        </translation>
    </message>
    <message>
        <location line="+4"/>
        <source>The server of {account} refused this content: {reason}</source>
        <translation>Le serveur de {account} a refusé ce contenu&#xa0;: {reason}</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>no reason given</source>
        <translation>aucune raison donnée</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>The server of {account} is failing; try again later.</source>
        <translation>Le serveur de {account} est en panne&#xa0;; réessayez plus tard.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>The operation failed for {account} ({kind}).</source>
        <translation>L&apos;opération a échoué pour {account} ({kind}).</translation>
    </message>
</context>
</TS>
