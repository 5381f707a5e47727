//! One offboarding from the command line, in the console's order: connect (the credentials
//! must be an administrator's), wait for `--at`, read the person, check the rules, draw the
//! engine's plan, and either print it (a dry run) or run it with a journal and write the report.
//!
//! Every decision is the engine's: the plans, the guards (`policy`), the wizard's redraw after
//! step 1, the verdict. This module only gathers the inputs and says what happened.

use crate::args::{Mode, PlatformArgs, Run, Target};
use crate::journal_file::JournalFile;
use crate::native::{self, Api};
use crate::progress::Progress;
use crate::{credentials, dry_run, schedule};
use offboard_engine::client::RetryPolicy;
use offboard_engine::credentials::Credentials;
use offboard_engine::dialect::{Capability, Dialect, KeyDisposal};
use offboard_engine::error::ApiError;
use offboard_engine::model::User;
use offboard_engine::platform::Platform;
use offboard_engine::policy::{self, Account};
use offboard_engine::run::edit;
use offboard_engine::run::execute::Runner;
use offboard_engine::run::journal::Journal;
use offboard_engine::run::plan::{self, Departure, Inventory, Plan, RunKind};
use offboard_engine::run::report;
use std::cell::RefCell;
use std::process::ExitCode;

/// How long a run waits for a platform that stopped answering before its calls fail (as in
/// the console: a restart or a network coming back is waited out, a platform gone is not).
const OUTAGE_PATIENCE_MS: f64 = 5.0 * 60_000.0;

/// Why the command stopped before a verdict, with the exit status that says so.
#[derive(Debug)]
pub struct Failure {
    pub status: u8,
    pub message: String,
}

impl Failure {
    /// Something given on the command line or in a file is wrong: exit 2.
    pub fn bad_input(message: impl Into<String>) -> Self {
        Self {
            status: 2,
            message: message.into(),
        }
    }

    /// The run could not start (unreachable, refused, not found, forbidden): exit 3.
    pub fn cannot_start(message: impl Into<String>) -> Self {
        Self {
            status: 3,
            message: message.into(),
        }
    }
}

/// `offboard plan`: what a run would do now.
pub async fn plan(target: &Target) -> Result<ExitCode, Failure> {
    let connection = Connection::open(&target.platform).await?;
    let prepared = prepare(&connection, target).await?;
    print!(
        "{}",
        dry_run::describe(&prepared.plan, &connection.base_url)
    );
    Ok(ExitCode::SUCCESS)
}

/// `offboard run`: the offboarding itself, ending with the report and the verdict's status.
pub async fn run(run: &Run) -> Result<ExitCode, Failure> {
    if run.dry_run {
        return plan(&run.target).await;
    }
    let target = &run.target;
    let connection = Connection::open(&target.platform).await?;
    if let Some(at) = run.at {
        schedule::wait_until(at).await;
    }
    check_report_writable(run)?;
    let file = run.journal.as_deref().map(JournalFile::new);
    let notified_at_ms = run
        .notified_at
        .map(|at| at.unix_timestamp_nanos() as f64 / 1e6);
    let journal = offboard_one(&connection, target, file.as_ref(), notified_at_ms, None).await?;
    write_report(&journal, run);
    let verdict = report::verdict(&journal);
    eprintln!("{}", verdict.headline);
    eprintln!("{}", verdict.summary);
    for fact in verdict.open_facts() {
        let to_do = fact.to_do.as_deref().unwrap_or("");
        eprintln!("  - {}: {to_do}", fact.label);
    }
    Ok(match verdict.passed() {
        true => ExitCode::SUCCESS,
        false => ExitCode::from(1),
    })
}

