//! The command line's shape. Every flag is documented here, with examples.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

#[derive(Debug, Parser)]
#[command(
    name = "billable",
    version,
    about = "Billable: track time, invoice it, and follow every invoice until it is paid — offline.",
    long_about = "Billable keeps your books in one SQLite file on this machine. Every operation of the desktop \
app is available here, so everything can be scripted.\n\nQuick start:\n  billable client add \"Acme GmbH\" --currency EUR --email billing@acme.example\n  billable project add Website --client \"Acme GmbH\" --rate 120\n  billable timer start --project Website -d \"Homepage layout\"\n  billable timer stop\n  billable time unbilled --client \"Acme GmbH\"\n  billable invoice from-time --client \"Acme GmbH\" --group task\n  billable payment add INV-2026-0001 --amount 500"
)]
pub struct Cli {
    /// The books to use: a SQLite file, or team books on PostgreSQL
    /// (postgres://user@host/dbname). Default: billable.db in your user data folder.
    #[arg(long, global = true, env = "BILLABLE_DB", value_name = "PATH|URL")]
    pub db: Option<PathBuf>,
    /// Print machine-readable JSON (decimals as strings) instead of tables.
    #[arg(long, global = true)]
    pub json: bool,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Your business profile: who invoices are from, defaults for new invoices.
    #[command(subcommand)]
    Business(BusinessCmd),
    /// Clients you bill.
    #[command(subcommand)]
    Client(ClientCmd),
    /// Projects of a client: how they are billed and at what rate.
    #[command(subcommand)]
    Project(ProjectCmd),
    /// Tasks within a project (optional; may carry their own rate).
    #[command(subcommand)]
    Task(TaskCmd),
    /// Team members who track time.
    #[command(subcommand)]
    Member(MemberCmd),
    /// Tax rates offered on invoices.
    #[command(subcommand)]
    Tax(TaxCmd),
    /// Saved items: products and services to add to invoices as lines (`invoice line add --item`).
    #[command(subcommand)]
    Item(ItemCmd),
    /// Expenses: money spent (net of tax), maybe billable to a client, with a receipt.
    #[command(subcommand)]
    Expense(ExpenseCmd),
    /// The running timer (one per team member; survives restarts).
    #[command(subcommand)]
    Timer(TimerCmd),
    /// Time entries: add, edit, list, and see what is not billed yet.
    #[command(subcommand)]
    Time(TimeCmd),
    /// Invoices: create by hand or from time, edit drafts, issue, cancel, list.
    #[command(subcommand)]
    Invoice(InvoiceCmd),
    /// Estimates (quotes): create, send, accept or decline, and convert into invoices — in full, or a
    /// deposit first and then the final invoice that deducts it.
    #[command(subcommand)]
    Estimate(EstimateCmd),
    /// Payments received against invoices.
    #[command(subcommand)]
    Payment(PaymentCmd),
    /// A client's credit: what they paid beyond what they owed — apply it to
    /// an invoice or pay it back.
    #[command(subcommand)]
    Credit(CreditCmd),
    /// Reports: time, revenue, aging and unbilled work — as a table, CSV or JSON.
    #[command(subcommand)]
    Report(ReportCmd),
    /// Import time entries from Toggl Track, Clockify, Harvest or a generic CSV, or the projects
    /// and clients of Toggl Track and Harvest (with their rates).
    ///
    /// Clients, projects, tasks and team members are matched by name (ignoring case) or created.
    /// Importing the same file again creates nothing new. A bad row is reported with its line and
    /// column, and then nothing is imported. Columns may be separated by commas, semicolons or tabs;
    /// numbers are read as the file writes them (1,234.56 or 1.234,56, told from the file). Rows
    /// without time, breaks and time off are skipped and listed. Time the file marks as invoiced
    /// (an Invoiced column, an Invoice ID) is kept as invoiced outside Billable.
    ///
    /// The generic CSV has a header line with these columns (any order): date (YYYY-MM-DD,
    /// required), client (required), project (required), task, member, description, hours (decimal
    /// hours such as 1.5, or 1:30 / 01:30:00) or start and end (HH:MM), billable (yes/no, true/false,
    /// 1/0; default yes), rate (a decimal hourly rate for that entry).
    ///
    /// Projects and clients: Toggl Track's projects export (project or name, client, billable,
    /// hourly rate, currency, fixed fee…) and clients export, Harvest's clients export (client
    /// name, address, currency) and projects export (client, project, project type or bill by,
    /// project hourly rate, budget by, budget or fee, currency such as "Euro - EUR"). A project's
    /// hourly rate, billing type (hourly or fixed fee) and budget in money are kept on the project,
    /// its currency on its client; budgets in hours, codes, colours, dates and notes are not kept
    /// (the result names those columns). New records take the file's active or archived state.
    ///
    /// For a client or project that exists already, a field it has no value for is filled from the
    /// file; a field with a different value is kept as it is, and the difference is listed as a
    /// conflict (change it by hand if the file is right). Its archived state is left alone. A
    /// project's billing type counts as unset while it is hourly with neither rate nor budget; a
    /// project whose currency differs from its client's brings no rate or budget (listed).
    /// Importing the same file again changes nothing. Import projects before their time: time
    /// without rate columns is then billed at the projects' rates.
    ///
    /// Example: billable import ~/Downloads/Toggl_time_entries_2026-01-01_to_2026-03-31.csv --dry-run
    ///
    /// Example: billable import harvest_time_report.csv --source harvest
    ///
    /// Example: billable import Toggl_projects.csv --dry-run
    ///
    /// Expenses: billable import expenses FILE reads a CSV with the columns date (required), amount
    /// (required, net of tax), currency (default: the client's, else the business's), category,
    /// vendor, note, client, project (names or ids of records in the books), billable (yes/no;
    /// default no), and optionally markup (percent) and tax (a tax rate's name or id). A bad row is
    /// reported with its line and column and nothing is imported; importing the same file again
    /// creates nothing new.
    ///
    /// Example: billable import expenses expenses.csv --dry-run
    Import {
        /// The CSV file (or the word expenses, then the file).
        file: PathBuf,
        /// The expense CSV, after `expenses`.
        #[arg(value_name = "EXPENSES_FILE")]
        expenses_file: Option<PathBuf>,
        /// toggl, clockify, harvest or generic (time); toggl-projects, toggl-clients,
        /// harvest-clients or harvest-projects (projects and clients). Default: recognised from
        /// the header.
        #[arg(long)]
        source: Option<String>,
        /// Show what would be created or filled in (entries, clients, projects, tasks, members,
        /// the first rows; for projects and clients also the conflicts) without writing anything.
        #[arg(long)]
        dry_run: bool,
        /// Read dates like 03/04/2026 as day/month/year (default: month/day/year, as the vendors export).
        #[arg(long)]
        day_first: bool,
        /// The client for rows without one (e.g. Toggl projects, or their time, that have no client).
        #[arg(long, value_name = "NAME")]
        default_client: Option<String>,
        /// The project for rows without one (e.g. Toggl time tracked without a project).
        #[arg(long, value_name = "NAME")]
        default_project: Option<String>,
        /// The time zone the file's times are local to, such as Europe/Berlin (default: this
        /// computer's).
        #[arg(long, value_name = "ZONE")]
        time_zone: Option<String>,
    },
    /// Export time entries or invoices as CSV, the whole books as JSON, or invoices for Xero.
    #[command(subcommand)]
    Export(ExportCmd),
    /// Xero: account codes for exported invoice lines (task → project → default).
    #[command(subcommand)]
    Xero(XeroCmd),
    /// Backups of the books: create, list, restore, check, settings.
    #[command(subcommand)]
    Backup(BackupCmd),
    /// Team books: one set of books on PostgreSQL that every member's app works on.
    #[command(subcommand)]
    Team(TeamCmd),
    /// Recurring invoices: profiles made from an invoice, generated on their schedule.
    #[command(subcommand)]
    Recurring(RecurringCmd),
    /// Credit notes: the correction of issued invoices, with refunds.
    #[command(subcommand)]
    CreditNote(CreditNoteCmd),
    /// Email settings (SMTP; the password lives in the OS keyring), connection test and templates.
    #[command(subcommand)]
    Mail(MailCmd),
    /// Emails waiting to go out, sent, or failed: list, retry, cancel.
    #[command(subcommand)]
    Outbox(OutboxCmd),
    /// Payment reminders: run them (for cron, launchd or Task Scheduler) and set their schedule.
    #[command(subcommand)]
    Reminders(RemindersCmd),
    /// Tools for developing and measuring Billable (they never touch your books).
    #[command(subcommand)]
    Dev(DevCmd),
    /// Everything that falls due on its own: recurring invoices, reminders, the outbox, the daily backup.
    #[command(subcommand)]
    Scheduled(ScheduledCmd),
}

/// Scheduled work (the desktop app does this itself every minute while open).
#[derive(Debug, Subcommand)]
pub enum ScheduledCmd {
    /// Run what is due now: generate recurring invoices, queue due reminders
    /// (when email is set up), send the outbox's waiting emails and make the
    /// daily automatic backup. For cron, launchd or Task Scheduler.
    ///
    /// Example: billable scheduled run
    Run,
}

// ---- business ---------------------------------------------------------------

#[derive(Debug, Subcommand)]
pub enum BusinessCmd {
    /// Show the business profile.
    Show,
    /// Change the business profile; only the flags given change.
    ///
    /// Example: billable business set --name "Studio Nord" --country DE --currency EUR --terms 14 --rate 95
    ///
    /// Example: billable business set --street "Hauptstr. 5" --postcode 10115 --city Berlin --vat-id DE123456789 --locale de-DE --paper a4 --template classic
    Set(Box<BusinessArgs>),
}

#[derive(Debug, Args)]
pub struct BusinessArgs {
    /// Legal name shown on invoices.
    #[arg(long)]
    pub name: Option<String>,
    /// Postal address (use \n for line breaks).
    #[arg(long)]
    pub address: Option<String>,
    /// Two-letter country code, e.g. DE.
    #[arg(long)]
    pub country: Option<String>,
    /// VAT or tax id, e.g. DE123456789.
    #[arg(long)]
    pub tax_id: Option<String>,
    /// Contact email shown on invoices.
    #[arg(long)]
    pub email: Option<String>,
    /// Contact phone.
    #[arg(long)]
    pub phone: Option<String>,
    /// Bank name for payment details.
    #[arg(long)]
    pub bank_name: Option<String>,
    /// IBAN (checked), e.g. DE89370400440532013000.
    #[arg(long)]
    pub iban: Option<String>,
    /// BIC / SWIFT code, e.g. COBADEFFXXX.
    #[arg(long)]
    pub bic: Option<String>,
    /// A payment link printed on invoices.
    #[arg(long)]
    pub payment_link: Option<String>,
    /// Default currency (ISO 4217), e.g. EUR.
    #[arg(long)]
    pub currency: Option<String>,
    /// Default payment terms in days, e.g. 30.
    #[arg(long, value_name = "DAYS", allow_hyphen_values = true)]
    pub terms: Option<String>,
    /// Logo file (PNG or JPEG); empty to remove.
    #[arg(long)]
    pub logo: Option<String>,
    /// Default hourly rate when nothing more specific is set; empty to remove.
    #[arg(long, allow_hyphen_values = true)]
    pub rate: Option<String>,
    /// Default time rounding: none, up:15, down:15, nearest:6 …
    #[arg(long)]
    pub rounding: Option<String>,
    /// Invoice number pattern, e.g. "INV-{YYYY}-{SEQ:4}" ({YYYY} {YY} {MM} {DD} {SEQ} {SEQ:n}).
    #[arg(long)]
    pub number_pattern: Option<String>,
    /// Default tax mode for new invoices: summary or inline.
    #[arg(long)]
    pub tax_mode: Option<String>,
    /// Default notes on new invoices.
    #[arg(long)]
    pub notes: Option<String>,
    /// Default terms text on new invoices.
    #[arg(long)]
    pub terms_text: Option<String>,
    /// Street and house number (structured address for e-invoices).
    #[arg(long)]
    pub street: Option<String>,
    /// Postcode, e.g. 10115.
    #[arg(long)]
    pub postcode: Option<String>,
    /// City, e.g. Berlin.
    #[arg(long)]
    pub city: Option<String>,
    /// VAT identification number with its country prefix, e.g. DE123456789.
    #[arg(long)]
    pub vat_id: Option<String>,
    /// Peppol participant id Peppol invoices are sent from, scheme:value, e.g.
    /// 0088:4000001123452 (a GLN); empty ("") to derive it from the VAT id.
    #[arg(long, value_name = "SCHEME:ID")]
    pub peppol_id: Option<String>,
    /// Default PDF template: classic, minimal or detailed.
    #[arg(long)]
    pub template: Option<String>,
    /// Paper size: a4 or letter.
    #[arg(long)]
    pub paper: Option<String>,
    /// Language and formats of documents: en-US, en-GB, de-DE, fr-FR, es-ES, nl-NL or ja-JP.
    #[arg(long)]
    pub locale: Option<String>,
    /// Embed the e-invoice (Factur-X) in every PDF by default: on or off.
    #[arg(long, value_name = "on|off")]
    pub einvoicing: Option<String>,
    /// Signature image (PNG or JPEG) printed at the end of invoices; empty to remove.
    #[arg(long)]
    pub signature: Option<String>,
}

