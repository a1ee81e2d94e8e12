//! Clients, projects, tasks and team members.

use billable_app::core::model::{Client, Member, Project, Task};
use billable_app::{ClientInput, MemberInput, ProjectInput, TaskInput};
use tauri::State;

use crate::books::{Books, Reply};

#[tauri::command]
#[specta::specta]
pub fn clients(books: State<'_, Books>, include_archived: bool, search: Option<String>) -> Reply<Vec<Client>> {
    books.call(|b| b.clients(include_archived, search.as_deref())).inspect(|list| books.remember_clients(list))
}

#[tauri::command]
#[specta::specta]
pub fn create_client(books: State<'_, Books>, input: ClientInput) -> Reply<Client> {
    books.call(|b| b.create_client(input))
}

#[tauri::command]
#[specta::specta]
pub fn edit_client(books: State<'_, Books>, id: i64, input: ClientInput) -> Reply<Client> {
    books.call(|b| b.edit_client(id, input))
}

#[tauri::command]
#[specta::specta]
pub fn archive_client(books: State<'_, Books>, id: i64, archived: bool) -> Reply<Client> {
    books.call(|b| b.archive_client(id, archived))
}

#[tauri::command]
#[specta::specta]
pub fn projects(books: State<'_, Books>, client_id: Option<i64>, include_archived: bool) -> Reply<Vec<Project>> {
    books.call(|b| b.projects(client_id, include_archived)).inspect(|list| books.remember_projects(list))
}

#[tauri::command]
#[specta::specta]
pub fn create_project(books: State<'_, Books>, input: ProjectInput) -> Reply<Project> {
    books.call(|b| b.create_project(input))
}

#[tauri::command]
#[specta::specta]
pub fn edit_project(books: State<'_, Books>, id: i64, input: ProjectInput) -> Reply<Project> {
    books.call(|b| b.edit_project(id, input))
}

#[tauri::command]
#[specta::specta]
pub fn archive_project(books: State<'_, Books>, id: i64, archived: bool) -> Reply<Project> {
    books.call(|b| b.archive_project(id, archived))
}

#[tauri::command]
#[specta::specta]
pub fn tasks(books: State<'_, Books>, project_id: Option<i64>, include_archived: bool) -> Reply<Vec<Task>> {
    books.call(|b| b.tasks(project_id, include_archived)).inspect(|list| books.remember_tasks(list))
}

#[tauri::command]
#[specta::specta]
pub fn create_task(books: State<'_, Books>, input: TaskInput) -> Reply<Task> {
    books.call(|b| b.create_task(input))
}

#[tauri::command]
#[specta::specta]
pub fn edit_task(books: State<'_, Books>, id: i64, input: TaskInput) -> Reply<Task> {
    books.call(|b| b.edit_task(id, input))
}

#[tauri::command]
#[specta::specta]
pub fn archive_task(books: State<'_, Books>, id: i64, archived: bool) -> Reply<Task> {
    books.call(|b| b.archive_task(id, archived))
}

#[tauri::command]
#[specta::specta]
pub fn members(books: State<'_, Books>, include_archived: bool) -> Reply<Vec<Member>> {
    books.call(|b| b.members(include_archived))
}

#[tauri::command]
#[specta::specta]
pub fn create_member(books: State<'_, Books>, input: MemberInput) -> Reply<Member> {
    books.call(|b| b.create_member(input))
}

#[tauri::command]
#[specta::specta]
pub fn edit_member(books: State<'_, Books>, id: i64, input: MemberInput) -> Reply<Member> {
    books.call(|b| b.edit_member(id, input))
}

#[tauri::command]
#[specta::specta]
pub fn archive_member(books: State<'_, Books>, id: i64, archived: bool) -> Reply<Member> {
    books.call(|b| b.archive_member(id, archived))
}
