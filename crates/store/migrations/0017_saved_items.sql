-- Billable schema: saved items, a catalog of products and services to pick
-- invoice lines from (seed 002's line items: description, unit, rate,
-- long_description, tax rate).
--
-- An item is a template. A line made from it copies the item's description
-- (the name when it has none), details, unit, rate and tax rate at that
-- moment; the line keeps no link to the item, so editing, archiving or
-- deleting an item never changes an invoice. The rate is canonical decimal
-- text like every other rate, in the currency of the invoice it is used on.
-- tax_rate_id NULL: the line takes the invoice's default tax for new lines.
--
-- Names are unique, ignoring case, among items that are not archived
-- (archived items may share a name with each other and with an active one
-- that replaced them). The use cases also compare names with full Unicode
-- case folding; this index keeps the ASCII case even under races.

CREATE TABLE saved_items (
    id                INTEGER PRIMARY KEY,
    name              TEXT NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
    description       TEXT NOT NULL DEFAULT '',
    long_description  TEXT NOT NULL DEFAULT '',
    unit              TEXT NOT NULL DEFAULT '',
    rate              TEXT NOT NULL,
    tax_rate_id       INTEGER REFERENCES tax_rates(id),
    archived          INTEGER NOT NULL DEFAULT 0 CHECK (archived IN (0,1))
);

CREATE UNIQUE INDEX saved_items_active_name ON saved_items(name COLLATE NOCASE) WHERE archived = 0;
