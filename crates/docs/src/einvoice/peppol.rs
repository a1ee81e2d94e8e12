//! Peppol participant identifiers: the electronic addresses (BT-34 seller,
//! BT-49 buyer) a Peppol BIS Billing 3.0 invoice is routed by.
//!
//! An identifier is a scheme from the Electronic Address Scheme (EAS) code
//! list and a value, written `scheme:value`, e.g. `0088:4000001123452` (a
//! GLN), `9930:DE123456789` (a German VAT id) or `0204:991-12345-67` (a German
//! Leitweg-ID). Peppol does not accept email addresses (`EM`) here
//! (PEPPOL-EN16931-CL008), so a party's identifier is the one the user set,
//! else one that follows from its data: its VAT id (the national VAT scheme
//! of the id's country) or, for a German public-sector buyer, its Leitweg-ID.

use crate::document::Party;

/// The EAS codes Peppol BIS Billing 3.0 accepts for an endpoint
/// (PEPPOL-EN16931-CL008, release 3.0.19).
pub const SCHEMES: &[&str] = &[
    "0002", "0007", "0009", "0037", "0060", "0088", "0096", "0097", "0106", "0130", "0135", "0142", "0147", "0151",
    "0154", "0158", "0170", "0177", "0183", "0184", "0188", "0190", "0191", "0192", "0193", "0194", "0195", "0196",
    "0198", "0199", "0200", "0201", "0202", "0203", "0204", "0205", "0208", "0209", "0210", "0211", "0212", "0213",
    "0215", "0216", "0217", "0218", "0221", "0225", "0230", "0235", "0240", "9910", "9913", "9914", "9915", "9918",
    "9919", "9920", "9922", "9923", "9924", "9925", "9926", "9927", "9928", "9929", "9930", "9931", "9932", "9933",
    "9934", "9935", "9936", "9937", "9938", "9939", "9940", "9941", "9942", "9943", "9944", "9945", "9946", "9947",
    "9948", "9949", "9950", "9951", "9952", "9953", "9957", "9959",
];

/// The EAS scheme of a national VAT number, by the id's two-letter prefix
/// (Greece writes EL). Countries whose Peppol address is not the VAT id
/// (e.g. Denmark, Sweden, Norway, Finland, Italy use organisation numbers)
/// are not listed: their users set the identifier themselves.
const VAT_SCHEMES: &[(&str, &str)] = &[
    ("HU", "9910"),
    ("AT", "9914"),
    ("ES", "9920"),
    ("AD", "9922"),
    ("AL", "9923"),
    ("BA", "9924"),
    ("BE", "9925"),
    ("BG", "9926"),
    ("CH", "9927"),
    ("CY", "9928"),
    ("CZ", "9929"),
    ("DE", "9930"),
    ("EE", "9931"),
    ("GB", "9932"),
    ("EL", "9933"),
    ("GR", "9933"),
    ("HR", "9934"),
    ("IE", "9935"),
    ("LI", "9936"),
    ("LT", "9937"),
    ("LU", "9938"),
    ("LV", "9939"),
    ("MC", "9940"),
    ("ME", "9941"),
    ("MK", "9942"),
    ("MT", "9943"),
    ("NL", "9944"),
    ("PL", "9945"),
    ("PT", "9946"),
    ("RO", "9947"),
    ("RS", "9948"),
    ("SI", "9949"),
    ("SK", "9950"),
    ("SM", "9951"),
    ("TR", "9952"),
    ("VA", "9953"),
    ("FR", "9957"),
];

/// EAS 0204: the German Leitweg-ID.
const LEITWEG: &str = "0204";

/// A participant identifier: EAS scheme and value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParticipantId {
    pub scheme: String,
    pub value: String,
}

impl std::fmt::Display for ParticipantId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}:{}", self.scheme, self.value)
    }
}

/// Reads an identifier as a user types it, `scheme:value` (spaces around
/// either part are ignored). The error says what is wrong, for a form.
pub fn parse(text: &str) -> Result<ParticipantId, String> {
    let text = text.trim();
    let Some((scheme, value)) = text.split_once(':') else {
        return Err(format!(
            "'{text}' is not a Peppol ID: write the scheme, a colon and the identifier, e.g. 0088:4000001123452 or 9930:DE123456789"
        ));
    };
    let (scheme, value) = (scheme.trim(), value.trim());
    if !SCHEMES.contains(&scheme) {
        return Err(format!(
            "'{scheme}' is not a Peppol identifier scheme (a four-digit EAS code such as 0088 for a GLN, 0204 for a Leitweg-ID or 9930 for a German VAT id)"
        ));
    }
    if value.is_empty() || value.len() > 50 || value.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return Err(format!("'{value}' is not an identifier for scheme {scheme}: 1 to 50 characters without spaces"));
    }
    Ok(ParticipantId { scheme: scheme.to_string(), value: value.to_string() })
}

