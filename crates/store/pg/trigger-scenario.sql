-- A scenario run by scripts/pg-schema-check.py on a fresh SQLite book (a
-- copy of a file at the newest schema version, foreign keys on) and on
-- fresh team books made from crates/store/pg/NNNN_*.sql applied in order:
-- after every `-- @check` both hold exactly the same
-- rows in every table, and every rollup equals what its SQLite migration
-- would compute from the rows. It is written in the SQL both engines
-- accept: explicit ids (except one insert that checks the next id after the
-- seed rows), no RETURNING, no engine-only function, blobs as text.
--
-- `-- @error [text]`: the next statement must fail on both engines (with
-- `text` in both messages when given) and change nothing.
-- Statements end with a semicolon at the end of a line; each chunk between
-- two markers runs as one transaction.

-- ---- the books' people and projects ------------------------------------------------

-- The seed member is id 1; SQLite gives the next one id 2, as must the
-- identity (restarted after the seed rows).
INSERT INTO members (name) VALUES ('Ann');
INSERT INTO clients (id, name) VALUES (1, 'Acme'), (2, 'Globex'), (3, 'École');
-- NOCASE folds ASCII letters only: É and é are different names in SQLite.
INSERT INTO clients (id, name) VALUES (4, 'école');
INSERT INTO projects (id, client_id, name, billing_type, budget) VALUES
    (1, 1, 'Web', 'hourly', NULL),
    (2, 1, 'Care plan', 'retainer', '1000'),
    (3, 2, 'Launch', 'fixed_price', '5000'),
    (4, 2, 'Ops', 'hourly', '20');
INSERT INTO projects (id, client_id, name) VALUES (5, 2, 'WEB');
INSERT INTO tasks (id, project_id, name) VALUES (1, 1, 'Design'), (2, 1, 'Build'), (3, 4, 'Support');
INSERT INTO tax_rates (id, name, percent) VALUES (1, 'VAT', '20');
-- @check

-- @error
INSERT INTO clients (id, name) VALUES (5, 'ACME');
-- @error
INSERT INTO projects (id, client_id, name) VALUES (6, 1, 'web');
-- @error
INSERT INTO tasks (id, project_id, name) VALUES (4, 1, 'DESIGN');
INSERT INTO saved_items (id, name, rate) VALUES (1, 'Hosting', '10');
INSERT INTO saved_items (id, name, rate, archived) VALUES (2, 'HOSTING', '9', 1), (3, 'hosting', '8', 1);
-- @error
INSERT INTO saved_items (id, name, rate) VALUES (4, 'hosting', '11');
-- @error
INSERT INTO saved_items (id, name, rate) VALUES (4, '', '11');
-- @check

-- ---- time entries: every rollup of time ------------------------------------------------

-- One statement, many rows: SQLite fires each row's triggers after that row,
-- PostgreSQL after the last; the rollups must come out the same.
INSERT INTO time_entries (id, member_id, client_id, project_id, task_id, work_date, seconds, billable, rate, created_at)
VALUES
    (1, 1, 1, 1, 1, '2026-03-02', 3600, 1, NULL, 0),
    (2, 1, 1, 1, 1, '2026-03-02', 1800, 1, NULL, 0),
    (3, 1, 1, 1, NULL, '2026-03-02', 900, 0, NULL, 0),
    (4, 2, 1, 1, 2, '2026-03-03', 7200, 1, '120', 0),
    (5, 2, 2, 4, 3, '2026-03-03', 600, 1, NULL, 0),
    (6, 1, 2, 4, NULL, '2026-03-04', 1200, 1, '80.5', 0),
    (7, 1, 1, 1, 1, '2026-03-05', 300, 1, NULL, 0),
    (9, 2, 2, 4, 3, '2026-03-03', 60, 1, NULL, 0);
INSERT INTO time_entries (id, member_id, client_id, project_id, work_date, seconds, billable, billed_outside, created_at)
VALUES (8, 1, 1, 1, '2026-03-05', 450, 1, 'EXT-1', 0);
-- @check

