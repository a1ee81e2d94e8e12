//! Billable's PDF side by side with HTML-to-PDF renderers, the way web
//! invoicing apps print: the same invoice (the same `InvoiceDocument`, the
//! same layout idea, the same DejaVu fonts through @font-face) written as
//! HTML, then printed by headless Chromium (`--print-to-pdf`) and by
//! wkhtmltopdf. A benchmark, not a test: nothing is asserted.
//!
//! Measured, one-page and 50-page invoice, medians after one warm-up run:
//! - whole process, like for like: our `billable invoice pdf` process on a
//!   small books file (when `BILLABLE_BIN`, `BILLABLE_BOOKS`,
//!   `BILLABLE_ONE_PAGE` and `BILLABLE_FIFTY_PAGES` are set, as
//!   `scripts/bench-html-pdf.sh` does) against a `chromium --headless
//!   --print-to-pdf` process and a `wkhtmltopdf` process;
//! - the render alone: our in-process `render()`, against each peer's whole
//!   process minus the same process printing an empty page (its start-up).
//!
//! A peer that is not installed is skipped with a message.
//!
//! Run: scripts/bench-html-pdf.sh (or: make bench)

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

use billable_docs::document::{DocumentKind, InvoiceDocument, Party};
use billable_docs::pdf::format::Formats;
use billable_docs::pdf::girocode;
use billable_docs::pdf::labels::labels;
use billable_docs::pdf::render;

#[path = "../tests/einvoice/fixture.rs"]
#[allow(dead_code)]
mod fixture;

mod invoices;
mod timing;
use invoices::{fifty_pages, one_page};
use timing::{ms, try_measure, Stats};

fn show(label: &str, s: &Stats) {
    println!("{label:<52} {s}");
}

/// Times a whole process; `None` (with the reason printed) when it cannot run.
fn process(runs: usize, what: &str, mut make: impl FnMut() -> Command) -> Option<Stats> {
    let mut failure = None;
    let s = try_measure(runs, || match make().output() {
        Ok(out) if out.status.success() => true,
        Ok(out) => {
            failure = Some(format!("exit {}: {}", out.status, String::from_utf8_lossy(&out.stderr).trim()));
            false
        }
        Err(e) => {
            failure = Some(e.to_string());
            false
        }
    });
    if let Some(reason) = failure.filter(|_| s.is_none()) {
        println!("{what}: skipped ({reason})");
    }
    s
}

fn esc(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            _ => out.push(c),
        }
    }
    out
}

fn party(p: &Party, seller: bool) -> String {
    let mut lines = vec![format!("<b>{}</b>", esc(&p.name))];
    if !seller && !p.contact.is_empty() {
        lines.push(esc(&p.contact));
    }
    lines.extend(p.address_lines().iter().map(|l| esc(l)));
    lines.push(esc(&p.country_code));
    if !p.vat_id.is_empty() {
        lines.push(format!("VAT ID {}", esc(&p.vat_id)));
    }
    if seller {
        lines.extend([&p.email, &p.phone].iter().filter(|v| !v.is_empty()).map(|v| esc(v)));
    }
    lines.join("<br>")
}

