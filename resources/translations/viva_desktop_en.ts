<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en" sourcelanguage="en">
<context>
    <name>AppStatusBar</name>
    <message numerus="yes">
        <source>%n change(s) waiting to be sent</source>
        <translation>
            <numerusform>%n change waiting to be sent</numerusform>
            <numerusform>%n changes waiting to be sent</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>AuditPage</name>
    <message numerus="yes">
        <source>%n event(s)</source>
        <translation>
            <numerusform>%n event</numerusform>
            <numerusform>%n events</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Exported %n event(s) to {file}.</source>
        <translation>
            <numerusform>Exported %n event to {file}.</numerusform>
            <numerusform>Exported %n events to {file}.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>AuditReportView</name>
    <message numerus="yes">
        <source>%n error(s)</source>
        <translation>
            <numerusform>%n error</numerusform>
            <numerusform>%n errors</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n warning(s)</source>
        <translation>
            <numerusform>%n warning</numerusform>
            <numerusform>%n warnings</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>BrowserCounts</name>
    <message numerus="yes">
        <source>%Ln record(s)</source>
        <translation>
            <numerusform>%Ln record</numerusform>
            <numerusform>%Ln records</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%Ln not on the server</source>
        <translation>
            <numerusform>%Ln not on the server</numerusform>
            <numerusform>%Ln not on the server</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>ConfigurationPage</name>
    <message numerus="yes">
        <source>{path} · %n variable(s)</source>
        <translation>
            <numerusform>{path} · %n variable</numerusform>
            <numerusform>{path} · %n variables</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>CreditsPage</name>
    <message numerus="yes">
        <source>Your balance: %Ln credit(s)</source>
        <translation>
            <numerusform>Your balance: %Ln credit</numerusform>
            <numerusform>Your balance: %Ln credits</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>Editors</name>
    <message numerus="yes">
        <source>%n done</source>
        <translation>
            <numerusform>%n done</numerusform>
            <numerusform>%n done</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n queued until the server is back online</source>
        <translation>
            <numerusform>%n queued until the server is back online</numerusform>
            <numerusform>%n queued until the server is back online</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>EntityBrowser</name>
    <message numerus="yes">
        <source>Exported %n record(s) to {file}.</source>
        <translation>
            <numerusform>Exported %n record to {file}.</numerusform>
            <numerusform>Exported %n records to {file}.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>ErrorDialog</name>
    <message numerus="yes">
        <source>Wait %n second(s) before trying again.</source>
        <translation>
            <numerusform>Wait %n second before trying again.</numerusform>
            <numerusform>Wait %n seconds before trying again.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>ExportMenu</name>
    <message numerus="yes">
        <source>Only the %n selected row(s), as shown…</source>
        <translation>
            <numerusform>Only the %n selected row, as shown…</numerusform>
            <numerusform>Only the %n selected rows, as shown…</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Only the %n selected row(s), raw values…</source>
        <translation>
            <numerusform>Only the %n selected row, raw values…</numerusform>
            <numerusform>Only the %n selected rows, raw values…</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>Format</name>
    <message numerus="yes">
        <source>%n min ago</source>
        <translation>
            <numerusform>%n min ago</numerusform>
            <numerusform>%n min ago</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n h ago</source>
        <translation>
            <numerusform>%n h ago</numerusform>
            <numerusform>%n h ago</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n day(s) ago</source>
        <translation>
            <numerusform>%n day ago</numerusform>
            <numerusform>%n days ago</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>HealthChart</name>
    <message numerus="yes">
        <source>%n sample(s)</source>
        <translation>
            <numerusform>%n sample</numerusform>
            <numerusform>%n samples</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>HealthPage</name>
    <message numerus="yes">
        <source>Saved %n sample(s) to {path}.</source>
        <translation>
            <numerusform>Saved %n sample to {path}.</numerusform>
            <numerusform>Saved %n samples to {path}.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>LogsPage</name>
    <message numerus="yes">
        <source>%n record(s) of request {id}.</source>
        <translation>
            <numerusform>%n record of request {id}.</numerusform>
            <numerusform>%n records of request {id}.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>MembershipDecisionDialog</name>
    <message numerus="yes">
        <source>Approve %n request(s) to join {community}?</source>
        <translation>
            <numerusform>Approve %n request to join {community}?</numerusform>
            <numerusform>Approve %n requests to join {community}?</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Reject %n request(s) to join {community}?</source>
        <translation>
            <numerusform>Reject %n request to join {community}?</numerusform>
            <numerusform>Reject %n requests to join {community}?</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>MembershipPanel</name>
    <message numerus="yes">
        <source>%n pending request(s).</source>
        <translation>
            <numerusform>%n pending request.</numerusform>
            <numerusform>%n pending requests.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n decision(s) queued until the server is back online.</source>
        <translation>
            <numerusform>%n decision queued until the server is back online.</numerusform>
            <numerusform>%n decisions queued until the server is back online.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>OutboxPanel</name>
    <message numerus="yes">
        <source>%n change(s) queued by {account}: sent when that account signs in here.</source>
        <translation>
            <numerusform>%n change queued by {account}: sent when that account signs in here.</numerusform>
            <numerusform>%n changes queued by {account}: sent when that account signs in here.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n waiting</source>
        <translation>
            <numerusform>%n waiting</numerusform>
            <numerusform>%n waiting</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n conflict(s)</source>
        <translation>
            <numerusform>%n conflict</numerusform>
            <numerusform>%n conflicts</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n refused</source>
        <translation>
            <numerusform>%n refused</numerusform>
            <numerusform>%n refused</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n change(s) sent.</source>
        <translation>
            <numerusform>%n change sent.</numerusform>
            <numerusform>%n changes sent.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n conflict(s) need your decision.</source>
        <translation>
            <numerusform>%n conflict need your decision.</numerusform>
            <numerusform>%n conflicts need your decision.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n refused by the server.</source>
        <translation>
            <numerusform>%n refused by the server.</numerusform>
            <numerusform>%n refused by the server.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Discard %n queued change(s)? The server&apos;s version is put back in the local copy; this cannot be undone.</source>
        <translation>
            <numerusform>Discard %n queued change? The server&apos;s version is put back in the local copy; this cannot be undone.</numerusform>
            <numerusform>Discard %n queued changes? The server&apos;s version is put back in the local copy; this cannot be undone.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>OutboxRunner</name>
    <message numerus="yes">
        <source>%n sent</source>
        <translation>
            <numerusform>%n sent</numerusform>
            <numerusform>%n sent</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n need your decision (Sync page)</source>
        <translation>
            <numerusform>%n need your decision (Sync page)</numerusform>
            <numerusform>%n need your decision (Sync page)</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n refused by the server</source>
        <translation>
            <numerusform>%n refused by the server</numerusform>
            <numerusform>%n refused by the server</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>PoolRequestsPanel</name>
    <message numerus="yes">
        <source>%n request(s).</source>
        <translation>
            <numerusform>%n request.</numerusform>
            <numerusform>%n requests.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>RemoveDialog</name>
    <message numerus="yes">
        <source>Cancel %n offer(s)? The server keeps cancelled offers (status CANCELLED) and has no way to reactivate them.</source>
        <translation>
            <numerusform>Cancel %n offer? The server keeps cancelled offers (status CANCELLED) and has no way to reactivate them.</numerusform>
            <numerusform>Cancel %n offers? The server keeps cancelled offers (status CANCELLED) and has no way to reactivate them.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Delete %n event(s) for good? This cannot be undone.</source>
        <translation>
            <numerusform>Delete %n event for good? This cannot be undone.</numerusform>
            <numerusform>Delete %n events for good? This cannot be undone.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Delete %n post(s) for good, with their comments and reactions?</source>
        <translation>
            <numerusform>Delete %n post for good, with their comments and reactions?</numerusform>
            <numerusform>Delete %n posts for good, with their comments and reactions?</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>SmokePage</name>
    <message numerus="yes">
        <source>Cancelled after %n check(s).</source>
        <translation>
            <numerusform>Cancelled after %n check.</numerusform>
            <numerusform>Cancelled after %n checks.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>SyncPage</name>
    <message numerus="yes">
        <source>Up to date: %n record(s) downloaded.</source>
        <translation>
            <numerusform>Up to date: %n record downloaded.</numerusform>
            <numerusform>Up to date: %n records downloaded.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Downloaded %n record(s); not complete: {entities}.</source>
        <translation>
            <numerusform>Downloaded %n record; not complete: {entities}.</numerusform>
            <numerusform>Downloaded %n records; not complete: {entities}.</numerusform>
        </translation>
    </message>
</context>
</TS>