UPDATE time_entries SET seconds = seconds + 60 WHERE id IN (1, 4);
UPDATE time_entries SET rate = '100' WHERE id = 2;
UPDATE time_entries SET task_id = 2 WHERE id = 7;
UPDATE time_entries SET work_date = '2026-03-06' WHERE id = 7;
UPDATE time_entries SET billable = 1 WHERE id = 3;
UPDATE time_entries SET billable = 0 WHERE id = 5;
UPDATE time_entries SET billed_outside = 'EXT-2' WHERE id = 6;
UPDATE time_entries SET billed_outside = NULL WHERE id = 8;
-- Columns of UPDATE OF set to what they were: the WHENs keep the rollups still.
UPDATE time_entries SET description = 'same figures', seconds = seconds, rate = rate, billable = billable WHERE id = 1;
UPDATE time_entries SET member_id = 2, client_id = 2, project_id = 4, task_id = NULL WHERE id = 2;
-- Two entries of one rollup row moving together.
UPDATE time_entries SET work_date = '2026-03-07' WHERE id IN (5, 9);
UPDATE time_entries SET approval = 'submitted' WHERE id IN (1, 4);
-- @check

-- @error
UPDATE time_entries SET billed_outside = 'xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx' WHERE id = 8;
UPDATE time_entries SET billed_outside = 'xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx' WHERE id = 8;
-- @error
UPDATE time_entries SET approval_reason = 'rrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrr' WHERE id = 1;
-- @error
UPDATE time_entries SET seconds = 0 WHERE id = 1;
-- @check

-- ---- invoices: counts, projects billed, kinds, revenue ----------------------------------

INSERT INTO invoices (id, number, client_id, project_id, issue_date, due_date, currency, tax_mode, status,
                      total_minor, balance_minor, created_at, updated_at)
VALUES
    (1, 'INV-1', 1, 1, '2026-03-10', '2026-04-09', 'EUR', 'summary', 'draft', 0, 0, 0, 0),
    (2, 'INV-2', 1, NULL, '2026-03-11', '2026-04-10', 'EUR', 'summary', 'draft', 0, 0, 0, 0),
    (3, 'INV-3', 2, 3, '2026-02-20', '2026-03-22', 'USD', 'inline', 'sent', 50000, 50000, 0, 0),
    (4, 'INV-4', 1, 2, '2026-01-15', '2026-02-14', 'EUR', 'summary', 'paid', 12000, 0, 0, 0),
    (5, 'INV-5', 2, 4, '2026-03-12', '2026-04-11', 'EUR', 'summary', 'sent', 7000, 7000, 0, 0),
    (6, 'INV-6', 1, NULL, '2026-03-12', '2026-04-11', 'EUR', 'summary', 'sent', 4000, 4000, 0, 0);
INSERT INTO invoice_lines (id, invoice_id, position, description, quantity, rate, amount_minor) VALUES
    (1, 1, 1, 'Design', '1.5', '100', 15000),
    (2, 2, 1, 'Build', '2', '120', 24000),
    (3, 3, 1, 'Launch', '1', '500', 50000);
-- @check

-- Billing entries (several at once), of two projects on one invoice.
UPDATE time_entries SET invoice_id = 1, invoice_line_id = 1 WHERE id IN (1, 7);
UPDATE time_entries SET invoice_id = 2, invoice_line_id = 2 WHERE id IN (4, 2);
-- @error
UPDATE time_entries SET invoice_id = 2, invoice_line_id = 2 WHERE id = 5;
-- @check

UPDATE invoices SET status = 'sent', total_minor = 15000, balance_minor = 15000, issued_at = 1 WHERE id = 1;
UPDATE invoices SET status = 'sent', total_minor = 24000, balance_minor = 24000, exchange_rate = '1.1', issued_at = 1
WHERE id = 2;
INSERT INTO payments (id, invoice_id, paid_on, amount_minor, created_at) VALUES
    (1, 1, '2026-03-15', 5000, 0),
    (2, 1, '2026-04-01', 2000, 0),
    (3, 3, '2026-03-01', 50000, 0);
