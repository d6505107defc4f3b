import type { WritableDB } from '../database';

/**
 * Migration 110: the camera that recorded an item, as the file itself says (container keys,
 * GoPro's boxes, AVCHD's stream metadata, EXIF), in columns beside the rest of the item so the
 * library can filter by it: `make`, `model`, `serial` (the camera's serial number) and `firmware`
 * (its firmware or software version). Until now make, model and serial lived only in the `media`
 * JSON; they are copied from there. No item had a firmware before, so it starts empty.
 *
 * `items_by_model` and `items_by_serial` serve the filters and the facet lists (a loose index scan
 * per column), each with `id` for the library's tiebreak.
 */
export function m0110CameraIdentity(db: WritableDB): void {
  db.exec(`
    ALTER TABLE items ADD COLUMN make TEXT;
    ALTER TABLE items ADD COLUMN model TEXT;
    ALTER TABLE items ADD COLUMN serial TEXT;
    ALTER TABLE items ADD COLUMN firmware TEXT;
    UPDATE items SET
      make = nullif(trim(json_extract(media, '$.make')), ''),
      model = nullif(trim(json_extract(media, '$.model')), ''),
      serial = nullif(trim(json_extract(media, '$.serial')), '')
    WHERE json_valid(media)
      AND (json_extract(media, '$.make') IS NOT NULL
        OR json_extract(media, '$.model') IS NOT NULL
        OR json_extract(media, '$.serial') IS NOT NULL);
    CREATE INDEX items_by_model ON items (model, id);
    CREATE INDEX items_by_serial ON items (serial, id);
  `);
}
