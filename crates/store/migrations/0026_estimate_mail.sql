-- Billable schema: estimates emailed through the outbox.
--
-- An outbox job now carries an invoice's email (kinds invoice, reminder,
-- overdue) or an estimate's (kind estimate, estimate_id set): one state
-- machine, one table. For an estimate job, issues_invoice says the estimate
-- was a draft when queued, and becomes sent when the server accepts the
-- message. mail_templates accepts the estimate template.
--
-- SQLite cannot change a CHECK constraint, so both tables are rebuilt with
-- their rows and ids. sent_reminders refers to outbox: its rows are kept
-- aside while outbox is rebuilt, so dropping the old outbox (with foreign
-- keys on) sets none of their outbox_id to NULL, and come back unchanged.

CREATE TABLE mail_templates_new (
    kind     TEXT PRIMARY KEY CHECK (kind IN ('invoice','reminder','overdue','estimate')),
    subject  TEXT NOT NULL,
    body     TEXT NOT NULL
);
INSERT INTO mail_templates_new (kind, subject, body) SELECT kind, subject, body FROM mail_templates;
DROP TABLE mail_templates;
ALTER TABLE mail_templates_new RENAME TO mail_templates;

CREATE TABLE sent_reminders_kept (
    invoice_id   INTEGER NOT NULL,
    due_date     TEXT NOT NULL,
    offset_days  INTEGER NOT NULL,
    outbox_id    INTEGER,
    created_at   INTEGER NOT NULL
);
INSERT INTO sent_reminders_kept (invoice_id, due_date, offset_days, outbox_id, created_at)
SELECT invoice_id, due_date, offset_days, outbox_id, created_at FROM sent_reminders;
DROP TABLE sent_reminders;

CREATE TABLE outbox_new (
    id               INTEGER PRIMARY KEY,
    kind             TEXT NOT NULL CHECK (kind IN ('invoice','reminder','overdue','estimate')),
    invoice_id       INTEGER REFERENCES invoices(id) ON DELETE SET NULL,
    estimate_id      INTEGER REFERENCES estimates(id) ON DELETE SET NULL,
    state            TEXT NOT NULL DEFAULT 'queued'
                     CHECK (state IN ('queued','sending','sent','failed','cancelled')),
    phase            TEXT CHECK (phase IN ('connecting','handed_over')),
    message_id       TEXT NOT NULL UNIQUE,
    envelope_from    TEXT NOT NULL,
    recipients       TEXT NOT NULL,               -- JSON array (To and Bcc)
    to_addresses     TEXT NOT NULL,               -- JSON array (To only), for display
    subject          TEXT NOT NULL,
    mime             BLOB NOT NULL,
    attachment_name  TEXT,
    -- Issue the (draft) invoice, or mark the (draft) estimate sent, when the
    -- server accepts the message.
    issues_invoice   INTEGER NOT NULL DEFAULT 0 CHECK (issues_invoice IN (0,1)),
    attempts         INTEGER NOT NULL DEFAULT 0,
    next_attempt_at  INTEGER,                     -- unix seconds; NULL unless queued
    last_attempt_at  INTEGER,
    last_error       TEXT,
    last_error_code  TEXT,
    server_response  TEXT,
    created_at       INTEGER NOT NULL,
    sent_at          INTEGER,
    CHECK ((state = 'sending') = (phase IS NOT NULL)),
    -- An estimate's email names no invoice, and an invoice's no estimate.
    CHECK (kind = 'estimate' OR estimate_id IS NULL),
    CHECK (kind <> 'estimate' OR invoice_id IS NULL)
);
INSERT INTO outbox_new (id, kind, invoice_id, estimate_id, state, phase, message_id, envelope_from, recipients,
    to_addresses, subject, mime, attachment_name, issues_invoice, attempts, next_attempt_at, last_attempt_at,
    last_error, last_error_code, server_response, created_at, sent_at)
SELECT id, kind, invoice_id, NULL, state, phase, message_id, envelope_from, recipients,
    to_addresses, subject, mime, attachment_name, issues_invoice, attempts, next_attempt_at, last_attempt_at,
    last_error, last_error_code, server_response, created_at, sent_at
FROM outbox;
DROP TABLE outbox;
ALTER TABLE outbox_new RENAME TO outbox;
CREATE INDEX outbox_due ON outbox(next_attempt_at) WHERE state = 'queued';
CREATE INDEX outbox_invoice ON outbox(invoice_id, state);
CREATE INDEX outbox_estimate ON outbox(estimate_id, state) WHERE estimate_id IS NOT NULL;
CREATE INDEX outbox_state ON outbox(state, id);

CREATE TABLE sent_reminders (
    invoice_id   INTEGER NOT NULL REFERENCES invoices(id) ON DELETE CASCADE,
    due_date     TEXT NOT NULL,
    offset_days  INTEGER NOT NULL,
    outbox_id    INTEGER REFERENCES outbox(id) ON DELETE SET NULL,
    created_at   INTEGER NOT NULL,
    PRIMARY KEY (invoice_id, due_date, offset_days)
);
INSERT INTO sent_reminders (invoice_id, due_date, offset_days, outbox_id, created_at)
SELECT invoice_id, due_date, offset_days, outbox_id, created_at FROM sent_reminders_kept;
DROP TABLE sent_reminders_kept;
