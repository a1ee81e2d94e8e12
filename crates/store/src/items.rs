//! Saved items: the catalog of products and services invoice lines are
//! picked from.

use crate::params;
use crate::sql::{OptionalExtension, Row, Tx};
use billable_core::model::SavedItem;

use crate::catalog::escape_like;
use crate::codec::*;
use crate::error::StoreResult;

const ITEM_COLS: &str = "id, name, description, long_description, unit, rate, tax_rate_id, archived";

fn item_row(r: &Row) -> StoreResult<SavedItem> {
    Ok(SavedItem {
        id: r.get(0)?,
        name: r.get(1)?,
        description: r.get(2)?,
        long_description: r.get(3)?,
        unit: r.get(4)?,
        rate: dec(r, 5)?,
        tax_rate_id: r.get(6)?,
        archived: r.get(7)?,
    })
}

pub fn insert_item(c: &Tx, i: &SavedItem) -> StoreResult<i64> {
    let id = c.insert(
        "INSERT INTO saved_items (name, description, long_description, unit, rate, tax_rate_id, archived)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
        params![i.name, i.description, i.long_description, i.unit, dec_text(i.rate), i.tax_rate_id, i.archived],
    )?;
    Ok(id)
}

pub fn update_item(c: &Tx, i: &SavedItem) -> StoreResult<()> {
    c.execute(
        "UPDATE saved_items SET name=?2, description=?3, long_description=?4, unit=?5, rate=?6, tax_rate_id=?7,
            archived=?8 WHERE id=?1",
        params![i.id, i.name, i.description, i.long_description, i.unit, dec_text(i.rate), i.tax_rate_id, i.archived],
    )?;
    Ok(())
}

/// Deletes an item; returns whether there was one. Lines made from it are
/// copies and stay as they are.
pub fn delete_item(c: &Tx, id: i64) -> StoreResult<bool> {
    Ok(c.execute("DELETE FROM saved_items WHERE id = ?1", [id])? > 0)
}

pub fn item(c: &Tx, id: i64) -> StoreResult<Option<SavedItem>> {
    c.query_row(&format!("SELECT {ITEM_COLS} FROM saved_items WHERE id = ?1"), [id], item_row).optional()
}

/// Items by name, active ones first; `search` matches a part of the name,
/// the description or the details (ignoring ASCII case).
pub fn items(c: &Tx, include_archived: bool, search: Option<&str>) -> StoreResult<Vec<SavedItem>> {
    let mut st = c.prepare(&format!(
        "SELECT {ITEM_COLS} FROM saved_items
         WHERE (archived = 0 OR ?1)
           AND (?2 IS NULL OR name LIKE '%' || ?2 || '%' ESCAPE '\\'
                OR description LIKE '%' || ?2 || '%' ESCAPE '\\'
                OR long_description LIKE '%' || ?2 || '%' ESCAPE '\\')
         ORDER BY archived, name COLLATE NOCASE, id"
    ))?;
    let pattern = search.map(str::trim).filter(|s| !s.is_empty()).map(escape_like);
    let rows = st.query_map(params![include_archived, pattern], item_row)?;
    rows.collect::<Result<_, _>>()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Store;
    use rust_decimal::Decimal;
    use std::str::FromStr;

    fn hosting(name: &str) -> SavedItem {
        SavedItem {
            id: 0,
            name: name.into(),
            description: "Managed hosting".into(),
            long_description: "Backups daily\nUptime 99.9 %".into(),
            unit: "months".into(),
            rate: Decimal::from_str("49.90").unwrap(),
            tax_rate_id: None,
            archived: false,
        }
    }

    #[test]
    fn an_item_keeps_its_rate_exactly_as_canonical_text() {
        let dir = tempfile::tempdir().unwrap();
        let mut s = Store::open(&dir.path().join("b.db")).unwrap();
        let id = s.write(|tx| insert_item(tx, &hosting("Hosting"))).unwrap();
        let text: String =
            s.connection().query_row("SELECT rate FROM saved_items WHERE id = ?1", [id], |r| r.get(0)).unwrap();
        assert_eq!(text, "49.9");
        let back = s.read(|tx| item(tx, id)).unwrap().unwrap();
        assert_eq!(back, SavedItem { id, rate: Decimal::from_str("49.9").unwrap(), ..hosting("Hosting") });
    }

    #[test]
    fn active_names_are_unique_ignoring_case_and_archived_ones_may_repeat() {
        let mut s = Store::open_in_memory().unwrap();
        let first = s.write(|tx| insert_item(tx, &hosting("Hosting"))).unwrap();
        let dup = s.write(|tx| insert_item(tx, &hosting("HOSTING")));
        assert!(dup.unwrap_err().is_unique_violation());
        s.write(|tx| update_item(tx, &SavedItem { id: first, archived: true, ..hosting("Hosting") })).unwrap();
        s.write(|tx| insert_item(tx, &hosting("hosting"))).unwrap();
        s.write(|tx| insert_item(tx, &SavedItem { archived: true, ..hosting("Hosting") })).unwrap();
        assert_eq!(s.read(|tx| items(tx, false, None)).unwrap().len(), 1);
        assert_eq!(s.read(|tx| items(tx, true, None)).unwrap().len(), 3);
    }

    #[test]
    fn search_matches_name_description_and_details_with_wildcards_taken_literally() {
        let mut s = Store::open_in_memory().unwrap();
        s.write(|tx| insert_item(tx, &hosting("Hosting"))).unwrap();
        s.write(|tx| {
            insert_item(
                tx,
                &SavedItem {
                    description: "100% onsite".into(),
                    long_description: "Backups of the slides".into(),
                    ..hosting("Workshop")
                },
            )
        })
        .unwrap();
        let mut names = |q: &str| -> Vec<String> {
            s.read(|tx| items(tx, false, Some(q))).unwrap().into_iter().map(|i| i.name).collect()
        };
        assert_eq!(names("host"), ["Hosting"]);
        assert_eq!(names("UPTIME"), ["Hosting"]);
        assert_eq!(names("100%"), ["Workshop"]);
        assert_eq!(names("0%"), ["Workshop"]);
        assert!(names("9_9").is_empty(), "an underscore is no wildcard");
        assert_eq!(names("backups"), ["Hosting", "Workshop"]);
        assert!(names("nothing like it").is_empty());
    }
}