UPDATE invoices SET status = 'partially_paid', paid_minor = 7000, balance_minor = 8000 WHERE id = 1;
UPDATE invoices SET status = 'paid', paid_minor = 50000, balance_minor = 0 WHERE id = 3;
-- @check

UPDATE payments SET amount_minor = 2500 WHERE id = 2;
UPDATE payments SET paid_on = '2026-05-02' WHERE id = 2;
UPDATE payments SET invoice_id = 2 WHERE id = 2;
UPDATE payments SET note = 'no figures' WHERE id = 1;
INSERT INTO credit_notes (id, number, invoice_id, issue_date, currency, tax_mode, subtotal_minor, discount_minor,
                          tax_minor, total_minor, applied_minor, refunded_minor, created_at)
VALUES (1, 'CN-1', 3, '2026-03-20', 'USD', 'inline', 10000, 0, 0, 10000, 0, 10000, 0),
       (2, 'CN-2', 1, '2026-03-25', 'EUR', 'summary', 1000, 0, 0, 1000, 1000, 0, 0),
       (3, 'CN-3', 3, '2026-03-20', 'USD', 'inline', 500, 0, 0, 500, 0, 500, 0);
INSERT INTO refunds (id, invoice_id, credit_note_id, refunded_on, amount_minor, created_at)
VALUES (1, 3, 1, '2026-03-21', 10000, 0),
       (2, 3, 3, '2026-03-01', 500, 0);
UPDATE invoices SET credited_minor = 10500 WHERE id = 3;
-- @check

-- Rows of revenue_months that keep other counts when one goes.
DELETE FROM refunds WHERE id = 2;
DELETE FROM credit_notes WHERE id = 3;
INSERT INTO payments (id, invoice_id, paid_on, amount_minor, created_at) VALUES (4, 1, '2026-03-16', 100, 0);
DELETE FROM payments WHERE id = 4;
-- @check

-- An invoice's exchange rate and currency carry its payments, refunds and
-- credit notes along.
UPDATE invoices SET exchange_rate = '0.92' WHERE id = 3;
UPDATE invoices SET currency = 'CHF' WHERE id = 1;
UPDATE invoices SET currency = 'EUR', exchange_rate = NULL WHERE id IN (1, 3);
UPDATE refunds SET refunded_on = '2026-04-02', amount_minor = 9000 WHERE id = 1;
UPDATE credit_notes SET issue_date = '2026-04-01', total_minor = 9000, refunded_minor = 9000 WHERE id = 1;
UPDATE credit_notes SET currency = 'GBP' WHERE id = 2;
UPDATE invoices SET issue_date = '2026-02-28' WHERE id = 5;
UPDATE invoices SET total_minor = 7500, balance_minor = 7500 WHERE id = 5;
-- @check

-- A project's kind changes the kinds of the invoices that bill it.
UPDATE projects SET billing_type = 'fixed_price' WHERE id IN (1, 4);
UPDATE projects SET budget = '300' WHERE id = 1;
UPDATE projects SET budget = '400' WHERE id = 1;
UPDATE projects SET billing_type = 'hourly', budget = NULL WHERE id IN (1, 4);
-- The header's project.
UPDATE invoices SET project_id = 4 WHERE id = 1;
UPDATE invoices SET project_id = NULL WHERE id = 3;
UPDATE invoices SET project_id = 3 WHERE id = 6;
-- Status and project in one statement: the order of the two triggers decides.
UPDATE invoices SET project_id = 1, status = 'cancelled', balance_minor = 0 WHERE id = 4;
UPDATE invoices SET project_id = 2, status = 'cancelled', balance_minor = 0 WHERE id IN (5, 6);
UPDATE invoices SET status = 'sent', balance_minor = 7500 WHERE id = 5;
-- @check

