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
  user add NAME --role ROLE [--officer NO]
                                    add an account (reviewer | supervisor | admin), with its 警号
  user list [--json]                the accounts and their state
  user disable|enable NAME          stop or allow an account's sign-ins (disabling ends its sessions)
  user role NAME --role ROLE        change an account's role (ends its sessions)
  user reset NAME                   a temporary password (STATION_NEW_PASSWORD, else one is made and
                                    printed) that must be changed at the next sign-in
  user unlock NAME                  lift the lockout after too many failed sign-ins
  user end-sessions NAME            sign the account out everywhere
  user officer NAME --officer NO    set an account's officer number (警号)
  user passwd                       change your own password (STATION_PASSWORD, then
                                    STATION_NEW_PASSWORD, or prompts)
  import <paths…> [--json] [--wait] [--include-non-media]
                                    import files, folders or a camera volume
  serve [--port N] [--import-root DIR]…
                                    start the local web host on 127.0.0.1; prints a one-time
                                    address. The browser may import from removable volumes, your
                                    home, the admin's allowed folders and each --import-root
  log show [--item ID] [--json]     show the custody log (reads only; no sign-in)
  log verify [--json]               verify the custody chain, its head and signed checkpoints
                                    (reads only; no sign-in)
  log acknowledge PROBLEM-ID        acknowledge a recorded chain problem (admin; it stays on record)
  check [--rehash] [--json]         check that store, records, custody log and file modes agree
                                    (reads only; no sign-in)
  check --repair-modes              first close the data directory's files to other OS users (admin)
  check --resolve-quarantine N --note TEXT (--adopt | --release-to DIR | --keep)
                                    (admin) settle quarantined file #N (listed by check): adopt it
                                    back into the store for the item that records its bytes,
                                    release it to a folder outside the station, or keep it there
  clip <item> --from T --to T --mode lossless|exact [--json]
                                    cut a clip into a new evidence item (T in seconds, e.g. 5.5;
                                    the frame at --to is not in the clip; lossless starts on the
                                    keyframe at or before --from)
  still <item> --at T [--json]      the frame shown at T as a lossless PNG evidence item
  taxonomy list [--json]            the violation types of the latest catalogue version
  tag <item> --type CODE [--from T --to T] [--note TEXT] [--json]
                                    tag a range of a recording (or, without a range, the whole item)
  time-correct (--import ID | --device ID | <item…>) --offset SHIFT [--zone ±HH:MM] --reason TEXT [--json]
                                    correct a camera's clock on every item of an import or device
                                    (or the items named): SHIFT is added to the camera's reading
                                    (-3m12s for a clock 3 min 12 s fast), --zone the zone it was
                                    set to; the file's own reading is kept, each item is logged
  case create --title TITLE [--place PLACE] [--json]
                                    open a draft case; prints its id and number
  case add <case> <item…> [--json]  add items to a draft case
  case show <case> [--json]         the case and its items on one time axis
  case reopen <case> --reason TEXT [--json]
                                    start the next version of a sealed case as a draft
  case versions <case> [--json]     the sealed versions of a case, with their review state
  case diff <case> [--version N] [--json]
                                    what changed from the previous sealed version (items, tags,
                                    case details); default: the latest sealed version
  seal <case> [--json]              re-hash the case's files, freeze the draft as its next version
                                    and build its signed package in the station's store
  approve <case> [--version N] [--json]
                                    (supervisor, admin) approve a sealed version (default: the
                                    latest) you neither sealed nor edited; its exports then carry
                                    the signed seal/approval.json
  reject <case> [--version N] --reason TEXT [--json]
                                    (supervisor, admin) send a sealed version back with a reason;
                                    the case reopens as the next draft version
  export <case> [--version N] --to DIR [--zip] [--json]
                                    write a sealed version (default: the latest) into DIR as a
                                    folder or one zip, read it back and verify it
  key show [--json]                 the station's public key and its fingerprint (no sign-in)
  key list [--json]                 public keys of the office's other stations
  key import FILE --label LABEL     trust another station's public key (admin)
  enrol <server-url> <code> [--json]
                                    (admin) enrol this station with the central server: the
                                    one-time code from its operator pins the server's key
  sync [--once] [--json]            send the approved case versions to the central server and
                                    keep its signed receipts; --once: one pass, exit 0 only when
                                    every queued version is synced
  verify <folder|zip> [--json] [--data DIR] [--expect-fingerprint FP]
                                    check a court package: files, manifests, signature, key,
                                    custody entries and case.json; every problem is listed.
                                    Needs no data directory or account and writes nothing.
                                    --data DIR says whether the key is that station's own or
                                    imported (any other key is then a problem); with
                                    --expect-fingerprint any other key is a problem; with
                                    neither, an unknown key is only a warning

An <item> is an item's id or its SHA-256; a <case> is a case's id or its number.

Options for every command:
  --data DIR       the station's data directory (default: $STATION_DATA, else the user data folder)
  --user NAME      act as this account (default: the only account, or the admin)
  --help           show this text

Passwords come from STATION_PASSWORD (and STATION_NEW_PASSWORD for a new account) or a prompt.
STATION_KEY_PASSPHRASE, when set at init (or at the first start of an older station), encrypts the
station's signing key; seal then needs the same value every time. Without it the key file is
protected by its owner-only mode (0600) alone.
The terminal shows the engine's warnings and errors; its routine notes go to the station's log
folder only (STATION_VERBOSE=1 shows them here too).
Exit codes: 0 success, 1 a problem (failed import, broken chain, failed check, package not intact),
2 usage error.
`;
