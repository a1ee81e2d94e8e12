//! The EPC QR code ("GiroCode") for a SEPA credit transfer, as specified in
//! EPC069-12 (version 002, UTF-8): banking apps scan it and fill in payee,
//! IBAN, amount and reference.

use qrcodegen::{QrCode, QrCodeEcc, QrSegment, Version};
use rust_decimal::Decimal;

use crate::document::InvoiceDocument;

/// The EPC payload for paying `doc`'s balance, or `None` when the invoice
/// cannot be paid this way (not EUR, no IBAN, nothing due, or an amount out
/// of the standard's range).
pub fn payload(doc: &InvoiceDocument) -> Option<String> {
    let iban: String = doc.payment.iban.chars().filter(|c| !c.is_whitespace()).collect();
    if doc.currency.code() != "EUR" || iban.is_empty() {
        return None;
    }
    let amount = doc.balance_due;
    if amount < Decimal::new(1, 2) || amount > Decimal::new(99_999_999_999, 2) {
        return None;
    }
    let mut amount = amount;
    amount.rescale(2);
    let name: String = doc.seller.name.chars().take(70).collect();
    let bic = doc.payment.bic.trim();
    let remittance: String = doc.payment.remittance.chars().take(140).collect();
    // Service tag, version, character set (1 = UTF-8), identification,
    // BIC, name, IBAN, amount, purpose, structured reference, text.
    Some(["BCD", "002", "1", "SCT", bic, &name, &iban, &format!("EUR{amount}"), "", "", &remittance].join("\n"))
}

/// The QR code's dark modules as a square grid (row-major), at error
/// correction level M as the standard requires (not raised, even when the
/// symbol would have room), in byte mode, with the mask chosen by the
/// standard's penalty rules.
pub fn modules(payload: &str) -> Option<(usize, Vec<bool>)> {
    let segments = [QrSegment::make_bytes(payload.as_bytes())];
    let code =
        QrCode::encode_segments_advanced(&segments, QrCodeEcc::Medium, Version::MIN, Version::MAX, None, false).ok()?;
    let size = code.size();
    let dark = (0..size).flat_map(|y| (0..size).map(move |x| (x, y))).map(|(x, y)| code.get_module(x, y)).collect();
    Some((usize::try_from(size).ok()?, dark))
}
