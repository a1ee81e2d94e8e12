-- Billable schema, version 7: a leaner record of imported rows.
--
-- An imported entry keeps the hash of the row it came from in its own
-- import_hash column: the first 16 bytes of the row's SHA-256 (see
-- app::import::formats), as a BLOB, unique among entries. Deleting an entry
-- takes its hash with it, so a deleted imported entry can be imported
-- again (as the ON DELETE CASCADE of imported_rows did). One small index
-- instead of imported_rows' table and two indexes of 64-character text:
-- a million imported rows cost about 40 MB of file instead of 176 MB.

ALTER TABLE time_entries ADD COLUMN import_hash BLOB;

-- Rows imported before keep being recognised: their hex hash becomes its
-- first 32 digits as bytes. (An update of import_hash alone does not touch
-- the daily rollup.)
UPDATE time_entries
SET import_hash = (SELECT unhex(substr(r.hash, 1, 32)) FROM imported_rows r WHERE r.entry_id = time_entries.id)
WHERE id IN (SELECT entry_id FROM imported_rows);

DROP TABLE imported_rows;

CREATE UNIQUE INDEX time_entries_import_hash ON time_entries(import_hash) WHERE import_hash IS NOT NULL;
