-- Billable schema, version 13: long line descriptions.
--
-- A line carries more detail under its short description (seed 002's
-- items[].long_description; BT-154 "Item description" in an e-invoice):
-- several lines of text, printed under the description on the PDF. Empty
-- means the line has none. Credit note lines copy it from the invoice line;
-- recurring template lines keep it (with the same period placeholders as
-- the description).

ALTER TABLE invoice_lines ADD COLUMN long_description TEXT NOT NULL DEFAULT '';
ALTER TABLE credit_note_lines ADD COLUMN long_description TEXT NOT NULL DEFAULT '';
ALTER TABLE recurring_lines ADD COLUMN long_description TEXT NOT NULL DEFAULT '';
