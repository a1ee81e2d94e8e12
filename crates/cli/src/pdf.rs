//! `billable invoice pdf`: one invoice to a file, or a batch into a folder.
//! The books are read in this thread (one transaction); rendering runs on
//! every core, with a progress bar when the output is a terminal.

use std::io::IsTerminal;
use std::path::{Path, PathBuf};

use billable_app::core::presentation::Template;
use billable_app::{render_pdf, AppError, AppResult, Billable, PdfOptions};
use indicatif::{ProgressBar, ProgressStyle};
use rayon::prelude::*;
use serde::Serialize;

/// Writes a file whole or not at all: a temporary file beside the target,
/// renamed over it once complete.
fn write_whole(out: &Path, bytes: &[u8]) -> AppResult<()> {
    let fail = |e: std::io::Error| AppError::invalid("out", format!("could not write {}: {e}", out.display()));
    let dir = out.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
    let name =
        out.file_name().ok_or_else(|| AppError::invalid("out", format!("{} is not a file name", out.display())))?;
    let tmp = dir.join(format!(".{}.part", name.to_string_lossy()));
    std::fs::write(&tmp, bytes).map_err(fail)?;
    std::fs::rename(&tmp, out).map_err(|e| {
        let _ = std::fs::remove_file(&tmp);
        fail(e)
    })
}

#[derive(Debug, Serialize)]
pub struct Written {
    pub invoice: String,
    pub file: PathBuf,
    pub bytes: usize,
}

pub struct PdfArgs {
    pub invoice: Option<String>,
    pub out: Option<PathBuf>,
    pub out_dir: Option<PathBuf>,
    pub template: Option<String>,
    pub facturx: bool,
    pub status: Option<String>,
    pub from: Option<String>,
    pub to: Option<String>,
}

fn options(app: &mut Billable, a: &PdfArgs) -> AppResult<PdfOptions> {
    let template = a
        .template
        .as_deref()
        .map(|t| {
            t.parse::<Template>().map_err(|e| AppError::invalid("template", e.to_string().replace("template: ", "")))
        })
        .transpose()?;
    Ok(PdfOptions { template, facturx: a.facturx || app.business()?.einvoicing })
}

/// Runs the command; returns what was written.
pub fn run(app: &mut Billable, a: PdfArgs) -> AppResult<Vec<Written>> {
    let opts = options(app, &a)?;
    match (&a.invoice, &a.out, &a.out_dir) {
        (Some(invoice), Some(out), None) => {
            let pdf = app.invoice_pdf(invoice, opts)?;
            write_whole(out, &pdf.bytes)?;
            Ok(vec![Written { invoice: invoice.clone(), file: out.clone(), bytes: pdf.bytes.len() }])
        }
        (None, None, Some(dir)) => batch(app, &a, dir, opts),
        (Some(_), None, Some(_)) => {
            Err(AppError::invalid("out", "one invoice is written with --out FILE; --out-dir is for batches"))
        }
        (None, Some(_), _) => {
            Err(AppError::invalid("invoice", "name the invoice to write to --out, or use --out-dir for a batch"))
        }
        _ => Err(AppError::invalid("out", "give --out FILE (one invoice) or --out-dir DIR (a batch)")),
    }
}

fn batch(app: &mut Billable, a: &PdfArgs, dir: &Path, opts: PdfOptions) -> AppResult<Vec<Written>> {
    std::fs::create_dir_all(dir)
        .map_err(|e| AppError::invalid("out_dir", format!("could not create {}: {e}", dir.display())))?;
    let docs = app.invoice_documents(a.status.as_deref(), a.from.as_deref(), a.to.as_deref())?;
    let bar = if std::io::stderr().is_terminal() {
        let bar = ProgressBar::new(docs.len() as u64);
        if let Ok(style) = ProgressStyle::with_template("{bar:40} {pos}/{len} PDFs · {elapsed} · {msg}") {
            bar.set_style(style);
        }
        bar
    } else {
        ProgressBar::hidden()
    };
    let written: Vec<AppResult<Written>> = docs
        .into_par_iter()
        .map(|doc| {
            let number = doc.number.clone();
            let pdf = render_pdf(doc, opts)?;
            let file = dir.join(&pdf.file_name);
            write_whole(&file, &pdf.bytes)?;
            bar.inc(1);
            bar.set_message(number.clone());
            Ok(Written { invoice: number, file, bytes: pdf.bytes.len() })
        })
        .collect();
    bar.finish_and_clear();
    written.into_iter().collect()
}
