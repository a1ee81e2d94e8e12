-- The value of the billable time worked on each hourly project with a
-- budget, kept for the invoice list's filter by budget (over or within).
--
-- The value is the time report's price of a project's time (its
-- time_worked rows at the rate chain: entry, task, project, client, member,
-- the business's default rate; rounded once in the client's currency), which
-- only Rust computes exactly. So the rows are written by Billable, in the
-- transaction of every write, for the hourly projects with a budget that
-- have none; and these triggers take a project's row away, in the same
-- statement, whenever anything the value is computed from changes: its
-- time (time_worked, kept by the time entries' triggers and by imports),
-- the project, or a client, member, task or the business's default rate
-- or currency (then every row: a client's or task's entries can sit on any
-- project). A project without a row is priced when read, so a value is
-- never read stale; and a write puts it back before it commits.
--
-- amount is the value as canonical decimal text, NULL when the project has
-- no time worked at all (which is not over any budget).

CREATE TABLE project_worked_values (
    project_id  INTEGER PRIMARY KEY REFERENCES projects(id) ON DELETE CASCADE,
    amount      TEXT
);

-- The projects the filter by budget prices, found without reading the others.
CREATE INDEX projects_hourly_budget ON projects(id) WHERE billing_type = 'hourly' AND budget IS NOT NULL;

CREATE TRIGGER project_worked_values_time_insert AFTER INSERT ON time_worked
BEGIN
    DELETE FROM project_worked_values WHERE project_id = NEW.project_id;
END;

CREATE TRIGGER project_worked_values_time_update AFTER UPDATE ON time_worked
BEGIN
    DELETE FROM project_worked_values WHERE project_id IN (OLD.project_id, NEW.project_id);
END;

CREATE TRIGGER project_worked_values_time_delete AFTER DELETE ON time_worked
BEGIN
    DELETE FROM project_worked_values WHERE project_id = OLD.project_id;
END;

CREATE TRIGGER project_worked_values_project_insert AFTER INSERT ON projects
BEGIN
    DELETE FROM project_worked_values WHERE project_id = NEW.id;
END;

CREATE TRIGGER project_worked_values_project_update AFTER UPDATE ON projects
BEGIN
    DELETE FROM project_worked_values WHERE project_id IN (OLD.id, NEW.id);
END;

CREATE TRIGGER project_worked_values_project_delete AFTER DELETE ON projects
BEGIN
    DELETE FROM project_worked_values WHERE project_id = OLD.id;
END;

CREATE TRIGGER project_worked_values_client_insert AFTER INSERT ON clients
BEGIN
    DELETE FROM project_worked_values;
END;

CREATE TRIGGER project_worked_values_client_update AFTER UPDATE OF name, currency, rate ON clients
WHEN OLD.name IS NOT NEW.name OR OLD.currency IS NOT NEW.currency OR OLD.rate IS NOT NEW.rate
BEGIN
    DELETE FROM project_worked_values;
END;

CREATE TRIGGER project_worked_values_client_delete AFTER DELETE ON clients
BEGIN
    DELETE FROM project_worked_values;
END;

CREATE TRIGGER project_worked_values_member_insert AFTER INSERT ON members
BEGIN
    DELETE FROM project_worked_values;
END;

CREATE TRIGGER project_worked_values_member_update AFTER UPDATE OF default_rate ON members
WHEN OLD.default_rate IS NOT NEW.default_rate
BEGIN
    DELETE FROM project_worked_values;
END;

CREATE TRIGGER project_worked_values_member_delete AFTER DELETE ON members
BEGIN
    DELETE FROM project_worked_values;
END;

CREATE TRIGGER project_worked_values_task_insert AFTER INSERT ON tasks
BEGIN
    DELETE FROM project_worked_values;
END;

CREATE TRIGGER project_worked_values_task_update AFTER UPDATE OF rate ON tasks
WHEN OLD.rate IS NOT NEW.rate
BEGIN
    DELETE FROM project_worked_values;
END;

CREATE TRIGGER project_worked_values_task_delete AFTER DELETE ON tasks
BEGIN
    DELETE FROM project_worked_values;
END;

CREATE TRIGGER project_worked_values_business AFTER UPDATE OF default_rate, default_currency ON business
WHEN OLD.default_rate IS NOT NEW.default_rate OR OLD.default_currency IS NOT NEW.default_currency
BEGIN
    DELETE FROM project_worked_values;
END;
