-- Billable schema: expenses and their receipts (issue 16).
--
-- An expense is money spent in one currency: amount_minor is the NET amount
-- in the currency's minor units (tax is added on top when it is billed, by
-- the tax rate tax_rate_id names — the way FreshBooks and Harvest users
-- enter expenses). markup is a percent as canonical decimal text (NULL: at
-- cost). A billable expense belongs to a client (and maybe a project of
-- that client) and is billed once: invoice_id and invoice_line_id are set
-- together, by the transaction that writes the invoice line, only while they
-- are NULL (store::expenses::mark_billed); deleting the draft or cancelling
-- the invoice sets them back to NULL. Like time entries, the line reference
-- has no ON DELETE action, so a line cannot vanish while it bills one.
--
-- import_hash: the row of an expense CSV it was imported from (first 16
-- bytes of a SHA-256 of the row's content and its occurrence in the file),
-- so importing a file twice creates nothing new.
--
-- A receipt is stored in the books themselves (expense_receipts.bytes), so
-- it is in every backup, restore and books export exactly like every other
-- row. At most 10 MiB, and only PDF, PNG, JPEG, WebP or HEIC (told from the
-- bytes by the app; the CHECKs hold the same limits).

CREATE TABLE expenses (
    id               INTEGER PRIMARY KEY,
    date             TEXT NOT NULL,
    amount_minor     INTEGER NOT NULL CHECK (amount_minor >= 0),
    currency         TEXT NOT NULL,
    category         TEXT NOT NULL DEFAULT '',
    vendor           TEXT NOT NULL DEFAULT '',
    note             TEXT NOT NULL DEFAULT '',
    tax_rate_id      INTEGER REFERENCES tax_rates(id),
    client_id        INTEGER REFERENCES clients(id),
    project_id       INTEGER REFERENCES projects(id),
    billable         INTEGER NOT NULL DEFAULT 0 CHECK (billable IN (0,1)),
    markup           TEXT,
    invoice_id       INTEGER REFERENCES invoices(id),
    invoice_line_id  INTEGER REFERENCES invoice_lines(id),
    import_hash      BLOB UNIQUE,
    created_at       INTEGER NOT NULL,
    CHECK ((invoice_id IS NULL) = (invoice_line_id IS NULL)),
    CHECK (billable = 1 OR invoice_id IS NULL),
    CHECK (billable = 0 OR client_id IS NOT NULL)
);

-- A client's unbilled billable expenses, in date order.
CREATE INDEX expenses_unbilled ON expenses(client_id, date) WHERE billable = 1 AND invoice_id IS NULL;
CREATE INDEX expenses_project ON expenses(project_id, date) WHERE project_id IS NOT NULL;
CREATE INDEX expenses_date ON expenses(date);
CREATE INDEX expenses_invoice_line ON expenses(invoice_line_id) WHERE invoice_line_id IS NOT NULL;
CREATE INDEX expenses_invoice ON expenses(invoice_id) WHERE invoice_id IS NOT NULL;

CREATE TABLE expense_receipts (
    expense_id  INTEGER PRIMARY KEY REFERENCES expenses(id) ON DELETE CASCADE,
    file_name   TEXT NOT NULL,
    media_type  TEXT NOT NULL
                CHECK (media_type IN ('application/pdf','image/png','image/jpeg','image/webp','image/heif')),
    size        INTEGER NOT NULL CHECK (size BETWEEN 1 AND 10485760),
    bytes       BLOB NOT NULL CHECK (length(bytes) = size)
);
