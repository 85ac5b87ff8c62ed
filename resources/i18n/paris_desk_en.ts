<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en" sourcelanguage="en">
<context>
    <name>Accessibility</name>
    <message>
        <location filename="../../paris_desk/ui/composer/checks.py" line="+23" />
        <source>Describe this image for people who cannot see it (required).</source>
        <translation>Describe this image for people who cannot see it (required).</translation>
    </message>
    <message>
        <location line="+2" />
        <source>This description is longer than the network accepts: shorten it.</source>
        <translation>This description is longer than the network accepts: shorten it.</translation>
    </message>
    <message>
        <location line="+2" />
        <source>This description is a file name: say what the image shows.</source>
        <translation>This description is a file name: say what the image shows.</translation>
    </message>
    <message>
        <location line="+2" />
        <source>“Image” or “photo” says nothing: describe what it shows.</source>
        <translation>“Image” or “photo” says nothing: describe what it shows.</translation>
    </message>
    <message>
        <location line="+2" />
        <source>This description is very short: is it enough to understand the image?</source>
        <translation>This description is very short: is it enough to understand the image?</translation>
    </message>
    <message>
        <location line="+2" />
        <source>Write hashtags of several words with capitals so screen readers read them word by word: {suggestion}</source>
        <translation>Write hashtags of several words with capitals so screen readers read them word by word: {suggestion}</translation>
    </message>
    <message>
        <location line="+4" />
        <source>Several emoji in a row are read out one by one: keep one.</source>
        <translation>Several emoji in a row are read out one by one: keep one.</translation>
    </message>
    <message>
        <location line="+2" />
        <source>An emoji in the middle of a sentence interrupts it when read aloud: move it to the end.</source>
        <translation>An emoji in the middle of a sentence interrupts it when read aloud: move it to the end.</translation>
    </message>
    <message>
        <location line="+3" />
        <source>Stylised letters (“{text}”) are spelled out symbol by symbol by screen readers, and are refused: use plain letters ({suggestion}).</source>
        <translation>Stylised letters (“{text}”) are spelled out symbol by symbol by screen readers, and are refused: use plain letters ({suggestion}).</translation>
    </message>
</context>
<context>
    <name>Accessible</name>
    <message>
        <location filename="../../paris_desk/ui/accessible.py" line="+76" />
        <source>Go to this row</source>
        <translation>Go to this row</translation>
    </message>
    <message>
        <location line="+3" />
        <source>Tick or untick</source>
        <translation>Tick or untick</translation>
    </message>
    <message>
        <location line="+334" />
        <source>Show this tab</source>
        <translation>Show this tab</translation>
    </message>
</context>
<context>
    <name>AccountDialog</name>
    <message>
        <location filename="../../paris_desk/ui/accounts/dialogs.py" line="+73" />
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
        <location filename="../../paris_desk/ui/accounts/model.py" line="+52" />
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
        <location filename="../../paris_desk/ui/accounts/panel.py" line="+68" />
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
    <name>ApprovalsView</name>
    <message>
        <location filename="../../paris_desk/ui/approvals.py" line="+95" />
        <source>Approvals</source>
        <translation>Approvals</translation>
    </message>
    <message>
        <location line="+8" />
        <location line="+3" />
        <source>Publications awaiting approval</source>
        <translation>Publications awaiting approval</translation>
    </message>
    <message>
        <location line="+2" />
        <source>No publication is awaiting approval.</source>
        <translation>No publication is awaiting approval.</translation>
    </message>
    <message>
        <location line="+5" />
        <source>Publication submitted</source>
        <translation>Publication submitted</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Co&amp;mment for the author:</source>
        <translation>Co&amp;mment for the author:</translation>
    </message>
    <message>
        <location line="+2" />
        <source>Comment for the author</source>
        <translation>Comment for the author</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Required to reject: what should change?</source>
        <translation>Required to reject: what should change?</translation>
    </message>
    <message>
        <location line="+4" />
        <source>Ap&amp;prove</source>
        <translation>Ap&amp;prove</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Approve the selected publication</source>
        <translation>Approve the selected publication</translation>
    </message>
    <message>
        <location line="+1" />
        <source>&amp;Reject…</source>
        <translation>&amp;Reject…</translation>
    </message>
    <message>
        <location line="+2" />
        <source>Reject the selected publication, with the comment</source>
        <translation>Reject the selected publication, with the comment</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Only a validateur can approve or reject.</source>
        <translation>Only a validateur can approve or reject.</translation>
    </message>
    <message>
        <location line="+62" />
        <source>, scheduled for {when}</source>
        <translation>, scheduled for {when}</translation>
    </message>
    <message>
        <location line="+2" />
        <source>No. {id} by {author}, {when}, to {accounts}{schedule}: “{text}”</source>
        <translation>No. {id} by {author}, {when}, to {accounts}{schedule}: “{text}”</translation>
    </message>
    <message>
        <location line="+41" />
        <source>Scheduled for {when}.</source>
        <translation>Scheduled for {when}.</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Published as soon as it is approved.</source>
        <translation>Published as soon as it is approved.</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Submitted by {author} on {when}, to {accounts}. {schedule}

{text}</source>
        <translation>Submitted by {author} on {when}, to {accounts}. {schedule}

{text}</translation>
    </message>
    <message>
        <location line="+24" />
        <source>Say in the comment what should change: its author will read it.</source>
        <translation>Say in the comment what should change: its author will read it.</translation>
    </message>
    <message numerus="yes">
        <location line="+14" />
        <source>Publication no. {id} by {author} approved: %n post(s) in the team's outbox.</source>
        <translation>
            <numerusform>Publication no. {id} by {author} approved: %n post in the team's outbox.</numerusform>
            <numerusform>Publication no. {id} by {author} approved: %n posts in the team's outbox.</numerusform>
        </translation>
    </message>
    <message>
        <location line="+8" />
        <source>Publication no. {id} by {author} rejected; its author will see your comment.</source>
        <translation>Publication no. {id} by {author} rejected; its author will see your comment.</translation>
    </message>
    <message>
        <location line="+9" />
        <source>approved</source>
        <translation>approved</translation>
    </message>
    <message>
        <location line="+1" />
        <source>rejected</source>
        <translation>rejected</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Publication no. {id} was already {state} by {who}.</source>
        <translation>Publication no. {id} was already {state} by {who}.</translation>
    </message>
    <message>
        <location line="+3" />
        <source>Nobody approves their own publication: another validateur must decide. Nothing was changed.</source>
        <translation>Nobody approves their own publication: another validateur must decide. Nothing was changed.</translation>
    </message>
    <message>
        <location line="+3" />
        <source>The team's database refused: only a validateur decides. Nothing was changed.</source>
        <translation>The team's database refused: only a validateur decides. Nothing was changed.</translation>
    </message>
    <message>
        <location line="+144" />
        <source>A&amp;pprovals</source>
        <translation>A&amp;pprovals</translation>
    </message>
    <message>
        <location line="+5" />
        <source>A&amp;pprovals ({count})</source>
        <translation>A&amp;pprovals ({count})</translation>
    </message>
</context>
<context>
    <name>AssignDialog</name>
    <message>
        <location filename="../../paris_desk/ui/inbox/assignment.py" line="+57" />
        <location line="+1" />
        <source>Assign to a colleague</source>
        <translation>Assign to a colleague</translation>
    </message>
    <message>
        <location line="+2" />
        <source>Colleague</source>
        <translation>Colleague</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Nobody</source>
        <translation>Nobody</translation>
    </message>
    <message>
        <location line="+6" />
        <source>&amp;Colleague:</source>
        <translation>&amp;Colleague:</translation>
    </message>
    <message>
        <location line="+5" />
        <source>&amp;Assign</source>
        <translation>&amp;Assign</translation>
    </message>
</context>
<context>
    <name>BlueskyAccountDialog</name>
    <message>
        <location filename="../../paris_desk/ui/accounts/dialogs.py" line="+248" />
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
        <location line="+10" />
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
    <message>
        <location line="-40" />
        <source>&lt;a href="{url}"&gt;Create an app password&lt;/a&gt; in Bluesky's settings (Privacy and security), then paste it here; never the account's main password.</source>
        <translation>&lt;a href="{url}"&gt;Create an app password&lt;/a&gt; in Bluesky's settings (Privacy and security), then paste it here; never the account's main password.</translation>
    </message>
    <message>
        <location line="+6" />
        <source>Create an app password</source>
        <translation>Create an app password</translation>
    </message>
</context>
<context>
    <name>ChecksPanel</name>
    <message>
        <location filename="../../paris_desk/ui/composer/checks.py" line="+18" />
        <location line="+9" />
        <source>Accessibility and mentions</source>
        <translation>Accessibility and mentions</translation>
    </message>
    <message>
        <location line="+12" />
        <source>@{handle}: no such Bluesky account, the mention will stay plain text.</source>
        <translation>@{handle}: no such Bluesky account, the mention will stay plain text.</translation>
    </message>
    <message>
        <location line="+3" />
        <source>Checking the mentioned accounts…</source>
        <translation>Checking the mentioned accounts…</translation>
    </message>
    <message>
        <location line="+17" />
        <source>Fix</source>
        <translation>Fix</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Fix: {suggestion}</source>
        <translation>Fix: {suggestion}</translation>
    </message>
</context>
<context>
    <name>ColorButton</name>
    <message>
        <location filename="../../paris_desk/ui/color_button.py" line="+29" />
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
    <name>ComposerChecks</name>
    <message>
        <location filename="../../paris_desk/ui/composer/checks.py" line="+13" />
        <source>Too long for {networks}: split it into a thread or adapt the text.</source>
        <translation>Too long for {networks}: split it into a thread or adapt the text.</translation>
    </message>
    <message numerus="yes">
        <location line="+4" />
        <source>Too many images for the checked accounts (at most %n).</source>
        <translation><numerusform>Too many images for the checked accounts (at most %n).</numerusform><numerusform>Too many images for the checked accounts (at most %n).</numerusform></translation>
    </message>
    <message>
        <location line="+4" />
        <source>This draft is already being published: follow it below.</source>
        <translation>This draft is already being published: follow it below.</translation>
    </message>
</context>
<context>
    <name>ComposerLayout</name>
    <message>
        <location filename="../../paris_desk/ui/composer/layout.py" line="+56" />
        <source>Replying or quoting</source>
        <translation>Replying or quoting</translation>
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
        <translation>Post being written</translation>
    </message>
</context>
<context>
    <name>ComposerWidget</name>
    <message>
        <location filename="../../paris_desk/ui/composer/widget.py" line="+107" />
        <source>Composer</source>
        <translation>Composer</translation>
    </message>
    <message>
        <location line="+43" />
        <location line="+252" />
        <source>Publish</source>
        <translation>Publish</translation>
    </message>
    <message>
        <location line="-251" />
        <source>Publish to the checked accounts</source>
        <translation>Publish to the checked accounts</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Publish (Ctrl+Enter)</source>
        <translation>Publish (Ctrl+Enter)</translation>
    </message>
    <message>
        <location line="+4" />
        <source>Why publishing is not possible yet</source>
        <translation>Why publishing is not possible yet</translation>
    </message>
    <message>
        <location line="+4" />
        <location line="+175" />
        <source>Cancel the reply</source>
        <translation>Cancel the reply</translation>
    </message>
    <message>
        <location line="-4" />
        <source>Reply to {handle}: “{text}”</source>
        <translation>Reply to {handle}: “{text}”</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Quote of {handle}: “{text}”</source>
        <translation>Quote of {handle}: “{text}”</translation>
    </message>
    <message>
        <location line="+4" />
        <source>Cancel the quote</source>
        <translation>Cancel the quote</translation>
    </message>
    <message>
        <location line="+64" />
        <source>Publishing…</source>
        <translation>Publishing…</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Submit for approval</source>
        <translation>Submit for approval</translation>
    </message>
    <message>
        <location line="+4" />
        <source>Cannot publish yet: {reason}</source>
        <translation>Cannot publish yet: {reason}</translation>
    </message>
    <message>
        <location line="+61" />
        <source>Submitted for approval (no. {id}) to {accounts}: a validateur must approve it before it is published.</source>
        <translation>Submitted for approval (no. {id}) to {accounts}: a validateur must approve it before it is published.</translation>
    </message>
    <message>
        <location filename="../../paris_desk/ui/composer/install.py" line="+28" />
        <source>&amp;Compose</source>
        <translation>&amp;Compose</translation>
    </message>
</context>
<context>
    <name>Covers</name>
    <message>
        <location filename="../../paris_desk/ui/timeline/covers.py" line="+41" />
        <source>Show</source>
        <translation>Show</translation>
    </message>
    <message>
        <location line="+6" />
        <source>Adult content</source>
        <translation>Adult content</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Sexual content</source>
        <translation>Sexual content</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Nudity</source>
        <translation>Nudity</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Graphic media</source>
        <translation>Graphic media</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Gore</source>
        <translation>Gore</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Sensitive media</source>
        <translation>Sensitive media</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Warning from the moderators</source>
        <translation>Warning from the moderators</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Hidden by the moderators</source>
        <translation>Hidden by the moderators</translation>
    </message>
    <message>
        <location line="+169" />
        <source>Hidden posts</source>
        <translation>Hidden posts</translation>
    </message>
    <message>
        <location filename="../../paris_desk/ui/inbox/filtering.py" line="+105" />
        <location filename="../../paris_desk/ui/inbox/model.py" line="+432" />
        <location filename="../../paris_desk/ui/timeline/covers.py" line="-114" />
        <source>Filtered: {word}</source>
        <translation>Filtered: {word}</translation>
    </message>
    <message>
        <location line="-57" />
        <location filename="../../paris_desk/ui/timeline/covers.py" line="+154" />
        <source>Hide the filtered posts again</source>
        <translation>Hide the filtered posts again</translation>
    </message>
    <message numerus="yes">
        <location line="+2" />
        <location line="+30" />
        <location filename="../../paris_desk/ui/timeline/covers.py" line="+2" />
        <source>%n hidden</source>
        <translation><numerusform>%n hidden</numerusform><numerusform>%n hidden</numerusform></translation>
    </message>
</context>
<context>
    <name>Diagnostics</name>
    <message>
        <location filename="../../paris_desk/ui/shell/diagnostics.py" line="+151" />
        <source>The diagnostics were copied to the clipboard: paste them into your message to the support team.</source>
        <translation>The diagnostics were copied to the clipboard: paste them into your message to the support team.</translation>
    </message>
</context>
<context>
    <name>DraftsPanel</name>
    <message>
        <location filename="../../paris_desk/ui/composer/drafts.py" line="+106" />
        <location line="+1" />
        <source>Drafts</source>
        <translation>Drafts</translation>
    </message>
    <message>
        <location line="+2" />
        <source>Saved drafts</source>
        <translation>Saved drafts</translation>
    </message>
    <message>
        <location line="+4" />
        <location line="+1" />
        <source>New draft</source>
        <translation>New draft</translation>
    </message>
    <message>
        <location line="+2" />
        <source>Open</source>
        <translation>Open</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Open the selected draft</source>
        <translation>Open the selected draft</translation>
    </message>
    <message>
        <location line="+2" />
        <source>Delete</source>
        <translation>Delete</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Delete the selected draft</source>
        <translation>Delete the selected draft</translation>
    </message>
    <message>
        <location line="+37" />
        <source>(empty)</source>
        <translation>(empty)</translation>
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
        <translation>being published</translation>
    </message>
    <message>
        <location line="+2" />
        <source>open</source>
        <translation>open</translation>
    </message>
</context>
<context>
    <name>EditorPanel</name>
    <message>
        <location filename="../../paris_desk/ui/composer/editor.py" line="+43" />
        <source>Text of the post</source>
        <translation>Text of the post</translation>
    </message>
    <message>
        <location line="+1" />
        <source>What does the city want to say?</source>
        <translation>What does the city want to say?</translation>
    </message>
    <message>
        <location line="+2" />
        <source>Text and per-network variants</source>
        <translation>Text and per-network variants</translation>
    </message>
    <message>
        <location line="+7" />
        <source>Common text</source>
        <translation>Common text</translation>
    </message>
    <message>
        <location line="+12" />
        <source>Split into a thread</source>
        <translation>Split into a thread</translation>
    </message>
    <message>
        <location line="+2" />
        <source>Split into a numbered thread</source>
        <translation>Split into a numbered thread</translation>
    </message>
    <message>
        <location line="+13" />
        <location line="+5" />
        <source>Preview of the thread</source>
        <translation>Preview of the thread</translation>
    </message>
    <message>
        <location line="+24" />
        <source>Adapt for Bluesky</source>
        <translation>Adapt for Bluesky</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Adapt for Mastodon</source>
        <translation>Adapt for Mastodon</translation>
    </message>
    <message>
        <location line="+34" />
        <source>Text for {network}</source>
        <translation>Text for {network}</translation>
    </message>
    <message>
        <location line="+3" />
        <source>For {network}</source>
        <translation>For {network}</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Only {network} publishes this text</source>
        <translation>Only {network} publishes this text</translation>
    </message>
    <message>
        <location line="+4" />
        <source>Remove the variant for {network}</source>
        <translation>Remove the variant for {network}</translation>
    </message>
    <message>
        <location line="+42" />
        <source>Length for {network}</source>
        <translation>Length for {network}</translation>
    </message>
    <message>
        <location line="+23" />
        <source>{n} / {limit} — {network}, too many bytes ({bytes} / {max})</source>
        <translation>{n} / {limit} — {network}, too many bytes ({bytes} / {max})</translation>
    </message>
    <message>
        <location line="+4" />
        <source>{n} / {limit} — {network}, thread of {parts}</source>
        <translation>{n} / {limit} — {network}, thread of {parts}</translation>
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
        <translation>{network} · {n} characters
{text}</translation>
    </message>
