//! The use cases of Billable. The command line and the desktop app both call
//! these functions and nothing else, so both behave identically.
//!
//! Architecture invariant: every operation is one method on [`Billable`]; it
//! validates its input, opens one transaction for everything it writes, and
//! returns plain data (serializable views). No front door touches SQL.

mod approval;
mod backup;
mod catalog;
mod client_payments;
pub mod clock;
pub mod connection;
mod credit_notes;
mod dashboard;
mod documents;
mod einvoice;
mod error;
mod estimates;
mod expenses;
mod export;
pub mod import;
mod invoices;
mod items;
pub mod mail;
mod numbering;
mod parse;
mod payments;
mod project_billing;
mod recurring;
mod reports;
mod revenue;
mod scheduled;

mod seed;
pub mod tables;
mod team;
mod team_migrate;
mod time;
pub mod views;

use std::path::{Path, PathBuf};
use std::sync::Arc;

use billable_store::{Store, Tx};

pub use approval::{ApprovalInput, ApprovalOutcome, SubmittedWeek, Unapproved};
pub use backup::{
    backups_dir, newest_good_backup, AutoBackup, BackupInfo, BackupKind, BackupSettingsInput, IntegrityReport,
    RestoreOutcome,
};
pub use catalog::{BusinessInput, ClientInput, MemberInput, ProjectInput, TaskInput, TaxRateInput};
pub use client_payments::{
    AllocationInput, ApplyCreditInput, ClientCredit, ClientPaymentInput, ClientPaymentPlan, ClientPaymentView,
    CreditAmount, CreditRefundInput, PlannedShare, ShareView,
};
pub use clock::{Clock, FixedClock, StoppedClock, SystemClock};
pub use credit_notes::{CreditNoteInput, CreditNoteListInput};
pub use dashboard::{ClientOwing, Dashboard, Receivables};
pub use documents::{image_data_url, render_pdf, PdfOptions, RenderedPdf};
pub use einvoice::{EInvoiceFormat, XmlFile};
pub use error::{AppError, AppResult, ErrorBody};
pub use estimates::{
    ConvertInput, ConvertOutcome, DeductedDeposit, EstimateHeaderInput, EstimateInput, EstimateListInput,
    EstimateListRow, EstimateView, FromEstimate, MadeInvoiceView,
};
pub use invoices::{
    BulkAction, BulkResult, CloneInput, FromTimeInput, HeaderInput, InvoiceInput, InvoiceListInput, LineInput,
};
pub use items::{ItemInput, ItemListInput};
pub use numbering::{NumberingInput, NumberingView};
pub use payments::PaymentInput;
pub use project_billing::ProjectInvoiceInput;
pub use recurring::RecurringInput;
pub use scheduled::{ScheduledFailure, ScheduledRun};
pub use tables::ReportRequest;
pub use team_migrate::{migrate_to_team, MigrationReport};

/// Types the front doors show for backups and exports.
pub mod backup_types {
    pub use crate::backup::{BackupInfo, BackupKind};
    pub use billable_store::backup::BackupSettings;
    pub use billable_store::export::{AccountRule, RuleKind};
}
pub use billable_store::team::TeamRole;
pub use expenses::{
    receipt_type, ExpenseInput, ExpenseList, ExpenseListInput, ExpenseTotal, ExpenseView, ReceiptFile,
    MAX_RECEIPT_BYTES,
};
pub use export::{BooksExport, ExportFilter, XeroExportInput, XeroRuleInput};
pub use import::expenses::{ExpenseImportInput, ExpenseImportOutcome, ExpenseImportRow, EXPENSE_COLUMNS};
pub use import::{
    CatalogAction, CatalogChange, CatalogConflict, CatalogField, CatalogOutcome, CatalogRecord, ImportInput,
    ImportOutcome, NumberFormat,
};
pub use reports::{
    CategoryRow, ExpenseReport, ExpenseReportInput, MoneyReport, MoneyReportInput, MonthMoney, ProfitTotal,
    ProjectProfitRow, TimeReport, TimeReportInput, TimeReportRow,
};
pub use revenue::{
    AgingInput, AgingReport, AgingRow, ClientFigures, ClientFiguresInput, ClientFiguresReport, Figure, FigureTotals,
    RevenueInput, RevenueReport, RevenueRow, UnbilledReport, UnbilledReportInput, UnbilledRow,
};
pub use seed::{SeedInput, SeedOutcome, SEED_GENERATOR_VERSION};
pub use team::{ProjectName, TeamMemberAdded, TeamMemberInput, TeamMemberView, TeamRoleView};
pub use time::{EntryInput, EntryListInput, TimerStartInput, UnbilledInput};

pub use billable_core as core;
pub use billable_docs as docs;
pub use billable_mail::{Attachment, MemoryKeyring, OsKeyring, SecretStore, Sensitive};
pub use billable_store::invoices::SortKey;
pub use billable_store::reports::TimeGroup;

