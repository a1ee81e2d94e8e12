//! Time entries as typed, through the real use case on books in memory:
//! one field per line (start, end, date, hours, rate, description; an empty
//! line leaves the field out), in a time zone 14 hours ahead of UTC and in
//! one 12 hours behind. The entry is refused with an error naming a field,
//! or saved with one second to a week and read back as saved.
#![no_main]

use std::cell::RefCell;

use billable_app::{AppError, Billable, ClientInput, EntryInput, FixedClock, MemberInput, ProjectInput};
use libfuzzer_sys::fuzz_target;

struct Books {
    app: Billable,
    project: i64,
}

fn books(now: &str) -> Books {
    let clock = FixedClock::parse(now).expect("a clock");
    let mut app = Billable::in_memory(Box::new(clock)).expect("books in memory");
    app.create_member(MemberInput { name: Some("Ana".into()), ..Default::default() }).expect("a member");
    let client = app.create_client(ClientInput { name: Some("Acme".into()), ..Default::default() }).expect("a client");
    let project = app
        .create_project(ProjectInput {
            client_id: Some(client.id),
            name: Some("Website".into()),
            rate: Some("100".into()),
            ..Default::default()
        })
        .expect("a project");
    Books { app, project: project.id }
}

thread_local! {
    static BOOKS: RefCell<Vec<Books>> =
        RefCell::new(vec![books("2026-03-31T09:00:00+14:00"), books("2026-03-31T09:00:00-12:00")]);
}

fuzz_target!(|data: &[u8]| {
    let Some(fields) = billable_fuzz::fields(data) else { return };
    let field = |i: usize| fields.get(i).filter(|f| !f.is_empty()).map(|f| f.to_string());
    BOOKS.with(|all| {
        for b in all.borrow_mut().iter_mut() {
            let input = EntryInput {
                project_id: Some(b.project),
                start: field(0),
                end: field(1),
                date: field(2),
                hours: field(3),
                rate: field(4),
                description: field(5),
                ..Default::default()
            };
            match b.app.add_entry(input) {
                Ok(v) => {
                    let e = &v.entry;
                    assert!(e.seconds > 0 && e.seconds <= 7 * 24 * 3600, "{e:?}");
                    if let (Some(s), Some(end)) = (e.start_at, e.end_at) {
                        assert_eq!((end - s).num_seconds(), e.seconds, "{e:?}");
                    }
                    let back = b.app.entry(e.id).expect("the entry reads back");
                    assert_eq!(&back.entry, e, "the entry reads back as saved");
                    b.app.delete_entry(e.id).expect("the entry is deleted");
                }
                Err(AppError::Invalid { field, message }) => {
                    assert!(!field.is_empty() && !message.is_empty());
                }
                Err(other) => panic!("typed input is refused as invalid, not with {other:?}"),
            }
        }
    });
});