/// The identifier that follows from a VAT id, e.g. `DE123456789` → `9930:DE123456789`.
pub fn from_vat_id(vat_id: &str) -> Option<ParticipantId> {
    let id: String = vat_id.chars().filter(|c| !c.is_whitespace()).collect::<String>().to_ascii_uppercase();
    let prefix = id.get(..2)?;
    let (_, scheme) = VAT_SCHEMES.iter().find(|(p, _)| *p == prefix)?;
    (id.len() > 2).then(|| ParticipantId { scheme: scheme.to_string(), value: id })
}

/// Whether a buyer reference has the form of a Leitweg-ID: a coarse address
/// of 2 to 12 digits, an optional fine address, and two check digits, e.g.
/// `04011000-1234512345-06` or `991-12345-67`.
pub fn is_leitweg_id(reference: &str) -> bool {
    let parts: Vec<&str> = reference.trim().split('-').collect();
    let digits =
        |s: &str, min: usize, max: usize| (min..=max).contains(&s.len()) && s.bytes().all(|b| b.is_ascii_digit());
    match parts.as_slice() {
        [coarse, check] => digits(coarse, 2, 12) && digits(check, 2, 2),
        [coarse, fine, check] => {
            digits(coarse, 2, 12)
                && (1..=30).contains(&fine.len())
                && fine.bytes().all(|b| b.is_ascii_alphanumeric())
                && digits(check, 2, 2)
        }
        _ => false,
    }
}

/// A party's Peppol address: the one set on it, else its VAT id's, else (for
/// a German buyer with a Leitweg-ID as buyer reference) the Leitweg-ID.
/// `Err` when the identifier set on the party is malformed.
pub fn endpoint(party: &Party, buyer_reference: Option<&str>) -> Result<Option<ParticipantId>, String> {
    if !party.peppol_id.trim().is_empty() {
        return parse(&party.peppol_id).map(Some);
    }
    if let Some(id) = from_vat_id(&party.vat_id) {
        return Ok(Some(id));
    }
    let leitweg = buyer_reference
        .filter(|r| party.country_code.trim().eq_ignore_ascii_case("DE") && is_leitweg_id(r))
        .map(|r| ParticipantId { scheme: LEITWEG.to_string(), value: r.trim().to_string() });
    Ok(leitweg)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn party(vat_id: &str, peppol_id: &str, country: &str) -> Party {
        Party { vat_id: vat_id.into(), peppol_id: peppol_id.into(), country_code: country.into(), ..Party::default() }
    }

    #[test]
    fn an_identifier_set_by_the_user_wins() {
        let p = party("DE123456789", " 0088 : 4000001123452 ", "DE");
        assert_eq!(endpoint(&p, None).unwrap().unwrap().to_string(), "0088:4000001123452");
    }

    #[test]
    fn a_vat_id_gives_its_countrys_scheme() {
        assert_eq!(from_vat_id("de 123 456 789").unwrap().to_string(), "9930:DE123456789");
        assert_eq!(from_vat_id("FR12345678901").unwrap().to_string(), "9957:FR12345678901");
        assert_eq!(from_vat_id("EL123456789").unwrap().scheme, "9933");
        assert_eq!(from_vat_id("DK12345678"), None, "Denmark routes by CVR (0184), set by the user");
        assert_eq!(from_vat_id("DE"), None);
        assert_eq!(from_vat_id(""), None);
    }

    #[test]
    fn a_german_buyer_with_a_leitweg_id_is_addressed_by_it() {
        let p = party("", "", "DE");
        assert_eq!(endpoint(&p, Some("991-12345-67")).unwrap().unwrap().to_string(), "0204:991-12345-67");
        assert_eq!(endpoint(&p, Some("PO 4711")).unwrap(), None);
        assert_eq!(endpoint(&party("", "", "FR"), Some("991-12345-67")).unwrap(), None);
        assert!(is_leitweg_id("04011000-1234512345-06"));
        assert!(!is_leitweg_id("04011000-1234512345-6"));
    }

    #[test]
    fn a_malformed_identifier_is_refused_with_what_is_wrong() {
        assert!(parse("DE123456789").unwrap_err().contains("scheme, a colon"));
        assert!(parse("EM:mail@example.com").unwrap_err().contains("not a Peppol identifier scheme"));
        assert!(parse("0088:").unwrap_err().contains("1 to 50 characters"));
        assert!(endpoint(&party("", "9999:x", "DE"), None).is_err());
    }

    #[test]
    fn every_scheme_is_unique_and_every_vat_scheme_is_accepted() {
        let mut seen = std::collections::HashSet::new();
        assert!(SCHEMES.iter().all(|s| seen.insert(*s) && s.len() == 4));
        assert!(VAT_SCHEMES.iter().all(|(_, s)| SCHEMES.contains(s)));
    }
}
