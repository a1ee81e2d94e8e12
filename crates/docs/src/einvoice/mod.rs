//! Standard e-invoices: CII, UBL, XRechnung and Factur-X (PDF/A-3 with the CII XML embedded).
