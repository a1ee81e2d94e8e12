//! The use cases of Billable. The command line and the desktop app both call
//! these functions and nothing else, so both behave identically.
//!
//! Architecture invariant: every operation is one method on [`Billable`]; it
//! validates its input, opens one transaction for everything it writes, and
//! returns plain data (serializable views). No front door touches SQL.

mod catalog;
pub mod clock;
mod error;
mod invoices;
mod parse;
mod payments;
mod reports;
mod time;
pub mod views;

use std::path::{Path, PathBuf};

use billable_store::{Store, StoreError, Tx};

pub use catalog::{BusinessInput, ClientInput, MemberInput, ProjectInput, TaskInput, TaxRateInput};
pub use clock::{Clock, FixedClock, SystemClock};
pub use error::{AppError, AppResult, ErrorBody};
pub use invoices::{
    BulkAction, BulkResult, CloneInput, FromTimeInput, HeaderInput, InvoiceInput, InvoiceListInput, LineInput,
};
pub use payments::PaymentInput;
pub use reports::{MoneyReport, MoneyReportInput, MonthMoney, TimeReport, TimeReportInput, TimeReportRow};
pub use time::{EntryInput, EntryListInput, TimerStartInput, UnbilledInput};

pub use billable_core as core;
pub use billable_store::invoices::SortKey;
pub use billable_store::reports::TimeGroup;

/// Billable's books, open.
pub struct Billable {
    store: Store,
    clock: Box<dyn Clock>,
    path: Option<PathBuf>,
}

impl Billable {
    /// Opens the books at `path` (created on first use).
    pub fn open(path: &Path, clock: Box<dyn Clock>) -> AppResult<Billable> {
        let store = Store::open(path).map_err(|e| AppError::from(e).during("open the books"))?;
        Ok(Billable { store, clock, path: Some(path.to_path_buf()) })
    }

    /// Books in memory, for tests.
    pub fn in_memory(clock: Box<dyn Clock>) -> AppResult<Billable> {
        let store = Store::open_in_memory()?;
        Ok(Billable { store, clock, path: None })
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
        self.store.write(|tx| f(tx, clock)).map_err(|e| e.during(operation))
    }

    fn read<T>(&mut self, operation: &str, f: impl FnOnce(&Tx, &dyn Clock) -> AppResult<T>) -> AppResult<T> {
        let clock = self.clock.as_ref();
        self.store.read(|tx| f(tx, clock)).map_err(|e| e.during(operation))
    }

    /// `PRAGMA integrity_check`: "ok" or the problems found.
    pub fn integrity_check(&mut self) -> AppResult<String> {
        self.read("check the database", |tx, _| {
            let mut st = tx.prepare("PRAGMA integrity_check").map_err(StoreError::from)?;
            let rows: Vec<String> = st
                .query_map([], |r| r.get(0))
                .map_err(StoreError::from)?
                .collect::<Result<_, _>>()
                .map_err(StoreError::from)?;
            Ok(rows.join("\n"))
        })
    }
}
