//! The invoice PDF (printpdf): three templates (classic, minimal, detailed),
//! A4 or US Letter, the shipped fonts embedded and subset, amounts and dates
//! in the invoice's locale, a line table that flows over pages with its
//! header repeated and "Page N of M", and an EPC QR code for EUR invoices
//! with an IBAN.
//!
//! Page geometry is in points (f32) — layout only; money never meets a float
//! here: every amount arrives as the engine's `Decimal` and leaves as text.
#![allow(clippy::float_arithmetic)]

mod canvas;
pub mod fonts;
pub mod format;
pub mod girocode;
pub mod labels;

use std::collections::HashMap;
use std::sync::{Arc, Mutex, OnceLock};

use billable_core::tax::TaxCategory;
use printpdf::{RawImage, RawImageData, RawImageFormat};
use rust_decimal::Decimal;

use self::canvas::{Canvas, Rgb8};
use self::fonts::{Fonts, Style};
use self::format::Formats;
use self::labels::{labels, Labels};
use crate::document::{DocLine, DocumentKind, Image, ImageFormat, InvoiceDocument, Paper, Stamp, Template};
use crate::error::{DocsError, DocsResult};

/// Renders the invoice as PDF bytes.
pub fn render(doc: &InvoiceDocument) -> DocsResult<Vec<u8>> {
    let fonts = Fonts::get()?;
    let formats = Formats::get(doc.language, doc.currency)?;
    let (w, h) = match doc.paper {
        Paper::A4 => (595.276, 841.89),
        Paper::Letter => (612.0, 792.0),
    };
    let mut l = Layout {
        doc,
        fonts,
        f: formats,
        t: labels(doc.language),
        c: Canvas::new(fonts, w, h),
        y: 0.0,
        left: 50.0,
        right: w - 50.0,
        bottom: h - 54.0,
        style: Look::for_template(doc.template),
        text_right_edge: w - 50.0,
        totals_block: None,
    };
    l.render()?;
    let pages = l.c.pages.len();
    let t = l.t;
    for i in 0..pages {
        l.footer(i, pages, t);
    }
    let title = format!("{} {}", l.title(), doc.number);
    l.c.finish(&title, &doc.number)
}

/// Decodes an image once per process: keyed by its content, so the same logo
/// read again for the next invoice of a batch is not decoded again.
fn decoded(image: &Image, what: &'static str) -> DocsResult<Arc<RawImage>> {
    type Cache = Mutex<HashMap<(u64, usize), Arc<RawImage>>>;
    static CACHE: OnceLock<Cache> = OnceLock::new();
    let cache = CACHE.get_or_init(|| Mutex::new(HashMap::new()));
    let key = {
        use std::hash::{Hash, Hasher};
        let mut h = std::collections::hash_map::DefaultHasher::new();
        image.bytes.hash(&mut h);
        (h.finish(), image.bytes.len())
    };
    if let Some(raw) = cache.lock().ok().and_then(|g| g.get(&key).cloned()) {
        return Ok(raw);
    }
    let raw = Arc::new(match image.format {
        // PNGs come in every depth and with transparency: bring them to
        // 8-bit RGB on the white page here, so every variant prints alike.
        ImageFormat::Png => png_on_white(&image.bytes).map_err(|reason| DocsError::Image { what, reason })?,
        ImageFormat::Jpeg => {
            let mut warnings = Vec::new();
            RawImage::decode_from_bytes(&image.bytes, &mut warnings)
                .map_err(|reason| DocsError::Image { what, reason })?
        }
    });
    if let Ok(mut guard) = cache.lock() {
        guard.insert(key, raw.clone());
    }
    Ok(raw)
}

/// A PNG as 8-bit RGB, its transparency blended onto white (integer arithmetic).
fn png_on_white(bytes: &[u8]) -> Result<RawImage, String> {
    let decoded = image::load_from_memory_with_format(bytes, image::ImageFormat::Png).map_err(|e| e.to_string())?;
    let rgba = decoded.to_rgba8();
    let (width, height) = (rgba.width() as usize, rgba.height() as usize);
    let mut rgb = Vec::with_capacity(width * height * 3);
    for px in rgba.pixels() {
        let a = u32::from(px[3]);
        for c in &px.0[..3] {
            let v = (u32::from(*c) * a + 255 * (255 - a) + 127) / 255;
            rgb.push(u8::try_from(v).unwrap_or(255));
        }
    }
    Ok(RawImage { pixels: RawImageData::U8(rgb), width, height, data_format: RawImageFormat::RGB8, tag: Vec::new() })
}