// ---- clients ----------------------------------------------------------------

#[derive(Debug, Subcommand)]
pub enum ClientCmd {
    /// Add a client.
    ///
    /// Example: billable client add "Acme GmbH" --email billing@acme.example --country DE --currency EUR --terms 14
    Add {
        /// The client's name (unique).
        name: String,
        #[command(flatten)]
        fields: ClientArgs,
    },
    /// Change a client; only the flags given change.
    ///
    /// Example: billable client edit "Acme GmbH" --rate 110 --rounding up:15
    ///
    /// Example: billable client edit "Acme GmbH" --street "Ringstr. 1" --postcode 50667 --city Köln --buyer-reference 04011000-1234512345-06
    ///
    /// Example (new invoices priced with tax included): billable client edit "Acme GmbH" --prices gross
    Edit {
        /// Client id or name.
        client: String,
        /// New name.
        #[arg(long)]
        name: Option<String>,
        #[command(flatten)]
        fields: ClientArgs,
    },
    /// List clients.
    List {
        /// Include archived clients.
        #[arg(long)]
        all: bool,
        /// Only names containing this text.
        #[arg(long)]
        search: Option<String>,
    },
    /// Show one client.
    Show {
        /// Client id or name.
        client: String,
    },
    /// Archive a client (hidden from pickers; history kept).
    Archive {
        /// Client id or name.
        client: String,
    },
    /// Bring an archived client back.
    Unarchive {
        /// Client id or name.
        client: String,
    },
}

#[derive(Debug, Args)]
pub struct ClientArgs {
    /// Contact person.
    #[arg(long)]
    pub contact: Option<String>,
    /// Billing email; repeat or separate with commas for several.
    #[arg(long = "email")]
    pub emails: Vec<String>,
    /// Postal address.
    #[arg(long)]
    pub address: Option<String>,
    /// Two-letter country code.
    #[arg(long)]
    pub country: Option<String>,
    /// The client's VAT or tax id.
    #[arg(long)]
    pub tax_id: Option<String>,
    /// Invoice currency (ISO 4217); empty for the business default.
    #[arg(long)]
    pub currency: Option<String>,
    /// Payment terms in days; empty for the business default.
    #[arg(long, value_name = "DAYS", allow_hyphen_values = true)]
    pub terms: Option<String>,
    /// Default tax rate id for this client's invoices; repeat for several.
    #[arg(long = "tax", value_name = "TAX_ID")]
    pub taxes: Vec<i64>,
    /// Remove the client's default tax rates.
    #[arg(long, conflicts_with = "taxes")]
    pub no_tax: bool,
    /// Time rounding for this client: none, up:15, down:15, nearest:6; empty for the default.
    #[arg(long)]
    pub rounding: Option<String>,
    /// Hourly rate for this client; empty to remove.
    #[arg(long, allow_hyphen_values = true)]
    pub rate: Option<String>,
    /// Street and house number (structured address for e-invoices).
    #[arg(long)]
    pub street: Option<String>,
    /// Postcode.
    #[arg(long)]
    pub postcode: Option<String>,
    /// City.
    #[arg(long)]
    pub city: Option<String>,
    /// The reference the client wants on invoices (BT-10), e.g. an XRechnung Leitweg-ID.
    #[arg(long)]
    pub buyer_reference: Option<String>,
    /// Peppol participant id the client receives invoices at, scheme:value, e.g.
    /// 0204:991-12345-67 or 0088:4000001123452; empty ("") to derive it from the VAT id.
    #[arg(long, value_name = "SCHEME:ID")]
    pub peppol_id: Option<String>,
    /// How this client's new invoices are priced: gross (the rates include
    /// tax; net and tax are derived per rate) or net (tax is added on top);
    /// empty ("") for no default (net).
    #[arg(long = "prices", value_name = "gross|net")]
    pub prices: Option<String>,
}

// ---- projects, tasks, members, taxes ----------------------------------------

#[derive(Debug, Subcommand)]
pub enum ProjectCmd {
    /// Add a project to a client.
    ///
    /// Example: billable project add Website --client "Acme GmbH" --rate 120 --rounding up:15
    Add {
        /// Project name (unique per client).
        name: String,
        /// Client id or name.
        #[arg(long)]
        client: String,
        #[command(flatten)]
        fields: ProjectArgs,
    },
    /// Change a project; only the flags given change.
    ///
    /// Example: billable project edit 3 --rate 135
    ///
    /// Example: billable project edit Website --approval-required yes
    Edit {
        /// The project: its name or id.
        project: String,
        /// New name.
        #[arg(long)]
        name: Option<String>,
        /// Move to another client (id or name).
        #[arg(long)]
        client: Option<String>,
        #[command(flatten)]
        fields: ProjectArgs,
    },
    /// List projects.
    List {
        /// Only this client's (id or name).
        #[arg(long)]
        client: Option<String>,
        /// Include archived projects.
        #[arg(long)]
        all: bool,
    },
    /// Archive a project.
    Archive {
        /// Project id.
        id: i64,
    },
    /// Bring an archived project back.
    Unarchive {
        /// Project id.
        id: i64,
    },
    /// How far a project is billed: the fixed fee and what remains, or the retainer's billed periods.
    ///
    /// Example: billable project billing 3
    Billing {
        /// Project id.
        id: i64,
    },
    /// Set a retainer project's period (its amount per period is the budget).
    ///
    /// Example: billable project retainer 3 --period quarterly
    Retainer {
        /// Project id.
        id: i64,
        /// weekly, monthly (default), quarterly or yearly.
        #[arg(long)]
        period: String,
    },
}

#[derive(Debug, Args)]
pub struct ProjectArgs {
    /// hourly, fixed_price or retainer.
    #[arg(long = "billing")]
    pub billing_type: Option<String>,
    /// Hourly rate; empty to remove.
    #[arg(long, allow_hyphen_values = true)]
    pub rate: Option<String>,
    /// Budget: the fixed fee, retainer amount per period, or budget for hourly work.
    #[arg(long, allow_hyphen_values = true)]
    pub budget: Option<String>,
    /// Time rounding: none, up:15, down:15, nearest:6; empty for the client's.
    #[arg(long)]
    pub rounding: Option<String>,
    /// yes: bill only approved time (hourly projects) — invoicing from time offers only entries
    /// the owner approved; no: bill all unbilled time.
    #[arg(long, value_name = "yes|no", value_parser = yes_no)]
    pub approval_required: Option<bool>,
}

/// Reads yes/no (also true/false, on/off).
pub fn yes_no(s: &str) -> Result<bool, String> {
    match s.trim().to_ascii_lowercase().as_str() {
        "yes" | "y" | "true" | "on" => Ok(true),
        "no" | "n" | "false" | "off" => Ok(false),
        other => Err(format!("'{other}' is not yes or no")),
    }
}

/// Which entries an approval step takes: a week or entry ids.
#[derive(Debug, Args)]
pub struct ApprovalArgs {
    /// The time entries' ids (instead of --week).
    #[arg(conflicts_with = "week", required_unless_present = "week")]
    pub ids: Vec<i64>,
    /// An ISO week such as 2026-W49 (or a date in it).
    #[arg(long)]
    pub week: Option<String>,
    /// The team member whose week it is: name, email or id.
    #[arg(long, requires = "week")]
    pub member: Option<String>,
}

#[derive(Debug, Subcommand)]
pub enum TaskCmd {
    /// Add a task to a project.
    ///
    /// Example: billable task add Design --project 1 --rate 140
    Add {
        /// The task's name, e.g. Design.
        name: String,
        /// The project: its name or id.
        #[arg(long)]
        project: String,
        /// Hourly rate for this task.
        #[arg(long, allow_hyphen_values = true)]
        rate: Option<String>,
    },
    /// Change a task.
    Edit {
        /// Task id.
        id: i64,
        /// New name.
        #[arg(long)]
        name: Option<String>,
        /// Hourly rate; empty to remove.
        #[arg(long, allow_hyphen_values = true)]
        rate: Option<String>,
    },
    /// List tasks.
    List {
        /// Project name or id.
        #[arg(long)]
        project: Option<String>,
        /// Archived tasks too.
        #[arg(long)]
        all: bool,
    },
    /// Archive a task.
    Archive {
        /// Task id.
        id: i64,
    },
    /// Bring an archived task back.
    Unarchive {
        /// Task id.
        id: i64,
    },
}

#[derive(Debug, Subcommand)]
pub enum TeamCmd {
    /// Create the team books' schema in an empty PostgreSQL database (or bring
    /// older team books up to date), then use them with --db URL.
    ///
    /// Example: billable team init postgres://owner@db.studio.example/books
    Init {
        /// The database: postgres://user[:password]@host[:port]/dbname
        url: String,
    },
    /// Move a books file into new team books: every client, project, entry, invoice, payment,
    /// receipt and setting, with its id, in one transaction (all or nothing), checked row by row
    /// against the file before it is committed. The file is only read. The database is prepared as
    /// `team init` does and must hold no books yet: two sets of books are never merged.
    ///
    /// Example: billable team migrate --from ~/.local/share/billable/billable.db --to postgres://owner@db.studio.example/books
    Migrate {
        /// The books file to move (it is not changed).
        #[arg(long, value_name = "FILE")]
        from: PathBuf,
        /// The empty team books: postgres://user[:password]@host[:port]/dbname
        #[arg(long, value_name = "URL")]
        to: String,
    },
    /// Who is connected to the books (with --db): role and team member.
    Whoami,
    /// Change the password of the login the team books are opened with (--db URL). The new
    /// password (at least 12 characters) is read from standard input, or asked at the prompt;
    /// connections open now stay open, the next ones need it.
    ///
    /// Example: printf '%s' 'a-new-long-password' | billable --db postgres://ana@db.studio.example/books team password
    Password,
    /// Members of team books and their roles, enforced by PostgreSQL: an
    /// owner does everything, a manager sees and invoices everything, a
    /// member tracks and edits only their own time on their projects.
    #[command(subcommand)]
    Member(TeamMemberCmd),
}