</context>
<context>
    <name>EmptyState</name>
    <message>
        <location filename="../../paris_desk/ui/shell/empty_state.py" line="+27" />
        <source>Welcome</source>
        <translation>Welcome</translation>
    </message>
    <message>
        <location line="+1" />
        <source>&lt;h2&gt;No account yet&lt;/h2&gt;</source>
        <translation>&lt;h2&gt;No account yet&lt;/h2&gt;</translation>
    </message>
    <message>
        <location line="+3" />
        <source>paris_desk shows the timelines and notifications of the city's Mastodon and Bluesky accounts in one window, and publishes to all of them at once. Add an account to begin; its password or token is kept in the system keychain.</source>
        <translation>paris_desk shows the timelines and notifications of the city's Mastodon and Bluesky accounts in one window, and publishes to all of them at once. Add an account to begin; its password or token is kept in the system keychain.</translation>
    </message>
    <message>
        <location line="+8" />
        <source>Go back to the &amp;sandbox (sample data)</source>
        <translation>Go back to the &amp;sandbox (sample data)</translation>
    </message>
</context>
<context>
    <name>ErrorBanners</name>
    <message>
        <location filename="../../paris_desk/ui/timeline/column.py" line="+98" />
        <source>Account error</source>
        <translation>Account error</translation>
    </message>
    <message>
        <location line="+2" />
        <location line="+1" />
        <source>Retry</source>
        <translation>Retry</translation>
    </message>
    <message>
        <location line="+4" />
        <source>Close the message</source>
        <translation>Close the message</translation>
    </message>
</context>
<context>
    <name>FiltersDialog</name>
    <message>
        <location filename="../../paris_desk/ui/filters/dialog.py" line="+50" />
        <location line="+6" />
        <source>Filters</source>
        <translation>Filters</translation>
    </message>
    <message>
        <location line="+2" />
        <source>Word</source>
        <translation>Word</translation>
    </message>
    <message>
        <location line="+0" />
        <source>Action</source>
        <translation>Action</translation>
    </message>
    <message>
        <location line="+0" />
        <source>Accounts</source>
        <translation>Accounts</translation>
    </message>
    <message>
        <location line="+1" />
        <source>On the servers</source>
        <translation>On the servers</translation>
    </message>
    <message>
        <location line="+4" />
        <source>Word or expression</source>
        <translation>Word or expression</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Word or expression to filter</source>
        <translation>Word or expression to filter</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Regular e&amp;xpression</source>
        <translation>Regular e&amp;xpression</translation>
    </message>
    <message>
        <location line="+2" />
        <source>What the filter does</source>
        <translation>What the filter does</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Collapse (Filtered: word)</source>
        <translation>Collapse (Filtered: word)</translation>
    </message>
    <message>
        <location line="+1" />
        <location line="+100" />
        <source>Hide</source>
        <translation>Hide</translation>
    </message>
    <message>
        <location line="-98" />
        <source>For which accounts</source>
        <translation>For which accounts</translation>
    </message>
    <message>
        <location line="+1" />
        <source>&amp;Add</source>
        <translation>&amp;Add</translation>
    </message>
    <message>
        <location line="+3" />
        <source>&amp;Remove</source>
        <translation>&amp;Remove</translation>
    </message>
    <message>
        <location line="+24" />
        <source>Syncing with the servers…</source>
        <translation>Syncing with the servers…</translation>
    </message>
    <message>
        <location line="+58" />
        <source>Invalid regular expression: {detail}</source>
        <translation>Invalid regular expression: {detail}</translation>
    </message>
    <message>
        <location line="+3" />
        <source>Type a word or an expression to filter.</source>
        <translation>Type a word or an expression to filter.</translation>
    </message>
    <message>
        <location line="+2" />
        <source>The filter is too long (200 characters at most).</source>
        <translation>The filter is too long (200 characters at most).</translation>
    </message>
    <message>
        <location line="+7" />
        <source>Collapse</source>
        <translation>Collapse</translation>
    </message>
    <message>
        <location line="+2" />
        <location line="+17" />
        <source>All accounts</source>
        <translation>All accounts</translation>
    </message>
    <message>
        <location line="-8" />
        <source>yes</source>
        <translation>yes</translation>
    </message>
    <message>
        <location line="+2" />
        <source>not yet</source>
        <translation>not yet</translation>
    </message>
    <message>
        <location line="+1" />
        <source>not possible</source>
        <translation>not possible</translation>
    </message>
    <message>
        <location line="+19" />
        <source>&amp;Filters…</source>
        <translation>&amp;Filters…</translation>
    </message>
</context>
<context>
    <name>ImageRow</name>
    <message>
        <location filename="../../paris_desk/ui/composer/media.py" line="+52" />
        <source>Loading…</source>
        <translation>Loading…</translation>
    </message>
    <message>
        <location line="+3" />
        <source>Thumbnail of {name}</source>
        <translation>Thumbnail of {name}</translation>
    </message>
    <message>
        <location line="+3" />
        <source>Describe the image: who, what, where, text in it…</source>
        <translation>Describe the image: who, what, where, text in it…</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Alt text of {name}</source>
        <translation>Alt text of {name}</translation>
    </message>
    <message>
        <location line="+6" />
        <source>Checks of the alt text of {name}</source>
        <translation>Checks of the alt text of {name}</translation>
    </message>
    <message>
        <location line="+2" />
        <source>Remove</source>
        <translation>Remove</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Remove the image {name}</source>
        <translation>Remove the image {name}</translation>
    </message>
    <message>
        <location line="+20" />
        <source>Unreadable</source>
        <translation>Unreadable</translation>
    </message>
</context>
<context>
    <name>ImageViewer</name>
    <message>
        <location filename="../../paris_desk/ui/timeline/image_viewer.py" line="+42" />
        <source>Image description</source>
        <translation>Image description</translation>
    </message>
    <message>
        <location line="+1" />
        <source>◀ &amp;Previous</source>
        <translation>◀ &amp;Previous</translation>
    </message>
    <message>
        <location line="+1" />
        <source>&amp;Next ▶</source>
        <translation>&amp;Next ▶</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Open in the &amp;browser</source>
        <translation>Open in the &amp;browser</translation>
    </message>
    <message>
        <location line="+32" />
        <source>Image {n} of {count} — {author}</source>
        <translation>Image {n} of {count} — {author}</translation>
    </message>
    <message>
        <location line="+4" />
        <source>No description (alt text) was given for this image.</source>
        <translation>No description (alt text) was given for this image.</translation>
    </message>
    <message>
        <location line="+9" />
        <source>Loading the image…</source>
        <translation>Loading the image…</translation>
    </message>
</context>
<context>
    <name>InboxAssignment</name>
    <message>
        <location filename="../../paris_desk/ui/inbox/assignment.py" line="+23" />
        <location line="+44" />
        <source>Assign to…</source>
        <translation>Assign to…</translation>
    </message>
    <message>
        <location line="-41" />
        <location line="+13" />
        <location line="+1" />
        <source>Assign to a colleague (A)</source>
        <translation>Assign to a colleague (A)</translation>
    </message>
    <message>
        <location line="-10" />
        <source>Assigned to &amp;me</source>
        <translation>Assigned to &amp;me</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Assigned to me only</source>
        <translation>Assigned to me only</translation>
    </message>
    <message>
        <location line="+5" />
        <source>Team</source>
        <translation>Team</translation>
    </message>
    <message>
        <location line="+2" />
        <source>Assign…</source>
        <translation>Assign…</translation>
    </message>
    <message>
        <location line="+60" />
        <source>Assigned to {name}.</source>
        <translation>Assigned to {name}.</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Assigned to nobody.</source>
        <translation>Assigned to nobody.</translation>
    </message>
    <message>
        <location line="+17" />
        <source>{name} is not a member of the team.</source>
        <translation>{name} is not a member of the team.</translation>
    </message>
</context>
<context>
    <name>InboxDelegate</name>
    <message>
        <location filename="../../paris_desk/ui/inbox/delegate.py" line="+149" />
        <source>To handle</source>
        <translation>To handle</translation>
    </message>
    <message>
        <location line="+2" />
        <source>Answered</source>
        <translation>Answered</translation>
    </message>
    <message>
        <location line="+2" />
        <source>Dismissed</source>
        <translation>Dismissed</translation>
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
        <translation>Selected notification</translation>
    </message>
    <message>
        <location line="+3" />
        <source>Conversation thread</source>
        <translation>Conversation thread</translation>
    </message>
    <message>
        <location line="+4" />
        <source>Thread status</source>
        <translation>Thread status</translation>
    </message>
    <message>
        <location line="+2" />
        <source>&amp;Reply</source>
        <translation>&amp;Reply</translation>
    </message>
    <message>
        <location line="+0" />
        <source>Reply (R)</source>
        <translation>Reply (R)</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Compose…</source>
        <translation>Compose…</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Reply in the composer (media, long text)</source>
        <translation>Reply in the composer (media, long text)</translation>
    </message>
    <message>
        <location line="+2" />
        <source>Like</source>
        <translation>Like</translation>
    </message>
    <message>
        <location line="+0" />
        <source>Like this post</source>
        <translation>Like this post</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Share</source>
        <translation>Share</translation>
    </message>
    <message>
        <location line="+0" />
        <source>Share this post</source>
        <translation>Share this post</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Open</source>
        <translation>Open</translation>
    </message>
    <message>
        <location line="+0" />
        <source>Open in the browser</source>
        <translation>Open in the browser</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Handled</source>
        <translation>Handled</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Mark as handled (E)</source>
        <translation>Mark as handled (E)</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Unread</source>
        <translation>Unread</translation>
    </message>
    <message>
        <location line="+0" />
        <source>Keep unread (U)</source>
        <translation>Keep unread (U)</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Mute…</source>
        <translation>Mute…</translation>
    </message>
    <message>
        <location line="+0" />
        <source>Mute the author</source>
        <translation>Mute the author</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Block…</source>
        <translation>Block…</translation>
    </message>
    <message>
        <location line="+0" />
        <source>Block the author</source>
        <translation>Block the author</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Report…</source>
        <translation>Report…</translation>
    </message>
    <message>
        <location line="+0" />
        <source>Report the post</source>
        <translation>Report the post</translation>
    </message>
    <message>
        <location line="+3" />
        <source>Reply as</source>
        <translation>Reply as</translation>
    </message>
    <message>
        <location line="+2" />
        <source>Reply text</source>
        <translation>Reply text</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Your reply…</source>
        <translation>Your reply…</translation>
    </message>
    <message>
        <location line="+4" />
        <source>&amp;Send</source>
        <translation>&amp;Send</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Send the reply</source>
        <translation>Send the reply</translation>
    </message>
    <message>
        <location line="+7" />
        <source>Reply status</source>
        <translation>Reply status</translation>
    </message>
    <message>
        <location line="+43" />
        <source>Select a notification to see its conversation.</source>
        <translation>Select a notification to see its conversation.</translation>
    </message>
    <message>
        <location line="+12" />
        <source>Reply as {account}</source>
        <translation>Reply as {account}</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Reply</source>
        <translation>Reply</translation>
    </message>
    <message numerus="yes">
        <location line="+14" />
        <source>%n message(s) in the conversation.</source>
        <translation>
            <numerusform>%n message in the conversation.</numerusform>
            <numerusform>%n messages in the conversation.</numerusform>
        </translation>
    </message>
    <message>
        <location line="+19" />
        <source>Sending…</source>
        <translation>Sending…</translation>
    </message>
</context>
<context>
    <name>InboxModel</name>
    <message>
        <location filename="../../paris_desk/ui/inbox/model.py" line="-310" />
        <source>Unread.</source>
        <translation>Unread.</translation>
    </message>
    <message>
        <location line="+2" />
        <source>To handle.</source>
        <translation>To handle.</translation>
    </message>
    <message>
        <location line="+2" />
        <source>Answered.</source>
        <translation>Answered.</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Dismissed.</source>
        <translation>Dismissed.</translation>
    </message>
    <message>
        <location line="+12" />
        <source>Assigned to {name}</source>
        <translation>Assigned to {name}</translation>
    </message>
    <message>
        <location line="+7" />
        <source>Handled by {name} at {time}</source>
        <translation>Handled by {name} at {time}</translation>
    </message>
    <message>
        <location line="+4" />
        <source>Handled by {name} on {date}</source>
        <translation>Handled by {name} on {date}</translation>
    </message>
    <message>
        <location line="+8" />
        <source>{summary}, for {account}, {time}.</source>
        <translation>{summary}, for {account}, {time}.</translation>
    </message>
</context>
<context>
    <name>InboxTray</name>
    <message>
        <location filename="../../paris_desk/ui/shell/tray.py" line="+60" />
        <source>Desktop notifications</source>
        <translation>Desktop notifications</translation>
    </message>
    <message>
        <location line="+21" />
        <source>Notification area menu</source>
        <translation>Notification area menu</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Open the inbox</source>
        <translation>Open the inbox</translation>
    </message>
    <message>
        <location line="+17" />
        <source>paris_desk: {unread} unread, {todo} to handle</source>
        <translation>paris_desk: {unread} unread, {todo} to handle</translation>
    </message>
    <message numerus="yes">
        <location line="+57" />
        <source>%n new message(s) to handle</source>
        <translation>
            <numerusform>%n new message to handle</numerusform>
            <numerusform>%n new messages to handle</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>InboxView</name>
    <message>
        <location filename="../../paris_desk/ui/inbox/view.py" line="+81" />
        <source>Inbox</source>
        <translation>Inbox</translation>
    </message>
    <message>
        <location line="+27" />
        <source>Notifications</source>
        <translation>Notifications</translation>
    </message>
    <message>
        <location line="+26" />
        <source>Filter by account</source>
        <translation>Filter by account</translation>
    </message>
    <message>
        <location line="+11" />
        <source>Filter by kind</source>
        <translation>Filter by kind</translation>
    </message>
    <message>
        <location line="+2" />
        <source>All kinds</source>
        <translation>All kinds</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Mentions, replies and quotes</source>
        <translation>Mentions, replies and quotes</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Likes</source>
        <translation>Likes</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Shares</source>
        <translation>Shares</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Follows</source>
        <translation>Follows</translation>
    </message>
    <message>
        <location line="+6" />
        <source>&amp;Unread only</source>
        <translation>&amp;Unread only</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Unread only</source>
        <translation>Unread only</translation>
    </message>
    <message>
        <location line="+3" />
        <source>&amp;To handle</source>
        <translation>&amp;To handle</translation>
    </message>
    <message>
        <location line="+1" />
        <source>To handle only</source>
        <translation>To handle only</translation>
    </message>
    <message>
        <location line="+4" />
        <location line="+1" />
        <source>Mark all as read</source>
        <translation>Mark all as read</translation>
    </message>
    <message>
        <location line="+2" />
        <source>Mark as read every notification of the accounts shown, here and on the servers</source>
        <translation>Mark as read every notification of the accounts shown, here and on the servers</translation>
    </message>
    <message>
        <location line="+3" />
        <source>Refresh</source>
        <translation>Refresh</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Refresh the inbox</source>
        <translation>Refresh the inbox</translation>
    </message>
    <message>
        <location line="+4" />
        <source>Inbox counts</source>
        <translation>Inbox counts</translation>
    </message>
    <message>
        <location line="+1" />
        <source>&amp;Account:</source>
        <translation>&amp;Account:</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Account:</source>
        <translation>Account:</translation>
    </message>
    <message>
        <location line="+2" />
        <source>&amp;Kind:</source>
        <translation>&amp;Kind:</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Kind:</source>
        <translation>Kind:</translation>
    </message>
    <message>
        <location line="+101" />
        <source>All accounts</source>
        <translation>All accounts</translation>
    </message>
    <message>
        <location filename="../../paris_desk/ui/inbox/replying.py" line="+107" />
        <source>Reply to send as {account}: kept in the outbox, it will be sent as soon as possible.</source>
        <translation>Reply to send as {account}: kept in the outbox, it will be sent as soon as possible.</translation>
    </message>
    <message>
        <location filename="../../paris_desk/ui/inbox/keyboard.py" line="+99" />
        <source>Show the conversation</source>
        <translation>Show the conversation</translation>
    </message>
    <message>
        <location line="+3" />
        <source>Reply</source>
        <translation>Reply</translation>
    </message>
    <message>
        <location line="+2" />
        <source>Open in the browser</source>
        <translation>Open in the browser</translation>
    </message>
    <message>
        <location line="+3" />
        <source>Not handled</source>
        <translation>Not handled</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Handled</source>
        <translation>Handled</translation>
    </message>
    <message>
        <location line="+2" />
        <source>Mark as read</source>
        <translation>Mark as read</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Keep unread</source>
        <translation>Keep unread</translation>
    </message>
    <message>
        <location filename="../../paris_desk/ui/accounts/model.py" line="-16" />
        <location filename="../../paris_desk/ui/inbox/reading.py" line="+117" />
        <source>{unread} unread · {todo} to handle</source>
        <translation>{unread} unread · {todo} to handle</translation>
    </message>
    <message>
        <location filename="../../paris_desk/ui/inbox/view.py" line="+63" />
        <source>{summary} — for {account}</source>
        <translation>{summary} — for {account}</translation>
    </message>
    <message>
        <location line="+32" />
        <source>Loading the conversation…</source>
        <translation>Loading the conversation…</translation>
    </message>
    <message>
        <location filename="../../paris_desk/ui/inbox/replying.py" line="-9" />
        <source>Reply sent as {account}.</source>
        <translation>Reply sent as {account}.</translation>
    </message>
    <message>
        <location filename="../../paris_desk/ui/inbox/moderation.py" line="+63" />
        <source>Mute</source>
        <translation>Mute</translation>
    </message>
    <message>
        <location line="-2" />
        <source>Mute {author} for {account}? Their posts and notifications will no longer show for this account.</source>
        <translation>Mute {author} for {account}? Their posts and notifications will no longer show for this account.</translation>
    </message>
    <message>
        <location line="+6" />
        <source>Block</source>
        <translation>Block</translation>
    </message>
    <message>
        <location line="-2" />
        <source>Block {author} for {account}? They will no longer see nor answer this account's posts.</source>
        <translation>Block {author} for {account}? They will no longer see nor answer this account's posts.</translation>
    </message>
    <message>
        <location line="+12" />
        <source>{author} is muted for {account}.</source>
        <translation>{author} is muted for {account}.</translation>
    </message>
    <message>
        <location line="+1" />
        <source>{author} is blocked for {account}.</source>
        <translation>{author} is blocked for {account}.</translation>
    </message>
    <message>
        <location line="+1" />
        <source>{author} is no longer muted for {account}.</source>
        <translation>{author} is no longer muted for {account}.</translation>
    </message>
    <message>
        <location line="+2" />
        <source>{author} is no longer blocked for {account}.</source>
        <translation>{author} is no longer blocked for {account}.</translation>
    </message>
    <message>
        <location line="+22" />
        <source>Report sent to the moderators of {account}'s server.</source>
        <translation>Report sent to the moderators of {account}'s server.</translation>
    </message>
    <message>
        <location filename="../../paris_desk/ui/inbox/install.py" line="+36" />
        <source>{title} — {unread} unread, {todo} to handle</source>
        <translation>{title} — {unread} unread, {todo} to handle</translation>
    </message>
    <message>
        <location line="+14" />
        <source>&amp;Inbox</source>
        <translation>&amp;Inbox</translation>
    </message>
    <message>
        <location filename="../../paris_desk/ui/inbox/reacting.py" line="+106" />
        <source>This link cannot be opened: {url}</source>
        <translation>This link cannot be opened: {url}</translation>
    </message>
    <message>
        <location line="+4" />
        <source>No browser could open the link. It is copied: paste it in a browser. ({url})</source>
        <translation>No browser could open the link. It is copied: paste it in a browser. ({url})</translation>
    </message>
