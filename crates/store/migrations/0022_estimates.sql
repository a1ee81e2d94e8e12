-- Billable schema: estimates (quotes), their conversion into invoices, and
-- deposits deducted on a final invoice.
--
-- An estimate is priced like an invoice (the same line columns, summary
-- taxes, discount and pricing mode; totals are the engine's, in integer minor
-- units) and numbered from its own pattern and counter series ('estimate'),
-- its numbers recorded in used_numbers like every other document number.
-- Its status is stored as draft, sent, accepted or declined; "expired" is a
-- sent estimate past valid_until, derived when read, never stored.

ALTER TABLE business ADD COLUMN estimate_number_pattern TEXT NOT NULL DEFAULT 'EST-{YYYY}-{SEQ:4}';

CREATE TABLE estimates (
    id                INTEGER PRIMARY KEY,
    number            TEXT NOT NULL UNIQUE,
    client_id         INTEGER NOT NULL REFERENCES clients(id),
    project_id        INTEGER REFERENCES projects(id),
    issue_date        TEXT NOT NULL,               -- YYYY-MM-DD
    valid_until       TEXT NOT NULL,
    currency          TEXT NOT NULL,
    tax_mode          TEXT NOT NULL CHECK (tax_mode IN ('summary','inline')),
    pricing           TEXT NOT NULL DEFAULT 'net' CHECK (pricing IN ('net','gross')),
    discount_kind     TEXT NOT NULL DEFAULT 'none' CHECK (discount_kind IN ('none','percent','fixed')),
    discount_value    TEXT,
    notes             TEXT NOT NULL DEFAULT '',
    terms             TEXT NOT NULL DEFAULT '',
    po_number         TEXT NOT NULL DEFAULT '',
    status            TEXT NOT NULL DEFAULT 'draft' CHECK (status IN ('draft','sent','accepted','declined')),
    subtotal_minor    INTEGER NOT NULL DEFAULT 0,
    discount_minor    INTEGER NOT NULL DEFAULT 0,
    tax_minor         INTEGER NOT NULL DEFAULT 0,
    total_minor       INTEGER NOT NULL DEFAULT 0,
    template          TEXT,
    locale            TEXT,
    created_at        INTEGER NOT NULL,            -- unix seconds, UTC
    updated_at        INTEGER NOT NULL,
    sent_at           INTEGER,
    decided_at        INTEGER,
    CHECK (valid_until >= issue_date)
);
CREATE INDEX estimates_status_date ON estimates(status, issue_date);
CREATE INDEX estimates_client ON estimates(client_id, issue_date);

CREATE TABLE estimate_taxes (
    estimate_id       INTEGER NOT NULL REFERENCES estimates(id) ON DELETE CASCADE,
    position          INTEGER NOT NULL,
    name              TEXT NOT NULL,
    percent           TEXT NOT NULL,
    category          TEXT NOT NULL,
    exemption_reason  TEXT,
    PRIMARY KEY (estimate_id, position)
);

CREATE TABLE estimate_lines (
    id                    INTEGER PRIMARY KEY,
    estimate_id           INTEGER NOT NULL REFERENCES estimates(id) ON DELETE CASCADE,
    position              INTEGER NOT NULL,
    description           TEXT NOT NULL,
    long_description      TEXT NOT NULL DEFAULT '',
    quantity              TEXT NOT NULL,
    seconds               INTEGER,
    unit                  TEXT NOT NULL DEFAULT '',
    rate                  TEXT NOT NULL,
    discount_kind         TEXT NOT NULL DEFAULT 'none' CHECK (discount_kind IN ('none','percent','fixed')),
    discount_value        TEXT,
    tax_name              TEXT,
    tax_percent           TEXT,
    tax_category          TEXT,
    tax_exemption_reason  TEXT,
    amount_minor          INTEGER NOT NULL,
    UNIQUE (estimate_id, position)
);

-- The invoices made from an estimate: the whole of it ('full', a draft with
-- the same lines; 'final' when it deducts deposits) at most once, and any
-- number of deposits. Deleting a draft invoice frees its estimate again.
CREATE TABLE estimate_invoices (
    invoice_id   INTEGER PRIMARY KEY REFERENCES invoices(id) ON DELETE CASCADE,
    estimate_id  INTEGER NOT NULL REFERENCES estimates(id),
    kind         TEXT NOT NULL CHECK (kind IN ('full','deposit','final')),
    -- A deposit: what was asked for, as typed ("30%", "500.00").
    part         TEXT NOT NULL DEFAULT ''
);
CREATE UNIQUE INDEX estimate_invoices_whole ON estimate_invoices(estimate_id) WHERE kind IN ('full','final');
CREATE INDEX estimate_invoices_estimate ON estimate_invoices(estimate_id, kind);

-- What a final invoice deducts: each deposit invoice once, on one final
-- invoice. invoices.prepaid_minor is their sum (BT-113), so the balance of a
-- final invoice is total − prepaid − payments.
ALTER TABLE invoices ADD COLUMN prepaid_minor INTEGER NOT NULL DEFAULT 0;
CREATE TABLE invoice_deposits (
    invoice_id          INTEGER NOT NULL REFERENCES invoices(id) ON DELETE CASCADE,
    deposit_invoice_id  INTEGER NOT NULL UNIQUE REFERENCES invoices(id),
    position            INTEGER NOT NULL,
    PRIMARY KEY (invoice_id, deposit_invoice_id)
);
