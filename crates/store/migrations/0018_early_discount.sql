-- Billable schema: the early-payment discount (Skonto).
--
-- An invoice may offer a percentage off its total when paid within some
-- days of its issue date (billable_core::early_payment has the rule). The
-- payment that settles it early records the discount it took, so deleting
-- that payment gives the discount back; the invoice keeps the sum, like
-- paid_minor, for its balance and its views.

ALTER TABLE invoices ADD COLUMN early_discount_percent TEXT;
ALTER TABLE invoices ADD COLUMN early_discount_days INTEGER
    CHECK (early_discount_days IS NULL OR early_discount_days BETWEEN 1 AND 365);
ALTER TABLE invoices ADD COLUMN early_discount_taken_minor INTEGER NOT NULL DEFAULT 0
    CHECK (early_discount_taken_minor >= 0);
ALTER TABLE payments ADD COLUMN early_discount_minor INTEGER NOT NULL DEFAULT 0
    CHECK (early_discount_minor >= 0);