const INK: Rgb8 = Rgb8(0x1F, 0x29, 0x37);
const MUTED: Rgb8 = Rgb8(0x6B, 0x72, 0x80);
const HAIR: Rgb8 = Rgb8(0xD1, 0xD5, 0xDB);
const WHITE: Rgb8 = Rgb8(0xFF, 0xFF, 0xFF);

/// What tells the templates apart.
struct Look {
    accent: Rgb8,
    /// A filled header row (classic, detailed) or a rule under it (minimal).
    filled_header: bool,
    /// Rules between rows.
    row_rules: bool,
    /// The position column.
    positions: bool,
    /// Time entries under time lines.
    entries: bool,
}

impl Look {
    fn for_template(t: Template) -> Look {
        match t {
            Template::Classic => Look {
                accent: Rgb8(0x1E, 0x3A, 0x5F),
                filled_header: true,
                row_rules: true,
                positions: true,
                entries: false,
            },
            Template::Minimal => Look {
                accent: Rgb8(0x11, 0x11, 0x11),
                filled_header: false,
                row_rules: false,
                positions: false,
                entries: false,
            },
            Template::Detailed => Look {
                accent: Rgb8(0x0F, 0x5E, 0x63),
                filled_header: true,
                row_rules: true,
                positions: true,
                entries: true,
            },
        }
    }
}

const BODY: f32 = 9.0;
const SMALL: f32 = 7.5;
const LEAD: f32 = 12.5;
/// Line height of a line's long description (set in SMALL).
const DETAIL_LEAD: f32 = 10.0;

struct Layout<'a> {
    doc: &'a InvoiceDocument,
    fonts: &'static Fonts,
    f: &'static Formats,
    t: &'static Labels,
    c: Canvas,
    /// The cursor, in points from the top of the page.
    y: f32,
    left: f32,
    right: f32,
    /// The lowest baseline content may use.
    bottom: f32,
    style: Look,
    /// Where wrapped paragraphs end (narrower beside the totals).
    text_right_edge: f32,
    /// The totals block: its page, top and bottom.
    totals_block: Option<(usize, f32, f32)>,
}

/// Columns of the line table: right edges (and the description's left edge).
struct Cols {
    pos: Option<f32>,
    desc: f32,
    desc_width: f32,
    qty: f32,
    unit: f32,
    rate: f32,
    tax: Option<f32>,
    amount: f32,
}