</context>
<context>
    <name>InboxWords</name>
    <message numerus="yes">
        <location filename="../../paris_desk/ui/inbox/model.py" line="-80" />
        <source>{name} and %n other(s) liked your post</source>
        <translation>
            <numerusform>{name} and %n other liked your post</numerusform>
            <numerusform>{name} and %n others liked your post</numerusform>
        </translation>
    </message>
    <message>
        <location line="+2" />
        <source>{name} liked your post</source>
        <translation>{name} liked your post</translation>
    </message>
    <message numerus="yes">
        <location line="+3" />
        <source>{name} and %n other(s) shared your post</source>
        <translation>
            <numerusform>{name} and %n other shared your post</numerusform>
            <numerusform>{name} and %n others shared your post</numerusform>
        </translation>
    </message>
    <message>
        <location line="+2" />
        <source>{name} shared your post</source>
        <translation>{name} shared your post</translation>
    </message>
    <message numerus="yes">
        <location line="+3" />
        <source>{name} and %n other(s) followed you</source>
        <translation>
            <numerusform>{name} and %n other followed you</numerusform>
            <numerusform>{name} and %n others followed you</numerusform>
        </translation>
    </message>
    <message>
        <location line="+2" />
        <source>{name} followed you</source>
        <translation>{name} followed you</translation>
    </message>
    <message>
        <location line="+2" />
        <source>{name} mentioned you</source>
        <translation>{name} mentioned you</translation>
    </message>
    <message>
        <location line="+1" />
        <source>{name} replied to you</source>
        <translation>{name} replied to you</translation>
    </message>
    <message>
        <location line="+1" />
        <source>{name} quoted your post</source>
        <translation>{name} quoted your post</translation>
    </message>
    <message>
        <location line="+2" />
        <source>{name}: other activity</source>
        <translation>{name}: other activity</translation>
    </message>
</context>
<context>
    <name>LanguageSwitch</name>
    <message>
        <location filename="../../paris_desk/ui/shell/language.py" line="+31" />
        <source>The interface will be in {language} once paris_desk restarts.</source>
        <translation>The interface will be in {language} once paris_desk restarts.</translation>
    </message>
    <message>
        <location line="+33" />
        <source>Interface language</source>
        <translation>Interface language</translation>
    </message>
    <message>
        <location line="+4" />
        <source>&amp;Restart now</source>
        <translation>&amp;Restart now</translation>
    </message>
    <message>
        <location line="+2" />
        <source>&amp;Later</source>
        <translation>&amp;Later</translation>
    </message>
</context>
<context>
    <name>LinkCardPreview</name>
    <message>
        <location filename="../../paris_desk/ui/composer/card.py" line="+28" />
        <source>Link card preview for Bluesky</source>
        <translation>Link card preview for Bluesky</translation>
    </message>
    <message>
        <location line="+4" />
        <source>Image of the link card</source>
        <translation>Image of the link card</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Link card (Bluesky)</source>
        <translation>Link card (Bluesky)</translation>
    </message>
    <message>
        <location line="+5" />
        <source>Title of the link card</source>
        <translation>Title of the link card</translation>
    </message>
    <message>
        <location line="+3" />
        <source>Description of the link card</source>
        <translation>Description of the link card</translation>
    </message>
    <message>
        <location line="+2" />
        <source>Site of the link card</source>
        <translation>Site of the link card</translation>
    </message>
    <message>
        <location line="+3" />
        <source>Remove the card</source>
        <translation>Remove the card</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Remove the link card</source>
        <translation>Remove the link card</translation>
    </message>
    <message>
        <location line="+23" />
        <source>Loading the preview…</source>
        <translation>Loading the preview…</translation>
    </message>
    <message>
        <location line="+9" />
        <source>The images replace this card on Bluesky.</source>
        <translation>The images replace this card on Bluesky.</translation>
    </message>
</context>
<context>
    <name>Links</name>
    <message>
        <location filename="../../paris_desk/ui/links.py" line="+23" />
        <source>This link cannot be opened: {url}</source>
        <translation>This link cannot be opened: {url}</translation>
    </message>
    <message>
        <location line="+6" />
        <source>No browser could open the link. It is copied: paste it in a browser. ({url})</source>
        <translation>No browser could open the link. It is copied: paste it in a browser. ({url})</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <location filename="../../paris_desk/ui/shell/main_window.py" line="+95" />
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
        <location line="+12" />
        <source>&amp;Welcome</source>
        <translation>&amp;Welcome</translation>
    </message>
    <message>
        <location line="+2" />
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
        <location line="+17" />
        <source>&amp;File</source>
        <translation>&amp;File</translation>
    </message>
    <message>
        <location line="+3" />
        <source>&amp;Preferences…</source>
        <translation>&amp;Preferences…</translation>
    </message>
    <message>
        <location line="+7" />
        <source>&amp;Quit</source>
        <translation>&amp;Quit</translation>
    </message>
    <message>
        <location line="+6" />
        <source>&amp;Accounts</source>
        <translation>&amp;Accounts</translation>
    </message>
    <message>
        <location line="+6" />
        <source>&amp;View</source>
        <translation>&amp;View</translation>
    </message>
    <message>
        <location line="+5" />
        <source>Accounts &amp;panel</source>
        <translation>Accounts &amp;panel</translation>
    </message>
    <message>
        <location line="+5" />
        <source>&amp;Help</source>
        <translation>&amp;Help</translation>
    </message>
    <message>
        <location line="+2" />
        <source>&amp;Keyboard shortcuts</source>
        <translation>&amp;Keyboard shortcuts</translation>
    </message>
    <message>
        <location line="+4" />
        <source>&amp;Copy the diagnostics</source>
        <translation>&amp;Copy the diagnostics</translation>
    </message>
    <message>
        <location line="+3" />
        <source>&amp;About paris_desk</source>
        <translation>&amp;About paris_desk</translation>
    </message>
    <message>
        <location line="+34" />
        <source>&amp;Language</source>
        <translation>&amp;Language</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Language</source>
        <translation>Language</translation>
    </message>
    <message numerus="yes">
        <location line="+67" />
        <source>%n account(s)</source>
        <translation>
            <numerusform>%n account</numerusform>
            <numerusform>%n accounts</numerusform>
        </translation>
    </message>
    <message>
        <location line="+12" />
        <source>{account} was added. Restart paris_desk to leave the sandbox and use your accounts.</source>
        <translation>{account} was added. Restart paris_desk to leave the sandbox and use your accounts.</translation>
    </message>
    <message>
        <location line="+34" />
        <source>About paris_desk</source>
        <translation>About paris_desk</translation>
    </message>
    <message>
        <location line="+2" />
        <source>&lt;h3&gt;paris_desk {version}&lt;/h3&gt;&lt;p&gt;One workstation for the city's communications team on Mastodon and Bluesky.&lt;/p&gt;</source>
        <translation>&lt;h3&gt;paris_desk {version}&lt;/h3&gt;&lt;p&gt;One workstation for the city's communications team on Mastodon and Bluesky.&lt;/p&gt;</translation>
    </message>
    <message>
        <location line="-195" />
        <source>The sandbox could not be started: run paris_desk --sandbox.</source>
        <translation>The sandbox could not be started: run paris_desk --sandbox.</translation>
    </message>
    <message>
        <location line="+152" />
        <source>Sandbox mode: sample data. Your account {account} is saved: restart paris_desk to leave the sandbox and use it.</source>
        <translation>Sandbox mode: sample data. Your account {account} is saved: restart paris_desk to leave the sandbox and use it.</translation>
    </message>
</context>
<context>
    <name>MastodonAccountDialog</name>
    <message>
        <location filename="../../paris_desk/ui/accounts/dialogs.py" line="-180" />
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
    <name>MediaPanel</name>
    <message>
        <location filename="../../paris_desk/ui/composer/media.py" line="+23" />
        <source>Add images…</source>
        <translation>Add images…</translation>
    </message>
    <message>
        <location line="+1" />
        <location line="+68" />
        <source>Add images</source>
        <translation>Add images</translation>
    </message>
    <message>
        <location line="-65" />
        <source>Images</source>
        <translation>Images</translation>
    </message>
    <message>
        <location line="+41" />
        <source>Only image files can be added.</source>
        <translation>Only image files can be added.</translation>
    </message>
    <message numerus="yes">
        <location line="+2" />
        <source>At most %n image(s) per post.</source>
        <translation>
            <numerusform>At most %n image per post.</numerusform>
            <numerusform>At most %n images per post.</numerusform>
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
        <translation>{name} cannot be read as an image.</translation>
    </message>
    <message numerus="yes">
        <location line="+16" />
        <source>Maximum reached: %n image(s).</source>
        <translation>
            <numerusform>Maximum reached: %n image.</numerusform>
            <numerusform>Maximum reached: %n images.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location line="+2" />
        <source>Up to %n image(s), drag and drop accepted.</source>
        <translation>
            <numerusform>Up to %n image, drag and drop accepted.</numerusform>
            <numerusform>Up to %n images, drag and drop accepted.</numerusform>
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
        <translation>Close the message</translation>
    </message>
</context>
<context>
    <name>OptionsPanel</name>
    <message>
        <location filename="../../paris_desk/ui/composer/options.py" line="+41" />
        <source>Optional: e.g. “Road works”, “Noise”</source>
        <translation>Optional: e.g. “Road works”, “Noise”</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Content warning</source>
        <translation>Content warning</translation>
    </message>
    <message>
        <location line="+3" />
        <source>Visibility on Mastodon</source>
        <translation>Visibility on Mastodon</translation>
    </message>
    <message>
        <location line="+2" />
        <source>Public</source>
        <translation>Public</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Unlisted</source>
        <translation>Unlisted</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Followers only</source>
        <translation>Followers only</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Mentioned people only</source>
        <translation>Mentioned people only</translation>
    </message>
    <message>
        <location line="+5" />
        <source>Language of the post</source>
        <translation>Language of the post</translation>
    </message>
    <message>
        <location line="+5" />
        <source>Who can reply on Bluesky</source>
        <translation>Who can reply on Bluesky</translation>
    </message>
    <message>
        <location line="+2" />
        <source>Everyone</source>
        <translation>Everyone</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Mentioned people</source>
        <translation>Mentioned people</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Followers</source>
        <translation>Followers</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Nobody</source>
        <translation>Nobody</translation>
    </message>
    <message>
        <location line="+5" />
        <source>Schedule</source>
        <translation>Schedule</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Publish later, at a date and time</source>
        <translation>Publish later, at a date and time</translation>
    </message>
    <message>
        <location line="+5" />
        <source>Date and time of publication</source>
        <translation>Date and time of publication</translation>
    </message>
    <message>
        <location line="+7" />
        <source>How scheduling works</source>
        <translation>How scheduling works</translation>
    </message>
    <message>
        <location line="+6" />
        <source>Content warning:</source>
        <translation>Content warning:</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Visibility (Mastodon):</source>
        <translation>Visibility (Mastodon):</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Language:</source>
        <translation>Language:</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Who can reply (Bluesky):</source>
        <translation>Who can reply (Bluesky):</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Publication:</source>
        <translation>Publication:</translation>
    </message>
    <message>
        <location line="+66" />
        <source>Mastodon: a thread is sent by paris_desk at the set time, the application must stay open.</source>
        <translation>Mastodon: a thread is sent by paris_desk at the set time, the application must stay open.</translation>
    </message>
    <message>
        <location line="+2" />
        <source>Mastodon: scheduled on the server.</source>
        <translation>Mastodon: scheduled on the server.</translation>
    </message>
    <message>
        <location line="+2" />
        <source>Bluesky: sent by paris_desk at the set time, the application must stay open.</source>
        <translation>Bluesky: sent by paris_desk at the set time, the application must stay open.</translation>
    </message>
</context>
<context>
    <name>PostActions</name>
    <message>
        <location filename="../../paris_desk/ui/timeline/actions.py" line="+153" />
        <source>The composer is not available.</source>
        <translation>The composer is not available.</translation>
    </message>
    <message>
        <location line="+18" />
        <source>Post actions</source>
        <translation>Post actions</translation>
    </message>
    <message>
        <location line="+28" />
        <source>&amp;Reply…</source>
        <translation>&amp;Reply…</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Un&amp;like</source>
        <translation>Un&amp;like</translation>
    </message>
    <message>
        <location line="+0" />
        <source>&amp;Like</source>
        <translation>&amp;Like</translation>
    </message>
    <message>
        <location line="+2" />
        <source>Undo re&amp;post</source>
        <translation>Undo re&amp;post</translation>
    </message>
    <message>
        <location line="+0" />
        <source>Re&amp;post</source>
        <translation>Re&amp;post</translation>
    </message>
    <message>
        <location line="+2" />
        <source>&amp;Quote…</source>
        <translation>&amp;Quote…</translation>
    </message>
    <message>
        <location line="+2" />
        <source>&amp;Copy link</source>
        <translation>&amp;Copy link</translation>
    </message>
    <message>
        <location line="+1" />
        <source>&amp;Open in browser</source>
        <translation>&amp;Open in browser</translation>
    </message>
    <message>
        <location line="-119" />
        <source>Like as…</source>
        <translation>Like as…</translation>
    </message>
    <message>
        <location line="+22" />
        <source>Share as…</source>
        <translation>Share as…</translation>
    </message>
    <message>
        <location line="+27" />
        <source>Liked as {account}.</source>
        <translation>Liked as {account}.</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Like withdrawn ({account}).</source>
        <translation>Like withdrawn ({account}).</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Shared as {account}.</source>
        <translation>Shared as {account}.</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Share withdrawn ({account}).</source>
        <translation>Share withdrawn ({account}).</translation>
    </message>
    <message>
        <location line="+35" />
        <source>As: {account}</source>
        <translation>As: {account}</translation>
    </message>
</context>
<context>
    <name>PostDelegate</name>
    <message>
        <location filename="../../paris_desk/ui/timeline/post_delegate.py" line="+249" />
        <source>↻ shared by {name}</source>
        <translation>↻ shared by {name}</translation>
    </message>
    <message>
        <location line="+8" />
        <source>in reply to {handle}</source>
        <translation>in reply to {handle}</translation>
    </message>
    <message>
        <location line="+55" />
        <source>Hide</source>
        <translation>Hide</translation>
    </message>
    <message>
        <location line="+0" />
        <source>Show</source>
        <translation>Show</translation>
    </message>
    <message numerus="yes">
        <location line="+110" />
        <source>published on %n accounts</source>
        <translation>
            <numerusform>published on %n account</numerusform>
            <numerusform>published on %n accounts</numerusform>
        </translation>
    </message>
    <message>
        <location line="+82" />
        <source>Image without description</source>
        <translation>Image without description</translation>
    </message>
