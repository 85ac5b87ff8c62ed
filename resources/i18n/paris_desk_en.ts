<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en" sourcelanguage="en">
<context>
    <name>AccountDialog</name>
    <message>
        <location filename="../../paris_desk/ui/account_dialogs.py" line="+70" />
        <source>Label</source>
        <translation>Label</translation>
    </message>
    <message>
        <location line="+1" />
        <source>e.g. City hall, Libraries</source>
        <translation>e.g. City hall, Libraries</translation>
    </message>
    <message>
        <location line="+5" />
        <source>Status</source>
        <translation>Status</translation>
    </message>
    <message>
        <location line="+4" />
        <source>Cancel</source>
        <translation>Cancel</translation>
    </message>
    <message>
        <location line="+6" />
        <source>&amp;Label:</source>
        <translation>&amp;Label:</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Co&amp;lour:</source>
        <translation>Co&amp;lour:</translation>
    </message>
</context>
<context>
    <name>AccountsModel</name>
    <message>
        <location filename="../../paris_desk/ui/accounts_model.py" line="+44" />
        <source>{label}, {handle}, {network} account</source>
        <translation>{label}, {handle}, {network} account</translation>
    </message>
    <message>
        <location line="+2" />
        <source>{handle}, {network} account</source>
        <translation>{handle}, {network} account</translation>
    </message>
</context>
<context>
    <name>AccountsPanel</name>
    <message>
        <location filename="../../paris_desk/ui/accounts_panel.py" line="+64" />
        <source>Accounts</source>
        <translation>Accounts</translation>
    </message>
    <message>
        <location line="+30" />
        <source>Add a &amp;Mastodon account…</source>
        <translation>Add a &amp;Mastodon account…</translation>
    </message>
    <message>
        <location line="+2" />
        <source>Add a &amp;Bluesky account…</source>
        <translation>Add a &amp;Bluesky account…</translation>
    </message>
    <message>
        <location line="+1" />
        <source>&amp;Rename…</source>
        <translation>&amp;Rename…</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Change &amp;colour…</source>
        <translation>Change &amp;colour…</translation>
    </message>
    <message>
        <location line="+2" />
        <source>Move &amp;up</source>
        <translation>Move &amp;up</translation>
    </message>
    <message>
        <location line="+3" />
        <source>Move &amp;down</source>
        <translation>Move &amp;down</translation>
    </message>
    <message>
        <location line="+2" />
        <source>Re&amp;connect…</source>
        <translation>Re&amp;connect…</translation>
    </message>
    <message>
        <location line="+2" />
        <source>Re&amp;move…</source>
        <translation>Re&amp;move…</translation>
    </message>
    <message>
        <location line="+15" />
        <source>Add</source>
        <translation>Add</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Add an account</source>
        <translation>Add an account</translation>
    </message>
    <message>
        <location line="+148" />
        <source>Rename {handle}</source>
        <translation>Rename {handle}</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Label shown for this account:</source>
        <translation>Label shown for this account:</translation>
    </message>
    <message>
        <location line="+12" />
        <source>Colour of {account}</source>
        <translation>Colour of {account}</translation>
    </message>
    <message>
        <location line="+12" />
        <source>Remove an account</source>
        <translation>Remove an account</translation>
    </message>
    <message>
        <location line="+2" />
        <source>Remove {account} from paris_desk? Its credentials are deleted from the keychain; nothing is deleted on the server.</source>
        <translation>Remove {account} from paris_desk? Its credentials are deleted from the keychain; nothing is deleted on the server.</translation>
    </message>
    <message>
        <location line="+6" />
        <source>Remove</source>
        <translation>Remove</translation>
    </message>
