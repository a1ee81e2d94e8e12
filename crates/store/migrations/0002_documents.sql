-- Documents: structured postal addresses (what e-invoices need: street,
-- postcode, city beside the country code), the buyer reference (BT-10, in
-- Germany the XRechnung Leitweg-ID), the seller's VAT id beside its other tax
-- id, and how invoices are presented: PDF template, paper size, locale, the
-- Factur-X default and a signature image. An invoice may override the
-- template and the locale (NULL: the business default).

ALTER TABLE business ADD COLUMN street TEXT NOT NULL DEFAULT '';
ALTER TABLE business ADD COLUMN postcode TEXT NOT NULL DEFAULT '';
ALTER TABLE business ADD COLUMN city TEXT NOT NULL DEFAULT '';
ALTER TABLE business ADD COLUMN vat_id TEXT NOT NULL DEFAULT '';
ALTER TABLE business ADD COLUMN pdf_template TEXT NOT NULL DEFAULT 'classic'
    CHECK (pdf_template IN ('classic','minimal','detailed'));
ALTER TABLE business ADD COLUMN paper_size TEXT NOT NULL DEFAULT 'a4' CHECK (paper_size IN ('a4','letter'));
ALTER TABLE business ADD COLUMN locale TEXT NOT NULL DEFAULT 'en-US';
ALTER TABLE business ADD COLUMN einvoicing INTEGER NOT NULL DEFAULT 0 CHECK (einvoicing IN (0,1));
ALTER TABLE business ADD COLUMN signature_path TEXT;

ALTER TABLE clients ADD COLUMN street TEXT NOT NULL DEFAULT '';
ALTER TABLE clients ADD COLUMN postcode TEXT NOT NULL DEFAULT '';
ALTER TABLE clients ADD COLUMN city TEXT NOT NULL DEFAULT '';
ALTER TABLE clients ADD COLUMN buyer_reference TEXT NOT NULL DEFAULT '';

ALTER TABLE invoices ADD COLUMN template TEXT CHECK (template IS NULL OR template IN ('classic','minimal','detailed'));
ALTER TABLE invoices ADD COLUMN locale TEXT;