/// One person's offboarding, from a fresh plan or from the unfinished run `file` holds, to its
/// end; the journal comes back for its report. `who` prefixes the progress lines (bulk runs
/// print several people's at once).
pub async fn offboard_one(
    connection: &Connection,
    target: &Target,
    file: Option<&JournalFile>,
    notified_at_ms: Option<f64>,
    who: Option<&str>,
) -> Result<Journal, Failure> {
    let earlier = match file {
        Some(file) => file.load().map_err(Failure::bad_input)?,
        None => None,
    };
    // The guided steps' departure as checked now; a continued run takes it from the arguments.
    let mut departure = None;
    let journal = match earlier {
        Some(journal) => {
            check_same_run(&journal, target, &connection.base_url)?;
            let from = file.map(|f| f.path().display().to_string());
            eprintln!(
                "offboard: continuing the run in {} ({} calls made so far)",
                from.unwrap_or_default(),
                journal.calls.len()
            );
            journal
        }
        None => {
            let prepared = prepare(connection, target).await?;
            departure = prepared.departure.clone();
            let mut journal = prepared.journal(connection);
            if let Some(notified) = notified_at_ms {
                journal.notified_at_ms = Some(notified);
            }
            journal
        }
    };
    let journal = RefCell::new(journal);
    let progress = Progress::new(&journal, file, who);
    progress.changed();
    let client = connection.run_client()?;
    let notify = || progress.changed();
    let runner = Runner::new(&client, &journal, &notify);
    let wizard = journal.borrow().plan.kind == RunKind::Wizard;
    if wizard && !journal.borrow().plan.departure_confirmed() {
        let departure = match departure {
            Some(checked) => checked,
            None => departure_as_given(target)?,
        };
        let keys = target.keys.clone().unwrap_or(KeyDisposal::Delete);
        runner.run_guided(&departure, keys).await;
    } else {
        runner.run_remaining().await;
    }
    progress.changed();
    Ok(journal.into_inner())
}

/// The platform, and who the credentials belong to (an administrator, or they are refused).
pub struct Connection {
    /// For reads, which give up at once when the platform is unreachable.
    client: Api,
    credentials: Credentials,
    max_in_flight: usize,
    pub dialect: Dialect,
    pub base_url: String,
    pub actor: Option<User>,
}

impl Connection {
    pub async fn open(target: &PlatformArgs) -> Result<Self, Failure> {
        let dialect = Dialect::from(target.dialect);
        let credentials = credentials::read(dialect, target.credentials_file.as_deref())
            .map_err(Failure::bad_input)?;
        let max_in_flight = usize::from(target.max_in_flight);
        let client = native::client(&target.base_url, credentials.clone(), max_in_flight)
            .map_err(Failure::cannot_start)?;
        let actor = Platform::new(&client, dialect)
            .who_am_i()
            .await
            .map_err(|error| {
                Failure::cannot_start(format!(
                    "cannot connect to {}: {}",
                    target.base_url,
                    error.plain_words()
                ))
            })?;
        Ok(Self {
            client,
            credentials,
            max_in_flight,
            dialect,
            base_url: target.base_url.clone(),
            actor,
        })
    }

    pub fn platform(&self) -> Platform<'_, native::HttpTransport, native::SystemClock> {
        Platform::new(&self.client, self.dialect)
    }

    /// A client for one run: its own congestion window, and an outage waited out.
    fn run_client(&self) -> Result<Api, Failure> {
        let client = native::client(&self.base_url, self.credentials.clone(), self.max_in_flight)
            .map_err(Failure::cannot_start)?;
        Ok(client.with_retry(RetryPolicy::riding_out_outages(OUTAGE_PATIENCE_MS)))
    }

    /// How the reports name who ran it.
    fn operator(&self) -> String {
        let who = match &self.actor {
            Some(user) => format!("{} <{}>", user.name, user.email),
            None => "an administrator (this platform does not say who)".to_string(),
        };
        format!("{who}, with the offboard command line")
    }
}

/// The plan drawn from what was read, with what the run needs besides.
pub struct Prepared {
    pub plan: Plan,
    /// The guided steps' departure, applied once step 1 has documented access.
    departure: Option<Departure>,
}

impl Prepared {
    /// The run's journal. The guided steps start as the console starts them (the steps an
    /// identity provider owns marked as not possible here) and are redrawn after step 1.
    fn journal(self, connection: &Connection) -> Journal {
        let now = native::epoch_ms();
        let operator = connection.operator();
        let endpoint = connection.base_url.clone();
        match (self.plan.kind, &self.departure) {
            (RunKind::Wizard, Some(departure)) => {
                let inventory = Inventory {
                    user: self.plan.target.as_user(),
                    ..Inventory::default()
                };
                edit::start_wizard(
                    self.plan.dialect,
                    &inventory,
                    &departure.date,
                    operator,
                    endpoint,
                    now,
                )
            }
            _ => {
                let mut journal = Journal::new(self.plan, operator, endpoint, now);
                journal.notified_at_ms = Some(now);
                journal
            }
        }
    }
}

