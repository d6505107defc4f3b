/** A mistake in how the command was called: exit code 2 and the usage text. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

export const USAGE = `Evidence Station command line

Usage: evidence-station <command> [options]      (from a checkout: npm run -s cli -- <command> …)

Commands:
  init --admin NAME                 set up a data directory and its admin account
  user add NAME --role ROLE         add an account (reviewer | supervisor | admin)
  import <paths…> [--json] [--wait] [--include-non-media]
                                    import files, folders or a camera volume
  serve [--port N]                  start the local web host on 127.0.0.1
  log show [--item ID] [--json]     show the custody log
  log verify [--json]               verify the custody chain
  check [--rehash] [--json]         check that store, database and custody log agree
  check --resolve-quarantine N --note TEXT
                                    (admin) record a decision on quarantined file #N (listed by check)
  clip <item> --from T --to T --mode lossless|exact [--json]
                                    cut a clip into a new evidence item (T in seconds, e.g. 5.5;
                                    the frame at --to is not in the clip; lossless starts on the
                                    keyframe at or before --from)
  still <item> --at T [--json]      the frame shown at T as a lossless PNG evidence item
  taxonomy list [--json]            the violation types of the latest catalogue version
  tag <item> --type CODE [--from T --to T] [--note TEXT] [--json]
                                    tag a range of a recording (or, without a range, the whole item)
  case create --title TITLE [--place PLACE] [--json]
                                    open a draft case; prints its id and number
  case add <case> <item…> [--json]  add items to a draft case
  case show <case> [--json]         the case and its items on one time axis

An <item> is an item's id or its SHA-256; a <case> is a case's id or its number.

Options for every command:
  --data DIR       the station's data directory (default: $STATION_DATA, else the user data folder)
  --user NAME      act as this account (default: the only account, or the admin)
  --help           show this text

Passwords come from STATION_PASSWORD (and STATION_NEW_PASSWORD for a new account) or a prompt.
Exit codes: 0 success, 1 a problem (failed import, broken chain, failed check), 2 usage error.
`;