#[derive(Debug, Subcommand)]
pub enum TeamMemberCmd {
    /// Add a member: their database login in the role's group, and how they connect.
    ///
    /// Example: billable --db postgres://owner@db/books team member add "Ana Lima" --email ana@studio.example --project Website
    Add {
        /// Full name; an existing team member of that name without a login gets it.
        name: String,
        /// Email address.
        #[arg(long)]
        email: Option<String>,
        /// owner, manager or member.
        #[arg(long, default_value = "member")]
        role: String,
        /// Database login (default: <database>_<name>).
        #[arg(long)]
        login: Option<String>,
        /// Their password, at least 12 characters (default: one is generated and shown once).
        #[arg(long)]
        password: Option<String>,
        /// A project they are on (name or id); repeat for several.
        #[arg(long = "project")]
        projects: Vec<String>,
    },
    /// List the members who have a login, with role and projects.
    List,
    /// Give a member another role (from their next connection on).
    Role {
        /// Team member name, email or id.
        member: String,
        /// owner, manager or member.
        #[arg(long)]
        role: String,
    },
    /// Put a member on projects, or take them off.
    Projects {
        /// Team member name, email or id.
        member: String,
        /// A project to put them on (name or id); repeatable.
        #[arg(long)]
        add: Vec<String>,
        /// A project to take them off (name or id); repeatable.
        #[arg(long)]
        remove: Vec<String>,
    },
    /// Remove a member: their login can no longer connect; their time entries stay.
    Remove {
        /// Team member name, email or id.
        member: String,
    },
}

#[derive(Debug, Subcommand)]
pub enum MemberCmd {
    /// Add a team member.
    ///
    /// Example: billable member add "Ana Lima" --email ana@studio.example --rate 90
    Add {
        /// Full name, as shown on timesheets and reports.
        name: String,
        /// Email address.
        #[arg(long)]
        email: Option<String>,
        /// Default hourly rate.
        #[arg(long, allow_hyphen_values = true)]
        rate: Option<String>,
    },
    /// Change a team member.
    Edit {
        /// Team member id.
        id: i64,
        /// New name.
        #[arg(long)]
        name: Option<String>,
        /// Email address.
        #[arg(long)]
        email: Option<String>,
        /// Default hourly rate; empty to remove.
        #[arg(long, allow_hyphen_values = true)]
        rate: Option<String>,
    },
    /// List team members.
    List {
        /// Archived members too.
        #[arg(long)]
        all: bool,
    },
    /// Archive a team member.
    Archive {
        /// Team member id.
        id: i64,
    },
    /// Bring an archived team member back.
    Unarchive {
        /// Team member id.
        id: i64,
    },
}

#[derive(Debug, Subcommand)]
pub enum TaxCmd {
    /// Add a tax rate.
    ///
    /// Example: billable tax add "VAT 19%" --percent 19
    ///
    /// Example: billable tax add "Exempt" --percent 0 --category E --reason "Art. 132 VAT Directive"
    Add {
        /// Name shown on invoices, e.g. "VAT 19%".
        name: String,
        /// Percentage, e.g. 19 or 5.5.
        #[arg(long, allow_hyphen_values = true)]
        percent: String,
        /// S standard, Z zero, E exempt, AE reverse charge, K intra-community, G export, O outside scope.
        #[arg(long)]
        category: Option<String>,
        /// Exemption reason (required for E).
        #[arg(long)]
        reason: Option<String>,
    },
    /// Change a tax rate (issued invoices keep the rate they were issued with).
    Edit {
        /// Tax rate id.
        id: i64,
        /// New name.
        #[arg(long)]
        name: Option<String>,
        /// Percentage, e.g. 19 or 5.5.
        #[arg(long, allow_hyphen_values = true)]
        percent: Option<String>,
        /// S standard, Z zero, E exempt, AE reverse charge, K intra-community, G export, O outside scope.
        #[arg(long)]
        category: Option<String>,
        /// Exemption reason (required for E).
        #[arg(long)]
        reason: Option<String>,
    },
    /// List tax rates.
    List {
        /// Archived tax rates too.
        #[arg(long)]
        all: bool,
    },
    /// Archive a tax rate.
    Archive {
        /// Tax rate id.
        id: i64,
    },
    /// Bring an archived tax rate back.
    Unarchive {
        /// Tax rate id.
        id: i64,
    },
}

/// A saved item's fields; a flag left out leaves the field as it is.
#[derive(Debug, Args, Default)]
pub struct ItemArgs {
    /// What a line made from the item says (default: the item's name).
    #[arg(long, short)]
    pub description: Option<String>,
    /// More detail printed under the line's description; write \n for a new line, "" to remove it.
    #[arg(long, visible_alias = "details", value_name = "TEXT")]
    pub long_description: Option<String>,
    /// Unit, e.g. hours, months, pcs.
    #[arg(long)]
    pub unit: Option<String>,
    /// Price per unit, an exact decimal such as 49.90, in the currency of the invoice it is used on.
    #[arg(long, allow_hyphen_values = true)]
    pub rate: Option<String>,
    /// The line's tax rate id (invoices with inline taxes), or none for the invoice's default.
    #[arg(long)]
    pub tax: Option<String>,
}

#[derive(Debug, Subcommand)]
pub enum ItemCmd {
    /// Save a product or service to pick invoice lines from.
    ///
    /// Names are unique (ignoring case) among items that are not archived.
    ///
    /// Example: billable item add Hosting --rate 49.90 --unit months -d "Managed hosting" --details "Daily backups" --tax 1
    Add {
        /// The item's name, e.g. Hosting.
        name: String,
        #[command(flatten)]
        fields: ItemArgs,
    },
    /// Change a saved item (invoices made from it keep their lines as they are).
    ///
    /// Example: billable item edit Hosting --rate 54.90
    Edit {
        /// The item's name (any case) or id.
        item: String,
        /// A new name.
        #[arg(long)]
        name: Option<String>,
        #[command(flatten)]
        fields: ItemArgs,
    },
    /// List saved items by name.
    ///
    /// Example: billable item list --search host
    List {
        /// Only items whose name, description or details contain this text (any case).
        #[arg(long, short)]
        search: Option<String>,
        /// Archived items too.
        #[arg(long)]
        all: bool,
    },
    /// Archive a saved item: it is no longer offered for new lines.
    ///
    /// Example: billable item archive Hosting
    Archive {
        /// The item's name (any case) or id.
        item: String,
    },
    /// Bring an archived item back (unless an active item has its name).
    ///
    /// Example: billable item unarchive 3
    Unarchive {
        /// The item's name (any case) or id.
        item: String,
    },
    /// Delete a saved item for good; invoices made from it stay exactly as they are.
    ///
    /// Example: billable item delete Hosting
    Delete {
        /// The item's name (any case) or id.
        item: String,
    },
}

// ---- timer and time -----------------------------------------------------------

#[derive(Debug, Subcommand)]
pub enum TimerCmd {
    /// Start the timer (a running one is stopped first and its entry saved).
    ///
    /// Example: billable timer start --project Website --task Design -d "Homepage layout"
    ///
    /// Example: billable timer start --client "Acme GmbH" --project Website
    Start {
        /// Client name or id: the project is looked for among its projects.
        #[arg(long)]
        client: Option<String>,
        /// Project name or id.
        #[arg(long)]
        project: String,
        /// Task name or id.
        #[arg(long)]
        task: Option<String>,
        /// What you are working on.
        #[arg(short, long)]
        description: Option<String>,
        /// Whose timer: team member name, email or id (default: the first team member).
        #[arg(long)]
        member: Option<String>,
        /// Track this time as non-billable.
        #[arg(long)]
        non_billable: bool,
    },
    /// Stop the timer and save its time entry.
    Stop {
        /// Team member name, email or id (default: the first team member).
        #[arg(long)]
        member: Option<String>,
    },
    /// Show the running timer and the time elapsed.
    Status {
        /// Team member name, email or id (default: the first team member).
        #[arg(long)]
        member: Option<String>,
    },
    /// Throw the running timer away without saving time.
    Discard {
        /// Team member name, email or id (default: the first team member).
        #[arg(long)]
        member: Option<String>,
    },
}

#[derive(Debug, Subcommand)]
pub enum TimeCmd {
    /// Add a time entry: start and end, or a date and hours.
    ///
    /// Example: billable time add --project Website --date 2026-03-28 --hours 2.5 -d "Client call"
    ///
    /// Example: billable time add --client "Acme GmbH" --project Website --task Design --start 2026-03-28T09:00 --end 2026-03-28T10:20
    Add {
        /// Client name or id: the project is looked for among its projects.
        #[arg(long)]
        client: Option<String>,
        /// Project name or id.
        #[arg(long)]
        project: String,
        /// Task name or id.
        #[arg(long)]
        task: Option<String>,
        #[command(flatten)]
        fields: EntryArgs,
        /// Not billable (internal work).
        #[arg(long)]
        non_billable: bool,
    },
    /// Change an unbilled time entry; only the flags given change.
    ///
    /// Example: billable time edit 12 --hours 1.75 --billable false
    Edit {
        /// Time entry id.
        id: i64,
        /// Project name or id.
        #[arg(long)]
        project: Option<String>,
        /// Task name or id; 0 removes the task.
        #[arg(long)]
        task: Option<String>,
        #[command(flatten)]
        fields: EntryArgs,
        /// true or false.
        #[arg(long)]
        billable: Option<bool>,
    },
    /// Delete an unbilled time entry.
    Delete {
        /// Time entry id.
        id: i64,
    },
    /// Mark entries as invoiced outside Billable (billed from another tool or by hand).
    ///
    /// They stay in the reports but are never offered for invoicing. Marking again changes the
    /// reference; `time unmark-invoiced` undoes it.
    ///
    /// Example: billable time mark-invoiced 12 13 14 --reference "Harvest #2041"
    MarkInvoiced {
        /// The time entries' ids.
        #[arg(required = true, num_args = 1..)]
        ids: Vec<i64>,
        /// The outside invoice's number or note (up to 200 characters).
        #[arg(long, default_value = "")]
        reference: String,
    },
    /// Take the "invoiced outside Billable" mark off entries, so they can be invoiced here again.
    ///
    /// Example: billable time unmark-invoiced 12 13 14
    UnmarkInvoiced {
        /// The time entries' ids.
        #[arg(required = true, num_args = 1..)]
        ids: Vec<i64>,
    },
    /// Submit time for the owner's approval: a member's ISO week, or chosen entries.
    ///
    /// Takes the week's time of hourly projects that is not billed and not submitted or approved
    /// yet; rejected entries are submitted again. Editing a submitted or approved entry later
    /// sends it back to not submitted.
    ///
    /// Example: billable time submit --week 2026-W49 --member Ana
    Submit {
        #[command(flatten)]
        which: ApprovalArgs,
    },
    /// Approve submitted time: a week (every member's, or one's with --member), or chosen entries.
    ///
    /// Example: billable time approve --week 2026-W49
    ///
    /// Example: billable time approve 12 13
    Approve {
        #[command(flatten)]
        which: ApprovalArgs,
    },
    /// Reject submitted (or approved, unbilled) time with a reason; it is edited and submitted again.
    ///
    /// Example: billable time reject 14 --reason "Split the call from the design work"
    Reject {
        #[command(flatten)]
        which: ApprovalArgs,
        /// Why the time is rejected (up to 500 characters).
        #[arg(long)]
        reason: String,
    },
    /// The submitted weeks waiting for approval, per member, with their totals.
    ///
    /// Example: billable time approvals
    Approvals,
    /// List time entries.
    ///
    /// Example: billable time list --client "Acme GmbH" --from 2026-03-01 --to 2026-03-31 --unbilled
    ///
    /// Example: billable time list --approval submitted
    List {
        /// Client id or name.
        #[arg(long)]
        client: Option<String>,
        /// Project name or id.
        #[arg(long)]
        project: Option<String>,
        /// Task name or id.
        #[arg(long)]
        task: Option<String>,
        /// Only this team member's time: name, email or id.
        #[arg(long)]
        member: Option<String>,
        /// Only billable entries.
        #[arg(long, conflicts_with = "non_billable")]
        billable: bool,
        /// Only non-billable entries.
        #[arg(long)]
        non_billable: bool,
        /// From this date (YYYY-MM-DD).
        #[arg(long)]
        from: Option<String>,
        /// To this date, inclusive.
        #[arg(long)]
        to: Option<String>,
        /// Only billable entries not on an invoice yet.
        #[arg(long)]
        unbilled: bool,
        /// Only entries in this approval state: none (not submitted), submitted, approved or rejected.
        #[arg(long, value_name = "none|submitted|approved|rejected")]
        approval: Option<String>,
        /// At most this many entries (the oldest first).
        #[arg(long)]
        limit: Option<u32>,
        /// Only the newest this many entries (still listed oldest first).
        #[arg(long)]
        latest: Option<u32>,
    },
    /// Unbilled billable time of a client, with hours and amounts.
    ///
    /// Example: billable time unbilled --client "Acme GmbH" --project 1
    Unbilled {
        /// Client id or name.
        #[arg(long)]
        client: String,
        /// Project name or id.
        #[arg(long)]
        project: Option<String>,
        /// From this date (YYYY-MM-DD).
        #[arg(long)]
        from: Option<String>,
        /// To this date, inclusive.
        #[arg(long)]
        to: Option<String>,
    },
}

