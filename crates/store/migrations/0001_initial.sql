-- Billable schema, version 1. Shipped migrations are never edited: add a new
-- file instead. Money columns are exact: integer minor units (*_minor) in the
-- document's currency, or canonical decimal text for rates, quantities and
-- percentages. No column holds a floating-point number.

CREATE TABLE business (
    id                      INTEGER PRIMARY KEY CHECK (id = 1),
    name                    TEXT NOT NULL DEFAULT '',
    address                 TEXT NOT NULL DEFAULT '',
    country                 TEXT NOT NULL DEFAULT '',
    tax_id                  TEXT NOT NULL DEFAULT '',
    email                   TEXT NOT NULL DEFAULT '',
    phone                   TEXT NOT NULL DEFAULT '',
    bank_name               TEXT NOT NULL DEFAULT '',
    iban                    TEXT NOT NULL DEFAULT '',
    bic                     TEXT NOT NULL DEFAULT '',
    payment_link            TEXT NOT NULL DEFAULT '',
    default_currency        TEXT NOT NULL DEFAULT 'EUR',
    payment_terms_days      INTEGER NOT NULL DEFAULT 30 CHECK (payment_terms_days BETWEEN 0 AND 3650),
    logo_path               TEXT,
    default_rate            TEXT,
    rounding                TEXT NOT NULL DEFAULT 'none',
    invoice_number_pattern  TEXT NOT NULL DEFAULT 'INV-{YYYY}-{SEQ:4}',
    default_tax_mode        TEXT NOT NULL DEFAULT 'summary' CHECK (default_tax_mode IN ('summary','inline')),
    default_notes           TEXT NOT NULL DEFAULT '',
    default_terms           TEXT NOT NULL DEFAULT ''
);
INSERT INTO business (id) VALUES (1);

CREATE TABLE members (
    id            INTEGER PRIMARY KEY,
    name          TEXT NOT NULL,
    email         TEXT NOT NULL DEFAULT '',
    default_rate  TEXT,
    archived      INTEGER NOT NULL DEFAULT 0 CHECK (archived IN (0,1))
);
-- The person using the app; rename them in settings.
INSERT INTO members (id, name) VALUES (1, 'Me');

CREATE TABLE tax_rates (
    id                INTEGER PRIMARY KEY,
    name              TEXT NOT NULL,
    percent           TEXT NOT NULL,
    category          TEXT NOT NULL DEFAULT 'S' CHECK (category IN ('S','Z','E','AE','K','G','O')),
    exemption_reason  TEXT,
    archived          INTEGER NOT NULL DEFAULT 0 CHECK (archived IN (0,1))
);

CREATE TABLE clients (
    id                  INTEGER PRIMARY KEY,
    name                TEXT NOT NULL,
    contact_person      TEXT NOT NULL DEFAULT '',
    emails              TEXT NOT NULL DEFAULT '[]',   -- JSON array of addresses
    address             TEXT NOT NULL DEFAULT '',
    country             TEXT NOT NULL DEFAULT '',
    tax_id              TEXT NOT NULL DEFAULT '',
    currency            TEXT,
    payment_terms_days  INTEGER CHECK (payment_terms_days BETWEEN 0 AND 3650),
    rounding            TEXT,
    rate                TEXT,
    archived            INTEGER NOT NULL DEFAULT 0 CHECK (archived IN (0,1))
);
CREATE UNIQUE INDEX clients_name ON clients(name COLLATE NOCASE);

CREATE TABLE client_tax_rates (
    client_id    INTEGER NOT NULL REFERENCES clients(id) ON DELETE CASCADE,
    tax_rate_id  INTEGER NOT NULL REFERENCES tax_rates(id),
    position     INTEGER NOT NULL,
    PRIMARY KEY (client_id, tax_rate_id)
);

