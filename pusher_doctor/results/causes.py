"""Every way the chain can break, by stable id: what it means and how to fix it.

Checks name a cause by id; the README's troubleshooting table is this registry. Ids never change
once published: CI scripts match on them.
"""

from __future__ import annotations

from msgspec import Struct

from pusher_doctor.results.outcome import Problem, Remediation, as_remediation

#: where each cause is explained, one heading per id (docs/causes.md, generated from CAUSES)
DOCS_PAGE = "docs/causes.md"


def docs_link(cause_id: str) -> str:
    """The cause's section in the docs: what it means, how to fix it."""
    return f"{DOCS_PAGE}#{cause_id}"


class Cause(Struct, frozen=True):
    id: str
    meaning: str
    fix: Remediation


CAUSES: tuple[Cause, ...] = (
    Cause("missing-setting", "a required Pusher setting is absent",
          Remediation("add it to the backend's .env (or pass the option) with the value from the Pusher dashboard")),
    Cause("malformed-setting", "a setting has the wrong form (quotes, spaces, non-numeric id, bad port...)",
          Remediation("correct the value as the summary says; copy it again from the Pusher dashboard")),
    Cause("invalid-channel-name", "a channel name the backend builds breaks Pusher's naming rules",
          Remediation("use only A-Z a-z 0-9 _ - = @ , . ; and at most 164 characters in slugs and room numbers")),
    Cause("unreachable", "the host does not resolve or refuses the connection",
          Remediation("check PUSHER_HOST/PUSHER_PORT (self-hosted) or PUSHER_CLUSTER (cloud), and that the server runs")),
    Cause("tls-error", "the TLS handshake failed",
          Remediation("use PUSHER_SCHEME=http for a plain server, or fix the server's certificate")),
    Cause("timeout", "the server did not answer in time",
          Remediation("check firewalls and proxies between here and the server, or raise --timeout")),
    Cause("not-pusher", "something answered, but it is not a Pusher-protocol server",
          Remediation("point PUSHER_HOST/PUSHER_PORT at the soketi/Reverb port, not a web server")),
    Cause("app-not-found", "the server has no app with this app id",
          Remediation("copy PUSHER_APP_ID from the dashboard (or the server's app config)")),
    Cause("key-not-found", "the server has no app with this key",
          Remediation("copy PUSHER_KEY from the dashboard; check key and secret are not swapped")),
    Cause("wrong-cluster", "the key belongs to an app in another cluster",
          Remediation("set PUSHER_CLUSTER (backend) and the frontend's cluster to the app's cluster")),
    Cause("wrong-secret", "the server rejected the request signature",
          Remediation("copy PUSHER_SECRET from the dashboard; check it belongs to this app id")),
    Cause("clock-skew", "this machine's clock differs from the server's by more than Pusher allows",
          Remediation("sync this machine's clock", ("timedatectl set-ntp true",))),
    Cause("app-disabled", "the app is disabled on the server",
          Remediation("enable the app in the Pusher dashboard or the server's app config")),
    Cause("over-quota", "the app reached its connection or message quota",
          Remediation("raise the plan's limits or the server's maxConnections, or close idle connections")),
    Cause("payload-too-large", "the event is larger than the app allows (Pusher: 10 KB)",
          Remediation("send an id and let the page fetch the message, or shorten the payload")),
    Cause("subscription-refused", "the server refused the channel subscription",
          Remediation("public room channels need no auth: check the channel name and the server's channel rules")),
    Cause("event-not-delivered", "the event was accepted but never reached the subscribed guest",
          Remediation("check that the trigger and the subscription use the same app, cluster and channel name")),
    Cause("answer-too-large", "the server's REST answer is larger than pusher-doctor reads (4 MiB): thousands of "
                              "channels, or something that is not a Pusher server streaming",
          Remediation("ask for fewer channels (a narrower --hotel or room), or check what answers at this address")),
    Cause("server-error", "the server answered with an error this tool does not know",
          Remediation("read the server's message in the details; check the server's logs")),
    Cause("internal-error", "a check crashed (status `error`); the other checks still ran",
          Remediation("a pusher-doctor bug: report it with the --verbose output")),
    Cause("usage-error", "the command line or a file it names is unusable (exit code 2)",
          Remediation("correct the option as the message says; see --help")),
    Cause("contract-invalid", "the app contract (pusher-doctor.toml, [tool.pusher-doctor]) cannot be used (exit code 2)",
          Remediation("correct the contract as the message says (the README's \"The app contract\" lists its keys)",
                      ("pusher-doctor init --dry-run",))),
    Cause("interrupted", "the command was stopped (Ctrl-C, SIGTERM, SIGHUP) before it had a result to show",
          Remediation("run it again and let it finish; --timeout bounds how long it may take")),
    Cause("live-guest-absent", "no browser is subscribed to the room channel right now",
          Remediation("if the guest page is open, it is not subscribed (the most likely cause of \"only after a "
                      "refresh\"): check the page's channel name and subscription", ("pusher-doctor scan-frontend ./src",))),
    Cause("channel-near-miss", "nobody is on the room channel, but a channel with almost its name is occupied",
          Remediation("make the guest page build the channel name exactly as the backend does: "
                      "{hotel}-room-{room}-chat", ("pusher-doctor scan-frontend ./src",))),
    # The backend's side, read from its code and config (`scan-backend`): each is a backend rule's id.
    Cause("broadcaster-disabled", "Laravel's broadcaster is log or null: events never leave the app",
          Remediation("set BROADCAST_CONNECTION (Laravel 11+; BROADCAST_DRIVER before) to pusher or reverb in the "
                      "env file, the name config/broadcasting.php reads", ("php artisan config:clear",))),
    Cause("broadcast-queued", "broadcast events wait in a queue that needs a worker (QUEUE_CONNECTION is not sync)",
          Remediation("run a queue worker (under supervisor in production), or implement ShouldBroadcastNow; "
                      "see waiting and failed jobs", ("php artisan queue:work", "php artisan queue:failed"))),
    Cause("event-not-broadcastable", "an event class has broadcastOn() but is not ShouldBroadcast: it is never broadcast",
          Remediation("implement ShouldBroadcastNow (sent at once) or ShouldBroadcast (queued)")),
    Cause("trigger-error-swallowed", "the backend throws away the error of its trigger (except: pass, .catch(() => {}))",
          Remediation("log the exception at warning or error level, or let it raise")),
    Cause("client-before-env", "the backend's Pusher client is built from os.environ before the env file is loaded",
          Remediation("load the env file (load_dotenv()) before the module that builds the client, or build it "
                      "in a function")),
    Cause("trigger-in-transaction", "the backend triggers inside a database transaction, before it commits",
          Remediation("send after the commit: transaction.on_commit(lambda: client.trigger(...)) in Django, "
                      "ShouldDispatchAfterCommit on a Laravel event")),
    Cause("event-name-mismatch", "the frontend binds an event name the backend does not send, but one very like it",
          Remediation("bind the name the backend sends: Echo's .listen('.name') for a broadcastAs() name, "
                      ".listen('ClassName') for an event class in App\\Events")),
    Cause("channel-not-subscribed", "the backend sends on a channel the frontend does not subscribe to, but one very "
                                    "like it",
          Remediation("build the channel name, prefix included (private-, presence-), the same way on both sides")),
    Cause("channel-no-route", "no Broadcast::channel() in routes/channels.php matches a private or presence channel",
          Remediation("add Broadcast::channel('name.{param}', ...) for the channel, without its private-/presence- "
                      "prefix")),
    Cause("broadcast-routes-missing", "Laravel has channel routes but /broadcasting/auth is not registered",
          Remediation("register it: withRouting(channels: ...) in bootstrap/app.php (Laravel 11+), or load "
                      "BroadcastServiceProvider in config/app.php", ("php artisan install:broadcasting",))),
    Cause("broadcast-auth-guard", "the frontend sends a bearer token but /broadcasting/auth checks the session",
          Remediation("register the auth route with the token guard: "
                      "Broadcast::routes(['middleware' => ['auth:sanctum']])")),
    Cause("to-others-ignored", "toOthers() cannot leave the sender out: it gets its own event back",
          Remediation("use InteractsWithSockets in the event, and send X-Socket-ID (Echo.socketId()) with the request")),
    Cause("broadcast-payload-unbounded", "a broadcast event sends a whole collection: past 10 KB Pusher refuses it",
          Remediation("add broadcastWith() returning only what the page shows (an id to fetch by, a few fields)")),
    Cause("server-client-host", "the backend's Pusher client points at the wrong host, cluster or scheme",
          Remediation("Pusher cloud: cluster only; self-hosted: host without a scheme, its port, and ssl/useTLS as "
                      "the server speaks")),
    # The backend sending the test message itself (`check --via-backend DIR`).
    Cause("backend-not-runnable", "the backend could not run the test broadcast (php artisan tinker or python "
                                  "manage.py shell did not start or boot)",
          Remediation("see what stops the app from booting in the backend's directory and fix it (composer install, "
                      "the virtualenv, the settings module): Laravel `php artisan about`, Django `python manage.py "
                      "check`")),
    Cause("backend-sdk-missing", "the backend has no Pusher SDK installed (pusher/pusher-php-server, pusher for "
                                 "Python)",
          Remediation("install the server SDK in the backend",
                      ("composer require pusher/pusher-php-server", "pip install pusher"))),
    Cause("backend-trigger-failed", "the backend's broadcast raised an error this tool does not know",
          Remediation("read the error in the summary; run the same broadcast in php artisan tinker or python "
                      "manage.py shell to see its trace")),
    # The guest page in a browser (`check --page`).
    Cause("no-browser", "no Chrome or Chromium to open the guest page in",
          Remediation("install Chromium (Debian/Ubuntu package, or Playwright's own where its download is "
                      "reachable), or pass --browser PATH",
                      ("sudo apt-get install -y chromium", "python -m playwright install chromium"))),
    Cause("page-unreachable", "the guest page did not load (host, port, TLS or time)",
          Remediation("check that the --page URL opens in a browser on this machine, or raise --timeout")),
    Cause("page-http-error", "the guest page's server answered with an HTTP error",
          Remediation("401/403: pass the guest's session with --page-cookie NAME=VALUE, --page-header "
                      "'Name: value' or --page-storage-state FILE; otherwise check the URL")),
    Cause("page-script-error", "the guest page threw an uncaught exception while loading",
          Remediation("fix the error at the place shown; a script that fails early may never create the "
                      "Pusher client")),
    Cause("page-not-connected", "the guest page opened no Pusher connection",
          Remediation("create the Pusher client when the page loads, with the backend's key and host or "
                      "cluster")),
    Cause("page-key-mismatch", "the guest page uses another app key than the backend",
          Remediation("set the frontend's Pusher key (VITE_PUSHER_KEY, MIX_PUSHER_APP_KEY...) to the "
                      "backend's PUSHER_KEY")),
    Cause("page-host-mismatch",
          "the guest page connects to another server, cluster, port or TLS setting than the backend",
          Remediation("make the page's cluster, wsHost, wsPort and forceTLS match PUSHER_CLUSTER, "
                      "PUSHER_HOST, PUSHER_PORT and PUSHER_SCHEME")),
    Cause("page-not-subscribed", "the guest page is not subscribed to the room channel",
          Remediation("subscribe to the room channel when the page mounts, and unsubscribe only when it "
                      "unmounts")),
    Cause("page-wrong-channel", "the guest page subscribed to other channels, not the room channel",
          Remediation("subscribe to {hotel}-room-{room}-chat, spelled exactly as the backend builds it")),
    Cause("page-subscription-error", "the server refused or never acknowledged the guest page's subscription",
          Remediation("public room channels need no auth: check the channel name and the server's channel "
                      "rules")),
    Cause("page-event-not-received", "the test event reached the server's subscribers but not the guest page",
          Remediation("check that the page stays subscribed on the same app and server until the message "
                      "arrives")),
    Cause("page-wrong-event", "the guest page does not listen to the backend's event on its channel (the hotel "
                              "chat's new-staff-message, or the app contract's first event there)",
          Remediation("bind that event on that channel as the backend names it (Laravel Echo: .listen('.name') "
                      "with the leading dot)")),
    Cause("page-state-not-updated",
          "the test event reached the guest page but its text never showed (state update issue)",
          Remediation("in the handler, add the message to state with a new array "
                      "(setMessages(m => [...m, data])); fix any error the handler throws")),
    Cause("page-unsubscribed-on-message",
          "the guest page unsubscribed or disconnected when the message arrived",
          Remediation("unsubscribe only when the page unmounts, never in the event handler")),
    Cause("page-resubscribed", "the guest page unsubscribed and subscribed again when the message arrived",
          Remediation("subscribe in an effect that depends on the room only, not on the messages")),
    Cause("page-reconnected", "the guest page opened a new Pusher connection when the message arrived",
          Remediation("create the Pusher client once (module scope or a ref), not in the component's "
                      "render")),
    Cause("page-console-errors", "the guest page logged Pusher errors or threw uncaught exceptions",
          Remediation("fix each error at the place shown in the details")),
    Cause("page-no-resync", "messages sent while the page's connection was down appear only after a refresh",
          Remediation("Pusher does not replay missed events: when the connection comes back, fetch the "
                      "messages since the last one shown")),
    Cause("page-screenshot-not-saved", "the page's screenshot could not be written",
          Remediation("give --page-screenshot a file in a writable directory")),
    # Private, presence and encrypted channels (`check --channel-prefix`, `--auth-endpoint`).
    Cause("auth-endpoint-unreachable", "the app's auth endpoint could not be reached (host, port, TLS or time)",
          Remediation("check that --auth-endpoint is the URL the page uses and that it opens from this machine")),
    Cause("auth-endpoint-status", "the auth endpoint answered with an HTTP error instead of 200",
          Remediation("401/403: send the guest's session (--auth-cookie, --auth-header); 404: a wrong or relative "
                      "URL; 419: the CSRF token is missing; 5xx: read the backend's logs")),
    Cause("auth-redirect", "the auth endpoint answered with a redirect (usually to a login page) instead of 200",
          Remediation("the guest's session cookie or token is missing or expired, or the auth route sits behind the "
                      "login middleware: pass the session (--auth-cookie, --auth-header) and let the route answer "
                      "401/403 itself; pusher-doctor never follows the redirect")),
    Cause("auth-unauthenticated", "the auth endpoint found no logged-in user (401, or 403 to a request without a "
                                  "session): not logged in, or a guard that does not read what the page sends",
          Remediation("send the guest's session as the page does (--auth-cookie NAME=VALUE or --auth-header "
                      "'Authorization: Bearer ...'; on the page in channelAuthorization.headers); Laravel: the "
                      "auth route's guard must be the one the page logs in with (web: the session cookie, "
                      "auth:sanctum: a token, or the page's domain in SANCTUM_STATEFUL_DOMAINS)")),
    Cause("auth-channel-refused", "the guest is logged in but the channel's rule refused it (403): Laravel's "
                                  "Broadcast::channel() callback in routes/channels.php returned false",
          Remediation("make the channel's callback return true (or the user's data on a presence channel) for this "
                      "user and these parameters; its pattern is the channel name without private-/presence-",
                      ("php artisan channel:list",))),
    Cause("auth-csrf", "the auth endpoint refused the request's CSRF token (Laravel: HTTP 419)",
          Remediation("send the token with each auth request: channelAuthorization.headers {'X-CSRF-TOKEN': token} "
                      "on the page (Echo: auth.headers), --auth-header 'X-CSRF-TOKEN: ...' here; or serve the "
                      "auth route under auth:sanctum, which a bearer token passes without CSRF")),
    Cause("auth-response-invalid", "the auth endpoint's answer is not the JSON pusher-js expects ({\"auth\": ...})",
          Remediation("return the pusher library's authenticate(channel, socket_id) result as the body, unwrapped")),
    Cause("auth-signature-mismatch", "the auth endpoint's signature is not the one the server will expect",
          Remediation("sign with this app's key and secret, for the request's socket_id and channel_name")),
    Cause("presence-data-missing", "a presence channel's auth answer has no channel_data or no user_id",
          Remediation("pass the user: authenticate(channel, socket_id, {\"user_id\": ..., \"user_info\": {...}})")),
    Cause("user-data-missing", "the user-auth endpoint's answer has no user_data, or a user_data without an id",
          Remediation("sign the user: authenticate_user(socket_id, {\"id\": ..., \"user_info\": {...}}) and return "
                      "its result, user_data included")),
    Cause("signin-refused", "the server refused the guest's sign-in (pusher:signin) and closed the connection",
          Remediation("make the user-auth endpoint sign socket_id::user::user_data with the key and secret of the "
                      "app the page connects to")),
    Cause("auth-cors", "a browser on the page's origin may not read the auth endpoint's answer (CORS)",
          Remediation("answer the page's origin with Access-Control-Allow-Origin (and Access-Control-Allow-Headers "
                      "for custom headers), or serve the endpoint from the page's origin")),
    Cause("encryption-key-mismatch", "an encrypted channel's master key is missing, malformed or not the endpoint's",
          Remediation("set the same PUSHER_ENCRYPTION_MASTER_KEY_BASE64 (32 random bytes, base64) where the backend "
                      "triggers and where the auth endpoint signs", ("openssl rand -base64 32",))),
    Cause("public-guest-channel", "the guest's channel is public: anyone who knows its name can read it",
          Remediation("move to private-{hotel}-room-{room}-chat: the backend triggers on the new name and adds an "
                      "auth endpoint that checks the guest's session; the page subscribes to the new name")),
    Cause("client-events-enabled", "the app relays client events on the guest channel: a guest can send events",
          Remediation("turn client events off in the app's settings (soketi: enableClientMessages false) unless the "
                      "page sends them, and never trust an event the page did not get from the backend")),
)