/// The fields of a time entry shared by `time add` and `time edit`.
#[derive(Debug, Args)]
pub struct EntryArgs {
    /// Team member name, email or id (default: the first team member).
    #[arg(long)]
    pub member: Option<String>,
    /// What the time was spent on.
    #[arg(short, long)]
    pub description: Option<String>,
    /// Local start, e.g. 2026-03-28T09:00.
    #[arg(long)]
    pub start: Option<String>,
    /// Local end, e.g. 2026-03-28T10:20.
    #[arg(long)]
    pub end: Option<String>,
    /// The day of the work (default today), with --hours.
    #[arg(long)]
    pub date: Option<String>,
    /// Duration: 2.5, 2:30 or 1h20m.
    #[arg(long, allow_hyphen_values = true)]
    pub hours: Option<String>,
    /// A rate for this entry only; empty to remove it.
    #[arg(long, allow_hyphen_values = true)]
    pub rate: Option<String>,
}

// ---- invoices -----------------------------------------------------------------

#[derive(Debug, Args, Default)]
pub struct HeaderArgs {
    /// Issue date (default today).
    #[arg(long)]
    pub issue_date: Option<String>,
    /// Due date (default: issue date + payment terms).
    #[arg(long)]
    pub due_date: Option<String>,
    /// Currency (default: the client's, else the business's).
    #[arg(long)]
    pub currency: Option<String>,
    /// summary (invoice-level taxes) or inline (a tax per line).
    #[arg(long)]
    pub tax_mode: Option<String>,
    /// gross: the rates entered include tax (the total is what the lines
    /// say; net and tax are derived per rate); net: tax is added on top.
    /// Default: the client's, else net.
    #[arg(long = "prices", value_name = "gross|net")]
    pub prices: Option<String>,
    /// Invoice-level tax rate id (summary mode); repeat for several.
    #[arg(long = "tax", value_name = "TAX_ID")]
    pub taxes: Vec<i64>,
    /// No invoice-level taxes.
    #[arg(long, conflicts_with = "taxes")]
    pub no_tax: bool,
    /// Document discount: none, 10% or a fixed amount like 50.00.
    #[arg(long)]
    pub discount: Option<String>,
    /// Adjustment after tax (may be negative), e.g. -0.55.
    #[arg(long, allow_hyphen_values = true)]
    pub adjustment: Option<String>,
    /// What the adjustment is for.
    #[arg(long)]
    pub adjustment_description: Option<String>,
    /// Notes printed on the invoice, e.g. "Thank you for your business".
    #[arg(long)]
    pub notes: Option<String>,
    /// Terms text.
    #[arg(long, allow_hyphen_values = true)]
    pub terms: Option<String>,
    /// Purchase order / buyer reference.
    #[arg(long = "po")]
    pub po_number: Option<String>,
    /// Your own category for the invoice (for filtering and reports).
    #[arg(long)]
    pub category: Option<String>,
    /// A tag; repeat for several.
    #[arg(long = "tag")]
    pub tags: Vec<String>,
    /// Remove all tags.
    #[arg(long, conflicts_with = "tags")]
    pub no_tags: bool,
    /// PDF template for this invoice: classic, minimal or detailed; empty for the business default.
    #[arg(long)]
    pub template: Option<String>,
    /// Locale of this invoice's documents, e.g. de-DE; empty for the business default.
    #[arg(long)]
    pub locale: Option<String>,
    /// Early-payment discount (Skonto): PERCENT/DAYS, e.g. 2%/10 for 2 % off the total when paid within
    /// 10 days of the issue date; empty for none. A payment in time of the balance less the discount
    /// settles the invoice.
    #[arg(long, value_name = "PERCENT/DAYS")]
    pub early_discount: Option<String>,
}

#[derive(Debug, Subcommand)]
pub enum InvoiceCmd {
    /// Create a draft invoice with lines typed by hand.
    ///
    /// Lines are "DESCRIPTION|QUANTITY|RATE[|UNIT[|DISCOUNT[|TAX_ID[|DETAILS]]]]"; DETAILS is the long
    /// description printed under the line (write \n for a new line).
    ///
    /// Example: billable invoice create --client "Acme GmbH" --tax 1 --line "Logo design|1|800" --line "Hosting|12|15|months"
    ///
    /// Example (inline tax, every part): billable invoice create --client "Acme GmbH" --tax-mode inline --line "Workshop|6.5|120|hours|10%|2|Two half-day sessions on site\nwireframes and a prototype"
    ///
    /// Example (prices include tax: 119.00 at 19 % is 100.00 net + 19.00 tax): billable invoice create --client "Acme GmbH" --tax 1 --prices gross --line "Ticket|1|119"
    Create {
        /// Client id or name.
        #[arg(long)]
        client: String,
        /// A custom invoice number (must be unused).
        #[arg(long)]
        number: Option<String>,
        /// Project name or id.
        #[arg(long)]
        project: Option<String>,
        /// A line; repeat for several.
        #[arg(long = "line", value_name = "DESC|QTY|RATE[|UNIT[|DISCOUNT[|TAX[|DETAILS]]]]")]
        lines: Vec<String>,
        #[command(flatten)]
        header: HeaderArgs,
    },
    /// Create a draft invoice from unbilled time (or preview it).
    ///
    /// Example: billable invoice from-time --client "Acme GmbH" --from 2026-03-01 --to 2026-03-31 --group task --preview
    ///
    /// Example: billable invoice from-time --client "Acme GmbH" --entries 12,15,18
    FromTime {
        /// Client id or name.
        #[arg(long)]
        client: String,
        /// Bill exactly these entry ids (comma separated).
        #[arg(long, value_delimiter = ',')]
        entries: Vec<i64>,
        /// Only this project's time: project name or id.
        #[arg(long)]
        project: Option<String>,
        /// Time from this date.
        #[arg(long)]
        from: Option<String>,
        /// Time up to this date, inclusive.
        #[arg(long)]
        to: Option<String>,
        /// One line per entry, task, project or day.
        #[arg(long, default_value = "task")]
        group: String,
        /// Show the lines and totals without creating anything.
        #[arg(long)]
        preview: bool,
        /// Invoice number (default: the next one of the numbering pattern).
        #[arg(long)]
        number: Option<String>,
        /// Bill exactly these expense ids (comma separated). Default: every unbilled billable
        /// expense of the client in the invoice's currency matching --project, --from and --to
        /// (none when --entries is given).
        #[arg(long, value_delimiter = ',', conflicts_with = "no_expenses")]
        expenses: Vec<i64>,
        /// Bill time only, no expenses.
        #[arg(long)]
        no_expenses: bool,
        #[command(flatten)]
        header: HeaderArgs,
    },
    /// Bill a project by its billing type: part of a fixed fee, a retainer period, or its unbilled time.
    ///
    /// Fixed price: exactly one of --percent, --amount or --remaining; the total billed never passes the fee
    /// (cancelled and credited invoices free their part). Retainer: --period (default: the current one),
    /// billed once per period. Hourly: the project's unbilled time.
    ///
    /// Example: billable invoice from-project 3 --percent 40
    ///
    /// Example: billable invoice from-project 3 --remaining
    ///
    /// Example: billable invoice from-project 4 --period 2026-03
    FromProject {
        /// Project name or id.
        project: String,
        /// Fixed price: this percentage of the fee, e.g. 40.
        #[arg(long, allow_hyphen_values = true)]
        percent: Option<String>,
        /// Fixed price: a milestone amount, e.g. 2500.00.
        #[arg(long, allow_hyphen_values = true)]
        amount: Option<String>,
        /// Fixed price: everything not invoiced yet.
        #[arg(long)]
        remaining: bool,
        /// Retainer: 2026-03 (monthly), 2026-Q1 (quarterly), 2026 (yearly) or 2026-W09 (weekly).
        #[arg(long)]
        period: Option<String>,
        /// The line's text (default: says what is billed).
        #[arg(long, short)]
        description: Option<String>,
        /// Issue date (default today).
        #[arg(long)]
        issue_date: Option<String>,
        /// Due date (default: issue date + payment terms).
        #[arg(long)]
        due_date: Option<String>,
        /// Invoice number (default: the next one of the numbering pattern).
        #[arg(long)]
        number: Option<String>,
    },
    /// Show an invoice with lines, taxes, payments and history.
    Show {
        /// Invoice number or id.
        invoice: String,
    },
    /// List invoices.
    ///
    /// Example: billable invoice list --status overdue --sort due_date
    ///
    /// Example: billable invoice list --billing-type hourly --budget over
    List {
        /// draft, sent, partially_paid, paid, overdue or cancelled.
        #[arg(long)]
        status: Option<String>,
        /// Client id or name.
        #[arg(long)]
        client: Option<String>,
        /// Project name or id.
        #[arg(long)]
        project: Option<String>,
        /// Issued from this date.
        #[arg(long)]
        from: Option<String>,
        /// Issued up to this date.
        #[arg(long)]
        to: Option<String>,
        /// Text in the number or client name.
        #[arg(long)]
        search: Option<String>,
        /// Only invoices billing a project of this type (by its header or its time entries).
        #[arg(long, value_name = "hourly|fixed_price|retainer")]
        billing_type: Option<String>,
        /// Only invoices billing a project that is over its budget (invoiced more, net, than the
        /// budget), within it, or has none. A retainer's budget is per period: always within.
        #[arg(long, value_name = "over|within|none")]
        budget: Option<String>,
        /// number, issue_date, due_date or total.
        #[arg(long)]
        sort: Option<String>,
        /// Sort descending.
        #[arg(long)]
        desc: bool,
        /// Page to show, from 1.
        #[arg(long, default_value_t = 1)]
        page: u32,
        /// Invoices per page.
        #[arg(long, default_value_t = 50)]
        per_page: u32,
    },
    /// Add, change, remove or move lines of a draft.
    #[command(subcommand)]
    Line(LineCmd),
    /// Change header fields of a draft; on a sent or partially paid invoice, the due date alone.
    ///
    /// Example: billable invoice set INV-2026-0001 --discount 10% --adjustment -0.55 --notes "Thank you!"
    ///
    /// Example: billable invoice set INV-2026-0001 --due-date 2027-01-15
    ///
    /// Example: billable invoice set INV-2026-0001 --early-discount 2%/10
    ///
    /// Example: billable invoice set INV-2026-0001 --prices gross
    Set {
        /// Invoice number (e.g. INV-2026-0001) or id.
        invoice: String,
        /// Project name or id; 0 detaches the project.
        #[arg(long)]
        project: Option<String>,
        #[command(flatten)]
        header: HeaderArgs,
    },
    /// Copy an invoice's lines into a new draft for a client and dates.
    ///
    /// Example: billable invoice clone INV-2026-0001 --client "Beta Ltd" --issue-date 2026-04-01
    Clone {
        /// Invoice number (e.g. INV-2026-0001) or id.
        invoice: String,
        /// Client id or name (default: the same client).
        #[arg(long)]
        client: Option<String>,
        /// Issue date (default today).
        #[arg(long)]
        issue_date: Option<String>,
        /// Due date (default: issue date + payment terms).
        #[arg(long)]
        due_date: Option<String>,
    },
    /// Issue a draft: mark it sent (its lines and totals are frozen).
    MarkSent {
        /// Invoice number (e.g. INV-2026-0001) or id.
        invoice: String,
    },
    /// Set the status by hand (it must agree with the payments).
    ///
    /// Example: billable invoice status INV-2026-0001 sent
    Status {
        /// Invoice number (e.g. INV-2026-0001) or id.
        invoice: String,
        /// draft, sent, partially_paid, paid or cancelled.
        status: String,
    },
    /// Cancel an invoice without payments; its time can be billed again.
    Cancel {
        /// Invoice number (e.g. INV-2026-0001) or id.
        invoice: String,
    },
    /// Delete a draft; its time can be billed again.
    Delete {
        /// Invoice number (e.g. INV-2026-0001) or id.
        invoice: String,
    },
    /// Email invoices to the client (a draft becomes sent when the server accepts the email).
    ///
    /// Recipients default to the client's billing emails; subject and message come from the invoice
    /// template (see `billable mail template show invoice`). When the mail server cannot be reached the
    /// email waits in the outbox and is retried with back-off (`billable outbox list`). Several
    /// invoices are sent one by one and each result is reported. The invoice's PDF is attached (the
    /// Factur-X PDF when e-invoicing is on) unless --attach picks a file or --no-attach sends none.
    ///
    /// Example: billable invoice send INV-2026-0001 --attach INV-2026-0001.pdf --copy-me
    ///
    /// Example: billable invoice send INV-2026-0001 --to ap@acme.example --to cfo@acme.example --subject "Invoice {invoice_number}"
    ///
    /// Example: billable invoice send INV-2026-0001 INV-2026-0002 --no-attach
    Send {
        /// Invoice numbers or ids.
        #[arg(required = true)]
        invoices: Vec<String>,
        /// A recipient instead of the client's billing emails; repeat (or separate with commas) for several.
        #[arg(long = "to", value_name = "EMAIL")]
        to: Vec<String>,
        /// Subject instead of the template's (placeholders such as {invoice_number} allowed).
        #[arg(long)]
        subject: Option<String>,
        /// Message instead of the template's (placeholders allowed; use \n for line breaks).
        #[arg(long)]
        message: Option<String>,
        /// Attach this file byte for byte instead of the invoice's PDF; one invoice only.
        #[arg(long, value_name = "FILE", conflicts_with = "no_attach")]
        attach: Option<PathBuf>,
        /// Send no attachment.
        #[arg(long)]
        no_attach: bool,
        /// Send a blind copy to your own sender address.
        #[arg(long)]
        copy_me: bool,
    },
    /// Apply an action to several invoices; each result is reported.
    ///
    /// "send" emails each invoice to its client's billing emails with the
    /// template's subject and message and the invoice's PDF, as `invoice send` does.
    ///
    /// Example: billable invoice bulk mark-sent INV-2026-0001 INV-2026-0002
    ///
    /// Example: billable invoice bulk send INV-2026-0001 INV-2026-0002
    Bulk {
        /// mark-sent, mark-paid, send or delete.
        action: String,
        /// Invoice numbers or ids.
        #[arg(required = true)]
        invoices: Vec<String>,
    },
    /// Set the exchange rate of an invoice to your base currency (empty to clear), so money reports
    /// show a base-currency total as well: how many base units one unit of the invoice's currency is worth.
    ///
    /// Example: billable invoice exchange-rate INV-2026-0007 0.9215
    ExchangeRate {
        /// Invoice number (e.g. INV-2026-0001) or id.
        invoice: String,
        /// A decimal such as 0.9215; "" clears it.
        rate: String,
    },
    /// Write the PDF of one invoice, or of every invoice matching a filter.
    ///
    /// The template, paper size and locale come from the invoice (or the
    /// business settings); --template overrides the template for this file.
    /// --facturx embeds the CII e-invoice (Factur-X, PDF/A-3); it is on by
    /// default when the business has e-invoicing on. In batch mode (no
    /// invoice given) each PDF is named after its invoice number.
    ///
    /// Example: billable invoice pdf INV-2026-0001 --out INV-2026-0001.pdf --template detailed
    ///
    /// Example: billable invoice pdf --status sent --from 2026-01-01 --to 2026-03-31 --out-dir pdfs/
    Pdf {
        /// Invoice number or id; leave out for a batch.
        invoice: Option<String>,
        /// The file to write (one invoice).
        #[arg(long, required_unless_present = "out_dir", conflicts_with = "out_dir")]
        out: Option<std::path::PathBuf>,
        /// The folder to write into (batch; created if missing).
        #[arg(long)]
        out_dir: Option<std::path::PathBuf>,
        /// classic, minimal or detailed.
        #[arg(long)]
        template: Option<String>,
        /// Embed the e-invoice (Factur-X / ZUGFeRD, EN 16931).
        #[arg(long)]
        facturx: bool,
        /// Batch: draft, sent, partially_paid, paid, overdue or cancelled.
        #[arg(long, requires = "out_dir")]
        status: Option<String>,
        /// Batch: issued from this date (YYYY-MM-DD).
        #[arg(long, requires = "out_dir")]
        from: Option<String>,
        /// Batch: issued up to this date, inclusive.
        #[arg(long, requires = "out_dir")]
        to: Option<String>,
    },
    /// Write an invoice as a standard e-invoice XML file.
    ///
    /// cii is UN/CEFACT CII in the Factur-X / ZUGFeRD EN 16931 profile; ubl is
    /// UBL 2.1 with the Peppol BIS Billing 3.0 identifiers; xrechnung is CII
    /// for the German public sector (needs the client's Leitweg-ID as buyer
    /// reference). Missing data is listed and nothing is written.
    ///
    /// Example: billable invoice export INV-2026-0001 --format xrechnung --out INV-2026-0001.xml
    Export {
        /// Invoice number or id.
        invoice: String,
        /// cii, ubl or xrechnung.
        #[arg(long)]
        format: String,
        /// The file to write.
        #[arg(long)]
        out: std::path::PathBuf,
    },
}