/// The invoice as one HTML page in the classic template's layout: header,
/// parties, dates, the line table (its header repeated on every printed
/// page), totals, payment details with the GiroCode as inline SVG, and a
/// running footer.
fn html(doc: &InvoiceDocument, fonts: &Path) -> String {
    let f = Formats::get(doc.language, doc.currency).expect("formatters");
    let t = labels(doc.language);
    let font = |file: &str| format!("file://{}", fonts.join(file).display());
    let title = match doc.kind {
        DocumentKind::Invoice => t.invoice,
        DocumentKind::Estimate => t.estimate,
        DocumentKind::CreditNote { .. } => t.credit_note,
    };
    let mut h = String::new();
    let _ = write!(
        h,
        r#"<!doctype html><html lang="en"><head><meta charset="utf-8"><title>{title} {number}</title><style>
@font-face {{ font-family: "DejaVu Sans"; font-weight: normal; src: url("{regular}") format("truetype"); }}
@font-face {{ font-family: "DejaVu Sans"; font-weight: bold; src: url("{bold}") format("truetype"); }}
@page {{ size: A4; margin: 50pt 50pt 60pt 50pt; }}
body {{ font-family: "DejaVu Sans"; font-size: 9pt; color: #1f2937; margin: 0; }}
.head {{ display: table; width: 100%; }} .head > div {{ display: table-cell; vertical-align: top; }}
.seller {{ font-size: 16pt; font-weight: bold; color: #1e3a5f; }}
.title {{ text-align: right; font-size: 22pt; font-weight: bold; color: #1e3a5f; }}
.muted {{ color: #6b7280; }} .label {{ font-size: 7.5pt; font-weight: bold; color: #6b7280; text-transform: uppercase; }}
.cols {{ display: table; width: 100%; margin: 26pt 0 14pt; }} .cols > div {{ display: table-cell; width: 50%; line-height: 12.5pt; }}
.meta {{ display: table; width: 100%; margin-bottom: 16pt; }} .meta > div {{ display: table-cell; width: 25%; }}
table.lines {{ width: 100%; border-collapse: collapse; }}
table.lines thead {{ display: table-header-group; }}
table.lines th {{ background: #1e3a5f; color: #fff; font-size: 7.5pt; text-transform: uppercase; padding: 5pt 4pt; text-align: right; }}
table.lines td {{ padding: 3pt 4pt; border-bottom: 0.4pt solid #d1d5db; text-align: right; vertical-align: top; }}
table.lines tr {{ page-break-inside: avoid; }}
table.lines .desc {{ text-align: left; }}
.totals {{ width: 260pt; margin: 14pt 0 0 auto; }} .totals td {{ padding: 2pt 0; }} .totals td + td {{ text-align: right; }}
.total {{ font-size: 11pt; font-weight: bold; border-top: 0.8pt solid #1f2937; }}
.due {{ font-size: 11pt; font-weight: bold; color: #1e3a5f; background: #f3f4f6; }}
.payment {{ margin-top: 20pt; border-top: 0.4pt solid #d1d5db; padding-top: 10pt; page-break-inside: avoid; }}
.payment svg {{ float: right; width: 72pt; height: 72pt; }}
.footer {{ position: fixed; bottom: -34pt; left: 0; right: 0; font-size: 7.5pt; color: #6b7280; border-top: 0.4pt solid #d1d5db; }}
</style></head><body>
<div class="footer">{seller} · VAT ID {vat} · {email}</div>
<div class="head"><div class="seller">{seller}</div><div class="title">{upper}<br><span class="muted" style="font-size:10pt;font-weight:normal">{number}</span></div></div>
<div class="cols"><div><div class="label">{from}</div>{sp}</div><div><div class="label">{bill_to}</div>{bp}</div></div>
<div class="meta"><div><div class="label">{l_number}</div>{number}</div><div><div class="label">{l_issue}</div>{issue}</div><div><div class="label">{l_due}</div>{due}</div><div></div></div>
<table class="lines"><thead><tr><th>#</th><th class="desc">{description}</th><th>{quantity}</th><th class="desc">{unit}</th><th>{rate}</th><th>{tax}</th><th>{amount}</th></tr></thead><tbody>
"#,
        regular = font("DejaVuSans.ttf"),
        bold = font("DejaVuSans-Bold.ttf"),
        number = esc(&doc.number),
        upper = esc(&title.to_uppercase()),
        seller = esc(&doc.seller.name),
        vat = esc(&doc.seller.vat_id),
        email = esc(&doc.seller.email),
        from = t.from,
        bill_to = t.bill_to,
        sp = party(&doc.seller, true),
        bp = party(&doc.buyer, false),
        l_number = t.number,
        l_issue = t.issue_date,
        l_due = t.due_date,
        issue = f.date(doc.issue_date),
        due = f.date(doc.due_date),
        description = t.description,
        quantity = t.quantity,
        unit = t.unit,
        rate = t.rate,
        tax = t.tax,
        amount = t.amount,
    );
    for l in &doc.lines {
        let tax = l.tax.as_ref().map(|t| f.percent(t.percent)).unwrap_or_default();
        let _ = writeln!(
            h,
            "<tr><td class=\"muted\">{}</td><td class=\"desc\">{}</td><td>{}</td><td class=\"desc\">{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
            l.position,
            esc(&l.description),
            f.number(l.quantity),
            esc(&l.unit_label),
            f.money(l.rate),
            tax,
            f.money(l.net_amount)
        );
    }
    h.push_str("</tbody></table>\n<table class=\"totals\">");
    let _ = write!(h, "<tr><td class=\"muted\">{}</td><td>{}</td></tr>", t.subtotal, f.money(doc.subtotal));
    for tax in &doc.taxes {
        let _ = write!(
            h,
            "<tr><td class=\"muted\">{} {} {}</td><td>{}</td></tr>",
            esc(&tax.name),
            t.on,
            f.money(tax.basis),
            f.money(tax.amount)
        );
    }
    let _ = writeln!(
        h,
        "<tr class=\"total\"><td>{}</td><td>{}</td></tr><tr class=\"due\"><td>{}</td><td>{}</td></tr></table>",
        t.total,
        f.money(doc.total),
        t.balance_due,
        f.money(doc.balance_due)
    );
    h.push_str("<div class=\"payment\">");
    if let Some((n, dark)) = girocode::payload(doc).and_then(|p| girocode::modules(&p)) {
        let _ = write!(h, "<svg viewBox=\"0 0 {n} {n}\" shape-rendering=\"crispEdges\"><path d=\"");
        for (i, _) in dark.iter().enumerate().filter(|(_, d)| **d) {
            let _ = write!(h, "M{} {}h1v1h-1z", i % n, i / n);
        }
        h.push_str("\"/></svg>");
    }
    let _ = write!(h, "<div class=\"label\">{}</div>", t.payment);
    for (label, value) in
        [("IBAN", &doc.payment.iban), ("BIC", &doc.payment.bic), (t.reference, &doc.payment.remittance)]
    {
        if !value.is_empty() {
            let _ = write!(h, "<div><span class=\"muted\">{label}</span> {}</div>", esc(value));
        }
    }
    h.push_str("</div></body></html>\n");
    h
}

/// The command that prints an HTML file to a PDF file.
type Peer<'a> = Box<dyn Fn(&Path, &Path) -> Command + 'a>;

fn chromium(dir: &Path, html: &Path, pdf: &Path) -> Command {
    let mut c = Command::new("chromium");
    c.args([
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-pdf-header-footer",
    ]);
    c.arg(format!("--user-data-dir={}", dir.join("chromium-profile").display()));
    c.arg(format!("--print-to-pdf={}", pdf.display()));
    c.arg(html);
    c
}

fn wkhtmltopdf(html: &Path, pdf: &Path) -> Command {
    let mut c = Command::new("wkhtmltopdf");
    c.args(["--quiet", "--enable-local-file-access", "--page-size", "A4"]);
    c.arg(html).arg(pdf);
    c
}

fn ratio(theirs: Duration, ours: Duration) -> String {
    let x10 = theirs.as_micros() * 10 / ours.as_micros().max(1);
    format!("{}.{}×", x10 / 10, x10 % 10)
}

fn main() {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..");
    let fonts = root.join("assets/fonts").canonicalize().expect("assets/fonts");
    let dir = tempfile::tempdir().expect("temp dir");
    let runs: usize = std::env::var("BENCH_RUNS").ok().and_then(|v| v.parse().ok()).unwrap_or(10);
    let cli = std::env::var_os("BILLABLE_BIN").map(PathBuf::from);
    let books = std::env::var_os("BILLABLE_BOOKS").map(PathBuf::from);
    println!("PDF side by side: Billable vs Chromium --print-to-pdf vs wkhtmltopdf ({runs} runs each, medians)");

    let blank = dir.path().join("blank.html");
    std::fs::write(&blank, "<!doctype html><html><body></body></html>\n").expect("write blank.html");
    let peers: [(&str, Peer); 2] =
        [("chromium", Box::new(|html, pdf| chromium(dir.path(), html, pdf))), ("wkhtmltopdf", Box::new(wkhtmltopdf))];
    let mut startup: Vec<Option<Stats>> = Vec::new();
    for (name, cmd) in &peers {
        let s = process(runs, name, || cmd(&blank, &dir.path().join("blank.pdf")));
        if let Some(s) = &s {
            show(&format!("{name}: empty page, whole process (start-up)"), s);
        }
        startup.push(s);
    }

    let number = |var: &str| std::env::var(var).unwrap_or_default();
    for (name, doc, cli_invoice) in [
        ("one-page", one_page(1), number("BILLABLE_ONE_PAGE")),
        ("50-page", fifty_pages(), number("BILLABLE_FIFTY_PAGES")),
    ] {
        println!("\n{name} invoice ({} lines)", doc.lines.len());
        let html_path = dir.path().join(format!("{name}.html"));
        std::fs::write(&html_path, html(&doc, &fonts)).expect("write the HTML invoice");
        let ours_render = try_measure(runs * 5, || render(&doc).is_ok()).expect("our render");
        show("billable: render() in process", &ours_render);
        let ours_process = match (&cli, &books) {
            (Some(bin), Some(books)) if !cli_invoice.is_empty() => {
                let out = dir.path().join(format!("{name}-billable.pdf"));
                let s = process(runs, "billable invoice pdf", || {
                    let mut c = Command::new(bin);
                    c.arg("--db").arg(books).args(["invoice", "pdf", &cli_invoice, "--out"]).arg(&out);
                    c
                });
                if let Some(s) = &s {
                    show("billable invoice pdf: whole process", s);
                }
                s
            }
            _ => {
                println!(
                    "billable invoice pdf: skipped (BILLABLE_BIN, BILLABLE_BOOKS and the invoice numbers unset; \
                     scripts/bench-html-pdf.sh sets them)"
                );
                None
            }
        };
        for ((peer, cmd), start) in peers.iter().zip(&startup) {
            let pdf = dir.path().join(format!("{name}-{peer}.pdf"));
            let Some(whole) = process(runs, peer, || cmd(&html_path, &pdf)) else { continue };
            show(&format!("{peer}: whole process"), &whole);
            let size = std::fs::metadata(&pdf).map(|m| m.len() / 1024).unwrap_or(0);
            let pages = lopdf::Document::load(&pdf).map(|d| d.get_pages().len()).unwrap_or(0);
            println!("{peer}: wrote {pages} pages, {size} KB");
            if let Some(ours) = &ours_process {
                println!(
                    "  ratio, whole process: {peer} takes {} the time of billable",
                    ratio(whole.median, ours.median)
                );
            }
            if let Some(start) = start {
                let render_only = whole.median.saturating_sub(start.median);
                println!(
                    "  render alone (whole minus empty page) {}: {} the time of billable's render()",
                    ms(render_only),
                    ratio(render_only, ours_render.median)
                );
            }
        }
    }
}