</context>
<context>
    <name>BlueskyAccountDialog</name>
    <message>
        <location filename="../../paris_desk/ui/account_dialogs.py" line="+248" />
        <source>Reconnect {handle}</source>
        <translation>Reconnect {handle}</translation>
    </message>
    <message>
        <location line="+2" />
        <source>Add a Bluesky account</source>
        <translation>Add a Bluesky account</translation>
    </message>
    <message>
        <location line="+3" />
        <source>Identifier</source>
        <translation>Identifier</translation>
    </message>
    <message>
        <location line="+0" />
        <source>e.g. ville.bsky.social or an e-mail address</source>
        <translation>e.g. ville.bsky.social or an e-mail address</translation>
    </message>
    <message>
        <location line="+2" />
        <source>App password</source>
        <translation>App password</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Server (PDS), optional</source>
        <translation>Server (PDS), optional</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Code received by e-mail</source>
        <translation>Code received by e-mail</translation>
    </message>
    <message>
        <location line="+1" />
        <source>E-mail &amp;code:</source>
        <translation>E-mail &amp;code:</translation>
    </message>
    <message>
        <location line="+6" />
        <source>&amp;Identifier:</source>
        <translation>&amp;Identifier:</translation>
    </message>
    <message>
        <location line="+1" />
        <source>App &amp;password:</source>
        <translation>App &amp;password:</translation>
    </message>
    <message>
        <location line="+1" />
        <source>&amp;Server (PDS):</source>
        <translation>&amp;Server (PDS):</translation>
    </message>
    <message>
        <location line="+6" />
        <source>&amp;Sign in</source>
        <translation>&amp;Sign in</translation>
    </message>
    <message>
        <location line="+2" />
        <source>Sign in</source>
        <translation>Sign in</translation>
    </message>
    <message>
        <location line="+14" />
        <source>Enter the identifier and the app password.</source>
        <translation>Enter the identifier and the app password.</translation>
    </message>
    <message>
        <location line="+10" />
        <source>Signing in…</source>
        <translation>Signing in…</translation>
    </message>
