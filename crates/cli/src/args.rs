//! The command line's shape. Every flag is documented here, with examples.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

#[derive(Debug, Parser)]
#[command(
    name = "billable",
    version,
    about = "Billable: track time, invoice it, and follow every invoice until it is paid — offline.",
    long_about = "Billable keeps your books in one SQLite file on this machine. Every operation of the desktop \
app is available here, so everything can be scripted.\n\nQuick start:\n  billable client add \"Acme GmbH\" --currency EUR --email billing@acme.example\n  billable project add Website --client \"Acme GmbH\" --rate 120\n  billable timer start --project 1 -d \"Homepage layout\"\n  billable timer stop\n  billable time unbilled --client \"Acme GmbH\"\n  billable invoice from-time --client \"Acme GmbH\" --group task\n  billable payment add INV-2026-0001 --amount 500"
)]
pub struct Cli {
    /// The books to use (a SQLite file). Default: billable.db in your user data folder.
    #[arg(long, global = true, env = "BILLABLE_DB", value_name = "PATH")]
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
    /// The running timer (one per team member; survives restarts).
    #[command(subcommand)]
    Timer(TimerCmd),
    /// Time entries: add, edit, list, and see what is not billed yet.
    #[command(subcommand)]
    Time(TimeCmd),
    /// Invoices: create by hand or from time, edit drafts, issue, cancel, list.
    #[command(subcommand)]
    Invoice(InvoiceCmd),
    /// Payments received against invoices.
    #[command(subcommand)]
    Payment(PaymentCmd),
    /// Reports.
    #[command(subcommand)]
    Report(ReportCmd),
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
    Edit {
        id: i64,
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
    Archive { id: i64 },
    /// Bring an archived project back.
    Unarchive { id: i64 },
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
}

#[derive(Debug, Subcommand)]
pub enum TaskCmd {
    /// Add a task to a project.
    ///
    /// Example: billable task add Design --project 1 --rate 140
    Add {
        name: String,
        #[arg(long)]
        project: i64,
        /// Hourly rate for this task.
        #[arg(long, allow_hyphen_values = true)]
        rate: Option<String>,
    },
    /// Change a task.
    Edit {
        id: i64,
        #[arg(long)]
        name: Option<String>,
        /// Hourly rate; empty to remove.
        #[arg(long, allow_hyphen_values = true)]
        rate: Option<String>,
    },
    /// List tasks.
    List {
        #[arg(long)]
        project: Option<i64>,
        #[arg(long)]
        all: bool,
    },
    /// Archive a task.
    Archive { id: i64 },
    /// Bring an archived task back.
    Unarchive { id: i64 },
}

#[derive(Debug, Subcommand)]
pub enum MemberCmd {
    /// Add a team member.
    ///
    /// Example: billable member add "Ana Lima" --email ana@studio.example --rate 90
    Add {
        name: String,
        #[arg(long)]
        email: Option<String>,
        /// Default hourly rate.
        #[arg(long, allow_hyphen_values = true)]
        rate: Option<String>,
    },
    /// Change a team member.
    Edit {
        id: i64,
        #[arg(long)]
        name: Option<String>,
        #[arg(long)]
        email: Option<String>,
        /// Default hourly rate; empty to remove.
        #[arg(long, allow_hyphen_values = true)]
        rate: Option<String>,
    },
    /// List team members.
    List {
        #[arg(long)]
        all: bool,
    },
    /// Archive a team member.
    Archive { id: i64 },
    /// Bring an archived team member back.
    Unarchive { id: i64 },
}

#[derive(Debug, Subcommand)]
pub enum TaxCmd {
    /// Add a tax rate.
    ///
    /// Example: billable tax add "VAT 19%" --percent 19
    /// Example: billable tax add "Exempt" --percent 0 --category E --reason "Art. 132 VAT Directive"
    Add {
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
        id: i64,
        #[arg(long)]
        name: Option<String>,
        #[arg(long, allow_hyphen_values = true)]
        percent: Option<String>,
        #[arg(long)]
        category: Option<String>,
        #[arg(long)]
        reason: Option<String>,
    },
    /// List tax rates.
    List {
        #[arg(long)]
        all: bool,
    },
    /// Archive a tax rate.
    Archive { id: i64 },
    /// Bring an archived tax rate back.
    Unarchive { id: i64 },
}

// ---- timer and time -----------------------------------------------------------

#[derive(Debug, Subcommand)]
pub enum TimerCmd {
    /// Start the timer (a running one is stopped first and its entry saved).
    ///
    /// Example: billable timer start --project 1 --task 2 -d "Homepage layout"
    Start {
        #[arg(long)]
        project: i64,
        #[arg(long)]
        task: Option<i64>,
        /// What you are working on.
        #[arg(short, long)]
        description: Option<String>,
        /// Whose timer (default: the first team member).
        #[arg(long)]
        member: Option<i64>,
        /// Track this time as non-billable.
        #[arg(long)]
        non_billable: bool,
    },
    /// Stop the timer and save its time entry.
    Stop {
        #[arg(long)]
        member: Option<i64>,
    },
    /// Show the running timer and the time elapsed.
    Status {
        #[arg(long)]
        member: Option<i64>,
    },
    /// Throw the running timer away without saving time.
    Discard {
        #[arg(long)]
        member: Option<i64>,
    },
}

#[derive(Debug, Subcommand)]
pub enum TimeCmd {
    /// Add a time entry: start and end, or a date and hours.
    ///
    /// Example: billable time add --project 1 --date 2026-03-28 --hours 2.5 -d "Client call"
    /// Example: billable time add --project 1 --start 2026-03-28T09:00 --end 2026-03-28T10:20
    Add {
        #[arg(long)]
        project: i64,
        #[arg(long)]
        task: Option<i64>,
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
        id: i64,
        #[arg(long)]
        project: Option<i64>,
        /// Task id; 0 removes the task.
        #[arg(long)]
        task: Option<i64>,
        #[command(flatten)]
        fields: EntryArgs,
        /// true or false.
        #[arg(long)]
        billable: Option<bool>,
    },
    /// Delete an unbilled time entry.
    Delete { id: i64 },
    /// List time entries.
    ///
    /// Example: billable time list --client "Acme GmbH" --from 2026-03-01 --to 2026-03-31 --unbilled
    List {
        /// Client id or name.
        #[arg(long)]
        client: Option<String>,
        #[arg(long)]
        project: Option<i64>,
        #[arg(long)]
        task: Option<i64>,
        #[arg(long)]
        member: Option<i64>,
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
        /// At most this many entries.
        #[arg(long)]
        limit: Option<u32>,
    },
    /// Unbilled billable time of a client, with hours and amounts.
    ///
    /// Example: billable time unbilled --client "Acme GmbH" --project 1
    Unbilled {
        /// Client id or name.
        #[arg(long)]
        client: String,
        #[arg(long)]
        project: Option<i64>,
        #[arg(long)]
        from: Option<String>,
        #[arg(long)]
        to: Option<String>,
    },
}

/// The fields of a time entry shared by `time add` and `time edit`.
#[derive(Debug, Args)]
pub struct EntryArgs {
    /// Team member id (default: the first team member).
    #[arg(long)]
    pub member: Option<i64>,
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
    #[arg(long)]
    pub notes: Option<String>,
    /// Terms text.
    #[arg(long, allow_hyphen_values = true)]
    pub terms: Option<String>,
    /// Purchase order / buyer reference.
    #[arg(long = "po")]
    pub po_number: Option<String>,
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
}

#[derive(Debug, Subcommand)]
pub enum InvoiceCmd {
    /// Create a draft invoice with lines typed by hand.
    ///
    /// Lines are "DESCRIPTION|QUANTITY|RATE[|UNIT[|DISCOUNT[|TAX_ID]]]".
    ///
    /// Example: billable invoice create --client "Acme GmbH" --tax 1 --line "Logo design|1|800" --line "Hosting|12|15|months"
    Create {
        /// Client id or name.
        #[arg(long)]
        client: String,
        /// A custom invoice number (must be unused).
        #[arg(long)]
        number: Option<String>,
        #[arg(long)]
        project: Option<i64>,
        /// A line; repeat for several.
        #[arg(long = "line", value_name = "DESC|QTY|RATE[|UNIT[|DISCOUNT[|TAX]]]")]
        lines: Vec<String>,
        #[command(flatten)]
        header: HeaderArgs,
    },
    /// Create a draft invoice from unbilled time (or preview it).
    ///
    /// Example: billable invoice from-time --client "Acme GmbH" --from 2026-03-01 --to 2026-03-31 --group task --preview
    /// Example: billable invoice from-time --client "Acme GmbH" --entries 12,15,18
    FromTime {
        /// Client id or name.
        #[arg(long)]
        client: String,
        /// Bill exactly these entry ids (comma separated).
        #[arg(long, value_delimiter = ',')]
        entries: Vec<i64>,
        /// Only this project's time.
        #[arg(long)]
        project: Option<i64>,
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
        #[arg(long)]
        number: Option<String>,
        #[command(flatten)]
        header: HeaderArgs,
    },
    /// Show an invoice with lines, taxes, payments and history.
    Show {
        /// Invoice number or id.
        invoice: String,
    },
    /// List invoices.
    ///
    /// Example: billable invoice list --status overdue --sort due_date
    List {
        /// draft, sent, partially_paid, paid, overdue or cancelled.
        #[arg(long)]
        status: Option<String>,
        /// Client id or name.
        #[arg(long)]
        client: Option<String>,
        #[arg(long)]
        project: Option<i64>,
        /// Issued from this date.
        #[arg(long)]
        from: Option<String>,
        /// Issued up to this date.
        #[arg(long)]
        to: Option<String>,
        /// Text in the number or client name.
        #[arg(long)]
        search: Option<String>,
        /// number, issue_date, due_date or total.
        #[arg(long)]
        sort: Option<String>,
        /// Sort descending.
        #[arg(long)]
        desc: bool,
        #[arg(long, default_value_t = 1)]
        page: u32,
        #[arg(long, default_value_t = 50)]
        per_page: u32,
    },
    /// Add, change, remove or move lines of a draft.
    #[command(subcommand)]
    Line(LineCmd),
    /// Change header fields of a draft.
    ///
    /// Example: billable invoice set INV-2026-0001 --discount 10% --adjustment -0.55 --notes "Thank you!"
    Set {
        invoice: String,
        /// Project id; 0 detaches the project.
        #[arg(long)]
        project: Option<i64>,
        #[command(flatten)]
        header: HeaderArgs,
    },
    /// Copy an invoice's lines into a new draft for a client and dates.
    ///
    /// Example: billable invoice clone INV-2026-0001 --client "Beta Ltd" --issue-date 2026-04-01
    Clone {
        invoice: String,
        /// Client id or name (default: the same client).
        #[arg(long)]
        client: Option<String>,
        #[arg(long)]
        issue_date: Option<String>,
        #[arg(long)]
        due_date: Option<String>,
    },
    /// Issue a draft: mark it sent (its lines and totals are frozen).
    MarkSent { invoice: String },
    /// Set the status by hand (it must agree with the payments).
    ///
    /// Example: billable invoice status INV-2026-0001 sent
    Status {
        invoice: String,
        /// draft, sent, partially_paid, paid or cancelled.
        status: String,
    },
    /// Cancel an invoice without payments; its time can be billed again.
    Cancel { invoice: String },
    /// Delete a draft; its time can be billed again.
    Delete { invoice: String },
    /// Apply an action to several invoices; each result is reported.
    ///
    /// Example: billable invoice bulk mark-sent INV-2026-0001 INV-2026-0002
    Bulk {
        /// mark-sent, mark-paid or delete.
        action: String,
        /// Invoice numbers or ids.
        #[arg(required = true)]
        invoices: Vec<String>,
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
    #[arg(long, short)]
    pub description: Option<String>,
    /// Quantity; may be fractional or negative (a correction).
    #[arg(long, allow_hyphen_values = true)]
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
    /// Add a line to a draft.
    ///
    /// Example: billable invoice line add INV-2026-0001 -d "Travel" --quantity 1 --rate 85
    Add {
        invoice: String,
        #[command(flatten)]
        line: LineArgs,
    },
    /// Change line POSITION (1-based) of a draft.
    ///
    /// Example: billable invoice line edit INV-2026-0001 2 --quantity 3.75
    Edit {
        invoice: String,
        position: usize,
        #[command(flatten)]
        line: LineArgs,
    },
    /// Remove line POSITION of a draft (its time becomes unbilled).
    Delete { invoice: String, position: usize },
    /// Move a line to another position.
    ///
    /// Example: billable invoice line move INV-2026-0001 3 1
    Move { invoice: String, from: usize, to: usize },
}

// ---- payments and reports -------------------------------------------------------

#[derive(Debug, Subcommand)]
pub enum PaymentCmd {
    /// Record a payment (default amount: the balance due; default date: today).
    ///
    /// Example: billable payment add INV-2026-0001 --amount 500 --method "bank transfer" --reference "TX-991"
    Add {
        invoice: String,
        #[arg(long, allow_hyphen_values = true)]
        amount: Option<String>,
        #[arg(long)]
        date: Option<String>,
        #[arg(long)]
        method: Option<String>,
        #[arg(long)]
        reference: Option<String>,
        #[arg(long)]
        note: Option<String>,
    },
    /// List an invoice's payments.
    List { invoice: String },
    /// Delete a payment (the invoice's status follows).
    Delete { id: i64 },
}

#[derive(Debug, Subcommand)]
pub enum ReportCmd {
    /// Hours (total, billable) and amounts, grouped over a date range.
    ///
    /// Example: billable report time --by project --from 2026-01-01 --to 2026-12-31
    Time {
        /// client, project, task or member.
        #[arg(long, default_value = "project")]
        by: String,
        #[arg(long)]
        from: String,
        #[arg(long)]
        to: String,
    },
}
