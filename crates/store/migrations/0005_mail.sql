-- Email: SMTP settings, templates, the outbox and reminders.
-- The SMTP password is NOT here: it lives in the OS keyring only.

CREATE TABLE smtp_settings (
    id            INTEGER PRIMARY KEY CHECK (id = 1),
    host          TEXT NOT NULL,
    port          INTEGER NOT NULL CHECK (port BETWEEN 1 AND 65535),
    security      TEXT NOT NULL CHECK (security IN ('starttls','tls','none')),
    username      TEXT NOT NULL DEFAULT '',
    from_address  TEXT NOT NULL,
    from_name     TEXT NOT NULL DEFAULT '',
    reply_to      TEXT,
    -- PEM of an extra root certificate to trust (a private CA), or NULL.
    extra_root_pem TEXT,
    updated_at    INTEGER NOT NULL
);

CREATE TABLE mail_templates (
    kind     TEXT PRIMARY KEY CHECK (kind IN ('invoice','reminder','overdue')),
    subject  TEXT NOT NULL,
    body     TEXT NOT NULL
);

-- Every email is a job: queued → sending → sent, or failed / cancelled.
-- `phase` tells how far a sending job got: 'connecting' (the server has
-- nothing yet; safe to send again) or 'handed_over' (the message went out;
-- never sent again). The MIME is stored as sent, attachment included, so
-- what goes out is exactly what was queued.
CREATE TABLE outbox (
    id               INTEGER PRIMARY KEY,
    kind             TEXT NOT NULL CHECK (kind IN ('invoice','reminder','overdue')),
    invoice_id       INTEGER REFERENCES invoices(id) ON DELETE SET NULL,
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
    -- Issue the (draft) invoice when the server accepts the message.
    issues_invoice   INTEGER NOT NULL DEFAULT 0 CHECK (issues_invoice IN (0,1)),
    attempts         INTEGER NOT NULL DEFAULT 0,
    next_attempt_at  INTEGER,                     -- unix seconds; NULL unless queued
    last_attempt_at  INTEGER,
    last_error       TEXT,
    last_error_code  TEXT,
    server_response  TEXT,
    created_at       INTEGER NOT NULL,
    sent_at          INTEGER,
    CHECK ((state = 'sending') = (phase IS NOT NULL))
);
CREATE INDEX outbox_due ON outbox(next_attempt_at) WHERE state = 'queued';
CREATE INDEX outbox_invoice ON outbox(invoice_id, state);
CREATE INDEX outbox_state ON outbox(state, id);

-- Reminder schedules: the business default (scope 'business', scope_id 0),
-- overridden per client or per invoice. Days are JSON arrays of integers.
CREATE TABLE reminder_schedules (
    scope        TEXT NOT NULL CHECK (scope IN ('business','client','invoice')),
    scope_id     INTEGER NOT NULL,
    enabled      INTEGER NOT NULL DEFAULT 1 CHECK (enabled IN (0,1)),
    days_before  TEXT NOT NULL DEFAULT '[]',
    days_after   TEXT NOT NULL DEFAULT '[]',
    PRIMARY KEY (scope, scope_id)
);
INSERT INTO reminder_schedules (scope, scope_id, enabled, days_before, days_after)
VALUES ('business', 0, 1, '[7,3,1]', '[1,7,14]');

-- One row per reminder that went out (or was queued): the same reminder is
-- never sent twice. `offset_days` is negative before the due date.
CREATE TABLE sent_reminders (
    invoice_id   INTEGER NOT NULL REFERENCES invoices(id) ON DELETE CASCADE,
    due_date     TEXT NOT NULL,
    offset_days  INTEGER NOT NULL,
    outbox_id    INTEGER REFERENCES outbox(id) ON DELETE SET NULL,
    created_at   INTEGER NOT NULL,
    PRIMARY KEY (invoice_id, due_date, offset_days)
);