</context>
<context>
    <name>PostText</name>
    <message>
        <location filename="../../paris_desk/ui/timeline/post_text.py" line="+122" />
        <location line="+16" />
        <source>just now</source>
        <translation>just now</translation>
    </message>
    <message>
        <location line="-14" />
        <source>{count} min ago</source>
        <translation>{count} min ago</translation>
    </message>
    <message>
        <location line="+2" />
        <source>{count} h ago</source>
        <translation>{count} h ago</translation>
    </message>
    <message numerus="yes">
        <location line="+2" />
        <location line="+16" />
        <source>%n day(s) ago</source>
        <translation><numerusform>%n day ago</numerusform><numerusform>%n days ago</numerusform></translation>
    </message>
    <message numerus="yes">
        <location line="-4" />
        <source>%n minute(s) ago</source>
        <translation><numerusform>%n minute ago</numerusform><numerusform>%n minutes ago</numerusform></translation>
    </message>
    <message numerus="yes">
        <location line="+2" />
        <source>%n hour(s) ago</source>
        <translation><numerusform>%n hour ago</numerusform><numerusform>%n hours ago</numerusform></translation>
    </message>
    <message>
        <location line="+21" />
        <source>{author} ({handle}) on {network}, {time}:</source>
        <translation>{author} ({handle}) on {network}, {time}:</translation>
    </message>
    <message>
        <location line="+9" />
        <source>Shared by {name}.</source>
        <translation>Shared by {name}.</translation>
    </message>
    <message>
        <location line="+2" />
        <source>In reply to {handle}.</source>
        <translation>In reply to {handle}.</translation>
    </message>
    <message>
        <location line="+3" />
        <source>Content warning: {warning}.</source>
        <translation>Content warning: {warning}.</translation>
    </message>
    <message numerus="yes">
        <location line="+5" />
        <source>%n image(s).</source>
        <translation><numerusform>%n image.</numerusform><numerusform>%n images.</numerusform></translation>
    </message>
    <message>
        <location line="+2" />
        <source>Quotes {handle}: {text}</source>
        <translation>Quotes {handle}: {text}</translation>
    </message>
    <message numerus="yes">
        <location line="+3" />
        <source>%n repl(y/ies),</source>
        <translation><numerusform>%n reply,</numerusform><numerusform>%n replies,</numerusform></translation>
    </message>
    <message numerus="yes">
        <location line="+1" />
        <source>%n repost(s),</source>
        <translation><numerusform>%n repost,</numerusform><numerusform>%n reposts,</numerusform></translation>
    </message>
    <message numerus="yes">
        <location line="+1" />
        <source>%n like(s).</source>
        <translation><numerusform>%n like.</numerusform><numerusform>%n likes.</numerusform></translation>
    </message>
    <message>
        <location line="+3" />
        <source>Seen by {accounts}.</source>
        <translation>Seen by {accounts}.</translation>
    </message>
    <message numerus="yes">
        <location line="+8" />
        <source>Published on %n accounts: {accounts}.</source>
        <translation><numerusform>Published on %n account: {accounts}.</numerusform><numerusform>Published on %n accounts: {accounts}.</numerusform></translation>
    </message>
    <message>
        <location line="+17" />
        <source>Image: {alt}.</source>
        <translation>Image: {alt}.</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Image without description.</source>
        <translation>Image without description.</translation>
    </message>
    <message>
        <location line="+2" />
        <source>Image {n}: {alt}.</source>
        <translation>Image {n}: {alt}.</translation>
    </message>
    <message>
        <location line="+2" />
        <source>Image {n} without description.</source>
        <translation>Image {n} without description.</translation>
    </message>
    <message>
        <location line="+6" />
        <source>Link: {title} ({domain}).</source>
        <translation>Link: {title} ({domain}).</translation>
    </message>
    <message>
        <location line="+2" />
        <source>Link to {domain}.</source>
        <translation>Link to {domain}.</translation>
    </message>
</context>
<context>
    <name>Protect</name>
    <message>
        <location filename="../../paris_desk/ui/timeline/protect.py" line="+49" />
        <source>Everyone</source>
        <translation>Everyone</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Mentioned accounts</source>
        <translation>Mentioned accounts</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Followers</source>
        <translation>Followers</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Accounts we follow</source>
        <translation>Accounts we follow</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Nobody</source>
        <translation>Nobody</translation>
    </message>
    <message>
        <location line="+25" />
        <source>&amp;Protect the thread</source>
        <translation>&amp;Protect the thread</translation>
    </message>
    <message>
        <location line="+7" />
        <source>&amp;Hide this reply</source>
        <translation>&amp;Hide this reply</translation>
    </message>
    <message>
        <location line="+2" />
        <source>Reply hidden in the thread.</source>
        <translation>Reply hidden in the thread.</translation>
    </message>
    <message>
        <location line="+1" />
        <source>&amp;Show this reply again</source>
        <translation>&amp;Show this reply again</translation>
    </message>
    <message>
        <location line="+2" />
        <source>Reply shown again.</source>
        <translation>Reply shown again.</translation>
    </message>
    <message>
        <location line="+3" />
        <source>&amp;Detach this quote</source>
        <translation>&amp;Detach this quote</translation>
    </message>
    <message>
        <location line="+2" />
        <source>Quote detached from our post.</source>
        <translation>Quote detached from our post.</translation>
    </message>
    <message>
        <location line="+4" />
        <source>&amp;Who may reply</source>
        <translation>&amp;Who may reply</translation>
    </message>
    <message>
        <location line="+4" />
        <source>Who may reply: {who}.</source>
        <translation>Who may reply: {who}.</translation>
    </message>
    <message>
        <location line="+5" />
        <source>&amp;Forbid quotes</source>
        <translation>&amp;Forbid quotes</translation>
    </message>
    <message>
        <location line="+2" />
        <source>Quotes forbidden.</source>
        <translation>Quotes forbidden.</translation>
    </message>
    <message>
        <location line="+1" />
        <source>&amp;Allow quotes again</source>
        <translation>&amp;Allow quotes again</translation>
    </message>
    <message>
        <location line="+2" />
        <source>Quotes allowed.</source>
        <translation>Quotes allowed.</translation>
    </message>
    <message>
        <location filename="../../paris_desk/ui/inbox/protect.py" line="+28" />
        <source>Protect…</source>
        <translation>Protect…</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Protect the thread</source>
        <translation>Protect the thread</translation>
    </message>
</context>
<context>
    <name>PublishPanel</name>
    <message>
        <location filename="../../paris_desk/ui/composer/publish_panel.py" line="+37" />
        <source>Publication status</source>
        <translation>Publication status</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Publication</source>
        <translation>Publication</translation>
    </message>
    <message>
        <location line="+3" />
        <source>Summary of the publication</source>
        <translation>Summary of the publication</translation>
    </message>
    <message>
        <location line="+39" />
        <source>{account}, part {n}/{total}</source>
        <translation>{account}, part {n}/{total}</translation>
    </message>
    <message numerus="yes">
        <location line="+4" />
        <source>%n of {total} sent</source>
        <translation>
            <numerusform>%n of {total} sent</numerusform>
            <numerusform>%n of {total} sent</numerusform>
        </translation>
    </message>
    <message>
        <location line="+14" />
        <source>State for {account}</source>
        <translation>State for {account}</translation>
    </message>
    <message>
        <location line="+8" />
        <source>Retry</source>
        <translation>Retry</translation>
    </message>
    <message>
        <location line="+0" />
        <source>Retry now</source>
        <translation>Retry now</translation>
    </message>
    <message>
        <location line="+2" />
        <source>{action} for {account}</source>
        <translation>{action} for {account}</translation>
    </message>
    <message>
        <location line="+7" />
        <source>Cancel</source>
        <translation>Cancel</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Cancel the post for {account}</source>
        <translation>Cancel the post for {account}</translation>
    </message>
    <message>
        <location line="+10" />
        <source>scheduled on the server for {when}</source>
        <translation>scheduled on the server for {when}</translation>
    </message>
    <message>
        <location line="+3" />
        <source>published</source>
        <translation>published</translation>
    </message>
    <message>
        <location line="+4" />
        <source>see</source>
        <translation>see</translation>
    </message>
    <message>
        <location line="+6" />
        <source>refused: {reason}</source>
        <translation>refused: {reason}</translation>
    </message>
    <message>
        <location line="+6" />
        <source>attempt {n} failed: {reason}</source>
        <translation>attempt {n} failed: {reason}</translation>
    </message>
    <message>
        <location line="-5" />
        <source>failed: {reason}</source>
        <translation>failed: {reason}</translation>
    </message>
    <message>
        <location line="+9" />
        <source>sending…</source>
        <translation>sending…</translation>
    </message>
    <message>
        <location line="+2" />
        <source>cancelled</source>
        <translation>cancelled</translation>
    </message>
    <message>
        <location line="+3" />
        <source>queued, sent by paris_desk at {when}</source>
        <translation>queued, sent by paris_desk at {when}</translation>
    </message>
    <message>
        <location line="+2" />
        <source>queued</source>
        <translation>queued</translation>
    </message>
</context>
<context>
    <name>ReportDialog</name>
    <message>
        <location filename="../../paris_desk/ui/inbox/actions.py" line="+56" />
        <source>Report a post</source>
        <translation>Report a post</translation>
    </message>
    <message>
        <location line="+2" />
        <source>Report this post by {author} to the moderators, as {account}. A report cannot be withdrawn.</source>
        <translation>Report this post by {author} to the moderators, as {account}. A report cannot be withdrawn.</translation>
    </message>
    <message>
        <location line="+5" />
        <source>Reason</source>
        <translation>Reason</translation>
    </message>
    <message>
        <location line="+2" />
        <source>Insults or harassment</source>
        <translation>Insults or harassment</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Spam</source>
        <translation>Spam</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Misleading</source>
        <translation>Misleading</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Breaks the rules or the law</source>
        <translation>Breaks the rules or the law</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Other</source>
        <translation>Other</translation>
    </message>
    <message>
        <location line="+5" />
        <source>Note for the moderators</source>
        <translation>Note for the moderators</translation>
    </message>
    <message>
        <location line="+4" />
        <source>Report</source>
        <translation>Report</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Send the report</source>
        <translation>Send the report</translation>
    </message>
    <message>
        <location line="+7" />
        <source>Reason:</source>
        <translation>Reason:</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Note:</source>
        <translation>Note:</translation>
    </message>
</context>
<context>
    <name>RequestsDialog</name>
    <message>
        <location filename="../../paris_desk/ui/inbox/requests.py" line="+50" />
        <location line="+5" />
        <location line="+93" />
        <source>Requests</source>
        <translation>Requests</translation>
    </message>
    <message>
        <location line="-97" />
        <source>Mentions from accounts you do not follow</source>
        <translation>Mentions from accounts you do not follow</translation>
    </message>
    <message>
        <location line="+7" />
        <source>Their messages</source>
        <translation>Their messages</translation>
    </message>
    <message>
        <location line="+3" />
        <source>&amp;Accept</source>
        <translation>&amp;Accept</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Their mentions join the inbox, now and later</source>
        <translation>Their mentions join the inbox, now and later</translation>
    </message>
    <message>
        <location line="+2" />
        <source>&amp;Ignore</source>
        <translation>&amp;Ignore</translation>
    </message>
    <message>
        <location line="+2" />
        <source>&amp;See the messages</source>
        <translation>&amp;See the messages</translation>
    </message>
    <message numerus="yes">
        <location line="+48" />
        <source>{who} ({handle}) to {account}: %n message(s)</source>
        <translation>
            <numerusform>{who} ({handle}) to {account}: %n message</numerusform>
            <numerusform>{who} ({handle}) to {account}: %n messages</numerusform>
        </translation>
    </message>
    <message>
        <location line="+12" />
        <source>No request is waiting.</source>
        <translation>No request is waiting.</translation>
    </message>
    <message numerus="yes">
        <location line="+32" />
        <source>Requests (%n)</source>
        <translation><numerusform>Requests (%n)</numerusform><numerusform>Requests (%n)</numerusform></translation>
    </message>
</context>
<context>
    <name>SavedReplies</name>
    <message>
        <location filename="../../paris_desk/ui/inbox/saved_replies.py" line="+49" />
        <location line="+3" />
        <source>Saved replies</source>
        <translation>Saved replies</translation>
    </message>
    <message>
        <location line="+2" />
        <source>Insert a saved reply ({key})</source>
        <translation>Insert a saved reply ({key})</translation>
    </message>
    <message>
        <location line="+23" />
        <source>No saved reply yet</source>
        <translation>No saved reply yet</translation>
    </message>
    <message>
        <location line="+4" />
        <source>&amp;Manage the saved replies…</source>
        <translation>&amp;Manage the saved replies…</translation>
    </message>
</context>
<context>
    <name>SavedRepliesDialog</name>
    <message>
        <location line="+30" />
        <location line="+5" />
        <source>Saved replies</source>
        <translation>Saved replies</translation>
    </message>
    <message>
        <location line="+3" />
        <source>Title</source>
        <translation>Title</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Title (as shown in the menu)</source>
        <translation>Title (as shown in the menu)</translation>
    </message>
    <message>
        <location line="+2" />
        <source>Text of the reply</source>
        <translation>Text of the reply</translation>
    </message>
    <message>
        <location line="+2" />
        <source>{auteur}: the person answered, {pseudo}: their @address, {compte}: the account that answers.</source>
        <translation>{auteur}: the person answered, {pseudo}: their @address, {compte}: the account that answers.</translation>
    </message>
    <message>
        <location line="+3" />
        <source>&amp;New</source>
        <translation>&amp;New</translation>
    </message>
    <message>
        <location line="+2" />
        <source>&amp;Save</source>
        <translation>&amp;Save</translation>
    </message>
    <message>
        <location line="+2" />
        <source>&amp;Remove</source>
        <translation>&amp;Remove</translation>
    </message>
</context>
<context>
    <name>Settings</name>
    <message>
        <location filename="../../paris_desk/ui/settings/wiring.py" line="+157" />
        <source>Splitting into a thread is turned off in the preferences.</source>
        <translation>Splitting into a thread is turned off in the preferences.</translation>
    </message>
</context>
<context>
    <name>SettingsDialog</name>
    <message>
        <location filename="../../paris_desk/ui/settings/dialog.py" line="+53" />
        <source>Preferences</source>
        <translation>Preferences</translation>
    </message>
    <message>
        <location line="+4" />
        <source>About the interface language</source>
        <translation>About the interface language</translation>
    </message>
    <message>
        <location line="+30" />
        <source>Timeline</source>
        <translation>Timeline</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Automatic refresh of the timeline</source>
        <translation>Automatic refresh of the timeline</translation>
    </message>
    <message>
        <location line="+2" />
        <source>Never</source>
        <translation>Never</translation>
    </message>
    <message numerus="yes">
        <location line="+2" />
        <source>Every %n minute(s)</source>
        <translation>
            <numerusform>Every %n minute</numerusform>
            <numerusform>Every %n minutes</numerusform>
        </translation>
    </message>
    <message>
        <location line="+5" />
        <source>Automatic &amp;refresh:</source>
        <translation>Automatic &amp;refresh:</translation>
    </message>
    <message>
        <location line="+5" />
        <source>Desktop notifications</source>
        <translation>Desktop notifications</translation>
    </message>
    <message>
        <location line="+2" />
        <source>Mentions</source>
        <translation>Mentions</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Replies</source>
        <translation>Replies</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Quotes</source>
        <translation>Quotes</translation>
    </message>
    <message>
        <location line="+1" />
        <source>New followers</source>
        <translation>New followers</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Likes</source>
        <translation>Likes</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Reposts and boosts</source>
        <translation>Reposts and boosts</translation>
    </message>
    <message>
        <location line="+4" />
        <source>Show a desktop notification for new:</source>
        <translation>Show a desktop notification for new:</translation>
    </message>
    <message>
        <location line="+5" />
        <source>Desktop notification for {kind}</source>
        <translation>Desktop notification for {kind}</translation>
    </message>
    <message>
        <location line="+7" />
        <source>New posts</source>
        <translation>New posts</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Default language of a new post</source>
        <translation>Default language of a new post</translation>
    </message>
    <message>
        <location line="+4" />
        <source>Default visibility on Mastodon</source>
        <translation>Default visibility on Mastodon</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Who can see a new Mastodon post; Bluesky posts are always public.</source>
        <translation>Who can see a new Mastodon post; Bluesky posts are always public.</translation>
    </message>
    <message>
        <location line="+3" />
        <source>Public</source>
        <translation>Public</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Unlisted</source>
        <translation>Unlisted</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Followers only</source>
        <translation>Followers only</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Mentioned people only</source>
        <translation>Mentioned people only</translation>
    </message>
    <message>
        <location line="+4" />
        <source>When a text is too long</source>
        <translation>When a text is too long</translation>
    </message>
    <message>
        <location line="+1" />
        <source>What the composer does with a text over an account's limit.</source>
        <translation>What the composer does with a text over an account's limit.</translation>
    </message>
    <message>
        <location line="+3" />
        <source>Offer to split it into a thread</source>
        <translation>Offer to split it into a thread</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Split it into a thread</source>
        <translation>Split it into a thread</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Never split: shorten the text</source>
        <translation>Never split: shorten the text</translation>
    </message>
    <message>
        <location line="+4" />
        <source>Accounts checked in a new post</source>
        <translation>Accounts checked in a new post</translation>
    </message>
    <message>
        <location line="+10" />
        <source>&amp;Language:</source>
        <translation>&amp;Language:</translation>
    </message>
    <message>
        <location line="+1" />
        <source>&amp;Visibility (Mastodon):</source>
        <translation>&amp;Visibility (Mastodon):</translation>
    </message>
    <message>
        <location line="+1" />
        <source>&amp;Too long:</source>
        <translation>&amp;Too long:</translation>
    </message>
    <message>
        <location line="+1" />
        <source>&amp;Accounts checked:</source>
        <translation>&amp;Accounts checked:</translation>
    </message>
    <message>
        <location line="+4" />
        <source>Interface</source>
        <translation>Interface</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Colour theme</source>
        <translation>Colour theme</translation>
    </message>
    <message>
        <location line="+2" />
        <location line="+9" />
        <source>Follow the system</source>
        <translation>Follow the system</translation>
    </message>
    <message>
        <location line="-8" />
        <source>Light</source>
        <translation>Light</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Dark</source>
        <translation>Dark</translation>
    </message>
    <message>
        <location line="+4" />
        <source>Language of the interface</source>
        <translation>Language of the interface</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Takes effect the next time paris_desk starts.</source>
        <translation>Takes effect the next time paris_desk starts.</translation>
    </message>
    <message>
        <location line="+7" />
        <source>T&amp;heme:</source>
        <translation>T&amp;heme:</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Interface lan&amp;guage:</source>
        <translation>Interface lan&amp;guage:</translation>
    </message>
    <message>
        <location line="+6" />
        <source>Network</source>
        <translation>Network</translation>
    </message>
    <message>
        <location line="+3" />
        <source>Proxy in use</source>
        <translation>Proxy in use</translation>
    </message>
    <message>
        <location line="+2" />
        <source>Proxy</source>
        <translation>Proxy</translation>
    </message>
    <message>
        <location line="+0" />
        <source>How paris_desk reaches the servers of the accounts.</source>
        <translation>How paris_desk reaches the servers of the accounts.</translation>
    </message>
    <message>
        <location line="+3" />
        <source>Use the system's settings</source>
        <translation>Use the system's settings</translation>
    </message>
    <message>
        <location line="+1" />
        <source>No proxy</source>
        <translation>No proxy</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Use this proxy</source>
        <translation>Use this proxy</translation>
    </message>
    <message>
        <location line="+5" />
        <source>Proxy address</source>
        <translation>Proxy address</translation>
    </message>
    <message>
        <location line="+2" />
        <source>host:port; no identifier or password (they would be saved in clear).</source>
        <translation>host:port; no identifier or password (they would be saved in clear).</translation>
    </message>
    <message>
        <location line="+4" />
        <source>About the proxy address</source>
        <translation>About the proxy address</translation>
    </message>
    <message>
        <location line="+4" />
        <source>In use:</source>
        <translation>In use:</translation>
    </message>
    <message>
        <location line="+1" />
        <source>&amp;Proxy:</source>
        <translation>&amp;Proxy:</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Proxy a&amp;ddress:</source>
        <translation>Proxy a&amp;ddress:</translation>
    </message>
    <message>
        <location line="+7" />
        <source>none, direct connection</source>
        <translation>none, direct connection</translation>
    </message>
    <message>
        <location line="+1" />
        <source>environment variables</source>
        <translation>environment variables</translation>
    </message>
    <message>
        <location line="+1" />
        <source>system settings</source>
        <translation>system settings</translation>
    </message>
    <message>
        <location line="+1" />
        <source>these preferences</source>
        <translation>these preferences</translation>
    </message>
    <message>
        <location line="+3" />
        <source>No proxy: direct connection ({origin}).</source>
        <translation>No proxy: direct connection ({origin}).</translation>
    </message>
    <message>
        <location line="+3" />
        <source>{proxy} ({origin})</source>
        <translation>{proxy} ({origin})</translation>
    </message>
    <message>
        <location line="+71" />
        <source>Give the proxy as host:port (for example proxy.example:3128), without identifier or password.</source>
        <translation>Give the proxy as host:port (for example proxy.example:3128), without identifier or password.</translation>
    </message>
    <message>
        <location line="-212" />
        <source>Ask before &amp;sharing a post (boost, repost)</source>
        <translation>Ask before &amp;sharing a post (boost, repost)</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Ask before sharing a post</source>
        <translation>Ask before sharing a post</translation>
    </message>
    <message>
        <location line="-4" />
        <source>Every minute</source>
        <translation>Every minute</translation>
    </message>
