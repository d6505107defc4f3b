/** Characters kept visible at the end of a long name: camera names differ in their time and sequence. */
const TAIL_CHARS = 14;

/**
 * A file name that, when too long for its box, is cut in the middle rather than at the end:
 * `DSJ-A8-0004_0107…093000_0001.MP4`. Body-cam names share their start (device, officer), so the
 * end is what tells two recordings apart.
 */
export function FileName({ name, className }: { name: string; className?: string }) {
  const split = name.length > TAIL_CHARS * 2 ? name.length - TAIL_CHARS : name.length;
  return (
    <span className={`file-name ${className ?? ''}`} title={name}>
      <span className="file-name-head">{name.slice(0, split)}</span>
      {split < name.length && <span className="file-name-tail">{name.slice(split)}</span>}
    </span>
  );
}
