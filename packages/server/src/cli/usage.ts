/** The CLI's usage text, printed by `duban help` and after every bad argument. */
export const USAGE = `Usage: duban <command> [options]

  plan parse FILE                    Plan JSON of a plan document (.md/.txt) on stdout
  serve --db FILE|postgres://… [--port N] [--host ADDR] [--plan FILE] [--clock ISO]
        [--rate-limit N] [--timer-interval SECONDS]
                                     serve the HTTP API (port 3000, host 127.0.0.1 by default)
  start                              serve data/duban.db with the Karamay plan on 127.0.0.1:3000
                                     (PORT overrides); tokens go to data/secrets/tokens.json
  demo [--port N] [--exit]           play a scripted demo (演示数据) over HTTP on data/demo.db,
                                     then keep serving until Ctrl-C (--exit: stop at once)
  token create --db FILE --role office|reviewer|unit|admin [--unit NAME] [--label TEXT]
                                     issue a token; the token is printed on the last line
  token list --db FILE               list tokens (never their secrets)
  token revoke ID --db FILE          revoke a token
  timers run --db FILE --now ISO     fire every timer due by ISO
  audit verify --db FILE             check the audit log's hash chain (exit 1 if broken)
  replay --db FILE [--as-of ISO]     recompute states from the log (exit 1 where they differ)
  help                               this text

ISO is an ISO 8601 instant, e.g. 2023-07-01T00:00:00+08:00; a bare date (2023-07-01) means
00:00 in Asia/Shanghai. --plan takes a plan document (.md/.txt) or Plan JSON (.json).
--rate-limit is requests per token per minute (default 600; 0 turns it off).
Environment: PORT (start), LOG_LEVEL (trace|debug|info|warn|error|silent; default info),
DUBAN_DATA_DIR (where start and demo keep their files; default data/).`;