#[derive(Debug, Args, Default)]
pub struct LineArgs {
    /// A saved item, by name (any case) or id: the line takes its description, details, unit,
    /// rate and tax rate; any other flag given here wins over the item's.
    #[arg(long, value_name = "NAME")]
    pub item: Option<String>,
    /// What the line bills.
    #[arg(long, short)]
    pub description: Option<String>,
    /// More detail printed under the description on the invoice and in the e-invoice (BT-154);
    /// write \n for a new line, "" to remove it.
    #[arg(long, visible_alias = "details", value_name = "TEXT")]
    pub long_description: Option<String>,
    /// Quantity; may be fractional or negative (a correction). Default for a new line: 1.
    #[arg(long, visible_alias = "qty", allow_hyphen_values = true)]
    pub quantity: Option<String>,
    /// Unit, e.g. hours, pcs.
    #[arg(long)]
    pub unit: Option<String>,
    /// Price per unit.
    #[arg(long, allow_hyphen_values = true)]
    pub rate: Option<String>,
    /// none, 10% or a fixed amount.
    #[arg(long)]
    pub discount: Option<String>,
    /// Inline mode: the line's tax rate id, or none.
    #[arg(long)]
    pub tax: Option<String>,
}

#[derive(Debug, Subcommand)]
pub enum LineCmd {
    /// Add a line to a draft, typed or from a saved item.
    ///
    /// Example: billable invoice line add INV-2026-0001 -d "Travel" --quantity 1 --rate 85
    ///
    /// Example (from a saved item, 12 of them): billable invoice line add INV-2026-0001 --item hosting --qty 12
    Add {
        /// Invoice number (e.g. INV-2026-0001) or id.
        invoice: String,
        #[command(flatten)]
        line: LineArgs,
    },
    /// Change line POSITION (1-based) of a draft (--item takes a saved item's fields again).
    ///
    /// Example: billable invoice line edit INV-2026-0001 2 --quantity 3.75
    Edit {
        /// Invoice number (e.g. INV-2026-0001) or id.
        invoice: String,
        /// The line's number on the invoice, from 1.
        position: usize,
        #[command(flatten)]
        line: LineArgs,
    },
    /// Remove line POSITION of a draft (its time becomes unbilled).
    Delete {
        /// Invoice number (e.g. INV-2026-0001) or id.
        invoice: String,
        /// The line's number on the invoice, from 1.
        position: usize,
    },
    /// Move a line to another position.
    ///
    /// Example: billable invoice line move INV-2026-0001 3 1
    Move {
        /// Invoice number (e.g. INV-2026-0001) or id.
        invoice: String,
        /// The line's number now.
        from: usize,
        /// The number it moves to.
        to: usize,
    },
}

// ---- payments and reports -------------------------------------------------------

#[derive(Debug, Subcommand)]
pub enum PaymentCmd {
    /// Record a payment (default amount: the balance due; default date: today).
    ///
    /// Example: billable payment add INV-2026-0001 --amount 500 --method "bank transfer" --reference "TX-991"
    Add {
        /// Invoice number (e.g. INV-2026-0001) or id.
        invoice: String,
        /// Amount received, in the invoice's currency, e.g. 500 or 1234.50.
        #[arg(long, allow_hyphen_values = true)]
        amount: Option<String>,
        /// Date received (YYYY-MM-DD; default today).
        #[arg(long)]
        date: Option<String>,
        /// How it was paid, e.g. "bank transfer", card, cash.
        #[arg(long)]
        method: Option<String>,
        /// The bank's or payment provider's reference.
        #[arg(long)]
        reference: Option<String>,
        /// A note for yourself.
        #[arg(long)]
        note: Option<String>,
        /// Keep what is paid beyond the balance due as the client's credit
        /// (otherwise more than the balance is refused).
        #[arg(long)]
        keep_credit: bool,
    },
    /// Record one payment from a client across their open invoices: oldest
    /// due first, or as given with --invoice; the rest stays as their credit.
    ///
    /// Example: billable payment receive --client "Acme GmbH" --amount 1500 --method "bank transfer"
    /// Example: billable payment receive --client Acme --amount 800 --invoice INV-2026-0003=500 --invoice INV-2026-0001=300
    Receive {
        /// Client name or id.
        #[arg(long)]
        client: String,
        /// Amount received, e.g. 1500 or 1234.50.
        #[arg(long, allow_hyphen_values = true)]
        amount: String,
        /// Currency (default: the client's invoice currency).
        #[arg(long)]
        currency: Option<String>,
        /// Date received (YYYY-MM-DD; default today).
        #[arg(long)]
        date: Option<String>,
        /// How it was paid, e.g. "bank transfer".
        #[arg(long)]
        method: Option<String>,
        /// The bank's reference.
        #[arg(long)]
        reference: Option<String>,
        /// A note for yourself.
        #[arg(long)]
        note: Option<String>,
        /// A share by hand, NUMBER=AMOUNT (repeat); without any, oldest due first.
        #[arg(long = "invoice", value_name = "NUMBER=AMOUNT")]
        invoices: Vec<String>,
        /// Show how the payment would be spread; record nothing.
        #[arg(long)]
        dry_run: bool,
    },
    /// A client's payments received and the credit they have left.
    Received {
        /// Client name or id.
        #[arg(long)]
        client: String,
    },
    /// Delete a payment received from a client, with its shares of invoices.
    DeleteReceived {
        /// Client payment id (see `payment received`).
        id: i64,
    },
    /// List an invoice's payments.
    List {
        /// Invoice number (e.g. INV-2026-0001) or id.
        invoice: String,
    },
    /// Delete a payment (the invoice's status follows).
    Delete {
        /// Payment id (see `payment list`).
        id: i64,
    },
}