CREATE TABLE projects (
    id            INTEGER PRIMARY KEY,
    client_id     INTEGER NOT NULL REFERENCES clients(id),
    name          TEXT NOT NULL,
    billing_type  TEXT NOT NULL DEFAULT 'hourly' CHECK (billing_type IN ('hourly','fixed_price','retainer')),
    rate          TEXT,
    budget        TEXT,
    rounding      TEXT,
    archived      INTEGER NOT NULL DEFAULT 0 CHECK (archived IN (0,1))
);
CREATE UNIQUE INDEX projects_client_name ON projects(client_id, name COLLATE NOCASE);

CREATE TABLE tasks (
    id          INTEGER PRIMARY KEY,
    project_id  INTEGER NOT NULL REFERENCES projects(id),
    name        TEXT NOT NULL,
    rate        TEXT,
    archived    INTEGER NOT NULL DEFAULT 0 CHECK (archived IN (0,1))
);
CREATE UNIQUE INDEX tasks_project_name ON tasks(project_id, name COLLATE NOCASE);

CREATE TABLE invoices (
    id                      INTEGER PRIMARY KEY,
    number                  TEXT NOT NULL UNIQUE,
    client_id               INTEGER NOT NULL REFERENCES clients(id),
    project_id              INTEGER REFERENCES projects(id),
    category                TEXT NOT NULL DEFAULT '',
    tags                    TEXT NOT NULL DEFAULT '[]',  -- JSON array
    issue_date              TEXT NOT NULL,               -- YYYY-MM-DD
    due_date                TEXT NOT NULL,
    currency                TEXT NOT NULL,
    tax_mode                TEXT NOT NULL CHECK (tax_mode IN ('summary','inline')),
    discount_kind           TEXT NOT NULL DEFAULT 'none' CHECK (discount_kind IN ('none','percent','fixed')),
    discount_value          TEXT,
    adjustment_minor        INTEGER NOT NULL DEFAULT 0,
    adjustment_description  TEXT NOT NULL DEFAULT '',
    notes                   TEXT NOT NULL DEFAULT '',
    terms                   TEXT NOT NULL DEFAULT '',
    po_number               TEXT NOT NULL DEFAULT '',
    status                  TEXT NOT NULL DEFAULT 'draft'
                            CHECK (status IN ('draft','sent','partially_paid','paid','cancelled')),
    subtotal_minor          INTEGER NOT NULL DEFAULT 0,
    discount_minor          INTEGER NOT NULL DEFAULT 0,
    tax_minor               INTEGER NOT NULL DEFAULT 0,
    total_minor             INTEGER NOT NULL DEFAULT 0,
    paid_minor              INTEGER NOT NULL DEFAULT 0,
    balance_minor           INTEGER NOT NULL DEFAULT 0,
    created_at              INTEGER NOT NULL,            -- unix seconds, UTC
    updated_at              INTEGER NOT NULL,
    issued_at               INTEGER
);
CREATE INDEX invoices_client ON invoices(client_id, issue_date);
CREATE INDEX invoices_issue_date ON invoices(issue_date);
CREATE INDEX invoices_due_open ON invoices(due_date) WHERE status IN ('sent','partially_paid');
CREATE INDEX invoices_status_date ON invoices(status, issue_date);

-- Summary-mode taxes of an invoice (snapshots of the rate when applied).
CREATE TABLE invoice_taxes (
    invoice_id        INTEGER NOT NULL REFERENCES invoices(id) ON DELETE CASCADE,
    position          INTEGER NOT NULL,
    name              TEXT NOT NULL,
    percent           TEXT NOT NULL,
    category          TEXT NOT NULL,
    exemption_reason  TEXT,
    PRIMARY KEY (invoice_id, position)
);

CREATE TABLE invoice_lines (
    id                    INTEGER PRIMARY KEY,
    invoice_id            INTEGER NOT NULL REFERENCES invoices(id) ON DELETE CASCADE,
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
    UNIQUE (invoice_id, position)
);

