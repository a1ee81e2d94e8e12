-- What an invoice's activity entry is about, as data (JSON: amount,
-- currency, date, recipients, numbers, statuses…), so the window can say it
-- as a sentence in the user's language with amounts and dates in the
-- user's format. `detail` keeps the English text; older entries have no
-- facts and are shown by their text. Shipped migrations are never edited.
ALTER TABLE invoice_activity ADD COLUMN facts TEXT;