-- Entries moving between projects while billed, unbilling, deleting.
UPDATE time_entries SET project_id = 4, client_id = 2 WHERE id = 7;
UPDATE time_entries SET invoice_id = NULL, invoice_line_id = NULL WHERE invoice_id = 2;
DELETE FROM time_entries WHERE id IN (3, 6);
DELETE FROM time_entries WHERE id = 1;
-- @check

-- Deleting invoices: a draft with a billed entry released first, a header
-- invoice, an issued one (its revenue row goes with it).
DELETE FROM payments WHERE id = 2;
DELETE FROM invoices WHERE id = 2;
UPDATE time_entries SET invoice_id = NULL, invoice_line_id = NULL WHERE invoice_id = 1;
DELETE FROM payments WHERE id = 1;
DELETE FROM credit_notes WHERE id = 2;
DELETE FROM invoices WHERE id IN (1, 5);
DELETE FROM refunds WHERE id = 1;
-- @check

-- ---- client payments: shares and credit never beyond what was received --------------

INSERT INTO invoices (id, number, client_id, issue_date, due_date, currency, tax_mode, status,
                      total_minor, balance_minor, created_at, updated_at)
VALUES (7, 'INV-7', 1, '2026-04-01', '2026-05-01', 'EUR', 'summary', 'sent', 9000, 9000, 0, 0);
INSERT INTO client_payments (id, client_id, currency, received_on, amount_minor, created_at) VALUES
    (1, 1, 'EUR', '2026-03-30', 10000, 0),
    (2, 1, 'EUR', '2026-03-31', 5000, 0);
INSERT INTO payments (id, invoice_id, paid_on, amount_minor, client_payment_id, created_at) VALUES
    (10, 6, '2026-03-30', 4000, 1, 0),
    (11, 7, '2026-03-30', 5000, 1, 0);
INSERT INTO credit_refunds (id, client_payment_id, refunded_on, amount_minor, created_at)
VALUES (1, 1, '2026-04-01', 1000, 0);
-- @error client payment shared out beyond what was received
INSERT INTO payments (id, invoice_id, paid_on, amount_minor, client_payment_id, created_at)
VALUES (12, 7, '2026-04-01', 1, 1, 0);
-- @error client credit paid back beyond what was received
INSERT INTO credit_refunds (id, client_payment_id, refunded_on, amount_minor, created_at)
VALUES (2, 1, '2026-04-02', 1, 0);
-- Two shares that fit alone and not together: the statement is refused whole.
-- @error client payment shared out beyond what was received
INSERT INTO payments (id, invoice_id, paid_on, amount_minor, client_payment_id, created_at) VALUES
    (13, 7, '2026-04-01', 3000, 2, 0),
    (14, 7, '2026-04-01', 3000, 2, 0);
INSERT INTO payments (id, invoice_id, paid_on, amount_minor, client_payment_id, created_at)
VALUES (13, 7, '2026-04-01', 3000, 2, 0);
UPDATE invoices SET status = 'partially_paid', paid_minor = 8000, balance_minor = 1000 WHERE id = 7;
-- @check

-- ---- CHECKs and other constraints ----------------------------------------------------

INSERT INTO expenses (id, date, amount_minor, currency, created_at) VALUES (1, '2026-03-01', 100, 'EUR', 0);
INSERT INTO expense_receipts (expense_id, file_name, media_type, size, bytes)
VALUES (1, 'r.pdf', 'application/pdf', 3, 'abc');
-- @error
INSERT INTO expense_receipts (expense_id, file_name, media_type, size, bytes)
VALUES (1, 'r.pdf', 'application/pdf', 4, 'abc');
-- @error
INSERT INTO expenses (id, date, amount_minor, currency, billable, created_at) VALUES (2, '2026-03-01', 1, 'EUR', 1, 0);
INSERT INTO xero_account_rules (id, kind, target_id, account_code) VALUES (1, 'default', NULL, '200'),
    (2, 'project', 1, '201');