#[derive(Debug, Subcommand)]
pub enum CreditCmd {
    /// The credit a client has left, per currency, and where it came from.
    Show {
        /// Client name or id.
        #[arg(long)]
        client: String,
    },
    /// Apply the client's credit to one of their invoices (default: what
    /// settles it, or all the credit if that is less).
    ///
    /// Example: billable credit apply INV-2026-0004
    Apply {
        /// Invoice number or id.
        invoice: String,
        /// How much of the credit to apply (default: what settles the invoice, or all the credit if less).
        #[arg(long, allow_hyphen_values = true)]
        amount: Option<String>,
        /// The day it is applied (YYYY-MM-DD; default today).
        #[arg(long)]
        date: Option<String>,
    },
    /// Pay unused credit back to the client (default: all of it).
    ///
    /// Example: billable credit refund --client Acme --amount 200 --method "bank transfer"
    Refund {
        /// Client name or id.
        #[arg(long)]
        client: String,
        /// How much to pay back (default: all the credit left in the currency).
        #[arg(long, allow_hyphen_values = true)]
        amount: Option<String>,
        /// Currency (default: the client's invoice currency).
        #[arg(long)]
        currency: Option<String>,
        /// The day it is paid back (YYYY-MM-DD; default today).
        #[arg(long)]
        date: Option<String>,
        /// How it is paid back, e.g. "bank transfer".
        #[arg(long)]
        method: Option<String>,
        /// A reference, such as the bank's transaction id.
        #[arg(long)]
        reference: Option<String>,
        /// A note kept with the refund.
        #[arg(long)]
        note: Option<String>,
    },
}

#[derive(Debug, Args)]
pub struct OutputArgs {
    /// table, csv or json (--json also gives json).
    #[arg(long, default_value = "table")]
    pub format: String,
    /// Write to this file instead of the terminal.
    #[arg(long, value_name = "FILE")]
    pub out: Option<PathBuf>,
}

#[derive(Debug, Subcommand)]
pub enum ReportCmd {
    /// Hours (total, billable) and amounts over a date range, grouped by client, project, task,
    /// member, day, week (ISO) or month. Amounts stay per currency.
    ///
    /// Example: billable report time --by project --from 2026-01-01 --to 2026-12-31
    ///
    /// Example: billable report time --by week --from 2026-04-01 --to 2026-06-30 --format csv --out weeks.csv
    Time {
        /// client, project, task, member, day, week or month.
        #[arg(long, default_value = "project")]
        by: String,
        /// From this date (YYYY-MM-DD).
        #[arg(long)]
        from: String,
        /// To this date, inclusive.
        #[arg(long)]
        to: String,
        #[command(flatten)]
        output: OutputArgs,
    },
    /// Invoiced, paid and outstanding per month, per currency (never added across currencies),
    /// with a base-currency total from invoices' exchange rates.
    ///
    /// Example: billable report revenue --from 2026-01-01 --to 2026-12-31 --format csv --out revenue.csv
    Revenue {
        /// From this date (YYYY-MM-DD).
        #[arg(long)]
        from: String,
        /// To this date, inclusive.
        #[arg(long)]
        to: String,
        #[command(flatten)]
        output: OutputArgs,
    },
    /// Accounts receivable aging: open balances per client and currency, in buckets current,
    /// 1–30, 31–60, 61–90 and over 90 days overdue.
    ///
    /// Example: billable report aging --as-of 2026-06-30
    Aging {
        /// Count overdue days up to this date (default: today).
        #[arg(long)]
        as_of: Option<String>,
        #[command(flatten)]
        output: OutputArgs,
    },
    /// The value of billable work not invoiced yet, per client and currency.
    ///
    /// Example: billable report unbilled --to 2026-05-31 --format json
    Unbilled {
        /// Only work done on or before this date.
        #[arg(long)]
        to: Option<String>,
        #[command(flatten)]
        output: OutputArgs,
    },
    /// Expenses per project and per category, and each project's profit: what issued invoices
    /// billed for it (net line amounts) less its expenses (net), per currency.
    ///
    /// Example: billable report expenses --from 2026-01-01 --to 2026-12-31 --format csv
    Expenses {
        /// From this date (YYYY-MM-DD).
        #[arg(long)]
        from: String,
        /// To this date, inclusive.
        #[arg(long)]
        to: String,
        #[command(flatten)]
        output: OutputArgs,
    },
    /// What each client owes (outstanding, of it overdue) and the value of
    /// their time not invoiced yet, per currency, with the sums.
    ///
    /// Example: billable report clients --format csv
    Clients {
        #[command(flatten)]
        output: OutputArgs,
    },
}

#[derive(Debug, Args)]
pub struct FilterArgs {
    /// From this date (issue date for invoices, work date for time).
    #[arg(long)]
    pub from: Option<String>,
    /// Up to this date.
    #[arg(long)]
    pub to: Option<String>,
    /// Client id or name.
    #[arg(long)]
    pub client: Option<String>,
    /// Time: billed, unbilled or non_billable. Invoices: draft, sent, partially_paid, paid, overdue, cancelled.
    #[arg(long)]
    pub status: Option<String>,
    /// Write to this file instead of the terminal.
    #[arg(long, value_name = "FILE")]
    pub out: Option<PathBuf>,
}

#[derive(Debug, Subcommand)]
pub enum ExportCmd {
    /// Time entries as CSV: names, hours, rate, amount, invoice.
    ///
    /// Example: billable export time --from 2026-01-01 --to 2026-03-31 --client "Acme GmbH" --out q1-time.csv
    Time(FilterArgs),
    /// Invoices as CSV with their totals.
    ///
    /// Example: billable export invoices --status paid --from 2026-01-01 --out paid-2026.csv
    Invoices(FilterArgs),
    /// The whole books as JSON: every table and row, decimals as strings, versioned.
    ///
    /// Example: billable export books --out books-2026-05-10.json
    Books {
        /// Write to this file instead of the terminal.
        #[arg(long, value_name = "FILE")]
        out: Option<PathBuf>,
    },
    /// Issued invoices in Xero's sales-invoice import CSV (one row per line), with account codes
    /// from `billable xero map`.
    ///
    /// Example: billable export xero --from 2026-04-01 --to 2026-04-30 --out xero-april.csv
    Xero {
        #[command(flatten)]
        filter: FilterArgs,
        /// Dates as MM/DD/YYYY (US Xero organisations) instead of DD/MM/YYYY.
        #[arg(long)]
        us_dates: bool,
    },
}

#[derive(Debug, Subcommand)]
pub enum XeroCmd {
    /// Map a task, a project or the default to a Xero account code. A line's code comes from its
    /// time's task, then its project, then the invoice's project, then the default.
    ///
    /// Example: billable xero map default 200
    ///
    /// Example: billable xero map project 3 210 --description "Consulting income"
    ///
    /// Example: billable xero map task 12 220
    Map {
        /// task, project or default.
        kind: String,
        /// The task's or project's id, then the account code (only the code for default).
        #[arg(num_args = 1..=2, required = true)]
        args: Vec<String>,
        /// A note on the rule, e.g. what the account is.
        #[arg(long)]
        description: Option<String>,
    },
    /// Remove a mapping.
    ///
    /// Example: billable xero unmap project 3
    Unmap {
        /// task, project or default.
        kind: String,
        /// The task's or project's id.
        id: Option<i64>,
    },
    /// List the mappings.
    ///
    /// Example: billable xero rules
    Rules,
}

#[derive(Debug, Subcommand)]
pub enum BackupCmd {
    /// Back the books up now (a consistent copy, even while the app is open).
    ///
    /// Example: billable backup create --out /media/usb/books-2026-05-10.db
    Create {
        /// Where to write it (default: the backups folder beside the books).
        #[arg(long, value_name = "FILE")]
        out: Option<PathBuf>,
    },
    /// List the backups beside the books, newest first.
    ///
    /// Example: billable backup list
    List,
    /// Replace the books with a backup. The file must be a healthy Billable database (not another
    /// program's, not damaged, not from a newer version); the current books are backed up first.
    ///
    /// Example: billable backup restore ~/.local/share/billable/backups/billable-20260509-090000-auto.db
    Restore {
        /// The backup file to restore (see `backup list`).
        file: PathBuf,
    },
    /// Check the books' integrity (and name the newest good backup if they are damaged).
    ///
    /// Example: billable backup check
    Check,
    /// Automatic backups (on start, at most daily) and how many to keep.
    ///
    /// Example: billable backup settings --keep 20 --automatic on
    Settings {
        /// How many automatic backups to keep (1–1000; default 10).
        #[arg(long)]
        keep: Option<String>,
        /// on or off.
        #[arg(long)]
        automatic: Option<String>,
    },
}

// ---- recurring invoices and credit notes ------------------------------------------

#[derive(Debug, Subcommand)]
pub enum RecurringCmd {
    /// Make a recurring profile from an invoice (its lines, client, currency, taxes, notes).
    ///
    /// Line text may carry placeholders filled per period: {PERIOD_START} {PERIOD_END} {MONTH} {MM} {YEAR}
    /// {QUARTER} {WEEK} {NEXT_MONTH} {PREV_MONTH}. Each period's invoice is a draft dated on the period's
    /// first day. A profile started on the 31st falls on each month's last day (Feb 28, Mar 31…).
    ///
    /// Example: billable recurring create INV-2026-0001 --frequency monthly --start 2026-02-01 --max-cycles 12
    ///
    /// Example: billable recurring create INV-2026-0007 --frequency monthly --every 2 --end 2026-12-31
    ///
    /// Example: billable recurring create INV-2026-0003 --frequency monthly --mode send
    Create {
        /// The invoice to repeat (number or id).
        invoice: String,
        /// weekly, monthly, quarterly or yearly.
        #[arg(long)]
        frequency: String,
        /// Every N weeks/months/quarters/years (default 1).
        #[arg(long = "every", value_name = "N")]
        interval: Option<u32>,
        /// First period's date (default today).
        #[arg(long = "start")]
        start_date: Option<String>,
        /// No period starts after this date.
        #[arg(long = "end")]
        end_date: Option<String>,
        /// At most this many invoices.
        #[arg(long)]
        max_cycles: Option<u32>,
        /// A name for the profile (default: client and frequency).
        #[arg(long)]
        name: Option<String>,
        /// draft: generate drafts to review; send: email each invoice to the client's billing emails
        /// through the outbox (needs `billable mail setup` and a billing email on the client).
        #[arg(long, default_value = "draft")]
        mode: String,
    },
    /// List recurring profiles with their next period.
    List,
    /// Show a profile: template, schedule and the periods generated.
    Show {
        /// Recurring profile id.
        id: i64,
    },
    /// Pause a profile: nothing is generated until it resumes.
    Pause {
        /// Recurring profile id.
        id: i64,
    },
    /// Resume a paused profile; periods missed meanwhile are generated on the next run, each once.
    Resume {
        /// Recurring profile id.
        id: i64,
    },
    /// Delete a profile; the invoices it generated stay.
    Delete {
        /// Recurring profile id.
        id: i64,
    },
    /// Generate every due period not generated yet (for a scheduler; safe to run any number of times).
    ///
    /// Example: billable recurring run
    Run,
}