/// Reads the person and everything the plan needs, checks the rules, and draws the plan.
pub async fn prepare(connection: &Connection, target: &Target) -> Result<Prepared, Failure> {
    let dialect = connection.dialect;
    let inventory = read_inventory(connection, &target.user).await?;
    let person = &inventory.user;
    let actor = connection.actor.as_ref().map(Account::from);
    if let Some(refusal) = policy::refusal(actor, Account::from(person)) {
        return Err(Failure::cannot_start(format!(
            "{} may not be offboarded with these credentials: {refusal}",
            person.email
        )));
    }
    let keys = key_disposal(connection, target, person).await?;
    let date = target.date.clone().unwrap_or_else(today);
    let (plan, departure) = match target.mode {
        Mode::Emergency if plan::looks_offboarded(dialect, &inventory) => {
            eprintln!(
                "offboard: {} already looks offboarded (disabled, no API key left): reading every fact back instead, changing nothing",
                person.email
            );
            (plan::verification(dialect, &inventory), None)
        }
        Mode::Emergency => (plan::emergency(dialect, &inventory, &date), None),
        Mode::Delete => (plan::deletion(dialect, &inventory, keys), None),
        Mode::WizardSteps => {
            let departure = departure(connection, target, &inventory, date).await?;
            let plan = plan::wizard(dialect, &inventory, &departure, keys);
            (plan, Some(departure))
        }
    };
    Ok(Prepared { plan, departure })
}

/// The person, their keys and, where the platform has them, groups and owned pipelines.
async fn read_inventory(connection: &Connection, who: &str) -> Result<Inventory, Failure> {
    let platform = connection.platform();
    let cannot_read = |error: ApiError| match error {
        ApiError::NotFound { .. } => {
            Failure::cannot_start(format!("no one is {who} on {}", connection.base_url))
        }
        other => Failure::cannot_start(format!("cannot read {who}: {}", other.plain_words())),
    };
    let user = platform.find_user(who).await.map_err(cannot_read)?;
    let groups = async {
        match platform.offers(Capability::Groups) {
            true => platform.groups(&user).await,
            false => Ok(Vec::new()),
        }
    };
    let pipelines = async {
        match platform.offers(Capability::Pipelines) {
            true => platform.pipelines(&user).await,
            false => Ok(Vec::new()),
        }
    };
    let (keys, groups, pipelines) = tokio::join!(platform.keys(&user), groups, pipelines);
    Ok(Inventory {
        keys: keys
            .map_err(cannot_read)?
            .into_iter()
            .map(|k| k.id)
            .collect(),
        groups: groups
            .map_err(cannot_read)?
            .into_iter()
            .map(|g| g.id)
            .collect(),
        pipelines: pipelines
            .map_err(cannot_read)?
            .into_iter()
            .map(|p| p.uid)
            .collect(),
        user,
    })
}

/// What happens to the keys: the platform must be able to keep them, the heir must exist, and
/// keys must not gain a stronger role unless that is accepted (Treasure Data's warning).
async fn key_disposal(
    connection: &Connection,
    target: &Target,
    person: &User,
) -> Result<KeyDisposal, Failure> {
    let keys = target.keys.clone().unwrap_or(KeyDisposal::Delete);
    let KeyDisposal::Reassign(heir) = &keys else {
        return Ok(keys);
    };
    if !connection.dialect.api().reassigns_keys() {
        return Err(Failure::bad_input(format!(
            "{} cannot keep a departing person's keys: use --keys delete",
            connection.dialect.label()
        )));
    }
    let heir_role = match heir {
        Some(email) => {
            let found = connection.platform().find_user(email).await;
            let heir = found.map_err(|_| {
                Failure::bad_input(format!(
                    "no one is {email} on {}: the keys need an heir who exists",
                    connection.base_url
                ))
            })?;
            if heir.id == person.id {
                return Err(Failure::bad_input(
                    "the keys cannot be reassigned to the person who leaves",
                ));
            }
            heir.account_role
        }
        None => Some(policy::AccountRole::Owner),
    };
    let leaving_role = person
        .account_role
        .unwrap_or(policy::AccountRole::Restricted);
    if let Some(stronger) = heir_role.filter(|role| leaving_role.escalates_to(*role))
        && !target.accept_key_escalation
    {
        return Err(Failure::bad_input(format!(
            "reassigned, {}'s {} keys would act with the {} role of their new owner; pass --accept-key-escalation if that is intended",
            person.email,
            leaving_role.as_str(),
            stronger.as_str()
        )));
    }
    Ok(keys)
}