CREATE TABLE time_entries (
    id               INTEGER PRIMARY KEY,
    member_id        INTEGER NOT NULL REFERENCES members(id),
    client_id        INTEGER NOT NULL REFERENCES clients(id),
    project_id       INTEGER NOT NULL REFERENCES projects(id),
    task_id          INTEGER REFERENCES tasks(id),
    work_date        TEXT NOT NULL,             -- local date, YYYY-MM-DD
    start_at         INTEGER,                   -- unix seconds, UTC
    end_at           INTEGER,
    seconds          INTEGER NOT NULL CHECK (seconds > 0),
    description      TEXT NOT NULL DEFAULT '',
    billable         INTEGER NOT NULL DEFAULT 1 CHECK (billable IN (0,1)),
    rate             TEXT,
    invoice_id       INTEGER REFERENCES invoices(id),
    invoice_line_id  INTEGER REFERENCES invoice_lines(id),
    created_at       INTEGER NOT NULL,
    CHECK ((invoice_id IS NULL) = (invoice_line_id IS NULL)),
    CHECK (invoice_id IS NULL OR billable = 1)
);
CREATE INDEX time_entries_unbilled ON time_entries(client_id, work_date)
    WHERE invoice_id IS NULL AND billable = 1;
CREATE INDEX time_entries_project_date ON time_entries(project_id, work_date);
-- Covers the time report: a date range is summed without touching the table.
CREATE INDEX time_entries_report
    ON time_entries(work_date, project_id, client_id, member_id, task_id, rate, billable, seconds);
CREATE INDEX time_entries_member_date ON time_entries(member_id, work_date);
CREATE INDEX time_entries_invoice_line ON time_entries(invoice_line_id) WHERE invoice_line_id IS NOT NULL;
CREATE INDEX time_entries_invoice ON time_entries(invoice_id) WHERE invoice_id IS NOT NULL;

-- One running timer per member, written the moment it starts.
CREATE TABLE running_timers (
    member_id    INTEGER PRIMARY KEY REFERENCES members(id),
    project_id   INTEGER NOT NULL REFERENCES projects(id),
    task_id      INTEGER REFERENCES tasks(id),
    description  TEXT NOT NULL DEFAULT '',
    billable     INTEGER NOT NULL DEFAULT 1 CHECK (billable IN (0,1)),
    started_at   INTEGER NOT NULL
);

CREATE TABLE payments (
    id           INTEGER PRIMARY KEY,
    invoice_id   INTEGER NOT NULL REFERENCES invoices(id),
    paid_on      TEXT NOT NULL,
    amount_minor INTEGER NOT NULL CHECK (amount_minor > 0),
    method       TEXT NOT NULL DEFAULT '',
    reference    TEXT NOT NULL DEFAULT '',
    note         TEXT NOT NULL DEFAULT '',
    created_at   INTEGER NOT NULL
);
CREATE INDEX payments_invoice ON payments(invoice_id);
CREATE INDEX payments_date ON payments(paid_on);

CREATE TABLE invoice_activity (
    id          INTEGER PRIMARY KEY,
    invoice_id  INTEGER NOT NULL REFERENCES invoices(id) ON DELETE CASCADE,
    at          INTEGER NOT NULL,
    kind        TEXT NOT NULL,
    detail      TEXT NOT NULL DEFAULT ''
);
CREATE INDEX invoice_activity_invoice ON invoice_activity(invoice_id, id);

-- Numbering counters: per series and year (year 0 when a pattern never resets).
-- Numbers are never reused: counters only move forward.
CREATE TABLE number_counters (
    series  TEXT NOT NULL,
    year    INTEGER NOT NULL,
    next    INTEGER NOT NULL CHECK (next >= 1),
    PRIMARY KEY (series, year)
);

-- Every invoice number ever given out, kept after a draft is deleted so that
-- a number is never reused.
CREATE TABLE used_numbers (
    number  TEXT PRIMARY KEY
);
