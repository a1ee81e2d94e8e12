-- One payment across several invoices of a client, and the client's credit.
--
-- A client payment is money received from a client in one currency. Its
-- shares are ordinary `payments` rows pointing back at it
-- (`payments.client_payment_id`), so every balance, status and revenue
-- rollup keeps reading `payments` alone. What is not shared out is the
-- client's credit: applied to a later invoice (another share) or paid back
-- (`credit_refunds`). Money is integer minor units, as everywhere.

CREATE TABLE client_payments (
    id            INTEGER PRIMARY KEY,
    client_id     INTEGER NOT NULL REFERENCES clients(id),
    currency      TEXT NOT NULL,
    received_on   TEXT NOT NULL,
    amount_minor  INTEGER NOT NULL CHECK (amount_minor > 0),
    method        TEXT NOT NULL DEFAULT '',
    reference     TEXT NOT NULL DEFAULT '',
    note          TEXT NOT NULL DEFAULT '',
    created_at    INTEGER NOT NULL
);
CREATE INDEX client_payments_client ON client_payments(client_id, currency, received_on, id);

ALTER TABLE payments ADD COLUMN client_payment_id INTEGER REFERENCES client_payments(id);
CREATE INDEX payments_client_payment ON payments(client_payment_id) WHERE client_payment_id IS NOT NULL;

CREATE TABLE credit_refunds (
    id                 INTEGER PRIMARY KEY,
    client_payment_id  INTEGER NOT NULL REFERENCES client_payments(id),
    refunded_on        TEXT NOT NULL,
    amount_minor       INTEGER NOT NULL CHECK (amount_minor > 0),
    method             TEXT NOT NULL DEFAULT '',
    reference          TEXT NOT NULL DEFAULT '',
    note               TEXT NOT NULL DEFAULT '',
    created_at         INTEGER NOT NULL
);
CREATE INDEX credit_refunds_payment ON credit_refunds(client_payment_id);

-- A client payment is never shared out or paid back beyond what was received,
-- whatever writes the rows.
CREATE TRIGGER client_payment_not_overspent_by_share
AFTER INSERT ON payments WHEN NEW.client_payment_id IS NOT NULL
BEGIN
    SELECT RAISE(ABORT, 'client payment shared out beyond what was received')
    WHERE (SELECT amount_minor FROM client_payments WHERE id = NEW.client_payment_id)
        < (SELECT COALESCE(SUM(amount_minor), 0) FROM payments WHERE client_payment_id = NEW.client_payment_id)
        + (SELECT COALESCE(SUM(amount_minor), 0) FROM credit_refunds WHERE client_payment_id = NEW.client_payment_id);
END;

CREATE TRIGGER client_payment_not_overspent_by_refund
AFTER INSERT ON credit_refunds
BEGIN
    SELECT RAISE(ABORT, 'client credit paid back beyond what was received')
    WHERE (SELECT amount_minor FROM client_payments WHERE id = NEW.client_payment_id)
        < (SELECT COALESCE(SUM(amount_minor), 0) FROM payments WHERE client_payment_id = NEW.client_payment_id)
        + (SELECT COALESCE(SUM(amount_minor), 0) FROM credit_refunds WHERE client_payment_id = NEW.client_payment_id);
END;