-- @error
INSERT INTO xero_account_rules (id, kind, target_id, account_code) VALUES (3, 'default', NULL, '202');
-- @error
INSERT INTO xero_account_rules (id, kind, target_id, account_code) VALUES (3, 'task', 1, '12345678901');
-- @error
INSERT INTO recurring_profiles (id, name, client_id, currency, tax_mode, frequency, start_date, end_date,
                                created_at, updated_at)
VALUES (1, 'Monthly', 1, 'EUR', 'summary', 'monthly', '2026-03-01', '2026-02-01', 0, 0);
-- @error
INSERT INTO reminder_late_fees (scope, scope_id, days_after, amount, percent) VALUES ('client', 1, 7, '5', NULL);
INSERT INTO reminder_late_fees (scope, scope_id, days_after, amount, percent) VALUES ('business', 0, 7, '5', NULL);
-- @error
INSERT INTO used_numbers (number) VALUES ('INV-1'), ('INV-1');
INSERT INTO used_numbers (number) VALUES ('INV-1'), ('inv-1');
-- @error
INSERT INTO invoices (id, number, client_id, issue_date, due_date, currency, tax_mode, created_at, updated_at)
VALUES (8, 'INV-7', 1, '2026-04-01', '2026-05-01', 'EUR', 'summary', 0, 0);
-- @check

-- ---- the outbox: an invoice's email or an estimate's (0026 / pg 0002) ------------------

INSERT INTO estimates (id, number, client_id, issue_date, valid_until, currency, tax_mode, created_at, updated_at)
VALUES (1, 'EST-1', 1, '2026-03-01', '2026-03-31', 'EUR', 'summary', 0, 0);
INSERT INTO outbox (id, kind, invoice_id, state, message_id, envelope_from, recipients, to_addresses, subject, mime,
                    issues_invoice, created_at, sent_at)
VALUES (1, 'reminder', 3, 'sent', '<r1@x>', 'me@x', '["a@x"]', '["a@x"]', 'Reminder', 'abc', 0, 0, 1);
INSERT INTO sent_reminders (invoice_id, due_date, offset_days, outbox_id, created_at)
VALUES (3, '2026-03-22', 1, 1, 0);
INSERT INTO outbox (id, kind, estimate_id, message_id, envelope_from, recipients, to_addresses, subject, mime,
                    attachment_name, issues_invoice, next_attempt_at, created_at)
VALUES (2, 'estimate', 1, '<e1@x>', 'me@x', '["a@x"]', '["a@x"]', 'Estimate EST-1', 'abc', 'EST-1.pdf', 1, 0, 0);
INSERT INTO mail_templates (kind, subject, body) VALUES ('estimate', 'Estimate {number}', 'Hello');
-- @check

-- An estimate's email names no invoice, an invoice's no estimate.
-- @error
INSERT INTO outbox (id, kind, invoice_id, estimate_id, message_id, envelope_from, recipients, to_addresses, subject,
                    mime, created_at)
VALUES (3, 'estimate', 3, 1, '<e2@x>', 'me@x', '[]', '[]', 'S', 'abc', 0);
-- @error
INSERT INTO outbox (id, kind, invoice_id, estimate_id, message_id, envelope_from, recipients, to_addresses, subject,
                    mime, created_at)
VALUES (3, 'invoice', 3, 1, '<e3@x>', 'me@x', '[]', '[]', 'S', 'abc', 0);
-- @error
INSERT INTO outbox (id, kind, estimate_id, message_id, envelope_from, recipients, to_addresses, subject, mime,
                    created_at)
VALUES (3, 'estimate', 99, '<e4@x>', 'me@x', '[]', '[]', 'S', 'abc', 0);
-- @error
INSERT INTO mail_templates (kind, subject, body) VALUES ('receipt', 'R', 'B');
-- A deleted email unlinks its reminder; a deleted estimate leaves its email behind.
DELETE FROM outbox WHERE id = 1;
DELETE FROM estimates WHERE id = 1;
-- @check