</context>
<context>
    <name>ColorButton</name>
    <message>
        <location filename="../../paris_desk/ui/color_button.py" line="+39" />
        <source>Choose…</source>
        <translation>Choose…</translation>
    </message>
    <message>
        <location line="+1" />
        <location line="+18" />
        <source>Account colour</source>
        <translation>Account colour</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <location filename="../../paris_desk/ui/main_window.py" line="+75" />
        <source>paris_desk — sandbox</source>
        <translation>paris_desk — sandbox</translation>
    </message>
    <message>
        <location line="+9" />
        <location line="+2" />
        <source>Accounts</source>
        <translation>Accounts</translation>
    </message>
    <message>
        <location line="+11" />
        <source>Views</source>
        <translation>Views</translation>
    </message>
    <message>
        <location line="+11" />
        <source>&amp;Welcome</source>
        <translation>&amp;Welcome</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Status bar</source>
        <translation>Status bar</translation>
    </message>
    <message>
        <location line="+12" />
        <source>Sandbox mode: sample data</source>
        <translation>Sandbox mode: sample data</translation>
    </message>
    <message>
        <location line="+3" />
        <source>Sandbox mode: sample data. No account is configured yet: add one from the Accounts menu.</source>
        <translation>Sandbox mode: sample data. No account is configured yet: add one from the Accounts menu.</translation>
    </message>
    <message>
        <location line="+6" />
        <source>Sandbox mode</source>
        <translation>Sandbox mode</translation>
    </message>
    <message>
        <location line="+12" />
        <source>&lt;h2&gt;Welcome to paris_desk&lt;/h2&gt;&lt;p&gt;Your accounts are on the left. Add a Mastodon or Bluesky account from the &lt;b&gt;Accounts&lt;/b&gt; menu.&lt;/p&gt;</source>
        <translation>&lt;h2&gt;Welcome to paris_desk&lt;/h2&gt;&lt;p&gt;Your accounts are on the left. Add a Mastodon or Bluesky account from the &lt;b&gt;Accounts&lt;/b&gt; menu.&lt;/p&gt;</translation>
    </message>
    <message>
        <location line="+6" />
        <source>Welcome</source>
        <translation>Welcome</translation>
    </message>
    <message>
        <location line="+5" />
        <source>&amp;File</source>
        <translation>&amp;File</translation>
    </message>
    <message>
        <location line="+1" />
        <source>&amp;Quit</source>
        <translation>&amp;Quit</translation>
    </message>
    <message>
        <location line="+6" />
        <source>&amp;Accounts</source>
        <translation>&amp;Accounts</translation>
    </message>
    <message>
        <location line="+5" />
        <source>&amp;View</source>
        <translation>&amp;View</translation>
    </message>
    <message>
        <location line="+4" />
        <source>Accounts &amp;panel</source>
        <translation>Accounts &amp;panel</translation>
    </message>
    <message>
        <location line="+5" />
        <source>&amp;Help</source>
        <translation>&amp;Help</translation>
    </message>
    <message>
        <location line="+1" />
        <source>&amp;Keyboard shortcuts</source>
        <translation>&amp;Keyboard shortcuts</translation>
    </message>
    <message>
        <location line="+3" />
        <source>&amp;About paris_desk</source>
        <translation>&amp;About paris_desk</translation>
    </message>
    <message>
        <location line="+7" />
        <source>&amp;Language</source>
        <translation>&amp;Language</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Language</source>
        <translation>Language</translation>
    </message>
    <message numerus="yes">
        <location line="+55" />
        <source>%n account(s)</source>
        <translation>
            <numerusform>%n account</numerusform>
            <numerusform>%n accounts</numerusform>
        </translation>
    </message>
    <message>
        <location line="+6" />
        <source>{account} was added. Restart paris_desk to leave the sandbox and use your accounts.</source>
        <translation>{account} was added. Restart paris_desk to leave the sandbox and use your accounts.</translation>
    </message>
    <message>
        <location line="+10" />
        <source>The language will change the next time paris_desk starts.</source>
        <translation>The language will change the next time paris_desk starts.</translation>
    </message>
    <message>
        <location line="+21" />
        <source>Keyboard shortcuts</source>
        <translation>Keyboard shortcuts</translation>
    </message>
    <message>
        <location line="+7" />
        <source>About paris_desk</source>
        <translation>About paris_desk</translation>
    </message>
    <message>
        <location line="+2" />
        <source>&lt;h3&gt;paris_desk {version}&lt;/h3&gt;&lt;p&gt;One workstation for the city's communications team on Mastodon and Bluesky.&lt;/p&gt;</source>
        <translation>&lt;h3&gt;paris_desk {version}&lt;/h3&gt;&lt;p&gt;One workstation for the city's communications team on Mastodon and Bluesky.&lt;/p&gt;</translation>
    </message>
