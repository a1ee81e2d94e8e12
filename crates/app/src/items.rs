//! Saved items: a catalog of products and services to pick invoice lines
//! from. An item is a template: a line made from it copies its fields
//! (`invoices::with_item` holds that rule), so changing, archiving or
//! deleting an item never changes an invoice.

use billable_core::model::{require_name, SavedItem};
use billable_store::{items as db, Tx};
use serde::Deserialize;

use crate::catalog::{pick, unique, Wanted};
use crate::error::{AppError, AppResult};
use crate::parse;
use crate::Billable;

/// A saved item as typed. `None` leaves a field as it is when editing.
#[derive(Debug, Clone, Default, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(default)]
pub struct ItemInput {
    pub name: Option<String>,
    /// The line's description; empty: the item's name.
    pub description: Option<String>,
    /// More detail printed under the line's description; empty: none.
    pub long_description: Option<String>,
    pub unit: Option<String>,
    /// Price per unit, a decimal such as 49.90 (in the invoice's currency).
    pub rate: Option<String>,
    /// A tax rate id; empty or "none": the invoice's default tax.
    pub tax_rate_id: Option<String>,
}

/// Which items a list shows.
#[derive(Debug, Clone, Default, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(default)]
pub struct ItemListInput {
    /// A part of the name, description or details (any case).
    pub search: Option<String>,
    /// Archived items too (after the active ones).
    pub include_archived: bool,
}

pub(crate) fn item_or_404(tx: &Tx, id: i64) -> AppResult<SavedItem> {
    db::item(tx, id)?.ok_or_else(|| AppError::not_found("saved item", id))
}

/// An item by what a person typed: its name (any case) or its id. Active
/// items are looked at before archived ones; a name several archived items
/// share is refused, naming their ids.
pub(crate) fn find(tx: &Tx, field: &str, key: &str) -> AppResult<SavedItem> {
    pick(
        Wanted { field, what: "saved item", narrow: "" },
        key,
        db::items(tx, true, None)?,
        |i| i.id,
        |i| i.archived,
        |i| vec![i.name.clone()],
        |i| Ok(if i.archived { format!("{} (archived)", i.id) } else { i.id.to_string() }),
    )
}

fn tax_rate_id(tx: &Tx, v: &str) -> AppResult<Option<i64>> {
    let t = v.trim();
    if t.is_empty() || t.eq_ignore_ascii_case("none") {
        return Ok(None);
    }
    let id: i64 = t
        .parse()
        .map_err(|_| AppError::invalid("tax_rate_id", format!("'{t}' is not the id of a tax rate in the books")))?;
    let def = billable_store::catalog::tax_rate(tx, id)?
        .ok_or_else(|| AppError::invalid("tax_rate_id", format!("tax rate {id} does not exist")))?;
    if def.archived {
        return Err(AppError::invalid("tax_rate_id", format!("tax rate {} is archived", def.tax.name)));
    }
    Ok(Some(id))
}

fn apply(tx: &Tx, item: &mut SavedItem, i: &ItemInput) -> AppResult<()> {
    if let Some(v) = &i.name {
        item.name = require_name("name", v)?;
    }
    if let Some(v) = &i.description {
        item.description = parse::text("description", v)?;
    }
    if let Some(v) = &i.long_description {
        item.long_description = parse::text("long_description", v)?.replace("\r\n", "\n");
    }
    if let Some(v) = &i.unit {
        item.unit = parse::text("unit", v)?;
    }
    if let Some(v) = &i.rate {
        if v.trim().is_empty() {
            return Err(AppError::invalid("rate", "is required, e.g. 49.90"));
        }
        item.rate = parse::rate("rate", v)?;
    }
    if let Some(v) = &i.tax_rate_id {
        item.tax_rate_id = tax_rate_id(tx, v)?;
    }
    Ok(())
}

/// Refuses a name another active item has (ignoring case, in any script).
fn ensure_name_free(tx: &Tx, item: &SavedItem) -> AppResult<()> {
    if item.archived {
        return Ok(());
    }
    let wanted = item.name.to_lowercase();
    if db::items(tx, false, None)?.iter().any(|o| o.id != item.id && o.name.to_lowercase() == wanted) {
        return Err(taken(&item.name));
    }
    Ok(())
}

fn taken_message(name: &str) -> String {
    format!("a saved item named '{name}' already exists; give this one another name")
}

fn taken(name: &str) -> AppError {
    AppError::invalid("name", taken_message(name))
}

impl Billable {
    pub fn create_item(&mut self, i: ItemInput) -> AppResult<SavedItem> {
        self.write("save the item", |tx, _| {
            if i.name.is_none() {
                return Err(AppError::invalid("name", "is required"));
            }
            if i.rate.is_none() {
                return Err(AppError::invalid("rate", "is required, e.g. 49.90"));
            }
            let mut item = SavedItem {
                id: 0,
                name: String::new(),
                description: String::new(),
                long_description: String::new(),
                unit: String::new(),
                rate: Default::default(),
                tax_rate_id: None,
                archived: false,
            };
            apply(tx, &mut item, &i)?;
            ensure_name_free(tx, &item)?;
            item.id = db::insert_item(tx, &item).map_err(|e| unique(e, "name", taken_message(&item.name)))?;
            Ok(item)
        })
    }

    pub fn edit_item(&mut self, id: i64, i: ItemInput) -> AppResult<SavedItem> {
        self.write("save the item", |tx, _| {
            let mut item = item_or_404(tx, id)?;
            apply(tx, &mut item, &i)?;
            ensure_name_free(tx, &item)?;
            db::update_item(tx, &item).map_err(|e| unique(e, "name", taken_message(&item.name)))?;
            Ok(item)
        })
    }

    /// Archives an item (it leaves the pickers, invoices keep their lines) or
    /// brings it back, unless an active item has its name meanwhile.
    pub fn archive_item(&mut self, id: i64, archived: bool) -> AppResult<SavedItem> {
        self.write("archive the item", |tx, _| {
            let mut item = item_or_404(tx, id)?;
            item.archived = archived;
            ensure_name_free(tx, &item)?;
            db::update_item(tx, &item).map_err(|e| unique(e, "name", taken_message(&item.name)))?;
            Ok(item)
        })
    }

    /// Deletes an item for good. Lines made from it are copies: every
    /// invoice stays exactly as it is.
    pub fn delete_item(&mut self, id: i64) -> AppResult<SavedItem> {
        self.write("delete the item", |tx, _| {
            let item = item_or_404(tx, id)?;
            db::delete_item(tx, id)?;
            Ok(item)
        })
    }

    pub fn item(&mut self, id: i64) -> AppResult<SavedItem> {
        self.read("read the item", |tx, _| item_or_404(tx, id))
    }

    /// An item by its name (any case) or id, as typed after `--item`.
    pub fn find_item(&mut self, key: &str) -> AppResult<SavedItem> {
        self.read("find the item", |tx, _| find(tx, "item", key))
    }

    pub fn items(&mut self, i: ItemListInput) -> AppResult<Vec<SavedItem>> {
        self.read("list the saved items", |tx, _| {
            let search = i.search.as_deref().map(|s| parse::checked_text("search", s)).transpose()?;
            Ok(db::items(tx, i.include_archived, search)?)
        })
    }
}
