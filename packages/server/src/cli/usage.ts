/** The CLI's usage text, printed by `duban help` and after every bad argument. */
export const USAGE = `Usage: duban <command> [options]

  plan parse [--db FILE|postgres://…] FILE
                                     Plan JSON of a plan file on stdout (.docx, .xlsx, .md/.txt
                                     in UTF-8 or GB18030/GBK, .json); warnings on stderr; units
                                     as the database's registry has them (else data/units.json)
  plan import --db FILE|postgres://… FILE [--plan-id ID] [--title T] [--year Y] [--issuer I]
        [--map 'UNKNOWN=UNIT' …] [--add-units] [--from-deadline] [--at ISO]
                                     import a plan (one audit entry per task); unknown units must
                                     be mapped or added; deadlines already past count from the
                                     import unless --from-deadline
  plan amend --db FILE|postgres://… --plan-id ID FILE [--apply all|ID,… --reason TEXT] [--at ISO]
                                     a revised plan file's difference from plan ID (added,
                                     changed, removed tasks); with --apply, applies those changes
                                     (new tasks, AMEND, CANCEL) in one transaction, or nothing
  serve --db FILE|postgres://… [--port N] [--host ADDR] [--plan FILE] [--clock ISO]
        [--units FILE] [--rate-limit N] [--timer-interval SECONDS]
        [--checkpoint-seconds S] [--checkpoint-every N] [--checkpoint-minutes T] [--heavy-reads N]
        [--key-dir DIR] [--trust-proxy VALUE] [--circular-prefix TEXT]
        [--oidc-issuer URL --oidc-client-id ID --oidc-client-secret-file FILE --oidc-claim NAME
         [--oidc-redirect-uri URL]]
        [--smtp-host H --smtp-from ADDR [--smtp-port N] [--smtp-user U --smtp-password-file F]
         [--smtp-starttls]] [--allow-loopback-robots]
                                     serve the HTTP API (port 3000, host 127.0.0.1 by default);
                                     notices are mailed through the SMTP relay H (port 25, or 587
                                     with --smtp-starttls, which requires TLS) and sent to the units'
                                     企业微信/钉钉 robots; --allow-loopback-robots: tests only;
                                     signs an audit checkpoint after each commit, at most every
                                     S seconds (default 2), at once when N entries wait (default
                                     1000), every T minutes with new entries (default 1), at shutdown;
                                     N replays, verifications, past-day reports at once (default
                                     2, 6 more wait, then 503; 0: no limit); a database with
                                     no units yet takes them from --units (default data/units.json)
  start [--trust-proxy VALUE]        serve data/duban.db with the sample plan on 127.0.0.1:3000
                                     (PORT overrides); tokens go to data/secrets/tokens.json
  demo [--port N] [--exit]           play a scripted demo (演示数据) over HTTP on data/demo.db,
                                     then keep serving until Ctrl-C (--exit: stop at once)
  token create --db FILE --role office|reviewer|unit|admin [--unit NAME] [--label TEXT]
        [--expires 30d|12h|DATE]     issue a service token; the token is printed on the last line
  token create --db FILE --account LOGIN [--label TEXT] [--expires 30d|12h|DATE]
                                     a token acting as a person's account (stops when it is disabled)
  token list --db FILE               list tokens (never their secrets)
  token revoke ID --db FILE          revoke a token (running servers stop accepting it within 2 s)
  account create --db FILE --login NAME --name TEXT --role ROLE [--unit NAME] [--phone P] [--email E]
                                     a person's account (ROLE: unit-staff, office-staff, reviewer,
                                     admin, leader); prints a one-time sign-in code
  account list --db FILE             list accounts (never passwords)
  account disable|enable LOGIN --db FILE
                                     disabling ends the account's sessions and tokens at once
  account reset LOGIN --db FILE      a one-time sign-in code (24 h, single use) to set a password
  timers run --db FILE --now ISO     fire every timer due by ISO
  audit verify --db FILE [--checkpoint FILE]… [--pubkey FILE] [--key-dir DIR]
  audit verify --log DIR [--checkpoint FILE]… [--pubkey FILE]
                                     check the hash chain and every signed checkpoint (the
                                     database's, <db>.checkpoints, the export's, yours); exit 1
                                     naming the first bad seq or the bad checkpoint
  audit export --db FILE --out DIR [--key-dir DIR]
                                     entries.jsonl, checkpoints.txt, pubkey.pem, README.txt
  audit pubkey --db FILE [--key-dir DIR]
                                     the PEM public key that verifies the checkpoints (keep it)
  audit prove --entry FILE.json --checkpoint FILE --pubkey FILE
                                     check an inclusion proof from the API (exit 1 if invalid)
  audit consistency --proof FILE.json --old CHECKPOINT --new CHECKPOINT --pubkey FILE
                                     check a consistency proof from the API (exit 1 if invalid)
  replay --db FILE [--as-of ISO] [--workers N]
                                     recompute states from the log (exit 1 where they differ),
                                     tasks on N threads (default: the cores, 1 for a small log)
  replay diff --db FILE --from ISO --to ISO
                                     tasks whose state, light or deadline changed in between
  report summary|units|ledger|circular --db FILE [--as-of ISO] [--from DATE --to DATE]
        [--format csv|xlsx|md|html|json] [--out FILE]
                                     the office's reports: summary (json, md), units (json,
                                     csv); ledger (csv, xlsx, json); circular --from --to (md,
                                     html, json); xlsx needs --out; --as-of DATE means the end
                                     of that day
  webhook set --db FILE --unit NAME --url http(s)://… --secret-file FILE
                                     send the unit's notifications to URL, signed with the secret
                                     in FILE (16+ chars; a trailing newline is dropped); or give
                                     it in DUBAN_WEBHOOK_SECRET; --secret S still works, but other
                                     users of the machine can see it (exactly one of the three)
  webhook list --db FILE             list webhooks and their deliveries (never their secrets)
  webhook remove --db FILE --unit NAME
                                     remove a unit's webhook; undelivered notifications are dropped
  migrate-db --from FILE|URL --to FILE|URL
                                     copy a whole database into an empty one (SQLite to
                                     PostgreSQL or back), then verify the chain and replay there
  help                               this text

ISO is an ISO 8601 instant, e.g. 2023-07-01T00:00:00+08:00; a bare date (2023-07-01) means
00:00 in Asia/Shanghai. --plan takes the same plan files as plan parse (at most 20 MB; .doc/.wps/.pdf: save as .docx).
--rate-limit is requests per token per minute (default 600; 0 turns it off).
--trust-proxy names the reverse proxies whose X-Forwarded-Proto/-For are believed (off by
default): a hop count, or addresses and subnets separated by commas, or loopback (a proxy on
this machine); see docs/DEPLOYMENT.md. \`true\` is refused: clients could forge their address.
--circular-prefix is the deployment's number prefix of issued circulars (文号), e.g. 克改办通
(the default): circulars are numbered 克改办通〔2023〕1号, 2号, … per year.
Environment: PORT (start), LOG_LEVEL (trace|debug|info|warn|error|silent; default info),
DUBAN_DATA_DIR (where start and demo keep their files; default data/), DUBAN_KEY_DIR (as
--key-dir: the audit signing key's directory, default <db>.keys/; required for postgres://),
DATABASE_URL (the --db of every command that takes one, when --db is not given),
DUBAN_WEBHOOK_SECRET (the secret of webhook set, instead of --secret-file),
DUBAN_TRUST_PROXY (as --trust-proxy of serve and start).
--oidc-issuer turns on single sign-on (统一身份认证, OpenID Connect): the provider's issuer (https;
http only on loopback), the client registered there, its secret's file, and the claim whose value
is the account's login name (e.g. preferred_username); the provider must allow the redirect URI
<this server>/login/sso/callback (or --oidc-redirect-uri). Each flag has its variable:
DUBAN_OIDC_ISSUER, DUBAN_OIDC_CLIENT_ID, DUBAN_OIDC_CLIENT_SECRET_FILE, DUBAN_OIDC_CLAIM,
DUBAN_OIDC_REDIRECT_URI.
Every --db FILE also takes a postgres://user@host/db URL.`;
