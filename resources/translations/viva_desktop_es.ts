<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="es_ES" sourcelanguage="en">
    <context>
        <name>AdminErrors</name>
        <message>
            <source>Check the address and that the database server is running.</source>
            <translation>Comprueba la dirección y que el servidor de base de datos esté en marcha.</translation>
        </message>
        <message>
            <source>Correct the user name or password, then connect again.</source>
            <translation>Corrige el usuario o la contraseña y vuelve a conectar.</translation>
        </message>
        <message>
            <source>Ask the database owner to run: GRANT pg_monitor TO &lt;monitoring role&gt;;</source>
            <translation>Pide al propietario de la base de datos que ejecute: GRANT pg_monitor TO &lt;rol de monitorización&gt;;</translation>
        </message>
        <message>
            <source>Try again in a moment, or refresh less often.</source>
            <translation>Inténtalo de nuevo en un momento, o actualiza con menos frecuencia.</translation>
        </message>
        <message>
            <source>Database monitor</source>
            <translation>Monitor de la base de datos</translation>
        </message>
    </context>
    <context>
        <name>Alert</name>
        <message>
            <source>Normal</source>
            <translation>Normal</translation>
        </message>
        <message>
            <source>Pending</source>
            <translation>Pendiente</translation>
        </message>
        <message>
            <source>Firing</source>
            <translation>Disparada</translation>
        </message>
        <message>
            <source>No data</source>
            <translation>Sin datos</translation>
        </message>
        <message>
            <source>Recovering</source>
            <translation>Recuperándose</translation>
        </message>
        <message>
            <source>{profile} is fine again.</source>
            <translation>{profile} vuelve a estar bien.</translation>
        </message>
        <message>
            <source>{profile} has recovered after {duration} of trouble.</source>
            <translation>{profile} se ha recuperado tras {duration} de problemas.</translation>
        </message>
        <message>
            <source>{profile} answers well again; watching before the all-clear.</source>
            <translation>{profile} vuelve a responder bien; se vigila antes de dar el fin de la alerta.</translation>
        </message>
        <message>
            <source>{profile} gives no health data: {reason}</source>
            <translation>{profile} no da datos de salud: {reason}</translation>
        </message>
        <message>
            <source>{profile} may be in trouble ({reason}); checking again.</source>
            <translation>{profile} puede tener problemas ({reason}); se vuelve a comprobar.</translation>
        </message>
        <message>
            <source>{profile} is {state}: {reason}</source>
            <translation>{profile} está {state}: {reason}</translation>
        </message>
        <message>
            <source>[Viva] Recovered: {profile}</source>
            <translation>[Viva] Recuperado: {profile}</translation>
        </message>
        <message>
            <source>[Viva] Alert: {profile} is {state}</source>
            <translation>[Viva] Alerta: {profile} está {state}</translation>
        </message>
        <message>
            <source>This is a test alert from Viva Desktop: nothing is wrong.</source>
            <translation>Esta es una alerta de prueba de Viva Desktop: no pasa nada.</translation>
        </message>
    </context>
    <context>
        <name>AlertHistoryModel</name>
        <message>
            <source>Time</source>
            <translation>Hora</translation>
        </message>
        <message>
            <source>Alert</source>
            <translation>Alerta</translation>
        </message>
        <message>
            <source>Message</source>
            <translation>Mensaje</translation>
        </message>
        <message>
            <source>silenced</source>
            <translation>silenciada</translation>
        </message>
        <message>
            <source>sent</source>
            <translation>enviada</translation>
        </message>
    </context>
    <context>
        <name>AppStatusBar</name>
        <message>
            <source>Server: {name}</source>
            <translation>Servidor: {name}</translation>
        </message>
        <message>
            <source>No server</source>
            <translation>Sin servidor</translation>
        </message>
        <message>
            <source>Not signed in</source>
            <translation>Sin sesión iniciada</translation>
        </message>
        <message>
            <source>no role</source>
            <translation>sin rol</translation>
        </message>
        <message>
            <source>{user} ({role})</source>
            <translation>{user} ({role})</translation>
        </message>
        <message>
            <source>Signed in as {user}</source>
            <translation>Sesión iniciada como {user}</translation>
        </message>
        <message>
            <source>The sign-in is kept in memory only.</source>
            <translation>La sesión solo se guarda en memoria.</translation>
        </message>
        <message>
            <source>Offline (local data)</source>
            <translation>Sin conexión (datos locales)</translation>
        </message>
        <message>
            <source>Connecting…</source>
            <translation>Conectando…</translation>
        </message>
        <message>
            <source>Online</source>
            <translation>En línea</translation>
        </message>
        <message>
            <source>Offline</source>
            <translation>Sin conexión</translation>
        </message>
        <message>
            <source>Data: not synced yet</source>
            <translation>Datos: aún sin sincronizar</translation>
        </message>
        <message>
            <source>Data: {age}</source>
            <translation>Datos: {age}</translation>
        </message>
        <message>
            <source>minute</source>
            <translation>minuto</translation>
        </message>
        <message>
            <source>Requests left: {remaining} of {limit} per {window}</source>
            <translation>Peticiones restantes: {remaining} de {limit} cada {window}</translation>
        </message>
        <message>
            <source>the strict limit (sign-in, registration and other sensitive routes)</source>
            <translation>el límite estricto (inicio de sesión, registro y otras rutas delicadas)</translation>
        </message>
        <message>
            <source>the general limit</source>
            <translation>el límite general</translation>
        </message>
        <message>
            <source>The server's rate limit for {path}: {limit} requests every {window} from this computer, counted by {which}. {remaining} were left after the last answer; the count starts again by {time} at the latest. It is not a quota for the session: other routes have counts of their own.</source>
            <translation>Límite de peticiones del servidor para {path}: {limit} peticiones cada {window} desde este ordenador, contadas por {which}. Quedaban {remaining} tras la última respuesta; la cuenta vuelve a empezar como muy tarde a las {time}. No es un cupo de la sesión: otras rutas tienen su propia cuenta.</translation>
        </message>
        <message numerus="yes">
            <source>%n change(s) waiting to be sent</source>
            <translation>
                <numerusform>%n cambio pendiente de enviar</numerusform>
                <numerusform>%n cambios pendientes de enviar</numerusform>
            </translation>
        </message>
    </context>
    <context>
        <name>AuditActions</name>
        <message>
            <source>Created</source>
            <translation>Creado</translation>
        </message>
        <message>
            <source>Edited</source>
            <translation>Editado</translation>
        </message>
        <message>
            <source>Deleted</source>
            <translation>Eliminado</translation>
        </message>
        <message>
            <source>Cancelled</source>
            <translation>Cancelado</translation>
        </message>
        <message>
            <source>Approved</source>
            <translation>Aprobado</translation>
        </message>
        <message>
            <source>Rejected</source>
            <translation>Rechazado</translation>
        </message>
        <message>
            <source>Credits granted</source>
            <translation>Créditos concedidos</translation>
        </message>
        <message>
            <source>Vote</source>
            <translation>Voto</translation>
        </message>
        <message>
            <source>Conflict settled</source>
            <translation>Conflicto resuelto</translation>
        </message>
        <message>
            <source>Change discarded</source>
            <translation>Cambio descartado</translation>
        </message>
        <message>
            <source>Changed on the server</source>
            <translation>Cambiado en el servidor</translation>
        </message>
    </context>
    <context>
        <name>AuditOutcomes</name>
        <message>
            <source>queued</source>
            <translation>en cola</translation>
        </message>
        <message>
            <source>sent</source>
            <translation>enviado</translation>
        </message>
        <message>
            <source>refused</source>
            <translation>rechazado</translation>
        </message>
        <message>
            <source>conflict</source>
            <translation>conflicto</translation>
        </message>
        <message>
            <source>settled</source>
            <translation>resuelto</translation>
        </message>
        <message>
            <source>seen</source>
            <translation>visto</translation>
        </message>
        <message>
            <source>kept mine</source>
            <translation>se conservó el mío</translation>
        </message>
        <message>
            <source>kept the server's</source>
            <translation>se conservó el del servidor</translation>
        </message>
        <message>
            <source>discarded</source>
            <translation>descartado</translation>
        </message>
    </context>
    <context>
        <name>AuditPage</name>
        <message>
            <source>Audit log</source>
            <translation>Registro de auditoría</translation>
        </message>
        <message>
            <source>Search records, fields, values, messages…</source>
            <translation>Buscar registros, campos, valores, mensajes…</translation>
        </message>
        <message>
            <source>Search the audit log</source>
            <translation>Buscar en el registro de auditoría</translation>
        </message>
        <message>
            <source>Account</source>
            <translation>Cuenta</translation>
        </message>
        <message>
            <source>Entity</source>
            <translation>Entidad</translation>
        </message>
        <message>
            <source>Action</source>
            <translation>Acción</translation>
        </message>
        <message>
            <source>Outcome</source>
            <translation>Resultado</translation>
        </message>
        <message>
            <source>From</source>
            <translation>Desde</translation>
        </message>
        <message>
            <source>To</source>
            <translation>Hasta</translation>
        </message>
        <message>
            <source>From date</source>
            <translation>Fecha inicial</translation>
        </message>
        <message>
            <source>To date</source>
            <translation>Fecha final</translation>
        </message>
        <message>
            <source>Open record</source>
            <translation>Abrir registro</translation>
        </message>
        <message>
            <source>Export CSV…</source>
            <translation>Exportar CSV…</translation>
        </message>
        <message>
            <source>Export JSON…</source>
            <translation>Exportar JSON…</translation>
        </message>
        <message>
            <source>Any account</source>
            <translation>Cualquier cuenta</translation>
        </message>
        <message>
            <source>Any entity</source>
            <translation>Cualquier entidad</translation>
        </message>
        <message>
            <source>Any action</source>
            <translation>Cualquier acción</translation>
        </message>
        <message>
            <source>Any outcome</source>
            <translation>Cualquier resultado</translation>
        </message>
        <message numerus="yes">
            <source>%n event(s)</source>
            <translation>
                <numerusform>%n evento</numerusform>
                <numerusform>%n eventos</numerusform>
            </translation>
        </message>
        <message>
            <source>(the newest; narrow the filters to see older ones)</source>
            <translation>(los más recientes; acota los filtros para ver los anteriores)</translation>
        </message>
        <message>
            <source>Select an event about a record to open it.</source>
            <translation>Selecciona un evento sobre un registro para abrirlo.</translation>
        </message>
        <message>
            <source>Export the audit log</source>
            <translation>Exportar el registro de auditoría</translation>
        </message>
        <message>
            <source>CSV files (*.csv)</source>
            <translation>Archivos CSV (*.csv)</translation>
        </message>
        <message>
            <source>JSON files (*.json)</source>
            <translation>Archivos JSON (*.json)</translation>
        </message>
        <message numerus="yes">
            <source>Exported %n event(s) to {file}.</source>
            <translation>
                <numerusform>Se exportó %n evento a {file}.</numerusform>
                <numerusform>Se exportaron %n eventos a {file}.</numerusform>
            </translation>
        </message>
    </context>
    <context>
        <name>AuditReportView</name>
        <message>
            <source>Findings</source>
            <translation>Hallazgos</translation>
        </message>
        <message>
            <source>Severity</source>
            <translation>Gravedad</translation>
        </message>
        <message>
            <source>Setting</source>
            <translation>Ajuste</translation>
        </message>
        <message>
            <source>Problem</source>
            <translation>Problema</translation>
        </message>
        <message>
            <source>What to do</source>
            <translation>Qué hacer</translation>
        </message>
        <message>
            <source>No problems found.</source>
            <translation>No se ha encontrado ningún problema.</translation>
        </message>
        <message>
            <source>{errors} · {warnings}</source>
            <translation>{errors} · {warnings}</translation>
        </message>
        <message numerus="yes">
            <source>%n error(s)</source>
            <translation>
                <numerusform>%n error</numerusform>
                <numerusform>%n errores</numerusform>
            </translation>
        </message>
        <message numerus="yes">
            <source>%n warning(s)</source>
            <translation>
                <numerusform>%n aviso</numerusform>
                <numerusform>%n avisos</numerusform>
            </translation>
        </message>
    </context>
    <context>
        <name>Availability</name>
        <message>
            <source>no data</source>
            <translation>sin datos</translation>
        </message>
        <message>
            <source>{percent} % up</source>
            <translation>{percent} % disponible</translation>
        </message>
        <message>
            <source>{up}, {share} % of it degraded</source>
            <translation>{up}, el {share} % de ello degradado</translation>
        </message>
    </context>
    <context>
        <name>Browser</name>
        <message>
            <source>Not on the server yet: waiting to be sent</source>
            <translation>Aún no está en el servidor: pendiente de enviar</translation>
        </message>
        <message>
            <source>Could not be created: see the Failed list on the Sync page</source>
            <translation>No se pudo crear: consulta la lista de fallidos en la página Sincronización</translation>
        </message>
        <message>
            <source>Edited offline: waiting to be sent</source>
            <translation>Editado sin conexión: pendiente de enviar</translation>
        </message>
        <message>
            <source>Deleted offline: waiting to be sent</source>
            <translation>Borrado sin conexión: pendiente de enviar</translation>
        </message>
        <message>
            <source>No longer on the server (noticed {time})</source>
            <translation>Ya no está en el servidor (detectado {time})</translation>
        </message>
    </context>
    <context>
        <name>BrowserCounts</name>
        <message numerus="yes">
            <source>%Ln record(s)</source>
            <translation>
                <numerusform>%Ln registro</numerusform>
                <numerusform>%Ln registros</numerusform>
            </translation>
        </message>
        <message numerus="yes">
            <source>%Ln not on the server</source>
            <translation>
                <numerusform>%Ln no está en el servidor</numerusform>
                <numerusform>%Ln no están en el servidor</numerusform>
            </translation>
        </message>
    </context>
    <context>
        <name>BrowserPage</name>
        <message>
            <source>Offline: you are working on the local copy. Changes you make are queued and sent when the server is reachable again.</source>
            <translation>Sin conexión: trabajas sobre la copia local. Los cambios que hagas quedan en cola y se envían cuando el servidor vuelva a estar disponible.</translation>
        </message>
        <message>
            <source>Not signed in: browsing the local copy. Changes you make are queued until you sign in.</source>
            <translation>Sin sesión iniciada: estás consultando la copia local. Los cambios que hagas quedan en cola hasta que inicies sesión.</translation>
        </message>
    </context>
    <context>
        <name>Cause</name>
        <message>
            <source>no answer</source>
            <translation>sin respuesta</translation>
        </message>
        <message>
            <source>database down</source>
            <translation>base de datos caída</translation>
        </message>
        <message>
            <source>slow database</source>
            <translation>base de datos lenta</translation>
        </message>
        <message>
            <source>slow answer</source>
            <translation>respuesta lenta</translation>
        </message>
        <message>
            <source>heap almost full</source>
            <translation>heap casi lleno</translation>
        </message>
        <message>
            <source>no verdict</source>
            <translation>sin veredicto</translation>
        </message>
        <message>
            <source>reported by the server</source>
            <translation>indicado por el servidor</translation>
        </message>
    </context>
    <context>
        <name>ColumnLayout</name>
        <message>
            <source>Reset columns</source>
            <translation>Restablecer columnas</translation>
        </message>
    </context>
    <context>
        <name>Columns</name>
        <message>
            <source>Name</source>
            <translation>Nombre</translation>
        </message>
        <message>
            <source>Slug</source>
            <translation>Slug</translation>
        </message>
        <message>
            <source>Type</source>
            <translation>Tipo</translation>
        </message>
        <message>
            <source>Visibility</source>
            <translation>Visibilidad</translation>
        </message>
        <message>
            <source>Location</source>
            <translation>Ubicación</translation>
        </message>
        <message>
            <source>Members</source>
            <translation>Miembros</translation>
        </message>
        <message>
            <source>Offers</source>
            <translation>Ofertas</translation>
        </message>
        <message>
            <source>Events</source>
            <translation>Eventos</translation>
        </message>
        <message>
            <source>Created</source>
            <translation>Creado</translation>
        </message>
        <message>
            <source>Updated</source>
            <translation>Actualizado</translation>
        </message>
        <message>
            <source>E-mail</source>
            <translation>Correo electrónico</translation>
        </message>
        <message>
            <source>Role</source>
            <translation>Rol</translation>
        </message>
        <message>
            <source>Community</source>
            <translation>Comunidad</translation>
        </message>
        <message>
            <source>Credits</source>
            <translation>Créditos</translation>
        </message>
        <message>
            <source>Level</source>
            <translation>Nivel</translation>
        </message>
        <message>
            <source>Synced</source>
            <translation>Sincronizado</translation>
        </message>
        <message>
            <source>Local changes</source>
            <translation>Cambios locales</translation>
        </message>
        <message>
            <source>Title</source>
            <translation>Título</translation>
        </message>
        <message>
            <source>Category</source>
            <translation>Categoría</translation>
        </message>
        <message>
            <source>Status</source>
            <translation>Estado</translation>
        </message>
        <message>
            <source>Owner</source>
            <translation>Propietario</translation>
        </message>
        <message>
            <source>Price (€)</source>
            <translation>Precio (€)</translation>
        </message>
        <message>
            <source>Price (credits)</source>
            <translation>Precio (créditos)</translation>
        </message>
        <message>
            <source>Starts</source>
            <translation>Empieza</translation>
        </message>
        <message>
            <source>Ends</source>
            <translation>Termina</translation>
        </message>
        <message>
            <source>Organizer</source>
            <translation>Organiza</translation>
        </message>
        <message>
            <source>Address</source>
            <translation>Dirección</translation>
        </message>
        <message>
            <source>Capacity</source>
            <translation>Aforo</translation>
        </message>
        <message>
            <source>Attendees</source>
            <translation>Asistentes</translation>
        </message>
        <message>
            <source>Content</source>
            <translation>Contenido</translation>
        </message>
        <message>
            <source>Author</source>
            <translation>Autoría</translation>
        </message>
        <message>
            <source>Author account</source>
            <translation>Cuenta del autor</translation>
        </message>
        <message>
            <source>Comments</source>
            <translation>Comentarios</translation>
        </message>
        <message>
            <source>Edited</source>
            <translation>Editado</translation>
        </message>
        <message>
            <source>Date</source>
            <translation>Fecha</translation>
        </message>
        <message>
            <source>Amount</source>
            <translation>Cantidad</translation>
        </message>
        <message>
            <source>Balance</source>
            <translation>Saldo</translation>
        </message>
        <message>
            <source>Reason</source>
            <translation>Motivo</translation>
        </message>
        <message>
            <source>Description</source>
            <translation>Descripción</translation>
        </message>
        <message>
            <source>Reference</source>
            <translation>Referencia</translation>
        </message>
        <message>
            <source>Expires</source>
            <translation>Caduca</translation>
        </message>
        <message>
            <source>Content type</source>
            <translation>Tipo de contenido</translation>
        </message>
        <message>
            <source>Deadline</source>
            <translation>Plazo</translation>
        </message>
        <message>
            <source>Reported by</source>
            <translation>Denunciado por</translation>
        </message>
        <message>
            <source>Decision</source>
            <translation>Decisión</translation>
        </message>
        <message>
            <source>Reported</source>
            <translation>Denunciado</translation>
        </message>
        <message>
            <source>Content id</source>
            <translation>Id del contenido</translation>
        </message>
        <message>
            <source>{stored} (server: {server})</source>
            <translation>{stored} (servidor: {server})</translation>
        </message>
        <message>
            <source>Person</source>
            <translation>Persona</translation>
        </message>
        <message>
            <source>Message</source>
            <translation>Mensaje</translation>
        </message>
        <message>
            <source>Requested</source>
            <translation>Solicitado</translation>
        </message>
        <message>
            <source>Change</source>
            <translation>Cambio</translation>
        </message>
        <message>
            <source>State</source>
            <translation>Estado</translation>
        </message>
        <message>
            <source>Attempts</source>
            <translation>Intentos</translation>
        </message>
        <message>
            <source>Last error</source>
            <translation>Último error</translation>
        </message>
        <message>
            <source>Queued</source>
            <translation>En cola</translation>
        </message>
        <message>
            <source>Data</source>
            <translation>Datos</translation>
        </message>
        <message>
            <source>Last run</source>
            <translation>Última ejecución</translation>
        </message>
        <message>
            <source>Records</source>
            <translation>Registros</translation>
        </message>
        <message>
            <source>Pages</source>
            <translation>Páginas</translation>
        </message>
        <message>
            <source>This run</source>
            <translation>En esta pasada</translation>
        </message>
        <message>
            <source>Rate</source>
            <translation>Ritmo</translation>
        </message>
        <message>
            <source>Time left</source>
            <translation>Tiempo restante</translation>
        </message>
        <message>
            <source>Complete as of</source>
            <translation>Completo a fecha de</translation>
        </message>
        <message>
            <source>Age</source>
            <translation>Antigüedad</translation>
        </message>
        <message>
            <source>Problem</source>
            <translation>Problema</translation>
        </message>
        <message>
            <source>When</source>
            <translation>Cuándo</translation>
        </message>
        <message>
            <source>Account</source>
            <translation>Cuenta</translation>
        </message>
        <message>
            <source>Action</source>
            <translation>Acción</translation>
        </message>
        <message>
            <source>Entity</source>
            <translation>Entidad</translation>
        </message>
        <message>
            <source>Record</source>
            <translation>Registro</translation>
        </message>
        <message>
            <source>Outcome</source>
            <translation>Resultado</translation>
        </message>
        <message>
            <source>Fields</source>
            <translation>Campos</translation>
        </message>
        <message>
            <source>Server's message</source>
            <translation>Mensaje del servidor</translation>
        </message>
        <message>
            <source>Request id</source>
            <translation>Id. de la petición</translation>
        </message>
    </context>
    <context>
        <name>CommunitiesPage</name>
        <message>
            <source>Communities</source>
            <translation>Comunidades</translation>
        </message>
        <message>
            <source>Description</source>
            <translation>Descripción</translation>
        </message>
        <message>
            <source>Joining</source>
            <translation>Ingreso</translation>
        </message>
        <message>
            <source>needs approval</source>
            <translation>requiere aprobación</translation>
        </message>
        <message>
            <source>open</source>
            <translation>abierto</translation>
        </message>
        <message>
            <source>Coordinates</source>
            <translation>Coordenadas</translation>
        </message>
        <message>
            <source>Radius (km)</source>
            <translation>Radio (km)</translation>
        </message>
        <message>
            <source>Language</source>
            <translation>Idioma</translation>
        </message>
        <message>
            <source>Currency</source>
            <translation>Moneda</translation>
        </message>
        <message>
            <source>Access</source>
            <translation>Acceso</translation>
        </message>
    </context>
    <context>
        <name>Config</name>
        <message>
            <source>Sandbox (built-in)</source>
            <translation>Sandbox (integrado)</translation>
        </message>
        <message>
            <source>A profile needs a name.</source>
            <translation>Un perfil necesita un nombre.</translation>
        </message>
        <message>
            <source>This is not a valid URL.</source>
            <translation>No es una URL válida.</translation>
        </message>
        <message>
            <source>Use an http:// or https:// address with a host name.</source>
            <translation>Usa una dirección http:// o https:// con nombre de host.</translation>
        </message>
        <message>
            <source>Unknown time zone {zone!r}: use local, UTC or a name such as Europe/Madrid.</source>
            <translation>Zona horaria desconocida {zone!r}: usa local, UTC o un nombre como Europe/Madrid.</translation>
        </message>
        <message>
            <source>Use a database URL such as sqlite:///path/to/store.sqlite3.</source>
            <translation>Usa una URL de base de datos como sqlite:///ruta/al/almacen.sqlite3.</translation>
        </message>
        <message>
            <source>Only SQLite (sqlite:///...) and PostgreSQL (postgresql+psycopg://...) stores are supported.</source>
            <translation>Solo se admiten almacenes SQLite (sqlite:///...) y PostgreSQL (postgresql+psycopg://...).</translation>
        </message>
        <message>
            <source>The configuration file cannot be read: {reason}</source>
            <translation>No se puede leer el archivo de configuración: {reason}</translation>
        </message>
        <message>
            <source>The application uses the default settings until it can.</source>
            <translation>La aplicación usará la configuración predeterminada mientras tanto.</translation>
        </message>
        <message>
            <source>The configuration file is not valid TOML at line {line}, column {column}: {reason}.</source>
            <translation>El archivo de configuración no es TOML válido en la línea {line}, columna {column}: {reason}.</translation>
        </message>
        <message>
            <source>The application started with the default settings and leaves the file as it is: fix that line, then choose Reload on the Configuration page.</source>
            <translation>La aplicación se ha iniciado con la configuración predeterminada y deja el archivo como está: corrige esa línea y pulsa Recargar en la página Configuración.</translation>
        </message>
        <message>
            <source>This environment variable is not valid JSON.</source>
            <translation>Esta variable de entorno no es JSON válido.</translation>
        </message>
        <message>
            <source>It is ignored; the next setting below it applies.</source>
            <translation>Se ignora; se aplica el siguiente valor por debajo.</translation>
        </message>
        <message>
            <source>environment variable</source>
            <translation>variable de entorno</translation>
        </message>
        <message>
            <source>command line</source>
            <translation>línea de órdenes</translation>
        </message>
        <message>
            <source>configuration file</source>
            <translation>archivo de configuración</translation>
        </message>
        <message>
            <source>The settings could not be read; the defaults are used.</source>
            <translation>No se pudo leer la configuración; se usan los valores predeterminados.</translation>
        </message>
        <message>
            <source>Unknown setting in the {origin}; it is ignored.</source>
            <translation>Ajuste desconocido en {origin}; se ignora.</translation>
        </message>
        <message>
            <source>Invalid value in the {origin}: {reason}</source>
            <translation>Valor no válido en {origin}: {reason}</translation>
        </message>
        <message>
            <source>It is ignored until it is fixed.</source>
            <translation>Se ignora hasta que se corrija.</translation>
        </message>
        <message>
            <source>No server profile is configured.</source>
            <translation>No hay ningún perfil de servidor configurado.</translation>
        </message>
        <message>
            <source>Add a profile with the server's address, or use the sandbox.</source>
            <translation>Añade un perfil con la dirección del servidor o usa el sandbox.</translation>
        </message>
        <message>
            <source>Two profiles are called “{name}”.</source>
            <translation>Hay dos perfiles llamados «{name}».</translation>
        </message>
        <message>
            <source>Give every profile its own name.</source>
            <translation>Da a cada perfil un nombre distinto.</translation>
        </message>
        <message>
            <source>sandbox:// addresses are only for the built-in sandbox.</source>
            <translation>Las direcciones sandbox:// son solo para el sandbox integrado.</translation>
        </message>
        <message>
            <source>“{name}” uses plain http:// to another machine: passwords and tokens travel unencrypted.</source>
            <translation>«{name}» usa http:// sin cifrar hacia otra máquina: las contraseñas y los tokens viajan sin cifrar.</translation>
        </message>
        <message>
            <source>Use https:// for any server that is not on this computer.</source>
            <translation>Usa https:// para cualquier servidor que no esté en este ordenador.</translation>
        </message>
        <message>
            <source>Certificate checks are off for “{name}”: anyone on the network could impersonate the server.</source>
            <translation>La comprobación de certificados está desactivada para «{name}»: cualquiera en la red podría hacerse pasar por el servidor.</translation>
        </message>
        <message>
            <source>Turn verification back on and point the CA bundle at the server's certificate authority instead.</source>
            <translation>Vuelve a activar la verificación e indica en su lugar los certificados de la autoridad que firmó el del servidor.</translation>
        </message>
        <message>
            <source>The CA bundle {path} does not exist.</source>
            <translation>El archivo de certificados de CA {path} no existe.</translation>
        </message>
        <message>
            <source>A timeout under 10 s is short: token refresh and logout get slower as the server's token table grows.</source>
            <translation>Un tiempo de espera de menos de 10 s es corto: renovar los tokens y cerrar sesión se vuelven más lentos a medida que crece la tabla de tokens del servidor.</translation>
        </message>
        <message>
            <source>The active profile “{name}” does not exist.</source>
            <translation>El perfil activo «{name}» no existe.</translation>
        </message>
        <message>
            <source>The store's folder {path} is not writable.</source>
            <translation>No se puede escribir en la carpeta del almacén {path}.</translation>
        </message>
        <message>
            <source>The store URL contains a password ({url}); it is not saved in the configuration file.</source>
            <translation>La URL del almacén contiene una contraseña ({url}); no se guarda en el archivo de configuración.</translation>
        </message>
        <message>
            <source>Keep the password in a libpq password file (~/.pgpass, or the file named by PGPASSFILE) and leave it out of the URL.</source>
            <translation>Guarda la contraseña en un archivo de contraseñas de libpq (~/.pgpass, o el que indique PGPASSFILE) y quítala de la URL.</translation>
        </message>
        <message>
            <source>The PostgreSQL URL names no host; a local socket will be used.</source>
            <translation>La URL de PostgreSQL no indica ningún host; se usará un socket local.</translation>
        </message>
        <message>
            <source>The PostgreSQL URL names no database.</source>
            <translation>La URL de PostgreSQL no indica ninguna base de datos.</translation>
        </message>
        <message>
            <source>Error reporting (Sentry) is off.</source>
            <translation>El envío de informes de errores (Sentry) está desactivado.</translation>
        </message>
        <message>
            <source>The Sentry DSN is not valid; expected https://&lt;key&gt;@&lt;host&gt;/&lt;project-id&gt;.</source>
            <translation>El DSN de Sentry no es válido; se esperaba https://&lt;clave&gt;@&lt;host&gt;/&lt;id-del-proyecto&gt;.</translation>
        </message>
        <message>
            <source>Error reports would travel unencrypted (http://).</source>
            <translation>Los informes de errores viajarían sin cifrar (http://).</translation>
        </message>
        <message>
            <source>The sample rate is 0: no error report will be sent.</source>
            <translation>La tasa de muestreo es 0: no se enviará ningún informe de errores.</translation>
        </message>
        <message>
            <source>Error reports include the signed-in user's e-mail address.</source>
            <translation>Los informes de errores incluyen el correo electrónico de la persona que ha iniciado sesión.</translation>
        </message>
        <message>
            <source>Polling every {seconds} s uses up the server's limit of {limit} health requests per minute.</source>
            <translation>Consultar cada {seconds} s agota el límite del servidor de {limit} peticiones de estado por minuto.</translation>
        </message>
        <message>
            <source>Poll every {seconds} s or more.</source>
            <translation>Consulta cada {seconds} s o más.</translation>
        </message>
    </context>
    <context>
        <name>ConfigProblemBanner</name>
        <message>
            <source>Show on the Configuration page</source>
            <translation>Ver en la página Configuración</translation>
        </message>
        <message>
            <source>Hide this message until the next start</source>
            <translation>Ocultar este aviso hasta el próximo inicio</translation>
        </message>
        <message>
            <source>Hide the configuration message</source>
            <translation>Ocultar el aviso de configuración</translation>
        </message>
        <message>
            <source>The configuration file {where} could not be used: {problem} Viva Desktop started on the default settings and leaves the file as it is.</source>
            <translation>No se ha podido usar el archivo de configuración {where}: {problem} Viva Desktop se ha iniciado con la configuración predeterminada y deja el archivo como está.</translation>
        </message>
    </context>
    <context>
        <name>Configuration</name>
        <message>
            <source>The file is too large to be a .env file.</source>
            <translation>El archivo es demasiado grande para ser un archivo .env.</translation>
        </message>
    </context>
    <context>
        <name>ConfigurationPage</name>
        <message>
            <source>Configuration</source>
            <translation>Configuración</translation>
        </message>
        <message>
            <source>This application</source>
            <translation>Esta aplicación</translation>
        </message>
        <message>
            <source>Server .env audit</source>
            <translation>Auditoría del .env del servidor</translation>
        </message>
        <message>
            <source>Configuration file: {path}</source>
            <translation>Archivo de configuración: {path}</translation>
        </message>
        <message>
            <source>Open folder</source>
            <translation>Abrir carpeta</translation>
        </message>
        <message>
            <source>Reload</source>
            <translation>Volver a cargar</translation>
        </message>
        <message>
            <source>Read the file again. Server profiles, health polling and the log level apply at once; the store, error reporting, language and theme at the next start.</source>
            <translation>Vuelve a leer el archivo. Los perfiles de servidor, la comprobación del estado y el nivel de registro se aplican al momento; el almacén, el envío de errores, el idioma y el tema, en el próximo arranque.</translation>
        </message>
        <message>
            <source>Values in use (credentials masked)</source>
            <translation>Valores en uso (credenciales ocultas)</translation>
        </message>
        <message>
            <source>Setting</source>
            <translation>Ajuste</translation>
        </message>
        <message>
            <source>Value</source>
            <translation>Valor</translation>
        </message>
        <message>
            <source>Open a Comunidad Viva server's .env file to check it against the server's own start-up rules and the known traps (S3 variables under AWS names, a JWT secret too short to start, development mode on a deployed server). The file is only read; secret values are masked.</source>
            <translation>Abre el archivo .env de un servidor de Comunidad Viva para comprobarlo con las reglas de arranque del propio servidor y las trampas conocidas (variables de S3 con nombres de AWS, un secreto JWT demasiado corto para arrancar, modo de desarrollo en un servidor desplegado). El archivo solo se lee; los valores secretos se ocultan.</translation>
        </message>
        <message>
            <source>Open .env file…</source>
            <translation>Abrir archivo .env…</translation>
        </message>
        <message>
            <source>Check again</source>
            <translation>Comprobar de nuevo</translation>
        </message>
        <message>
            <source>Reachable from other computers:</source>
            <translation>Accesible desde otros equipos:</translation>
        </message>
        <message>
            <source>guess from the file</source>
            <translation>deducirlo del archivo</translation>
        </message>
        <message>
            <source>yes</source>
            <translation>sí</translation>
        </message>
        <message>
            <source>no</source>
            <translation>no</translation>
        </message>
        <message>
            <source>Variables (secrets masked)</source>
            <translation>Variables (secretos ocultos)</translation>
        </message>
        <message>
            <source>Variable</source>
            <translation>Variable</translation>
        </message>
        <message>
            <source>No file opened yet.</source>
            <translation>Todavía no se ha abierto ningún archivo.</translation>
        </message>
        <message>
            <source>Configuration file readable</source>
            <translation>Archivo de configuración legible</translation>
        </message>
        <message>
            <source>Server profiles valid</source>
            <translation>Perfiles de servidor válidos</translation>
        </message>
        <message>
            <source>Active profile chosen</source>
            <translation>Perfil activo elegido</translation>
        </message>
        <message>
            <source>Encrypted connections</source>
            <translation>Conexiones cifradas</translation>
        </message>
        <message>
            <source>Local store usable</source>
            <translation>Almacén local utilizable</translation>
        </message>
        <message>
            <source>Shared PostgreSQL store</source>
            <translation>Almacén PostgreSQL compartido</translation>
        </message>
        <message>
            <source>Error reporting on</source>
            <translation>Envío de errores activado</translation>
        </message>
        <message>
            <source>JSON log file</source>
            <translation>Archivo de registro JSON</translation>
        </message>
        <message>
            <source>Checking…</source>
            <translation>Comprobando…</translation>
        </message>
        <message>
            <source>Reading {path}…</source>
            <translation>Leyendo {path}…</translation>
        </message>
        <message>
            <source>Checked the settings in use.</source>
            <translation>Se han comprobado los ajustes en uso.</translation>
        </message>
        <message>
            <source>Reloaded {path}: server profiles, health polling and the log level are in use now; other changes apply at the next start.</source>
            <translation>Se ha vuelto a cargar {path}: los perfiles de servidor, la comprobación del estado y el nivel de registro ya están en uso; los demás cambios se aplican en el próximo arranque.</translation>
        </message>
        <message>
            <source>The settings could not be checked.</source>
            <translation>No se han podido comprobar los ajustes.</translation>
        </message>
        <message>
            <source>The server would start</source>
            <translation>El servidor arrancaría</translation>
        </message>
        <message>
            <source>Production mode</source>
            <translation>Modo de producción</translation>
        </message>
        <message>
            <source>Database (DATABASE_URL)</source>
            <translation>Base de datos (DATABASE_URL)</translation>
        </message>
        <message>
            <source>JWT secret</source>
            <translation>Secreto JWT</translation>
        </message>
        <message>
            <source>E-mail (SMTP)</source>
            <translation>Correo (SMTP)</translation>
        </message>
        <message>
            <source>File storage (S3)</source>
            <translation>Almacenamiento de archivos (S3)</translation>
        </message>
        <message>
            <source>Error reporting (Sentry)</source>
            <translation>Envío de errores (Sentry)</translation>
        </message>
        <message>
            <source>Redis</source>
            <translation>Redis</translation>
        </message>
        <message>
            <source>configured</source>
            <translation>configurado</translation>
        </message>
        <message>
            <source>not configured</source>
            <translation>sin configurar</translation>
        </message>
        <message>
            <source>usable</source>
            <translation>válido</translation>
        </message>
        <message>
            <source>missing or unusable</source>
            <translation>falta o no es válido</translation>
        </message>
        <message>
            <source>Open a server .env file</source>
            <translation>Abrir el archivo .env de un servidor</translation>
        </message>
        <message>
            <source>Environment files (.env *.env .env.*);;All files (*)</source>
            <translation>Archivos de entorno (.env *.env .env.*);;Todos los archivos (*)</translation>
        </message>
        <message>
            <source>The file could not be read.</source>
            <translation>No se ha podido leer el archivo.</translation>
        </message>
        <message numerus="yes">
            <source>{path} · %n variable(s)</source>
            <translation>
                <numerusform>{path} · %n variable</numerusform>
                <numerusform>{path} · %n variables</numerusform>
            </translation>
        </message>
        <message>
            <source>Secret: the value is masked</source>
            <translation>Secreto: el valor está oculto</translation>
        </message>
    </context>
    <context>
        <name>ConflictDialog</name>
        <message>
            <source>Resolve a conflict</source>
            <translation>Resolver un conflicto</translation>
        </message>
        <message>
            <source>{what}
This record was deleted on the server after your copy was synced, so your change cannot be applied. Keep the server's version to drop it.</source>
            <translation>{what}
Este registro se borró en el servidor después de sincronizar tu copia, así que tu cambio no se puede aplicar. Quédate con la versión del servidor para descartarlo.</translation>
        </message>
        <message>
            <source>{what}
The server's version changed after your copy was synced. Fields in bold differ: keep your change (it is sent on top of the server's version) or keep the server's (your change is dropped).</source>
            <translation>{what}
La versión del servidor cambió después de sincronizar tu copia. Los campos en negrita difieren: quédate con tu cambio (se envía sobre la versión del servidor) o con la del servidor (tu cambio se descarta).</translation>
        </message>
        <message>
            <source>Field</source>
            <translation>Campo</translation>
        </message>
        <message>
            <source>Mine</source>
            <translation>La mía</translation>
        </message>
        <message>
            <source>Theirs (server now)</source>
            <translation>La suya (servidor ahora)</translation>
        </message>
        <message>
            <source>As synced</source>
            <translation>Tal como se sincronizó</translation>
        </message>
        <message>
            <source>Keep mine</source>
            <translation>Quedarme con la mía</translation>
        </message>
        <message>
            <source>Keep theirs</source>
            <translation>Quedarme con la suya</translation>
        </message>
        <message>
            <source>Decide later</source>
            <translation>Decidir más tarde</translation>
        </message>
        <message>
            <source>The record no longer exists on the server.</source>
            <translation>El registro ya no existe en el servidor.</translation>
        </message>
    </context>
    <context>
        <name>CorruptionNotice</name>
        <message>
            <source>Local data store</source>
            <translation>Almacén de datos local</translation>
        </message>
        <message>
            <source>The local data file was damaged</source>
            <translation>El archivo de datos local estaba dañado</translation>
        </message>
        <message>
            <source>Viva Desktop found that its data file could not be read safely ({reason}). It moved the file aside to {path} and started with an empty store. Nothing on the server is affected: synchronise again to download the data.</source>
            <translation>Viva Desktop detectó que su archivo de datos no se podía leer con seguridad ({reason}). Lo ha apartado a {path} y ha empezado con un almacén vacío. Nada del servidor se ve afectado: vuelve a sincronizar para descargar los datos.</translation>
        </message>
        <message>
            <source>Synchronise after signing in</source>
            <translation>Sincronizar al iniciar sesión</translation>
        </message>
        <message>
            <source>Later</source>
            <translation>Más tarde</translation>
        </message>
    </context>
    <context>
        <name>CreditsPage</name>
        <message>
            <source>Credits</source>
            <translation>Créditos</translation>
        </message>
        <message>
            <source>Grant credits…</source>
            <translation>Conceder créditos…</translation>
        </message>
        <message>
            <source>My transactions</source>
            <translation>Mis movimientos</translation>
        </message>
        <message>
            <source>Leaderboard</source>
            <translation>Clasificación</translation>
        </message>
        <message>
            <source>Pool requests</source>
            <translation>Solicitudes a los fondos</translation>
        </message>
        <message>
            <source>Balance: not read yet</source>
            <translation>Saldo: aún sin leer</translation>
        </message>
        <message>
            <source>Balance: read from the server when you are connected.</source>
            <translation>Saldo: se lee del servidor cuando estás conectado.</translation>
        </message>
        <message>
            <source>The balance could not be read.</source>
            <translation>No se ha podido leer el saldo.</translation>
        </message>
        <message numerus="yes">
            <source>Your balance: %Ln credit(s)</source>
            <translation>
                <numerusform>Tu saldo: %Ln crédito</numerusform>
                <numerusform>Tu saldo: %Ln créditos</numerusform>
            </translation>
        </message>
        <message>
            <source>level {number}, {name}</source>
            <translation>nivel {number}, {name}</translation>
        </message>
        <message>
            <source>level {number}</source>
            <translation>nivel {number}</translation>
        </message>
        <message>
            <source>{percent} % of the way to the next level</source>
            <translation>{percent} % del camino hasta el siguiente nivel</translation>
        </message>
    </context>
    <context>
        <name>DashboardPage</name>
        <message>
            <source>Dashboard</source>
            <translation>Panel</translation>
        </message>
        <message>
            <source>Offline: you are reviewing the local copy of the data. Connect to a server to see its health.</source>
            <translation>Sin conexión: estás revisando la copia local de los datos. Conéctate a un servidor para ver su estado.</translation>
        </message>
        <message>
            <source>Connect…</source>
            <translation>Conectar…</translation>
        </message>
        <message>
            <source>Check now</source>
            <translation>Comprobar ahora</translation>
        </message>
        <message>
            <source>Poll the server's health now (F5)</source>
            <translation>Consultar ahora el estado del servidor (F5)</translation>
        </message>
        <message>
            <source>Server version</source>
            <translation>Versión del servidor</translation>
        </message>
        <message>
            <source>Environment</source>
            <translation>Entorno</translation>
        </message>
        <message>
            <source>Uptime</source>
            <translation>Tiempo en marcha</translation>
        </message>
        <message>
            <source>Response time</source>
            <translation>Tiempo de respuesta</translation>
        </message>
        <message>
            <source>Database</source>
            <translation>Base de datos</translation>
        </message>
        <message>
            <source>Memory (heap)</source>
            <translation>Memoria (heap)</translation>
        </message>
        <message>
            <source>Process memory (RSS)</source>
            <translation>Memoria del proceso (RSS)</translation>
        </message>
        <message>
            <source>Host memory free</source>
            <translation>Memoria libre de la máquina</translation>
        </message>
        <message>
            <source>Load (1 min)</source>
            <translation>Carga (1 min)</translation>
        </message>
        <message>
            <source>Availability (24 h)</source>
            <translation>Disponibilidad (24 h)</translation>
        </message>
        <message>
            <source>Current incident</source>
            <translation>Incidencia en curso</translation>
        </message>
        <message>
            <source>Local data synced</source>
            <translation>Datos locales sincronizados</translation>
        </message>
        <message>
            <source>Attention</source>
            <translation>Atención</translation>
        </message>
        <message>
            <source>Deployments</source>
            <translation>Despliegues</translation>
        </message>
        <message>
            <source>Checking…</source>
            <translation>Comprobando…</translation>
        </message>
        <message>
            <source>No server</source>
            <translation>Sin servidor</translation>
        </message>
        <message>
            <source>Not checked</source>
            <translation>Sin comprobar</translation>
        </message>
        <message>
            <source>Checked at {time}</source>
            <translation>Comprobado a las {time}</translation>
        </message>
        <message>
            <source>No health sample yet.</source>
            <translation>Todavía no hay ninguna medición del estado.</translation>
        </message>
        <message>
            <source>{free} of {total} MB</source>
            <translation>{free} de {total} MB</translation>
        </message>
        <message>
            <source>{used} of {total} MB</source>
            <translation>{used} de {total} MB</translation>
        </message>
        <message>
            <source>Nothing needs attention.</source>
            <translation>Nada requiere atención.</translation>
        </message>
        <message>
            <source>up</source>
            <translation>activa</translation>
        </message>
        <message>
            <source>slow</source>
            <translation>lenta</translation>
        </message>
        <message>
            <source>down</source>
            <translation>caída</translation>
        </message>
        <message>
            <source>none</source>
            <translation>ninguna</translation>
        </message>
        <message>
            <source>{state} for {duration}</source>
            <translation>{state} desde hace {duration}</translation>
        </message>
        <message>
            <source>never</source>
            <translation>nunca</translation>
        </message>
    </context>
    <context>
        <name>DatabasePage</name>
        <message>
            <source>Database</source>
            <translation>Base de datos</translation>
        </message>
        <message>
            <source>Connect straight to the deployment's PostgreSQL with a read-only monitoring account (CONNECT on the database and membership of pg_monitor). The session is read-only: nothing on this page can change data.</source>
            <translation>Conéctate directamente al PostgreSQL de la instalación con una cuenta de supervisión de solo lectura (CONNECT sobre la base de datos y pertenencia a pg_monitor). La sesión es de solo lectura: nada en esta página puede modificar datos.</translation>
        </message>
        <message>
            <source>Connection:</source>
            <translation>Conexión:</translation>
        </message>
        <message>
            <source>Connection string</source>
            <translation>Cadena de conexión</translation>
        </message>
        <message>
            <source>Database password</source>
            <translation>Contraseña de la base de datos</translation>
        </message>
        <message>
            <source>Password:</source>
            <translation>Contraseña:</translation>
        </message>
        <message>
            <source>not saved unless you tick the box</source>
            <translation>no se guarda a menos que marques la casilla</translation>
        </message>
        <message>
            <source>Remember in the system keyring</source>
            <translation>Recordar en el llavero del sistema</translation>
        </message>
        <message>
            <source>No secure system keyring: the password is kept for this session only.</source>
            <translation>No hay un llavero seguro del sistema: la contraseña solo se conserva durante esta sesión.</translation>
        </message>
        <message>
            <source>Sign in as an administrator to remember the password: it is kept per account.</source>
            <translation>Inicia sesión como administrador para recordar la contraseña: se guarda por cuenta.</translation>
        </message>
        <message>
            <source>Stored under “{service}” in the keyring, for this account only, never in a file.</source>
            <translation>Se guarda como «{service}» en el llavero, solo para esta cuenta, nunca en un archivo.</translation>
        </message>
        <message>
            <source>Connect</source>
            <translation>Conectar</translation>
        </message>
        <message>
            <source>Cancel</source>
            <translation>Cancelar</translation>
        </message>
        <message>
            <source>Disconnect</source>
            <translation>Desconectar</translation>
        </message>
        <message>
            <source>Refresh</source>
            <translation>Actualizar</translation>
        </message>
        <message>
            <source>Refresh every</source>
            <translation>Actualizar cada</translation>
        </message>
        <message>
            <source>never</source>
            <translation>nunca</translation>
        </message>
        <message>
            <source>Long-running after</source>
            <translation>Larga a partir de</translation>
        </message>
        <message>
            <source>Long-running after (seconds)</source>
            <translation>Consulta larga a partir de (segundos)</translation>
        </message>
        <message>
            <source>A database password remembered for the whole profile was removed from the keyring: passwords are now kept per account. Type it once more and tick the box.</source>
            <translation>Se eliminó del llavero una contraseña de la base de datos guardada para todo el perfil: ahora las contraseñas se guardan por cuenta. Escríbela una vez más y marca la casilla.</translation>
        </message>
        <message>
            <source>Password filled in from the system keyring.</source>
            <translation>Contraseña rellenada desde el llavero del sistema.</translation>
        </message>
        <message>
            <source>The password is stored in the system keyring.</source>
            <translation>La contraseña está guardada en el llavero del sistema.</translation>
        </message>
        <message>
            <source>The keyring did not accept the password: it is kept for this session only.</source>
            <translation>El llavero no ha aceptado la contraseña: solo se conserva durante esta sesión.</translation>
        </message>
        <message>
            <source>Enter a connection string first.</source>
            <translation>Escribe primero una cadena de conexión.</translation>
        </message>
        <message>
            <source>Connecting…</source>
            <translation>Conectando…</translation>
        </message>
        <message>
            <source>Not connected.</source>
            <translation>Sin conexión.</translation>
        </message>
        <message>
            <source>Connecting was cancelled.</source>
            <translation>Se ha cancelado la conexión.</translation>
        </message>
        <message>
            <source>The last refresh failed; automatic refresh stopped.</source>
            <translation>La última actualización ha fallado; se ha detenido la actualización automática.</translation>
        </message>
        <message>
            <source>Connected to {target} · PostgreSQL {version} · SELECT 1 in {ping} · {mode} · read at {time}</source>
            <translation>Conectado a {target} · PostgreSQL {version} · SELECT 1 en {ping} · {mode} · leído a las {time}</translation>
        </message>
        <message>
            <source>read-only</source>
            <translation>solo lectura</translation>
        </message>
        <message>
            <source>NOT read-only</source>
            <translation>NO es de solo lectura</translation>
        </message>
        <message>
            <source>This account sees only its own queries. Grant it pg_monitor to see every session's query text.</source>
            <translation>Esta cuenta solo ve sus propias consultas. Concédele pg_monitor para ver el texto de las consultas de todas las sesiones.</translation>
        </message>
    </context>
    <context>
        <name>DateRangeFilter</name>
        <message>
            <source>Dates:</source>
            <translation>Fechas:</translation>
        </message>
        <message>
            <source>from any day</source>
            <translation>desde cualquier día</translation>
        </message>
        <message>
            <source>to any day</source>
            <translation>hasta cualquier día</translation>
        </message>
        <message>
            <source>First day to show (the earliest date means no limit)</source>
            <translation>Primer día que se muestra (la fecha más antigua significa sin límite)</translation>
        </message>
        <message>
            <source>Last day to show (the earliest date means no limit)</source>
            <translation>Último día que se muestra (la fecha más antigua significa sin límite)</translation>
        </message>
        <message>
            <source>From date</source>
            <translation>Desde la fecha</translation>
        </message>
        <message>
            <source>To date</source>
            <translation>Hasta la fecha</translation>
        </message>
        <message>
            <source>Date column</source>
            <translation>Columna de fecha</translation>
        </message>
    </context>
    <context>
        <name>DbMonitor</name>
        <message>
            <source>Cannot reach the database server {target} (tried {attempts} times). Check the host and port, and that the server accepts connections from this computer.</source>
            <translation>No se puede llegar al servidor de base de datos {target} (se intentó {attempts} veces). Comprueba el host y el puerto, y que el servidor acepta conexiones desde este ordenador.</translation>
        </message>
        <message>
            <source>The database server {target} refused the user name or password. Check the credentials of the read-only monitoring account.</source>
            <translation>El servidor de base de datos {target} ha rechazado el usuario o la contraseña. Revisa las credenciales de la cuenta de supervisión de solo lectura.</translation>
        </message>
        <message>
            <source>The monitoring account lacks a permission on {target}. Grant it CONNECT on the database and the pg_monitor role.</source>
            <translation>A la cuenta de supervisión le falta un permiso en {target}. Concédele CONNECT sobre la base de datos y el rol pg_monitor.</translation>
        </message>
        <message>
            <source>The database {target} did not answer a statistics query within the time limit; it may be overloaded.</source>
            <translation>La base de datos {target} no ha respondido a tiempo a una consulta de estadísticas; puede que esté sobrecargada.</translation>
        </message>
        <message>
            <source>A statistics query failed on {target}.</source>
            <translation>Ha fallado una consulta de estadísticas en {target}.</translation>
        </message>
        <message>
            <source>(invalid connection string)</source>
            <translation>(cadena de conexión no válida)</translation>
        </message>
        <message>
            <source>The database {target} does not exist.</source>
            <translation>La base de datos {target} no existe.</translation>
        </message>
    </context>
    <context>
        <name>DbStatisticsView</name>
        <message>
            <source>Database size</source>
            <translation>Tamaño de la base de datos</translation>
        </message>
        <message>
            <source>Cache hit ratio</source>
            <translation>Tasa de aciertos de caché</translation>
        </message>
        <message>
            <source>Connections</source>
            <translation>Conexiones</translation>
        </message>
        <message>
            <source>Commits / rollbacks</source>
            <translation>Confirmaciones / reversiones</translation>
        </message>
        <message>
            <source>Deadlocks</source>
            <translation>Interbloqueos</translation>
        </message>
        <message>
            <source>Server up for</source>
            <translation>Servidor en marcha desde hace</translation>
        </message>
        <message>
            <source>Connections by state</source>
            <translation>Conexiones por estado</translation>
        </message>
        <message>
            <source>Long-running queries</source>
            <translation>Consultas largas</translation>
        </message>
        <message>
            <source>Locks</source>
            <translation>Bloqueos</translation>
        </message>
        <message>
            <source>Largest tables</source>
            <translation>Tablas más grandes</translation>
        </message>
        <message>
            <source>State</source>
            <translation>Estado</translation>
        </message>
        <message>
            <source>Sessions</source>
            <translation>Sesiones</translation>
        </message>
        <message>
            <source>PID</source>
            <translation>PID</translation>
        </message>
        <message>
            <source>Running for</source>
            <translation>En ejecución desde hace</translation>
        </message>
        <message>
            <source>User</source>
            <translation>Usuario</translation>
        </message>
        <message>
            <source>Application</source>
            <translation>Aplicación</translation>
        </message>
        <message>
            <source>Waiting on</source>
            <translation>Esperando a</translation>
        </message>
        <message>
            <source>Query</source>
            <translation>Consulta</translation>
        </message>
        <message>
            <source>Blocked PID</source>
            <translation>PID bloqueado</translation>
        </message>
        <message>
            <source>Blocked user</source>
            <translation>Usuario bloqueado</translation>
        </message>
        <message>
            <source>Blocked by PID</source>
            <translation>Bloqueado por el PID</translation>
        </message>
        <message>
            <source>Blocking user</source>
            <translation>Usuario que bloquea</translation>
        </message>
        <message>
            <source>Waiting for</source>
            <translation>Esperando</translation>
        </message>
        <message>
            <source>Relation</source>
            <translation>Relación</translation>
        </message>
        <message>
            <source>Waiting</source>
            <translation>En espera</translation>
        </message>
        <message>
            <source>Blocked query</source>
            <translation>Consulta bloqueada</translation>
        </message>
        <message>
            <source>Table</source>
            <translation>Tabla</translation>
        </message>
        <message>
            <source>Total</source>
            <translation>Total</translation>
        </message>
        <message>
            <source>Data</source>
            <translation>Datos</translation>
        </message>
        <message>
            <source>Indexes</source>
            <translation>Índices</translation>
        </message>
        <message>
            <source>Rows (estimate)</source>
            <translation>Filas (estimación)</translation>
        </message>
        <message>
            <source>Connect above to read the server's statistics.</source>
            <translation>Conéctate arriba para leer las estadísticas del servidor.</translation>
        </message>
        <message>
            <source>No session is connected.</source>
            <translation>No hay ninguna sesión conectada.</translation>
        </message>
        <message>
            <source>No query has been running for longer than the limit.</source>
            <translation>Ninguna consulta lleva en marcha más tiempo que el límite.</translation>
        </message>
        <message>
            <source>No session is waiting for a lock.</source>
            <translation>Ninguna sesión está esperando un bloqueo.</translation>
        </message>
        <message>
            <source>The database has no tables yet.</source>
            <translation>La base de datos aún no tiene tablas.</translation>
        </message>
        <message>
            <source>{count} of {max}</source>
            <translation>{count} de {max}</translation>
        </message>
        <message>
            <source>Long-running queries ({count})</source>
            <translation>Consultas largas ({count})</translation>
        </message>
        <message>
            <source>Locks ({count})</source>
            <translation>Bloqueos ({count})</translation>
        </message>
        <message>
            <source>PostgreSQL has not analysed this table yet, so it has no estimate; the number is the live rows its statistics counted. ANALYZE gives a real estimate.</source>
            <translation>PostgreSQL aún no ha analizado esta tabla, así que no tiene estimación; el número son las filas vivas que cuentan sus estadísticas. ANALYZE da una estimación real.</translation>
        </message>
        <message>
            <source>{rows} (not analysed)</source>
            <translation>{rows} (sin analizar)</translation>
        </message>
        <message>
            <source>not analysed yet</source>
            <translation>aún sin analizar</translation>
        </message>
        <message>
            <source>active</source>
            <translation>activa</translation>
        </message>
        <message>
            <source>idle</source>
            <translation>inactiva</translation>
        </message>
        <message>
            <source>idle in transaction</source>
            <translation>inactiva en una transacción</translation>
        </message>
        <message>
            <source>idle in transaction (aborted)</source>
            <translation>inactiva en una transacción (abortada)</translation>
        </message>
        <message>
            <source>fast-path function call</source>
            <translation>llamada a función por la vía rápida</translation>
        </message>
        <message>
            <source>disabled</source>
            <translation>desactivada</translation>
        </message>
        <message>
            <source>unknown</source>
            <translation>desconocido</translation>
        </message>
        <message>
            <source>(hidden: needs pg_monitor)</source>
            <translation>(oculto: requiere pg_monitor)</translation>
        </message>
    </context>
    <context>
        <name>DetailPane</name>
        <message>
            <source>Select a row to see all of its fields here.</source>
            <translation>Selecciona una fila para ver aquí todos sus campos.</translation>
        </message>
        <message>
            <source>Raw JSON from the server</source>
            <translation>JSON original del servidor</translation>
        </message>
        <message>
            <source>No longer on the server (noticed {time}).</source>
            <translation>Ya no está en el servidor (detectado {time}).</translation>
        </message>
        <message>
            <source>Id</source>
            <translation>Id</translation>
        </message>
        <message>
            <source>Synced</source>
            <translation>Sincronizado</translation>
        </message>
    </context>
    <context>
        <name>EditorDialog</name>
        <message>
            <source>Save</source>
            <translation>Guardar</translation>
        </message>
        <message>
            <source>Correct the fields marked below.</source>
            <translation>Corrige los campos marcados abajo.</translation>
        </message>
        <message>
            <source>Please check the warnings below, then press “Save anyway”.</source>
            <translation>Revisa los avisos de abajo y pulsa «Guardar de todos modos».</translation>
        </message>
        <message>
            <source>Save anyway</source>
            <translation>Guardar de todos modos</translation>
        </message>
        <message>
            <source>Sending…</source>
            <translation>Enviando…</translation>
        </message>
        <message>
            <source>Close</source>
            <translation>Cerrar</translation>
        </message>
        <message>
            <source>The server said: “{message}”</source>
            <translation>El servidor ha respondido: «{message}»</translation>
        </message>
        <message>
            <source>The change could not be sent. Your input is kept.</source>
            <translation>No se pudo enviar el cambio. Se conservan los datos que has escrito.</translation>
        </message>
    </context>
    <context>
        <name>Editors</name>
        <message>
            <source>Saved on the server.</source>
            <translation>Guardado en el servidor.</translation>
        </message>
        <message>
            <source>The server could not create it ({reason}). Nothing is lost: it waits in the Failed list on the Sync page, to retry, edit, copy as text or discard.</source>
            <translation>El servidor no pudo crearlo ({reason}). No se pierde nada: espera en la lista de fallidos de la página Sincronización, para reintentarlo, editarlo, copiarlo como texto o descartarlo.</translation>
        </message>
        <message>
            <source>Someone changed this record on the server since your copy was synced. Your change is kept: choose which version wins on the Sync page.</source>
            <translation>Alguien ha cambiado este registro en el servidor desde que se sincronizó tu copia. Tu cambio se conserva: elige qué versión gana en la página Sincronización.</translation>
        </message>
        <message>
            <source>Your session has expired. The change is queued and will be sent once you sign in again.</source>
            <translation>Tu sesión ha caducado. El cambio queda en cola y se enviará cuando vuelvas a iniciar sesión.</translation>
        </message>
        <message>
            <source>The server failed while saving, so it is not known whether the change was made. It is queued: before sending it again the application checks the server, so it will not be made twice.</source>
            <translation>El servidor ha fallado al guardar, así que no se sabe si el cambio se hizo. Queda en cola: antes de volver a enviarlo, la aplicación consulta el servidor, así que no se hará dos veces.</translation>
        </message>
        <message>
            <source>Queued: the change is kept on this computer and will be sent when the server is back online (Sync page).</source>
            <translation>En cola: el cambio se guarda en este ordenador y se enviará cuando el servidor vuelva a estar en línea (página Sincronización).</translation>
        </message>
        <message>
            <source>This needs a connection to the server.</source>
            <translation>Esto necesita conexión con el servidor.</translation>
        </message>
        <message numerus="yes">
            <source>%n done</source>
            <translation>
                <numerusform>%n hecho</numerusform>
                <numerusform>%n hechos</numerusform>
            </translation>
        </message>
        <message numerus="yes">
            <source>%n queued until the server is back online</source>
            <translation>
                <numerusform>%n en cola hasta que el servidor vuelva a estar disponible</numerusform>
                <numerusform>%n en cola hasta que el servidor vuelva a estar disponible</numerusform>
            </translation>
        </message>
        <message>
            <source>refused: {item}: {reason}</source>
            <translation>rechazado: {item}: {reason}</translation>
        </message>
    </context>
    <context>
        <name>Entities</name>
        <message>
            <source>Communities</source>
            <translation>Comunidades</translation>
        </message>
        <message>
            <source>Members</source>
            <translation>Miembros</translation>
        </message>
        <message>
            <source>Offers</source>
            <translation>Ofertas</translation>
        </message>
        <message>
            <source>Events</source>
            <translation>Eventos</translation>
        </message>
        <message>
            <source>Event attendees</source>
            <translation>Asistentes a eventos</translation>
        </message>
        <message>
            <source>Posts</source>
            <translation>Publicaciones</translation>
        </message>
        <message>
            <source>Comments</source>
            <translation>Comentarios</translation>
        </message>
        <message>
            <source>Credit transactions</source>
            <translation>Movimientos de créditos</translation>
        </message>
        <message>
            <source>Moderation cases</source>
            <translation>Casos de moderación</translation>
        </message>
    </context>
    <context>
        <name>EntityBrowser</name>
        <message>
            <source>Exporting to {file}…</source>
            <translation>Exportando a {file}…</translation>
        </message>
        <message>
            <source>Records</source>
            <translation>Registros</translation>
        </message>
        <message>
            <source>Enter opens the selected record; the detail pane shows all its fields.</source>
            <translation>Intro abre el registro seleccionado; el panel de detalle muestra todos sus campos.</translation>
        </message>
        <message>
            <source>Clear filters</source>
            <translation>Quitar filtros</translation>
        </message>
        <message>
            <source>Views</source>
            <translation>Vistas</translation>
        </message>
        <message>
            <source>Save this search, filters, dates, columns and sort under a name, or use one.</source>
            <translation>Guarda esta búsqueda, filtros, fechas, columnas y orden con un nombre, o usa una vista guardada.</translation>
        </message>
        <message>
            <source>Columns…</source>
            <translation>Columnas…</translation>
        </message>
        <message>
            <source>Show, hide or reset columns; drag a column header to move it.</source>
            <translation>Muestra, oculta o restablece columnas; arrastra la cabecera de una columna para moverla.</translation>
        </message>
        <message>
            <source>Export CSV…</source>
            <translation>Exportar CSV…</translation>
        </message>
        <message>
            <source>Save the rows matching the current filters, in this order, as CSV.</source>
            <translation>Guarda como CSV las filas que cumplen los filtros actuales, en este orden.</translation>
        </message>
        <message>
            <source>Details</source>
            <translation>Detalles</translation>
        </message>
        <message>
            <source>Show or hide the pane with every field of the selected record.</source>
            <translation>Muestra u oculta el panel con todos los campos del registro seleccionado.</translation>
        </message>
        <message numerus="yes">
            <source>Exported %n record(s) to {file}.</source>
            <translation>
                <numerusform>Exportado %n registro a {file}.</numerusform>
                <numerusform>Exportados %n registros a {file}.</numerusform>
            </translation>
        </message>
        <message>
            <source>Not synced yet</source>
            <translation>Aún sin sincronizar</translation>
        </message>
        <message>
            <source>Open the Sync page to download this server's data.</source>
            <translation>Abre la página Sincronización para descargar los datos de este servidor.</translation>
        </message>
        <message>
            <source>Data as of {time} ({age})</source>
            <translation>Datos a las {time} ({age})</translation>
        </message>
        <message>
            <source>The local copy was last updated from the server at {time}.</source>
            <translation>La copia local se actualizó desde el servidor por última vez a las {time}.</translation>
        </message>
        <message>
            <source>Export the current view</source>
            <translation>Exportar la vista actual</translation>
        </message>
        <message>
            <source>CSV files (*.csv)</source>
            <translation>Archivos CSV (*.csv)</translation>
        </message>
        <message>
            <source>Search (Ctrl+F)</source>
            <translation>Buscar (Ctrl+F)</translation>
        </message>
        <message>
            <source>Search</source>
            <translation>Buscar</translation>
        </message>
        <message>
            <source>Full-text search in the local copy; all words must match.</source>
            <translation>Búsqueda de texto completo en la copia local; deben coincidir todas las palabras.</translation>
        </message>
        <message>
            <source>No local store</source>
            <translation>Sin almacén local</translation>
        </message>
        <message>
            <source>No server chosen</source>
            <translation>No se ha elegido servidor</translation>
        </message>
        <message>
            <source>Loading…</source>
            <translation>Cargando…</translation>
        </message>
        <message>
            <source>(updating…)</source>
            <translation>(actualizando…)</translation>
        </message>
        <message>
            <source>No record matches the search and filters. “Clear filters” shows them all again.</source>
            <translation>Ningún registro coincide con la búsqueda y los filtros. «Quitar filtros» vuelve a mostrarlos todos.</translation>
        </message>
        <message>
            <source>Nothing has been downloaded from this server yet. Open the Sync page and press “Sync now” to fill the local copy.</source>
            <translation>Aún no se ha descargado nada de este servidor. Abre la página Sincronización y pulsa «Sincronizar ahora» para llenar la copia local.</translation>
        </message>
        <message>
            <source>There is nothing here yet.</source>
            <translation>Aún no hay nada aquí.</translation>
        </message>
    </context>
    <context>
        <name>Enums</name>
        <message>
            <source>Not on the server yet</source>
            <translation>Aún no está en el servidor</translation>
        </message>
        <message>
            <source>Could not be created</source>
            <translation>No se pudo crear</translation>
        </message>
        <message>
            <source>Edited here, not sent yet</source>
            <translation>Editado aquí, aún sin enviar</translation>
        </message>
        <message>
            <source>Deleted here, not sent yet</source>
            <translation>Borrado aquí, aún sin enviar</translation>
        </message>
        <message>
            <source>Neighbourhood</source>
            <translation>Barrio</translation>
        </message>
        <message>
            <source>Village</source>
            <translation>Pueblo</translation>
        </message>
        <message>
            <source>Town</source>
            <translation>Ciudad</translation>
        </message>
        <message>
            <source>County</source>
            <translation>Comarca</translation>
        </message>
        <message>
            <source>Region</source>
            <translation>Región</translation>
        </message>
        <message>
            <source>Custom</source>
            <translation>Personalizado</translation>
        </message>
        <message>
            <source>Private</source>
            <translation>Privada</translation>
        </message>
        <message>
            <source>Public</source>
            <translation>Pública</translation>
        </message>
        <message>
            <source>Open</source>
            <translation>Abierta</translation>
        </message>
        <message>
            <source>Federated</source>
            <translation>Federada</translation>
        </message>
        <message>
            <source>Citizen</source>
            <translation>Ciudadanía</translation>
        </message>
        <message>
            <source>Merchant</source>
            <translation>Comercio</translation>
        </message>
        <message>
            <source>Administrator</source>
            <translation>Administración</translation>
        </message>
        <message>
            <source>Moderator</source>
            <translation>Moderación</translation>
        </message>
        <message>
            <source>Public entity</source>
            <translation>Entidad pública</translation>
        </message>
        <message>
            <source>Product</source>
            <translation>Producto</translation>
        </message>
        <message>
            <source>Service</source>
            <translation>Servicio</translation>
        </message>
        <message>
            <source>Time bank</source>
            <translation>Banco de tiempo</translation>
        </message>
        <message>
            <source>Group buy</source>
            <translation>Compra colectiva</translation>
        </message>
        <message>
            <source>Event</source>
            <translation>Evento</translation>
        </message>
        <message>
            <source>Active</source>
            <translation>Activa</translation>
        </message>
        <message>
            <source>Paused</source>
            <translation>En pausa</translation>
        </message>
        <message>
            <source>Completed</source>
            <translation>Completada</translation>
        </message>
        <message>
            <source>Expired</source>
            <translation>Caducada</translation>
        </message>
        <message>
            <source>Cancelled</source>
            <translation>Cancelada</translation>
        </message>
        <message>
            <source>Workshop</source>
            <translation>Taller</translation>
        </message>
        <message>
            <source>Clean-up</source>
            <translation>Limpieza</translation>
        </message>
        <message>
            <source>Market</source>
            <translation>Mercado</translation>
        </message>
        <message>
            <source>Social</source>
            <translation>Social</translation>
        </message>
        <message>
            <source>Repair café</source>
            <translation>Café de reparaciones</translation>
        </message>
        <message>
            <source>Community meal</source>
            <translation>Comida comunitaria</translation>
        </message>
        <message>
            <source>Skill share</source>
            <translation>Intercambio de habilidades</translation>
        </message>
        <message>
            <source>Virtual</source>
            <translation>Virtual</translation>
        </message>
        <message>
            <source>In person</source>
            <translation>Presencial</translation>
        </message>
        <message>
            <source>Hybrid</source>
            <translation>Híbrido</translation>
        </message>
        <message>
            <source>Story</source>
            <translation>Historia</translation>
        </message>
        <message>
            <source>Need</source>
            <translation>Necesidad</translation>
        </message>
        <message>
            <source>Offer</source>
            <translation>Oferta</translation>
        </message>
        <message>
            <source>Thanks</source>
            <translation>Agradecimiento</translation>
        </message>
        <message>
            <source>Achievement</source>
            <translation>Logro</translation>
        </message>
        <message>
            <source>Milestone</source>
            <translation>Hito</translation>
        </message>
        <message>
            <source>Tip</source>
            <translation>Consejo</translation>
        </message>
        <message>
            <source>Neighbours</source>
            <translation>Vecindario</translation>
        </message>
        <message>
            <source>Friends</source>
            <translation>Amistades</translation>
        </message>
        <message>
            <source>Post</source>
            <translation>Publicación</translation>
        </message>
        <message>
            <source>Comment</source>
            <translation>Comentario</translation>
        </message>
        <message>
            <source>Message</source>
            <translation>Mensaje</translation>
        </message>
        <message>
            <source>Review</source>
            <translation>Reseña</translation>
        </message>
        <message>
            <source>Community</source>
            <translation>Comunidad</translation>
        </message>
        <message>
            <source>Voting</source>
            <translation>En votación</translation>
        </message>
        <message>
            <source>Decided</source>
            <translation>Decidido</translation>
        </message>
        <message>
            <source>Keep</source>
            <translation>Mantener</translation>
        </message>
        <message>
            <source>Remove</source>
            <translation>Retirar</translation>
        </message>
        <message>
            <source>Warn</source>
            <translation>Advertir</translation>
        </message>
        <message>
            <source>Pending</source>
            <translation>Pendiente</translation>
        </message>
        <message>
            <source>Approved</source>
            <translation>Aprobada</translation>
        </message>
        <message>
            <source>Rejected</source>
            <translation>Rechazada</translation>
        </message>
        <message>
            <source>Distributed</source>
            <translation>Repartida</translation>
        </message>
        <message>
            <source>Admin grant</source>
            <translation>Concesión de administración</translation>
        </message>
        <message>
            <source>Admin deduction</source>
            <translation>Deducción de administración</translation>
        </message>
        <message>
            <source>Community help</source>
            <translation>Ayuda comunitaria</translation>
        </message>
        <message>
            <source>Event attendance</source>
            <translation>Asistencia a evento</translation>
        </message>
        <message>
            <source>Purchase</source>
            <translation>Compra</translation>
        </message>
        <message>
            <source>Time bank hour</source>
            <translation>Hora del banco de tiempo</translation>
        </message>
        <message>
            <source>Local purchase</source>
            <translation>Compra local</translation>
        </message>
        <message>
            <source>Referral</source>
            <translation>Invitación</translation>
        </message>
        <message>
            <source>Eco action</source>
            <translation>Acción ecológica</translation>
        </message>
        <message>
            <source>Daily seed</source>
            <translation>Semilla diaria</translation>
        </message>
        <message>
            <source>Supporting a post</source>
            <translation>Apoyo a una publicación</translation>
        </message>
        <message>
            <source>Offer created</source>
            <translation>Oferta creada</translation>
        </message>
        <message>
            <source>Expiration</source>
            <translation>Caducidad</translation>
        </message>
        <message>
            <source>Discount</source>
            <translation>Descuento</translation>
        </message>
        <message>
            <source>Event access</source>
            <translation>Acceso a evento</translation>
        </message>
        <message>
            <source>Adjustment</source>
            <translation>Ajuste</translation>
        </message>
        <message>
            <source>System reward</source>
            <translation>Recompensa del sistema</translation>
        </message>
    </context>
    <context>
        <name>EnvAudit</name>
        <message>
            <source>Line {line} is not a KEY=value assignment; the server ignores it.</source>
            <translation>La línea {line} no es una asignación CLAVE=valor; el servidor la ignora.</translation>
        </message>
        <message>
            <source>The quote opened on line {line} for {key} is never closed.</source>
            <translation>La comilla abierta en la línea {line} para {key} no se cierra nunca.</translation>
        </message>
        <message>
            <source>Text after the closing quote of {key} (line {line}) is ignored.</source>
            <translation>El texto que sigue a la comilla de cierre de {key} (línea {line}) se ignora.</translation>
        </message>
        <message>
            <source>The value of {key} (line {line}) contains '#': the server reads only the part before it. Put the value in quotes.</source>
            <translation>El valor de {key} (línea {line}) contiene '#': el servidor solo lee lo que va antes. Pon el valor entre comillas.</translation>
        </message>
        <message>
            <source>{key} is set {count} times (lines {lines}); the last one wins.</source>
            <translation>{key} se define {count} veces (líneas {lines}); vale la última.</translation>
        </message>
        <message>
            <source>Set DATABASE_URL=postgresql://user:password@host:5432/database.</source>
            <translation>Define DATABASE_URL=postgresql://usuario:contraseña@host:5432/basededatos.</translation>
        </message>
        <message>
            <source>Set a random secret of at least 32 characters, e.g. the output of `openssl rand -base64 48`.</source>
            <translation>Define un secreto aleatorio de al menos 32 caracteres, por ejemplo la salida de `openssl rand -base64 48`.</translation>
        </message>
        <message>
            <source>Set NODE_ENV=production on any server other people can reach.</source>
            <translation>Define NODE_ENV=production en cualquier servidor al que pueda acceder otra gente.</translation>
        </message>
        <message>
            <source>Missing required environment variable: {key}</source>
            <translation>Falta una variable de entorno obligatoria: {key}</translation>
        </message>
        <message>
            <source>(the line is there, but the value is empty)</source>
            <translation>(la línea existe, pero el valor está vacío)</translation>
        </message>
        <message>
            <source>The server refuses to start without it, in every environment.</source>
            <translation>El servidor se niega a arrancar sin ella, en cualquier entorno.</translation>
        </message>
        <message>
            <source>Without it the server runs in development mode: stack traces in every error and public API documentation.</source>
            <translation>Sin ella, el servidor funciona en modo de desarrollo: trazas de pila en cada error y documentación pública de la API.</translation>
        </message>
        <message>
            <source>DATABASE_URL starts with postgres://; the server only accepts postgresql://.</source>
            <translation>DATABASE_URL empieza por postgres://; el servidor solo acepta postgresql://.</translation>
        </message>
        <message>
            <source>Write postgresql:// instead of postgres:// (the rest stays the same).</source>
            <translation>Escribe postgresql:// en lugar de postgres:// (el resto no cambia).</translation>
        </message>
        <message>
            <source>DATABASE_URL must start with postgresql://.</source>
            <translation>DATABASE_URL tiene que empezar por postgresql://.</translation>
        </message>
        <message>
            <source>Use a URL of the form postgresql://user:password@host:5432/database.</source>
            <translation>Usa una URL con la forma postgresql://usuario:contraseña@host:5432/basededatos.</translation>
        </message>
        <message>
            <source>In production the server refuses to start.</source>
            <translation>En producción, el servidor se niega a arrancar.</translation>
        </message>
        <message>
            <source>JWT_SECRET has {length} characters; the server refuses to start with fewer than {minimum}, in every environment (its environment check only warns, its JWT module stops).</source>
            <translation>JWT_SECRET tiene {length} caracteres; el servidor se niega a arrancar con menos de {minimum}, en cualquier entorno (su comprobación del entorno solo avisa, pero su módulo JWT se detiene).</translation>
        </message>
        <message>
            <source>Generate a longer one, e.g. with `openssl rand -base64 48`.</source>
            <translation>Genera uno más largo, por ejemplo con `openssl rand -base64 48`.</translation>
        </message>
        <message>
            <source>JWT_SECRET looks guessable (about {bits:.0f} bits of variety, {distinct} different characters, or a placeholder word). Anyone who guesses it can sign tokens for any account, ADMIN included.</source>
            <translation>JWT_SECRET parece fácil de adivinar (unos {bits:.0f} bits de variedad, {distinct} caracteres distintos, o una palabra de ejemplo). Quien lo adivine puede firmar tokens para cualquier cuenta, ADMIN incluida.</translation>
        </message>
        <message>
            <source>Replace it with random bytes, e.g. `openssl rand -base64 48`; everyone will have to log in again.</source>
            <translation>Sustitúyelo por bytes aleatorios, por ejemplo `openssl rand -base64 48`; todo el mundo tendrá que volver a iniciar sesión.</translation>
        </message>
        <message>
            <source>NODE_ENV is '{value}': the server only recognises exactly 'production', so it runs in development mode.</source>
            <translation>NODE_ENV vale '{value}': el servidor solo reconoce exactamente 'production', así que funciona en modo de desarrollo.</translation>
        </message>
        <message>
            <source>Write NODE_ENV=production, in lower case, with no spaces.</source>
            <translation>Escribe NODE_ENV=production, en minúsculas y sin espacios.</translation>
        </message>
        <message>
            <source>NODE_ENV is '{value}' on a server that looks deployed ({hosts}): every error body carries a stack trace with file paths, Swagger documents the whole API publicly, any web origin passes CORS and POST /health/seed-demo can wipe the data without authentication.</source>
            <translation>NODE_ENV vale '{value}' en un servidor que parece desplegado ({hosts}): cada respuesta de error lleva una traza de pila con rutas de archivos, Swagger documenta públicamente toda la API, cualquier origen web pasa el CORS y POST /health/seed-demo puede borrar los datos sin autenticación.</translation>
        </message>
        <message>
            <source>by your choice</source>
            <translation>por tu elección</translation>
        </message>
        <message>
            <source>Set NODE_ENV=production.</source>
            <translation>Define NODE_ENV=production.</translation>
        </message>
        <message>
            <source>NODE_ENV is '{value}': fine on a developer's machine, never on a server others can reach.</source>
            <translation>NODE_ENV vale '{value}': está bien en el equipo de quien desarrolla, nunca en un servidor al que otras personas puedan acceder.</translation>
        </message>
        <message>
            <source>CORS then allows only http://localhost:3000 and :3001, and links point nowhere.</source>
            <translation>Entonces el CORS solo permite http://localhost:3000 y :3001, y los enlaces no llevan a ninguna parte.</translation>
        </message>
        <message>
            <source>Server errors are then only in its own logs.</source>
            <translation>Entonces los errores del servidor solo quedan en sus propios registros.</translation>
        </message>
        <message>
            <source>Recommended environment variable not set: {key}.</source>
            <translation>Variable de entorno recomendada sin definir: {key}.</translation>
        </message>
        <message>
            <source>Recommended environment variables not set: {keys}.</source>
            <translation>Variables de entorno recomendadas sin definir: {keys}.</translation>
        </message>
        <message>
            <source>{name} is only partly configured: {missing} missing.</source>
            <translation>{name} solo está configurado en parte: falta {missing}.</translation>
        </message>
        <message>
            <source>Set all of {keys}, or none of them.</source>
            <translation>Define todas estas variables o ninguna: {keys}.</translation>
        </message>
        <message>
            <source>E-mail (SMTP) is not configured.</source>
            <translation>El correo electrónico (SMTP) no está configurado.</translation>
        </message>
        <message>
            <source>S3 storage is not configured.</source>
            <translation>El almacenamiento S3 no está configurado.</translation>
        </message>
        <message>
            <source>{aws} is not read by the server; {s3} is, and it is set.</source>
            <translation>El servidor no lee {aws}; lee {s3}, que está definida.</translation>
        </message>
        <message>
            <source>Remove {aws} to avoid confusion.</source>
            <translation>Quita {aws} para evitar confusiones.</translation>
        </message>
        <message>
            <source>{aws} configures nothing: the server reads {s3}. The backend's example file uses the AWS names, so following it leaves S3 unconfigured.</source>
            <translation>{aws} no configura nada: el servidor lee {s3}. El archivo de ejemplo del backend usa los nombres de AWS, así que si se sigue, S3 queda sin configurar.</translation>
        </message>
        <message>
            <source>Rename {aws} to {s3}.</source>
            <translation>Cambia el nombre de {aws} a {s3}.</translation>
        </message>
        <message>
            <source>{key} contains '{origin}': origins are compared literally, so a wildcard either matches nothing or reflects a will to allow everybody.</source>
            <translation>{key} contiene '{origin}': los orígenes se comparan literalmente, así que un comodín o no coincide con nada o refleja la intención de permitir a todo el mundo.</translation>
        </message>
        <message>
            <source>List the exact web origins, e.g. https://viva.example.org.</source>
            <translation>Indica los orígenes web exactos, por ejemplo https://viva.example.org.</translation>
        </message>
        <message>
            <source>{key} contains '{origin}', which is not an origin (scheme://host).</source>
            <translation>{key} contiene '{origin}', que no es un origen (esquema://host).</translation>
        </message>
        <message>
            <source>List origins such as https://viva.example.org, separated by commas.</source>
            <translation>Indica orígenes como https://viva.example.org, separados por comas.</translation>
        </message>
        <message>
            <source>{key} allows '{origin}' over plain http://: passwords and tokens would cross the network unencrypted.</source>
            <translation>{key} permite '{origin}' por http:// sin cifrar: las contraseñas y los tokens cruzarían la red sin cifrar.</translation>
        </message>
        <message>
            <source>Serve the web front end over https:// and list that origin.</source>
            <translation>Sirve la interfaz web por https:// e indica ese origen.</translation>
        </message>
        <message>
            <source>REDIS_URL is not set: the server tries redis://localhost:6379 and otherwise keeps rate-limit counters in process memory, lost on restart and not shared between instances.</source>
            <translation>REDIS_URL no está definida: el servidor prueba redis://localhost:6379 y, si no, guarda los contadores de límite de peticiones en la memoria del proceso, que se pierden al reiniciar y no se comparten entre instancias.</translation>
        </message>
        <message>
            <source>Point REDIS_URL at a Redis the server can reach.</source>
            <translation>Haz que REDIS_URL apunte a un Redis al que llegue el servidor.</translation>
        </message>
        <message>
            <source>JWT_REFRESH_TOKEN_EXPIRATION is '{value}'; the server reads a number followed by d, h, m or s.</source>
            <translation>JWT_REFRESH_TOKEN_EXPIRATION vale '{value}'; el servidor espera un número seguido de d, h, m o s.</translation>
        </message>
        <message>
            <source>Use a value such as 7d.</source>
            <translation>Usa un valor como 7d.</translation>
        </message>
        <message>
            <source>JWT_REFRESH_TOKEN_EXPIRATION is '{value}', under one day: the server rounds it down to 0 whole days, so every refresh token is already expired and users are logged out when their 15-minute access token ends.</source>
            <translation>JWT_REFRESH_TOKEN_EXPIRATION vale '{value}', menos de un día: el servidor lo redondea a 0 días enteros, así que todos los tokens de renovación nacen caducados y la gente pierde la sesión cuando termina su token de acceso de 15 minutos.</translation>
        </message>
        <message>
            <source>Use whole days, e.g. 7d.</source>
            <translation>Usa días enteros, por ejemplo 7d.</translation>
        </message>
        <message>
            <source>PORT is '{value}', which is not a port number.</source>
            <translation>PORT vale '{value}', que no es un número de puerto.</translation>
        </message>
        <message>
            <source>Use a number between 1 and 65535 (the default is 4000).</source>
            <translation>Usa un número entre 1 y 65535 (el predeterminado es 4000).</translation>
        </message>
        <message>
            <source>line {line}</source>
            <translation>línea {line}</translation>
        </message>
    </context>
    <context>
        <name>ErrorDialog</name>
        <message>
            <source>Session expired</source>
            <translation>Sesión caducada</translation>
        </message>
        <message>
            <source>Not signed in</source>
            <translation>Sin sesión iniciada</translation>
        </message>
        <message>
            <source>Sign-in failed</source>
            <translation>No se pudo iniciar sesión</translation>
        </message>
        <message>
            <source>Two-factor code needed</source>
            <translation>Falta el código de doble factor</translation>
        </message>
        <message>
            <source>Not allowed</source>
            <translation>No permitido</translation>
        </message>
        <message>
            <source>Not found</source>
            <translation>No encontrado</translation>
        </message>
        <message>
            <source>Too many requests</source>
            <translation>Demasiadas peticiones</translation>
        </message>
        <message>
            <source>Server error</source>
            <translation>Error del servidor</translation>
        </message>
        <message>
            <source>Certificate problem</source>
            <translation>Problema con el certificado</translation>
        </message>
        <message>
            <source>No connection</source>
            <translation>Sin conexión</translation>
        </message>
        <message>
            <source>No answer from the server</source>
            <translation>El servidor no responde</translation>
        </message>
        <message>
            <source>Invalid input</source>
            <translation>Datos no válidos</translation>
        </message>
        <message>
            <source>Outcome unknown</source>
            <translation>Resultado desconocido</translation>
        </message>
        <message>
            <source>Conflict</source>
            <translation>Conflicto</translation>
        </message>
        <message>
            <source>Unexpected answer</source>
            <translation>Respuesta inesperada</translation>
        </message>
        <message>
            <source>Invalid server address</source>
            <translation>Dirección de servidor no válida</translation>
        </message>
        <message>
            <source>Keyring unavailable</source>
            <translation>Llavero no disponible</translation>
        </message>
        <message>
            <source>Error</source>
            <translation>Error</translation>
        </message>
        <message>
            <source>Local data store</source>
            <translation>Almacén de datos local</translation>
        </message>
        <message>
            <source>File problem</source>
            <translation>Problema con un archivo</translation>
        </message>
        <message>
            <source>A file could not be read or written: {reason}</source>
            <translation>No se pudo leer o escribir un archivo: {reason}</translation>
        </message>
        <message>
            <source>Check that the folder exists and that you may write to it.</source>
            <translation>Comprueba que la carpeta existe y que tienes permiso para escribir en ella.</translation>
        </message>
        <message>
            <source>Unexpected error</source>
            <translation>Error inesperado</translation>
        </message>
        <message>
            <source>Something went wrong inside Viva Desktop and the action did not complete. Your saved data is not affected.</source>
            <translation>Algo ha fallado dentro de Viva Desktop y la acción no se ha completado. Tus datos guardados no se ven afectados.</translation>
        </message>
        <message>
            <source>You can keep working. If it happens again, send a report or copy the details for the developers.</source>
            <translation>Puedes seguir trabajando. Si vuelve a ocurrir, envía un informe o copia los detalles para el equipo de desarrollo.</translation>
        </message>
        <message>
            <source>Viva Desktop — {title}</source>
            <translation>Viva Desktop — {title}</translation>
        </message>
        <message>
            <source>Hide details</source>
            <translation>Ocultar detalles</translation>
        </message>
        <message>
            <source>Details</source>
            <translation>Detalles</translation>
        </message>
        <message>
            <source>Copy details</source>
            <translation>Copiar detalles</translation>
        </message>
        <message>
            <source>Send report</source>
            <translation>Enviar informe</translation>
        </message>
        <message>
            <source>Log in again</source>
            <translation>Volver a iniciar sesión</translation>
        </message>
        <message>
            <source>Try again</source>
            <translation>Reintentar</translation>
        </message>
        <message>
            <source>Close</source>
            <translation>Cerrar</translation>
        </message>
        <message numerus="yes">
            <source>Wait %n second(s) before trying again.</source>
            <translation>
                <numerusform>Espera %n segundo antes de reintentar.</numerusform>
                <numerusform>Espera %n segundos antes de reintentar.</numerusform>
            </translation>
        </message>
        <message>
            <source>You can try again now.</source>
            <translation>Ya puedes reintentarlo.</translation>
        </message>
        <message>
            <source>Copied</source>
            <translation>Copiado</translation>
        </message>
        <message>
            <source>Sending the report…</source>
            <translation>Enviando el informe…</translation>
        </message>
        <message>
            <source>Report sent. Reference: {event_id}</source>
            <translation>Informe enviado. Referencia: {event_id}</translation>
        </message>
        <message>
            <source>The report could not be sent. Copy the details instead.</source>
            <translation>No se pudo enviar el informe. Copia los detalles en su lugar.</translation>
        </message>
    </context>
    <context>
        <name>Errors</name>
        <message>
            <source>Try again in a moment.</source>
            <translation>Vuelve a intentarlo dentro de un momento.</translation>
        </message>
        <message>
            <source>Sign in again.</source>
            <translation>Vuelve a iniciar sesión.</translation>
        </message>
        <message>
            <source>Wait a little before trying again.</source>
            <translation>Espera un poco antes de volver a intentarlo.</translation>
        </message>
        <message>
            <source>Correct the input and try again.</source>
            <translation>Corrige los datos y vuelve a intentarlo.</translation>
        </message>
        <message>
            <source>Check the network connection and the server address, then try again.</source>
            <translation>Comprueba la conexión de red y la dirección del servidor, y vuelve a intentarlo.</translation>
        </message>
        <message>
            <source>Reload the data to see the current state before trying again.</source>
            <translation>Vuelve a cargar los datos para ver su estado actual antes de reintentarlo.</translation>
        </message>
        <message>
            <source>An error occurred. Please try again.</source>
            <translation>Se ha producido un error. Vuelve a intentarlo.</translation>
        </message>
        <message>
            <source>Session expired. Please login again.</source>
            <translation>La sesión ha caducado. Vuelve a iniciar sesión.</translation>
        </message>
        <message>
            <source>You are not signed in to this server.</source>
            <translation>No has iniciado sesión en este servidor.</translation>
        </message>
        <message>
            <source>Wrong e-mail address or password.</source>
            <translation>El correo electrónico o la contraseña no son correctos.</translation>
        </message>
        <message>
            <source>Enter the code from your authenticator app.</source>
            <translation>Escribe el código de tu aplicación de autenticación.</translation>
        </message>
        <message>
            <source>The two-factor code is not valid.</source>
            <translation>El código de verificación en dos pasos no es válido.</translation>
        </message>
        <message>
            <source>You do not have permission to perform this action.</source>
            <translation>No tienes permiso para realizar esta acción.</translation>
        </message>
        <message>
            <source>This action needs an administrator account.</source>
            <translation>Esta acción requiere una cuenta de administrador.</translation>
        </message>
        <message>
            <source>Only the owner of this item can change it.</source>
            <translation>Solo quien lo creó puede modificar este elemento.</translation>
        </message>
        <message>
            <source>The server refuses this because the account's e-mail address is not verified.</source>
            <translation>El servidor lo rechaza porque el correo electrónico de la cuenta no está verificado.</translation>
        </message>
        <message>
            <source>This needs membership of the community and enough reputation in it.</source>
            <translation>Para esto hay que ser miembro de la comunidad y tener suficiente reputación en ella.</translation>
        </message>
        <message>
            <source>Resource not found.</source>
            <translation>No se ha encontrado el recurso.</translation>
        </message>
        <message>
            <source>Too many requests. Please try again later.</source>
            <translation>Demasiadas peticiones. Vuelve a intentarlo más tarde.</translation>
        </message>
        <message>
            <source>Wait {seconds} seconds before trying again.</source>
            <translation>Espera {seconds} segundos antes de volver a intentarlo.</translation>
        </message>
        <message>
            <source>Server error. Please try again later.</source>
            <translation>Error del servidor. Vuelve a intentarlo más tarde.</translation>
        </message>
        <message>
            <source>Network error. Please check your connection.</source>
            <translation>Error de red. Comprueba tu conexión.</translation>
        </message>
        <message>
            <source>The server's certificate could not be verified. Check the profile's TLS settings.</source>
            <translation>No se pudo verificar el certificado del servidor. Revisa los ajustes TLS del perfil.</translation>
        </message>
        <message>
            <source>The server did not answer in time.</source>
            <translation>El servidor no ha respondido a tiempo.</translation>
        </message>
        <message>
            <source>The server rejected the data. Check the fields and try again.</source>
            <translation>El servidor ha rechazado los datos. Revisa los campos y vuelve a intentarlo.</translation>
        </message>
        <message>
            <source>The server may or may not have saved this change. Reload to check before trying again.</source>
            <translation>Puede que el servidor haya guardado este cambio o puede que no. Vuelve a cargar para comprobarlo antes de reintentarlo.</translation>
        </message>
        <message>
            <source>This change conflicts with the current data.</source>
            <translation>Este cambio entra en conflicto con los datos actuales.</translation>
        </message>
        <message>
            <source>These credits were already granted.</source>
            <translation>Estos créditos ya se habían concedido.</translation>
        </message>
        <message>
            <source>This email may already be registered.</source>
            <translation>Puede que este correo electrónico ya esté registrado.</translation>
        </message>
        <message>
            <source>The server sent an answer the application does not understand. Check the server address.</source>
            <translation>El servidor ha enviado una respuesta que la aplicación no entiende. Comprueba la dirección del servidor.</translation>
        </message>
        <message>
            <source>The server address is not valid.</source>
            <translation>La dirección del servidor no es válida.</translation>
        </message>
        <message>
            <source>Cancelled.</source>
            <translation>Cancelado.</translation>
        </message>
        <message>
            <source>The system keyring is not available; tokens will not be remembered.</source>
            <translation>El llavero del sistema no está disponible; los tokens no se recordarán.</translation>
        </message>
        <message>
            <source>The server does not know this address. Check the server URL and version.</source>
            <translation>El servidor no conoce esta dirección. Comprueba la URL y la versión del servidor.</translation>
        </message>
        <message>
            <source>Too many requests. Please try again in {seconds} seconds</source>
            <translation>Demasiadas peticiones. Vuelve a intentarlo dentro de {seconds} segundos</translation>
        </message>
        <message>
            <source>This offer no longer exists.</source>
            <translation>Esta oferta ya no existe.</translation>
        </message>
        <message>
            <source>The server moved to {address}. Use that address in the profile.</source>
            <translation>El servidor se ha trasladado a {address}. Usa esa dirección en el perfil.</translation>
        </message>
        <message>
            <source>The connection to the server was lost.</source>
            <translation>Se ha perdido la conexión con el servidor.</translation>
        </message>
    </context>
    <context>
        <name>EventEditor</name>
        <message>
            <source>Title</source>
            <translation>Título</translation>
        </message>
        <message>
            <source>Description</source>
            <translation>Descripción</translation>
        </message>
        <message>
            <source>Starts</source>
            <translation>Empieza</translation>
        </message>
        <message>
            <source>Ends</source>
            <translation>Termina</translation>
        </message>
        <message>
            <source>Address</source>
            <translation>Dirección</translation>
        </message>
        <message>
            <source>Latitude</source>
            <translation>Latitud</translation>
        </message>
        <message>
            <source>Longitude</source>
            <translation>Longitud</translation>
        </message>
        <message>
            <source>Capacity</source>
            <translation>Aforo</translation>
        </message>
        <message>
            <source>Credits for attending</source>
            <translation>Créditos por asistir</translation>
        </message>
        <message>
            <source>Community</source>
            <translation>Comunidad</translation>
        </message>
        <message>
            <source>Format</source>
            <translation>Formato</translation>
        </message>
        <message>
            <source>Tags (comma-separated)</source>
            <translation>Etiquetas (separadas por comas)</translation>
        </message>
        <message>
            <source>Requirements (comma-separated)</source>
            <translation>Requisitos (separados por comas)</translation>
        </message>
        <message>
            <source>Image address</source>
            <translation>Dirección de la imagen</translation>
        </message>
        <message>
            <source>New event</source>
            <translation>Nuevo evento</translation>
        </message>
        <message>
            <source>Edit event</source>
            <translation>Editar evento</translation>
        </message>
        <message>
            <source>Only the organizer can change an event later. Times are your local time; the server stores them in UTC.</source>
            <translation>Solo quien organiza puede cambiar un evento más adelante. Las horas son tu hora local; el servidor las guarda en UTC.</translation>
        </message>
    </context>
    <context>
        <name>EventsPage</name>
        <message>
            <source>Events</source>
            <translation>Eventos</translation>
        </message>
        <message>
            <source>New event…</source>
            <translation>Nuevo evento…</translation>
        </message>
        <message>
            <source>Edit…</source>
            <translation>Editar…</translation>
        </message>
        <message>
            <source>Delete…</source>
            <translation>Borrar…</translation>
        </message>
        <message>
            <source>Description</source>
            <translation>Descripción</translation>
        </message>
        <message>
            <source>Credits for attending</source>
            <translation>Créditos por asistir</translation>
        </message>
        <message>
            <source>Registered</source>
            <translation>Inscritos</translation>
        </message>
        <message>
            <source>Requirements</source>
            <translation>Requisitos</translation>
        </message>
        <message>
            <source>Select one event to edit it.</source>
            <translation>Selecciona un evento para editarlo.</translation>
        </message>
        <message>
            <source>Select your events to delete them.</source>
            <translation>Selecciona tus eventos para borrarlos.</translation>
        </message>
    </context>
    <context>
        <name>ExportMenu</name>
        <message numerus="yes">
            <source>Only the %n selected row(s), as shown…</source>
            <translation>
                <numerusform>Solo la fila seleccionada, tal como se ve…</numerusform>
                <numerusform>Solo las %n filas seleccionadas, tal como se ven…</numerusform>
            </translation>
        </message>
        <message numerus="yes">
            <source>Only the %n selected row(s), raw values…</source>
            <translation>
                <numerusform>Solo la fila seleccionada, valores en bruto…</numerusform>
                <numerusform>Solo las %n filas seleccionadas, valores en bruto…</numerusform>
            </translation>
        </message>
        <message>
            <source>Export CSV</source>
            <translation>Exportar CSV</translation>
        </message>
        <message>
            <source>The whole view, as shown…</source>
            <translation>Toda la vista, tal como se ve…</translation>
        </message>
        <message>
            <source>Column titles and labels as on screen, dates in your language's format.</source>
            <translation>Títulos de columna y etiquetas como en pantalla, fechas en el formato de tu idioma.</translation>
        </message>
        <message>
            <source>The whole view, raw values…</source>
            <translation>Toda la vista, valores en bruto…</translation>
        </message>
        <message>
            <source>Stored keys and values (codes, ids, ISO dates), for scripts and imports.</source>
            <translation>Claves y valores guardados (códigos, identificadores, fechas ISO), para scripts e importaciones.</translation>
        </message>
    </context>
    <context>
        <name>FacetFilter</name>
        <message>
            <source>Any {facet_lower}</source>
            <translation>Cualquier {facet_lower}</translation>
        </message>
        <message>
            <source>As on the server</source>
            <translation>Como en el servidor</translation>
        </message>
        <message>
            <source>(none)</source>
            <translation>(ninguno)</translation>
        </message>
    </context>
    <context>
        <name>FailedCreateDialog</name>
        <message>
            <source>Edit the new {what} before sending it again</source>
            <translation>Editar el nuevo registro de {what} antes de enviarlo de nuevo</translation>
        </message>
    </context>
    <context>
        <name>Fields</name>
        <message>
            <source>Title</source>
            <translation>Título</translation>
        </message>
        <message>
            <source>Name</source>
            <translation>Nombre</translation>
        </message>
        <message>
            <source>Text</source>
            <translation>Texto</translation>
        </message>
        <message>
            <source>Description</source>
            <translation>Descripción</translation>
        </message>
        <message>
            <source>Type</source>
            <translation>Tipo</translation>
        </message>
        <message>
            <source>Category</source>
            <translation>Categoría</translation>
        </message>
        <message>
            <source>Status</source>
            <translation>Estado</translation>
        </message>
        <message>
            <source>Visible to</source>
            <translation>Visible para</translation>
        </message>
        <message>
            <source>Price (€)</source>
            <translation>Precio (€)</translation>
        </message>
        <message>
            <source>Price (credits)</source>
            <translation>Precio (créditos)</translation>
        </message>
        <message>
            <source>Stock</source>
            <translation>Existencias</translation>
        </message>
        <message>
            <source>Address</source>
            <translation>Dirección</translation>
        </message>
        <message>
            <source>Location</source>
            <translation>Ubicación</translation>
        </message>
        <message>
            <source>Latitude</source>
            <translation>Latitud</translation>
        </message>
        <message>
            <source>Longitude</source>
            <translation>Longitud</translation>
        </message>
        <message>
            <source>Tags</source>
            <translation>Etiquetas</translation>
        </message>
        <message>
            <source>Images</source>
            <translation>Imágenes</translation>
        </message>
        <message>
            <source>Image</source>
            <translation>Imagen</translation>
        </message>
        <message>
            <source>Starts</source>
            <translation>Empieza</translation>
        </message>
        <message>
            <source>Ends</source>
            <translation>Termina</translation>
        </message>
        <message>
            <source>Capacity</source>
            <translation>Aforo</translation>
        </message>
        <message>
            <source>Credits for attending</source>
            <translation>Créditos por asistir</translation>
        </message>
        <message>
            <source>Community</source>
            <translation>Comunidad</translation>
        </message>
        <message>
            <source>Requirements</source>
            <translation>Requisitos</translation>
        </message>
    </context>
    <context>
        <name>Fleet</name>
        <message>
            <source>{address} is not an e-mail address.</source>
            <translation>{address} no es una dirección de correo electrónico.</translation>
        </message>
        <message>
            <source>A webhook needs an http:// or https:// URL: {url}</source>
            <translation>Un webhook necesita una URL http:// o https://: {url}</translation>
        </message>
        <message>
            <source>Signed-in data routes answer in {ms} ms.</source>
            <translation>Las rutas de datos con sesión responden en {ms} ms.</translation>
        </message>
        <message>
            <source>silenced until {time}</source>
            <translation>silenciado hasta {time}</translation>
        </message>
        <message>
            <source>maintenance window ({weekday} {start}, {minutes} min)</source>
            <translation>ventana de mantenimiento ({weekday} {start}, {minutes} min)</translation>
        </message>
        <message>
            <source>A silence must end in the future.</source>
            <translation>Un silencio debe terminar en el futuro.</translation>
        </message>
    </context>
    <context>
        <name>FleetDetailView</name>
        <message>
            <source>Time range</source>
            <translation>Intervalo de tiempo</translation>
        </message>
        <message>
            <source>Check now</source>
            <translation>Comprobar ahora</translation>
        </message>
        <message>
            <source>Check this deployment now</source>
            <translation>Comprobar este despliegue ahora</translation>
        </message>
        <message>
            <source>Silence</source>
            <translation>Silenciar</translation>
        </message>
        <message>
            <source>Silence this deployment's alerts</source>
            <translation>Silenciar las alertas de este despliegue</translation>
        </message>
        <message>
            <source>For 1 hour</source>
            <translation>Durante 1 hora</translation>
        </message>
        <message>
            <source>For 4 hours</source>
            <translation>Durante 4 horas</translation>
        </message>
        <message>
            <source>Until…</source>
            <translation>Hasta…</translation>
        </message>
        <message>
            <source>Custom…</source>
            <translation>Personalizado…</translation>
        </message>
        <message>
            <source>End the silence</source>
            <translation>Terminar el silencio</translation>
        </message>
        <message>
            <source>Export CSV…</source>
            <translation>Exportar CSV…</translation>
        </message>
        <message>
            <source>Export this range as CSV</source>
            <translation>Exportar este intervalo como CSV</translation>
        </message>
        <message>
            <source>Response times</source>
            <translation>Tiempos de respuesta</translation>
        </message>
        <message>
            <source>State over time</source>
            <translation>Estado a lo largo del tiempo</translation>
        </message>
        <message>
            <source>Problems</source>
            <translation>Problemas</translation>
        </message>
        <message>
            <source>Incidents</source>
            <translation>Incidentes</translation>
        </message>
        <message>
            <source>Alert history</source>
            <translation>Historial de alertas</translation>
        </message>
        <message>
            <source>Silence until</source>
            <translation>Silenciar hasta</translation>
        </message>
        <message>
            <source>End of the silence</source>
            <translation>Fin del silencio</translation>
        </message>
        <message>
            <source>Minutes:</source>
            <translation>Minutos:</translation>
        </message>
        <message>
            <source>Export the deployment's history</source>
            <translation>Exportar el historial del despliegue</translation>
        </message>
        <message>
            <source>CSV files (*.csv)</source>
            <translation>Archivos CSV (*.csv)</translation>
        </message>
        <message>
            <source>Samples saved to {path}: {count}</source>
            <translation>Muestras guardadas en {path}: {count}</translation>
        </message>
        <message>
            <source>The history could not be read: {error}</source>
            <translation>No se ha podido leer el historial: {error}</translation>
        </message>
        <message>
            <source>Choose a deployment above to see its history.</source>
            <translation>Elige un despliegue arriba para ver su historial.</translation>
        </message>
        <message>
            <source>Availability in this range: {text}</source>
            <translation>Disponibilidad en este intervalo: {text}</translation>
        </message>
        <message>
            <source>Checks in this range: {count}</source>
            <translation>Comprobaciones en este intervalo: {count}</translation>
        </message>
    </context>
    <context>
        <name>FleetModel</name>
        <message>
            <source>Deployment</source>
            <translation>Despliegue</translation>
        </message>
        <message>
            <source>State</source>
            <translation>Estado</translation>
        </message>
        <message>
            <source>Last 50 checks</source>
            <translation>Últimas 50 comprobaciones</translation>
        </message>
        <message>
            <source>Latency</source>
            <translation>Latencia</translation>
        </message>
        <message>
            <source>24 h</source>
            <translation>24 h</translation>
        </message>
        <message>
            <source>7 d</source>
            <translation>7 d</translation>
        </message>
        <message>
            <source>30 d</source>
            <translation>30 d</translation>
        </message>
        <message>
            <source>Incident</source>
            <translation>Incidente</translation>
        </message>
        <message>
            <source>TLS</source>
            <translation>TLS</translation>
        </message>
        <message>
            <source>Checked</source>
            <translation>Comprobado</translation>
        </message>
        <message>
            <source>Not checked yet</source>
            <translation>Aún sin comprobar</translation>
        </message>
        <message>
            <source>silenced</source>
            <translation>silenciado</translation>
        </message>
        <message>
            <source>{bad} of {count} checks failed</source>
            <translation>{bad} de {count} comprobaciones fallidas</translation>
        </message>
        <message>
            <source>{cause}, {duration}</source>
            <translation>{cause}, {duration}</translation>
        </message>
        <message>
            <source>{days} d</source>
            <translation>{days} d</translation>
        </message>
        <message>
            <source>Since {time}, worst state: {state}</source>
            <translation>Desde {time}, peor estado: {state}</translation>
        </message>
    </context>
    <context>
        <name>FleetOverview</name>
        <message>
            <source>Filter by name or tag</source>
            <translation>Filtrar por nombre o etiqueta</translation>
        </message>
        <message>
            <source>Filter deployments</source>
            <translation>Filtrar despliegues</translation>
        </message>
        <message>
            <source>Deployments</source>
            <translation>Despliegues</translation>
        </message>
        <message>
            <source>No deployment with an http(s) address to watch.</source>
            <translation>No hay ningún despliegue con dirección http(s) que vigilar.</translation>
        </message>
        <message>
            <source>In trouble: {count} of {total}</source>
            <translation>Con problemas: {count} de {total}</translation>
        </message>
        <message>
            <source>All fine ({count})</source>
            <translation>Todo bien ({count})</translation>
        </message>
    </context>
    <context>
        <name>FleetRange</name>
        <message>
            <source>15 minutes</source>
            <translation>15 minutos</translation>
        </message>
        <message>
            <source>1 hour</source>
            <translation>1 hora</translation>
        </message>
        <message>
            <source>6 hours</source>
            <translation>6 horas</translation>
        </message>
        <message>
            <source>24 hours</source>
            <translation>24 horas</translation>
        </message>
        <message>
            <source>7 days</source>
            <translation>7 días</translation>
        </message>
        <message>
            <source>30 days</source>
            <translation>30 días</translation>
        </message>
    </context>
    <context>
        <name>FleetSettingsDialog</name>
        <message>
            <source>Alert settings</source>
            <translation>Ajustes de alertas</translation>
        </message>
        <message>
            <source>Checks and alerts</source>
            <translation>Comprobaciones y alertas</translation>
        </message>
        <message>
            <source>E-mail (SMTP)</source>
            <translation>Correo electrónico (SMTP)</translation>
        </message>
        <message>
            <source>Check every (s)</source>
            <translation>Comprobar cada (s)</translation>
        </message>
        <message>
            <source>Alert after this many bad checks</source>
            <translation>Alertar tras este número de comprobaciones fallidas</translation>
        </message>
        <message>
            <source>Keep firing after recovery (s)</source>
            <translation>Mantener la alerta tras la recuperación (s)</translation>
        </message>
        <message>
            <source>Alert on degraded too</source>
            <translation>Alertar también si está degradado</translation>
        </message>
        <message>
            <source>Keep history (days)</source>
            <translation>Conservar el historial (días)</translation>
        </message>
        <message>
            <source>Webhook URLs (one per line)</source>
            <translation>URL de webhooks (una por línea)</translation>
        </message>
        <message>
            <source>Server</source>
            <translation>Servidor</translation>
        </message>
        <message>
            <source>Port</source>
            <translation>Puerto</translation>
        </message>
        <message>
            <source>STARTTLS</source>
            <translation>STARTTLS</translation>
        </message>
        <message>
            <source>User name</source>
            <translation>Nombre de usuario</translation>
        </message>
        <message>
            <source>Password (kept in the keyring)</source>
            <translation>Contraseña (se guarda en el llavero)</translation>
        </message>
        <message>
            <source>From</source>
            <translation>De</translation>
        </message>
        <message>
            <source>To (comma-separated)</source>
            <translation>Para (separados por comas)</translation>
        </message>
        <message>
            <source>unchanged</source>
            <translation>sin cambios</translation>
        </message>
        <message>
            <source>Deployment</source>
            <translation>Despliegue</translation>
        </message>
        <message>
            <source>Watched</source>
            <translation>Vigilado</translation>
        </message>
        <message>
            <source>Interval (s)</source>
            <translation>Intervalo (s)</translation>
        </message>
        <message>
            <source>Tags</source>
            <translation>Etiquetas</translation>
        </message>
        <message>
            <source>Desktop</source>
            <translation>Escritorio</translation>
        </message>
        <message>
            <source>Webhook</source>
            <translation>Webhook</translation>
        </message>
        <message>
            <source>E-mail</source>
            <translation>Correo</translation>
        </message>
        <message>
            <source>Maintenance (e.g. sat 02:00 90)</source>
            <translation>Mantenimiento (p. ej. sat 02:00 90)</translation>
        </message>
        <message>
            <source>Deployments</source>
            <translation>Despliegues</translation>
        </message>
        <message>
            <source>Send a test alert</source>
            <translation>Enviar una alerta de prueba</translation>
        </message>
        <message>
            <source>{name}: the interval must be a number of seconds.</source>
            <translation>{name}: el intervalo debe ser un número de segundos.</translation>
        </message>
        <message>
            <source>{name}: cannot read the maintenance window “{part}” (write e.g. sat 02:00 90).</source>
            <translation>{name}: no se puede leer la ventana de mantenimiento «{part}» (escribe p. ej. sat 02:00 90).</translation>
        </message>
        <message>
            <source>No webhook or e-mail is set up yet.</source>
            <translation>Aún no hay ningún webhook ni correo configurado.</translation>
        </message>
        <message>
            <source>Sending…</source>
            <translation>Enviando…</translation>
        </message>
        <message>
            <source>✓ {channel} {target}</source>
            <translation>✓ {channel} {target}</translation>
        </message>
        <message>
            <source>✗ {channel} {target}: {detail}</source>
            <translation>✗ {channel} {target}: {detail}</translation>
        </message>
    </context>
    <context>
        <name>FleetWatch</name>
        <message>
            <source>Recovered: {profile}</source>
            <translation>Recuperado: {profile}</translation>
        </message>
        <message>
            <source>Alert: {profile}</source>
            <translation>Alerta: {profile}</translation>
        </message>
    </context>
    <context>
        <name>Format</name>
        <message>
            <source>never</source>
            <translation>nunca</translation>
        </message>
        <message>
            <source>just now</source>
            <translation>ahora mismo</translation>
        </message>
        <message numerus="yes">
            <source>%n min ago</source>
            <translation>
                <numerusform>hace %n min</numerusform>
                <numerusform>hace %n min</numerusform>
            </translation>
        </message>
        <message numerus="yes">
            <source>%n h ago</source>
            <translation>
                <numerusform>hace %n h</numerusform>
                <numerusform>hace %n h</numerusform>
            </translation>
        </message>
        <message numerus="yes">
            <source>%n day(s) ago</source>
            <translation>
                <numerusform>hace %n día</numerusform>
                <numerusform>hace %n días</numerusform>
            </translation>
        </message>
        <message>
            <source>{d} d {h} h</source>
            <translation>{d} d {h} h</translation>
        </message>
        <message>
            <source>{h} h {m} min</source>
            <translation>{h} h {m} min</translation>
        </message>
        <message>
            <source>{m} min</source>
            <translation>{m} min</translation>
        </message>
        <message>
            <source>{s} s</source>
            <translation>{s} s</translation>
        </message>
        <message>
            <source>{label}:</source>
            <translation>{label}:</translation>
        </message>
    </context>
    <context>
        <name>GrantDialog</name>
        <message>
            <source>Grant credits</source>
            <translation>Conceder créditos</translation>
        </message>
        <message>
            <source>Credits are whole numbers and can only be added: the server has no way to take them back. Each grant carries its own unique reference, so sending it again after a failure never pays twice.</source>
            <translation>Los créditos son números enteros y solo se pueden añadir: el servidor no tiene forma de retirarlos. Cada concesión lleva su propia referencia única, así que volver a enviarla tras un fallo nunca paga dos veces.</translation>
        </message>
        <message>
            <source>Person</source>
            <translation>Persona</translation>
        </message>
        <message>
            <source>Credits</source>
            <translation>Créditos</translation>
        </message>
        <message>
            <source>Reason</source>
            <translation>Motivo</translation>
        </message>
        <message>
            <source>Description (optional)</source>
            <translation>Descripción (opcional)</translation>
        </message>
        <message>
            <source>Grant</source>
            <translation>Conceder</translation>
        </message>
        <message>
            <source>{amount} credits to {person}</source>
            <translation>{amount} créditos para {person}</translation>
        </message>
    </context>
    <context>
        <name>Health</name>
        <message>
            <source>Healthy</source>
            <translation>En buen estado</translation>
        </message>
        <message>
            <source>Degraded</source>
            <translation>Degradado</translation>
        </message>
        <message>
            <source>Unhealthy (database down)</source>
            <translation>Con fallos (base de datos caída)</translation>
        </message>
        <message>
            <source>Backend down</source>
            <translation>Servidor caído</translation>
        </message>
        <message>
            <source>Unknown</source>
            <translation>Desconocido</translation>
        </message>
        <message>
            <source>The database is down.</source>
            <translation>La base de datos está caída.</translation>
        </message>
        <message>
            <source>Slow answer: {latency:.0f} ms (limit {limit:.0f} ms).</source>
            <translation>Respuesta lenta: {latency:.0f} ms (límite {limit:.0f} ms).</translation>
        </message>
        <message>
            <source>Slow database: {latency} ms for SELECT 1.</source>
            <translation>Base de datos lenta: {latency} ms para SELECT 1.</translation>
        </message>
        <message>
            <source>Heap almost full: {used} of {total} MB.</source>
            <translation>Heap casi lleno: {used} de {total} MB.</translation>
        </message>
        <message>
            <source>Little free memory on the host: {free} of {total} MB.</source>
            <translation>Queda poca memoria libre en la máquina: {free} de {total} MB.</translation>
        </message>
        <message>
            <source>The server answered without a known status ({status}).</source>
            <translation>El servidor ha respondido sin un estado conocido ({status}).</translation>
        </message>
        <message>
            <source>none</source>
            <translation>ninguno</translation>
        </message>
        <message>
            <source>No connection to {url} within the timeout.</source>
            <translation>No se pudo conectar con {url} dentro del tiempo de espera.</translation>
        </message>
        <message>
            <source>{url} did not answer within the timeout.</source>
            <translation>{url} no ha respondido dentro del tiempo de espera.</translation>
        </message>
        <message>
            <source>Cannot connect to {url}: {reason}</source>
            <translation>No se puede conectar con {url}: {reason}</translation>
        </message>
        <message>
            <source>{url} closed the connection without a valid answer.</source>
            <translation>{url} ha cerrado la conexión sin una respuesta válida.</translation>
        </message>
        <message>
            <source>Request to {url} failed: {reason}</source>
            <translation>La petición a {url} ha fallado: {reason}</translation>
        </message>
        <message>
            <source>{url} answered 200 but not with JSON.</source>
            <translation>{url} ha respondido 200, pero no con JSON.</translation>
        </message>
        <message>
            <source>{url} answered 200 with unexpected JSON.</source>
            <translation>{url} ha respondido 200 con un JSON inesperado.</translation>
        </message>
        <message>
            <source>{url} answered HTTP {code}.</source>
            <translation>{url} ha respondido HTTP {code}.</translation>
        </message>
        <message>
            <source>{url} refused the poll: rate limited (HTTP 429). Poll less often.</source>
            <translation>{url} ha rechazado la consulta por límite de peticiones (HTTP 429). Consulta con menos frecuencia.</translation>
        </message>
        <message>
            <source>The process answers /health.</source>
            <translation>El proceso responde en /health.</translation>
        </message>
    </context>
    <context>
        <name>HealthChart</name>
        <message>
            <source>Response time (ms)</source>
            <translation>Tiempo de respuesta (ms)</translation>
        </message>
        <message>
            <source>Database SELECT 1 (ms)</source>
            <translation>SELECT 1 en la base de datos (ms)</translation>
        </message>
        <message>
            <source>Server state</source>
            <translation>Estado del servidor</translation>
        </message>
        <message>
            <source>Milliseconds</source>
            <translation>Milisegundos</translation>
        </message>
        <message>
            <source>Health chart: response time and server state</source>
            <translation>Gráfico de salud: tiempo de respuesta y estado del servidor</translation>
        </message>
        <message>
            <source>Healthy</source>
            <translation>En buen estado</translation>
        </message>
        <message>
            <source>Unknown</source>
            <translation>Desconocido</translation>
        </message>
        <message>
            <source>Degraded</source>
            <translation>Degradado</translation>
        </message>
        <message>
            <source>Unhealthy</source>
            <translation>Con fallos</translation>
        </message>
        <message>
            <source>Down</source>
            <translation>Caído</translation>
        </message>
        <message>
            <source>No health samples in this period.</source>
            <translation>No hay muestras de salud en este periodo.</translation>
        </message>
        <message numerus="yes">
            <source>%n sample(s)</source>
            <translation>
                <numerusform>%n muestra</numerusform>
                <numerusform>%n muestras</numerusform>
            </translation>
        </message>
        <message>
            <source>Response time from {low} to {high} ms</source>
            <translation>Tiempo de respuesta de {low} a {high} ms</translation>
        </message>
        <message>
            <source>States: {states}</source>
            <translation>Estados: {states}</translation>
        </message>
    </context>
    <context>
        <name>HealthPage</name>
        <message>
            <source>Health</source>
            <translation>Estado</translation>
        </message>
        <message>
            <source>Alert settings…</source>
            <translation>Ajustes de alertas…</translation>
        </message>
        <message>
            <source>Check intervals, alert periods, webhooks, e-mail and maintenance windows</source>
            <translation>Intervalos de comprobación, periodos de alerta, webhooks, correo y ventanas de mantenimiento</translation>
        </message>
        <message>
            <source>Deployment detail</source>
            <translation>Detalle del despliegue</translation>
        </message>
        <message>
            <source>Active server, live</source>
            <translation>Servidor activo, en directo</translation>
        </message>
        <message>
            <source>Check now</source>
            <translation>Comprobar ahora</translation>
        </message>
        <message>
            <source>Poll the server's health now (F5)</source>
            <translation>Consultar ahora el estado del servidor (F5)</translation>
        </message>
        <message>
            <source>Export CSV…</source>
            <translation>Exportar CSV…</translation>
        </message>
        <message>
            <source>Save the samples of the chosen period as CSV</source>
            <translation>Guardar como CSV las mediciones del periodo elegido</translation>
        </message>
        <message>
            <source>Notify me of state changes (system tray)</source>
            <translation>Avisarme de los cambios de estado (bandeja del sistema)</translation>
        </message>
        <message>
            <source>Availability, 24 hours</source>
            <translation>Disponibilidad, 24 horas</translation>
        </message>
        <message>
            <source>Availability, 7 days</source>
            <translation>Disponibilidad, 7 días</translation>
        </message>
        <message>
            <source>Samples in the period</source>
            <translation>Mediciones en el periodo</translation>
        </message>
        <message>
            <source>Incidents in the period</source>
            <translation>Incidencias en el periodo</translation>
        </message>
        <message>
            <source>Incidents</source>
            <translation>Incidencias</translation>
        </message>
        <message>
            <source>Worst state</source>
            <translation>Peor estado</translation>
        </message>
        <message>
            <source>Started</source>
            <translation>Inicio</translation>
        </message>
        <message>
            <source>Ended</source>
            <translation>Fin</translation>
        </message>
        <message>
            <source>Duration</source>
            <translation>Duración</translation>
        </message>
        <message>
            <source>Samples</source>
            <translation>Mediciones</translation>
        </message>
        <message>
            <source>No incident in this period.</source>
            <translation>Ninguna incidencia en este periodo.</translation>
        </message>
        <message>
            <source>The history could not be read from the local store.</source>
            <translation>No se pudo leer el historial del almacén local.</translation>
        </message>
        <message>
            <source>Connect to a server to watch its health.</source>
            <translation>Conéctate a un servidor para vigilar su estado.</translation>
        </message>
        <message>
            <source>Reading the history…</source>
            <translation>Leyendo el historial…</translation>
        </message>
        <message>
            <source>Not connected: showing the stored history; no new samples are taken.</source>
            <translation>Sin conexión: se muestra el historial guardado; no se toman mediciones nuevas.</translation>
        </message>
        <message>
            <source>Polling every {seconds} s; the history is kept for 30 days.</source>
            <translation>Se consulta cada {seconds} s; el historial se conserva 30 días.</translation>
        </message>
        <message>
            <source>Not checked</source>
            <translation>Sin comprobar</translation>
        </message>
        <message>
            <source>Checked at {time}</source>
            <translation>Comprobado a las {time}</translation>
        </message>
        <message>
            <source>ongoing</source>
            <translation>en curso</translation>
        </message>
        <message>
            <source>{duration} so far</source>
            <translation>{duration} hasta ahora</translation>
        </message>
        <message>
            <source>Export the health history</source>
            <translation>Exportar el historial de estado</translation>
        </message>
        <message>
            <source>CSV files (*.csv)</source>
            <translation>Archivos CSV (*.csv)</translation>
        </message>
        <message numerus="yes">
            <source>Saved %n sample(s) to {path}.</source>
            <translation>
                <numerusform>Se ha guardado %n medición en {path}.</numerusform>
                <numerusform>Se han guardado %n mediciones en {path}.</numerusform>
            </translation>
        </message>
    </context>
    <context>
        <name>HealthRange</name>
        <message>
            <source>Last hour</source>
            <translation>Última hora</translation>
        </message>
        <message>
            <source>Last 24 hours</source>
            <translation>Últimas 24 horas</translation>
        </message>
        <message>
            <source>Last 7 days</source>
            <translation>Últimos 7 días</translation>
        </message>
    </context>
    <context>
        <name>IncidentsModel</name>
        <message>
            <source>Started</source>
            <translation>Inicio</translation>
        </message>
        <message>
            <source>Duration</source>
            <translation>Duración</translation>
        </message>
        <message>
            <source>Worst state</source>
            <translation>Peor estado</translation>
        </message>
        <message>
            <source>Cause</source>
            <translation>Causa</translation>
        </message>
        <message>
            <source>Checks</source>
            <translation>Comprobaciones</translation>
        </message>
        <message>
            <source>{duration} so far</source>
            <translation>{duration} hasta ahora</translation>
        </message>
    </context>
    <context>
        <name>LogLinks</name>
        <message>
            <source>Show in logs</source>
            <translation>Ver en los registros</translation>
        </message>
        <message>
            <source>Show the log records of request {id}</source>
            <translation>Ver los registros de la petición {id}</translation>
        </message>
    </context>
    <context>
        <name>LogViewer</name>
        <message>
            <source>Request {id}: click to show all its records</source>
            <translation>Petición {id}: haz clic para ver todos sus registros</translation>
        </message>
        <message>
            <source>Time</source>
            <translation>Hora</translation>
        </message>
        <message>
            <source>Level</source>
            <translation>Nivel</translation>
        </message>
        <message>
            <source>Module</source>
            <translation>Módulo</translation>
        </message>
        <message>
            <source>Request</source>
            <translation>Petición</translation>
        </message>
        <message>
            <source>Message</source>
            <translation>Mensaje</translation>
        </message>
    </context>
    <context>
        <name>Login</name>
        <message>
            <source>Your session has expired. Sign in again to continue.</source>
            <translation>Tu sesión ha caducado. Vuelve a iniciar sesión para continuar.</translation>
        </message>
    </context>
    <context>
        <name>LoginDialog</name>
        <message>
            <source>Sign in — Viva Desktop</source>
            <translation>Iniciar sesión — Viva Desktop</translation>
        </message>
        <message>
            <source>Sign in to a Comunidad Viva server</source>
            <translation>Inicia sesión en un servidor de Comunidad Viva</translation>
        </message>
        <message>
            <source>Server:</source>
            <translation>Servidor:</translation>
        </message>
        <message>
            <source>E-mail:</source>
            <translation>Correo electrónico:</translation>
        </message>
        <message>
            <source>Password:</source>
            <translation>Contraseña:</translation>
        </message>
        <message>
            <source>Code:</source>
            <translation>Código:</translation>
        </message>
        <message>
            <source>name@example.org</source>
            <translation>nombre@ejemplo.org</translation>
        </message>
        <message>
            <source>123456 or backup code</source>
            <translation>123456 o código de respaldo</translation>
        </message>
        <message>
            <source>This account uses two-factor authentication. Enter the 6-digit code from your authenticator app, or one of your 8-character backup codes.</source>
            <translation>Esta cuenta usa verificación en dos pasos. Escribe el código de 6 cifras de tu aplicación de autenticación o uno de tus códigos de respaldo de 8 caracteres.</translation>
        </message>
        <message>
            <source>Add a server profile</source>
            <translation>Añadir un perfil de servidor</translation>
        </message>
        <message>
            <source>Edit the selected profile</source>
            <translation>Editar el perfil seleccionado</translation>
        </message>
        <message>
            <source>Remove the selected profile</source>
            <translation>Eliminar el perfil seleccionado</translation>
        </message>
        <message>
            <source>Sign in</source>
            <translation>Iniciar sesión</translation>
        </message>
        <message>
            <source>Review local data (offline)</source>
            <translation>Revisar los datos locales (sin conexión)</translation>
        </message>
        <message>
            <source>Open the local copy of the data without connecting to the server</source>
            <translation>Abrir la copia local de los datos sin conectarse al servidor</translation>
        </message>
        <message>
            <source>Cancel</source>
            <translation>Cancelar</translation>
        </message>
        <message>
            <source>No system keyring is available.</source>
            <translation>No hay ningún llavero del sistema disponible.</translation>
        </message>
        <message>
            <source>You will need to sign in each time you start the app.</source>
            <translation>Tendrás que iniciar sesión cada vez que abras la aplicación.</translation>
        </message>
        <message>
            <source>Add a server profile to sign in.</source>
            <translation>Añade un perfil de servidor para iniciar sesión.</translation>
        </message>
        <message>
            <source>The built-in practice server, started on this computer</source>
            <translation>El servidor de prácticas integrado, que se arranca en este ordenador</translation>
        </message>
        <message>
            <source>Sandbox demo: sign in as {email} with the password {password}. Its data is made up and is reset every time the app starts.</source>
            <translation>Demo del sandbox: inicia sesión como {email} con la contraseña {password}. Sus datos son ficticios y se restablecen cada vez que se abre la aplicación.</translation>
        </message>
        <message>
            <source>Remove profile</source>
            <translation>Eliminar perfil</translation>
        </message>
        <message>
            <source>Remove the server profile “{name}”? Its local data stays in the store.</source>
            <translation>¿Eliminar el perfil de servidor «{name}»? Sus datos locales se quedan en el almacén.</translation>
        </message>
        <message>
            <source>Enter the code to continue.</source>
            <translation>Escribe el código para continuar.</translation>
        </message>
        <message>
            <source>Connecting to {name}…</source>
            <translation>Conectando con {name}…</translation>
        </message>
        <message>
            <source>Signing in as {email}…</source>
            <translation>Iniciando sesión como {email}…</translation>
        </message>
        <message>
            <source>Stop</source>
            <translation>Detener</translation>
        </message>
        <message>
            <source>Two-factor authentication is on for this account.</source>
            <translation>Esta cuenta tiene activada la verificación en dos pasos.</translation>
        </message>
        <message>
            <source>The sign-in did not complete.</source>
            <translation>No se pudo completar el inicio de sesión.</translation>
        </message>
    </context>
    <context>
        <name>LogsPage</name>
        <message>
            <source>Search the log</source>
            <translation>Buscar en el registro</translation>
        </message>
        <message>
            <source>Log records</source>
            <translation>Registros</translation>
        </message>
        <message>
            <source>Details of the selected record</source>
            <translation>Detalles del registro seleccionado</translation>
        </message>
        <message>
            <source>Logs</source>
            <translation>Registros</translation>
        </message>
        <message>
            <source>Level:</source>
            <translation>Nivel:</translation>
        </message>
        <message>
            <source>Everything (debug)</source>
            <translation>Todo (depuración)</translation>
        </message>
        <message>
            <source>Information and above</source>
            <translation>Información y superior</translation>
        </message>
        <message>
            <source>Warnings and errors</source>
            <translation>Avisos y errores</translation>
        </message>
        <message>
            <source>Errors only</source>
            <translation>Solo errores</translation>
        </message>
        <message>
            <source>Module:</source>
            <translation>Módulo:</translation>
        </message>
        <message>
            <source>all modules</source>
            <translation>todos los módulos</translation>
        </message>
        <message>
            <source>Search the messages (Ctrl+F)</source>
            <translation>Buscar en los mensajes (Ctrl+F)</translation>
        </message>
        <message>
            <source>Pause scrolling</source>
            <translation>Pausar el desplazamiento</translation>
        </message>
        <message>
            <source>Keep the view still; new records are still collected</source>
            <translation>Deja la vista quieta; los registros nuevos se siguen recogiendo</translation>
        </message>
        <message>
            <source>Clear view</source>
            <translation>Vaciar la vista</translation>
        </message>
        <message>
            <source>Open log folder</source>
            <translation>Abrir la carpeta de registros</translation>
        </message>
        <message>
            <source>The JSON log files: {path}</source>
            <translation>Los archivos de registro JSON: {path}</translation>
        </message>
        <message>
            <source>Show all records</source>
            <translation>Ver todos los registros</translation>
        </message>
        <message>
            <source>Live logs are not available: logging was not set up by the application.</source>
            <translation>Los registros en directo no están disponibles: la aplicación no ha configurado el registro.</translation>
        </message>
        <message>
            <source>Resume scrolling</source>
            <translation>Reanudar el desplazamiento</translation>
        </message>
        <message numerus="yes">
            <source>%n record(s) of request {id}.</source>
            <translation>
                <numerusform>%n registro de la petición {id}.</numerusform>
                <numerusform>%n registros de la petición {id}.</numerusform>
            </translation>
        </message>
        <message>
            <source>No record of request {id} is in the live log. Requests are logged at the debug level: set the log level to DEBUG in the settings to keep them.</source>
            <translation>No hay ningún registro de la petición {id} en el registro en directo. Las peticiones se registran en el nivel de depuración: pon el nivel de registro en DEBUG en los ajustes para conservarlas.</translation>
        </message>
        <message>
            <source>Time</source>
            <translation>Hora</translation>
        </message>
        <message>
            <source>Level</source>
            <translation>Nivel</translation>
        </message>
        <message>
            <source>Module</source>
            <translation>Módulo</translation>
        </message>
        <message>
            <source>Where</source>
            <translation>Dónde</translation>
        </message>
        <message>
            <source>Thread</source>
            <translation>Hilo</translation>
        </message>
        <message>
            <source>Server profile</source>
            <translation>Perfil de servidor</translation>
        </message>
        <message>
            <source>Request</source>
            <translation>Petición</translation>
        </message>
    </context>
    <context>
        <name>MainWindow</name>
        <message>
            <source>&amp;File</source>
            <translation>&amp;Archivo</translation>
        </message>
        <message>
            <source>&amp;View</source>
            <translation>&amp;Ver</translation>
        </message>
        <message>
            <source>&amp;Help</source>
            <translation>A&amp;yuda</translation>
        </message>
        <message>
            <source>&amp;Connect to a server…</source>
            <translation>&amp;Conectar con un servidor…</translation>
        </message>
        <message>
            <source>Sign &amp;out</source>
            <translation>Cerrar &amp;sesión</translation>
        </message>
        <message>
            <source>&amp;Settings…</source>
            <translation>&amp;Preferencias…</translation>
        </message>
        <message>
            <source>&amp;Quit</source>
            <translation>&amp;Salir</translation>
        </message>
        <message>
            <source>&amp;Refresh</source>
            <translation>&amp;Actualizar</translation>
        </message>
        <message>
            <source>&amp;Find</source>
            <translation>&amp;Buscar</translation>
        </message>
        <message>
            <source>&amp;About Viva Desktop</source>
            <translation>&amp;Acerca de Viva Desktop</translation>
        </message>
        <message>
            <source>Viva Desktop</source>
            <translation>Viva Desktop</translation>
        </message>
        <message>
            <source>&amp;Keyboard shortcuts</source>
            <translation>&amp;Atajos de teclado</translation>
        </message>
        <message>
            <source>(offline)</source>
            <translation>(sin conexión)</translation>
        </message>
        <message>
            <source>Needs an administrator account</source>
            <translation>Requiere una cuenta de administrador</translation>
        </message>
        <message>
            <source>Starting Viva Desktop…</source>
            <translation>Iniciando Viva Desktop…</translation>
        </message>
        <message>
            <source>About Viva Desktop</source>
            <translation>Acerca de Viva Desktop</translation>
        </message>
        <message>
            <source>&lt;b&gt;Viva Desktop {version}&lt;/b&gt;&lt;br&gt;A desktop companion for coordinators and administrators of Comunidad Viva deployments: review and edit community data, work offline, watch the server's health and audit its configuration.</source>
            <translation>&lt;b&gt;Viva Desktop {version}&lt;/b&gt;&lt;br&gt;La aplicación de escritorio para quienes coordinan y administran instalaciones de Comunidad Viva: revisa y edita los datos de las comunidades, trabaja sin conexión, vigila el estado del servidor y audita su configuración.</translation>
        </message>
        <message>
            <source>You signed out.</source>
            <translation>Has cerrado la sesión.</translation>
        </message>
    </context>
    <context>
        <name>MembersPage</name>
        <message>
            <source>Members</source>
            <translation>Miembros</translation>
        </message>
        <message>
            <source>Grant credits…</source>
            <translation>Conceder créditos…</translation>
        </message>
        <message>
            <source>The server offers no list of its users: this list is assembled from the communities' member lists and from the authors of offers, events, posts and comments that were synced. It may be incomplete: people who joined no public community and wrote nothing are not in it.</source>
            <translation>El servidor no ofrece una lista de sus usuarios: esta lista se forma con las listas de miembros de las comunidades y con los autores de las ofertas, eventos, publicaciones y comentarios sincronizados. Puede estar incompleta: no aparecen las personas que no se unieron a ninguna comunidad pública ni escribieron nada.</translation>
        </message>
        <message>
            <source>About</source>
            <translation>Sobre mí</translation>
        </message>
        <message>
            <source>Neighbourhood</source>
            <translation>Barrio</translation>
        </message>
        <message>
            <source>Generosity score</source>
            <translation>Puntuación de generosidad</translation>
        </message>
        <message>
            <source>People helped</source>
            <translation>Personas ayudadas</translation>
        </message>
        <message>
            <source>Hours shared</source>
            <translation>Horas compartidas</translation>
        </message>
        <message>
            <source>Interests</source>
            <translation>Intereses</translation>
        </message>
        <message>
            <source>Select one person to grant credits to.</source>
            <translation>Selecciona una persona para concederle créditos.</translation>
        </message>
    </context>
    <context>
        <name>MembershipDecisionDialog</name>
        <message>
            <source>Approve membership requests</source>
            <translation>Aprobar solicitudes de ingreso</translation>
        </message>
        <message>
            <source>Reject membership requests</source>
            <translation>Rechazar solicitudes de ingreso</translation>
        </message>
        <message numerus="yes">
            <source>Approve %n request(s) to join {community}?</source>
            <translation>
                <numerusform>¿Aprobar %n solicitud para unirse a {community}?</numerusform>
                <numerusform>¿Aprobar %n solicitudes para unirse a {community}?</numerusform>
            </translation>
        </message>
        <message numerus="yes">
            <source>Reject %n request(s) to join {community}?</source>
            <translation>
                <numerusform>¿Rechazar %n solicitud para unirse a {community}?</numerusform>
                <numerusform>¿Rechazar %n solicitudes para unirse a {community}?</numerusform>
            </translation>
        </message>
        <message>
            <source>Note for the person (optional)</source>
            <translation>Nota para la persona (opcional)</translation>
        </message>
        <message>
            <source>Approve</source>
            <translation>Aprobar</translation>
        </message>
        <message>
            <source>Reject</source>
            <translation>Rechazar</translation>
        </message>
    </context>
    <context>
        <name>MembershipPanel</name>
        <message>
            <source>Membership requests</source>
            <translation>Solicitudes de ingreso</translation>
        </message>
        <message>
            <source>Reload</source>
            <translation>Volver a cargar</translation>
        </message>
        <message>
            <source>Approve…</source>
            <translation>Aprobar…</translation>
        </message>
        <message>
            <source>Reject…</source>
            <translation>Rechazar…</translation>
        </message>
        <message>
            <source>Select a community to see its membership requests.</source>
            <translation>Selecciona una comunidad para ver sus solicitudes de ingreso.</translation>
        </message>
        <message>
            <source>Anyone can join {community} directly: it needs no approval.</source>
            <translation>Cualquiera puede unirse a {community} directamente: no requiere aprobación.</translation>
        </message>
        <message>
            <source>Membership requests are read from the server: connect to review them.</source>
            <translation>Las solicitudes de ingreso se leen del servidor: conéctate para revisarlas.</translation>
        </message>
        <message>
            <source>Reading the requests…</source>
            <translation>Leyendo las solicitudes…</translation>
        </message>
        <message numerus="yes">
            <source>%n pending request(s).</source>
            <translation>
                <numerusform>%n solicitud pendiente.</numerusform>
                <numerusform>%n solicitudes pendientes.</numerusform>
            </translation>
        </message>
        <message>
            <source>No pending requests.</source>
            <translation>No hay solicitudes pendientes.</translation>
        </message>
        <message>
            <source>The requests could not be read.</source>
            <translation>No se han podido leer las solicitudes.</translation>
        </message>
        <message>
            <source>Select one or more requests.</source>
            <translation>Selecciona una o varias solicitudes.</translation>
        </message>
        <message numerus="yes">
            <source>%n decision(s) queued until the server is back online.</source>
            <translation>
                <numerusform>%n decisión en cola hasta que el servidor vuelva a estar disponible.</numerusform>
                <numerusform>%n decisiones en cola hasta que el servidor vuelva a estar disponible.</numerusform>
            </translation>
        </message>
    </context>
    <context>
        <name>Moderation</name>
        <message>
            <source>{keep}: {keep_votes} · {remove}: {remove_votes} · {warn}: {warn_votes} · {total} of {quorum} votes</source>
            <translation>{keep}: {keep_votes} · {remove}: {remove_votes} · {warn}: {warn_votes} · {total} de {quorum} votos</translation>
        </message>
    </context>
    <context>
        <name>ModerationPage</name>
        <message>
            <source>Moderation</source>
            <translation>Moderación</translation>
        </message>
        <message>
            <source>Vote…</source>
            <translation>Votar…</translation>
        </message>
        <message>
            <source>Title</source>
            <translation>Título</translation>
        </message>
        <message>
            <source>Name</source>
            <translation>Nombre</translation>
        </message>
        <message>
            <source>Content</source>
            <translation>Contenido</translation>
        </message>
        <message>
            <source>Description</source>
            <translation>Descripción</translation>
        </message>
        <message>
            <source>Author</source>
            <translation>Autor</translation>
        </message>
        <message>
            <source>Reported because</source>
            <translation>Denunciado porque</translation>
        </message>
        <message>
            <source>Votes so far</source>
            <translation>Votos hasta ahora</translation>
        </message>
        <message>
            <source>Jurors who voted</source>
            <translation>Miembros del jurado que han votado</translation>
        </message>
        <message>
            <source>Select one case to vote on it.</source>
            <translation>Selecciona un caso para votarlo.</translation>
        </message>
    </context>
    <context>
        <name>OfferEditor</name>
        <message>
            <source>Title</source>
            <translation>Título</translation>
        </message>
        <message>
            <source>Type</source>
            <translation>Tipo</translation>
        </message>
        <message>
            <source>Category</source>
            <translation>Categoría</translation>
        </message>
        <message>
            <source>Description</source>
            <translation>Descripción</translation>
        </message>
        <message>
            <source>Price (€)</source>
            <translation>Precio (€)</translation>
        </message>
        <message>
            <source>Price (credits)</source>
            <translation>Precio (créditos)</translation>
        </message>
        <message>
            <source>Stock</source>
            <translation>Existencias</translation>
        </message>
        <message>
            <source>Address</source>
            <translation>Dirección</translation>
        </message>
        <message>
            <source>Latitude</source>
            <translation>Latitud</translation>
        </message>
        <message>
            <source>Longitude</source>
            <translation>Longitud</translation>
        </message>
        <message>
            <source>Tags (comma-separated)</source>
            <translation>Etiquetas (separadas por comas)</translation>
        </message>
        <message>
            <source>Image addresses (comma-separated)</source>
            <translation>Direcciones de imágenes (separadas por comas)</translation>
        </message>
        <message>
            <source>New offer</source>
            <translation>Nueva oferta</translation>
        </message>
        <message>
            <source>Edit offer</source>
            <translation>Editar oferta</translation>
        </message>
        <message>
            <source>Offers are listed publicly. The server keeps plain text only, and an offer cannot be paused: it can only be cancelled.</source>
            <translation>Las ofertas se publican para todo el mundo. El servidor solo guarda texto sin formato, y una oferta no se puede pausar: solo se puede cancelar.</translation>
        </message>
    </context>
    <context>
        <name>OffersPage</name>
        <message>
            <source>Offers</source>
            <translation>Ofertas</translation>
        </message>
        <message>
            <source>New offer…</source>
            <translation>Nueva oferta…</translation>
        </message>
        <message>
            <source>Edit…</source>
            <translation>Editar…</translation>
        </message>
        <message>
            <source>Cancel offer…</source>
            <translation>Cancelar oferta…</translation>
        </message>
        <message>
            <source>Description</source>
            <translation>Descripción</translation>
        </message>
        <message>
            <source>Tags</source>
            <translation>Etiquetas</translation>
        </message>
        <message>
            <source>Address</source>
            <translation>Dirección</translation>
        </message>
        <message>
            <source>Views</source>
            <translation>Visitas</translation>
        </message>
        <message>
            <source>Stock</source>
            <translation>Existencias</translation>
        </message>
        <message>
            <source>Select one offer to edit it.</source>
            <translation>Selecciona una oferta para editarla.</translation>
        </message>
        <message>
            <source>Select your offers to cancel them.</source>
            <translation>Selecciona tus ofertas para cancelarlas.</translation>
        </message>
    </context>
    <context>
        <name>OfflineAccountChooser</name>
        <message>
            <source>Review as another account…</source>
            <translation>Revisar como otra cuenta…</translation>
        </message>
        <message>
            <source>Show the local data of another account that signed in on this profile.</source>
            <translation>Mostrar los datos locales de otra cuenta que inició sesión en este perfil.</translation>
        </message>
        <message>
            <source>Available in offline review; signed in, you see your own account.</source>
            <translation>Disponible en la revisión sin conexión; con la sesión iniciada ves tu propia cuenta.</translation>
        </message>
        <message>
            <source>Review as another account</source>
            <translation>Revisar como otra cuenta</translation>
        </message>
        <message>
            <source>No account has signed in on this profile yet.</source>
            <translation>Ninguna cuenta ha iniciado sesión todavía en este perfil.</translation>
        </message>
        <message>
            <source>Whose local data to review:</source>
            <translation>De qué cuenta revisar los datos locales:</translation>
        </message>
    </context>
    <context>
        <name>Outbox</name>
        <message>
            <source>The record was changed on the server since it was synced.</source>
            <translation>El registro se modificó en el servidor después de sincronizarlo.</translation>
        </message>
        <message>
            <source>The record was deleted on the server.</source>
            <translation>El registro se eliminó en el servidor.</translation>
        </message>
        <message>
            <source>The server did not confirm the creation and the record was not found.</source>
            <translation>El servidor no confirmó la creación y el registro no aparece.</translation>
        </message>
        <message>
            <source>A known defect of this server: it cannot create this kind of record at all. It will keep failing until the server is fixed; copy the text to keep it.</source>
            <translation>Un defecto conocido de este servidor: no puede crear este tipo de registro. Seguirá fallando hasta que se corrija el servidor; copia el texto para conservarlo.</translation>
        </message>
        <message>
            <source>The server failed twice while creating it, and it was not created. It may be a problem with this record's content or with the server; retry later or edit it.</source>
            <translation>El servidor falló dos veces al crearlo y no se creó. Puede ser un problema del contenido de este registro o del servidor; reinténtalo más tarde o edítalo.</translation>
        </message>
        <message>
            <source>The server refused to create it.</source>
            <translation>El servidor se negó a crearlo.</translation>
        </message>
    </context>
    <context>
        <name>OutboxPanel</name>
        <message>
            <source>Changes waiting to be sent</source>
            <translation>Cambios pendientes de enviar</translation>
        </message>
        <message>
            <source>Send now</source>
            <translation>Enviar ahora</translation>
        </message>
        <message>
            <source>Resolve conflict…</source>
            <translation>Resolver conflicto…</translation>
        </message>
        <message>
            <source>Retry</source>
            <translation>Reintentar</translation>
        </message>
        <message>
            <source>Discard…</source>
            <translation>Descartar…</translation>
        </message>
        <message>
            <source>Edit…</source>
            <translation>Editar…</translation>
        </message>
        <message>
            <source>Change a new record the server could not create</source>
            <translation>Cambiar un registro nuevo que el servidor no pudo crear</translation>
        </message>
        <message>
            <source>Copy as text</source>
            <translation>Copiar como texto</translation>
        </message>
        <message>
            <source>Copy what the selected changes send, as text</source>
            <translation>Copiar como texto lo que envían los cambios seleccionados</translation>
        </message>
        <message>
            <source>Show sent changes too</source>
            <translation>Mostrar también los cambios enviados</translation>
        </message>
        <message>
            <source>Changes queued by other accounts</source>
            <translation>Cambios en cola de otras cuentas</translation>
        </message>
        <message numerus="yes">
            <source>%n change(s) queued by {account}: sent when that account signs in here.</source>
            <translation>
                <numerusform>%n cambio en cola de {account}: se envía cuando esa cuenta inicie sesión aquí.</numerusform>
                <numerusform>%n cambios en cola de {account}: se envían cuando esa cuenta inicie sesión aquí.</numerusform>
            </translation>
        </message>
        <message>
            <source>New</source>
            <translation>Nuevo</translation>
        </message>
        <message>
            <source>Edit</source>
            <translation>Edición</translation>
        </message>
        <message>
            <source>Delete</source>
            <translation>Borrado</translation>
        </message>
        <message>
            <source>Grant</source>
            <translation>Concesión</translation>
        </message>
        <message>
            <source>Vote</source>
            <translation>Voto</translation>
        </message>
        <message>
            <source>Grant {amount} credits</source>
            <translation>Conceder {amount} créditos</translation>
        </message>
        <message>
            <source>Vote {decision}: {case}</source>
            <translation>Voto {decision}: {case}</translation>
        </message>
        <message>
            <source>Could not be created</source>
            <translation>No se pudo crear</translation>
        </message>
        <message>
            <source>Waiting</source>
            <translation>En espera</translation>
        </message>
        <message>
            <source>Sending</source>
            <translation>Enviando</translation>
        </message>
        <message>
            <source>Sent</source>
            <translation>Enviado</translation>
        </message>
        <message>
            <source>Conflict: your decision</source>
            <translation>Conflicto: decides tú</translation>
        </message>
        <message>
            <source>Refused</source>
            <translation>Rechazado</translation>
        </message>
        <message numerus="yes">
            <source>%n waiting</source>
            <translation>
                <numerusform>%n en espera</numerusform>
                <numerusform>%n en espera</numerusform>
            </translation>
        </message>
        <message numerus="yes">
            <source>%n conflict(s)</source>
            <translation>
                <numerusform>%n conflicto</numerusform>
                <numerusform>%n conflictos</numerusform>
            </translation>
        </message>
        <message numerus="yes">
            <source>%n refused</source>
            <translation>
                <numerusform>%n rechazado</numerusform>
                <numerusform>%n rechazados</numerusform>
            </translation>
        </message>
        <message>
            <source>The server answered: {answer}</source>
            <translation>El servidor respondió: {answer}</translation>
        </message>
        <message>
            <source>Double-click to compare and decide.</source>
            <translation>Haz doble clic para comparar y decidir.</translation>
        </message>
        <message>
            <source>Sending the queued changes…</source>
            <translation>Enviando los cambios en cola…</translation>
        </message>
        <message numerus="yes">
            <source>%n change(s) sent.</source>
            <translation>
                <numerusform>%n cambio enviado.</numerusform>
                <numerusform>%n cambios enviados.</numerusform>
            </translation>
        </message>
        <message numerus="yes">
            <source>%n conflict(s) need your decision.</source>
            <translation>
                <numerusform>%n conflicto necesita tu decisión.</numerusform>
                <numerusform>%n conflictos necesitan tu decisión.</numerusform>
            </translation>
        </message>
        <message numerus="yes">
            <source>%n refused by the server.</source>
            <translation>
                <numerusform>%n rechazado por el servidor.</numerusform>
                <numerusform>%n rechazados por el servidor.</numerusform>
            </translation>
        </message>
        <message>
            <source>Stopped: {reason}; the rest waits.</source>
            <translation>Detenido: {reason}; el resto espera.</translation>
        </message>
        <message>
            <source>Discard changes</source>
            <translation>Descartar cambios</translation>
        </message>
        <message numerus="yes">
            <source>Discard %n queued change(s)? The server's version is put back in the local copy; this cannot be undone.</source>
            <translation>
                <numerusform>¿Descartar %n cambio en cola? La versión del servidor vuelve a la copia local; no se puede deshacer.</numerusform>
                <numerusform>¿Descartar %n cambios en cola? La versión del servidor vuelve a la copia local; no se puede deshacer.</numerusform>
            </translation>
        </message>
        <message>
            <source>Copied to the clipboard.</source>
            <translation>Copiado al portapapeles.</translation>
        </message>
        <message>
            <source>Sign in to the server to send the queued changes.</source>
            <translation>Inicia sesión en el servidor para enviar los cambios en cola.</translation>
        </message>
    </context>
    <context>
        <name>OutboxRunner</name>
        <message>
            <source>Queued changes</source>
            <translation>Cambios en cola</translation>
        </message>
        <message numerus="yes">
            <source>%n sent</source>
            <translation>
                <numerusform>%n enviado</numerusform>
                <numerusform>%n enviados</numerusform>
            </translation>
        </message>
        <message numerus="yes">
            <source>%n need your decision (Sync page)</source>
            <translation>
                <numerusform>%n necesita tu decisión (página Sincronización)</numerusform>
                <numerusform>%n necesitan tu decisión (página Sincronización)</numerusform>
            </translation>
        </message>
        <message numerus="yes">
            <source>%n refused by the server</source>
            <translation>
                <numerusform>%n rechazado por el servidor</numerusform>
                <numerusform>%n rechazados por el servidor</numerusform>
            </translation>
        </message>
    </context>
    <context>
        <name>Outcome</name>
        <message>
            <source>Passed</source>
            <translation>Superada</translation>
        </message>
        <message>
            <source>Failed</source>
            <translation>Fallida</translation>
        </message>
        <message>
            <source>Skipped</source>
            <translation>Omitida</translation>
        </message>
        <message>
            <source>Error</source>
            <translation>Error</translation>
        </message>
    </context>
    <context>
        <name>Pages</name>
        <message>
            <source>Dashboard</source>
            <translation>Panel</translation>
        </message>
        <message>
            <source>Communities</source>
            <translation>Comunidades</translation>
        </message>
        <message>
            <source>Members</source>
            <translation>Miembros</translation>
        </message>
        <message>
            <source>Offers</source>
            <translation>Ofertas</translation>
        </message>
        <message>
            <source>Events</source>
            <translation>Eventos</translation>
        </message>
        <message>
            <source>Posts</source>
            <translation>Publicaciones</translation>
        </message>
        <message>
            <source>Credits</source>
            <translation>Créditos</translation>
        </message>
        <message>
            <source>Moderation</source>
            <translation>Moderación</translation>
        </message>
        <message>
            <source>Sync</source>
            <translation>Sincronización</translation>
        </message>
        <message>
            <source>Reports</source>
            <translation>Informes</translation>
        </message>
        <message>
            <source>Audit log</source>
            <translation>Registro de auditoría</translation>
        </message>
        <message>
            <source>Health</source>
            <translation>Estado</translation>
        </message>
        <message>
            <source>Database</source>
            <translation>Base de datos</translation>
        </message>
        <message>
            <source>Configuration</source>
            <translation>Configuración</translation>
        </message>
        <message>
            <source>Smoke &amp; audit</source>
            <translation>Pruebas y auditoría</translation>
        </message>
        <message>
            <source>Logs</source>
            <translation>Registros</translation>
        </message>
    </context>
    <context>
        <name>PeriodPicker</name>
        <message>
            <source>Last month</source>
            <translation>Último mes</translation>
        </message>
        <message>
            <source>Last quarter</source>
            <translation>Último trimestre</translation>
        </message>
        <message>
            <source>Last year</source>
            <translation>Último año</translation>
        </message>
        <message>
            <source>From… to…</source>
            <translation>Desde… hasta…</translation>
        </message>
        <message>
            <source>Period</source>
            <translation>Periodo</translation>
        </message>
        <message>
            <source>First day</source>
            <translation>Primer día</translation>
        </message>
        <message>
            <source>Last day</source>
            <translation>Último día</translation>
        </message>
    </context>
    <context>
        <name>Permissions</name>
        <message>
            <source>Sign in once so the application knows which records are yours.</source>
            <translation>Inicia sesión una vez para que la aplicación sepa qué registros son tuyos.</translation>
        </message>
        <message>
            <source>The server requires a verified e-mail address.</source>
            <translation>El servidor exige una dirección de correo electrónico verificada.</translation>
        </message>
        <message>
            <source>Only the owner can change this offer: the server does not let anyone else, administrators included, edit or cancel it.</source>
            <translation>Solo su propietario puede cambiar esta oferta: el servidor no deja que nadie más, ni siquiera la administración, la edite o la cancele.</translation>
        </message>
        <message>
            <source>This offer is already cancelled.</source>
            <translation>Esta oferta ya está cancelada.</translation>
        </message>
        <message>
            <source>Only the organizer can change this event: the server refuses everyone else, administrators included.</source>
            <translation>Solo quien lo organiza puede cambiar este evento: el servidor lo rechaza a cualquier otra persona, incluida la administración.</translation>
        </message>
        <message>
            <source>The server refuses to delete an event that has registered attendees.</source>
            <translation>El servidor no permite borrar un evento con personas inscritas.</translation>
        </message>
        <message>
            <source>Only the author can change or delete this post; nobody can moderate it directly.</source>
            <translation>Solo su autor puede cambiar o borrar esta publicación; nadie puede moderarla directamente.</translation>
        </message>
        <message>
            <source>Only members of this community with a generosity score of at least 5 can review its membership requests (the administrator role does not count).</source>
            <translation>Solo los miembros de esta comunidad con una puntuación de generosidad de al menos 5 pueden revisar sus solicitudes de ingreso (el rol de administración no cuenta).</translation>
        </message>
        <message>
            <source>Your reputation in this community is not known yet: connect to the server.</source>
            <translation>Aún no se conoce tu reputación en esta comunidad: conéctate al servidor.</translation>
        </message>
        <message>
            <source>Your generosity score is {score}; reviewing membership requests needs at least 5.</source>
            <translation>Tu puntuación de generosidad es {score}; para revisar solicitudes de ingreso hace falta al menos 5.</translation>
        </message>
        <message>
            <source>Only administrators can grant credits.</source>
            <translation>Solo la administración puede conceder créditos.</translation>
        </message>
        <message>
            <source>Only administrators can decide on pool requests.</source>
            <translation>Solo la administración puede decidir sobre las solicitudes a los fondos.</translation>
        </message>
        <message>
            <source>Voting on this case has closed.</source>
            <translation>La votación de este caso se ha cerrado.</translation>
        </message>
        <message>
            <source>The deadline of this case has passed.</source>
            <translation>El plazo de este caso ha vencido.</translation>
        </message>
        <message>
            <source>You have already voted on this case.</source>
            <translation>Ya has votado en este caso.</translation>
        </message>
    </context>
    <context>
        <name>PoolDecisionDialog</name>
        <message>
            <source>Approve a pool request</source>
            <translation>Aprobar una solicitud a un fondo</translation>
        </message>
        <message>
            <source>Reject a pool request</source>
            <translation>Rechazar una solicitud a un fondo</translation>
        </message>
        <message>
            <source>Distribute a pool request</source>
            <translation>Repartir una solicitud a un fondo</translation>
        </message>
        <message>
            <source>Distributing moves the money: it is never retried blindly. If the server fails while distributing, check the request's status before trying again.</source>
            <translation>Repartir mueve el dinero: nunca se reintenta a ciegas. Si el servidor falla durante el reparto, comprueba el estado de la solicitud antes de volver a intentarlo.</translation>
        </message>
        <message>
            <source>The person is notified of the decision.</source>
            <translation>La persona recibe un aviso de la decisión.</translation>
        </message>
        <message>
            <source>Person</source>
            <translation>Persona</translation>
        </message>
        <message>
            <source>Amount</source>
            <translation>Importe</translation>
        </message>
        <message>
            <source>Reason</source>
            <translation>Motivo</translation>
        </message>
        <message>
            <source>Status</source>
            <translation>Estado</translation>
        </message>
        <message>
            <source>Approve</source>
            <translation>Aprobar</translation>
        </message>
        <message>
            <source>Reject</source>
            <translation>Rechazar</translation>
        </message>
        <message>
            <source>Distribute</source>
            <translation>Repartir</translation>
        </message>
        <message>
            <source>Save</source>
            <translation>Guardar</translation>
        </message>
    </context>
    <context>
        <name>PoolRequestsPanel</name>
        <message>
            <source>Pool requests</source>
            <translation>Solicitudes al fondo</translation>
        </message>
        <message>
            <source>Status</source>
            <translation>Estado</translation>
        </message>
        <message>
            <source>Every status</source>
            <translation>Todos los estados</translation>
        </message>
        <message>
            <source>Reload</source>
            <translation>Volver a cargar</translation>
        </message>
        <message>
            <source>Approve…</source>
            <translation>Aprobar…</translation>
        </message>
        <message>
            <source>Reject…</source>
            <translation>Rechazar…</translation>
        </message>
        <message>
            <source>Distribute…</source>
            <translation>Repartir…</translation>
        </message>
        <message>
            <source>Pool requests are read from the server: connect first.</source>
            <translation>Las solicitudes a los fondos se leen del servidor: conéctate primero.</translation>
        </message>
        <message>
            <source>Reading the requests…</source>
            <translation>Leyendo las solicitudes…</translation>
        </message>
        <message numerus="yes">
            <source>%n request(s).</source>
            <translation>
                <numerusform>%n solicitud.</numerusform>
                <numerusform>%n solicitudes.</numerusform>
            </translation>
        </message>
        <message>
            <source>The requests could not be read.</source>
            <translation>No se han podido leer las solicitudes.</translation>
        </message>
        <message>
            <source>Select a request.</source>
            <translation>Selecciona una solicitud.</translation>
        </message>
        <message>
            <source>Only an approved request can be distributed.</source>
            <translation>Solo se puede repartir una solicitud aprobada.</translation>
        </message>
        <message>
            <source>Only a pending request can be decided.</source>
            <translation>Solo se puede decidir sobre una solicitud pendiente.</translation>
        </message>
    </context>
    <context>
        <name>PostEditor</name>
        <message>
            <source>Text</source>
            <translation>Texto</translation>
        </message>
        <message>
            <source>Kind</source>
            <translation>Clase</translation>
        </message>
        <message>
            <source>Visible to</source>
            <translation>Visible para</translation>
        </message>
        <message>
            <source>Tags (comma-separated)</source>
            <translation>Etiquetas (separadas por comas)</translation>
        </message>
        <message>
            <source>Image addresses (comma-separated)</source>
            <translation>Direcciones de imágenes (separadas por comas)</translation>
        </message>
        <message>
            <source>New post</source>
            <translation>Nueva publicación</translation>
        </message>
        <message>
            <source>Edit post</source>
            <translation>Editar publicación</translation>
        </message>
        <message>
            <source>Posts are published as you. Only you can edit or delete them later.</source>
            <translation>Las publicaciones aparecen a tu nombre. Solo tú podrás editarlas o borrarlas después.</translation>
        </message>
    </context>
    <context>
        <name>PostsPage</name>
        <message>
            <source>Posts</source>
            <translation>Publicaciones</translation>
        </message>
        <message>
            <source>New post…</source>
            <translation>Nueva publicación…</translation>
        </message>
        <message>
            <source>Edit…</source>
            <translation>Editar…</translation>
        </message>
        <message>
            <source>Delete…</source>
            <translation>Borrar…</translation>
        </message>
        <message>
            <source>Text</source>
            <translation>Texto</translation>
        </message>
        <message>
            <source>Tags</source>
            <translation>Etiquetas</translation>
        </message>
        <message>
            <source>Thanks</source>
            <translation>Agradecimientos</translation>
        </message>
        <message>
            <source>Supports</source>
            <translation>Apoyos</translation>
        </message>
        <message>
            <source>Shares</source>
            <translation>Veces compartida</translation>
        </message>
        <message>
            <source>Comments ({count})</source>
            <translation>Comentarios ({count})</translation>
        </message>
        <message>
            <source>Comments ({count}; the server counts {server})</source>
            <translation>Comentarios ({count}; el servidor cuenta {server})</translation>
        </message>
        <message>
            <source>Comments (newest {shown} of {count})</source>
            <translation>Comentarios ({shown} más recientes de {count})</translation>
        </message>
        <message>
            <source>someone</source>
            <translation>alguien</translation>
        </message>
        <message>
            <source>Select one post to edit it.</source>
            <translation>Selecciona una publicación para editarla.</translation>
        </message>
        <message>
            <source>Select your posts to delete them.</source>
            <translation>Selecciona tus publicaciones para borrarlas.</translation>
        </message>
    </context>
    <context>
        <name>ProblemsModel</name>
        <message>
            <source>Time</source>
            <translation>Hora</translation>
        </message>
        <message>
            <source>State</source>
            <translation>Estado</translation>
        </message>
        <message>
            <source>Cause</source>
            <translation>Causa</translation>
        </message>
        <message>
            <source>Details</source>
            <translation>Detalles</translation>
        </message>
    </context>
    <context>
        <name>ProfileDialog</name>
        <message>
            <source>Edit server profile</source>
            <translation>Editar perfil de servidor</translation>
        </message>
        <message>
            <source>Add a server profile</source>
            <translation>Añadir un perfil de servidor</translation>
        </message>
        <message>
            <source>Name:</source>
            <translation>Nombre:</translation>
        </message>
        <message>
            <source>Server address:</source>
            <translation>Dirección del servidor:</translation>
        </message>
        <message>
            <source>CA bundle:</source>
            <translation>Certificados de CA:</translation>
        </message>
        <message>
            <source>Timeout (s):</source>
            <translation>Tiempo de espera (s):</translation>
        </message>
        <message>
            <source>Verify the server's TLS certificate</source>
            <translation>Verificar el certificado TLS del servidor</translation>
        </message>
        <message>
            <source>Optional: a PEM file of trusted authorities</source>
            <translation>Opcional: un archivo PEM con las autoridades de confianza</translation>
        </message>
        <message>
            <source>Browse…</source>
            <translation>Examinar…</translation>
        </message>
        <message>
            <source>Retry for at most (s):</source>
            <translation>Reintentar como máximo (s):</translation>
        </message>
        <message>
            <source>A request that gets no answer is repeated until this many seconds have passed in all, then reported.</source>
            <translation>Una petición sin respuesta se repite hasta que pasan estos segundos en total; después se informa del fallo.</translation>
        </message>
        <message>
            <source>Retry for at most (s)</source>
            <translation>Reintentar como máximo (s)</translation>
        </message>
        <message>
            <source>Keep to the server's rate limits</source>
            <translation>Respetar los límites de peticiones del servidor</translation>
        </message>
        <message>
            <source>The server counts requests per address: everyone behind the same network or proxy shares its budget, even when it does not refuse anything. Turn this off only for a server of your own.</source>
            <translation>El servidor cuenta las peticiones por dirección: todos los que salen por la misma red o proxy comparten su cupo, aunque no rechace nada. Desactívalo solo para un servidor propio.</translation>
        </message>
        <message>
            <source>Choose a CA bundle</source>
            <translation>Elige un archivo de certificados de CA</translation>
        </message>
        <message>
            <source>Certificates (*.pem *.crt);;All files (*)</source>
            <translation>Certificados (*.pem *.crt);;Todos los archivos (*)</translation>
        </message>
        <message>
            <source>Another profile already has this name.</source>
            <translation>Ya hay otro perfil con este nombre.</translation>
        </message>
        <message>
            <source>This file does not exist.</source>
            <translation>Este archivo no existe.</translation>
        </message>
        <message>
            <source>Use an http:// or https:// address.</source>
            <translation>Usa una dirección http:// o https://.</translation>
        </message>
    </context>
    <context>
        <name>ProgressStrip</name>
        <message>
            <source>Cancel</source>
            <translation>Cancelar</translation>
        </message>
        <message>
            <source>Progress</source>
            <translation>Progreso</translation>
        </message>
        <message>
            <source>Cancelling…</source>
            <translation>Cancelando…</translation>
        </message>
    </context>
    <context>
        <name>RecordHistory</name>
        <message>
            <source>History</source>
            <translation>Historial</translation>
        </message>
        <message>
            <source>No change made with this application, and none seen on the server between two synchronisations.</source>
            <translation>Ningún cambio hecho con esta aplicación, y ninguno visto en el servidor entre dos sincronizaciones.</translation>
        </message>
        <message>
            <source>On the server between {start} and {end}: {fields}</source>
            <translation>En el servidor entre {start} y {end}: {fields}</translation>
        </message>
        <message>
            <source>On the server, seen {end}: {fields}</source>
            <translation>En el servidor, visto {end}: {fields}</translation>
        </message>
        <message>
            <source>unknown account</source>
            <translation>cuenta desconocida</translation>
        </message>
        <message>
            <source>{when} · {who} · {action}: {outcome}</source>
            <translation>{when} · {who} · {action}: {outcome}</translation>
        </message>
    </context>
    <context>
        <name>RemoveDialog</name>
        <message>
            <source>Cancel offers</source>
            <translation>Cancelar ofertas</translation>
        </message>
        <message numerus="yes">
            <source>Cancel %n offer(s)? The server keeps cancelled offers (status CANCELLED) and has no way to reactivate them.</source>
            <translation>
                <numerusform>¿Cancelar %n oferta? El servidor conserva las ofertas canceladas (estado CANCELLED) y no tiene forma de reactivarlas.</numerusform>
                <numerusform>¿Cancelar %n ofertas? El servidor conserva las ofertas canceladas (estado CANCELLED) y no tiene forma de reactivarlas.</numerusform>
            </translation>
        </message>
        <message>
            <source>Delete events</source>
            <translation>Borrar eventos</translation>
        </message>
        <message numerus="yes">
            <source>Delete %n event(s) for good? This cannot be undone.</source>
            <translation>
                <numerusform>¿Borrar %n evento definitivamente? No se puede deshacer.</numerusform>
                <numerusform>¿Borrar %n eventos definitivamente? No se puede deshacer.</numerusform>
            </translation>
        </message>
        <message>
            <source>Delete posts</source>
            <translation>Borrar publicaciones</translation>
        </message>
        <message numerus="yes">
            <source>Delete %n post(s) for good, with their comments and reactions?</source>
            <translation>
                <numerusform>¿Borrar %n publicación definitivamente, con sus comentarios y reacciones?</numerusform>
                <numerusform>¿Borrar %n publicaciones definitivamente, con sus comentarios y reacciones?</numerusform>
            </translation>
        </message>
        <message>
            <source>Delete</source>
            <translation>Borrar</translation>
        </message>
    </context>
    <context>
        <name>ReportDocument</name>
        <message>
            <source>This period</source>
            <translation>Este periodo</translation>
        </message>
        <message>
            <source>Previous period</source>
            <translation>Periodo anterior</translation>
        </message>
        <message>
            <source>Activity</source>
            <translation>Actividad</translation>
        </message>
        <message>
            <source>Flow economics</source>
            <translation>Economía de flujo</translation>
        </message>
        <message>
            <source>{first} – {last}</source>
            <translation>{first} – {last}</translation>
        </message>
        <message>
            <source>compared with {first} – {last}</source>
            <translation>comparado con {first} – {last}</translation>
        </message>
        <message>
            <source>Server profile {profile}, account {account}, made {when}.</source>
            <translation>Perfil de servidor {profile}, cuenta {account}, hecho el {when}.</translation>
        </message>
        <message>
            <source>Activity report</source>
            <translation>Informe de actividad</translation>
        </message>
        <message>
            <source>Summary</source>
            <translation>Resumen</translation>
        </message>
        <message>
            <source>Figures</source>
            <translation>Cifras</translation>
        </message>
        <message>
            <source>Figure</source>
            <translation>Cifra</translation>
        </message>
        <message>
            <source>Change</source>
            <translation>Cambio</translation>
        </message>
        <message>
            <source>About these figures</source>
            <translation>Sobre estas cifras</translation>
        </message>
    </context>
    <context>
        <name>ReportPreview</name>
        <message>
            <source>Report text and tables</source>
            <translation>Texto y tablas del informe</translation>
        </message>
        <message>
            <source>Report charts</source>
            <translation>Gráficos del informe</translation>
        </message>
    </context>
    <context>
        <name>Reports</name>
        <message>
            <source>Only what your account was given: your own transactions and cases.</source>
            <translation>Solo lo que recibió tu cuenta: tus propias transacciones y casos.</translation>
        </message>
        <message>
            <source>As last synced.</source>
            <translation>Según la última sincronización.</translation>
        </message>
        <message>
            <source>Decisions sent from this app by your account.</source>
            <translation>Decisiones enviadas desde esta aplicación por tu cuenta.</translation>
        </message>
        <message>
            <source>All communities</source>
            <translation>Todas las comunidades</translation>
        </message>
        <message>
            <source>Built from the local copy of the server's data; sync first for current figures.</source>
            <translation>Hecho con la copia local de los datos del servidor; sincroniza antes para tener cifras al día.</translation>
        </message>
        <message>
            <source>The server does not say when members joined: no count of new members.</source>
            <translation>El servidor no dice cuándo se unieron los miembros: no hay recuento de miembros nuevos.</translation>
        </message>
        <message>
            <source>Posts and comments of one community are those of its members.</source>
            <translation>Las publicaciones y comentarios de una comunidad son los de sus miembros.</translation>
        </message>
        <message>
            <source>Members now</source>
            <translation>Miembros ahora</translation>
        </message>
        <message>
            <source>New members</source>
            <translation>Miembros nuevos</translation>
        </message>
        <message>
            <source>Offers created</source>
            <translation>Ofertas creadas</translation>
        </message>
        <message>
            <source>Events created</source>
            <translation>Eventos creados</translation>
        </message>
        <message>
            <source>Events held</source>
            <translation>Eventos celebrados</translation>
        </message>
        <message>
            <source>Attendance at events held</source>
            <translation>Asistencia a los eventos celebrados</translation>
        </message>
        <message>
            <source>Posts</source>
            <translation>Publicaciones</translation>
        </message>
        <message>
            <source>Comments</source>
            <translation>Comentarios</translation>
        </message>
        <message>
            <source>Membership requests decided</source>
            <translation>Solicitudes de membresía resueltas</translation>
        </message>
        <message>
            <source>Moderation cases</source>
            <translation>Casos de moderación</translation>
        </message>
        <message>
            <source>Credits received</source>
            <translation>Créditos recibidos</translation>
        </message>
        <message>
            <source>Credits spent</source>
            <translation>Créditos gastados</translation>
        </message>
        <message>
            <source>Inequality of balances (Gini index, 0–100)</source>
            <translation>Desigualdad de saldos (índice de Gini, 0–100)</translation>
        </message>
        <message>
            <source>Credits held by the richest 10 % (%)</source>
            <translation>Créditos en manos del 10 % más rico (%)</translation>
        </message>
        <message>
            <source>Median balance</source>
            <translation>Saldo mediano</translation>
        </message>
        <message>
            <source>Mean balance</source>
            <translation>Saldo medio</translation>
        </message>
        <message>
            <source>Credits in the community pools</source>
            <translation>Créditos en los fondos comunitarios</translation>
        </message>
        <message>
            <source>Active users</source>
            <translation>Usuarios activos</translation>
        </message>
        <message>
            <source>Generous users (generosity score above 0)</source>
            <translation>Usuarios generosos (puntuación de generosidad mayor que 0)</translation>
        </message>
        <message>
            <source>Offers created by type</source>
            <translation>Ofertas creadas por tipo</translation>
        </message>
        <message>
            <source>Offers created by category</source>
            <translation>Ofertas creadas por categoría</translation>
        </message>
        <message>
            <source>Events created by type</source>
            <translation>Eventos creados por tipo</translation>
        </message>
        <message>
            <source>Moderation cases by status</source>
            <translation>Casos de moderación por estado</translation>
        </message>
        <message>
            <source>the same as in the previous period</source>
            <translation>igual que en el periodo anterior</translation>
        </message>
        <message>
            <source>none in the previous period</source>
            <translation>ninguno en el periodo anterior</translation>
        </message>
        <message>
            <source>{n} more than in the previous period (+{p} %)</source>
            <translation>{n} más que en el periodo anterior (+{p} %)</translation>
        </message>
        <message>
            <source>{n} fewer than in the previous period (−{p} %)</source>
            <translation>{n} menos que en el periodo anterior (−{p} %)</translation>
        </message>
        <message>
            <source>Activity of {community} from {first} to {last}, compared with {before} to {end}.</source>
            <translation>Actividad de {community} del {first} al {last}, comparada con la del {before} al {end}.</translation>
        </message>
        <message>
            <source>The local copy holds no activity in this period.</source>
            <translation>La copia local no tiene actividad en este periodo.</translation>
        </message>
        <message>
            <source>{label}: {value}, {change}.</source>
            <translation>{label}: {value}, {change}.</translation>
        </message>
        <message>
            <source>Events held: {held}; attendance at them: {attendance}.</source>
            <translation>Eventos celebrados: {held}; asistencia: {attendance}.</translation>
        </message>
        <message>
            <source>The category with most new offers: {category} ({n}).</source>
            <translation>La categoría con más ofertas nuevas: {category} ({n}).</translation>
        </message>
        <message>
            <source>Membership requests decided: {decided}. Moderation cases: {cases}.</source>
            <translation>Solicitudes de membresía resueltas: {decided}. Casos de moderación: {cases}.</translation>
        </message>
        <message>
            <source>Your account received {received} credits and spent {spent}.</source>
            <translation>Tu cuenta recibió {received} créditos y gastó {spent}.</translation>
        </message>
        <message>
            <source>Flow economics of the whole server: inequality of balances (Gini index, 0–100) {value}, {change}.</source>
            <translation>Economía de flujo de todo el servidor: desigualdad de saldos (índice de Gini, 0–100) {value}, {change}.</translation>
        </message>
        <message>
            <source>Credits in the community pools: {value}, {change}.</source>
            <translation>Créditos en los fondos comunitarios: {value}, {change}.</translation>
        </message>
        <message>
            <source>no snapshot of the previous period</source>
            <translation>sin instantánea del periodo anterior</translation>
        </message>
        <message>
            <source>No flow-economics snapshot was synced in this period: a sync by an administrator takes one.</source>
            <translation>No se sincronizó ninguna instantánea de la economía de flujo en este periodo: la toma una sincronización hecha por un administrador.</translation>
        </message>
        <message>
            <source>Whole server; the last snapshot synced in each period (administrators only).</source>
            <translation>Todo el servidor; la última instantánea sincronizada en cada periodo (solo administradores).</translation>
        </message>
        <message>
            <source>The server keeps no history of the flow-economics metrics: the app stores what they were at each administrator's sync.</source>
            <translation>El servidor no guarda historial de las métricas de economía de flujo: la aplicación guarda su valor en cada sincronización de un administrador.</translation>
        </message>
        <message>
            <source>No flow-economics snapshot was synced in the previous period.</source>
            <translation>No se sincronizó ninguna instantánea de la economía de flujo en el periodo anterior.</translation>
        </message>
    </context>
    <context>
        <name>ReportsPage</name>
        <message>
            <source>All communities</source>
            <translation>Todas las comunidades</translation>
        </message>
        <message>
            <source>Choose a server and synchronise it first.</source>
            <translation>Elige un servidor y sincronízalo primero.</translation>
        </message>
        <message>
            <source>Counting…</source>
            <translation>Contando…</translation>
        </message>
        <message>
            <source>Made at {time} from the local copy.</source>
            <translation>Hecho a las {time} con la copia local.</translation>
        </message>
        <message>
            <source>Choose a community and a period, then Preview. The report is counted from the local copy, so it also works offline; Export HTML…, Export PDF… and Print… then write it out.</source>
            <translation>Elige una comunidad y un periodo y pulsa Vista previa. El informe se cuenta a partir de la copia local, así que también funciona sin conexión; después, Exportar HTML…, Exportar PDF… e Imprimir… lo guardan.</translation>
        </message>
        <message>
            <source>Export the report as HTML</source>
            <translation>Exportar el informe como HTML</translation>
        </message>
        <message>
            <source>HTML files (*.html)</source>
            <translation>Archivos HTML (*.html)</translation>
        </message>
        <message>
            <source>Export the report as PDF</source>
            <translation>Exportar el informe como PDF</translation>
        </message>
        <message>
            <source>PDF files (*.pdf)</source>
            <translation>Archivos PDF (*.pdf)</translation>
        </message>
        <message>
            <source>Saved to {file}.</source>
            <translation>Guardado en {file}.</translation>
        </message>
        <message>
            <source>Reports</source>
            <translation>Informes</translation>
        </message>
        <message>
            <source>&amp;Community:</source>
            <translation>&amp;Comunidad:</translation>
        </message>
        <message>
            <source>Community</source>
            <translation>Comunidad</translation>
        </message>
        <message>
            <source>Preview</source>
            <translation>Vista previa</translation>
        </message>
        <message>
            <source>Count the report from the local copy.</source>
            <translation>Calcula el informe con la copia local.</translation>
        </message>
        <message>
            <source>Export HTML…</source>
            <translation>Exportar HTML…</translation>
        </message>
        <message>
            <source>One self-contained HTML file, charts included.</source>
            <translation>Un solo archivo HTML, con los gráficos incluidos.</translation>
        </message>
        <message>
            <source>Export PDF…</source>
            <translation>Exportar PDF…</translation>
        </message>
        <message>
            <source>A4, with page numbers.</source>
            <translation>A4, con números de página.</translation>
        </message>
        <message>
            <source>Print…</source>
            <translation>Imprimir…</translation>
        </message>
    </context>
    <context>
        <name>SavedViews</name>
        <message>
            <source>A view needs a name.</source>
            <translation>Una vista necesita un nombre.</translation>
        </message>
        <message>
            <source>A view's name has at most {n} characters.</source>
            <translation>El nombre de una vista tiene como máximo {n} caracteres.</translation>
        </message>
        <message>
            <source>There is already a view called “{name}”.</source>
            <translation>Ya hay una vista llamada «{name}».</translation>
        </message>
        <message>
            <source>“{name}” was shared by a teammate: only they can change it.</source>
            <translation>«{name}» la compartió otra persona del equipo: solo ella puede cambiarla.</translation>
        </message>
        <message>
            <source>This is not a JSON file: {reason}</source>
            <translation>Esto no es un archivo JSON: {reason}</translation>
        </message>
        <message>
            <source>This file holds no saved views of Viva Desktop.</source>
            <translation>Este archivo no contiene vistas guardadas de Viva Desktop.</translation>
        </message>
        <message>
            <source>Saved views of version {v} cannot be read.</source>
            <translation>No se pueden leer vistas guardadas de la versión {v}.</translation>
        </message>
        <message>
            <source>Unknown pages in the file: {pages}.</source>
            <translation>Páginas desconocidas en el archivo: {pages}.</translation>
        </message>
        <message>
            <source>Save the current view as…</source>
            <translation>Guardar la vista actual como…</translation>
        </message>
        <message>
            <source>{name} (shared)</source>
            <translation>{name} (compartida)</translation>
        </message>
        <message>
            <source>Rename “{name}”…</source>
            <translation>Renombrar «{name}»…</translation>
        </message>
        <message>
            <source>Delete “{name}”</source>
            <translation>Eliminar «{name}»</translation>
        </message>
        <message>
            <source>Share with the team</source>
            <translation>Compartir con el equipo</translation>
        </message>
        <message>
            <source>Export views to a file…</source>
            <translation>Exportar las vistas a un archivo…</translation>
        </message>
        <message>
            <source>Import views from a file…</source>
            <translation>Importar vistas de un archivo…</translation>
        </message>
        <message>
            <source>Save the current view</source>
            <translation>Guardar la vista actual</translation>
        </message>
        <message>
            <source>Name of the view (search, filters, dates, columns and sort):</source>
            <translation>Nombre de la vista (búsqueda, filtros, fechas, columnas y orden):</translation>
        </message>
        <message>
            <source>Rename the view</source>
            <translation>Renombrar la vista</translation>
        </message>
        <message>
            <source>New name:</source>
            <translation>Nombre nuevo:</translation>
        </message>
        <message>
            <source>Export saved views</source>
            <translation>Exportar vistas guardadas</translation>
        </message>
        <message>
            <source>JSON files (*.json)</source>
            <translation>Archivos JSON (*.json)</translation>
        </message>
        <message>
            <source>Import saved views</source>
            <translation>Importar vistas guardadas</translation>
        </message>
    </context>
    <context>
        <name>ServerReset</name>
        <message>
            <source>{gone} of the {checked} newest records of the local copy are no longer on the server.</source>
            <translation>{gone} de los {checked} registros más recientes de la copia local ya no están en el servidor.</translation>
        </message>
        <message>
            <source>The server started again after the last sync ({time} UTC).</source>
            <translation>El servidor se ha vuelto a iniciar después de la última sincronización ({time} UTC).</translation>
        </message>
    </context>
    <context>
        <name>ServerResetPanel</name>
        <message>
            <source>Full re-sync</source>
            <translation>Resincronizar todo</translation>
        </message>
        <message>
            <source>Read every record again: what the server no longer has is marked as gone from the local copy. Queued changes are kept.</source>
            <translation>Volver a leer todos los registros: lo que el servidor ya no tiene se marca como desaparecido en la copia local. Los cambios en cola se conservan.</translation>
        </message>
        <message>
            <source>Not now</source>
            <translation>Ahora no</translation>
        </message>
        <message>
            <source>The server's data looks reset or replaced since the last sync.</source>
            <translation>Los datos del servidor parecen reiniciados o sustituidos desde la última sincronización.</translation>
        </message>
        <message>
            <source>The local copy still shows what the server had before.</source>
            <translation>La copia local aún muestra lo que el servidor tenía antes.</translation>
        </message>
    </context>
    <context>
        <name>Session</name>
        <message>
            <source>The system keyring stopped working, so your sign-in will not be remembered after the application closes.</source>
            <translation>El llavero del sistema ha dejado de funcionar, así que tu sesión no se recordará cuando cierres la aplicación.</translation>
        </message>
        <message>
            <source>No secure system keyring was found, so your sign-in will not be remembered after the application closes.</source>
            <translation>No se ha encontrado ningún llavero seguro del sistema, así que tu sesión no se recordará cuando cierres la aplicación.</translation>
        </message>
        <message>
            <source>The system keyring is locked or not working, so your sign-in will not be remembered after the application closes.</source>
            <translation>El llavero del sistema está bloqueado o no funciona, así que tu sesión no se recordará cuando cierres la aplicación.</translation>
        </message>
    </context>
    <context>
        <name>SettingsDialog</name>
        <message>
            <source>Settings</source>
            <translation>Preferencias</translation>
        </message>
        <message>
            <source>Language:</source>
            <translation>Idioma:</translation>
        </message>
        <message>
            <source>Theme:</source>
            <translation>Tema:</translation>
        </message>
        <message>
            <source>Times shown in:</source>
            <translation>Horas en:</translation>
        </message>
        <message>
            <source>This computer's time zone</source>
            <translation>La zona horaria de este ordenador</translation>
        </message>
        <message>
            <source>Every date and time in the app uses this zone; when it is not this computer's, its name follows the time.</source>
            <translation>Todas las fechas y horas de la aplicación usan esta zona; si no es la de este ordenador, su nombre aparece tras la hora.</translation>
        </message>
        <message>
            <source>Same as the system</source>
            <translation>El del sistema</translation>
        </message>
        <message>
            <source>Follow the system</source>
            <translation>Seguir al sistema</translation>
        </message>
        <message>
            <source>Light</source>
            <translation>Claro</translation>
        </message>
        <message>
            <source>Dark</source>
            <translation>Oscuro</translation>
        </message>
        <message>
            <source>Notify me when the server's health changes</source>
            <translation>Avisarme cuando cambie el estado del servidor</translation>
        </message>
        <message>
            <source>Mute all notifications</source>
            <translation>Silenciar todos los avisos</translation>
        </message>
        <message>
            <source>Other settings (servers, store, logging, error reports) are on the Configuration page.</source>
            <translation>El resto de ajustes (servidores, almacén, registros, informes de errores) están en la página Configuración.</translation>
        </message>
    </context>
    <context>
        <name>Severity</name>
        <message>
            <source>Error</source>
            <translation>Error</translation>
        </message>
        <message>
            <source>Warning</source>
            <translation>Aviso</translation>
        </message>
        <message>
            <source>Note</source>
            <translation>Nota</translation>
        </message>
    </context>
    <context>
        <name>Shortcuts</name>
        <message>
            <source>Refresh the page</source>
            <translation>Actualizar la página</translation>
        </message>
        <message>
            <source>Find (search box)</source>
            <translation>Buscar (cuadro de búsqueda)</translation>
        </message>
        <message>
            <source>Settings</source>
            <translation>Preferencias</translation>
        </message>
        <message>
            <source>Connect to a server</source>
            <translation>Conectar con un servidor</translation>
        </message>
        <message>
            <source>Keyboard shortcuts</source>
            <translation>Atajos de teclado</translation>
        </message>
        <message>
            <source>Quit</source>
            <translation>Salir</translation>
        </message>
    </context>
    <context>
        <name>ShortcutsDialog</name>
        <message>
            <source>Keyboard shortcuts</source>
            <translation>Atajos de teclado</translation>
        </message>
        <message>
            <source>Click a shortcut and press the new keys to change it; the clear button removes it. Two actions cannot share a shortcut.</source>
            <translation>Haz clic en un atajo y pulsa las teclas nuevas para cambiarlo; el botón de borrar lo quita. Dos acciones no pueden compartir atajo.</translation>
        </message>
        <message>
            <source>Action</source>
            <translation>Acción</translation>
        </message>
        <message>
            <source>Shortcut</source>
            <translation>Atajo</translation>
        </message>
        <message>
            <source>Shortcut for {action}</source>
            <translation>Atajo de {action}</translation>
        </message>
        <message>
            <source>Restore the defaults</source>
            <translation>Restablecer los predeterminados</translation>
        </message>
        <message>
            <source>{keys} is used by: {actions}.</source>
            <translation>{keys} lo usan: {actions}.</translation>
        </message>
    </context>
    <context>
        <name>Smoke</name>
        <message>
            <source>Pass --email and --password-env to cover the routes that need an account.</source>
            <translation>Usa --email y --password-env para cubrir las rutas que necesitan una cuenta.</translation>
        </message>
        <message>
            <source>No logged-in account (see the login check).</source>
            <translation>No hay ninguna cuenta con sesión iniciada (ver la comprobación de inicio de sesión).</translation>
        </message>
        <message>
            <source>No account: read-only runs without --email/--password-env do not log in.</source>
            <translation>Sin cuenta: las ejecuciones de solo lectura sin --email/--password-env no inician sesión.</translation>
        </message>
        <message>
            <source>Read-only run: this check would write data.</source>
            <translation>Ejecución de solo lectura: esta comprobación escribiría datos.</translation>
        </message>
        <message>
            <source>Run without --read-only against a staging server to cover it.</source>
            <translation>Ejecútala sin --read-only contra un servidor de preproducción para cubrirla.</translation>
        </message>
        <message>
            <source>The server rate-limited this request (HTTP 429{retry}).</source>
            <translation>El servidor ha limitado esta petición (HTTP 429{retry}).</translation>
        </message>
        <message>
            <source>Run the checks again once the rate-limit window has passed.</source>
            <translation>Vuelve a ejecutar las comprobaciones cuando haya pasado la ventana del límite de peticiones.</translation>
        </message>
        <message>
            <source>status is not 200</source>
            <translation>el estado no es 200</translation>
        </message>
        <message>
            <source>the body is not a JSON object</source>
            <translation>el cuerpo no es un objeto JSON</translation>
        </message>
        <message>
            <source>`status` is not "ok"</source>
            <translation>`status` no es "ok"</translation>
        </message>
        <message>
            <source>no `timestamp`</source>
            <translation>sin `timestamp`</translation>
        </message>
        <message>
            <source>, up for {seconds:.0f} s</source>
            <translation>, en marcha desde hace {seconds:.0f} s</translation>
        </message>
        <message>
            <source>no numeric `uptime`</source>
            <translation>sin `uptime` numérico</translation>
        </message>
        <message>
            <source>Check that the URL points at the Comunidad Viva API itself.</source>
            <translation>Comprueba que la URL apunta a la propia API de Comunidad Viva.</translation>
        </message>
        <message>
            <source> without a JSON object</source>
            <translation> sin un objeto JSON</translation>
        </message>
        <message>
            <source>The detailed health route should always answer 200 with JSON.</source>
            <translation>La ruta de estado detallado siempre debería responder 200 con JSON.</translation>
        </message>
        <message>
            <source>status {status}, database {db} ({latency} ms), version {version}, environment {env}</source>
            <translation>estado {status}, base de datos {db} ({latency} ms), versión {version}, entorno {env}</translation>
        </message>
        <message>
            <source>; no `services.database`</source>
            <translation>; sin `services.database`</translation>
        </message>
        <message>
            <source>The server's health service does not report its database.</source>
            <translation>El servicio de estado del servidor no informa de su base de datos.</translation>
        </message>
        <message>
            <source>The server cannot reach its database: check PostgreSQL.</source>
            <translation>El servidor no llega a su base de datos: revisa PostgreSQL.</translation>
        </message>
        <message>
            <source>`status` should be healthy, degraded or unhealthy.</source>
            <translation>`status` debería ser healthy, degraded o unhealthy.</translation>
        </message>
        <message>
            <source>Using the given account {email}.</source>
            <translation>Se usa la cuenta indicada, {email}.</translation>
        </message>
        <message>
            <source>Registration is broken; a 500 may mean a duplicate e-mail or a database problem. Look at the server's log.</source>
            <translation>El registro no funciona; un 500 puede indicar un correo duplicado o un problema de la base de datos. Mira el registro del servidor.</translation>
        </message>
        <message>
            <source>, but no `access_token` and `user`</source>
            <translation>, pero sin `access_token` ni `user`</translation>
        </message>
        <message>
            <source>The register reply should be {access_token, refresh_token, user}.</source>
            <translation>La respuesta del registro debería ser {access_token, refresh_token, user}.</translation>
        </message>
        <message>
            <source>, but `user.email` differs from the one sent</source>
            <translation>, pero `user.email` no coincide con el enviado</translation>
        </message>
        <message>
            <source>The server changed the e-mail address on registration.</source>
            <translation>El servidor ha cambiado el correo electrónico al registrar la cuenta.</translation>
        </message>
        <message>
            <source>, throw-away account {email} (left in place: the API cannot delete it)</source>
            <translation>, cuenta desechable {email} (se queda ahí: la API no permite borrarla)</translation>
        </message>
        <message>
            <source>No account to log in with (read-only run without --email/--password-env).</source>
            <translation>No hay cuenta con la que iniciar sesión (ejecución de solo lectura sin --email/--password-env).</translation>
        </message>
        <message>
            <source>No account to log in with: the registration failed.</source>
            <translation>No hay cuenta con la que iniciar sesión: el registro ha fallado.</translation>
        </message>
        <message>
            <source>: the account has two-factor authentication on</source>
            <translation>: la cuenta tiene activada la verificación en dos pasos</translation>
        </message>
        <message>
            <source>Use an account without 2FA for the smoke checks.</source>
            <translation>Usa una cuenta sin verificación en dos pasos para las pruebas de humo.</translation>
        </message>
        <message>
            <source>Check the e-mail and password of the account.</source>
            <translation>Comprueba el correo electrónico y la contraseña de la cuenta.</translation>
        </message>
        <message>
            <source>Login is broken: look at the server's log.</source>
            <translation>El inicio de sesión no funciona: mira el registro del servidor.</translation>
        </message>
        <message>
            <source>The login reply should be {access_token, refresh_token, user}.</source>
            <translation>La respuesta del inicio de sesión debería ser {access_token, refresh_token, user}.</translation>
        </message>
        <message>
            <source>, role {role}</source>
            <translation>, rol {role}</translation>
        </message>
        <message>
            <source> (the real server answers 201)</source>
            <translation> (el servidor real responde 201)</translation>
        </message>
        <message>
            <source>: a wrong password was accepted</source>
            <translation>: se ha aceptado una contraseña incorrecta</translation>
        </message>
        <message>
            <source>Stop the server: anyone can log in as anyone.</source>
            <translation>Detén el servidor: cualquiera puede iniciar sesión como cualquier otra persona.</translation>
        </message>
        <message>
            <source>A wrong password should be refused with 401.</source>
            <translation>Una contraseña incorrecta debería rechazarse con 401.</translation>
        </message>
        <message>
            <source> without a token</source>
            <translation> sin token</translation>
        </message>
        <message>
            <source>User profiles must require a token (401 without one).</source>
            <translation>Los perfiles de usuario deben exigir un token (401 sin él).</translation>
        </message>
        <message>
            <source>The login reply had no user id.</source>
            <translation>La respuesta del inicio de sesión no traía id de usuario.</translation>
        </message>
        <message>
            <source> with the token</source>
            <translation> con el token</translation>
        </message>
        <message>
            <source>A valid token must be accepted.</source>
            <translation>Un token válido debe aceptarse.</translation>
        </message>
        <message>
            <source>, but not the account's own profile (empty or other body)</source>
            <translation>, pero no con el perfil de la propia cuenta (cuerpo vacío u otro)</translation>
        </message>
        <message>
            <source>GET /users/{id} should return the profile of that user.</source>
            <translation>GET /users/{id} debería devolver el perfil de esa persona.</translation>
        </message>
        <message>
            <source>, balance {balance}</source>
            <translation>, saldo {balance}</translation>
        </message>
        <message>
            <source> (expected an integer `balance`)</source>
            <translation> (se esperaba un `balance` entero)</translation>
        </message>
        <message>
            <source>The credits service is broken: look at the server's log.</source>
            <translation>El servicio de créditos no funciona: mira el registro del servidor.</translation>
        </message>
        <message>
            <source>, {total} in all</source>
            <translation>, {total} en total</translation>
        </message>
        <message>
            <source> (expected {transactions, total, …})</source>
            <translation> (se esperaba {transactions, total, …})</translation>
        </message>
        <message>
            <source>The transaction list is broken: look at the server's log.</source>
            <translation>La lista de movimientos no funciona: mira el registro del servidor.</translation>
        </message>
        <message>
            <source>Viva Desktop smoke test {stamp}, deleted at the end of the run</source>
            <translation>Prueba de humo de Viva Desktop {stamp}; se borra al terminar la ejecución</translation>
        </message>
        <message>
            <source>Creating posts is broken: look at the server's log.</source>
            <translation>La creación de publicaciones no funciona: mira el registro del servidor.</translation>
        </message>
        <message>
            <source>, but the stored content differs from the text sent</source>
            <translation>, pero el contenido guardado no coincide con el texto enviado</translation>
        </message>
        <message>
            <source>The server's sanitiser changed plain text.</source>
            <translation>El saneador del servidor ha modificado texto plano.</translation>
        </message>
        <message>
            <source>, post {id}</source>
            <translation>, publicación {id}</translation>
        </message>
        <message>
            <source> (expected {data, hasMore})</source>
            <translation> (se esperaba {data, hasMore})</translation>
        </message>
        <message>
            <source>The social feed is broken: look at the server's log.</source>
            <translation>El muro social no funciona: mira el registro del servidor.</translation>
        </message>
        <message>
            <source>, {count} posts</source>
            <translation>, {count} publicaciones</translation>
        </message>
        <message>
            <source>, without the post just created</source>
            <translation>, sin la publicación recién creada</translation>
        </message>
        <message>
            <source>New public posts should appear first in the feed.</source>
            <translation>Las publicaciones públicas nuevas deberían aparecer las primeras en el muro.</translation>
        </message>
        <message>
            <source>No post to read (none created, none in the feed).</source>
            <translation>No hay ninguna publicación que leer (ni creada ni en el muro).</translation>
        </message>
        <message>
            <source>Reading a public post is broken: look at the server's log.</source>
            <translation>La lectura de publicaciones públicas no funciona: mira el registro del servidor.</translation>
        </message>
        <message>
            <source>, {count} offers</source>
            <translation>, {count} ofertas</translation>
        </message>
        <message>
            <source> (expected a list)</source>
            <translation> (se esperaba una lista)</translation>
        </message>
        <message>
            <source>The offer list is broken: look at the server's log.</source>
            <translation>La lista de ofertas no funciona: mira el registro del servidor.</translation>
        </message>
        <message>
            <source>, {total} events</source>
            <translation>, {total} eventos</translation>
        </message>
        <message>
            <source> (expected {events, total, limit, offset})</source>
            <translation> (se esperaba {events, total, limit, offset})</translation>
        </message>
        <message>
            <source>The event list is broken: look at the server's log.</source>
            <translation>La lista de eventos no funciona: mira el registro del servidor.</translation>
        </message>
        <message>
            <source>, {offers} offers and {events} events</source>
            <translation>, {offers} ofertas y {events} eventos</translation>
        </message>
        <message>
            <source> (expected {offers, events, totalResults})</source>
            <translation> (se esperaba {offers, events, totalResults})</translation>
        </message>
        <message>
            <source>Search is broken: look at the server's log.</source>
            <translation>La búsqueda no funciona: mira el registro del servidor.</translation>
        </message>
        <message>
            <source>; error body lacks {fields}</source>
            <translation>; al cuerpo del error le falta {fields}</translation>
        </message>
        <message>
            <source>Errors should use the common envelope (contract 3.4).</source>
            <translation>Los errores deberían usar el formato común (contrato 3.4).</translation>
        </message>
        <message>
            <source>: the server created an account from invalid input</source>
            <translation>: el servidor ha creado una cuenta con datos no válidos</translation>
        </message>
        <message>
            <source>Input validation is off: the global validation pipe is missing.</source>
            <translation>La validación de datos está desactivada: falta la validación global (ValidationPipe).</translation>
        </message>
        <message>
            <source>Invalid input should be refused with 400.</source>
            <translation>Los datos no válidos deberían rechazarse con 400.</translation>
        </message>
        <message>
            <source>(bad e-mail, 3-character password, empty name)</source>
            <translation>(correo incorrecto, contraseña de 3 caracteres, nombre vacío)</translation>
        </message>
        <message>
            <source>(valid body plus the undeclared property `maliciousField`)</source>
            <translation>(cuerpo válido más la propiedad no declarada `maliciousField`)</translation>
        </message>
        <message>
            <source>An unknown route should answer 404.</source>
            <translation>Una ruta desconocida debería responder 404.</translation>
        </message>
        <message>
            <source> with the error envelope</source>
            <translation> con el formato común de error</translation>
        </message>
        <message>
            <source>No post was created, so there is nothing to clean up.</source>
            <translation>No se creó ninguna publicación, así que no hay nada que limpiar.</translation>
        </message>
        <message>
            <source>, the smoke post is gone</source>
            <translation>, la publicación de prueba ya no está</translation>
        </message>
        <message>
            <source>Delete the post {id} by hand; authors should be able to delete their posts.</source>
            <translation>Borra a mano la publicación {id}; quien publica debería poder borrar sus publicaciones.</translation>
        </message>
        <message>
            <source>: the API documentation is not public</source>
            <translation>: la documentación de la API no es pública</translation>
        </message>
        <message>
            <source>: an OpenAPI document describing {count} paths is public</source>
            <translation>: hay un documento OpenAPI público que describe {count} rutas</translation>
        </message>
        <message>
            <source>, although /health/status says environment “production”</source>
            <translation>, aunque /health/status indica el entorno «production»</translation>
        </message>
        <message>
            <source>Something in front of the server serves the docs, or the build differs: block /api/docs at the reverse proxy.</source>
            <translation>Algo delante del servidor sirve la documentación, o la compilación es distinta: bloquea /api/docs en el proxy inverso.</translation>
        </message>
        <message>
            <source>; /health/status says environment “{env}”</source>
            <translation>; /health/status indica el entorno «{env}»</translation>
        </message>
        <message>
            <source>Run the server with NODE_ENV=production, which also removes stack traces from errors.</source>
            <translation>Ejecuta el servidor con NODE_ENV=production, que además quita las trazas de pila de los errores.</translation>
        </message>
        <message>
            <source>The 404 reply had no JSON body to inspect.</source>
            <translation>La respuesta 404 no tenía un cuerpo JSON que inspeccionar.</translation>
        </message>
        <message>
            <source>The 404 body of GET {path} has no `error` or `stack` field.</source>
            <translation>El cuerpo del 404 de GET {path} no tiene campo `error` ni `stack`.</translation>
        </message>
        <message>
            <source>The 404 body of GET {path} carries a stack trace in `error` ({count} lines, “{first}”).</source>
            <translation>El cuerpo del 404 de GET {path} lleva una traza de pila en `error` ({count} líneas, «{first}»).</translation>
        </message>
        <message>
            <source>Run the server with NODE_ENV=production: stack traces reveal file paths and library versions to anyone.</source>
            <translation>Ejecuta el servidor con NODE_ENV=production: las trazas de pila revelan a cualquiera rutas de archivos y versiones de bibliotecas.</translation>
        </message>
        <message>
            <source>CSP in report-only mode (not enforced)</source>
            <translation>CSP en modo solo informe (no se aplica)</translation>
        </message>
        <message>
            <source>X-Powered-By: {value} reveals the framework</source>
            <translation>X-Powered-By: {value} revela el framework</translation>
        </message>
        <message>
            <source>Headers of GET /health: </source>
            <translation>Cabeceras de GET /health: </translation>
        </message>
        <message>
            <source>missing {names}</source>
            <translation>faltan {names}</translation>
        </message>
        <message>
            <source>all five security headers present</source>
            <translation>están las cinco cabeceras de seguridad</translation>
        </message>
        <message>
            <source>Add the missing headers (Helmet in the server, or the reverse proxy).</source>
            <translation>Añade las cabeceras que faltan (Helmet en el servidor, o el proxy inverso).</translation>
        </message>
        <message>
            <source>Plain http:// on this computer: there is no certificate to check.</source>
            <translation>http:// sin cifrar en este ordenador: no hay certificado que comprobar.</translation>
        </message>
        <message>
            <source>Plain http:// to {host}: no certificate to check, and passwords and tokens cross the network unencrypted.</source>
            <translation>http:// sin cifrar hacia {host}: no hay certificado que comprobar, y las contraseñas y los tokens cruzan la red sin cifrar.</translation>
        </message>
        <message>
            <source>Serve the API over https, e.g. behind a reverse proxy.</source>
            <translation>Sirve la API por https, por ejemplo detrás de un proxy inverso.</translation>
        </message>
        <message>
            <source>expires {date} ({days:.0f} days left)</source>
            <translation>caduca el {date} (quedan {days:.0f} días)</translation>
        </message>
        <message>
            <source>expired on {date}</source>
            <translation>caducó el {date}</translation>
        </message>
        <message>
            <source>Certificate of {host}:{port} issued by {issuer}, {expiry}, {version}</source>
            <translation>Certificado de {host}:{port} emitido por {issuer}, {expiry}, {version}</translation>
        </message>
        <message>
            <source>; not trusted: {problem}</source>
            <translation>; no es de confianza: {problem}</translation>
        </message>
        <message>
            <source>Install a certificate from a trusted authority (e.g. Let's Encrypt) that names this host; with a private CA, pass --ca-bundle.</source>
            <translation>Instala un certificado de una autoridad de confianza (por ejemplo, Let's Encrypt) que incluya este host; con una CA privada, usa --ca-bundle.</translation>
        </message>
        <message>
            <source>Renew the certificate now (less than {days} days left).</source>
            <translation>Renueva ya el certificado (quedan menos de {days} días).</translation>
        </message>
        <message>
            <source>No login or registration reply to inspect (read-only run without an account).</source>
            <translation>No hay respuesta de inicio de sesión ni de registro que inspeccionar (ejecución de solo lectura sin cuenta).</translation>
        </message>
        <message>
            <source>No login or registration reply to inspect.</source>
            <translation>No hay respuesta de inicio de sesión ni de registro que inspeccionar.</translation>
        </message>
        <message>
            <source>The `user` objects of {sources} hold none of {keys}.</source>
            <translation>Los objetos `user` de {sources} no contienen ninguno de estos campos: {keys}.</translation>
        </message>
        <message>
            <source>The `user` object of the auth replies exposes {found}.</source>
            <translation>El objeto `user` de las respuestas de autenticación expone {found}.</translation>
        </message>
        <message>
            <source>Strip secrets from the user object the server returns: with 2FA on, twoFactorSecret lets anyone who sees the reply generate codes.</source>
            <translation>Quita los secretos del objeto user que devuelve el servidor: con la verificación en dos pasos activada, twoFactorSecret permite generar códigos a cualquiera que vea la respuesta.</translation>
        </message>
        <message>
            <source> with Origin: {origin}</source>
            <translation> con Origin: {origin}</translation>
        </message>
        <message>
            <source>; Access-Control-Allow-Origin: {value}</source>
            <translation>; Access-Control-Allow-Origin: {value}</translation>
        </message>
        <message>
            <source> with Allow-Credentials: true</source>
            <translation> con Allow-Credentials: true</translation>
        </message>
        <message>
            <source>Any web page can call the API with its visitors' credentials: run the server with NODE_ENV=production and list the real origins in FRONTEND_URL.</source>
            <translation>Cualquier página web puede llamar a la API con las credenciales de quien la visita: ejecuta el servidor con NODE_ENV=production e indica los orígenes reales en FRONTEND_URL.</translation>
        </message>
        <message>
            <source>; origin refused, but with HTTP {code} instead of a clean rejection (a known server defect)</source>
            <translation>; origen rechazado, pero con HTTP {code} en lugar de un rechazo limpio (un defecto conocido del servidor)</translation>
        </message>
        <message>
            <source>; the origin is not allowed</source>
            <translation>; el origen no está permitido</translation>
        </message>
        <message>
            <source>GET {path} was refused with 429 after {count} requests{retry}.</source>
            <translation>GET {path} se rechazó con 429 tras {count} peticiones{retry}.</translation>
        </message>
        <message>
            <source>X-RateLimit-Remaining reached 0 at request {at} of GET {path}, yet request {sent} still got {code}: the limiter counts but never blocks.</source>
            <translation>X-RateLimit-Remaining llegó a 0 en la petición {at} de GET {path}, pero la petición {sent} aún obtuvo {code}: el limitador cuenta, pero nunca bloquea.</translation>
        </message>
        <message>
            <source>Fix the server's throttler storage, or rate-limit at the reverse proxy.</source>
            <translation>Corrige el almacenamiento del limitador del servidor o limita las peticiones en el proxy inverso.</translation>
        </message>
        <message>
            <source>{count} requests to GET {path} passed without rate-limit headers or a 429; a limit, if any, is higher or enforced elsewhere.</source>
            <translation>{count} peticiones a GET {path} pasaron sin cabeceras de límite ni un 429; si hay un límite, es más alto o se aplica en otro sitio.</translation>
        </message>
        <message>
            <source>Make sure a rate limit applies, at the server or the proxy.</source>
            <translation>Asegúrate de que se aplica un límite de peticiones, en el servidor o en el proxy.</translation>
        </message>
        <message>
            <source>The rate limit of GET {path} is higher than the {count} requests this check may spend.</source>
            <translation>El límite de peticiones de GET {path} es mayor que las {count} peticiones que puede gastar esta comprobación.</translation>
        </message>
        <message>
            <source>Check the limit by hand if it matters to you.</source>
            <translation>Compruébalo a mano si te importa.</translation>
        </message>
        <message>
            <source>passed: {passed}, failed: {failed}, errors: {errors}, skipped: {skipped}</source>
            <translation>superadas: {passed}, fallidas: {failed}, con error: {errors}, omitidas: {skipped}</translation>
        </message>
        <message>
            <source>Smoke checks and hardening audit of {server}</source>
            <translation>Pruebas de humo y auditoría de seguridad de {server}</translation>
        </message>
        <message>
            <source>Started {start}, took {seconds:.1f} s{mode}</source>
            <translation>Iniciado {start}, duró {seconds:.1f} s{mode}</translation>
        </message>
        <message>
            <source>, read-only</source>
            <translation>, solo lectura</translation>
        </message>
        <message>
            <source>Advice: </source>
            <translation>Consejo: </translation>
        </message>
        <message>
            <source>Cancelled before the end.</source>
            <translation>Cancelado antes de terminar.</translation>
        </message>
        <message>
            <source>Liveness (GET /health)</source>
            <translation>Disponibilidad (GET /health)</translation>
        </message>
        <message>
            <source>Detailed health (GET /health/status)</source>
            <translation>Estado detallado (GET /health/status)</translation>
        </message>
        <message>
            <source>Register a throw-away account</source>
            <translation>Registrar una cuenta desechable</translation>
        </message>
        <message>
            <source>Log in</source>
            <translation>Iniciar sesión</translation>
        </message>
        <message>
            <source>Wrong password refused (401)</source>
            <translation>Contraseña incorrecta rechazada (401)</translation>
        </message>
        <message>
            <source>Protected route without a token (401)</source>
            <translation>Ruta protegida sin token (401)</translation>
        </message>
        <message>
            <source>Protected route with a token (200)</source>
            <translation>Ruta protegida con token (200)</translation>
        </message>
        <message>
            <source>Credit balance</source>
            <translation>Saldo de créditos</translation>
        </message>
        <message>
            <source>Credit transactions</source>
            <translation>Movimientos de créditos</translation>
        </message>
        <message>
            <source>Create a post</source>
            <translation>Crear una publicación</translation>
        </message>
        <message>
            <source>Social feed</source>
            <translation>Muro social</translation>
        </message>
        <message>
            <source>Read a post</source>
            <translation>Leer una publicación</translation>
        </message>
        <message>
            <source>Offer list</source>
            <translation>Lista de ofertas</translation>
        </message>
        <message>
            <source>Event list</source>
            <translation>Lista de eventos</translation>
        </message>
        <message>
            <source>Search</source>
            <translation>Búsqueda</translation>
        </message>
        <message>
            <source>Invalid input refused (400)</source>
            <translation>Datos no válidos rechazados (400)</translation>
        </message>
        <message>
            <source>Undeclared field refused (400)</source>
            <translation>Campo no declarado rechazado (400)</translation>
        </message>
        <message>
            <source>Unknown route: 404 with the error envelope</source>
            <translation>Ruta desconocida: 404 con el formato común de error</translation>
        </message>
        <message>
            <source>Delete the smoke post</source>
            <translation>Borrar la publicación de prueba</translation>
        </message>
        <message>
            <source>API documentation not public</source>
            <translation>Documentación de la API no pública</translation>
        </message>
        <message>
            <source>No stack traces in error bodies</source>
            <translation>Sin trazas de pila en los errores</translation>
        </message>
        <message>
            <source>Security headers</source>
            <translation>Cabeceras de seguridad</translation>
        </message>
        <message>
            <source>TLS certificate</source>
            <translation>Certificado TLS</translation>
        </message>
        <message>
            <source>No secrets in auth replies</source>
            <translation>Sin secretos en las respuestas de autenticación</translation>
        </message>
        <message>
            <source>CORS does not reflect any origin</source>
            <translation>El CORS no refleja cualquier origen</translation>
        </message>
        <message>
            <source>Rate limiting enforced</source>
            <translation>Límite de peticiones aplicado</translation>
        </message>
        <message>
            <source>{target}: no answer within the timeout ({kind}).</source>
            <translation>{target}: sin respuesta dentro del tiempo de espera ({kind}).</translation>
        </message>
        <message>
            <source>{target}: {reason} ({kind}).</source>
            <translation>{target}: {reason} ({kind}).</translation>
        </message>
        <message>
            <source>Cancelled.</source>
            <translation>Cancelado.</translation>
        </message>
        <message>
            <source>Not run: the server did not answer (see {check}).</source>
            <translation>No ejecutada: el servidor no respondió (ver {check}).</translation>
        </message>
        <message>
            <source>Refused to send: {reason}</source>
            <translation>Envío rechazado: {reason}</translation>
        </message>
        <message>
            <source>Check the URL, that the server runs, and that nothing blocks the connection.</source>
            <translation>Comprueba la URL, que el servidor está en marcha y que nada bloquea la conexión.</translation>
        </message>
        <message>
            <source>Network error: {reason}</source>
            <translation>Error de red: {reason}</translation>
        </message>
        <message>
            <source>The check itself failed: {kind}: {reason}</source>
            <translation>La propia comprobación ha fallado: {kind}: {reason}</translation>
        </message>
        <message>
            <source>This is a bug in Viva Desktop; please report it with this line.</source>
            <translation>Es un fallo de Viva Desktop; infórmanos de él incluyendo esta línea.</translation>
        </message>
    </context>
    <context>
        <name>SmokePage</name>
        <message>
            <source>Smoke checks &amp; audit</source>
            <translation>Pruebas de humo y auditoría</translation>
        </message>
        <message>
            <source>Runs the server's smoke checks, rewritten for the real API, and a hardening audit (public API docs, stack traces, rate limits, security headers, TLS, secrets in replies, CORS). It never calls a destructive route; read-only runs write nothing. Without an account, a throw-away one is registered unless the run is read-only. The password is used for this run only.</source>
            <translation>Ejecuta las pruebas de humo del servidor, reescritas para la API real, y una auditoría de seguridad (documentación de la API pública, trazas de pila, límites de peticiones, cabeceras de seguridad, TLS, secretos en las respuestas, CORS). Nunca llama a una ruta destructiva; las ejecuciones de solo lectura no escriben nada. Sin cuenta, se registra una desechable salvo en solo lectura. La contraseña solo se usa en esta ejecución.</translation>
        </message>
        <message>
            <source>Server:</source>
            <translation>Servidor:</translation>
        </message>
        <message>
            <source>Active profile</source>
            <translation>Perfil activo</translation>
        </message>
        <message>
            <source>Use the active server profile's address</source>
            <translation>Usar la dirección del perfil de servidor activo</translation>
        </message>
        <message>
            <source>Account (optional):</source>
            <translation>Cuenta (opcional):</translation>
        </message>
        <message>
            <source>Server address</source>
            <translation>Dirección del servidor</translation>
        </message>
        <message>
            <source>Account e-mail (optional)</source>
            <translation>Correo de la cuenta (opcional)</translation>
        </message>
        <message>
            <source>Account password (optional, never stored)</source>
            <translation>Contraseña de la cuenta (opcional, nunca se guarda)</translation>
        </message>
        <message>
            <source>Check results</source>
            <translation>Resultados de las pruebas</translation>
        </message>
        <message>
            <source>Details of the selected check</source>
            <translation>Detalles de la prueba seleccionada</translation>
        </message>
        <message>
            <source>e-mail</source>
            <translation>correo electrónico</translation>
        </message>
        <message>
            <source>password (never stored)</source>
            <translation>contraseña (nunca se guarda)</translation>
        </message>
        <message>
            <source>Read-only: make no writes (for production servers)</source>
            <translation>Solo lectura: no escribir nada (para servidores de producción)</translation>
        </message>
        <message>
            <source>Run checks</source>
            <translation>Ejecutar las pruebas</translation>
        </message>
        <message>
            <source>Cancel</source>
            <translation>Cancelar</translation>
        </message>
        <message>
            <source>Save report…</source>
            <translation>Guardar el informe…</translation>
        </message>
        <message>
            <source>Result</source>
            <translation>Resultado</translation>
        </message>
        <message>
            <source>Check</source>
            <translation>Prueba</translation>
        </message>
        <message>
            <source>Kind</source>
            <translation>Tipo</translation>
        </message>
        <message>
            <source>Time</source>
            <translation>Tiempo</translation>
        </message>
        <message>
            <source>%v of %m checks</source>
            <translation>%v de %m pruebas</translation>
        </message>
        <message>
            <source>“Read-only” is ticked: the checks will write nothing. Keep it ticked for a production server.</source>
            <translation>«Solo lectura» está marcado: las pruebas no escribirán nada. Déjalo marcado para un servidor de producción.</translation>
        </message>
        <message>
            <source>“Read-only” is not ticked: the checks may register a throw-away account and write a post. Tick it before checking a production server.</source>
            <translation>«Solo lectura» no está marcado: las pruebas pueden registrar una cuenta desechable y publicar un mensaje. Márcalo antes de probar un servidor de producción.</translation>
        </message>
        <message>
            <source>Press “Run checks” to check the server above.</source>
            <translation>Pulsa «Ejecutar las pruebas» para probar el servidor de arriba.</translation>
        </message>
        <message>
            <source>Enter the server's address, starting with http:// or https://.</source>
            <translation>Escribe la dirección del servidor, empezando por http:// o https://.</translation>
        </message>
        <message>
            <source>Give both the e-mail and the password of the account, or neither.</source>
            <translation>Indica el correo y la contraseña de la cuenta, o ninguno de los dos.</translation>
        </message>
        <message>
            <source>Checking {server}…</source>
            <translation>Comprobando {server}…</translation>
        </message>
        <message>
            <source>(read-only)</source>
            <translation>(solo lectura)</translation>
        </message>
        <message>
            <source>Cancelling after the current check…</source>
            <translation>Cancelando tras la prueba en curso…</translation>
        </message>
        <message>
            <source>The checks could not run.</source>
            <translation>No se han podido ejecutar las pruebas.</translation>
        </message>
        <message numerus="yes">
            <source>Cancelled after %n check(s).</source>
            <translation>
                <numerusform>Cancelado tras %n prueba.</numerusform>
                <numerusform>Cancelado tras %n pruebas.</numerusform>
            </translation>
        </message>
        <message>
            <source>health</source>
            <translation>estado</translation>
        </message>
        <message>
            <source>sign-in</source>
            <translation>inicio de sesión</translation>
        </message>
        <message>
            <source>data</source>
            <translation>datos</translation>
        </message>
        <message>
            <source>validation</source>
            <translation>validación</translation>
        </message>
        <message>
            <source>hardening</source>
            <translation>seguridad</translation>
        </message>
        <message>
            <source>Cancelled. {summary}</source>
            <translation>Cancelado. {summary}</translation>
        </message>
        <message>
            <source>see the failed checks for advice.</source>
            <translation>consulta las pruebas fallidas para ver qué hacer.</translation>
        </message>
        <message>
            <source>Evidence: {text}</source>
            <translation>Evidencia: {text}</translation>
        </message>
        <message>
            <source>Advice: {text}</source>
            <translation>Consejo: {text}</translation>
        </message>
        <message>
            <source>Text report (*.txt)</source>
            <translation>Informe de texto (*.txt)</translation>
        </message>
        <message>
            <source>JUnit XML (*.xml)</source>
            <translation>JUnit XML (*.xml)</translation>
        </message>
        <message>
            <source>JSON (*.json)</source>
            <translation>JSON (*.json)</translation>
        </message>
        <message>
            <source>Save the smoke report</source>
            <translation>Guardar el informe de las pruebas</translation>
        </message>
        <message>
            <source>Report saved to {path}.</source>
            <translation>Informe guardado en {path}.</translation>
        </message>
    </context>
    <context>
        <name>Startup</name>
        <message>
            <source>Checking the system keyring…</source>
            <translation>Comprobando el llavero del sistema…</translation>
        </message>
        <message>
            <source>Opening the local data store…</source>
            <translation>Abriendo el almacén de datos local…</translation>
        </message>
        <message>
            <source>The store did not answer (attempt {attempt}); trying again in {wait} s…</source>
            <translation>El almacén no responde (intento {attempt}); se reintentará en {wait} s…</translation>
        </message>
        <message>
            <source>Viva Desktop</source>
            <translation>Viva Desktop</translation>
        </message>
        <message>
            <source>Starting Viva Desktop…</source>
            <translation>Iniciando Viva Desktop…</translation>
        </message>
        <message>
            <source>There is no server profile called “{name}”.</source>
            <translation>No hay ningún perfil de servidor llamado «{name}».</translation>
        </message>
        <message>
            <source>Signing in to the sandbox…</source>
            <translation>Iniciando sesión en el sandbox…</translation>
        </message>
        <message>
            <source>Starting the built-in sandbox…</source>
            <translation>Arrancando el sandbox integrado…</translation>
        </message>
        <message>
            <source>The built-in sandbox could not be started: {reason}</source>
            <translation>No se pudo arrancar el sandbox integrado: {reason}</translation>
        </message>
        <message>
            <source>Resuming your session on {name}…</source>
            <translation>Recuperando tu sesión en {name}…</translation>
        </message>
        <message>
            <source>Connecting to {name}…</source>
            <translation>Conectando con {name}…</translation>
        </message>
        <message>
            <source>Loading the settings…</source>
            <translation>Cargando la configuración…</translation>
        </message>
    </context>
    <context>
        <name>StateBadge</name>
        <message>
            <source>Not checked yet</source>
            <translation>Aún sin comprobar</translation>
        </message>
        <message>
            <source>Server state: {state}</source>
            <translation>Estado del servidor: {state}</translation>
        </message>
    </context>
    <context>
        <name>StateTimeline</name>
        <message>
            <source>No data in this range.</source>
            <translation>No hay datos en este intervalo.</translation>
        </message>
        <message>
            <source>States in this range: {states}</source>
            <translation>Estados en este intervalo: {states}</translation>
        </message>
        <message>
            <source>No data: nobody was watching.</source>
            <translation>Sin datos: nadie estaba vigilando.</translation>
        </message>
        <message>
            <source>{state} from {start} to {end}</source>
            <translation>{state} desde {start} hasta {end}</translation>
        </message>
    </context>
    <context>
        <name>Store</name>
        <message>
            <source>The local data store could not be opened. Check that its database is running and reachable, or switch to the local SQLite store in Settings.</source>
            <translation>No se pudo abrir el almacén de datos local. Comprueba que su base de datos está en marcha y es accesible, o cambia al almacén SQLite local en la configuración.</translation>
        </message>
        <message>
            <source>The local data store could not be upgraded. Restore its backup copy or start with a fresh store.</source>
            <translation>No se pudo actualizar el almacén de datos local. Restaura su copia de seguridad o empieza con un almacén nuevo.</translation>
        </message>
        <message>
            <source>Another copy of Viva Desktop is working on this data right now. Try again when it has finished.</source>
            <translation>Otra copia de Viva Desktop está trabajando con estos datos ahora mismo. Inténtalo de nuevo cuando termine.</translation>
        </message>
        <message>
            <source>Store unreachable: {reason}</source>
            <translation>Almacén inaccesible: {reason}</translation>
        </message>
        <message>
            <source>Store reachable</source>
            <translation>Almacén accesible</translation>
        </message>
    </context>
    <context>
        <name>StoreProblemDialog</name>
        <message>
            <source>Local data store</source>
            <translation>Almacén de datos local</translation>
        </message>
        <message>
            <source>The local data store is not available</source>
            <translation>El almacén de datos local no está disponible</translation>
        </message>
        <message>
            <source>Try again</source>
            <translation>Reintentar</translation>
        </message>
        <message>
            <source>Use a local SQLite store for now</source>
            <translation>Usar por ahora un almacén SQLite local</translation>
        </message>
        <message>
            <source>Keep working with a store file on this computer until the next start</source>
            <translation>Seguir trabajando con un archivo de almacén en este ordenador hasta el próximo inicio</translation>
        </message>
        <message>
            <source>Quit</source>
            <translation>Salir</translation>
        </message>
    </context>
    <context>
        <name>Sync</name>
        <message>
            <source>{account} on {host}</source>
            <translation>{account} en {host}</translation>
        </message>
        <message>
            <source>a teammate</source>
            <translation>un compañero</translation>
        </message>
        <message>
            <source>synced by {account} at {time}</source>
            <translation>sincronizado por {account} a las {time}</translation>
        </message>
    </context>
    <context>
        <name>SyncPage</name>
        <message>
            <source>Sync</source>
            <translation>Sincronización</translation>
        </message>
        <message>
            <source>Local copy</source>
            <translation>Copia local</translation>
        </message>
        <message>
            <source>Synchronise now</source>
            <translation>Sincronizar ahora</translation>
        </message>
        <message>
            <source>Send the queued changes, then download everything that changed.</source>
            <translation>Envía los cambios en cola y después descarga todo lo que haya cambiado.</translation>
        </message>
        <message>
            <source>Cancel</source>
            <translation>Cancelar</translation>
        </message>
        <message>
            <source>Full pass (check every record again)</source>
            <translation>Pasada completa (volver a comprobar cada registro)</translation>
        </message>
        <message>
            <source>Also finds records deleted on the server. Otherwise posts and transactions are downloaded incrementally between the daily full passes.</source>
            <translation>También detecta los registros borrados en el servidor. Si no, las publicaciones y los movimientos se descargan de forma incremental entre las pasadas completas diarias.</translation>
        </message>
        <message>
            <source>Starting…</source>
            <translation>Empezando…</translation>
        </message>
        <message>
            <source>Cancelling after the current page…</source>
            <translation>Cancelando después de la página actual…</translation>
        </message>
        <message>
            <source>Sending queued changes: {done} of {total}</source>
            <translation>Enviando los cambios en cola: {done} de {total}</translation>
        </message>
        <message>
            <source>Downloading {entity}: {pages} page(s), {items} record(s)</source>
            <translation>Descargando {entity}: {pages} página(s), {items} registro(s)</translation>
        </message>
        <message>
            <source>{rate} records/s</source>
            <translation>{rate} registros/s</translation>
        </message>
        <message>
            <source>{time} left</source>
            <translation>quedan {time}</translation>
        </message>
        <message>
            <source>{entity}: being synced by {who} — waiting for it to finish</source>
            <translation>{entity}: lo está sincronizando {who}; esperando a que termine</translation>
        </message>
        <message numerus="yes">
            <source>Up to date: %n record(s) downloaded.</source>
            <translation>
                <numerusform>Al día: %n registro descargado.</numerusform>
                <numerusform>Al día: %n registros descargados.</numerusform>
            </translation>
        </message>
        <message numerus="yes">
            <source>Downloaded %n record(s); not complete: {entities}.</source>
            <translation>
                <numerusform>Descargado %n registro; incompleto: {entities}.</numerusform>
                <numerusform>Descargados %n registros; incompleto: {entities}.</numerusform>
            </translation>
        </message>
        <message>
            <source>The synchronisation stopped: {reason}</source>
            <translation>La sincronización se ha detenido: {reason}</translation>
        </message>
        <message>
            <source>Cancelled. The next synchronisation continues where this one stopped.</source>
            <translation>Cancelada. La próxima sincronización continuará donde se detuvo esta.</translation>
        </message>
        <message>
            <source>Not run</source>
            <translation>Sin ejecutar</translation>
        </message>
        <message>
            <source>Interrupted: resumes next time</source>
            <translation>Interrumpida: se reanuda la próxima vez</translation>
        </message>
        <message>
            <source>Complete</source>
            <translation>Completa</translation>
        </message>
        <message>
            <source>Cancelled: resumes next time</source>
            <translation>Cancelada: se reanuda la próxima vez</translation>
        </message>
        <message>
            <source>Failed</source>
            <translation>Fallida</translation>
        </message>
        <message>
            <source>Waiting for the server's rate limit</source>
            <translation>Esperando al límite de peticiones del servidor</translation>
        </message>
        <message>
            <source>With communities</source>
            <translation>Con las comunidades</translation>
        </message>
        <message>
            <source>Never</source>
            <translation>Nunca</translation>
        </message>
        <message>
            <source>Waiting: resumes at {time}</source>
            <translation>En espera: se reanuda a las {time}</translation>
        </message>
        <message>
            <source>Downloading…</source>
            <translation>Descargando…</translation>
        </message>
        <message>
            <source>{rate}/s</source>
            <translation>{rate}/s</translation>
        </message>
        <message>
            <source>never</source>
            <translation>nunca</translation>
        </message>
        <message>
            <source>Offline: the local copy cannot be updated and queued changes wait until you connect to the server.</source>
            <translation>Sin conexión: la copia local no se puede actualizar y los cambios en cola esperan hasta que te conectes al servidor.</translation>
        </message>
        <message>
            <source>Not signed in: only public data can be downloaded, and queued changes wait until you sign in.</source>
            <translation>Sin sesión iniciada: solo se pueden descargar los datos públicos, y los cambios en cola esperan hasta que inicies sesión.</translation>
        </message>
        <message>
            <source>Connect to the server to synchronise.</source>
            <translation>Conéctate al servidor para sincronizar.</translation>
        </message>
    </context>
    <context>
        <name>SyncWaits</name>
        <message>
            <source>Waiting for the server's rate limit — resumes at {time}</source>
            <translation>Esperando al límite de peticiones del servidor: se reanuda a las {time}</translation>
        </message>
        <message>
            <source>{entities} wait for the server's rate limit: the sync resumes by itself at {time}.</source>
            <translation>{entities} esperan al límite de peticiones del servidor: la sincronización se reanuda sola a las {time}.</translation>
        </message>
        <message>
            <source>No answer for {seconds} s — retrying until {time}</source>
            <translation>Sin respuesta desde hace {seconds} s: se reintenta hasta las {time}</translation>
        </message>
        <message>
            <source>No answer for {seconds} s — not repeated: it fails at its timeout</source>
            <translation>Sin respuesta desde hace {seconds} s: no se repite, fallará al agotar su tiempo</translation>
        </message>
    </context>
    <context>
        <name>TaskProgressDialog</name>
        <message>
            <source>Cancelling…</source>
            <translation>Cancelando…</translation>
        </message>
    </context>
    <context>
        <name>Tray</name>
        <message>
            <source>Hide window</source>
            <translation>Ocultar la ventana</translation>
        </message>
        <message>
            <source>Show window</source>
            <translation>Mostrar la ventana</translation>
        </message>
        <message>
            <source>Mute notifications</source>
            <translation>Silenciar avisos</translation>
        </message>
        <message>
            <source>Quit</source>
            <translation>Salir</translation>
        </message>
        <message>
            <source>Viva Desktop</source>
            <translation>Viva Desktop</translation>
        </message>
        <message>
            <source>In trouble: {names}</source>
            <translation>Con problemas: {names}</translation>
        </message>
        <message>
            <source>Up, but degraded: {names}</source>
            <translation>Funcionan, pero degradados: {names}</translation>
        </message>
        <message>
            <source>Viva Desktop: every deployment is up</source>
            <translation>Viva Desktop: todos los despliegues funcionan</translation>
        </message>
    </context>
    <context>
        <name>Validation</name>
        <message>
            <source>This field is required.</source>
            <translation>Este campo es obligatorio.</translation>
        </message>
        <message>
            <source>Enter text.</source>
            <translation>Escribe un texto.</translation>
        </message>
        <message>
            <source>This field cannot be empty.</source>
            <translation>Este campo no puede estar vacío.</translation>
        </message>
        <message>
            <source>HTML markup was removed: the server stores plain text only.</source>
            <translation>Se ha quitado el marcado HTML: el servidor solo guarda texto plano.</translation>
        </message>
        <message>
            <source>The server cuts text at a '&lt;' (up to the next '&gt;'), so part of this text will be lost. It would be saved as: “{stored}”</source>
            <translation>El servidor corta el texto en cada '&lt;' (hasta el siguiente '&gt;'), así que se perderá parte de este texto. Se guardaría así: «{stored}»</translation>
        </message>
        <message>
            <source>The server stores '&gt;' as '&amp;gt;'; other applications may show it that way.</source>
            <translation>El servidor guarda '&gt;' como '&amp;gt;'; otras aplicaciones pueden mostrarlo así.</translation>
        </message>
        <message>
            <source>Enter at least {minimum} characters.</source>
            <translation>Escribe al menos {minimum} caracteres.</translation>
        </message>
        <message>
            <source>Too long: {length} characters, at most {maximum} allowed.</source>
            <translation>Demasiado largo: {length} caracteres; se permiten como máximo {maximum}.</translation>
        </message>
        <message>
            <source>Enter an identifier (text).</source>
            <translation>Escribe un identificador (texto).</translation>
        </message>
        <message>
            <source>Identifiers contain no spaces, quotes or '&lt;', '&gt;'.</source>
            <translation>Los identificadores no llevan espacios, comillas ni '&lt;', '&gt;'.</translation>
        </message>
        <message>
            <source>Enter a UUID (e.g. from the item's URL).</source>
            <translation>Escribe un UUID (por ejemplo, el de la URL del elemento).</translation>
        </message>
        <message>
            <source>Choose one of: {choices}.</source>
            <translation>Elige una de estas opciones: {choices}.</translation>
        </message>
        <message>
            <source>Enter a value of at least {minimum}.</source>
            <translation>Escribe un valor de al menos {minimum}.</translation>
        </message>
        <message>
            <source>Enter a value greater than {minimum}.</source>
            <translation>Escribe un valor mayor que {minimum}.</translation>
        </message>
        <message>
            <source>Enter a value of at most {maximum}.</source>
            <translation>Escribe un valor de como máximo {maximum}.</translation>
        </message>
        <message>
            <source>Enter a valid value.</source>
            <translation>Escribe un valor válido.</translation>
        </message>
        <message>
            <source>Enter a number.</source>
            <translation>Escribe un número.</translation>
        </message>
        <message>
            <source>Enter a finite number.</source>
            <translation>Escribe un número finito.</translation>
        </message>
        <message>
            <source>Enter a whole number.</source>
            <translation>Escribe un número entero.</translation>
        </message>
        <message>
            <source>This number is too large.</source>
            <translation>Este número es demasiado grande.</translation>
        </message>
        <message>
            <source>The server treats a coordinate of exactly 0 as missing in distance searches.</source>
            <translation>En las búsquedas por distancia, el servidor trata una coordenada exactamente igual a 0 como si no existiera.</translation>
        </message>
        <message>
            <source>Choose yes or no.</source>
            <translation>Elige sí o no.</translation>
        </message>
        <message>
            <source>Enter a web address.</source>
            <translation>Escribe una dirección web.</translation>
        </message>
        <message>
            <source>Enter a complete http:// or https:// address without spaces.</source>
            <translation>Escribe una dirección http:// o https:// completa y sin espacios.</translation>
        </message>
        <message>
            <source>Entry {number} is not a complete http:// or https:// address.</source>
            <translation>La entrada {number} no es una dirección http:// o https:// completa.</translation>
        </message>
        <message>
            <source>This address uses plain http://; prefer https:// so it is not sent in clear text.</source>
            <translation>Esta dirección usa http:// sin cifrar; mejor https:// para que no viaje en claro.</translation>
        </message>
        <message>
            <source>Enter a list of texts.</source>
            <translation>Escribe una lista de textos.</translation>
        </message>
        <message>
            <source>Entry {number} is not text.</source>
            <translation>La entrada {number} no es un texto.</translation>
        </message>
        <message>
            <source>Enter an e-mail address.</source>
            <translation>Escribe un correo electrónico.</translation>
        </message>
        <message>
            <source>Enter a valid e-mail address, e.g. ana@example.org.</source>
            <translation>Escribe un correo electrónico válido, por ejemplo ana@ejemplo.org.</translation>
        </message>
        <message>
            <source>Enter a date and time, e.g. 2025-12-01T10:00 (ISO 8601).</source>
            <translation>Escribe una fecha y hora, por ejemplo 2025-12-01T10:00 (ISO 8601).</translation>
        </message>
        <message>
            <source>Enter a group of values.</source>
            <translation>Escribe un grupo de valores.</translation>
        </message>
        <message>
            <source>The server does not accept this field, so it will not be sent.</source>
            <translation>El servidor no acepta este campo, así que no se enviará.</translation>
        </message>
        <message>
            <source>Nothing to change.</source>
            <translation>No hay nada que cambiar.</translation>
        </message>
        <message>
            <source>Enter a phone number.</source>
            <translation>Escribe un número de teléfono.</translation>
        </message>
        <message>
            <source>Enter the phone number in international format, e.g. +34600123456 (2 to 15 digits, not starting with 0).</source>
            <translation>Escribe el teléfono en formato internacional, por ejemplo +34600123456 (de 2 a 15 cifras, sin empezar por 0).</translation>
        </message>
        <message>
            <source>The server removes everything from '&lt;' to the next '&gt;' in passwords, which leaves fewer than {minimum} characters here.</source>
            <translation>En las contraseñas, el servidor elimina todo lo que va de '&lt;' al siguiente '&gt;', lo que aquí deja menos de {minimum} caracteres.</translation>
        </message>
        <message>
            <source>Use at least {minimum} characters.</source>
            <translation>Usa al menos {minimum} caracteres.</translation>
        </message>
        <message>
            <source>The server removes everything from '&lt;' to the next '&gt;' in passwords, so the password that really counts is shorter than the one typed.</source>
            <translation>En las contraseñas, el servidor elimina todo lo que va de '&lt;' al siguiente '&gt;', así que la contraseña que cuenta de verdad es más corta que la escrita.</translation>
        </message>
        <message>
            <source>This does not look like an e-mail address.</source>
            <translation>Esto no parece un correo electrónico.</translation>
        </message>
        <message>
            <source>The server compares e-mail addresses exactly, upper and lower case included.</source>
            <translation>El servidor compara los correos electrónicos tal cual, distinguiendo mayúsculas y minúsculas.</translation>
        </message>
        <message>
            <source>Enter the 6-digit code from the authenticator app or an 8-character backup code.</source>
            <translation>Escribe el código de 6 cifras de la aplicación de autenticación o un código de respaldo de 8 caracteres.</translation>
        </message>
        <message>
            <source>This cannot be changed through the server's API, so it will not be sent.</source>
            <translation>Esto no se puede cambiar mediante la API del servidor, así que no se enviará.</translation>
        </message>
        <message>
            <source>Slugs work best as lower-case words joined by hyphens, e.g. “{suggestion}”. Each slug can be used once only.</source>
            <translation>Los slugs funcionan mejor como palabras en minúsculas unidas por guiones, por ejemplo «{suggestion}». Cada slug solo puede usarse una vez.</translation>
        </message>
        <message>
            <source>Use a colour like #4CAF50.</source>
            <translation>Usa un color como #4CAF50.</translation>
        </message>
        <message>
            <source>The web application offers: {choices}.</source>
            <translation>La aplicación web ofrece: {choices}.</translation>
        </message>
        <message>
            <source>After the first 30 days this can only change through a COMMUNITY_UPDATE proposal.</source>
            <translation>Pasados los primeros 30 días, esto solo puede cambiarse mediante una propuesta COMMUNITY_UPDATE.</translation>
        </message>
        <message>
            <source>Only founders may change this, and only in the community's first 30 days; later it needs a COMMUNITY_UPDATE proposal.</source>
            <translation>Solo las personas fundadoras pueden cambiarlo, y solo durante los primeros 30 días de la comunidad; después hace falta una propuesta COMMUNITY_UPDATE.</translation>
        </message>
        <message>
            <source>Choose approve or reject.</source>
            <translation>Elige aprobar o rechazar.</translation>
        </message>
        <message>
            <source>A short note helps the person understand the decision.</source>
            <translation>Una nota breve ayuda a la persona a entender la decisión.</translation>
        </message>
        <message>
            <source>This cannot be set through the server's API.</source>
            <translation>Esto no se puede establecer mediante la API del servidor.</translation>
        </message>
        <message>
            <source>The server's database uses other event types (WORKSHOP, MARKET...), so some servers fail when this is set.</source>
            <translation>La base de datos del servidor usa otros tipos de evento (WORKSHOP, MARKET...), así que algunos servidores fallan si se indica.</translation>
        </message>
        <message>
            <source>Events have no category on the server (sending one makes it fail), so it will not be sent.</source>
            <translation>Los eventos no tienen categoría en el servidor (enviarla lo hace fallar), así que no se enviará.</translation>
        </message>
        <message>
            <source>A new event must start in the future.</source>
            <translation>Un evento nuevo tiene que empezar en el futuro.</translation>
        </message>
        <message>
            <source>This start time is in the past.</source>
            <translation>Esta hora de inicio ya ha pasado.</translation>
        </message>
        <message>
            <source>The end must be after the start.</source>
            <translation>El final tiene que ser posterior al inicio.</translation>
        </message>
        <message>
            <source>The server's database needs an end time; without one it may fail.</source>
            <translation>La base de datos del servidor necesita una hora de finalización; sin ella puede fallar.</translation>
        </message>
        <message>
            <source>This event lasts more than a month.</source>
            <translation>Este evento dura más de un mes.</translation>
        </message>
        <message>
            <source>This cannot be changed after publishing.</source>
            <translation>Esto no se puede cambiar después de publicar.</translation>
        </message>
        <message>
            <source>The server fails when an update contains this field, so it will not be sent.</source>
            <translation>El servidor falla cuando una actualización incluye este campo, así que no se enviará.</translation>
        </message>
        <message>
            <source>The server ignores this field, so it will not be sent.</source>
            <translation>El servidor ignora este campo, así que no se enviará.</translation>
        </message>
        <message>
            <source>Enter the location as “latitude,longitude”.</source>
            <translation>Escribe la ubicación como «latitud,longitud».</translation>
        </message>
        <message>
            <source>Latitude must be between -90 and 90, longitude between -180 and 180.</source>
            <translation>La latitud debe estar entre -90 y 90, y la longitud entre -180 y 180.</translation>
        </message>
        <message>
            <source>That is a large grant ({amount} credits); please check it.</source>
            <translation>Es una concesión grande ({amount} créditos); revísala, por favor.</translation>
        </message>
        <message>
            <source>A grant always adds credits: the server has no way to deduct them.</source>
            <translation>Una concesión siempre suma créditos: el servidor no tiene forma de restarlos.</translation>
        </message>
        <message>
            <source>This reason has a daily limit of {limit} credits per person, admin grants included; ADMIN_GRANT has none.</source>
            <translation>Este motivo tiene un límite diario de {limit} créditos por persona, incluidas las concesiones de administración; ADMIN_GRANT no tiene límite.</translation>
        </message>
        <message>
            <source>Add a reference (e.g. a ticket number): the server then refuses a second grant with the same person, reason and reference, which makes retrying safe.</source>
            <translation>Añade una referencia (por ejemplo, un número de incidencia): así el servidor rechaza una segunda concesión con la misma persona, motivo y referencia, y reintentar es seguro.</translation>
        </message>
        <message>
            <source>A reason helps the other jurors and the author understand the vote.</source>
            <translation>Un motivo ayuda al resto del jurado y a la persona autora a entender el voto.</translation>
        </message>
        <message>
            <source>Choose approve, reject or distribute.</source>
            <translation>Elige aprobar, rechazar o repartir.</translation>
        </message>
        <message>
            <source>Only an approved request can be distributed.</source>
            <translation>Solo se puede repartir una solicitud aprobada.</translation>
        </message>
        <message>
            <source>Only a pending request can be decided.</source>
            <translation>Solo se puede decidir sobre una solicitud pendiente.</translation>
        </message>
    </context>
    <context>
        <name>ViewsPanel</name>
        <message>
            <source>{name} (shared)</source>
            <translation>{name} (compartida)</translation>
        </message>
        <message>
            <source>Open {page} with this view</source>
            <translation>Abrir {page} con esta vista</translation>
        </message>
        <message>
            <source>Saved views</source>
            <translation>Vistas guardadas</translation>
        </message>
    </context>
    <context>
        <name>VoteDialog</name>
        <message>
            <source>Vote on a moderation case</source>
            <translation>Votar un caso de moderación</translation>
        </message>
        <message>
            <source>You were chosen as a juror. The case closes at the fifth vote or at its deadline ({deadline}); a “{remove}” verdict deletes or cancels the content.</source>
            <translation>Te han elegido como jurado. El caso se cierra con el quinto voto o al llegar su plazo ({deadline}); un veredicto «{remove}» borra o cancela el contenido.</translation>
        </message>
        <message>
            <source>Title</source>
            <translation>Título</translation>
        </message>
        <message>
            <source>Name</source>
            <translation>Nombre</translation>
        </message>
        <message>
            <source>Content</source>
            <translation>Contenido</translation>
        </message>
        <message>
            <source>Description</source>
            <translation>Descripción</translation>
        </message>
        <message>
            <source>Author</source>
            <translation>Autor</translation>
        </message>
        <message>
            <source>Reported because</source>
            <translation>Denunciado porque</translation>
        </message>
        <message>
            <source>Votes so far</source>
            <translation>Votos hasta ahora</translation>
        </message>
        <message>
            <source>Reported item</source>
            <translation>Elemento denunciado</translation>
        </message>
        <message>
            <source>Your vote</source>
            <translation>Tu voto</translation>
        </message>
        <message>
            <source>Reason</source>
            <translation>Motivo</translation>
        </message>
        <message>
            <source>Vote</source>
            <translation>Votar</translation>
        </message>
    </context>
    <context>
        <name>Watch</name>
        <message>
            <source>incident since {time} ({cause})</source>
            <translation>incidencia desde {time} ({cause})</translation>
        </message>
    </context>
    <context>
        <name>WelcomeDialog</name>
        <message>
            <source>Welcome to Viva Desktop</source>
            <translation>Te damos la bienvenida a Viva Desktop</translation>
        </message>
        <message>
            <source>Viva Desktop is the desktop companion of Comunidad Viva, the community economy platform. It is made for the coordinators and administrators of a deployment.</source>
            <translation>Viva Desktop es la aplicación de escritorio de Comunidad Viva, la plataforma de economía comunitaria. Está pensada para quienes coordinan y administran una instalación.</translation>
        </message>
        <message>
            <source>• Browse and filter communities, members, offers, events, posts and credits.
• Make the edits the server allows, even offline: they are sent when you are back online.
• Watch the server's health, check its configuration and run smoke tests.</source>
            <translation>• Consulta y filtra comunidades, miembros, ofertas, eventos, publicaciones y créditos.
• Haz los cambios que permite el servidor, incluso sin conexión: se envían cuando vuelvas a estar en línea.
• Vigila el estado del servidor, revisa su configuración y ejecuta pruebas de humo.</translation>
        </message>
        <message>
            <source>Your password is never stored. Sign-in tokens are kept in the system keyring when there is one.</source>
            <translation>Tu contraseña nunca se guarda. Los tokens de sesión se guardan en el llavero del sistema cuando lo hay.</translation>
        </message>
        <message>
            <source>Try the built-in sandbox</source>
            <translation>Probar el sandbox integrado</translation>
        </message>
        <message>
            <source>Start a practice server on this computer, with made-up Spanish communities, and sign in as its demo administrator. Nothing leaves your machine.</source>
            <translation>Arranca un servidor de prácticas en este ordenador, con comunidades españolas ficticias, e inicia sesión como su administrador de demostración. Nada sale de tu equipo.</translation>
        </message>
        <message>
            <source>Connect to a server…</source>
            <translation>Conectar con un servidor…</translation>
        </message>
        <message>
            <source>Enter the address of your Comunidad Viva server and sign in with your account.</source>
            <translation>Escribe la dirección de tu servidor de Comunidad Viva e inicia sesión con tu cuenta.</translation>
        </message>
        <message>
            <source>Quit</source>
            <translation>Salir</translation>
        </message>
    </context>
    <context>
        <name>YesNo</name>
        <message>
            <source>yes</source>
            <translation>sí</translation>
        </message>
        <message>
            <source>no</source>
            <translation>no</translation>
        </message>
    </context>
</TS>
