-- Billable team books: the value of the billable time worked on each hourly
-- project with a budget, kept for the invoice list's filter by budget. The
-- twin of crates/store/migrations/0027_project_worked_values.sql (SQLite
-- schema version 26), translated as the header of 0001_books.sql says
-- (BIGINT, TEXT COLLATE "C", one PL/pgSQL function per trigger, of the
-- trigger's name). Read the SQLite file for what the table means: Billable
-- writes its rows in every write transaction; these triggers take rows away
-- when what a value is computed from changes.

-- project_id is a reference to its project's row, so a plain BIGINT PRIMARY
-- KEY (no identity), like running_timers.member_id.
CREATE TABLE project_worked_values (
    project_id  BIGINT PRIMARY KEY REFERENCES projects(id) ON DELETE CASCADE,
    amount      TEXT COLLATE "C"
);

CREATE INDEX projects_hourly_budget ON projects(id) WHERE billing_type = 'hourly' AND budget IS NOT NULL;

CREATE FUNCTION project_worked_values_time_insert() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    DELETE FROM project_worked_values WHERE project_id = NEW.project_id;
    RETURN NULL;
END $$;
CREATE TRIGGER project_worked_values_time_insert AFTER INSERT ON time_worked
    FOR EACH ROW EXECUTE FUNCTION project_worked_values_time_insert();

CREATE FUNCTION project_worked_values_time_update() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    DELETE FROM project_worked_values WHERE project_id IN (OLD.project_id, NEW.project_id);
    RETURN NULL;
END $$;
CREATE TRIGGER project_worked_values_time_update AFTER UPDATE ON time_worked
    FOR EACH ROW EXECUTE FUNCTION project_worked_values_time_update();

CREATE FUNCTION project_worked_values_time_delete() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    DELETE FROM project_worked_values WHERE project_id = OLD.project_id;
    RETURN NULL;
END $$;
CREATE TRIGGER project_worked_values_time_delete AFTER DELETE ON time_worked
    FOR EACH ROW EXECUTE FUNCTION project_worked_values_time_delete();

CREATE FUNCTION project_worked_values_project_insert() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    DELETE FROM project_worked_values WHERE project_id = NEW.id;
    RETURN NULL;
END $$;
CREATE TRIGGER project_worked_values_project_insert AFTER INSERT ON projects
    FOR EACH ROW EXECUTE FUNCTION project_worked_values_project_insert();

CREATE FUNCTION project_worked_values_project_update() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    DELETE FROM project_worked_values WHERE project_id IN (OLD.id, NEW.id);
    RETURN NULL;
END $$;
CREATE TRIGGER project_worked_values_project_update AFTER UPDATE ON projects
    FOR EACH ROW EXECUTE FUNCTION project_worked_values_project_update();

CREATE FUNCTION project_worked_values_project_delete() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    DELETE FROM project_worked_values WHERE project_id = OLD.id;
    RETURN NULL;
END $$;
CREATE TRIGGER project_worked_values_project_delete AFTER DELETE ON projects
    FOR EACH ROW EXECUTE FUNCTION project_worked_values_project_delete();

CREATE FUNCTION project_worked_values_client_insert() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    DELETE FROM project_worked_values;
    RETURN NULL;
END $$;
CREATE TRIGGER project_worked_values_client_insert AFTER INSERT ON clients
    FOR EACH ROW EXECUTE FUNCTION project_worked_values_client_insert();

CREATE FUNCTION project_worked_values_client_update() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    DELETE FROM project_worked_values;
    RETURN NULL;
END $$;
CREATE TRIGGER project_worked_values_client_update AFTER UPDATE OF name, currency, rate ON clients
    FOR EACH ROW
    WHEN (OLD.name IS DISTINCT FROM NEW.name OR OLD.currency IS DISTINCT FROM NEW.currency OR OLD.rate IS DISTINCT FROM NEW.rate)
    EXECUTE FUNCTION project_worked_values_client_update();

CREATE FUNCTION project_worked_values_client_delete() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    DELETE FROM project_worked_values;
    RETURN NULL;
END $$;
CREATE TRIGGER project_worked_values_client_delete AFTER DELETE ON clients
    FOR EACH ROW EXECUTE FUNCTION project_worked_values_client_delete();

CREATE FUNCTION project_worked_values_member_insert() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    DELETE FROM project_worked_values;
    RETURN NULL;
END $$;
CREATE TRIGGER project_worked_values_member_insert AFTER INSERT ON members
    FOR EACH ROW EXECUTE FUNCTION project_worked_values_member_insert();

CREATE FUNCTION project_worked_values_member_update() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    DELETE FROM project_worked_values;
    RETURN NULL;
END $$;
CREATE TRIGGER project_worked_values_member_update AFTER UPDATE OF default_rate ON members
    FOR EACH ROW
    WHEN (OLD.default_rate IS DISTINCT FROM NEW.default_rate)
    EXECUTE FUNCTION project_worked_values_member_update();

CREATE FUNCTION project_worked_values_member_delete() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    DELETE FROM project_worked_values;
    RETURN NULL;
END $$;
CREATE TRIGGER project_worked_values_member_delete AFTER DELETE ON members
    FOR EACH ROW EXECUTE FUNCTION project_worked_values_member_delete();

CREATE FUNCTION project_worked_values_task_insert() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    DELETE FROM project_worked_values;
    RETURN NULL;
END $$;
CREATE TRIGGER project_worked_values_task_insert AFTER INSERT ON tasks
    FOR EACH ROW EXECUTE FUNCTION project_worked_values_task_insert();

CREATE FUNCTION project_worked_values_task_update() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    DELETE FROM project_worked_values;
    RETURN NULL;
END $$;
CREATE TRIGGER project_worked_values_task_update AFTER UPDATE OF rate ON tasks
    FOR EACH ROW
    WHEN (OLD.rate IS DISTINCT FROM NEW.rate)
    EXECUTE FUNCTION project_worked_values_task_update();

CREATE FUNCTION project_worked_values_task_delete() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    DELETE FROM project_worked_values;
    RETURN NULL;
END $$;
CREATE TRIGGER project_worked_values_task_delete AFTER DELETE ON tasks
    FOR EACH ROW EXECUTE FUNCTION project_worked_values_task_delete();

CREATE FUNCTION project_worked_values_business() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    DELETE FROM project_worked_values;
    RETURN NULL;
END $$;
CREATE TRIGGER project_worked_values_business AFTER UPDATE OF default_rate, default_currency ON business
    FOR EACH ROW
    WHEN (OLD.default_rate IS DISTINCT FROM NEW.default_rate OR OLD.default_currency IS DISTINCT FROM NEW.default_currency)
    EXECUTE FUNCTION project_worked_values_business();