#[derive(Debug, Subcommand)]
pub enum CreditNoteCmd {
    /// Issue a credit note against a sent or paid invoice (issued invoices are corrected only this way).
    ///
    /// Without --line, everything not credited yet is credited. The credit reduces the balance due; what
    /// exceeds it (the invoice is paid) is paid back: pass --refund with --method to record the refund.
    ///
    /// Example: billable credit-note create INV-2026-0001 --line 2 --line 1:2.5 --reason "2.5 h billed twice"
    ///
    /// Example: billable credit-note create INV-2026-0004 --refund --method "bank transfer"
    Create {
        /// The invoice (number or id).
        invoice: String,
        /// A line to credit: POSITION (what is left of it) or POSITION:QUANTITY; repeat for several.
        #[arg(long = "line", value_name = "N[:QTY]")]
        lines: Vec<String>,
        /// Record the part of the credit that exceeds the balance due as paid back.
        #[arg(long)]
        refund: bool,
        /// How the refund was paid, e.g. "bank transfer".
        #[arg(long, requires = "refund")]
        method: Option<String>,
        /// The refund's reference.
        #[arg(long, requires = "refund")]
        reference: Option<String>,
        /// Why the invoice is corrected (printed on the credit note).
        #[arg(long)]
        reason: Option<String>,
        /// Issue date (default today).
        #[arg(long)]
        date: Option<String>,
    },
    /// List credit notes, newest first.
    ///
    /// Example: billable credit-note list --client "Acme GmbH"
    List {
        /// Client id or name.
        #[arg(long)]
        client: Option<String>,
        /// Only those of this invoice.
        #[arg(long)]
        invoice: Option<String>,
    },
    /// Show a credit note with its lines, totals and refund.
    Show {
        /// Credit note number or id.
        credit_note: String,
    },
    /// Write the PDF of a credit note (titled "Credit note", naming the invoice it corrects).
    ///
    /// Example: billable credit-note pdf CN-2026-0001 --out CN-2026-0001.pdf
    Pdf {
        /// Credit note number or id.
        credit_note: String,
        /// The file to write (default: the credit note's number with .pdf, in the current folder).
        #[arg(long)]
        out: Option<std::path::PathBuf>,
        /// classic, minimal or detailed (default: the business's template).
        #[arg(long)]
        template: Option<String>,
    },
    /// Write the e-invoice of a credit note: CII (type 381), XRechnung or UBL CreditNote.
    ///
    /// Example: billable credit-note export CN-2026-0001 --format ubl --out CN-2026-0001.xml
    Export {
        /// Credit note number or id.
        credit_note: String,
        /// cii, ubl or xrechnung.
        #[arg(long)]
        format: String,
        /// The file to write.
        #[arg(long)]
        out: std::path::PathBuf,
    },
    /// Show or change the credit note numbering pattern (default CN-{YYYY}-{SEQ:4}).
    ///
    /// Example: billable credit-note pattern "CN-{YYYY}-{SEQ:4}"
    Pattern {
        /// {YYYY} {YY} {MM} {DD} {SEQ} {SEQ:n}; omit to show the current one.
        pattern: Option<String>,
    },
}

// ---- email ------------------------------------------------------------------------

#[derive(Debug, Subcommand)]
pub enum MailCmd {
    /// Set up the SMTP server. The password is read from standard input (or asked for at a prompt),
    /// never from an argument, and stored only in the OS keyring.
    ///
    /// Example: billable mail setup --host smtp.example.com --port 587 --security starttls --user ana@studio.example --from billing@studio.example --from-name "Studio Nord"
    ///
    /// Example: printf '%s' "$SMTP_PASSWORD" | billable mail setup --host smtp.example.com --user ana --from billing@studio.example
    Setup(Box<MailSetupArgs>),
    /// Show the SMTP settings (never the password; only whether the keyring holds one).
    ///
    /// Example: billable mail show
    Show,
    /// Test the connection: DNS, connecting, TLS, authentication and the sender address. Sends nothing.
    ///
    /// Example: billable mail test
    Test,
    /// Email templates: invoice (the default), reminder and overdue.
    #[command(subcommand)]
    Template(TemplateCmd),
}

#[derive(Debug, Args)]
pub struct MailSetupArgs {
    /// The SMTP server's host name or address.
    #[arg(long)]
    pub host: String,
    /// Port (default: 587 for starttls, 465 for tls, 25 for none).
    #[arg(long)]
    pub port: Option<u16>,
    /// starttls (default), tls (implicit TLS) or none (only for a relay on this machine).
    #[arg(long)]
    pub security: Option<String>,
    /// Login name; leave out for a server without authentication.
    #[arg(long)]
    pub user: Option<String>,
    /// The sender address.
    #[arg(long)]
    pub from: String,
    /// The sender's name (default: your business name).
    #[arg(long)]
    pub from_name: Option<String>,
    /// Where replies go, if not to the sender address.
    #[arg(long)]
    pub reply_to: Option<String>,
    /// A PEM root certificate to trust in addition to the public ones (a server with a private CA).
    #[arg(long, value_name = "FILE")]
    pub ca_file: Option<PathBuf>,
    /// Keep the password already in the keyring instead of reading a new one.
    #[arg(long)]
    pub keep_password: bool,
}

#[derive(Debug, Subcommand)]
pub enum TemplateCmd {
    /// Show one template (or all of them) with the placeholders it may use.
    ///
    /// Example: billable mail template show reminder
    Show {
        /// invoice (the default), reminder, overdue or estimate; all when left out.
        kind: Option<String>,
    },
    /// Change a template; only the parts given change.
    ///
    /// Example: billable mail template edit reminder --subject "Reminder: {invoice_number} is due {due_date}" --body-file reminder.txt
    ///
    /// Example: billable mail template edit overdue --reset
    Edit {
        /// invoice (the default), reminder, overdue or estimate.
        kind: String,
        /// The subject (one line; placeholders such as {invoice_number} allowed).
        #[arg(long)]
        subject: Option<String>,
        /// The message text (use \n for line breaks).
        #[arg(long, conflicts_with = "body_file")]
        body: Option<String>,
        /// Read the message text from a file.
        #[arg(long, value_name = "FILE")]
        body_file: Option<PathBuf>,
        /// Back to the template Billable ships.
        #[arg(long, conflicts_with_all = ["subject", "body", "body_file"])]
        reset: bool,
    },
    /// Show the email a template writes for an invoice (the estimate template: for an estimate), text
    /// and HTML.
    ///
    /// Example: billable mail template preview overdue --invoice INV-2026-0001
    ///
    /// Example: billable mail template preview estimate --estimate EST-2026-0001
    #[command(group = clap::ArgGroup::new("document").required(true).args(["invoice", "estimate"]))]
    Preview {
        /// invoice (the default), reminder, overdue or estimate.
        kind: String,
        /// Invoice number or id.
        #[arg(long)]
        invoice: Option<String>,
        /// Estimate number or id (for the estimate template).
        #[arg(long)]
        estimate: Option<String>,
        /// Also print the HTML alternative.
        #[arg(long)]
        html: bool,
    },
}

#[derive(Debug, Subcommand)]
pub enum OutboxCmd {
    /// List emails: what is queued, when it will be retried, the last error.
    ///
    /// Example: billable outbox list --state pending
    List {
        /// pending (queued, sending, failed), queued, sending, sent, failed or cancelled; all when left out.
        #[arg(long)]
        state: Option<String>,
    },
    /// Send a waiting or failed email now (all of them when no id is given).
    ///
    /// Example: billable outbox retry 12
    Retry {
        /// Outbox job id.
        id: Option<i64>,
    },
    /// Cancel an email that has not gone out.
    ///
    /// Example: billable outbox cancel 12
    Cancel {
        /// Outbox job id.
        id: i64,
    },
    /// Send every email that is due now (for a scheduler).
    ///
    /// Example: billable outbox run
    Run,
}

#[derive(Debug, Subcommand)]
pub enum RemindersCmd {
    /// Find the reminders due today and send them, invoicing their steps' late fees (each goes once; paid and
    /// cancelled invoices are never reminded).
    ///
    /// Example: billable reminders run --dry-run
    ///
    /// Example (cron, daily at 9:00): 0 9 * * * billable reminders run
    Run {
        /// Only list what would be sent, and the late fees it would invoice; writes nothing.
        #[arg(long)]
        dry_run: bool,
    },
    /// Show the reminder schedule in effect (the business default, or a client's or invoice's own).
    ///
    /// Example: billable reminders show --client "Acme GmbH"
    Show {
        /// Client id or name.
        #[arg(long, conflicts_with = "invoice")]
        client: Option<String>,
        /// Invoice number or id.
        #[arg(long)]
        invoice: Option<String>,
    },
    /// Set the reminder schedule: days before and after the due date, and the late fee a step after the due
    /// date adds (invoiced once per invoice and step, as its own invoice linked to the one reminded).
    ///
    /// Example: billable reminders schedule --before 7,3,1 --after 1,7,14
    ///
    /// Example: billable reminders schedule --late-fee 7=5.00 --late-fee 14=1.5%
    ///
    /// Example: billable reminders schedule --client "Acme GmbH" --off
    ///
    /// Example: billable reminders schedule --invoice INV-2026-0001 --clear
    Schedule {
        /// Client id or name (default: the business schedule).
        #[arg(long, conflicts_with = "invoice")]
        client: Option<String>,
        /// Invoice number or id.
        #[arg(long)]
        invoice: Option<String>,
        /// Days before the due date, e.g. 7,3,1 (0 is the due date itself).
        #[arg(long, value_name = "DAYS")]
        before: Option<String>,
        /// Days after the due date, e.g. 1,7,14.
        #[arg(long, value_name = "DAYS")]
        after: Option<String>,
        /// A late fee for the step DAYS after the due date (one of --after's): a fixed amount such as 7=5.00,
        /// or a percentage of the open balance such as 14=1.5%; 7=none removes it. Repeat for more steps.
        #[arg(long = "late-fee", value_name = "DAYS=FEE")]
        late_fee: Vec<String>,
        /// Turn reminders on.
        #[arg(long, conflicts_with = "off")]
        on: bool,
        /// Turn reminders off.
        #[arg(long)]
        off: bool,
        /// Remove the client's or invoice's own schedule (the next one applies).
        #[arg(long, conflicts_with_all = ["before", "after", "on", "off", "late_fee"])]
        clear: bool,
    },
}

// ---- dev ----------------------------------------------------------------------

#[derive(Debug, Subcommand)]
pub enum DevCmd {
    /// Write generated books to a new file: a business and its team, clients in several currencies,
    /// projects, tasks, years of time entries ending today (BILLABLE_NOW or now), most older time
    /// billed on invoices with payments and every status, recent time unbilled. The same seed gives
    /// the same books. For measurements and demos; --db is not used.
    ///
    /// Example: billable dev seed --out /tmp/books-1m.db
    ///
    /// Example: billable dev seed --out /tmp/small.db --entries 2000 --clients 10 --projects 30 --invoices 150 --years 2
    Seed(SeedArgs),
}

#[derive(Debug, Args)]
pub struct SeedArgs {
    /// The new books file (refused when it exists).
    #[arg(long, value_name = "FILE")]
    pub out: PathBuf,
    /// Time entries.
    #[arg(long, default_value_t = 1_000_000)]
    pub entries: u64,
    /// Clients.
    #[arg(long, default_value_t = 200)]
    pub clients: u64,
    /// Projects (at least one per client).
    #[arg(long, default_value_t = 1_000)]
    pub projects: u64,
    /// Invoices made from the older time.
    #[arg(long, default_value_t = 100_000)]
    pub invoices: u64,
    /// Years of time, ending today.
    #[arg(long, default_value_t = 5)]
    pub years: u64,
    /// The generator's seed.
    #[arg(long, default_value_t = 1)]
    pub seed: u64,
}

#[cfg(test)]
mod tests {
    use clap::CommandFactory;

    /// Every argument and flag of every command says what it is for in
    /// `--help` (clap's own --help and --version aside).
    #[test]
    fn every_argument_has_help_text() {
        fn walk(cmd: &clap::Command, path: &str, missing: &mut Vec<String>) {
            for a in cmd.get_arguments() {
                let id = a.get_id().as_str();
                if matches!(id, "help" | "version") || a.is_hide_set() {
                    continue;
                }
                if a.get_help().is_none() && a.get_long_help().is_none() {
                    missing.push(format!("{path} {id}"));
                }
            }
            for sub in cmd.get_subcommands() {
                walk(sub, &format!("{path} {}", sub.get_name()), missing);
            }
        }
        let mut missing = Vec::new();
        walk(&super::Cli::command(), "billable", &mut missing);
        assert!(missing.is_empty(), "{} arguments without help:\n{}", missing.len(), missing.join("\n"));
    }
}

// ---- estimates -----------------------------------------------------------------

