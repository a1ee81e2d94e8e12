//! Team books: one user's books file moved into them (`billable team
//! migrate`). The copying itself is the store's
//! ([`billable_store::migrate`]): it knows both engines.

use std::collections::BTreeMap;
use std::path::Path;

use billable_store::migrate::{self, MigrateError};
use serde::Serialize;

use crate::{AppError, AppResult, BooksLocation};

/// What a migration moved: the rows copied from the file and the rows the
/// team books' triggers built, per table; both verified equal to the file's.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct MigrationReport {
    pub from: String,
    /// The team books, without the password.
    pub to: String,
    pub schema_version: i64,
    /// Rows copied from the file, with their ids, per table.
    pub copied: BTreeMap<String, u64>,
    /// Rows of the rollups the team books' triggers built from them, per table.
    pub rebuilt: BTreeMap<String, u64>,
    /// All rows copied.
    pub rows: u64,
}

/// Moves the books file at `from` into the empty team books at `to`
/// (`postgres://…`): every row with its id, in one transaction, verified
/// against the file before it commits. The file is only read. Team books
/// that already hold books are refused (field `to`), as is a file that is
/// missing, not Billable's or from a newer Billable (field `from`); then
/// nothing is written.
pub fn migrate_to_team(from: &Path, to: &str) -> AppResult<MigrationReport> {
    let target = BooksLocation::of(Path::new(to));
    let BooksLocation::Team(url) = &target else {
        return Err(AppError::invalid("to", format!("'{to}' is not a postgres:// URL of team books")));
    };
    let done = migrate::file_to_team(from, url).map_err(|e| match e {
        MigrateError::SourceMissing { .. }
        | MigrateError::SourceNotBillable { .. }
        | MigrateError::SourceTooNew { .. } => AppError::invalid("from", e.to_string()),
        MigrateError::TargetHoldsBooks { .. } => AppError::invalid("to", e.to_string()),
        MigrateError::Store(source) => AppError::from(source).during("migrate the books into the team books"),
        other @ (MigrateError::SchemaMismatch(_) | MigrateError::Copy { .. } | MigrateError::Differs { .. }) => {
            AppError::conflict(other.to_string())
        }
    })?;
    let mut report = MigrationReport {
        from: from.display().to_string(),
        to: target.shown(),
        schema_version: done.schema_version,
        copied: BTreeMap::new(),
        rebuilt: BTreeMap::new(),
        rows: 0,
    };
    for t in done.tables {
        if t.rebuilt {
            report.rebuilt.insert(t.name, t.rows);
        } else {
            report.rows += t.rows;
            report.copied.insert(t.name, t.rows);
        }
    }
    Ok(report)
}
