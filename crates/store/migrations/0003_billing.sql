-- Billing breadth: recurring profiles, credit notes and refunds, fixed-price
-- and retainer project billing. Money is exact as in 0001: integer minor
-- units or canonical decimal text, never a floating-point column.

-- ---- recurring invoices ------------------------------------------------------

CREATE TABLE recurring_profiles (
    id                      INTEGER PRIMARY KEY,
    name                    TEXT NOT NULL,
    client_id               INTEGER NOT NULL REFERENCES clients(id),
    project_id              INTEGER REFERENCES projects(id),
    source_invoice_id       INTEGER REFERENCES invoices(id) ON DELETE SET NULL,
    currency                TEXT NOT NULL,
    tax_mode                TEXT NOT NULL CHECK (tax_mode IN ('summary','inline')),
    discount_kind           TEXT NOT NULL DEFAULT 'none' CHECK (discount_kind IN ('none','percent','fixed')),
    discount_value          TEXT,
    adjustment_minor        INTEGER NOT NULL DEFAULT 0,
    adjustment_description  TEXT NOT NULL DEFAULT '',
    notes                   TEXT NOT NULL DEFAULT '',
    terms                   TEXT NOT NULL DEFAULT '',
    po_number               TEXT NOT NULL DEFAULT '',
    category                TEXT NOT NULL DEFAULT '',
    tags                    TEXT NOT NULL DEFAULT '[]',
    payment_terms_days      INTEGER CHECK (payment_terms_days BETWEEN 0 AND 3650),
    frequency               TEXT NOT NULL CHECK (frequency IN ('weekly','monthly','quarterly','yearly')),
    interval                INTEGER NOT NULL DEFAULT 1 CHECK (interval BETWEEN 1 AND 100),
    start_date              TEXT NOT NULL,
    end_date                TEXT,
    max_cycles              INTEGER CHECK (max_cycles IS NULL OR max_cycles >= 1),
    -- 'send' (through the outbox) is reserved for when email exists.
    send_mode               TEXT NOT NULL DEFAULT 'draft' CHECK (send_mode IN ('draft','send')),
    status                  TEXT NOT NULL DEFAULT 'active' CHECK (status IN ('active','paused')),
    created_at              INTEGER NOT NULL,
    updated_at              INTEGER NOT NULL,
    CHECK (end_date IS NULL OR end_date >= start_date)
);
CREATE INDEX recurring_profiles_status ON recurring_profiles(status);

CREATE TABLE recurring_taxes (
    profile_id        INTEGER NOT NULL REFERENCES recurring_profiles(id) ON DELETE CASCADE,
    position          INTEGER NOT NULL,
    name              TEXT NOT NULL,
    percent           TEXT NOT NULL,
    category          TEXT NOT NULL,
    exemption_reason  TEXT,
    PRIMARY KEY (profile_id, position)
);

-- Template lines; descriptions may carry period placeholders.
CREATE TABLE recurring_lines (
    profile_id            INTEGER NOT NULL REFERENCES recurring_profiles(id) ON DELETE CASCADE,
    position              INTEGER NOT NULL,
    description           TEXT NOT NULL,
    quantity              TEXT NOT NULL,
    unit                  TEXT NOT NULL DEFAULT '',
    rate                  TEXT NOT NULL,
    discount_kind         TEXT NOT NULL DEFAULT 'none' CHECK (discount_kind IN ('none','percent','fixed')),
    discount_value        TEXT,
    tax_name              TEXT,
    tax_percent           TEXT,
    tax_category          TEXT,
    tax_exemption_reason  TEXT,
    PRIMARY KEY (profile_id, position)
);

-- One row per generated cycle: a period is generated once, never twice, even
-- when two processes run at once. The invoice link is cleared if the user
-- deletes the generated draft; the period stays generated.
CREATE TABLE recurring_runs (
    profile_id    INTEGER NOT NULL REFERENCES recurring_profiles(id) ON DELETE CASCADE,
    cycle         INTEGER NOT NULL CHECK (cycle >= 0),
    period_start  TEXT NOT NULL,
    period_end    TEXT NOT NULL,
    invoice_id    INTEGER REFERENCES invoices(id) ON DELETE SET NULL,
    created_at    INTEGER NOT NULL,
    PRIMARY KEY (profile_id, cycle),
    UNIQUE (profile_id, period_start)
);
CREATE INDEX recurring_runs_invoice ON recurring_runs(invoice_id) WHERE invoice_id IS NOT NULL;

-- ---- credit notes and refunds -----------------------------------------------