/// Header fields of an estimate.
#[derive(Debug, Args, Default)]
pub struct EstimateHeaderArgs {
    /// Issue date (default today).
    #[arg(long)]
    pub issue_date: Option<String>,
    /// The last day the offer holds (default: 30 days after the issue date).
    #[arg(long)]
    pub valid_until: Option<String>,
    /// Currency (default: the client's, else the business's).
    #[arg(long)]
    pub currency: Option<String>,
    /// summary (estimate-level taxes) or inline (a tax per line).
    #[arg(long)]
    pub tax_mode: Option<String>,
    /// gross: the rates entered include tax; net: tax is added on top. Default: the client's, else net.
    #[arg(long = "prices", value_name = "gross|net")]
    pub prices: Option<String>,
    /// Estimate-level tax rate id (summary mode); repeat for several.
    #[arg(long = "tax", value_name = "TAX_ID")]
    pub taxes: Vec<i64>,
    /// No estimate-level taxes.
    #[arg(long, conflicts_with = "taxes")]
    pub no_tax: bool,
    /// Document discount: none, 10% or a fixed amount like 50.00.
    #[arg(long)]
    pub discount: Option<String>,
    /// Notes printed on the estimate.
    #[arg(long)]
    pub notes: Option<String>,
    /// Terms text.
    #[arg(long, allow_hyphen_values = true)]
    pub terms: Option<String>,
    /// Purchase order / buyer reference.
    #[arg(long = "po")]
    pub po_number: Option<String>,
    /// PDF template: classic, minimal or detailed; empty for the business default.
    #[arg(long)]
    pub template: Option<String>,
    /// Locale of the estimate's PDF, e.g. de-DE; empty for the business default.
    #[arg(long)]
    pub locale: Option<String>,
}

#[derive(Debug, Subcommand)]
pub enum EstimateCmd {
    /// Create a draft estimate with lines typed like an invoice's.
    ///
    /// Lines are "DESCRIPTION|QUANTITY|RATE[|UNIT[|DISCOUNT[|TAX_ID[|DETAILS]]]]".
    ///
    /// Example: billable estimate create --client "Acme GmbH" --tax 1 --valid-until 2026-06-30 --line "Website relaunch|1|1000"
    Create {
        /// Client id or name.
        #[arg(long)]
        client: String,
        /// A custom estimate number (must be unused).
        #[arg(long)]
        number: Option<String>,
        /// Project name or id.
        #[arg(long)]
        project: Option<String>,
        /// A line; repeat for several.
        #[arg(long = "line", value_name = "DESC|QTY|RATE[|UNIT[|DISCOUNT[|TAX[|DETAILS]]]]")]
        lines: Vec<String>,
        #[command(flatten)]
        header: EstimateHeaderArgs,
    },
    /// Change an estimate: anything of a draft; only --valid-until once it is sent.
    ///
    /// Example: billable estimate set EST-2026-0001 --valid-until 2026-07-31
    Set {
        /// Estimate number or id.
        estimate: String,
        /// Project name or id; 0 detaches it.
        #[arg(long)]
        project: Option<String>,
        #[command(flatten)]
        header: EstimateHeaderArgs,
    },
    /// Add, change or remove a line of a draft estimate.
    #[command(subcommand)]
    Line(EstimateLineCmd),
    /// Show an estimate with its lines, totals and the invoices made from it.
    Show {
        /// Estimate number or id.
        estimate: String,
    },
    /// List estimates, newest first.
    ///
    /// Example: billable estimate list --status expired
    List {
        /// draft, sent, accepted, declined or expired.
        #[arg(long)]
        status: Option<String>,
        /// Client id or name.
        #[arg(long)]
        client: Option<String>,
    },
    /// Email an estimate to the client with its PDF attached.
    ///
    /// Recipients default to the client's billing emails; the subject and message come from the estimate
    /// template (see `billable mail template show estimate`). A draft becomes sent (its lines and prices
    /// fixed) once the mail server accepts the email; a sent estimate may be emailed again while it is
    /// valid, an accepted one until it is converted. A declined or converted estimate is not emailed.
    /// When the mail server cannot be reached the email waits in the outbox and is retried with back-off
    /// (`billable outbox list`). The estimate's PDF is attached unless --attach picks a file or --no-attach
    /// sends none.
    ///
    /// Example: billable estimate send EST-2026-0001 --copy-me
    ///
    /// Example: billable estimate send EST-2026-0001 --to cto@acme.example --subject "Our offer {estimate_number}"
    Send {
        /// Estimate number or id.
        estimate: String,
        /// A recipient instead of the client's billing emails; repeat (or separate with commas) for several.
        #[arg(long = "to", value_name = "EMAIL")]
        to: Vec<String>,
        /// Subject instead of the template's (placeholders such as {estimate_number} allowed).
        #[arg(long)]
        subject: Option<String>,
        /// Message instead of the template's (placeholders allowed; use \n for line breaks).
        #[arg(long)]
        message: Option<String>,
        /// Attach this file byte for byte instead of the estimate's PDF.
        #[arg(long, value_name = "FILE", conflicts_with = "no_attach")]
        attach: Option<PathBuf>,
        /// Send no attachment.
        #[arg(long)]
        no_attach: bool,
        /// Send a blind copy to your own sender address.
        #[arg(long)]
        copy_me: bool,
    },
    /// Mark an estimate sent without emailing it (handed to the client another way): its lines and
    /// prices are fixed from now on.
    ///
    /// Example: billable estimate mark-sent EST-2026-0001
    MarkSent {
        /// Estimate number or id.
        estimate: String,
    },
    /// Record that the client accepted the estimate (while it is valid).
    Accept {
        /// Estimate number or id.
        estimate: String,
    },
    /// Record that the client declined the estimate.
    Decline {
        /// Estimate number or id.
        estimate: String,
    },
    /// Delete an estimate no invoice was made from (its number is not reused).
    Delete {
        /// Estimate number or id.
        estimate: String,
    },
    /// Write an estimate's PDF.
    ///
    /// Example: billable estimate pdf EST-2026-0001 --out EST-2026-0001.pdf
    Pdf {
        /// Estimate number or id.
        estimate: String,
        /// The file to write (default: NUMBER.pdf in the current folder).
        #[arg(long)]
        out: Option<PathBuf>,
        /// classic, minimal or detailed (default: the estimate's, else the business's).
        #[arg(long)]
        template: Option<String>,
    },
    /// Convert an accepted estimate into a draft invoice: a deposit (--deposit 30% or --deposit
    /// 500.00, an amount as the estimate's prices are entered), or the whole estimate. The whole
    /// estimate converts once; when deposits were invoiced (and issued), it becomes the final
    /// invoice: the full lines and amounts, with the deposits deducted as paid in advance.
    ///
    /// Example: billable estimate convert EST-2026-0001 --deposit 30%
    ///
    /// Example (the final invoice): billable estimate convert EST-2026-0001
    Convert {
        /// Estimate number or id.
        estimate: String,
        /// A deposit: a percentage such as 30% or an amount such as 500.00.
        #[arg(long, allow_hyphen_values = true)]
        deposit: Option<String>,
        /// The invoice's issue date (default today).
        #[arg(long)]
        issue_date: Option<String>,
        /// The invoice's due date (default: issue date + payment terms).
        #[arg(long)]
        due_date: Option<String>,
        /// Invoice number (default: the next one of the invoice numbering pattern).
        #[arg(long)]
        number: Option<String>,
    },
    /// Show or set the estimate numbering pattern (default EST-{YYYY}-{SEQ:4}).
    ///
    /// Example: billable estimate numbering "Q-{YY}{SEQ:3}"
    Numbering {
        /// The new pattern; none shows the current one.
        pattern: Option<String>,
    },
}

#[derive(Debug, Subcommand)]
pub enum EstimateLineCmd {
    /// Add a line to a draft estimate, typed or from a saved item.
    ///
    /// Example: billable estimate line add EST-2026-0001 -d "Hosting" --quantity 12 --rate 15
    Add {
        /// Estimate number or id.
        estimate: String,
        #[command(flatten)]
        line: LineArgs,
    },
    /// Change line POSITION (1-based) of a draft estimate.
    Edit {
        /// Estimate number or id.
        estimate: String,
        /// The line's number, from 1.
        position: usize,
        #[command(flatten)]
        line: LineArgs,
    },
    /// Remove line POSITION of a draft estimate.
    Delete {
        /// Estimate number or id.
        estimate: String,
        /// The line's number, from 1.
        position: usize,
    },
}

/// An expense's fields; a flag left out leaves the field as it is.
#[derive(Debug, Args, Default)]
pub struct ExpenseArgs {
    /// The day (YYYY-MM-DD or today; default today).
    #[arg(long)]
    pub date: Option<String>,
    /// The net amount, before tax, an exact decimal such as 89.90.
    #[arg(long, allow_hyphen_values = true)]
    pub amount: Option<String>,
    /// ISO 4217 code (default: the client's currency, else the business's).
    #[arg(long)]
    pub currency: Option<String>,
    /// E.g. Travel, Software, Meals.
    #[arg(long)]
    pub category: Option<String>,
    /// Who was paid, e.g. Deutsche Bahn.
    #[arg(long)]
    pub vendor: Option<String>,
    /// What it was, e.g. "Train Berlin–Hamburg".
    #[arg(long)]
    pub note: Option<String>,
    /// Tax rate id added on top when billed, or none.
    #[arg(long)]
    pub tax: Option<String>,
    /// Client id or name ("" for none).
    #[arg(long)]
    pub client: Option<String>,
    /// Project id or name ("" for none); sets the client to the project's.
    #[arg(long)]
    pub project: Option<String>,
    /// Bill it to the client (on the next invoice from time).
    #[arg(long, conflicts_with = "not_billable")]
    pub billable: bool,
    /// Do not bill it.
    #[arg(long)]
    pub not_billable: bool,
    /// Percent added when billed, e.g. 15 ("" for none).
    #[arg(long, allow_hyphen_values = true)]
    pub markup: Option<String>,
}

#[derive(Debug, Subcommand)]
pub enum ExpenseCmd {
    /// Record an expense (the amount is net; its tax rate is added when it is billed).
    ///
    /// Example: billable expense add --amount 100 --category Travel --vendor "Deutsche Bahn" --note "Train Berlin–Hamburg" --project Website --billable --markup 15 --tax 1 --receipt ticket.pdf
    Add {
        #[command(flatten)]
        fields: ExpenseArgs,
        /// A receipt to attach: PDF, PNG, JPEG, WebP or HEIC, at most 10 MiB.
        #[arg(long, value_name = "FILE")]
        receipt: Option<PathBuf>,
    },
    /// Change an expense not billed yet.
    ///
    /// Example: billable expense set 3 --amount 120.50 --markup ""
    Set {
        /// Expense id.
        id: i64,
        #[command(flatten)]
        fields: ExpenseArgs,
    },
    /// Show one expense.
    Show {
        /// Expense id.
        id: i64,
    },
    /// List expenses by date, with totals per currency.
    ///
    /// Example: billable expense list --client Acme --state unbilled
    List {
        /// Client id or name.
        #[arg(long)]
        client: Option<String>,
        /// Project id or name.
        #[arg(long)]
        project: Option<String>,
        /// Expenses dated on or after this day (YYYY-MM-DD).
        #[arg(long)]
        from: Option<String>,
        /// Expenses dated on or before this day (YYYY-MM-DD).
        #[arg(long)]
        to: Option<String>,
        /// billed, unbilled (billable, not billed yet) or not_billable.
        #[arg(long)]
        state: Option<String>,
        /// Only this category.
        #[arg(long)]
        category: Option<String>,
    },
    /// Delete an expense not billed yet, with its receipt.
    Delete {
        /// Expense id.
        id: i64,
    },
    /// An expense's receipt: attach a file, export it, or remove it.
    #[command(subcommand)]
    Receipt(ReceiptCmd),
}

#[derive(Debug, Subcommand)]
pub enum ReceiptCmd {
    /// Attach a receipt (replacing one attached before): PDF, PNG, JPEG, WebP or HEIC, at most 10 MiB.
    ///
    /// Example: billable expense receipt attach 3 ticket.pdf
    Attach {
        /// Expense id.
        id: i64,
        /// The receipt's file.
        file: PathBuf,
    },
    /// Write the receipt to a file.
    ///
    /// Example: billable expense receipt export 3 --out ticket.pdf
    Export {
        /// Expense id.
        id: i64,
        /// Where to write it (default: its own file name in this folder).
        #[arg(long)]
        out: Option<PathBuf>,
    },
    /// Remove the receipt.
    Remove {
        /// Expense id.
        id: i64,
    },
}