/// Where the books are: one user's SQLite file, or a team's PostgreSQL
/// database (`postgres://user@host/dbname`). Chosen once, when the books are
/// opened; no use case knows which it runs on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum BooksLocation {
    File(PathBuf),
    Team(String),
}

impl BooksLocation {
    /// A `postgres://` or `postgresql://` URL is team books; anything else
    /// is the path of a file.
    pub fn of(location: &Path) -> BooksLocation {
        match location.to_str() {
            Some(s) if s.starts_with("postgres://") || s.starts_with("postgresql://") => {
                BooksLocation::Team(s.to_string())
            }
            _ => BooksLocation::File(location.to_path_buf()),
        }
    }

    /// As shown to people: a team URL without its password.
    pub fn shown(&self) -> String {
        match self {
            BooksLocation::File(p) => p.display().to_string(),
            BooksLocation::Team(url) => billable_store::shown_url(url),
        }
    }
}

/// Billable's books, open.
pub struct Billable {
    store: Store,
    clock: Box<dyn Clock>,
    path: Option<PathBuf>,
    /// Where the SMTP password lives: the OS keyring unless replaced.
    secrets: Arc<dyn SecretStore>,
    /// Team books' URL as shown (without a password); `None` for a file.
    location: Option<String>,
}

impl Billable {
    /// Opens the books at `path` (created on first use).
    pub fn open(path: &Path, clock: Box<dyn Clock>) -> AppResult<Billable> {
        let store = Store::open(path).map_err(|e| AppError::from(e).during("open the books"))?;
        let mut app = Billable {
            store,
            clock,
            path: Some(path.to_path_buf()),
            secrets: Arc::new(OsKeyring::SMTP),
            location: None,
        };
        app.value_worked_time()?;
        Ok(app)
    }

    /// Books that miss some projects' worked values (brought up to date
    /// from an older schema, or written by an older Billable) get them, so
    /// the filter by budget reads them kept. Books that cannot be written
    /// (a read-only file) are opened all the same: the values missing are
    /// priced whenever they are read.
    fn value_worked_time(&mut self) -> AppResult<()> {
        let all_kept = self
            .read("read the projects", |tx, _| Ok(billable_store::reports::unvalued_budget_projects(tx)?.is_empty()))?;
        if all_kept {
            return Ok(());
        }
        match self.write("price the time worked on projects with a budget", |_, _| Ok(())) {
            Err(e) if e.code() == "read_only" => Ok(()),
            other => other,
        }
    }

    /// Opens team books on PostgreSQL (`postgres://user@host/dbname`),
    /// creating their schema in an empty database.
    pub fn open_postgres(url: &str, clock: Box<dyn Clock>) -> AppResult<Billable> {
        let store = Store::open_postgres(url).map_err(|e| AppError::from(e).during("open the team books"))?;
        let location = Some(billable_store::shown_url(url));
        let mut app = Billable { store, clock, path: None, secrets: Arc::new(OsKeyring::SMTP), location };
        app.value_worked_time()?;
        Ok(app)
    }

    /// Opens the books wherever they are.
    pub fn open_at(location: &BooksLocation, clock: Box<dyn Clock>) -> AppResult<Billable> {
        match location {
            BooksLocation::File(path) => Billable::open(path, clock),
            BooksLocation::Team(url) => Billable::open_postgres(url, clock),
        }
    }

    /// The schema version of the open books.
    pub fn schema_version(&self) -> AppResult<i64> {
        Ok(self.store.schema_version()?)
    }

    /// Books in memory, for tests.
    pub fn in_memory(clock: Box<dyn Clock>) -> AppResult<Billable> {
        let store = Store::open_in_memory()?;
        Ok(Billable { store, clock, path: None, secrets: Arc::new(MemoryKeyring::new()), location: None })
    }

    pub fn path(&self) -> Option<&Path> {
        self.path.as_deref()
    }

    pub fn clock(&self) -> &dyn Clock {
        self.clock.as_ref()
    }

    /// One write transaction; storage errors say what was being done.
    fn write<T>(&mut self, operation: &str, f: impl FnOnce(&Tx, &dyn Clock) -> AppResult<T>) -> AppResult<T> {
        let clock = self.clock.as_ref();
        self.store
            .write(|tx| {
                let out = f(tx, clock)?;
                crate::reports::keep_worked_values(tx)?;
                Ok::<_, AppError>(out)
            })
            .map_err(|e| e.during(operation))
    }

    fn read<T>(&mut self, operation: &str, f: impl FnOnce(&Tx, &dyn Clock) -> AppResult<T>) -> AppResult<T> {
        let clock = self.clock.as_ref();
        self.store.read(|tx| f(tx, clock)).map_err(|e| e.during(operation))
    }

    /// The books' integrity check: "ok" or the problems found.
    pub fn integrity_check(&mut self) -> AppResult<String> {
        let problems = self.store.integrity_problems().map_err(|e| AppError::from(e).during("check the database"))?;
        Ok(if problems.is_empty() { "ok".to_string() } else { problems.join("\n") })
    }
}