</context>
<context>
    <name>ShareDialog</name>
    <message>
        <location filename="../../paris_desk/ui/timeline/acting.py" line="+54" />
        <source>Share this post?</source>
        <translation>Share this post?</translation>
    </message>
    <message>
        <location line="+3" />
        <source>The post by {author} will be shown to the followers of the account you choose. You can undo it.</source>
        <translation>The post by {author} will be shown to the followers of the account you choose. You can undo it.</translation>
    </message>
    <message>
        <location line="+4" />
        <source>Share as</source>
        <translation>Share as</translation>
    </message>
    <message>
        <location line="+5" />
        <source>Share &amp;as:</source>
        <translation>Share &amp;as:</translation>
    </message>
    <message>
        <location line="+2" />
        <source>&amp;Don't ask again (Preferences can ask again)</source>
        <translation>&amp;Don't ask again (Preferences can ask again)</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Don't ask again before sharing</source>
        <translation>Don't ask again before sharing</translation>
    </message>
    <message>
        <location line="+2" />
        <source>&amp;Share</source>
        <translation>&amp;Share</translation>
    </message>
    <message>
        <location line="+2" />
        <source>Share</source>
        <translation>Share</translation>
    </message>
</context>
<context>
    <name>Shortcuts</name>
    <message>
        <location filename="../../paris_desk/ui/shell/shortcuts.py" line="+51" />
        <source>Move to the next control</source>
        <translation>Move to the next control</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Move to the previous control</source>
        <translation>Move to the previous control</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Cancel or close a dialog</source>
        <translation>Cancel or close a dialog</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Publish the post (composer) or send the reply (inbox)</source>
        <translation>Publish the post (composer) or send the reply (inbox)</translation>
    </message>
    <message>
        <location line="+2" />
        <source>Insert a saved reply (inbox reply box)</source>
        <translation>Insert a saved reply (inbox reply box)</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Next post or message (timeline, inbox)</source>
        <translation>Next post or message (timeline, inbox)</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Previous post or message (timeline, inbox)</source>
        <translation>Previous post or message (timeline, inbox)</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Open the conversation (timeline, inbox)</source>
        <translation>Open the conversation (timeline, inbox)</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Reply (timeline, inbox)</source>
        <translation>Reply (timeline, inbox)</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Like or unlike (timeline)</source>
        <translation>Like or unlike (timeline)</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Repost or undo the repost (timeline)</source>
        <translation>Repost or undo the repost (timeline)</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Open in the web browser (timeline)</source>
        <translation>Open in the web browser (timeline)</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Mark as handled or to handle (inbox)</source>
        <translation>Mark as handled or to handle (inbox)</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Mark as read or unread (inbox)</source>
        <translation>Mark as read or unread (inbox)</translation>
    </message>
</context>
<context>
    <name>ShortcutsSheet</name>
    <message>
        <location line="+11" />
        <location line="+6" />
        <source>Keyboard shortcuts</source>
        <translation>Keyboard shortcuts</translation>
    </message>
    <message>
        <location line="-3" />
        <source>Every command of paris_desk can be reached with the keyboard.</source>
        <translation>Every command of paris_desk can be reached with the keyboard.</translation>
    </message>
    <message>
        <location line="+5" />
        <source>Each row: what the shortcut does, then its keys.</source>
        <translation>Each row: what the shortcut does, then its keys.</translation>
    </message>
    <message>
        <location line="+2" />
        <source>Command</source>
        <translation>Command</translation>
    </message>
    <message>
        <location line="+0" />
        <source>Keys</source>
        <translation>Keys</translation>
    </message>
</context>
<context>
    <name>TargetsPanel</name>
    <message>
        <location filename="../../paris_desk/ui/composer/targets.py" line="+53" />
        <source>Publish from</source>
        <translation>Publish from</translation>
    </message>
    <message>
        <location line="+2" />
        <source>Accounts to publish from</source>
        <translation>Accounts to publish from</translation>
    </message>
    <message>
        <location line="+5" />
        <source>Saved groups of accounts</source>
        <translation>Saved groups of accounts</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Check the accounts of a saved group</source>
        <translation>Check the accounts of a saved group</translation>
    </message>
    <message>
        <location line="+2" />
        <source>Save as group…</source>
        <translation>Save as group…</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Save the checked accounts as a group</source>
        <translation>Save the checked accounts as a group</translation>
    </message>
    <message>
        <location line="+2" />
        <source>Delete</source>
        <translation>Delete</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Delete the chosen group</source>
        <translation>Delete the chosen group</translation>
    </message>
    <message>
        <location line="+88" />
        <source>Choose a group…</source>
        <translation>Choose a group…</translation>
    </message>
    <message>
        <location line="+30" />
        <source>Save as group</source>
        <translation>Save as group</translation>
    </message>
    <message>
        <location line="+0" />
        <source>Name of the group:</source>
        <translation>Name of the group:</translation>
    </message>
</context>
<context>
    <name>TeamApprovals</name>
    <message>
        <location filename="../../paris_desk/ui/approvals.py" line="-48" />
        <source>Approval requested by {author}</source>
        <translation>Approval requested by {author}</translation>
    </message>
    <message numerus="yes">
        <location line="+3" />
        <source>%n approval(s) requested</source>
        <translation>
            <numerusform>%n approval requested</numerusform>
            <numerusform>%n approvals requested</numerusform>
        </translation>
    </message>
    <message>
        <location line="+6" />
        <source>Publication no. {id} rejected by {who}</source>
        <translation>Publication no. {id} rejected by {who}</translation>
    </message>
    <message>
        <location line="+2" />
        <source>{title}: “{comment}”. It is back in your drafts.</source>
        <translation>{title}: “{comment}”. It is back in your drafts.</translation>
    </message>
    <message>
        <location line="+7" />
        <source>Publication no. {id} approved by {who}: it goes to the team's outbox.</source>
        <translation>Publication no. {id} approved by {who}: it goes to the team's outbox.</translation>
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
        <translation>Posts of the conversation</translation>
    </message>
    <message>
        <location line="+3" />
        <source>Loading the conversation…</source>
        <translation>Loading the conversation…</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Status</source>
        <translation>Status</translation>
    </message>
</context>
<context>
    <name>TimelineColumn</name>
    <message>
        <location filename="../../paris_desk/ui/timeline/column.py" line="+66" />
        <source>Show the new posts</source>
        <translation>Show the new posts</translation>
    </message>
    <message>
        <location line="+40" />
        <source>Posts</source>
        <translation>Posts</translation>
    </message>
    <message>
        <location line="+7" />
        <source>Unlike</source>
        <translation>Unlike</translation>
    </message>
    <message>
        <location line="+0" />
        <source>Like</source>
        <translation>Like</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Undo the share</source>
        <translation>Undo the share</translation>
    </message>
    <message>
        <location line="+0" />
        <source>Share</source>
        <translation>Share</translation>
    </message>
    <message>
        <location line="+9" />
        <source>Reply</source>
        <translation>Reply</translation>
    </message>
    <message>
        <location line="+4" />
        <source>Open in the browser</source>
        <translation>Open in the browser</translation>
    </message>
    <message>
        <location line="+2" />
        <source>Quote</source>
        <translation>Quote</translation>
    </message>
    <message>
        <location line="+2" />
        <source>Show the conversation</source>
        <translation>Show the conversation</translation>
    </message>
    <message>
        <location line="+31" />
        <location line="+1" />
        <source>Close the column</source>
        <translation>Close the column</translation>
    </message>
    <message>
        <location line="+25" />
        <source>Unified home</source>
        <translation>Unified home</translation>
    </message>
    <message>
        <location line="+3" />
        <source>Home of {account}</source>
        <translation>Home of {account}</translation>
    </message>
    <message numerus="yes">
        <location line="+92" />
        <source>%n new post(s)</source>
        <translation>
            <numerusform>%n new post</numerusform>
            <numerusform>%n new posts</numerusform>
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
        <translation>Add a column</translation>
    </message>
    <message>
        <location line="-10" />
        <source>&amp;Refresh</source>
        <translation>&amp;Refresh</translation>
    </message>
    <message>
        <location line="+7" />
        <source>Refresh</source>
        <translation>Refresh</translation>
    </message>
    <message>
        <location line="+7" />
        <location line="+1" />
        <source>Automatic refresh</source>
        <translation>Automatic refresh</translation>
    </message>
    <message>
        <location line="+3" />
        <location line="+9" />
        <source>Group cross-posts</source>
        <translation>Group cross-posts</translation>
    </message>
    <message>
        <location line="-5" />
        <source>One row for a post published on several of your accounts; unchecked, one row per account</source>
        <translation>One row for a post published on several of your accounts; unchecked, one row per account</translation>
    </message>
    <message>
        <location line="+18" />
        <source>Never</source>
        <translation>Never</translation>
    </message>
    <message numerus="yes">
        <location line="+4" />
        <source>Every %n minute(s)</source>
        <translation>
            <numerusform>Every %n minute</numerusform>
            <numerusform>Every %n minutes</numerusform>
        </translation>
    </message>
    <message>
        <location line="+70" />
        <source>Unified home</source>
        <translation>Unified home</translation>
    </message>
    <message>
        <location line="+124" />
        <source>&amp;Timeline</source>
        <translation>&amp;Timeline</translation>
    </message>
    <message>
        <location line="-196" />
        <source>Every minute</source>
        <translation>Every minute</translation>
    </message>
</context>
<context>
    <name>UndoBar</name>
    <message>
        <location filename="../../paris_desk/ui/inbox/actions.py" line="+17" />
        <source>Last action</source>
        <translation>Last action</translation>
    </message>
    <message>
        <location line="+1" />
        <source>&amp;Undo</source>
        <translation>&amp;Undo</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Undo the last action</source>
        <translation>Undo the last action</translation>
    </message>
    <message>
        <location line="+4" />
        <source>Close the message</source>
        <translation>Close the message</translation>
    </message>
</context>
<context>
    <name>WelcomeDialog</name>
    <message>
        <location filename="../../paris_desk/ui/shell/welcome.py" line="+46" />
        <source>Welcome to paris_desk</source>
        <translation>Welcome to paris_desk</translation>
    </message>
    <message>
        <location line="+3" />
        <source>paris_desk publishes and follows the city's Mastodon and Bluesky accounts from one window. Start by adding an account, or try it first on the sandbox: sample data, nothing is published.</source>
        <translation>paris_desk publishes and follows the city's Mastodon and Bluesky accounts from one window. Start by adding an account, or try it first on the sandbox: sample data, nothing is published.</translation>
    </message>
    <message>
        <location line="+12" />
        <source>Welcome</source>
        <translation>Welcome</translation>
    </message>
    <message>
        <location line="+3" />
        <source>Add a &amp;Mastodon account</source>
        <translation>Add a &amp;Mastodon account</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Sign in to a Mastodon account of the city</source>
        <translation>Sign in to a Mastodon account of the city</translation>
    </message>
    <message>
        <location line="+4" />
        <source>Add a &amp;Bluesky account</source>
        <translation>Add a &amp;Bluesky account</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Sign in to a Bluesky account of the city with an app password</source>
        <translation>Sign in to a Bluesky account of the city with an app password</translation>
    </message>
    <message>
        <location line="+4" />
        <source>&amp;Try the sandbox</source>
        <translation>&amp;Try the sandbox</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Explore paris_desk with sample data; nothing is published</source>
        <translation>Explore paris_desk with sample data; nothing is published</translation>
    </message>
    <message>
        <location line="+5" />
        <source>Why accounts cannot be added</source>
        <translation>Why accounts cannot be added</translation>
    </message>
    <message>
        <location line="+12" />
        <source>Close the welcome</source>
        <translation>Close the welcome</translation>
    </message>
    <message>
        <location line="+73" />
        <source>The sandbox could not be started: run paris_desk --sandbox.</source>
        <translation>The sandbox could not be started: run paris_desk --sandbox.</translation>
    </message>
    <message>
        <location line="-110" />
        <source>paris_desk publishes and follows the city's Mastodon and Bluesky accounts from one window. What you see now is the sandbox: sample data, nothing is published. Add an account when you are ready, or explore first.</source>
        <translation>paris_desk publishes and follows the city's Mastodon and Bluesky accounts from one window. What you see now is the sandbox: sample data, nothing is published. Add an account when you are ready, or explore first.</translation>
    </message>
    <message>
        <location line="+19" />
        <source>&amp;Explore the sample data</source>
        <translation>&amp;Explore the sample data</translation>
    </message>
