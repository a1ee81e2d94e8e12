-- Reports, import/export and backups. Shipped migrations are never edited.

-- An optional exchange rate per invoice: how many units of the business's
-- base currency one unit of the invoice's currency is worth (canonical
-- decimal text), so money reports can show a base-currency total as well.
ALTER TABLE invoices ADD COLUMN exchange_rate TEXT;

-- Every imported row, by a stable hash of its content (and its occurrence
-- within the file), so importing the same file twice creates nothing new.
CREATE TABLE imported_rows (
    hash         TEXT PRIMARY KEY,
    source       TEXT NOT NULL,
    entry_id     INTEGER REFERENCES time_entries(id) ON DELETE CASCADE,
    imported_at  INTEGER NOT NULL
);
CREATE INDEX imported_rows_entry ON imported_rows(entry_id);

-- Xero account codes: a task's rule wins over its project's, which wins over
-- the default (one row with kind 'default').
CREATE TABLE xero_account_rules (
    id            INTEGER PRIMARY KEY,
    kind          TEXT NOT NULL CHECK (kind IN ('task','project','default')),
    target_id     INTEGER,
    account_code  TEXT NOT NULL CHECK (length(account_code) BETWEEN 1 AND 10),
    description   TEXT NOT NULL DEFAULT '',
    CHECK ((kind = 'default') = (target_id IS NULL))
);
CREATE UNIQUE INDEX xero_account_rules_target ON xero_account_rules(kind, COALESCE(target_id, 0));

-- Automatic backups: on start, at most daily, keeping the newest `keep`.
CREATE TABLE backup_settings (
    id            INTEGER PRIMARY KEY CHECK (id = 1),
    automatic     INTEGER NOT NULL DEFAULT 1 CHECK (automatic IN (0,1)),
    keep          INTEGER NOT NULL DEFAULT 10 CHECK (keep BETWEEN 1 AND 1000)
);
INSERT INTO backup_settings (id) VALUES (1);
