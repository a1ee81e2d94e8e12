-- Billable schema: tax-inclusive prices.
--
-- An invoice is priced net (tax added on top, as before) or gross (the
-- rates entered include tax; billable_core::totals derives the net amounts
-- and the tax per group). A client may set the pricing of its new invoices
-- (NULL: net); a recurring profile keeps the pricing of the invoice it was
-- made from for the invoices it generates. The stored totals and line amounts stay what the engine
-- computed: net amounts, frozen once the invoice is issued.

ALTER TABLE invoices ADD COLUMN pricing TEXT NOT NULL DEFAULT 'net'
    CHECK (pricing IN ('net', 'gross'));
ALTER TABLE recurring_profiles ADD COLUMN pricing TEXT NOT NULL DEFAULT 'net'
    CHECK (pricing IN ('net', 'gross'));
ALTER TABLE clients ADD COLUMN default_pricing TEXT
    CHECK (default_pricing IS NULL OR default_pricing IN ('net', 'gross'));