</context>
<context>
    <name>cli</name>
    <message>
        <location filename="../../paris_desk/cli/approvals.py" line="+35" />
        <location filename="../../paris_desk/cli/outbox.py" line="+43" />
        <source>waiting</source>
        <translation>waiting</translation>
    </message>
    <message>
        <location line="+1" />
        <source>approved</source>
        <translation>approved</translation>
    </message>
    <message>
        <location line="+1" />
        <source>rejected</source>
        <translation>rejected</translation>
    </message>
    <message>
        <location line="+5" />
        <source>the publications submitted for validation</source>
        <translation>the publications submitted for validation</translation>
    </message>
    <message>
        <location line="+2" />
        <source>those already decided too</source>
        <translation>those already decided too</translation>
    </message>
    <message>
        <location line="+8" />
        <source>approve a submitted publication</source>
        <translation>approve a submitted publication</translation>
    </message>
    <message>
        <location line="+7" />
        <source>reject a submitted publication</source>
        <translation>reject a submitted publication</translation>
    </message>
    <message>
        <location line="+3" />
        <source>for its author</source>
        <translation>for its author</translation>
    </message>
    <message>
        <location line="+11" />
        <source>No publication waiting for validation.</source>
        <translation>No publication waiting for validation.</translation>
    </message>
    <message>
        <location line="+2" />
        <source>, scheduled {when}</source>
        <translation>, scheduled {when}</translation>
    </message>
    <message>
        <location line="+3" />
        <source>no. {id}{state}  {author}  {at}  {accounts}{when}  “{text}”</source>
        <translation>no. {id}{state}  {author}  {at}  {accounts}{when}  “{text}”</translation>
    </message>
    <message numerus="yes">
        <location line="+11" />
        <source>Publication no. {id} by {author} approved: %n post(s) in the team's outbox (“paris-desk outbox”).</source>
        <translation><numerusform>Publication no. {id} by {author} approved: %n post in the team's outbox (“paris-desk outbox”).</numerusform><numerusform>Publication no. {id} by {author} approved: %n posts in the team's outbox (“paris-desk outbox”).</numerusform></translation>
    </message>
    <message>
        <location line="+8" />
        <source>--comment: tell the author what is wrong.</source>
        <translation>--comment: tell the author what is wrong.</translation>
    </message>
    <message>
        <location line="+2" />
        <source>Publication no. {id} by {author} rejected; its author will see your comment.</source>
        <translation>Publication no. {id} by {author} rejected; its author will see your comment.</translation>
    </message>
    <message>
        <location line="+22" />
        <source>No publication was submitted under this number.</source>
        <translation>No publication was submitted under this number.</translation>
    </message>
    <message>
        <location line="+3" />
        <source>Publication no. {id} is already {state} (by {who}).</source>
        <translation>Publication no. {id} is already {state} (by {who}).</translation>
    </message>
    <message>
        <location line="+5" />
        <source>Refused: nobody validates their own publication. Nothing was changed.</source>
        <translation>Refused: nobody validates their own publication. Nothing was changed.</translation>
    </message>
    <message>
        <location line="+5" />
        <source>only a validateur decides</source>
        <translation>only a validateur decides</translation>
    </message>
    <message>
        <location line="+8" />
        <source>invalid number: {text}</source>
        <translation>invalid number: {text}</translation>
    </message>
    <message>
        <location filename="../../paris_desk/cli/post.py" line="+100" />
        <source>invalid duration: {value} (a number of seconds ≥ 0)</source>
        <translation>invalid duration: {value} (a number of seconds ≥ 0)</translation>
    </message>
    <message>
        <location line="+10" />
        <source>invalid date: {value} (ISO-8601, e.g. 2026-12-24T18:00+01:00)</source>
        <translation>invalid date: {value} (ISO-8601, e.g. 2026-12-24T18:00+01:00)</translation>
    </message>
    <message>
        <location line="+38" />
        <source>your role may not publish on this account without validation (“--submit”)</source>
        <translation>your role may not publish on this account without validation (“--submit”)</translation>
    </message>
    <message>
        <location line="-10" />
        <source>--submit does not go with --reply-to (yet).</source>
        <translation>--submit does not go with --reply-to (yet).</translation>
    </message>
    <message>
        <location line="-89" />
        <source>publish on one or several accounts</source>
        <translation>publish on one or several accounts</translation>
    </message>
    <message>
        <location line="+4" />
        <source>target account (id or end of the handle), repeatable; “all”: every account</source>
        <translation>target account (id or end of the handle), repeatable; “all”: every account</translation>
    </message>
    <message>
        <location line="+5" />
        <source>the image's description</source>
        <translation>the image's description</translation>
    </message>
    <message>
        <location line="+3" />
        <source>address of the post to reply to</source>
        <translation>address of the post to reply to</translation>
    </message>
    <message>
        <location line="+2" />
        <source>content warning</source>
        <translation>content warning</translation>
    </message>
    <message>
        <location line="+4" />
        <source>the text's language (default: fr)</source>
        <translation>the text's language (default: fr)</translation>
    </message>
    <message>
        <location line="+4" />
        <source>too long for a network: publish as a numbered thread rather than refuse</source>
        <translation>too long for a network: publish as a numbered thread rather than refuse</translation>
    </message>
    <message>
        <location line="+3" />
        <source>no preview of the first link</source>
        <translation>no preview of the first link</translation>
    </message>
    <message>
        <location line="+4" />
        <source>publish later, e.g. 2026-12-24T18:00+01:00</source>
        <translation>publish later, e.g. 2026-12-24T18:00+01:00</translation>
    </message>
    <message>
        <location line="+9" />
        <source>team mode: submit for validation instead of publishing</source>
        <translation>team mode: submit for validation instead of publishing</translation>
    </message>
    <message>
        <location line="+2" />
        <source>the text (“-”: read on standard input)</source>
        <translation>the text (“-”: read on standard input)</translation>
    </message>
    <message>
        <location line="+103" />
        <source>Submitted for validation: no. {id} ({accounts}).</source>
        <translation>Submitted for validation: no. {id} ({accounts}).</translation>
    </message>
    <message>
        <location line="+3" />
        <source>This account needs a validation before publishing: a validateur must approve it (“paris-desk approvals”).</source>
        <translation>This account needs a validation before publishing: a validateur must approve it (“paris-desk approvals”).</translation>
    </message>
    <message numerus="yes">
        <location line="+18" />
        <source>%n message(s) being sent by another paris-desk: not taken over now.</source>
        <translation><numerusform>%n message being sent by another paris-desk: not taken over now.</numerusform><numerusform>%n messages being sent by another paris-desk: not taken over now.</numerusform></translation>
    </message>
    <message numerus="yes">
        <location line="+4" />
        <source>%n message(s) waiting in the outbox (an earlier sending interrupted, a retry or a scheduled message): sent now; see “paris-desk outbox”.</source>
        <translation><numerusform>%n message waiting in the outbox (an earlier sending interrupted, a retry or a scheduled message): sent now; see “paris-desk outbox”.</numerusform><numerusform>%n messages waiting in the outbox (an earlier sending interrupted, a retry or a scheduled message): sent now; see “paris-desk outbox”.</numerusform></translation>
    </message>
    <message>
        <location line="+19" />
        <source>Each --image needs its description --alt.</source>
        <translation>Each --image needs its description --alt.</translation>
    </message>
    <message>
        <location line="+18" />
        <source>No account: add one with “paris-desk account add”.</source>
        <translation>No account: add one with “paris-desk account add”.</translation>
    </message>
    <message>
        <location line="+11" />
        <location filename="../../paris_desk/cli/team.py" line="+209" />
        <source>Warning: the team's accounts are unavailable. {sentence}</source>
        <translation>Warning: the team's accounts are unavailable. {sentence}</translation>
    </message>
    <message>
        <location line="+5" />
        <source>The team's accounts whose credentials are on another workstation: {accounts}; their posts will wait in the team's outbox.</source>
        <translation>The team's accounts whose credentials are on another workstation: {accounts}; their posts will wait in the team's outbox.</translation>
    </message>
    <message>
        <location line="+70" />
        <source>Published on {account}: {url}</source>
        <translation>Published on {account}: {url}</translation>
    </message>
    <message>
        <location line="+3" />
        <source>Scheduled on {account}</source>
        <translation>Scheduled on {account}</translation>
    </message>
    <message>
        <location line="+3" />
        <source>In the team's outbox for {account}: the workstation or the worker that holds its credentials will publish it.</source>
        <translation>In the team's outbox for {account}: the workstation or the worker that holds its credentials will publish it.</translation>
    </message>
    <message>
        <location filename="../../paris_desk/cli/team.py" line="-170" />
        <source>team mode (a shared PostgreSQL database)</source>
        <translation>team mode (a shared PostgreSQL database)</translation>
    </message>
    <message>
        <location line="+4" />
        <source>create the schema, the roles and the first admin</source>
        <translation>create the schema, the roles and the first admin</translation>
    </message>
    <message>
        <location line="+2" />
        <source>connection of an owner of the database</source>
        <translation>connection of an owner of the database</translation>
    </message>
    <message>
        <location line="+2" />
        <source>the first administrator</source>
        <translation>the first administrator</translation>
    </message>
    <message>
        <location line="+3" />
        <location line="+8" />
        <source>their password, read on standard input</source>
        <translation>their password, read on standard input</translation>
    </message>
    <message>
        <location line="-4" />
        <source>add a member (admin only)</source>
        <translation>add a member (admin only)</translation>
    </message>
    <message>
        <location line="+7" />
        <source>join the team with this profile</source>
        <translation>join the team with this profile</translation>
    </message>
    <message>
        <location line="+1" />
        <source>the server and the database, without a password</source>
        <translation>the server and the database, without a password</translation>
    </message>
    <message>
        <location line="+4" />
        <source>the password, read on standard input (kept in the keychain)</source>
        <translation>the password, read on standard input (kept in the keychain)</translation>
    </message>
    <message>
        <location line="+5" />
        <source>server, member, role and schema version</source>
        <translation>server, member, role and schema version</translation>
    </message>
    <message>
        <location line="+5" />
        <source>leave the team (forgets the password)</source>
        <translation>leave the team (forgets the password)</translation>
    </message>
    <message>
        <location line="+4" />
        <source>the team's accounts and their settings</source>
        <translation>the team's accounts and their settings</translation>
    </message>
    <message>
        <location line="+7" />
        <source>publishing on this account needs a validation (admin)</source>
        <translation>publishing on this account needs a validation (admin)</translation>
    </message>
    <message>
        <location line="+2" />
        <source>id or end of the handle</source>
        <translation>id or end of the handle</translation>
    </message>
    <message>
        <location line="+2" />
        <source>no longer ask for it</source>
        <translation>no longer ask for it</translation>
    </message>
    <message>
        <location line="+12" />
        <source>Team ready on {server}/{database} (schema {version}); this profile is a member: {user} (admin).</source>
        <translation>Team ready on {server}/{database} (schema {version}); this profile is a member: {user} (admin).</translation>
    </message>
    <message>
        <location line="+11" />
        <source>only an admin can add members</source>
        <translation>only an admin can add members</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Member added: {name} ({role}).</source>
        <translation>Member added: {name} ({role}).</translation>
    </message>
    <message>
        <location line="+9" />
        <source>This profile joined the team on {server}/{database}: {user} ({role}).</source>
        <translation>This profile joined the team on {server}/{database}: {user} ({role}).</translation>
    </message>
    <message>
        <location line="+11" />
        <source>Server: {server}</source>
        <translation>Server: {server}</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Database: {database}</source>
        <translation>Database: {database}</translation>
    </message>
    <message>
        <location line="+2" />
        <source>Member: {user} ({role})</source>
        <translation>Member: {user} ({role})</translation>
    </message>
    <message>
        <location line="+2" />
        <source>Schema: {version}</source>
        <translation>Schema: {version}</translation>
    </message>
    <message>
        <location line="+7" />
        <source>This profile is in no team.</source>
        <translation>This profile is in no team.</translation>
    </message>
    <message>
        <location line="+2" />
        <source>This profile left the team; its password is removed from the keychain.</source>
        <translation>This profile left the team; its password is removed from the keychain.</translation>
    </message>
    <message>
        <location line="+12" />
        <source>No account set up for the team.</source>
        <translation>No account set up for the team.</translation>
    </message>
    <message>
        <location line="+2" />
        <source>validation before publishing</source>
        <translation>validation before publishing</translation>
    </message>
    <message>
        <location line="+1" />
        <source>direct publishing</source>
        <translation>direct publishing</translation>
    </message>
    <message>
        <location line="+9" />
        <source>only an admin changes the team's settings</source>
        <translation>only an admin changes the team's settings</translation>
    </message>
    <message>
        <location line="+2" />
        <source>{account}: the redacteurs' posts will wait for a validation.</source>
        <translation>{account}: the redacteurs' posts will wait for a validation.</translation>
    </message>
    <message>
        <location line="+3" />
        <source>{account}: direct publishing for every member.</source>
        <translation>{account}: direct publishing for every member.</translation>
    </message>
    <message>
        <location line="+17" />
        <source>accept the DSN's sslmode weaker than verify-full for a remote server (by default: refused)</source>
        <translation>accept the DSN's sslmode weaker than verify-full for a remote server (by default: refused)</translation>
    </message>
    <message>
        <location line="+24" />
        <source>Empty password: give it on standard input (--password-stdin).</source>
        <translation>Empty password: give it on standard input (--password-stdin).</translation>
    </message>
    <message>
        <location line="+6" />
        <source>no role</source>
        <translation>no role</translation>
    </message>
    <message>
        <location line="+9" />
        <source>Invalid member name: lowercase letters, digits, “_”, “.” or “-”, starting with a letter (63 characters at most).</source>
        <translation>Invalid member name: lowercase letters, digits, “_”, “.” or “-”, starting with a letter (63 characters at most).</translation>
    </message>
    <message>
        <location filename="../../paris_desk/cli/about.py" line="+20" />
        <source>the system's certificate store</source>
        <translation>the system's certificate store</translation>
    </message>
    <message>
        <location line="+1" />
        <source>certifi (fallback: the system's store is not read)</source>
        <translation>certifi (fallback: the system's store is not read)</translation>
    </message>
    <message>
        <location line="+4" />
        <source>none, direct connection</source>
        <translation>none, direct connection</translation>
    </message>
    <message>
        <location line="+1" />
        <source>environment variables</source>
        <translation>environment variables</translation>
    </message>
    <message>
        <location line="+1" />
        <source>system settings</source>
        <translation>system settings</translation>
    </message>
    <message>
        <location line="+1" />
        <source>paris_desk's preferences</source>
        <translation>paris_desk's preferences</translation>
    </message>
    <message>
        <location line="+12" />
        <source>Certificates: {source} ({detail})</source>
        <translation>Certificates: {source} ({detail})</translation>
    </message>
    <message>
        <location line="+2" />
        <source>HTTPS proxy: {proxy}</source>
        <translation>HTTPS proxy: {proxy}</translation>
    </message>
    <message>
        <location line="+3" />
        <source>No proxy for: {hosts}</source>
        <translation>No proxy for: {hosts}</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Libraries: {versions}</source>
        <translation>Libraries: {versions}</translation>
    </message>
    <message>
        <location line="+16" />
        <source>{name} missing</source>
        <translation>{name} missing</translation>
    </message>
    <message>
        <location filename="../../paris_desk/cli/account.py" line="+23" />
        <source>add, list or remove accounts</source>
        <translation>add, list or remove accounts</translation>
    </message>
    <message>
        <location line="+4" />
        <source>add (or reconnect) an account</source>
        <translation>add (or reconnect) an account</translation>
    </message>
    <message>
        <location line="+3" />
        <source>a Mastodon account</source>
        <translation>a Mastodon account</translation>
    </message>
    <message>
        <location line="+1" />
        <source>e.g. paris.social</source>
        <translation>e.g. paris.social</translation>
    </message>
    <message>
        <location line="+5" />
        <source>read an access token on standard input (otherwise: sign in in the browser)</source>
        <translation>read an access token on standard input (otherwise: sign in in the browser)</translation>
    </message>
    <message>
        <location line="+6" />
        <source>a Bluesky account</source>
        <translation>a Bluesky account</translation>
    </message>
    <message>
        <location line="+1" />
        <source>e.g. ville.bsky.social</source>
        <translation>e.g. ville.bsky.social</translation>
    </message>
    <message>
        <location line="+2" />
        <source>server (PDS), if it cannot be found from the handle</source>
        <translation>server (PDS), if it cannot be found from the handle</translation>
    </message>
    <message>
        <location line="+5" />
        <source>read the app password on standard input</source>
        <translation>read the app password on standard input</translation>
    </message>
    <message>
        <location line="+5" />
        <source>the accounts, in order</source>
        <translation>the accounts, in order</translation>
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
        <translation>JSON output</translation>
    </message>
    <message>
        <location line="+4" />
        <source>remove an account and its secret</source>
        <translation>remove an account and its secret</translation>
    </message>
    <message>
        <location line="+2" />
        <source>id (see list) or end of the handle</source>
        <translation>id (see list) or end of the handle</translation>
    </message>
    <message>
        <location line="+6" />
        <source>label shown</source>
        <translation>label shown</translation>
    </message>
    <message>
        <location line="+2" />
        <source>colour, e.g. #1f6feb</source>
        <translation>colour, e.g. #1f6feb</translation>
    </message>
    <message>
        <location line="+10" />
        <source>No token on standard input.</source>
        <translation>No token on standard input.</translation>
    </message>
    <message>
        <location line="+9" />
        <source>Authorise paris-desk in your browser, at this address:</source>
        <translation>Authorise paris-desk in your browser, at this address:</translation>
    </message>
    <message>
        <location line="+4" />
        <source>Waiting for the browser to come back…</source>
        <translation>Waiting for the browser to come back…</translation>
    </message>
    <message>
        <location line="+3" />
        <source>Paste the authorisation code (or the whole return address):</source>
        <translation>Paste the authorisation code (or the whole return address):</translation>
    </message>
    <message>
        <location line="+4" />
        <source>No authorisation code entered.</source>
        <translation>No authorisation code entered.</translation>
    </message>
    <message>
        <location line="+8" />
        <source>App password: </source>
        <translation>App password: </translation>
    </message>
    <message>
        <location line="+3" />
        <source>Empty password.</source>
        <translation>Empty password.</translation>
    </message>
    <message>
        <location line="+7" />
        <source>Cannot find the server of {handle} from its handle. An account hosted elsewhere than on bsky.social (the city's server, the sandbox) needs its address: add --service URL, for example --service {example}.</source>
        <translation>Cannot find the server of {handle} from its handle. An account hosted elsewhere than on bsky.social (the city's server, the sandbox) needs its address: add --service URL, for example --service {example}.</translation>
    </message>
    <message>
        <location line="+6" />
        <source>Bluesky sent a sign-in code by e-mail. Enter it:</source>
        <translation>Bluesky sent a sign-in code by e-mail. Enter it:</translation>
    </message>
    <message>
        <location line="+9" />
        <source>Account added: {id}</source>
        <translation>Account added: {id}</translation>
    </message>
    <message>
        <location line="+17" />
        <source>{id}  (team; credentials on another workstation)</source>
        <translation>{id}  (team; credentials on another workstation)</translation>
    </message>
    <message>
        <location line="+15" />
        <source>Warning: account not registered with the team. {sentence}</source>
        <translation>Warning: account not registered with the team. {sentence}</translation>
    </message>
    <message>
        <location line="+7" />
        <source>Account removed: {id}</source>
        <translation>Account removed: {id}</translation>
    </message>
    <message>
        <location filename="../../paris_desk/cli/assign.py" line="+21" />
        <source>assign an item of the inbox</source>
        <translation>assign an item of the inbox</translation>
    </message>
    <message>
        <location line="+2" />
        <source>the “id” of “paris-desk inbox --json”</source>
        <translation>the “id” of “paris-desk inbox --json”</translation>
    </message>
    <message>
        <location line="+3" />
        <source>a member of the team</source>
        <translation>a member of the team</translation>
    </message>
    <message>
        <location line="+1" />
        <source>assign it to nobody</source>
        <translation>assign it to nobody</translation>
    </message>
    <message>
        <location line="+9" />
        <source>Invalid item: {item} (the “id” of “paris-desk inbox --json”, account/notification).</source>
        <translation>Invalid item: {item} (the “id” of “paris-desk inbox --json”, account/notification).</translation>
    </message>
    <message>
        <location line="+6" />
        <source>Assigned to nobody: {item}.</source>
        <translation>Assigned to nobody: {item}.</translation>
    </message>
    <message>
        <location line="+1" />
        <source>This item was assigned to nobody: {item}.</source>
        <translation>This item was assigned to nobody: {item}.</translation>
    </message>
    <message>
        <location line="+5" />
        <source>{name} is not a member of the team.</source>
        <translation>{name} is not a member of the team.</translation>
    </message>
    <message>
        <location line="+4" />
        <source>Assigned to {name}: {item}.</source>
        <translation>Assigned to {name}: {item}.</translation>
    </message>
    <message>
        <location filename="../../paris_desk/cli/audit.py" line="-3" />
        <source>the team's audit log</source>
        <translation>the team's audit log</translation>
    </message>
    <message>
        <location line="+1" />
        <source>from this date (and time)</source>
        <translation>from this date (and time)</translation>
    </message>
    <message>
        <location line="+13" />
        <source>The audit log is empty.</source>
        <translation>The audit log is empty.</translation>
    </message>
    <message>
        <location line="+25" />
        <source>--since: an ISO-8601 date is expected (2026-12-07 or 2026-12-07T09:30:00Z), not “{text}”.</source>
        <translation>--since: an ISO-8601 date is expected (2026-12-07 or 2026-12-07T09:30:00Z), not “{text}”.</translation>
    </message>
    <message>
        <location filename="../../paris_desk/cli/errors.py" line="+31" />
        <source>{account}: {sentence}</source>
        <translation>{account}: {sentence}</translation>
    </message>
    <message>
        <location filename="../../paris_desk/cli/filter.py" line="-29" />
        <source>hide</source>
        <translation>hide</translation>
    </message>
    <message>
        <location line="+1" />
        <source>warn</source>
        <translation>warn</translation>
    </message>
    <message>
        <location line="+5" />
        <source>word filters (hide or warn)</source>
        <translation>word filters (hide or warn)</translation>
    </message>
    <message>
        <location line="+4" />
        <source>add a filter</source>
        <translation>add a filter</translation>
    </message>
    <message>
        <location line="+1" />
        <source>word or phrase (whole words)</source>
        <translation>word or phrase (whole words)</translation>
    </message>
    <message>
        <location line="+2" />
        <source>TEXT is a regular expression</source>
        <translation>TEXT is a regular expression</translation>
    </message>
    <message>
        <location line="+3" />
        <location filename="../../paris_desk/cli/timeline.py" line="-4" />
        <source>id or end of the handle (repeatable; by default: every account)</source>
        <translation>id or end of the handle (repeatable; by default: every account)</translation>
    </message>
    <message>
        <location line="+4" />
        <source>fold the item behind “Filtered: TEXT” (the default)</source>
        <translation>fold the item behind “Filtered: TEXT” (the default)</translation>
    </message>
    <message>
        <location line="+3" />
        <source>hide the item (shown with --all)</source>
        <translation>hide the item (shown with --all)</translation>
    </message>
    <message>
        <location line="+4" />
        <source>the filters, with the servers' ones</source>
        <translation>the filters, with the servers' ones</translation>
    </message>
    <message>
        <location line="+6" />
        <source>remove a filter (here and on the servers)</source>
        <translation>remove a filter (here and on the servers)</translation>
    </message>
    <message>
        <location line="+18" />
        <source>Filter added:</source>
        <translation>Filter added:</translation>
    </message>
    <message>
        <location line="+20" />
        <source>No filter “{id}” (see “paris-desk filter list”).</source>
        <translation>No filter “{id}” (see “paris-desk filter list”).</translation>
    </message>
    <message>
        <location line="+3" />
        <source>Filter {id} removed.</source>
        <translation>Filter {id} removed.</translation>
    </message>
    <message>
        <location line="+19" />
        <source>No filter. Add one with “paris-desk filter add”.</source>
        <translation>No filter. Add one with “paris-desk filter add”.</translation>
    </message>
    <message>
        <location line="+3" />
        <source>regular expression</source>
        <translation>regular expression</translation>
    </message>
    <message>
        <location line="+0" />
        <source>whole words</source>
        <translation>whole words</translation>
    </message>
    <message>
        <location line="+2" />
        <source>{id}  “{text}”  {action}  ({kind})</source>
        <translation>{id}  “{text}”  {action}  ({kind})</translation>
    </message>
    <message>
        <location line="+2" />
        <source>all</source>
        <translation>all</translation>
    </message>
    <message>
        <location line="+1" />
        <source>accounts: {accounts}</source>
        <translation>accounts: {accounts}</translation>
    </message>
    <message>
        <location line="+3" />
        <source>not supported</source>
        <translation>not supported</translation>
    </message>
    <message>
        <location line="+1" />
        <source>synchronised</source>
        <translation>synchronised</translation>
    </message>
    <message>
        <location line="+1" />
        <source>not yet synchronised</source>
        <translation>not yet synchronised</translation>
    </message>
    <message>
        <location line="+1" />
        <source>{account}: {state}</source>
        <translation>{account}: {state}</translation>
    </message>
    <message>
        <location line="+8" />
        <source>Warning: the server of {account} was not updated (tried again at the next “filter” command): {reason}</source>
        <translation>Warning: the server of {account} was not updated (tried again at the next “filter” command): {reason}</translation>
    </message>
    <message>
        <location line="+7" />
        <source>Invalid regular expression ({detail}).</source>
        <translation>Invalid regular expression ({detail}).</translation>
    </message>
    <message>
        <location line="+3" />
        <source>The filter is empty.</source>
        <translation>The filter is empty.</translation>
    </message>
    <message>
        <location line="+1" />
        <source>The filter is too long (200 characters at most).</source>
        <translation>The filter is too long (200 characters at most).</translation>
    </message>
    <message>
        <location filename="../../paris_desk/cli/inbox.py" line="+25" />
        <source>the accounts' notifications</source>
        <translation>the accounts' notifications</translation>
    </message>
    <message>
        <location line="+3" />
        <source>only the unread ones</source>
        <translation>only the unread ones</translation>
    </message>
    <message>
        <location line="+3" />
        <source>team mode: only those assigned to me</source>
        <translation>team mode: only those assigned to me</translation>
    </message>
    <message>
        <location line="+41" />
        <source>--assigned-to-me: this profile is in no team.</source>
        <translation>--assigned-to-me: this profile is in no team.</translation>
    </message>
    <message>
        <location filename="../../paris_desk/cli/main.py" line="+48" />
        <source>Mastodon and Bluesky workstation. Without a command: the application.</source>
        <translation>Mastodon and Bluesky workstation. Without a command: the application.</translation>
    </message>
    <message>
        <location line="+6" />
        <source>training profile (local servers, never the real accounts)</source>
        <translation>training profile (local servers, never the real accounts)</translation>
    </message>
    <message>
        <location line="+2" />
        <source>the application's language (fr, en)</source>
        <translation>the application's language (fr, en)</translation>
    </message>
    <message>
        <location line="+2" />
        <source>version, then quit</source>
        <translation>version, then quit</translation>
    </message>
    <message>
        <location line="+5" />
        <source>with --version: trusted certificates, proxy, libraries</source>
        <translation>with --version: trusted certificates, proxy, libraries</translation>
    </message>
    <message>
        <location line="+101" />
        <source>Interrupted.</source>
        <translation>Interrupted.</translation>
    </message>
    <message>
        <location filename="../../paris_desk/cli/outbox.py" line="-21" />
        <source>being sent</source>
        <translation>being sent</translation>
    </message>
    <message>
        <location line="+1" />
        <source>published</source>
        <translation>published</translation>
    </message>
    <message>
        <location line="+1" />
        <source>failed</source>
        <translation>failed</translation>
    </message>
    <message>
        <location line="+1" />
        <source>cancelled</source>
        <translation>cancelled</translation>
    </message>
    <message>
        <location line="+5" />
        <source>the outbox: see, send, retry</source>
        <translation>the outbox: see, send, retry</translation>
    </message>
    <message>
        <location line="+3" />
        <source>the published and cancelled messages too</source>
        <translation>the published and cancelled messages too</translation>
    </message>
    <message>
        <location line="+5" />
        <source>send what is due now, wait, quit</source>
        <translation>send what is due now, wait, quit</translation>
    </message>
    <message>
        <location line="+3" />
        <location filename="../../paris_desk/cli/post.py" line="-2" />
        <source>maximum duration of the retries (default: %(default).0f s)</source>
        <translation>maximum duration of the retries (default: %(default).0f s)</translation>
    </message>
    <message>
        <location line="+5" />
        <source>put a failed message back in the outbox</source>
        <translation>put a failed message back in the outbox</translation>
    </message>
    <message>
        <location line="+3" />
        <location line="+8" />
        <source>number of the message (see “outbox”)</source>
        <translation>number of the message (see “outbox”)</translation>
    </message>
    <message>
        <location line="-6" />
        <source>every failed message</source>
        <translation>every failed message</translation>
    </message>
    <message>
        <location line="+4" />
        <source>never send a waiting or failed message</source>
        <translation>never send a waiting or failed message</translation>
    </message>
    <message>
        <location line="+18" />
        <source>The outbox is empty.</source>
        <translation>The outbox is empty.</translation>
    </message>
    <message>
        <location line="+8" />
        <source>--timeout must be positive.</source>
        <translation>--timeout must be positive.</translation>
    </message>
    <message>
        <location line="+10" />
        <source>Nothing to send.</source>
        <translation>Nothing to send.</translation>
    </message>
    <message>
        <location line="+17" />
        <source>Message #{id} has not failed ({state}).</source>
        <translation>Message #{id} has not failed ({state}).</translation>
    </message>
    <message>
        <location line="+5" />
        <source>Message #{id} back in the outbox.</source>
        <translation>Message #{id} back in the outbox.</translation>
    </message>
    <message>
        <location line="+2" />
        <source>To send: “paris-desk outbox run” (or the application, if it is open).</source>
        <translation>To send: “paris-desk outbox run” (or the application, if it is open).</translation>
    </message>
    <message>
        <location line="+3" />
        <source>No failed message.</source>
        <translation>No failed message.</translation>
    </message>
    <message>
        <location line="+10" />
        <source>Message #{id} cannot be cancelled ({state}).</source>
        <translation>Message #{id} cannot be cancelled ({state}).</translation>
    </message>
    <message>
        <location line="+5" />
        <source>Message #{id} cancelled: it will never be sent.</source>
        <translation>Message #{id} cancelled: it will never be sent.</translation>
    </message>
    <message>
        <location line="+3" />
        <source>The rest of the thread is cancelled too: {ids}.</source>
        <translation>The rest of the thread is cancelled too: {ids}.</translation>
    </message>
    <message>
        <location line="+25" />
        <source>#{id}  {state}  {account}  “{text}”</source>
        <translation>#{id}  {state}  {account}  “{text}”</translation>
    </message>
    <message>
        <location line="+4" />
        <source> (part {part})</source>
        <translation> (part {part})</translation>
    </message>
    <message>
        <location line="+5" />
        <source>, not before {when}</source>
        <translation>, not before {when}</translation>
    </message>
    <message>
        <location line="+6" />
        <source>{line}: {more}</source>
        <translation>{line}: {more}</translation>
    </message>
    <message>
        <location line="+21" />
        <source>{account}: message #{id} still being sent by another paris-desk.</source>
        <translation>{account}: message #{id} still being sent by another paris-desk.</translation>
    </message>
    <message>
        <location line="+4" />
        <source>{account}: message #{id} not sent yet, tried again later.</source>
        <translation>{account}: message #{id} not sent yet, tried again later.</translation>
    </message>
    <message>
        <location line="+3" />
        <source>{account}: message #{id} {state}.</source>
        <translation>{account}: message #{id} {state}.</translation>
    </message>
    <message>
        <location line="+15" />
        <source>Invalid message number: {ref}.</source>
        <translation>Invalid message number: {ref}.</translation>
    </message>
    <message>
        <location line="+5" />
        <source>No message #{id} in the outbox.</source>
        <translation>No message #{id} in the outbox.</translation>
    </message>
    <message numerus="yes">
        <location filename="../../paris_desk/cli/output.py" line="+79" />
        <source>%n hidden by a filter (--all to see them)</source>
        <translation><numerusform>%n hidden by a filter (--all to see it)</numerusform><numerusform>%n hidden by a filter (--all to see them)</numerusform></translation>
    </message>
    <message>
        <location line="+5" />
        <source>[hidden: {words}]</source>
        <translation>[hidden: {words}]</translation>
    </message>
    <message>
        <location line="+1" />
        <source>[Filtered: {words}]</source>
        <translation>[Filtered: {words}]</translation>
    </message>
    <message>
        <location line="+24" />
        <source>No account. Add one with “paris-desk account add”.</source>
        <translation>No account. Add one with “paris-desk account add”.</translation>
    </message>
    <message>
        <location line="+2" />
        <source>  “{label}”</source>
        <translation>  “{label}”</translation>
    </message>
    <message>
        <location line="+10" />
        <source>  (reposted by {handle})</source>
        <translation>  (reposted by {handle})</translation>
    </message>
    <message>
        <location line="+9" />
        <source>[content warning: {text}]</source>
        <translation>[content warning: {text}]</translation>
    </message>
    <message>
        <location line="+5" />
        <source>no description</source>
        <translation>no description</translation>
    </message>
    <message>
        <location line="+1" />
        <source>[image: {alt}]</source>
        <translation>[image: {alt}]</translation>
    </message>
    <message>
        <location line="+2" />
        <source>seen by: {accounts}</source>
        <translation>seen by: {accounts}</translation>
    </message>
    <message>
        <location line="+5" />
        <source>mentions you</source>
        <translation>mentions you</translation>
    </message>
    <message>
        <location line="+1" />
        <source>replied</source>
        <translation>replied</translation>
    </message>
    <message>
        <location line="+1" />
        <source>quotes you</source>
        <translation>quotes you</translation>
    </message>
    <message>
        <location line="+1" />
        <source>liked</source>
        <translation>liked</translation>
    </message>
    <message>
        <location line="+1" />
        <source>reposted</source>
        <translation>reposted</translation>
    </message>
    <message>
        <location line="+1" />
        <source>follows you</source>
        <translation>follows you</translation>
    </message>
    <message>
        <location line="+1" />
        <source>sent a notification</source>
        <translation>sent a notification</translation>
    </message>
    <message>
        <location filename="../../paris_desk/cli/profile.py" line="+14" />
        <source>accounts</source>
        <translation>accounts</translation>
    </message>
    <message>
        <location line="+1" />
        <source>drafts</source>
        <translation>drafts</translation>
    </message>
    <message>
        <location line="+1" />
        <source>posts waiting or sent</source>
        <translation>posts waiting or sent</translation>
    </message>
    <message>
        <location line="+1" />
        <source>posts' images</source>
        <translation>posts' images</translation>
    </message>
    <message>
        <location line="+1" />
        <source>groups of accounts</source>
        <translation>groups of accounts</translation>
    </message>
    <message>
        <location line="+1" />
        <source>inbox tracking</source>
        <translation>inbox tracking</translation>
    </message>
    <message>
        <location line="+1" />
        <source>filters</source>
        <translation>filters</translation>
    </message>
    <message>
        <location line="+5" />
        <source>the local profile (database, permissions)</source>
        <translation>the local profile (database, permissions)</translation>
    </message>
    <message>
        <location line="+5" />
        <source>set a damaged database aside and rebuild it (drafts and posts kept if readable)</source>
        <translation>set a damaged database aside and rebuild it (drafts and posts kept if readable)</translation>
    </message>
    <message>
        <location line="+4" />
        <source>even if the database seems intact</source>
        <translation>even if the database seems intact</translation>
    </message>
    <message>
        <location line="+18" />
        <source>The local database is intact ({path}): nothing to do.</source>
        <translation>The local database is intact ({path}): nothing to do.</translation>
    </message>
    <message>
        <location line="+6" />
        <source>Damaged database set aside: {path}</source>
        <translation>Damaged database set aside: {path}</translation>
    </message>
    <message>
        <location line="+2" />
        <source>Recovered: {what}.</source>
        <translation>Recovered: {what}.</translation>
    </message>
    <message>
        <location line="+1" />
        <source>nothing readable</source>
        <translation>nothing readable</translation>
    </message>
    <message>
        <location line="+2" />
        <source>everything</source>
        <translation>everything</translation>
    </message>
    <message>
        <location line="+2" />
        <source>Unreadable (in part or in whole): {what}.</source>
        <translation>Unreadable (in part or in whole): {what}.</translation>
    </message>
    <message>
        <location line="+1" />
        <source>The posts and notifications will be loaded again from the servers.</source>
        <translation>The posts and notifications will be loaded again from the servers.</translation>
    </message>
    <message>
        <location filename="../../paris_desk/cli/timeline.py" line="-11" />
        <source>the accounts' home timelines, merged</source>
        <translation>the accounts' home timelines, merged</translation>
    </message>
    <message>
        <location line="+17" />
        <source>show the items a filter hides too</source>
        <translation>show the items a filter hides too</translation>
    </message>
    <message>
        <location line="+6" />
        <source>must be at least 1</source>
        <translation>must be at least 1</translation>
    </message>
    <message>
        <location filename="../../paris_desk/cli/worker.py" line="+31" />
        <source>send the messages due, without a window</source>
        <translation>send the messages due, without a window</translation>
    </message>
    <message>
        <location line="+3" />
        <source>send what is due now, then quit</source>
        <translation>send what is due now, then quit</translation>
    </message>
    <message>
        <location line="+22" />
        <source>Automatic sending running (stop: Ctrl-C or SIGTERM).</source>
        <translation>Automatic sending running (stop: Ctrl-C or SIGTERM).</translation>
    </message>
    <message>
        <location line="+8" />
        <source>Automatic sending stopped.</source>
        <translation>Automatic sending stopped.</translation>
    </message>
    <message>
        <location filename="../../paris_desk/cli/sandbox.py" line="+12" />
        <source>local training servers</source>
        <translation>local training servers</translation>
    </message>
    <message>
        <location line="+3" />
        <source>start the local Mastodon and Bluesky servers (Ctrl-C to stop)</source>
        <translation>start the local Mastodon and Bluesky servers (Ctrl-C to stop)</translation>
    </message>
    <message>
        <location line="+3" />
        <location line="+2" />
        <source>0: any free port</source>
        <translation>0: any free port</translation>
    </message>
    <message>
        <location line="+2" />
        <source>added delay</source>
        <translation>added delay</translation>
    </message>
    <message>
        <location line="+2" />
        <source>the data's seed</source>
        <translation>the data's seed</translation>
    </message>
    <message>
        <location line="+3" />
        <source>accounts per network (the accounts added are throwaway)</source>
        <translation>accounts per network (the accounts added are throwaway)</translation>
    </message>
</context>
<context>
    <name>errors</name>
    <message>
        <location filename="../../paris_desk/services/sentences.py" line="+69" />
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
        <source>The local database is damaged. paris_desk can move it aside and rebuild it from the servers, keeping the accounts, drafts and outbox it can still read. Your credentials are safe in the keychain.</source>
        <translation>The local database is damaged. paris_desk can move it aside and rebuild it from the servers, keeping the accounts, drafts and outbox it can still read. Your credentials are safe in the keychain.</translation>
    </message>
    <message>
        <location line="+6" />
        <source>The local database is empty (0 bytes: an interrupted copy or a full disk?). Put back a backup if you have one; otherwise paris_desk can start a new database (the accounts will have to be added again).</source>
        <translation>The local database is empty (0 bytes: an interrupted copy or a full disk?). Put back a backup if you have one; otherwise paris_desk can start a new database (the accounts will have to be added again).</translation>
    </message>
    <message>
        <location line="+6" />
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
        <location line="+5" />
        <source>Check at least one account.</source>
        <translation>Check at least one account.</translation>
    </message>
    <message>
        <location line="+1" />
        <source>The post is empty.</source>
        <translation>The post is empty.</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Every image needs an alt text.</source>
        <translation>Every image needs an alt text.</translation>
    </message>
    <message>
        <location line="+1" />
        <source>An alt text is too long for the network.</source>
        <translation>An alt text is too long for the network.</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Replace the stylised letters with plain ones.</source>
        <translation>Replace the stylised letters with plain ones.</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Too many images for the checked accounts.</source>
        <translation>Too many images for the checked accounts.</translation>
    </message>
    <message>
        <location line="+1" />
        <source>The scheduled time has passed.</source>
        <translation>The scheduled time has passed.</translation>
    </message>
    <message>
        <location line="+1" />
        <source>This draft is already being published.</source>
        <translation>This draft is already being published.</translation>
    </message>
    <message>
        <location line="+20" />
        <source>this account</source>
        <translation>this account</translation>
    </message>
    <message>
        <location line="+6" />
        <source>“{ref}” names several accounts ({matches}): say which one.</source>
        <translation>“{ref}” names several accounts ({matches}): say which one.</translation>
    </message>
    <message>
        <location line="+4" />
        <source>No account “{ref}” in paris_desk.</source>
        <translation>No account “{ref}” in paris_desk.</translation>
    </message>
    <message>
        <location line="-87" />
        <source>The team's database refused: your role does not allow it. Nothing was changed.</source>
        <translation>The team's database refused: your role does not allow it. Nothing was changed.</translation>
    </message>
    <message>
        <location line="+3" />
        <source>The team's server refused your name or password: join the team again (“paris-desk team join”).</source>
        <translation>The team's server refused your name or password: join the team again (“paris-desk team join”).</translation>
    </message>
    <message>
        <location line="+3" />
        <source>The team's server does not answer: check the network, then try again.</source>
        <translation>The team's server does not answer: check the network, then try again.</translation>
    </message>
    <message>
        <location line="+2" />
        <source>This profile is in no team (“paris-desk team join”).</source>
        <translation>This profile is in no team (“paris-desk team join”).</translation>
    </message>
    <message>
        <location line="+4" />
        <source>The team's database has no paris_desk schema, or you are not a member of the team.</source>
        <translation>The team's database has no paris_desk schema, or you are not a member of the team.</translation>
    </message>
    <message>
        <location line="+109" />
        <source>The team's database failed ({kind}); try again.</source>
        <translation>The team's database failed ({kind}); try again.</translation>
    </message>
    <message>
        <location line="+11" />
        <source>No system keychain available: paris_desk cannot store your credentials.</source>
        <translation>No system keychain available: paris_desk cannot store your credentials.</translation>
    </message>
    <message>
        <location line="+4" />
        <source>The system keychain is locked or refused access: unlock it, then try again.</source>
        <translation>The system keychain is locked or refused access: unlock it, then try again.</translation>
    </message>
    <message>
        <location line="+4" />
        <source>The system keychain refused the operation; try again.</source>
        <translation>The system keychain refused the operation; try again.</translation>
    </message>
    <message>
        <location line="+183" />
        <source>{file}: file not found.</source>
        <translation>{file}: file not found.</translation>
    </message>
    <message>
        <location line="+2" />
        <source>{file} is not a regular file.</source>
        <translation>{file} is not a regular file.</translation>
    </message>
    <message>
        <location line="+2" />
        <source>{file}: file too big ({count} bytes, at most {limit}).</source>
        <translation>{file}: file too big ({count} bytes, at most {limit}).</translation>
    </message>
    <message>
        <location line="+6" />
        <source>@{handle}: no such Bluesky account.</source>
        <translation>@{handle}: no such Bluesky account.</translation>
    </message>
    <message>
        <location line="+8" />
        <source>Too long for {network} ({host}): {count} characters for at most {limit}; split it into a thread or shorten the text.</source>
        <translation>Too long for {network} ({host}): {count} characters for at most {limit}; split it into a thread or shorten the text.</translation>
    </message>
    <message>
        <location line="+5" />
        <source>Too long for {network}: {count} characters for at most {limit}; split it into a thread or shorten the text.</source>
        <translation>Too long for {network}: {count} characters for at most {limit}; split it into a thread or shorten the text.</translation>
    </message>
    <message>
        <location line="+8" />
        <source>{file}: image too large ({size}).</source>
        <translation>{file}: image too large ({size}).</translation>
    </message>
    <message>
        <location line="+2" />
        <source>{file} cannot be read as an image ({detail}).</source>
        <translation>{file} cannot be read as an image ({detail}).</translation>
    </message>
    <message>
        <location line="+2" />
        <source>unknown format</source>
        <translation>unknown format</translation>
    </message>
    <message>
        <location line="+10" />
        <source>{account}: not sent in the time allowed.</source>
        <translation>{account}: not sent in the time allowed.</translation>
    </message>
    <message>
        <location line="+3" />
        <source>{account}: sending interrupted (the program stopped).</source>
        <translation>{account}: sending interrupted (the program stopped).</translation>
    </message>
    <message>
        <location line="+6" />
        <source>Publishing on {account} failed ({reason}).</source>
        <translation>Publishing on {account} failed ({reason}).</translation>
    </message>
    <message>
        <location line="+8" />
        <source>The draft is kept; change it before publishing again.</source>
        <translation>The draft is kept; change it before publishing again.</translation>
    </message>
    <message>
        <location line="+3" />
        <source>Next try at {when}.</source>
        <translation>Next try at {when}.</translation>
    </message>
    <message numerus="yes">
        <location line="+2" />
        <source>The post is kept in the outbox (%n attempt(s)).</source>
        <translation><numerusform>The post is kept in the outbox (%n attempt).</numerusform><numerusform>The post is kept in the outbox (%n attempts).</numerusform></translation>
    </message>
    <message>
        <location line="+7" />
        <source>Error: {sentence}</source>
        <translation>Error: {sentence}</translation>
    </message>
    <message>
        <location line="+3" />
        <source>Nothing was published or queued.</source>
        <translation>Nothing was published or queued.</translation>
    </message>
    <message>
        <location line="+3" />
        <source>Database file: {path}.</source>
        <translation>Database file: {path}.</translation>
    </message>
    <message>
        <location line="+6" />
        <source>Command: paris-desk profile repair.</source>
        <translation>Command: paris-desk profile repair.</translation>
    </message>
    <message>
        <location line="+2" />
        <source>See: paris-desk account list.</source>
        <translation>See: paris-desk account list.</translation>
    </message>
    <message>
        <location line="+2" />
        <source>Command: paris-desk account add.</source>
        <translation>Command: paris-desk account add.</translation>
    </message>
    <message>
        <location line="+6" />
        <source>To post it as a numbered thread: --split.</source>
        <translation>To post it as a numbered thread: --split.</translation>
    </message>
    <message>
        <location line="-293" />
        <source>Internal error ({kind}). The details were written to the log.</source>
        <translation>Internal error ({kind}). The details were written to the log.</translation>
    </message>
    <message>
        <location line="-116" />
        <source>This name already exists on the team's server.</source>
        <translation>This name already exists on the team's server.</translation>
    </message>
    <message>
        <location line="+89" />
        <source>The team's database refused: {reason}. Nothing was changed.</source>
        <translation>The team's database refused: {reason}. Nothing was changed.</translation>
    </message>
    <message>
        <location line="+4" />
        <source>The team's server ({host}) is on another machine and sslmode={mode} does not check its identity: nothing was sent to it. Use sslmode=verify-full (with sslrootcert=FILE for your organisation's certificate authority), or join again with --allow-unverified-tls.</source>
        <translation>The team's server ({host}) is on another machine and sslmode={mode} does not check its identity: nothing was sent to it. Use sslmode=verify-full (with sslrootcert=FILE for your organisation's certificate authority), or join again with --allow-unverified-tls.</translation>
    </message>
    <message>
        <location line="+6" />
        <source>The team's database is at schema {found}, newer than this paris_desk (schema {known}): update paris_desk to use it. The database was not touched.</source>
        <translation>The team's database is at schema {found}, newer than this paris_desk (schema {known}): update paris_desk to use it. The database was not touched.</translation>
    </message>
    <message>
        <location line="+5" />
        <source>The team's database is at schema {found}, older than this paris_desk (schema {known}): an admin must run “paris-desk team init”.</source>
        <translation>The team's database is at schema {found}, older than this paris_desk (schema {known}): an admin must run “paris-desk team init”.</translation>
    </message>
    <message>
        <location line="+31" />
        <source>this server</source>
        <translation>this server</translation>
    </message>
    <message>
        <location line="+3" />
        <source>The server's certificate is not recognised (unknown authority: {issuer}); paris_desk refused the connection to {host}.</source>
        <translation>The server's certificate is not recognised (unknown authority: {issuer}); paris_desk refused the connection to {host}.</translation>
    </message>
    <message>
        <location line="+6" />
        <source>The server's certificate is not recognised (unknown authority); paris_desk refused the connection to {host}.</source>
        <translation>The server's certificate is not recognised (unknown authority); paris_desk refused the connection to {host}.</translation>
    </message>
    <message>
        <location line="+8" />
        <source>The server's certificate has expired (valid until {date}); paris_desk refused the connection to {host}. The server must renew its certificate: tell its administrator, or check this computer's date.</source>
        <translation>The server's certificate has expired (valid until {date}); paris_desk refused the connection to {host}. The server must renew its certificate: tell its administrator, or check this computer's date.</translation>
    </message>
    <message>
        <location line="+7" />
        <source>The server's certificate does not match its address (it is for: {names}); paris_desk refused the connection to {host}. Check the server's address.</source>
        <translation>The server's certificate does not match its address (it is for: {names}); paris_desk refused the connection to {host}. Check the server's address.</translation>
    </message>
    <message>
        <location line="+5" />
        <source>The server's certificate is not valid; paris_desk refused the connection to {host}.</source>
        <translation>The server's certificate is not valid; paris_desk refused the connection to {host}.</translation>
    </message>
    <message>
        <location line="+6" />
        <source>If your IT department uses its own certificate, it must be installed in the system's certificate store.</source>
        <translation>If your IT department uses its own certificate, it must be installed in the system's certificate store.</translation>
    </message>
    <message>
        <location line="+7" />
        <source>the proxy</source>
        <translation>the proxy</translation>
    </message>
    <message>
        <location line="+2" />
        <source>The proxy {proxy} does not answer: check the connection and the proxy setting (Preferences › Network), then try again.</source>
        <translation>The proxy {proxy} does not answer: check the connection and the proxy setting (Preferences › Network), then try again.</translation>
    </message>
    <message>
        <location line="+6" />
        <source>The proxy {proxy} could not reach the server ({status}): try again later; if it lasts, ask your IT department whether this server is allowed.</source>
        <translation>The proxy {proxy} could not reach the server ({status}): try again later; if it lasts, ask your IT department whether this server is allowed.</translation>
    </message>
    <message>
        <location line="+6" />
        <source>The proxy {proxy} requires identification (407): ask your IT department to let paris_desk through, or give the identifier in the proxy address (HTTPS_PROXY=http://identifier:password@proxy:port).</source>
        <translation>The proxy {proxy} requires identification (407): ask your IT department to let paris_desk through, or give the identifier in the proxy address (HTTPS_PROXY=http://identifier:password@proxy:port).</translation>
    </message>
    <message>
        <location line="+6" />
        <source>The proxy {proxy} refused the connection ({status}): ask your IT department to allow this server.</source>
        <translation>The proxy {proxy} refused the connection ({status}): ask your IT department to allow this server.</translation>
    </message>
    <message>
        <location line="+11" />
        <source>{day}/{month}/{year}</source>
        <translation>{day}/{month}/{year}</translation>
    </message>
    <message>
        <location line="+10" />
        <source>Connection refused: {url} is not encrypted (http://), your credentials would travel in clear. Use its https:// address.</source>
        <translation>Connection refused: {url} is not encrypted (http://), your credentials would travel in clear. Use its https:// address.</translation>
    </message>
    <message>
        <location line="+7" />
        <source>This address answers with a web page: it is not a Bluesky server (PDS). Check the address of the server.</source>
        <translation>This address answers with a web page: it is not a Bluesky server (PDS). Check the address of the server.</translation>
    </message>
    <message>
        <location line="+5" />
        <source>This address answers with a web page: it is not a Mastodon server. Check the address of the instance.</source>
        <translation>This address answers with a web page: it is not a Mastodon server. Check the address of the instance.</translation>
    </message>
    <message>
        <location line="+31" />
        <source>The session of {account} has expired; sign in again.</source>
        <translation>The session of {account} has expired; sign in again.</translation>
    </message>
    <message>
        <location line="-22" />
        <source>A sign-in code was sent to the e-mail address of the account: enter it to continue.</source>
        <translation>A sign-in code was sent to the e-mail address of the account: enter it to continue.</translation>
    </message>
    <message>
        <location line="+6" />
        <source>Identifier or password refused. On Bluesky, use an app password (Settings › Privacy and security › App passwords).</source>
        <translation>Identifier or password refused. On Bluesky, use an app password (Settings › Privacy and security › App passwords).</translation>
    </message>
    <message>
        <location line="+6" />
        <source>Server not found: check the address of the instance or server.</source>
        <translation>Server not found: check the address of the instance or server.</translation>
    </message>
    <message>
        <location line="+14" />
        <source>Not found: this post or account no longer exists for {account}.</source>
        <translation>Not found: this post or account no longer exists for {account}.</translation>
    </message>
    <message>
        <location line="+4" />
        <source>Network unreachable: the server of {account} did not answer. Check the connection, then try again.</source>
        <translation>Network unreachable: the server of {account} did not answer. Check the connection, then try again.</translation>
    </message>
    <message>
        <location line="+22" />
        <source>Too many requests for {account}: try again in a few minutes.</source>
        <translation>Too many requests for {account}: try again in a few minutes.</translation>
    </message>
    <message>
        <location line="-14" />
        <source>The server of {account} refused this content: {reason}</source>
        <translation>The server of {account} refused this content: {reason}</translation>
    </message>
    <message>
        <location line="+3" />
        <source>no reason given</source>
        <translation>no reason given</translation>
    </message>
    <message>
        <location line="+2" />
        <source>The server of {account} is failing; try again later.</source>
        <translation>The server of {account} is failing; try again later.</translation>
    </message>
    <message>
        <location line="+3" />
        <source>The operation failed for {account} ({kind}).</source>
        <translation>The operation failed for {account} ({kind}).</translation>
    </message>
    <message numerus="yes">
        <location line="+10" />
        <source>Too many requests for {account}: try again in %n second(s).</source>
        <translation><numerusform>Too many requests for {account}: try again in %n second.</numerusform><numerusform>Too many requests for {account}: try again in %n seconds.</numerusform></translation>
    </message>
</context>
<context>
    <name>repair</name>
    <message>
        <location filename="../../paris_desk/ui/shell/repair_offer.py" line="+26" />
        <source>The damaged file is kept beside the new one; the posts and notifications are fetched again from the servers.</source>
        <translation>The damaged file is kept beside the new one; the posts and notifications are fetched again from the servers.</translation>
    </message>
    <message>
        <location line="+5" />
        <source>Move aside and rebuild</source>
        <translation>Move aside and rebuild</translation>
    </message>
    <message>
        <location line="+2" />
        <source>Quit</source>
        <translation>Quit</translation>
    </message>
    <message>
        <location line="+12" />
        <source>The damaged database was moved to {path}. Items kept: {count}.</source>
        <translation>The damaged database was moved to {path}. Items kept: {count}.</translation>
    </message>
    <message>
        <location line="+4" />
        <source>Some data could not be read.</source>
        <translation>Some data could not be read.</translation>
    </message>
</context>
</TS>