impl<'a> Layout<'a> {
    fn title(&self) -> &'static str {
        match self.doc.kind {
            DocumentKind::Invoice => self.t.invoice,
            DocumentKind::Estimate => self.t.estimate,
            DocumentKind::CreditNote { .. } => self.t.credit_note,
        }
    }

    fn render(&mut self) -> DocsResult<()> {
        self.y = 50.0;
        self.header()?;
        self.parties();
        self.meta();
        self.table();
        // Totals on the right; tax notes, notes and terms beside them on the left.
        self.totals();
        let (page, top, bottom) = self.totals_block.unwrap_or((self.c.page(), self.y, self.y));
        self.y = top;
        self.text_right_edge = self.right - 290.0;
        self.tax_notes();
        self.texts();
        self.signature()?;
        self.text_right_edge = self.right;
        if self.c.page() == page {
            self.y = self.y.max(bottom);
        }
        self.payment();
        Ok(())
    }

    /// Starts a new page when `height` does not fit below the cursor.
    fn ensure(&mut self, height: f32) -> bool {
        if self.y + height > self.bottom {
            self.c.new_page();
            self.y = 50.0;
            true
        } else {
            false
        }
    }

    fn header(&mut self) -> DocsResult<()> {
        let doc = self.doc;
        let top = self.y;
        // Logo (fitted into 150 × 56 pt) or the business name.
        let mut left_bottom = top;
        if let Some(logo) = &doc.logo {
            let raw = decoded(logo, "logo")?;
            let (pw, ph) = (raw.width.max(1) as f32, raw.height.max(1) as f32);
            let scale = (150.0 / pw).min(56.0 / ph);
            let (w, h) = (pw * scale, ph * scale);
            self.c.image(raw, self.left, top, w, h);
            left_bottom = top + h;
        } else {
            self.c.text(self.left, top + 18.0, 16.0, Style::Bold, self.style.accent, &doc.seller.name);
            left_bottom = left_bottom.max(top + 24.0);
        }
        // Title and number on the right.
        let title = self.title().to_uppercase();
        self.c.text_right(self.right, top + 20.0, 22.0, Style::Bold, self.style.accent, &title);
        self.c.text_right(self.right, top + 36.0, 10.0, Style::Regular, MUTED, &doc.number);
        let mut right_bottom = top + 42.0;
        if let Some(stamp) = doc.stamp {
            let (text, color) = match stamp {
                Stamp::Paid => (self.t.stamp_paid, Rgb8(0x15, 0x80, 0x3D)),
                Stamp::Overdue => (self.t.stamp_overdue, Rgb8(0xB9, 0x1C, 0x1C)),
                Stamp::Cancelled => (self.t.stamp_cancelled, Rgb8(0x6B, 0x72, 0x80)),
            };
            let size = 13.0;
            let w = self.fonts.width(text, Style::Bold, size) + 20.0;
            let y = top + 50.0;
            self.c.stroke(self.right - w, y, w, 24.0, 1.6, color);
            self.c.text(self.right - w + 10.0, y + 17.0, size, Style::Bold, color, text);
            right_bottom = y + 24.0;
        }
        self.y = left_bottom.max(right_bottom) + 26.0;
        Ok(())
    }

    fn party_lines(&self, p: &crate::document::Party, seller: bool) -> Vec<(Style, String)> {
        let mut out = vec![(Style::Bold, p.name.clone())];
        if !seller && !p.contact.trim().is_empty() {
            out.push((Style::Regular, p.contact.clone()));
        }
        for l in p.address_lines() {
            out.push((Style::Regular, l));
        }
        if !p.country_code.is_empty() {
            out.push((Style::Regular, p.country_code.clone()));
        }
        if !p.vat_id.is_empty() {
            out.push((Style::Regular, format!("{} {}", self.t.vat_id, p.vat_id)));
        }
        if !p.tax_registration.is_empty() {
            out.push((Style::Regular, format!("{} {}", self.t.tax_id, p.tax_registration)));
        }
        if seller {
            for v in [&p.email, &p.phone] {
                if !v.is_empty() {
                    out.push((Style::Regular, v.clone()));
                }
            }
        }
        out
    }

    fn parties(&mut self) {
        let doc = self.doc;
        let mid = self.left + (self.right - self.left) / 2.0 + 10.0;
        let col = (self.right - self.left) / 2.0 - 20.0;
        let top = self.y;
        let mut bottom = top;
        for (x, label, lines) in [
            (self.left, self.t.from, self.party_lines(&doc.seller, true)),
            (mid, self.t.bill_to, self.party_lines(&doc.buyer, false)),
        ] {
            let mut y = top;
            self.c.text(x, y, SMALL, Style::Bold, MUTED, &label.to_uppercase());
            y += LEAD + 1.0;
            for (style, text) in lines {
                for line in self.fonts.wrap(&text, style, BODY, col) {
                    self.c.text(x, y, BODY, style, INK, &line);
                    y += LEAD;
                }
            }
            bottom = bottom.max(y);
        }
        self.y = bottom + 14.0;
    }

    fn meta(&mut self) {
        let doc = self.doc;
        let f = self.f;
        let number = match doc.kind {
            DocumentKind::Invoice => self.t.number,
            DocumentKind::Estimate => self.t.estimate_number,
            DocumentKind::CreditNote { .. } => self.t.credit_note_number,
        };
        let mut cells: Vec<(&str, String)> =
            vec![(number, doc.number.clone()), (self.t.issue_date, f.date(doc.issue_date))];
        match &doc.kind {
            DocumentKind::Invoice => cells.push((self.t.due_date, f.date(doc.due_date))),
            DocumentKind::Estimate => cells.push((self.t.valid_until, f.date(doc.due_date))),
            // A credit note is not paid by the client: no due date.
            DocumentKind::CreditNote { corrects } => cells.push((self.t.corrects, corrects.clone())),
        }
        if !doc.po_number.is_empty() {
            cells.push((self.t.po_number, doc.po_number.clone()));
        }
        if !doc.project_reference.is_empty() {
            cells.push((self.t.project, doc.project_reference.clone()));
        }
        if !doc.buyer_reference.is_empty() {
            cells.push((self.t.buyer_reference, doc.buyer_reference.clone()));
        }
        let per_row = 4;
        let w = (self.right - self.left) / per_row as f32;
        for row in cells.chunks(per_row) {
            let top = self.y;
            let mut bottom = top;
            for (i, (label, value)) in row.iter().enumerate() {
                let x = self.left + w * i as f32;
                self.c.text(x, top, SMALL, Style::Bold, MUTED, &label.to_uppercase());
                let mut y = top + LEAD;
                for line in self.fonts.wrap(value, Style::Regular, BODY, w - 8.0) {
                    self.c.text(x, y, BODY, Style::Regular, INK, &line);
                    y += LEAD;
                }
                bottom = bottom.max(y);
            }
            self.y = bottom + 6.0;
        }
        self.y += 10.0;
    }

    fn cols(&self) -> Cols {
        let has_tax = self.doc.lines.iter().any(|l| l.tax.is_some());
        let amount = self.right;
        let tax = has_tax.then_some(amount - 84.0);
        let rate = tax.unwrap_or(amount) - if has_tax { 50.0 } else { 84.0 };
        let unit = rate - 74.0;
        let qty = unit - 48.0;
        let pos = self.style.positions.then_some(self.left + 16.0);
        let desc = pos.map_or(self.left, |p| p + 8.0);
        Cols { pos, desc, desc_width: qty - 52.0 - desc, qty, unit, rate, tax, amount }
    }

    fn table_header(&mut self, c: &Cols) {
        let h = 20.0;
        let top = self.y;
        let (color, fill) = if self.style.filled_header { (WHITE, true) } else { (MUTED, false) };
        if fill {
            self.c.fill(self.left, top, self.right - self.left, h, self.style.accent);
        }
        let base = top + 13.5;
        let pad = if fill { 6.0 } else { 0.0 };
        if let Some(p) = c.pos {
            self.c.text_right(p, base, SMALL, Style::Bold, color, "#");
        }
        self.c.text(
            c.desc + if c.pos.is_none() { pad } else { 0.0 },
            base,
            SMALL,
            Style::Bold,
            color,
            &self.t.description.to_uppercase(),
        );
        self.c.text_right(c.qty, base, SMALL, Style::Bold, color, &self.t.quantity.to_uppercase());
        self.c.text(c.qty + 8.0, base, SMALL, Style::Bold, color, &self.t.unit.to_uppercase());
        self.c.text_right(c.rate, base, SMALL, Style::Bold, color, &self.t.rate.to_uppercase());
        if let Some(t) = c.tax {
            self.c.text_right(t, base, SMALL, Style::Bold, color, &self.t.tax.to_uppercase());
        }
        self.c.text_right(c.amount - pad, base, SMALL, Style::Bold, color, &self.t.amount.to_uppercase());
        if !fill {
            self.c.rule(self.left, top + h, self.right, 0.8, INK);
        }
        self.y = top + h + 4.0;
    }

    fn table(&mut self) {
        let c = self.cols();
        self.ensure(80.0);
        self.table_header(&c);
        let lines = &self.doc.lines;
        for line in lines {
            self.table_line(&c, line);
        }
        if !self.style.row_rules {
            self.c.rule(self.left, self.y, self.right, 0.8, INK);
        }
        self.y += 14.0;
    }

    fn table_line(&mut self, c: &Cols, line: &DocLine) {
        let f = self.f;
        let desc = self.fonts.wrap(&line.description, Style::Regular, BODY, c.desc_width);
        // The long description (BT-154), smaller and quieter, under the description.
        let details = match line.long_description.trim() {
            "" => Vec::new(),
            text => self.fonts.wrap(text, Style::Regular, SMALL, c.desc_width),
        };
        let mut discount_note = None;
        if let Some(d) = &line.discount {
            let amount = line.entered.as_ref().map_or(d.amount, |e| e.discount);
            let what = match d.percent {
                Some(p) => format!("{} {} ({})", self.t.discount, f.percent(p), f.money(-amount)),
                None => format!("{} {}", self.t.discount, f.money(-amount)),
            };
            discount_note = Some(what);
        }
        let height = desc.len() as f32 * LEAD
            + details.len() as f32 * DETAIL_LEAD
            + if discount_note.is_some() { LEAD } else { 0.0 }
            + 8.0;
        // A row moves to the next page whole, unless it is taller than a page.
        if self.ensure(height.min(LEAD * 6.0)) {
            self.table_header(c);
        }
        let pad = if self.style.filled_header && c.pos.is_none() { 6.0 } else { 0.0 };
        let base = self.y + 10.0;
        if let Some(p) = c.pos {
            self.c.text_right(p, base, BODY, Style::Regular, MUTED, &line.position.to_string());
        }
        let quantity = match line.seconds {
            Some(seconds) => billable_core::time::hours_minutes(seconds),
            None => f.number(line.quantity),
        };
        self.c.text_right(c.qty, base, BODY, Style::Regular, INK, &quantity);
        // The unit as the user wrote it; a line without one shows none (its
        // UN/ECE code, e.g. C62, is for the e-invoice, not for people),
        // except time, which reads as hours.
        let unit = match (line.unit_label.is_empty(), line.unit_code.as_str()) {
            (false, _) => line.unit_label.as_str(),
            (true, "HUR") => self.t.hours,
            (true, _) => "",
        };
        let unit_fit = self.fonts.wrap(unit, Style::Regular, BODY, c.unit - c.qty - 10.0);
        self.c.text(c.qty + 8.0, base, BODY, Style::Regular, INK, unit_fit.first().map_or("", |s| s.as_str()));
        // Tax-inclusive prices are shown as entered; the net ones are the e-invoice's.
        let (rate, amount) = match &line.entered {
            Some(e) => (e.rate, e.amount),
            None => (line.rate, line.net_amount),
        };
        self.c.text_right(c.rate, base, BODY, Style::Regular, INK, &f.money(rate));
        if let (Some(x), Some(t)) = (c.tax, &line.tax) {
            let text = match t.category {
                TaxCategory::S | TaxCategory::Z => f.percent(t.percent),
                other => other.code().to_string(),
            };
            self.c.text_right(x, base, BODY, Style::Regular, INK, &text);
        }
        self.c.text_right(c.amount - pad, base, BODY, Style::Regular, INK, &f.money(amount));
        // A description longer than a page continues on the next one.
        let mut y = base;
        for l in &desc {
            y = self.row_continues(c, y);
            self.c.text(c.desc + pad, y, BODY, Style::Regular, INK, l);
            y += LEAD;
        }
        if !details.is_empty() {
            // The first detail line sits closer to the description than a full line below it.
            y -= LEAD - DETAIL_LEAD - 1.0;
            for l in &details {
                y = self.row_continues(c, y);
                self.c.text(c.desc + pad, y, SMALL, Style::Regular, MUTED, l);
                y += DETAIL_LEAD;
            }
            y += LEAD - DETAIL_LEAD;
        }
        if let Some(note) = &discount_note {
            self.c.text(c.desc + pad, y, SMALL, Style::Regular, MUTED, note);
            y += LEAD;
        }
        self.y = y - LEAD + 8.0;
        if self.style.entries && !line.time_entries.is_empty() {
            self.time_entries(c, line);
        }
        if self.style.row_rules {
            self.c.rule(self.left, self.y, self.right, 0.4, HAIR);
        }
        self.y += 2.0;
    }

    /// The baseline for the next text line of a row at `y`: on a new page
    /// (under the table header again) when the row runs past the bottom.
    fn row_continues(&mut self, c: &Cols, y: f32) -> f32 {
        if y <= self.bottom {
            return y;
        }
        self.c.new_page();
        self.y = 50.0;
        self.table_header(c);
        self.y + 10.0
    }

    fn time_entries(&mut self, c: &Cols, line: &DocLine) {
        let f = self.f;
        let x_date = c.desc + 10.0;
        let x_member = x_date + 62.0;
        let x_desc = x_member + 70.0;
        let desc_w = c.rate - 10.0 - x_desc;
        for e in &line.time_entries {
            let wrapped = self.fonts.wrap(&e.description, Style::Regular, SMALL, desc_w);
            let h = wrapped.len().max(1) as f32 * 10.0 + 2.0;
            if self.ensure(h + 4.0) {
                self.table_header(c);
            }
            let base = self.y + 8.0;
            self.c.text(x_date, base, SMALL, Style::Regular, MUTED, &f.date(e.date));
            let member = self.fonts.wrap(&e.member, Style::Regular, SMALL, 66.0);
            self.c.text(x_member, base, SMALL, Style::Regular, MUTED, member.first().map_or("", |s| s.as_str()));
            let mut y = base;
            for l in &wrapped {
                self.c.text(x_desc, y, SMALL, Style::Regular, MUTED, l);
                y += 10.0;
            }
            let hours = Decimal::from(e.seconds) / Decimal::from(3600);
            let text = format!("{} {}", f.number_dp(hours, 2), self.t.hours);
            self.c.text_right(c.rate, base, SMALL, Style::Regular, MUTED, &text);
            self.y += h;
        }
        self.y += 4.0;
    }

    fn totals(&mut self) {
        let doc = self.doc;
        let f = self.f;
        // Tax-inclusive prices: the sums as entered, then the tax they include.
        let (subtotal, discount) = match &doc.entered {
            Some(e) => (e.subtotal, e.discount),
            None => (doc.subtotal, doc.discount_total),
        };
        let mut rows: Vec<(String, String, bool)> = vec![(self.t.subtotal.to_string(), f.money(subtotal), false)];
        if let Some(d) = &doc.discount {
            let amount = if doc.entered.is_some() { discount } else { d.amount };
            let label = match (d.label.is_empty(), d.percent) {
                (false, _) => d.label.clone(),
                (true, Some(p)) => format!("{} {}", self.t.discount, f.percent(p)),
                (true, None) => self.t.discount.to_string(),
            };
            rows.push((label, f.money(-amount), false));
        }
        if doc.entered.is_some() {
            rows.push((self.t.prices_include_tax.to_string(), String::new(), false));
        }
        for t in &doc.taxes {
            let name = if t.name.is_empty() { self.t.tax } else { &t.name };
            let rate = match t.category {
                TaxCategory::S | TaxCategory::Z => f.percent(t.percent),
                other => other.code().to_string(),
            };
            let label = if name.contains('%') || name == rate { name.to_string() } else { format!("{name} {rate}") };
            rows.push((format!("{label} {} {}", self.t.on, f.money(t.basis)), f.money(t.amount), false));
        }
        if let Some((label, amount)) = &doc.adjustment {
            let label = if label.is_empty() { self.t.adjustment } else { label };
            rows.push((label.to_string(), f.money(*amount), false));
        }
        let needed = (rows.len() + 4) as f32 * 16.0 + 20.0;
        self.ensure(needed);
        let top = self.y;
        let x_label = self.right - 260.0;
        for (label, value, _) in &rows {
            self.y += 14.0;
            let lines = self.fonts.wrap(label, Style::Regular, BODY, 170.0);
            for (i, l) in lines.iter().enumerate() {
                self.c.text(x_label, self.y + i as f32 * LEAD, BODY, Style::Regular, MUTED, l);
            }
            self.c.text_right(self.right, self.y, BODY, Style::Regular, INK, value);
            self.y += (lines.len().max(1) - 1) as f32 * LEAD;
        }
        self.y += 8.0;
        self.c.rule(x_label, self.y, self.right, 0.8, INK);
        self.y += 16.0;
        self.c.text(x_label, self.y, 11.0, Style::Bold, INK, self.t.total);
        self.c.text_right(self.right, self.y, 11.0, Style::Bold, INK, &f.money(doc.total));
        if !doc.amount_paid.is_zero() {
            self.y += 15.0;
            self.c.text(x_label, self.y, BODY, Style::Regular, MUTED, self.t.paid);
            self.c.text_right(self.right, self.y, BODY, Style::Regular, INK, &f.money(-doc.amount_paid));
        }
        for d in &doc.deposits {
            // A deducted deposit: its number and date, its tax per rate, what it took.
            let mut label =
                self.t.deposit_invoice.replace("{number}", &d.number).replace("{date}", &f.date(d.issue_date));
            let split: Vec<String> = d
                .taxes
                .iter()
                .map(|t| {
                    let name = if t.name.is_empty() { self.t.tax } else { &t.name };
                    format!("{name} {} {} {}", f.money(t.amount), self.t.on, f.money(t.basis))
                })
                .collect();
            if !split.is_empty() {
                label = format!("{label} ({})", split.join(", "));
            }
            let lines = self.fonts.wrap(&label, Style::Regular, BODY, 190.0);
            self.ensure(lines.len() as f32 * LEAD + 15.0);
            self.y += 15.0;
            for (i, l) in lines.iter().enumerate() {
                self.c.text(x_label, self.y + i as f32 * LEAD, BODY, Style::Regular, MUTED, l);
            }
            self.c.text_right(self.right, self.y, BODY, Style::Regular, INK, &f.money(-d.total));
            self.y += (lines.len().max(1) - 1) as f32 * LEAD;
        }
        self.y += 10.0;
        if matches!(doc.kind, DocumentKind::CreditNote { .. } | DocumentKind::Estimate) {
            // A credit note's total is what is credited, an estimate's what is
            // offered; there is nothing for the client to pay.
            self.y += 6.0;
            self.totals_block = Some((self.c.page(), top + 14.0, self.y));
            return;
        }
        self.c.fill(x_label - 8.0, self.y, self.right - x_label + 8.0, 24.0, Rgb8(0xF3, 0xF4, 0xF6));
        self.c.text(x_label, self.y + 16.0, 11.0, Style::Bold, self.style.accent, self.t.balance_due);
        self.c.text_right(
            self.right - 6.0,
            self.y + 16.0,
            11.0,
            Style::Bold,
            self.style.accent,
            &f.money(doc.balance_due),
        );
        self.y += 40.0;
        self.totals_block = Some((self.c.page(), top + 14.0, self.y));
    }

    fn tax_notes(&mut self) {
        let mut notes: Vec<String> = Vec::new();
        for t in &self.doc.taxes {
            match (t.category, &t.exemption_reason) {
                (_, Some(reason)) if !reason.is_empty() => notes.push(format!("{}: {reason}", self.t.exempt)),
                (TaxCategory::AE, _) => notes.push(self.t.reverse_charge.to_string()),
                _ => {}
            }
        }
        notes.dedup();
        for n in notes {
            self.paragraph(None, &n);
        }
    }

    /// A labelled block of wrapped text.
    fn paragraph(&mut self, label: Option<&str>, text: &str) {
        let width = self.text_right_edge - self.left;
        let lines = self.fonts.wrap(text, Style::Regular, BODY, width);
        let mut first = true;
        for (i, l) in lines.iter().enumerate() {
            let need = if first { LEAD * 2.0 + 4.0 } else { LEAD };
            self.ensure(need);
            if first {
                if let Some(label) = label {
                    self.c.text(self.left, self.y, SMALL, Style::Bold, MUTED, &label.to_uppercase());
                    self.y += LEAD;
                }
                first = false;
            }
            let _ = i;
            self.c.text(self.left, self.y, BODY, Style::Regular, INK, l);
            self.y += LEAD;
        }
        self.y += 8.0;
    }

    fn texts(&mut self) {
        let doc = self.doc;
        if !doc.notes.trim().is_empty() {
            self.paragraph(Some(self.t.notes), doc.notes.trim());
        }
        if !doc.terms.trim().is_empty() {
            self.paragraph(Some(self.t.terms), doc.terms.trim());
        }
        if let Some(d) = &doc.early_discount {
            let f = self.f;
            let text = self
                .t
                .early_discount_text
                .replace("{percent}", &f.percent(d.offer.percent))
                .replace("{date}", &f.date(d.until))
                .replace("{amount}", &f.money(d.payable))
                .replace("{discount}", &f.money(d.amount));
            self.paragraph(Some(self.t.early_discount), &text);
        }
    }

    fn payment(&mut self) {
        let doc = self.doc;
        // Payment details and the pay-by-code QR are for invoices only.
        if matches!(doc.kind, DocumentKind::CreditNote { .. } | DocumentKind::Estimate) {
            return;
        }
        let p = &doc.payment;
        let mut rows: Vec<(&str, String)> = Vec::new();
        if !p.bank_name.is_empty() {
            rows.push((self.t.bank, p.bank_name.clone()));
        }
        if !p.iban.is_empty() {
            rows.push(("IBAN", group4(&p.iban)));
        }
        if !p.bic.is_empty() {
            rows.push(("BIC", p.bic.clone()));
        }
        if !p.remittance.is_empty() && (!p.iban.is_empty() || !p.payment_link.is_empty()) {
            rows.push((self.t.reference, p.remittance.clone()));
        }
        if !p.payment_link.is_empty() {
            rows.push((self.t.pay_online, p.payment_link.clone()));
        }
        let qr = girocode::payload(doc).and_then(|s| girocode::modules(&s));
        if rows.is_empty() && qr.is_none() {
            return;
        }
        let qr_size = 72.0;
        let need = (rows.len() as f32 * LEAD + 30.0).max(if qr.is_some() { qr_size + 30.0 } else { 0.0 });
        self.ensure(need);
        let top = self.y;
        self.c.rule(self.left, top - 4.0, self.right, 0.4, HAIR);
        self.y += 10.0;
        self.c.text(self.left, self.y, SMALL, Style::Bold, MUTED, &self.t.payment.to_uppercase());
        self.y += LEAD + 2.0;
        let text_w = self.right - self.left - if qr.is_some() { qr_size + 30.0 } else { 0.0 } - 90.0;
        for (label, value) in rows {
            self.c.text(self.left, self.y, BODY, Style::Regular, MUTED, label);
            for (i, l) in self.fonts.wrap(&value, Style::Regular, BODY, text_w).iter().enumerate() {
                if i > 0 {
                    self.y += LEAD;
                }
                self.c.text(self.left + 90.0, self.y, BODY, Style::Regular, INK, l);
            }
            self.y += LEAD;
        }
        if let Some((n, dark)) = qr {
            let x0 = self.right - qr_size;
            let y0 = top + 6.0;
            let m = qr_size / n as f32;
            // Dark modules as rectangles: runs along a row, and a run exactly
            // below a run of the same columns extends it downwards.
            let mut runs: Vec<(usize, usize, usize, usize)> = Vec::new(); // first row, rows, first col, end col
            let mut open: HashMap<(usize, usize), usize> = HashMap::new();
            for row in 0..n {
                let mut next_open = HashMap::new();
                let mut col = 0;
                while col < n {
                    if dark[row * n + col] {
                        let start = col;
                        while col < n && dark[row * n + col] {
                            col += 1;
                        }
                        match open.get(&(start, col)) {
                            Some(&i) => {
                                runs[i].1 += 1;
                                next_open.insert((start, col), i);
                            }
                            None => {
                                runs.push((row, 1, start, col));
                                next_open.insert((start, col), runs.len() - 1);
                            }
                        }
                    } else {
                        col += 1;
                    }
                }
                open = next_open;
            }
            // A hair of overlap so adjacent modules print without seams.
            let rects = runs
                .iter()
                .map(|&(row, rows, start, end)| {
                    (
                        x0 + start as f32 * m,
                        y0 + row as f32 * m,
                        (end - start) as f32 * m + 0.05,
                        rows as f32 * m + 0.05,
                    )
                })
                .collect();
            self.c.fill_rects(rects, Rgb8(0, 0, 0));
            let caption = self.t.scan_to_pay;
            let w = self.fonts.width(caption, Style::Regular, SMALL);
            self.c.text(x0 + (qr_size - w) / 2.0, y0 + qr_size + 10.0, SMALL, Style::Regular, MUTED, caption);
            self.y = self.y.max(y0 + qr_size + 18.0);
        }
        self.y += 10.0;
    }

    fn signature(&mut self) -> DocsResult<()> {
        let Some(sig) = &self.doc.signature else { return Ok(()) };
        let raw = decoded(sig, "signature")?;
        let (pw, ph) = (raw.width.max(1) as f32, raw.height.max(1) as f32);
        let scale = (160.0 / pw).min(50.0 / ph);
        let (w, h) = (pw * scale, ph * scale);
        self.ensure(h + 30.0);
        self.y += 6.0;
        self.c.image(raw, self.left, self.y, w, h);
        self.y += h + 4.0;
        self.c.rule(self.left, self.y, self.left + 170.0, 0.6, MUTED);
        self.y += 10.0;
        self.c.text(self.left, self.y, SMALL, Style::Regular, MUTED, self.t.signature);
        self.y += LEAD;
        Ok(())
    }

    fn footer(&mut self, index: usize, count: usize, t: &Labels) {
        let seller = &self.doc.seller;
        let mut parts = vec![seller.name.clone()];
        if !seller.vat_id.is_empty() {
            parts.push(format!("{} {}", t.vat_id, seller.vat_id));
        }
        if !seller.email.is_empty() {
            parts.push(seller.email.clone());
        }
        let y = self.c.height - 34.0;
        let page = format!("{} {} {} {}", t.page, index + 1, t.of, count);
        let line_y = y - 12.0;
        let text = parts.join("  ·  ");
        self.c.select(index);
        self.c.rule(self.left, line_y, self.right, 0.4, HAIR);
        self.c.text(self.left, y, SMALL, Style::Regular, MUTED, &text);
        self.c.text_right(self.right, y, SMALL, Style::Regular, MUTED, &page);
    }
}

/// An IBAN in groups of four, as printed on paper.
fn group4(iban: &str) -> String {
    let clean: Vec<char> = iban.chars().filter(|c| !c.is_whitespace()).collect();
    clean.chunks(4).map(|c| c.iter().collect::<String>()).collect::<Vec<_>>().join(" ")
}
