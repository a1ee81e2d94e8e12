-- Billable team books: who may read and change what, enforced by PostgreSQL
-- itself (roles, grants, row-level security and views), so a member who
-- connects with psql and their own password is held to exactly what their
-- app may do.
--
-- Not a migration of the books' schema: nothing here changes what a SQLite
-- file holds, so this file has no SQLite twin and no place in the numbered
-- series (pg/0001_books.sql = schema 24 …). It is applied by the books'
-- owner, idempotently, by `billable team init` and again whenever the owner
-- opens books whose team layer is older than this file (TEAM_VERSION in
-- crates/store/src/team.rs) or was made for an older books schema; the
-- version it was applied at is kept in billable_books.team_version and
-- billable_books.team_books_version. A migration of the books (pg/NNNN) that
-- runs on books with a team layer is followed by this file in the same
-- transaction, so the members' views always list every column of the
-- tables they show.
--
-- The Rust side (crates/store/src/team.rs) replaces, before running it:
--   @books@        the books' schema (where billable_books is), quoted
--   @books_name@   the same as a string literal
--   @db@           the database, quoted
--   @owner@ @manager@ @member@                 the group roles, quoted
--   @owner_name@ @manager_name@ @member_name@  the same as string literals
-- Database and schema names are letters, digits and underscores (checked
-- before), so every replacement is a plain quoted name.
--
-- Roles. PostgreSQL roles belong to the whole server, so the group roles are
-- named after the database: <db>_owner, <db>_manager, <db>_member (NOLOGIN;
-- created by team.rs before this file runs). Each person who connects has a
-- login role of their own (default name <db>_<name>), member of exactly one
-- group, and a row in billable_team.logins linking it to their `members`
-- row. The member of a connection is the member whose login is
-- session_user (not current_user: inside a SECURITY DEFINER function
-- current_user is the function's owner).
--
-- * owner   (the login that owns the tables, any superuser, and members of
--            <db>_owner): everything. Owner logins made by `team member add
--            --role owner` also get CREATEROLE, which managing members needs.
-- * manager: reads and writes every table of the books (invoices, payments,
--            rates, everyone's time) but only reads `members` and the team
--            tables: a manager cannot add, change or remove members.
-- * member:  no privilege on any table of the books but these:
--              time_entries   SELECT on every column but `rate` and
--                             `import_hash`; INSERT/UPDATE of the columns a
--                             person tracking time sets; DELETE. Row-level
--                             security: only rows whose member_id is theirs;
--                             new or changed rows only on projects they are
--                             on, never approved; billed rows frozen.
--              running_timers all four, row-level security as above: every
--                             member has their own timer, and several run at
--                             once.
--              billable_books SELECT (the schema version).
--            Everything else the member's app reads comes from the schema
--            billable_member, first on the member's search_path (ALTER ROLE
--            … IN DATABASE … SET search_path, which team.rs sets per login:
--            settings of a group role are not inherited). Its views have
--            the names of the books' tables, so the store's SQL runs
--            unchanged, and hide what a member may not see:
--              members            their own row, default_rate NULL
--              projects           the projects they are on (assigned in
--                                 billable_team.project_members, or with
--                                 time of theirs), rate and budget NULL
--              clients            the clients of those projects, rate NULL
--              client_tax_rates   of those clients
--              tasks              of those projects, rate NULL
--              business           the business, default rate and bank
--                                 details blank
--              time_entries       the table through the member's own rights
--                                 (security_invoker, so the policies above
--                                 apply), rate and import_hash NULL
--              project_worked_values  no rows: a member sees no budgets,
--                                 so their app prices and keeps none (the
--                                 value of the time on a project is money
--                                 at rates they may not see). Their time's
--                                 triggers still take the kept value of
--                                 its project away (as the rollups' owner),
--                                 and the next write of an owner or a
--                                 manager, or a read, prices it again.
--            The reference views are security_barrier views with the
--            owner's rights, so the member needs no privilege on the base
--            tables (a query of public.invoices, public.payments,
--            public.projects … is refused with "permission denied").
--            Their columns are generated from the catalog each time this
--            file runs: hidden columns read NULL (or '' / 0 where the column
--            is NOT NULL), every other column as stored. A migration that
--            adds a money column to one of these tables must add it to the
--            hidden list below.
--
-- Writes of a member's time go through INSTEAD OF triggers on
-- billable_member.time_entries (the store writes `rate` with every entry,
-- and a column computed as NULL cannot be written through a view): the
-- trigger refuses a rate, billing, or an approval, then writes the columns a
-- member may write with the member's own rights, so the grants and policies
-- decide. Its functions are SECURITY INVOKER with a pinned search_path.
--
-- The triggers of time_entries that keep the rollups (time_daily,
-- time_unbilled, time_worked, invoice_projects) are made SECURITY DEFINER,
-- owned by the books' owner, with search_path pinned to the books' schema:
-- a member may not write the rollups, yet their time must be counted (see
-- the note on trigger rights in pg/0001_books.sql).
--
-- Database connections: CONNECT and TEMPORARY are taken from PUBLIC and
-- given to the three groups, so a login of other books on the same server
-- cannot even connect to these.

CREATE SCHEMA IF NOT EXISTS billable_team;

CREATE TABLE IF NOT EXISTS billable_team.logins (
    login       TEXT COLLATE "C" PRIMARY KEY,
    member_id   BIGINT NOT NULL UNIQUE REFERENCES @books@.members(id),
    role        TEXT COLLATE "C" NOT NULL CHECK (role IN ('owner','manager','member')),
    active      BIGINT NOT NULL DEFAULT 1 CHECK (active IN (0,1)),
    created_at  BIGINT NOT NULL
);

CREATE TABLE IF NOT EXISTS billable_team.project_members (
    project_id  BIGINT NOT NULL REFERENCES @books@.projects(id) ON DELETE CASCADE,
    member_id   BIGINT NOT NULL REFERENCES @books@.members(id),
    PRIMARY KEY (project_id, member_id)
);
CREATE INDEX IF NOT EXISTS project_members_member ON billable_team.project_members (member_id);

-- The member of this connection: NULL for a login without one (the owner
-- who made the books, a superuser).
CREATE OR REPLACE FUNCTION billable_team.my_member_id() RETURNS BIGINT
    LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
    SELECT l.member_id FROM billable_team.logins l WHERE l.login = session_user AND l.active = 1
$$;

-- Whether this connection's member is on project p.
CREATE OR REPLACE FUNCTION billable_team.on_project(p BIGINT) RETURNS BOOLEAN
    LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
    SELECT EXISTS (SELECT 1 FROM billable_team.project_members m
                   WHERE m.project_id = p AND m.member_id = billable_team.my_member_id())
$$;

-- Whether time entry e exists at all (a member sees only their own): tells
-- "another member's entry" from "no such entry", and nothing more.
CREATE OR REPLACE FUNCTION billable_team.entry_exists(e BIGINT) RETURNS BOOLEAN
    LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
    SELECT EXISTS (SELECT 1 FROM @books@.time_entries t WHERE t.id = e)
$$;

-- The role of this connection in these books: owner, manager, member, or
-- NULL for a login that has none.
CREATE OR REPLACE FUNCTION billable_team.my_role() RETURNS TEXT
    LANGUAGE sql STABLE SET search_path = pg_catalog, pg_temp AS $$
    SELECT CASE
        WHEN r.rolsuper OR pg_has_role(r.oid, @owner_name@, 'MEMBER')
          OR EXISTS (SELECT 1 FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
                     WHERE n.nspname = @books_name@ AND c.relname = 'billable_books'
                       AND pg_has_role(r.oid, c.relowner, 'MEMBER')) THEN 'owner'
        WHEN pg_has_role(r.oid, @manager_name@, 'MEMBER') THEN 'manager'
        WHEN pg_has_role(r.oid, @member_name@, 'MEMBER') THEN 'member'
    END
    FROM pg_roles r WHERE r.rolname = session_user
$$;

-- Creates billable_member.<tbl>: every column of @books@.<tbl> in order,
-- those in `hidden` as NULL ('' or 0 when the column is NOT NULL), rows
-- narrowed by `filter` (a condition on the row `t`); with the owner's
-- rights as a security barrier, or with `invoker` the reader's own.
CREATE OR REPLACE FUNCTION billable_team.member_view(tbl TEXT, hidden TEXT[], filter TEXT, invoker BOOLEAN)
    RETURNS void LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    cols TEXT;
BEGIN
    SELECT string_agg(
             CASE
               WHEN a.attname <> ALL (hidden) THEN format('t.%I', a.attname)
               WHEN NOT a.attnotnull THEN format('NULL::%s AS %I', format_type(a.atttypid, a.atttypmod), a.attname)
               WHEN a.atttypid = 'text'::regtype THEN format('%L::text COLLATE "C" AS %I', '', a.attname)
               ELSE format('0::%s AS %I', format_type(a.atttypid, a.atttypmod), a.attname)
             END, ', ' ORDER BY a.attnum)
      INTO cols
      FROM pg_attribute a
     WHERE a.attrelid = format('%I.%I', @books_name@, tbl)::regclass AND a.attnum > 0 AND NOT a.attisdropped;
    EXECUTE format('CREATE VIEW billable_member.%I WITH (%s) AS SELECT %s FROM %I.%I t%s',
                   tbl, CASE WHEN invoker THEN 'security_invoker = true' ELSE 'security_barrier = true' END,
                   cols, @books_name@, tbl, COALESCE(' WHERE ' || filter, ''));
END $$;

-- The members' schema is made anew each time: its views follow the tables.
DROP SCHEMA IF EXISTS billable_member CASCADE;
CREATE SCHEMA billable_member;

SELECT billable_team.member_view('members', '{default_rate}', 't.id = billable_team.my_member_id()', false);
SELECT billable_team.member_view('projects', '{rate,budget}',
    'billable_team.on_project(t.id) OR EXISTS (SELECT 1 FROM @books@.time_entries e
        WHERE e.project_id = t.id AND e.member_id = billable_team.my_member_id())', false);
SELECT billable_team.member_view('clients', '{rate}',
    't.id IN (SELECT p.client_id FROM billable_member.projects p)', false);
SELECT billable_team.member_view('client_tax_rates', '{}',
    't.client_id IN (SELECT c.id FROM billable_member.clients c)', false);
SELECT billable_team.member_view('tasks', '{rate}',
    't.project_id IN (SELECT p.id FROM billable_member.projects p)', false);
SELECT billable_team.member_view('business', '{default_rate,bank_name,iban,bic,payment_link}', NULL, false);
SELECT billable_team.member_view('time_entries', '{rate,import_hash}', NULL, true);
SELECT billable_team.member_view('project_worked_values', '{}', 'false', false);

CREATE FUNCTION billable_member.time_entry_insert() RETURNS trigger
    LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
BEGIN
    IF NEW.rate IS NOT NULL THEN
        RAISE EXCEPTION 'a team member cannot set the rate of their time' USING ERRCODE = 'insufficient_privilege';
    END IF;
    IF NEW.invoice_id IS NOT NULL OR NEW.invoice_line_id IS NOT NULL OR NEW.billed_outside IS NOT NULL THEN
        RAISE EXCEPTION 'a team member cannot bill time' USING ERRCODE = 'insufficient_privilege';
    END IF;
    IF NEW.approval IN ('approved', 'rejected') THEN
        RAISE EXCEPTION 'a team member cannot approve or reject time' USING ERRCODE = 'insufficient_privilege';
    END IF;
    INSERT INTO @books@.time_entries (member_id, client_id, project_id, task_id, work_date, start_at, end_at,
                                      seconds, description, billable, created_at, approval, approval_reason)
    VALUES (NEW.member_id, NEW.client_id, NEW.project_id, NEW.task_id, NEW.work_date, NEW.start_at, NEW.end_at,
            NEW.seconds, COALESCE(NEW.description, ''), COALESCE(NEW.billable, 1), NEW.created_at, NEW.approval,
            COALESCE(NEW.approval_reason, ''))
    RETURNING id INTO NEW.id;
    RETURN NEW;
END $$;
CREATE TRIGGER time_entry_insert INSTEAD OF INSERT ON billable_member.time_entries
    FOR EACH ROW EXECUTE FUNCTION billable_member.time_entry_insert();

CREATE FUNCTION billable_member.time_entry_update() RETURNS trigger
    LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
BEGIN
    IF NEW.rate IS NOT NULL THEN
        RAISE EXCEPTION 'a team member cannot set the rate of their time' USING ERRCODE = 'insufficient_privilege';
    END IF;
    IF NEW.invoice_id IS DISTINCT FROM OLD.invoice_id OR NEW.invoice_line_id IS DISTINCT FROM OLD.invoice_line_id
       OR NEW.billed_outside IS DISTINCT FROM OLD.billed_outside THEN
        RAISE EXCEPTION 'a team member cannot bill time' USING ERRCODE = 'insufficient_privilege';
    END IF;
    IF NEW.approval IS DISTINCT FROM OLD.approval AND NEW.approval IN ('approved', 'rejected') THEN
        RAISE EXCEPTION 'a team member cannot approve or reject time' USING ERRCODE = 'insufficient_privilege';
    END IF;
    IF ROW(NEW.*) IS NOT DISTINCT FROM ROW(OLD.*) THEN
        RETURN NEW;
    END IF;
    -- Changed time is never billed as approved (the rule of
    -- app::time::edit_entry): an approved entry that changes goes back to
    -- not submitted in the same statement, as the policies require.
    IF OLD.approval = 'approved' AND NEW.approval = 'approved' THEN
        NEW.approval := NULL;
        NEW.approval_reason := '';
    END IF;
    UPDATE @books@.time_entries t
       SET member_id = NEW.member_id, client_id = NEW.client_id, project_id = NEW.project_id, task_id = NEW.task_id,
           work_date = NEW.work_date, start_at = NEW.start_at, end_at = NEW.end_at, seconds = NEW.seconds,
           description = NEW.description, billable = NEW.billable, approval = NEW.approval,
           approval_reason = NEW.approval_reason
     WHERE t.id = OLD.id;
    IF NOT FOUND THEN
        RETURN NULL;
    END IF;
    RETURN NEW;
END $$;
CREATE TRIGGER time_entry_update INSTEAD OF UPDATE ON billable_member.time_entries
    FOR EACH ROW EXECUTE FUNCTION billable_member.time_entry_update();

-- The rollups of time_entries are kept with the owner's rights.
DO $$
DECLARE
    f REGPROCEDURE;
BEGIN
    FOR f IN SELECT DISTINCT t.tgfoid::regprocedure FROM pg_trigger t
              WHERE t.tgrelid = format('%I.time_entries', @books_name@)::regclass AND NOT t.tgisinternal LOOP
        EXECUTE format('ALTER FUNCTION %s SECURITY DEFINER SET search_path = %I, pg_temp', f, @books_name@);
    END LOOP;
END $$;

-- ---- privileges ---------------------------------------------------------------------

REVOKE ALL ON DATABASE @db@ FROM PUBLIC;
GRANT CONNECT, TEMPORARY ON DATABASE @db@ TO @owner@, @manager@, @member@;
GRANT USAGE ON SCHEMA @books@, billable_team, billable_member TO @owner@, @manager@, @member@;
REVOKE ALL ON ALL FUNCTIONS IN SCHEMA billable_team FROM PUBLIC;
GRANT EXECUTE ON FUNCTION billable_team.my_member_id(), billable_team.on_project(BIGINT),
    billable_team.entry_exists(BIGINT), billable_team.my_role() TO @owner@, @manager@, @member@;

-- Owners: everything.
GRANT ALL ON ALL TABLES IN SCHEMA @books@ TO @owner@;
GRANT ALL ON ALL SEQUENCES IN SCHEMA @books@ TO @owner@;
GRANT ALL ON ALL TABLES IN SCHEMA billable_team TO @owner@;
GRANT SELECT ON ALL TABLES IN SCHEMA billable_member TO @owner@;

-- Managers: every table of the books, members and the team read-only.
GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA @books@ TO @manager@;
REVOKE INSERT, UPDATE, DELETE, TRUNCATE ON @books@.members FROM @manager@;
GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA @books@ TO @manager@;
GRANT SELECT ON ALL TABLES IN SCHEMA billable_team TO @manager@;
REVOKE INSERT, UPDATE, DELETE, TRUNCATE ON ALL TABLES IN SCHEMA billable_team FROM @manager@;

-- Members: their time and timer, the version, and their views.
REVOKE ALL ON ALL TABLES IN SCHEMA @books@ FROM @member@;
REVOKE ALL ON ALL TABLES IN SCHEMA billable_team FROM @member@;
GRANT SELECT ON @books@.billable_books TO @member@;
DO $$
BEGIN
    EXECUTE (SELECT format('GRANT SELECT (%s) ON %I.time_entries TO %I',
                           string_agg(quote_ident(a.attname), ', ' ORDER BY a.attnum), @books_name@, @member_name@)
               FROM pg_attribute a
              WHERE a.attrelid = format('%I.time_entries', @books_name@)::regclass AND a.attnum > 0
                AND NOT a.attisdropped AND a.attname NOT IN ('rate', 'import_hash'));
END $$;
GRANT INSERT (member_id, client_id, project_id, task_id, work_date, start_at, end_at, seconds, description, billable,
              created_at, approval, approval_reason) ON @books@.time_entries TO @member@;
GRANT UPDATE (member_id, client_id, project_id, task_id, work_date, start_at, end_at, seconds, description, billable,
              approval, approval_reason) ON @books@.time_entries TO @member@;
GRANT DELETE ON @books@.time_entries TO @member@;
DO $$
BEGIN
    EXECUTE format('GRANT USAGE ON SEQUENCE %s TO %I',
                   pg_get_serial_sequence(format('%I.time_entries', @books_name@), 'id'), @member_name@);
END $$;
GRANT SELECT, INSERT, UPDATE, DELETE ON @books@.running_timers TO @member@;
GRANT SELECT ON ALL TABLES IN SCHEMA billable_member TO @member@;
GRANT INSERT, UPDATE, DELETE ON billable_member.time_entries TO @member@;

-- ---- row-level security ---------------------------------------------------------------
--
-- The table's owner and superusers are not held to policies; owners and
-- managers by role see and change every row; a member only their own.

ALTER TABLE @books@.time_entries ENABLE ROW LEVEL SECURITY;
DROP POLICY IF EXISTS team_all ON @books@.time_entries;
CREATE POLICY team_all ON @books@.time_entries TO @owner@, @manager@ USING (true) WITH CHECK (true);
-- A member reads their own rows; adds and changes them only unbilled, on
-- their projects, and never approved (approval is a manager's): these hold
-- for psql on the table itself, not only for the app's path through the
-- view. Billed time is frozen for them.
DROP POLICY IF EXISTS own_time ON @books@.time_entries;
DROP POLICY IF EXISTS own_time_read ON @books@.time_entries;
CREATE POLICY own_time_read ON @books@.time_entries FOR SELECT TO @member@
    USING (member_id = billable_team.my_member_id());
DROP POLICY IF EXISTS own_time_add ON @books@.time_entries;
CREATE POLICY own_time_add ON @books@.time_entries FOR INSERT TO @member@
    WITH CHECK (member_id = billable_team.my_member_id() AND billable_team.on_project(project_id)
                AND invoice_id IS NULL AND approval IS DISTINCT FROM 'approved');
DROP POLICY IF EXISTS own_time_change ON @books@.time_entries;
CREATE POLICY own_time_change ON @books@.time_entries FOR UPDATE TO @member@
    USING (member_id = billable_team.my_member_id() AND invoice_id IS NULL)
    WITH CHECK (member_id = billable_team.my_member_id() AND billable_team.on_project(project_id)
                AND invoice_id IS NULL AND approval IS DISTINCT FROM 'approved');
DROP POLICY IF EXISTS own_time_remove ON @books@.time_entries;
CREATE POLICY own_time_remove ON @books@.time_entries FOR DELETE TO @member@
    USING (member_id = billable_team.my_member_id() AND invoice_id IS NULL);

ALTER TABLE @books@.running_timers ENABLE ROW LEVEL SECURITY;
DROP POLICY IF EXISTS team_all ON @books@.running_timers;
CREATE POLICY team_all ON @books@.running_timers TO @owner@, @manager@ USING (true) WITH CHECK (true);
DROP POLICY IF EXISTS own_timer ON @books@.running_timers;
CREATE POLICY own_timer ON @books@.running_timers TO @member@
    USING (member_id = billable_team.my_member_id())
    WITH CHECK (member_id = billable_team.my_member_id() AND billable_team.on_project(project_id));
