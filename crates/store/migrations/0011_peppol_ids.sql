-- Billable schema, version 11: Peppol participant ids.
--
-- A Peppol BIS Billing invoice is delivered to the parties' electronic
-- addresses (BT-34, BT-49), written `scheme:value` (e.g. 0088:4000001123452
-- for a GLN, 9930:DE123456789 for a German VAT id). Empty means: derive it
-- from the VAT id where the id's country has a Peppol VAT scheme
-- (billable_docs::einvoice::peppol).

ALTER TABLE business ADD COLUMN peppol_id TEXT NOT NULL DEFAULT '';
ALTER TABLE clients ADD COLUMN peppol_id TEXT NOT NULL DEFAULT '';