</context>
<context>
    <name>MastodonAccountDialog</name>
    <message>
        <location filename="../../paris_desk/ui/account_dialogs.py" line="-205" />
        <source>Reconnect {handle}</source>
        <translation>Reconnect {handle}</translation>
    </message>
    <message>
        <location line="+2" />
        <source>Add a Mastodon account</source>
        <translation>Add a Mastodon account</translation>
    </message>
    <message>
        <location line="+2" />
        <source>Instance</source>
        <translation>Instance</translation>
    </message>
    <message>
        <location line="+0" />
        <source>e.g. mastodon.social</source>
        <translation>e.g. mastodon.social</translation>
    </message>
    <message>
        <location line="+4" />
        <source>&amp;Instance:</source>
        <translation>&amp;Instance:</translation>
    </message>
    <message>
        <location line="+3" />
        <location line="+1" />
        <source>Sign-in method</source>
        <translation>Sign-in method</translation>
    </message>
    <message>
        <location line="+1" />
        <source>&amp;Browser</source>
        <translation>&amp;Browser</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Access &amp;token</source>
        <translation>Access &amp;token</translation>
    </message>
    <message>
        <location line="+7" />
        <source>paris_desk opens your instance's authorisation page in the browser.</source>
        <translation>paris_desk opens your instance's authorisation page in the browser.</translation>
    </message>
    <message>
        <location line="+3" />
        <source>Sign in with the &amp;browser</source>
        <translation>Sign in with the &amp;browser</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Sign in with the browser</source>
        <translation>Sign in with the browser</translation>
    </message>
    <message>
        <location line="+2" />
        <source>Authorisation code</source>
        <translation>Authorisation code</translation>
    </message>
    <message>
        <location line="+0" />
        <source>Paste the code</source>
        <translation>Paste the code</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Use this &amp;code</source>
        <translation>Use this &amp;code</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Use this code</source>
        <translation>Use this code</translation>
    </message>
    <message>
        <location line="+6" />
        <source>Code (if the browser does not come back):</source>
        <translation>Code (if the browser does not come back):</translation>
    </message>
    <message>
        <location line="+8" />
        <source>Create a token in your instance's settings (Development › New application, scopes read and write), then paste it here.</source>
        <translation>Create a token in your instance's settings (Development › New application, scopes read and write), then paste it here.</translation>
    </message>
    <message>
        <location line="+5" />
        <source>Access token</source>
        <translation>Access token</translation>
    </message>
    <message>
        <location line="+1" />
        <source>&amp;Add with this token</source>
        <translation>&amp;Add with this token</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Add with this token</source>
        <translation>Add with this token</translation>
    </message>
    <message>
        <location line="+4" />
        <source>Access t&amp;oken:</source>
        <translation>Access t&amp;oken:</translation>
    </message>
    <message>
        <location line="+11" />
        <source>Enter the address of the instance.</source>
        <translation>Enter the address of the instance.</translation>
    </message>
    <message>
        <location line="+11" />
        <source>Paste an access token.</source>
        <translation>Paste an access token.</translation>
    </message>
    <message>
        <location line="+6" />
        <source>Checking the token…</source>
        <translation>Checking the token…</translation>
    </message>
    <message>
        <location line="+12" />
        <source>Contacting {instance}…</source>
        <translation>Contacting {instance}…</translation>
    </message>
    <message>
        <location line="+6" />
        <source>Authorise paris_desk in the browser, then come back here.</source>
        <translation>Authorise paris_desk in the browser, then come back here.</translation>
    </message>
    <message>
        <location line="+10" />
        <source>No answer from the browser. Paste the code, or try again.</source>
        <translation>No answer from the browser. Paste the code, or try again.</translation>
    </message>
    <message>
        <location line="+9" />
        <source>Paste the code shown by the instance.</source>
        <translation>Paste the code shown by the instance.</translation>
    </message>
    <message>
        <location line="+8" />
        <source>Signing in…</source>
        <translation>Signing in…</translation>
    </message>
</context>
<context>
    <name>MessageBar</name>
    <message>
        <location filename="../../paris_desk/ui/main_window.py" line="-241" />
        <source>Message</source>
        <translation>Message</translation>
    </message>
    <message>
        <location line="+3" />
        <location line="+1" />
        <source>Close the message</source>
        <translation>Close the message</translation>
    </message>
