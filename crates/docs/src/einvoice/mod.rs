//! Standard e-invoices: CII (Factur-X / ZUGFeRD EN 16931 profile, and
//! XRechnung), UBL 2.1 with the Peppol BIS Billing 3.0 identifiers, and
//! Factur-X (PDF/A-3 with the CII XML embedded).
//!
//! Every writer first runs [`check`]: missing mandatory data is reported as
//! a list of what to fill in, never as an invalid file.

mod check;
mod cii;
pub mod facturx;
mod model;
pub mod peppol;
mod ubl;
mod xml;

use std::fmt;
use std::str::FromStr;

pub use check::{check, MissingField};
pub use facturx::facturx;

use crate::document::InvoiceDocument;
use crate::error::{DocsError, DocsResult};

/// The stand-alone XML formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Format {
    /// UN/CEFACT CII D16B, Factur-X / ZUGFeRD 2.x EN 16931 profile.
    Cii,
    /// UBL 2.1 with the Peppol BIS Billing 3.0 identifiers.
    Ubl,
    /// CII with the XRechnung 3.0 specification identifier (German public sector).
    XRechnung,
}

impl Format {
    pub const ALL: [Format; 3] = [Format::Cii, Format::Ubl, Format::XRechnung];

    pub fn as_str(&self) -> &'static str {
        match self {
            Format::Cii => "cii",
            Format::Ubl => "ubl",
            Format::XRechnung => "xrechnung",
        }
    }

    /// BT-24, the specification identifier the file declares.
    pub fn specification_id(&self) -> &'static str {
        match self {
            Format::Cii => "urn:cen.eu:en16931:2017",
            Format::Ubl => "urn:cen.eu:en16931:2017#compliant#urn:fdc:peppol.eu:2017:poacc:billing:3.0",
            Format::XRechnung => "urn:cen.eu:en16931:2017#compliant#urn:xeinkauf.de:kosit:xrechnung_3.0",
        }
    }

    /// The file name for an invoice number, e.g. `INV-2026-0042.cii.xml`.
    pub fn file_name(&self, number: &str) -> String {
        let safe: String = number
            .trim()
            .chars()
            .map(|c| if c.is_alphanumeric() || matches!(c, '-' | '_' | '.') { c } else { '_' })
            .collect();
        let safe = if safe.is_empty() { "invoice".to_string() } else { safe };
        format!("{safe}.{}.xml", self.as_str())
    }
}

impl fmt::Display for Format {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Format {
    type Err = String;
    fn from_str(s: &str) -> Result<Format, String> {
        let wanted = s.trim();
        Format::ALL
            .into_iter()
            .find(|f| f.as_str().eq_ignore_ascii_case(wanted))
            .ok_or_else(|| format!("'{wanted}' is not an e-invoice format; use cii, ubl or xrechnung"))
    }
}

/// Writes the e-invoice of `doc` in `format`, after [`check`] passed.
pub fn xml(doc: &InvoiceDocument, format: Format) -> DocsResult<Vec<u8>> {
    check(doc, format).map_err(|fields| DocsError::Incomplete {
        number: doc.number.clone(),
        format: format.as_str(),
        fields,
    })?;
    let semantic = model::Semantic::new(doc);
    let root = match format {
        Format::Cii | Format::XRechnung => cii::document(&semantic, format),
        Format::Ubl => ubl::document(&semantic),
    };
    xml::to_bytes(&root)
        .map_err(|e| DocsError::EInvoice(format!("could not write the {format} XML of {}: {e}", doc.number)))
}