#: Laravel's broadcasters that send nothing, and what each does with an event (`broadcaster-disabled`): read by
#: scan-backend's rule and check's backend step alike
DISABLED_BROADCASTERS = {"log": "writes each event to the log file", "null": "throws each event away"}

_BY_ID = {cause.id: cause for cause in CAUSES}


def problem(cause_id: str, summary: str, hint: str | Remediation | None = None, about: str | None = None) -> Problem:
    """A problem of a known cause; its fix is the cause table's unless this case knows a sharper one."""
    return Problem(cause_id, summary, _BY_ID[cause_id].fix if hint is None else as_remediation(hint), about)


def causes_document() -> str:
    """docs/causes.md: a section per cause id (its anchor is the id), with what it means and its fix. A test
    keeps the file equal to this text."""
    lines = ["# Cause ids", "", "Every problem pusher-doctor reports names one of these causes; each heading is the",
             "cause id, so `docs/causes.md#<cause id>` is its link. Generated from `pusher_doctor/results/causes.py`",
             "(`python -m pusher_doctor.results.causes > docs/causes.md`)."]
    for cause in CAUSES:
        lines += ["", f'<a id="{cause.id}"></a>', f"## `{cause.id}`", "", f"{cause.meaning[:1].upper()}{cause.meaning[1:]}.",
                  "", f"**Fix**: {cause.fix.text}."]
        lines += [f"    {command}" for command in cause.fix.commands]
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    print(causes_document(), end="")