</context>
<context>
    <name>errors</name>
    <message>
        <location filename="../../paris_desk/ui/errors.py" line="+20" />
        <source>The disk is full: paris_desk could not save. Free some space, then try again.</source>
        <translation>The disk is full: paris_desk could not save. Free some space, then try again.</translation>
    </message>
    <message>
        <location line="+3" />
        <source>The local database is in use by another paris_desk; close it, then try again.</source>
        <translation>The local database is in use by another paris_desk; close it, then try again.</translation>
    </message>
    <message>
        <location line="+4" />
        <source>The local database is damaged. Your credentials are safe in the keychain; start with a new profile folder.</source>
        <translation>The local database is damaged. Your credentials are safe in the keychain; start with a new profile folder.</translation>
    </message>
    <message>
        <location line="+5" />
        <source>paris_desk may not write to its data folder (read-only disk or permission refused).</source>
        <translation>paris_desk may not write to its data folder (read-only disk or permission refused).</translation>
    </message>
    <message>
        <location line="+4" />
        <source>The disk failed to read or write the local database.</source>
        <translation>The disk failed to read or write the local database.</translation>
    </message>
    <message>
        <location line="+3" />
        <source>This profile was written by a newer paris_desk: update paris_desk to open it.</source>
        <translation>This profile was written by a newer paris_desk: update paris_desk to open it.</translation>
    </message>
    <message>
        <location line="+12" />
        <source>this account</source>
        <translation>this account</translation>
    </message>
    <message>
        <location line="+4" />
        <source>No system keychain available: paris_desk cannot store your credentials.</source>
        <translation>No system keychain available: paris_desk cannot store your credentials.</translation>
    </message>
    <message>
        <location line="+4" />
        <source>The system keychain is locked or refused access: unlock it, then try again.</source>
        <translation>The system keychain is locked or refused access: unlock it, then try again.</translation>
    </message>
    <message>
        <location line="+5" />
        <source>The system keychain refused the operation; try again.</source>
        <translation>The system keychain refused the operation; try again.</translation>
    </message>
    <message>
        <location line="+2" />
        <source>This account no longer exists in paris_desk.</source>
        <translation>This account no longer exists in paris_desk.</translation>
    </message>
    <message>
        <location line="+3" />
        <source>Internal error ({kind}). The details were written to the log.</source>
        <translation>Internal error ({kind}). The details were written to the log.</translation>
    </message>
    <message>
        <location line="+7" />
        <source>The session of {account} has expired; sign in again.</source>
        <translation>The session of {account} has expired; sign in again.</translation>
    </message>
    <message>
        <location line="+4" />
        <source>A sign-in code was sent to the e-mail address of the account: enter it to continue.</source>
        <translation>A sign-in code was sent to the e-mail address of the account: enter it to continue.</translation>
    </message>
    <message>
        <location line="+5" />
        <source>Identifier or password refused. On Bluesky, use an app password (Settings › Privacy and security › App passwords).</source>
        <translation>Identifier or password refused. On Bluesky, use an app password (Settings › Privacy and security › App passwords).</translation>
    </message>
    <message>
        <location line="+7" />
        <source>Server not found: check the address of the instance or server.</source>
        <translation>Server not found: check the address of the instance or server.</translation>
    </message>
    <message>
        <location line="+3" />
        <source>Not found: this post or account no longer exists for {account}.</source>
        <translation>Not found: this post or account no longer exists for {account}.</translation>
    </message>
    <message>
        <location line="+4" />
        <source>Network unreachable: the server of {account} did not answer. Check the connection, then try again.</source>
        <translation>Network unreachable: the server of {account} did not answer. Check the connection, then try again.</translation>
    </message>
    <message>
        <location line="+7" />
        <source>Too many requests for {account}: try again in a few minutes.</source>
        <translation>Too many requests for {account}: try again in a few minutes.</translation>
    </message>
    <message numerus="yes">
        <location line="+4" />
        <source>Too many requests for {account}: try again in %n second(s).</source>
        <translation>
            <numerusform>Too many requests for {account}: try again in %n second.</numerusform>
            <numerusform>Too many requests for {account}: try again in %n seconds.</numerusform>
        </translation>
    </message>
    <message>
        <location line="+4" />
        <source>The server of {account} refused this content: {reason}</source>
        <translation>The server of {account} refused this content: {reason}</translation>
    </message>
    <message>
        <location line="+1" />
        <source>no reason given</source>
        <translation>no reason given</translation>
    </message>
    <message>
        <location line="+3" />
        <source>The server of {account} is failing; try again later.</source>
        <translation>The server of {account} is failing; try again later.</translation>
    </message>
    <message>
        <location line="+3" />
        <source>The operation failed for {account} ({kind}).</source>
        <translation>The operation failed for {account} ({kind}).</translation>
    </message>
</context>
</TS>
