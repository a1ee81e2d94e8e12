//! Where the books live: the file on this computer or team books on a
//! PostgreSQL server (Data → Where your books live), and trying again when
//! the team server was out of reach. Connecting waits on the network, so it
//! runs off the window's thread.

use billable_app::connection::{PasswordChangeInput, PasswordChanged, TeamServerInput};
use billable_app::TeamRoleView;
use tauri::State;

use crate::books::BooksPlace;
use crate::{Books, Reply};

/// Where the open books are, or why they could not be opened.
#[tauri::command]
#[specta::specta]
pub fn books_place(books: State<'_, Books>) -> BooksPlace {
    books.place()
}

/// Connects to team books (their schema is made in an empty database). An
/// empty `password` uses the one kept in the keyring for this login; with
/// `remember` the typed one is kept there once the connection works. When
/// it fails, the books open now stay open.
#[tauri::command]
#[specta::specta]
pub async fn connect_team_books(
    books: State<'_, Books>,
    server: TeamServerInput,
    password: String,
    remember: bool,
) -> Reply<BooksPlace> {
    books.off_thread(|books| books.connect_team(&server, Some(password), remember).map_err(|e| e.to_body()))
}

/// Changes the password of this person's login to the team books: the
/// current one is checked by connecting with it; the keyring keeps the new
/// one when it kept the old.
#[tauri::command]
#[specta::specta]
pub async fn change_team_password(books: State<'_, Books>, input: PasswordChangeInput) -> Reply<PasswordChanged> {
    books.off_thread(|books| books.change_team_password(&input).map_err(|e| e.to_body()))
}

/// Goes back to the books file on this computer.
#[tauri::command]
#[specta::specta]
pub async fn use_books_on_this_computer(books: State<'_, Books>) -> Reply<BooksPlace> {
    books.off_thread(|books| books.use_file().map_err(|e| e.to_body()))
}

/// Tries again to open books that could not be opened.
#[tauri::command]
#[specta::specta]
pub async fn reconnect_books(books: State<'_, Books>) -> Reply<BooksPlace> {
    books.off_thread(|books| Ok(books.reconnect()))
}

/// Who is connected: on team books the role (owner, manager, member) and
/// the member; a books file's user is its owner. The window shows a member
/// only what their role lets them use (the database refuses the rest).
#[tauri::command]
#[specta::specta]
pub fn team_role(books: State<'_, Books>) -> Reply<TeamRoleView> {
    books.call(|b| b.team_role())
}