/// The guided steps' departure, checked as the console's form checks it.
async fn departure(
    connection: &Connection,
    target: &Target,
    inventory: &Inventory,
    date: String,
) -> Result<Departure, Failure> {
    let reason = reason(target)?;
    let handed_off_to = match &target.replacement {
        Some(email) => {
            let found = connection.platform().find_user(email).await.map_err(|_| {
                Failure::bad_input(format!("no one is {email} on {}", connection.base_url))
            })?;
            if found.id == inventory.user.id {
                return Err(Failure::bad_input(
                    "the replacement cannot be the person who leaves",
                ));
            }
            found.email
        }
        None if !inventory.pipelines.is_empty() => {
            return Err(Failure::bad_input(format!(
                "{} owns {} pipelines: name who takes them over with --replacement EMAIL",
                inventory.user.email,
                inventory.pipelines.len()
            )));
        }
        None => String::new(),
    };
    Ok(Departure {
        date,
        reason,
        handed_off_to,
    })
}

/// The departure of a continued run whose step 1 ended before it was recorded.
fn departure_as_given(target: &Target) -> Result<Departure, Failure> {
    Ok(Departure {
        date: target.date.clone().unwrap_or_else(today),
        reason: reason(target)?,
        handed_off_to: target.replacement.clone().unwrap_or_default(),
    })
}

/// `--reason`, which the guided steps record on the account.
fn reason(target: &Target) -> Result<String, Failure> {
    match target.reason.as_deref().map(str::trim) {
        Some(reason) if !reason.is_empty() => Ok(reason.to_string()),
        _ => Err(Failure::bad_input(
            "say why the person leaves with --reason: it is recorded on the account",
        )),
    }
}

/// A journal given with `--journal` continues only the run it holds.
fn check_same_run(journal: &Journal, target: &Target, base_url: &str) -> Result<(), Failure> {
    let plan = &journal.plan;
    let who = target.user.trim();
    let same_person = [&plan.target.reference, &plan.target.id]
        .iter()
        .any(|reference| reference.as_str() == who)
        || plan.target.email.eq_ignore_ascii_case(who);
    let same_kind = matches!(
        (target.mode, plan.kind),
        (Mode::WizardSteps, RunKind::Wizard)
            | (Mode::Emergency, RunKind::Emergency | RunKind::Verification)
            | (Mode::Delete, RunKind::Deletion)
    );
    let same_place =
        journal.endpoint == base_url && plan.dialect == Dialect::from(target.platform.dialect);
    match same_person && same_kind && same_place {
        true => Ok(()),
        false => Err(Failure::bad_input(format!(
            "the journal holds another run ({} of {} on {}): give another --journal file",
            journal.id, plan.target.email, journal.endpoint
        ))),
    }
}

/// A report that could not be written after the run would be lost, so `--report` is tried
/// before anything is changed.
fn check_report_writable(run: &Run) -> Result<(), Failure> {
    let Some(path) = &run.report else {
        return Ok(());
    };
    std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(path)
        .map(drop)
        .map_err(|error| Failure::bad_input(format!("cannot write {}: {error}", path.display())))
}

/// The report to `--report`, or stdout (also when the file cannot be written after all), and
/// its SHA-256 on stderr: the digest the console prints on a report's paper copy.
fn write_report(journal: &Journal, run: &Run) {
    use sha2::Digest;
    let text = report::to_json_text(journal);
    eprintln!(
        "Report SHA-256: {:x}",
        sha2::Sha256::digest(text.as_bytes())
    );
    if let Some(path) = &run.report {
        match std::fs::write(path, &text) {
            Ok(()) => return,
            Err(error) => eprintln!(
                "offboard: cannot write {}: {error}; the report follows on stdout",
                path.display()
            ),
        }
    }
    print!("{text}");
}

/// Today in UTC, `YYYY-MM-DD`, as the departure date recorded when none is given.
fn today() -> String {
    offboard_engine::time::rfc3339(native::epoch_ms())[..10].to_string()
}
