<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="es_ES" sourcelanguage="en">
<context>
    <name>AppStatusBar</name>
    <message>
        <source>Server: {name}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No server</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Not signed in</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>no role</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{user} ({role})</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Signed in as {user}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The sign-in is kept in memory only.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Offline (local data)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Connecting…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Online</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Offline</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Data: not synced yet</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Data: {age}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Requests left: {remaining}/{limit}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Allowance the server reported for {path}</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>%n change(s) waiting to be sent</source>
        <translation type="unfinished">
            <numerusform></numerusform>
            <numerusform></numerusform>
        </translation>
    </message>
</context>
<context>
    <name>Config</name>
    <message>
        <source>A profile needs a name.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>This is not a valid URL.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Use an http:// or https:// address with a host name.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Use a database URL such as sqlite:///path/to/store.sqlite3.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Only SQLite (sqlite:///...) and PostgreSQL (postgresql+psycopg://...) stores are supported.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The configuration file cannot be read: {reason}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The application uses the default settings until it can.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The configuration file is not valid TOML at line {line}: {reason}.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The application started with the default settings. Fix the line, or save the settings again to replace the file (the broken one is kept as a backup).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>This environment variable is not valid JSON.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>It is ignored; the next setting below it applies.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>environment variable</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>command line</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>configuration file</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The settings could not be read; the defaults are used.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Unknown setting in the {origin}; it is ignored.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Invalid value in the {origin}: {reason}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>It is ignored until it is fixed.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No server profile is configured.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Add a profile with the server&apos;s address, or use the sandbox.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Two profiles are called “{name}”.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Give every profile its own name.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>sandbox:// addresses are only for the built-in sandbox.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>“{name}” uses plain http:// to another machine: passwords and tokens travel unencrypted.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Use https:// for any server that is not on this computer.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Certificate checks are off for “{name}”: anyone on the network could impersonate the server.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Turn verification back on and point the CA bundle at the server&apos;s certificate authority instead.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The CA bundle {path} does not exist.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>A timeout under 10 s is short: token refresh and logout get slower as the server&apos;s token table grows.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The active profile “{name}” does not exist.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The store&apos;s folder {path} is not writable.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The store URL contains a password ({url}); it is not saved in the configuration file.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Keep the password in a libpq password file (~/.pgpass, or the file named by PGPASSFILE) and leave it out of the URL.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The PostgreSQL URL names no host; a local socket will be used.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The PostgreSQL URL names no database.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Error reporting (Sentry) is off.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The Sentry DSN is not valid; expected https://&lt;key&gt;@&lt;host&gt;/&lt;project-id&gt;.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Error reports would travel unencrypted (http://).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The sample rate is 0: no error report will be sent.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Error reports include the signed-in user&apos;s e-mail address.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Polling every {seconds} s uses up the server&apos;s limit of {limit} health requests per minute.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Poll every {seconds} s or more.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>CorruptionNotice</name>
    <message>
        <source>Local data store</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The local data file was damaged</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Viva Desktop found that its data file could not be read safely ({reason}). It moved the file aside to {path} and started with an empty store. Nothing on the server is affected: synchronise again to download the data.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Synchronise after signing in</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Later</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>DashboardPage</name>
    <message>
        <source>Dashboard</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Offline: you are reviewing the local copy of the data. Connect to a server to see its health.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Connect…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Check now</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Poll the server&apos;s health now (F5)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Server version</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Environment</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Uptime</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Response time</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Database</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Memory (heap)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Load (1 min)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Local data synced</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Attention</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Checking…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No server</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Not checked</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Checked at {time}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No health sample yet.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{used} of {total} MB</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Nothing needs attention.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>never</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>DbMonitor</name>
    <message>
        <source>Cannot reach the database server {target} (tried {attempts} times). Check the host and port, and that the server accepts connections from this computer.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The database server {target} refused the user name or password. Check the credentials of the read-only monitoring account.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The monitoring account lacks a permission on {target}. Grant it CONNECT on the database and the pg_monitor role.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The database {target} did not answer a statistics query within the time limit; it may be overloaded.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>A statistics query failed on {target}.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>(invalid connection string)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The database {target} does not exist.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>EnvAudit</name>
    <message>
        <source>Line {line} is not a KEY=value assignment; the server ignores it.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The quote opened on line {line} for {key} is never closed.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Text after the closing quote of {key} (line {line}) is ignored.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The value of {key} (line {line}) contains &apos;#&apos;: the server reads only the part before it. Put the value in quotes.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{key} is set {count} times (lines {lines}); the last one wins.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Set DATABASE_URL=postgresql://user:password@host:5432/database.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Set a random secret of at least 32 characters, e.g. the output of `openssl rand -base64 48`.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Set NODE_ENV=production on any server other people can reach.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Missing required environment variable: {key}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>(the line is there, but the value is empty)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The server refuses to start without it, in every environment.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Without it the server runs in development mode: stack traces in every error and public API documentation.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>DATABASE_URL starts with postgres://; the server only accepts postgresql://.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Write postgresql:// instead of postgres:// (the rest stays the same).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>DATABASE_URL must start with postgresql://.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Use a URL of the form postgresql://user:password@host:5432/database.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>In production the server refuses to start.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>JWT_SECRET has {length} characters; the server refuses to start with fewer than {minimum}, in every environment (its environment check only warns, its JWT module stops).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Generate a longer one, e.g. with `openssl rand -base64 48`.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>JWT_SECRET looks guessable (about {bits:.0f} bits of variety, {distinct} different characters, or a placeholder word). Anyone who guesses it can sign tokens for any account, ADMIN included.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Replace it with random bytes, e.g. `openssl rand -base64 48`; everyone will have to log in again.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>NODE_ENV is &apos;{value}&apos;: the server only recognises exactly &apos;production&apos;, so it runs in development mode.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Write NODE_ENV=production, in lower case, with no spaces.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>NODE_ENV is &apos;{value}&apos; on a server that looks deployed ({hosts}): every error body carries a stack trace with file paths, Swagger documents the whole API publicly, any web origin passes CORS and POST /health/seed-demo can wipe the data without authentication.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>by your choice</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Set NODE_ENV=production.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>NODE_ENV is &apos;{value}&apos;: fine on a developer&apos;s machine, never on a server others can reach.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>CORS then allows only http://localhost:3000 and :3001, and links point nowhere.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Server errors are then only in its own logs.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Recommended environment variable not set: {key}.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Recommended environment variables not set: {keys}.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{name} is only partly configured: {missing} missing.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Set all of {keys}, or none of them.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>E-mail (SMTP) is not configured.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>S3 storage is not configured.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{aws} is not read by the server; {s3} is, and it is set.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Remove {aws} to avoid confusion.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{aws} configures nothing: the server reads {s3}. The backend&apos;s example file uses the AWS names, so following it leaves S3 unconfigured.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Rename {aws} to {s3}.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{key} contains &apos;{origin}&apos;: origins are compared literally, so a wildcard either matches nothing or reflects a will to allow everybody.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>List the exact web origins, e.g. https://viva.example.org.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{key} contains &apos;{origin}&apos;, which is not an origin (scheme://host).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>List origins such as https://viva.example.org, separated by commas.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{key} allows &apos;{origin}&apos; over plain http://: passwords and tokens would cross the network unencrypted.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Serve the web front end over https:// and list that origin.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>REDIS_URL is not set: the server tries redis://localhost:6379 and otherwise keeps rate-limit counters in process memory, lost on restart and not shared between instances.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Point REDIS_URL at a Redis the server can reach.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>JWT_REFRESH_TOKEN_EXPIRATION is &apos;{value}&apos;; the server reads a number followed by d, h, m or s.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Use a value such as 7d.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>JWT_REFRESH_TOKEN_EXPIRATION is &apos;{value}&apos;, under one day: the server rounds it down to 0 whole days, so every refresh token is already expired and users are logged out when their 15-minute access token ends.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Use whole days, e.g. 7d.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>PORT is &apos;{value}&apos;, which is not a port number.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Use a number between 1 and 65535 (the default is 4000).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>line {line}</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>ErrorDialog</name>
    <message>
        <source>Session expired</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Not signed in</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Sign-in failed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Two-factor code needed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Not allowed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Not found</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Too many requests</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Server error</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Certificate problem</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No connection</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No answer from the server</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Invalid input</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Outcome unknown</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Conflict</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Unexpected answer</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Invalid server address</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Keyring unavailable</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Error</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Local data store</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>File problem</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>A file could not be read or written: {reason}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Check that the folder exists and that you may write to it.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Unexpected error</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Something went wrong inside Viva Desktop and the action did not complete. Your saved data is not affected.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>You can keep working. If it happens again, send a report or copy the details for the developers.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Viva Desktop — {title}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Hide details</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Details</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Copy details</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Send report</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Log in again</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Try again</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Close</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>Wait %n second(s) before trying again.</source>
        <translation type="unfinished">
            <numerusform></numerusform>
            <numerusform></numerusform>
        </translation>
    </message>
    <message>
        <source>You can try again now.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Copied</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Sending the report…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Report sent. Reference: {event_id}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The report could not be sent. Copy the details instead.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Errors</name>
    <message>
        <source>Try again in a moment.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Sign in again.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Wait a little before trying again.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Correct the input and try again.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Check the network connection and the server address, then try again.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reload the data to see the current state before trying again.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>An error occurred. Please try again.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Session expired. Please login again.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>You are not signed in to this server.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Wrong e-mail address or password.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Enter the code from your authenticator app.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The two-factor code is not valid.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>You do not have permission to perform this action.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>This action needs an administrator account.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Only the owner of this item can change it.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The server refuses this because the account&apos;s e-mail address is not verified.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>This needs membership of the community and enough reputation in it.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Resource not found.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Too many requests. Please try again later.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Wait {seconds} seconds before trying again.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Server error. Please try again later.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Network error. Please check your connection.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The server&apos;s certificate could not be verified. Check the profile&apos;s TLS settings.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The server did not answer in time.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The server rejected the data. Check the fields and try again.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The server may or may not have saved this change. Reload to check before trying again.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>This change conflicts with the current data.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>These credits were already granted.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>This email may already be registered.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The server sent an answer the application does not understand. Check the server address.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The server address is not valid.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cancelled.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The system keyring is not available; tokens will not be remembered.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The server does not know this address. Check the server URL and version.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Too many requests. Please try again in {seconds} seconds</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>This offer no longer exists.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The server moved to {address}. Use that address in the profile.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The connection to the server was lost.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Format</name>
    <message>
        <source>never</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>just now</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>%n min ago</source>
        <translation type="unfinished">
            <numerusform></numerusform>
            <numerusform></numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n h ago</source>
        <translation type="unfinished">
            <numerusform></numerusform>
            <numerusform></numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n day(s) ago</source>
        <translation type="unfinished">
            <numerusform></numerusform>
            <numerusform></numerusform>
        </translation>
    </message>
    <message>
        <source>{d} d {h} h</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{h} h {m} min</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{m} min</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{s} s</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Health</name>
    <message>
        <source>Healthy</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Degraded</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Unhealthy (database down)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Backend down</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Unknown</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The database is down.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Slow answer: {latency:.0f} ms (limit {limit:.0f} ms).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Slow database: {latency} ms for SELECT 1.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Heap almost full: {used} of {total} MB.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Little free memory on the host: {free} of {total} MB.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The server answered without a known status ({status}).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>none</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No connection to {url} within the timeout.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{url} did not answer within the timeout.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cannot connect to {url}: {reason}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{url} closed the connection without a valid answer.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Request to {url} failed: {reason}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{url} answered 200 but not with JSON.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{url} answered 200 with unexpected JSON.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{url} answered HTTP {code}.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{url} refused the poll: rate limited (HTTP 429). Poll less often.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The process answers /health.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>HealthMonitor</name>
    <message>
        <source>Server health: {state}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{profile} changed from {old} to {new}.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Login</name>
    <message>
        <source>Your session has expired. Sign in again to continue.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>LoginDialog</name>
    <message>
        <source>Sign in — Viva Desktop</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Sign in to a Comunidad Viva server</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Server:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>E-mail:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Password:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Code:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>name@example.org</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>123456 or backup code</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>This account uses two-factor authentication. Enter the 6-digit code from your authenticator app, or one of your 8-character backup codes.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Add a server profile</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Edit the selected profile</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Remove the selected profile</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Sign in</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Review local data (offline)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Open the local copy of the data without connecting to the server</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No system keyring is available.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>You will need to sign in each time you start the app.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Add a server profile to sign in.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The built-in practice server, started on this computer</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Sandbox demo: sign in as {email} with the password {password}. Its data is made up and is reset every time the app starts.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Remove profile</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Remove the server profile “{name}”? Its local data stays in the store.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Enter the code to continue.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Connecting to {name}…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Signing in as {email}…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Stop</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Two-factor authentication is on for this account.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The sign-in did not complete.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <source>&amp;File</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;View</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Help</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Connect to a server…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Sign &amp;out</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Settings…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Quit</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Refresh</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Find</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;About Viva Desktop</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Viva Desktop</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>(offline)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Needs an administrator account</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>About Viva Desktop</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&lt;b&gt;Viva Desktop {version}&lt;/b&gt;&lt;br&gt;A desktop companion for coordinators and administrators of Comunidad Viva deployments: review and edit community data, work offline, watch the server&apos;s health and audit its configuration.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>You signed out.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Pages</name>
    <message>
        <source>Dashboard</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>ProfileDialog</name>
    <message>
        <source>Edit server profile</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Add a server profile</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Name:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Server address:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>CA bundle:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Timeout (s):</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Verify the server&apos;s TLS certificate</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Optional: a PEM file of trusted authorities</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Browse…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Choose a CA bundle</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Certificates (*.pem *.crt);;All files (*)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Another profile already has this name.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>This file does not exist.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Use an http:// or https:// address.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>ProgressStrip</name>
    <message>
        <source>Cancel</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cancelling…</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Session</name>
    <message>
        <source>The system keyring stopped working, so your sign-in will not be remembered after the application closes.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No secure system keyring was found, so your sign-in will not be remembered after the application closes.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The system keyring is locked or not working, so your sign-in will not be remembered after the application closes.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>SettingsDialog</name>
    <message>
        <source>Settings</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Language:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Theme:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Same as the system</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Follow the system</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Light</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Dark</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Notify me when the server&apos;s health changes</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Mute all notifications</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Other settings (servers, store, logging, error reports) are on the Configuration page.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Smoke</name>
    <message>
        <source>Pass --email and --password-env to cover the routes that need an account.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No logged-in account (see the login check).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No account: read-only runs without --email/--password-env do not log in.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Read-only run: this check would write data.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Run without --read-only against a staging server to cover it.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The server rate-limited this request (HTTP 429{retry}).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Run the checks again once the rate-limit window has passed.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>status is not 200</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the body is not a JSON object</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>`status` is not &quot;ok&quot;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>no `timestamp`</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>, up for {seconds:.0f} s</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>no numeric `uptime`</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Check that the URL points at the Comunidad Viva API itself.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source> without a JSON object</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The detailed health route should always answer 200 with JSON.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>status {status}, database {db} ({latency} ms), version {version}, environment {env}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>; no `services.database`</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The server&apos;s health service does not report its database.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The server cannot reach its database: check PostgreSQL.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>`status` should be healthy, degraded or unhealthy.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Using the given account {email}.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Registration is broken; a 500 may mean a duplicate e-mail or a database problem. Look at the server&apos;s log.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>, but no `access_token` and `user`</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The register reply should be {access_token, refresh_token, user}.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>, but `user.email` differs from the one sent</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The server changed the e-mail address on registration.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>, throw-away account {email} (left in place: the API cannot delete it)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No account to log in with (read-only run without --email/--password-env).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No account to log in with: the registration failed.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>: the account has two-factor authentication on</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Use an account without 2FA for the smoke checks.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Check the e-mail and password of the account.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Login is broken: look at the server&apos;s log.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The login reply should be {access_token, refresh_token, user}.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>, role {role}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source> (the real server answers 201)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>: a wrong password was accepted</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Stop the server: anyone can log in as anyone.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>A wrong password should be refused with 401.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source> without a token</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>User profiles must require a token (401 without one).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The login reply had no user id.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source> with the token</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>A valid token must be accepted.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>, but not the account&apos;s own profile (empty or other body)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>GET /users/{id} should return the profile of that user.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>, balance {balance}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source> (expected an integer `balance`)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The credits service is broken: look at the server&apos;s log.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>, {total} in all</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source> (expected {transactions, total, …})</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The transaction list is broken: look at the server&apos;s log.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Viva Desktop smoke test {stamp}, deleted at the end of the run</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Creating posts is broken: look at the server&apos;s log.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>, but the stored content differs from the text sent</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The server&apos;s sanitiser changed plain text.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>, post {id}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source> (expected {data, hasMore})</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The social feed is broken: look at the server&apos;s log.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>, {count} posts</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>, without the post just created</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>New public posts should appear first in the feed.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No post to read (none created, none in the feed).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reading a public post is broken: look at the server&apos;s log.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>, {count} offers</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source> (expected a list)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The offer list is broken: look at the server&apos;s log.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>, {total} events</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source> (expected {events, total, limit, offset})</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The event list is broken: look at the server&apos;s log.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>, {offers} offers and {events} events</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source> (expected {offers, events, totalResults})</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Search is broken: look at the server&apos;s log.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>; error body lacks {fields}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Errors should use the common envelope (contract 3.4).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>: the server created an account from invalid input</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Input validation is off: the global validation pipe is missing.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Invalid input should be refused with 400.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>(bad e-mail, 3-character password, empty name)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>(valid body plus the undeclared property `maliciousField`)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>An unknown route should answer 404.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source> with the error envelope</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No post was created, so there is nothing to clean up.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>, the smoke post is gone</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Delete the post {id} by hand; authors should be able to delete their posts.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>: the API documentation is not public</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>: an OpenAPI document describing {count} paths is public</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>, although /health/status says environment “production”</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Something in front of the server serves the docs, or the build differs: block /api/docs at the reverse proxy.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>; /health/status says environment “{env}”</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Run the server with NODE_ENV=production, which also removes stack traces from errors.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The 404 reply had no JSON body to inspect.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The 404 body of GET {path} has no `error` or `stack` field.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The 404 body of GET {path} carries a stack trace in `error` ({count} lines, “{first}”).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Run the server with NODE_ENV=production: stack traces reveal file paths and library versions to anyone.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>CSP in report-only mode (not enforced)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>X-Powered-By: {value} reveals the framework</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Headers of GET /health: </source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>missing {names}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>all five security headers present</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Add the missing headers (Helmet in the server, or the reverse proxy).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Plain http:// on this computer: there is no certificate to check.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Plain http:// to {host}: no certificate to check, and passwords and tokens cross the network unencrypted.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Serve the API over https, e.g. behind a reverse proxy.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>expires {date} ({days:.0f} days left)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>expired on {date}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Certificate of {host}:{port} issued by {issuer}, {expiry}, {version}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>; not trusted: {problem}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Install a certificate from a trusted authority (e.g. Let&apos;s Encrypt) that names this host; with a private CA, pass --ca-bundle.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Renew the certificate now (less than {days} days left).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No login or registration reply to inspect (read-only run without an account).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No login or registration reply to inspect.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The `user` objects of {sources} hold none of {keys}.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The `user` object of the auth replies exposes {found}.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Strip secrets from the user object the server returns: with 2FA on, twoFactorSecret lets anyone who sees the reply generate codes.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source> with Origin: {origin}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>; Access-Control-Allow-Origin: {value}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source> with Allow-Credentials: true</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Any web page can call the API with its visitors&apos; credentials: run the server with NODE_ENV=production and list the real origins in FRONTEND_URL.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>; origin refused, but with HTTP {code} instead of a clean rejection (a known server defect)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>; the origin is not allowed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>GET {path} was refused with 429 after {count} requests{retry}.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>X-RateLimit-Remaining reached 0 at request {at} of GET {path}, yet request {sent} still got {code}: the limiter counts but never blocks.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Fix the server&apos;s throttler storage, or rate-limit at the reverse proxy.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{count} requests to GET {path} passed without rate-limit headers or a 429; a limit, if any, is higher or enforced elsewhere.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Make sure a rate limit applies, at the server or the proxy.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The rate limit of GET {path} is higher than the {count} requests this check may spend.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Check the limit by hand if it matters to you.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{passed} passed, {failed} failed, {errors} errors, {skipped} skipped</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Smoke checks and hardening audit of {server}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Started {start}, took {seconds:.1f} s{mode}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>, read-only</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Advice: </source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cancelled before the end.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Liveness (GET /health)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Detailed health (GET /health/status)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Register a throw-away account</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Log in</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Wrong password refused (401)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Protected route without a token (401)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Protected route with a token (200)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Credit balance</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Credit transactions</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Create a post</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Social feed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Read a post</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Offer list</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Event list</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Search</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Invalid input refused (400)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Undeclared field refused (400)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Unknown route: 404 with the error envelope</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Delete the smoke post</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>API documentation not public</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No stack traces in error bodies</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Security headers</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>TLS certificate</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No secrets in auth replies</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>CORS does not reflect any origin</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Rate limiting enforced</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{target}: no answer within the timeout ({kind}).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{target}: {reason} ({kind}).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cancelled.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Not run: the server did not answer (see {check}).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Refused to send: {reason}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Check the URL, that the server runs, and that nothing blocks the connection.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Network error: {reason}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The check itself failed: {kind}: {reason}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>This is a bug in Viva Desktop; please report it with this line.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Startup</name>
    <message>
        <source>Checking the system keyring…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Opening the local data store…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The store did not answer (attempt {attempt}); trying again in {wait} s…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Viva Desktop</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Starting Viva Desktop…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>There is no server profile called “{name}”.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Signing in to the sandbox…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Starting the built-in sandbox…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The built-in sandbox could not be started: {reason}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Resuming your session on {name}…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Connecting to {name}…</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Store</name>
    <message>
        <source>The local data store could not be opened. Check that its database is running and reachable, or switch to the local SQLite store in Settings.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The local data store could not be upgraded. Restore its backup copy or start with a fresh store.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Store unreachable: {reason}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Store reachable</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>StoreProblemDialog</name>
    <message>
        <source>Local data store</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The local data store is not available</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Try again</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Use a local SQLite store for now</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Keep working with a store file on this computer until the next start</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Quit</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>TaskProgressDialog</name>
    <message>
        <source>Cancelling…</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Tray</name>
    <message>
        <source>Hide window</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Show window</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Mute notifications</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Quit</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Viva Desktop</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Validation</name>
    <message>
        <source>This field is required.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Enter text.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>This field cannot be empty.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>HTML markup was removed: the server stores plain text only.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The server cuts text at a &apos;&lt;&apos; (up to the next &apos;&gt;&apos;), so part of this text will be lost. It would be saved as: “{stored}”</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The server stores &apos;&gt;&apos; as &apos;&amp;gt;&apos;; other applications may show it that way.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Enter at least {minimum} characters.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Too long: {length} characters, at most {maximum} allowed.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Enter an identifier (text).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Identifiers contain no spaces, quotes or &apos;&lt;&apos;, &apos;&gt;&apos;.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Enter a UUID (e.g. from the item&apos;s URL).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Choose one of: {choices}.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Enter a value of at least {minimum}.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Enter a value greater than {minimum}.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Enter a value of at most {maximum}.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Enter a number.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Enter a finite number.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Enter a whole number.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>This number is too large.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The server treats a coordinate of exactly 0 as missing in distance searches.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Choose yes or no.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Enter a web address.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Enter a complete http:// or https:// address without spaces.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Entry {number} is not a complete http:// or https:// address.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>This address uses plain http://; prefer https:// so it is not sent in clear text.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Enter a list of texts.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Entry {number} is not text.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Enter an e-mail address.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Enter a valid e-mail address, e.g. ana@example.org.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Enter a date and time, e.g. 2025-12-01T10:00 (ISO 8601).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Enter a group of values.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The server does not accept this field, so it will not be sent.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Nothing to change.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Enter a phone number.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Enter the phone number in international format, e.g. +34600123456 (2 to 15 digits, not starting with 0).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The server removes everything from &apos;&lt;&apos; to the next &apos;&gt;&apos; in passwords, which leaves fewer than {minimum} characters here.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Use at least {minimum} characters.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The server removes everything from &apos;&lt;&apos; to the next &apos;&gt;&apos; in passwords, so the password that really counts is shorter than the one typed.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>This does not look like an e-mail address.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The server compares e-mail addresses exactly, upper and lower case included.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Enter the 6-digit code from the authenticator app or an 8-character backup code.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>This cannot be changed through the server&apos;s API, so it will not be sent.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Slugs work best as lower-case words joined by hyphens, e.g. “{suggestion}”. Each slug can be used once only.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Use a colour like #4CAF50.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The web application offers: {choices}.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>After the first 30 days this can only change through a COMMUNITY_UPDATE proposal.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Only founders may change this, and only in the community&apos;s first 30 days; later it needs a COMMUNITY_UPDATE proposal.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Choose approve or reject.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>A short note helps the person understand the decision.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>This cannot be set through the server&apos;s API.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The server&apos;s database uses other event types (WORKSHOP, MARKET...), so some servers fail when this is set.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Events have no category on the server (sending one makes it fail), so it will not be sent.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>A new event must start in the future.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>This start time is in the past.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The end must be after the start.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The server&apos;s database needs an end time; without one it may fail.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>This event lasts more than a month.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>This cannot be changed after publishing.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The server fails when an update contains this field, so it will not be sent.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The server ignores this field, so it will not be sent.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Enter the location as “latitude,longitude”.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Latitude must be between -90 and 90, longitude between -180 and 180.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>That is a large grant ({amount} credits); please check it.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>A grant always adds credits: the server has no way to deduct them.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>This reason has a daily limit of {limit} credits per person, admin grants included; ADMIN_GRANT has none.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Add a reference (e.g. a ticket number): the server then refuses a second grant with the same person, reason and reference, which makes retrying safe.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>A reason helps the other jurors and the author understand the vote.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Choose approve, reject or distribute.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Only an approved request can be distributed.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Only a pending request can be decided.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>WelcomeDialog</name>
    <message>
        <source>Welcome to Viva Desktop</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Viva Desktop is the desktop companion of Comunidad Viva, the community economy platform. It is made for the coordinators and administrators of a deployment.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>• Browse and filter communities, members, offers, events, posts and credits.
• Make the edits the server allows, even offline: they are sent when you are back online.
• Watch the server&apos;s health, check its configuration and run smoke tests.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Your password is never stored. Sign-in tokens are kept in the system keyring when there is one.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Try the built-in sandbox</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Start a practice server on this computer, with made-up Spanish communities, and sign in as its demo administrator. Nothing leaves your machine.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Connect to a server…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Enter the address of your Comunidad Viva server and sign in with your account.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Quit</source>
        <translation type="unfinished"></translation>
    </message>
</context>
</TS>