ALTER TABLE business ADD COLUMN credit_note_number_pattern TEXT NOT NULL DEFAULT 'CN-{YYYY}-{SEQ:4}';

-- The part of an invoice's total cancelled by credit notes.
ALTER TABLE invoices ADD COLUMN credited_minor INTEGER NOT NULL DEFAULT 0 CHECK (credited_minor >= 0);

CREATE TABLE credit_notes (
    id              INTEGER PRIMARY KEY,
    number          TEXT NOT NULL UNIQUE,
    invoice_id      INTEGER NOT NULL REFERENCES invoices(id),
    issue_date      TEXT NOT NULL,
    currency        TEXT NOT NULL,
    tax_mode        TEXT NOT NULL CHECK (tax_mode IN ('summary','inline')),
    reason          TEXT NOT NULL DEFAULT '',
    subtotal_minor  INTEGER NOT NULL,
    discount_minor  INTEGER NOT NULL,
    tax_minor       INTEGER NOT NULL,
    total_minor     INTEGER NOT NULL CHECK (total_minor > 0),
    -- applied to the invoice's open balance + paid back as a refund = total
    applied_minor   INTEGER NOT NULL CHECK (applied_minor >= 0),
    refunded_minor  INTEGER NOT NULL CHECK (refunded_minor >= 0),
    created_at      INTEGER NOT NULL,
    CHECK (applied_minor + refunded_minor = total_minor)
);
CREATE INDEX credit_notes_invoice ON credit_notes(invoice_id);
CREATE INDEX credit_notes_issue_date ON credit_notes(issue_date);

CREATE TABLE credit_note_taxes (
    credit_note_id    INTEGER NOT NULL REFERENCES credit_notes(id) ON DELETE CASCADE,
    position          INTEGER NOT NULL,
    name              TEXT NOT NULL,
    percent           TEXT NOT NULL,
    category          TEXT NOT NULL,
    exemption_reason  TEXT,
    PRIMARY KEY (credit_note_id, position)
);

CREATE TABLE credit_note_lines (
    id                    INTEGER PRIMARY KEY,
    credit_note_id        INTEGER NOT NULL REFERENCES credit_notes(id) ON DELETE CASCADE,
    invoice_line_id       INTEGER NOT NULL REFERENCES invoice_lines(id),
    position              INTEGER NOT NULL,
    description           TEXT NOT NULL,
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
    UNIQUE (credit_note_id, position)
);
CREATE INDEX credit_note_lines_invoice_line ON credit_note_lines(invoice_line_id);

-- Money paid back to a client (a negative payment), made by a credit note.
CREATE TABLE refunds (
    id              INTEGER PRIMARY KEY,
    invoice_id      INTEGER NOT NULL REFERENCES invoices(id),
    credit_note_id  INTEGER NOT NULL REFERENCES credit_notes(id),
    refunded_on     TEXT NOT NULL,
    amount_minor    INTEGER NOT NULL CHECK (amount_minor > 0),
    method          TEXT NOT NULL DEFAULT '',
    reference       TEXT NOT NULL DEFAULT '',
    created_at      INTEGER NOT NULL
);
CREATE INDEX refunds_invoice ON refunds(invoice_id);
CREATE INDEX refunds_date ON refunds(refunded_on);

-- ---- project billing types ----------------------------------------------------

-- Invoices that bill part of a fixed-price project's fee (the invoice's
-- subtotal, less what credit notes took back, counts against the fee).
CREATE TABLE fee_invoices (
    invoice_id  INTEGER PRIMARY KEY REFERENCES invoices(id) ON DELETE CASCADE,
    project_id  INTEGER NOT NULL REFERENCES projects(id)
);
CREATE INDEX fee_invoices_project ON fee_invoices(project_id);

-- A retainer's period (weekly, monthly, quarterly or yearly); the amount per
-- period is the project's budget.
CREATE TABLE project_retainers (
    project_id  INTEGER PRIMARY KEY REFERENCES projects(id) ON DELETE CASCADE,
    period      TEXT NOT NULL DEFAULT 'monthly' CHECK (period IN ('weekly','monthly','quarterly','yearly'))
);

-- A retainer period is billed once: one invoice per project and period.
CREATE TABLE retainer_invoices (
    project_id    INTEGER NOT NULL REFERENCES projects(id),
    period_start  TEXT NOT NULL,
    period_end    TEXT NOT NULL,
    invoice_id    INTEGER NOT NULL REFERENCES invoices(id) ON DELETE CASCADE,
    PRIMARY KEY (project_id, period_start)
);
CREATE INDEX retainer_invoices_invoice ON retainer_invoices(invoice_id);
