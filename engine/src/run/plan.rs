//! Plans: what an offboarding will do, step by step, before it does it.
//!
//! A plan is data. It is built from what was read about the person (an [`Inventory`]) and can
//! be shown as a dry run ([`Step::preview`]) with every call it will make. At run time each step
//! reconciles (lists what is still there and removes it), so the calls actually made can include
//! keys created after the plan was drawn; the journal records those.

use crate::dialect::{DialectApi, KeyDisposal};
use crate::http::Request;
use crate::json::{Fields, FromJson, Read, variant};
use crate::model::{Dialect, User};
use crate::policy::AccountRole;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use std::collections::BTreeMap;

/// Who is being offboarded, as the plan and the report name them.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Target {
    /// What the dialect's paths take: ADOC user id, TD email.
    pub reference: String,
    pub id: String,
    pub email: String,
    pub name: String,
    pub role: Option<AccountRole>,
    pub scim_managed: bool,
    pub identity_provider: Option<String>,
}

impl Target {
    pub fn new(user: &User, dialect: Dialect) -> Self {
        Self {
            reference: user.reference(dialect).to_string(),
            id: user.id.clone(),
            email: user.email.clone(),
            name: user.name.clone(),
            role: user.account_role,
            scim_managed: user.scim_managed,
            identity_provider: user.identity_provider.clone(),
        }
    }
}

/// What is known about the person's access when the plan is drawn.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Inventory {
    pub user: User,
    pub keys: Vec<String>,
    pub groups: Vec<String>,
    pub pipelines: Vec<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum RunKind {
    Wizard,
    Emergency,
    /// Reading back a person offboarded earlier: no change, only evidence.
    Verification,
    /// The delete-user modal: the account itself is removed.
    Deletion,
    /// Bringing back a person who returns (ADOC): the account re-enabled, groups restored.
    Reactivation,
}

/// A verification: one fact that must hold once access is gone.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub enum CheckKind {
    /// ADOC: the account is disabled.
    Disabled,
    /// ADOC: the account carries the runbook's offboarding attributes.
    OffboardingRecorded,
    NoKeys,
    NoGroups,
    NoPermissions,
    NoPipelines,
    /// TD: the user is no longer listed.
    UserRemoved,
    /// ADOC: the account is gone (its read answers 404).
    UserDeleted,
    /// ADOC, reactivation: the account is enabled again.
    Enabled,
    /// ADOC, reactivation: the account is a member of each of these groups again.
    GroupsRestored {
        groups: Vec<String>,
    },
    /// TD: the user's keys are listed under `to` (they were reassigned).
    KeysReassigned {
        to: String,
        keys: Vec<String>,
    },
}

impl CheckKind {
    pub fn label(&self) -> String {
        match self {
            CheckKind::Disabled => "Account disabled".into(),
            CheckKind::OffboardingRecorded => "Offboarding recorded on the account".into(),
            CheckKind::NoKeys => "No API keys left".into(),
            CheckKind::NoGroups => "No group memberships left".into(),
            CheckKind::NoPermissions => "No permissions left".into(),
            CheckKind::NoPipelines => "No pipelines still owned".into(),
            CheckKind::UserRemoved => "User removed".into(),
            CheckKind::UserDeleted => "Account deleted".into(),
            CheckKind::Enabled => "Account enabled".into(),
            CheckKind::GroupsRestored { groups } => {
                format!("{} restored", crate::words::count(groups.len(), "group"))
            }
            CheckKind::KeysReassigned { to, .. } => format!("API keys now belong to {to}"),
        }
    }
}

/// What a step does.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub enum Action {
    /// Runbook step 1: record current access (the snapshot is kept with the run).
    Document,
    /// ADOC: the exact `PUT /admin/api/users/:id` that disables and records why.
    Disable {
        request: Request,
    },
    /// ADOC: revoke every key (all pages), then list again for keys created meanwhile.
    RevokeKeys {
        known: Vec<String>,
    },
    /// ADOC: remove every group membership.
    RemoveGroups {
        known: Vec<String>,
    },
    /// Emergency: revoke the known keys and remove the known groups at once, then sweep up
    /// whatever appeared meanwhile.
    LockOut {
        keys: Vec<String>,
        groups: Vec<String>,
    },
    Verify {
        checks: Vec<CheckKind>,
    },
    /// ADOC: move every pipeline the person owns to `to` (an email), then check none is left.
    TransferPipelines {
        to: String,
        known: Vec<String>,
    },
    /// TD: remove the user, deleting or reassigning their keys.
    RemoveUser {
        keys: KeyDisposal,
    },
    /// ADOC: delete the account (`DELETE …/remove-user`), once its keys and groups are gone.
    DeleteUser,
    /// ADOC: the exact `PUT` that re-enables the account and records the reactivation.
    Reactivate {
        request: Request,
    },
    /// ADOC: add the account back to these groups (from an offboarding run's snapshot).
    RestoreGroups {
        groups: Vec<String>,
    },
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Step {
    pub id: String,
    pub title: String,
    /// What the step does and why, in plain words.
    pub why: String,
    pub action: Action,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Plan {
    pub kind: RunKind,
    pub dialect: Dialect,
    pub target: Target,
    /// What was decided when the steps were drawn; screens read these, not the steps' bodies.
    pub decisions: Decisions,
    pub steps: Vec<Step>,
}

/// The choices a plan's steps were drawn from.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Decisions {
    /// The departure (wizard): date, reason and replacement, as the form last confirmed or its
    /// defaults.
    pub departure: Option<Departure>,
    /// What happens to the person's API keys, where the run removes them.
    pub keys: Option<KeyDisposal>,
}

/// What the help-desk person fills in for runbook step 2.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Departure {
    /// `YYYY-MM-DD`.
    pub date: String,
    pub reason: String,
    /// The replacement's email; pipelines go to them.
    pub handed_off_to: String,
}

/// The attribute map that disables with a record of why, keeping every other attribute.
pub fn offboarding_attributes(
    current: &BTreeMap<String, Vec<String>>,
    date: &str,
    reason: &str,
    handed_off_to: Option<&str>,
) -> BTreeMap<String, Vec<String>> {
    let mut attributes = current.clone();
    attributes.insert("status".into(), vec![crate::model::OFFBOARDED.into()]);
    attributes.insert("offboardDate".into(), vec![date.into()]);
    attributes.insert("reason".into(), vec![reason.into()]);
    if let Some(to) = handed_off_to {
        attributes.insert("handedOffTo".into(), vec![to.into()]);
    }
    attributes
}

/// One step of a plan (the dialects' plan modules write their steps with it).
pub(crate) fn step(id: &str, title: &str, why: &str, action: Action) -> Step {
    Step {
        id: id.into(),
        title: title.into(),
        why: why.into(),
        action,
    }
}

/// The snapshot a deletion takes first: a deleted account cannot be read afterwards.
pub(crate) fn deletion_snapshot() -> Step {
    step(
        "document",
        "Document current access",
        "Records what the person could reach, kept with this report: a deleted account cannot be read afterwards.",
        Action::Document,
    )
}

fn plan(
    kind: RunKind,
    dialect: Dialect,
    target: Target,
    decisions: Decisions,
    steps: Vec<Step>,
) -> Plan {
    Plan {
        kind,
        dialect,
        target,
        decisions,
        steps,
    }
}

/// The guided offboarding: the runbook's whole workflow, in its order (see each dialect's plans).
pub fn wizard(
    dialect: Dialect,
    inventory: &Inventory,
    departure: &Departure,
    td_keys: KeyDisposal,
) -> Plan {
    let target = Target::new(&inventory.user, dialect);
    let decisions = Decisions {
        departure: Some(departure.clone()),
        keys: Some(td_keys.clone()),
    };
    let steps = dialect
        .api()
        .wizard_steps(&target, inventory, departure, td_keys);
    plan(RunKind::Wizard, dialect, target, decisions, steps)
}

/// The runbook's "Emergency Offboarding", done at once (see each dialect's plans).
pub fn emergency(dialect: Dialect, inventory: &Inventory, date: &str) -> Plan {
    let target = Target::new(&inventory.user, dialect);
    let decisions = Decisions {
        departure: None,
        keys: Some(KeyDisposal::Delete),
    };
    let steps = dialect.api().emergency_steps(&target, inventory, date);
    plan(RunKind::Emergency, dialect, target, decisions, steps)
}

/// The delete-user modal's run: the snapshot first, then the account goes with its keys
/// deleted (or, where the dialect allows, reassigned), then verification.
pub fn deletion(dialect: Dialect, inventory: &Inventory, keys: KeyDisposal) -> Plan {
    let target = Target::new(&inventory.user, dialect);
    let decisions = Decisions {
        departure: None,
        keys: Some(keys.clone()),
    };
    let steps = dialect.api().deletion_steps(&target, inventory, keys);
    plan(RunKind::Deletion, dialect, target, decisions, steps)
}

/// Bringing back a person who returns; `None` where the dialect has nothing to bring back (a
/// removed Treasure Data user is gone).
pub fn reactivation(
    dialect: Dialect,
    inventory: &Inventory,
    date: &str,
    by: &str,
    groups: &[String],
) -> Option<Plan> {
    let target = Target::new(&inventory.user, dialect);
    let steps = dialect
        .api()
        .reactivation_steps(&target, inventory, date, by, groups)?;
    Some(plan(
        RunKind::Reactivation,
        dialect,
        target,
        Decisions::default(),
        steps,
    ))
}

/// The facts that together mean "no access left" on a platform: what every offboarding must
/// prove, whatever its steps (see `run::verdict`).
pub fn access_facts(dialect: Dialect) -> Vec<CheckKind> {
    dialect.api().access_facts()
}

/// Whether the person looks offboarded already (an ADOC account disabled with no API key left;
/// a removed Treasure Data user is simply not found). Such a person is offered a fresh
/// verification rather than a second offboarding.
pub fn looks_offboarded(dialect: Dialect, inventory: &Inventory) -> bool {
    dialect.api().looks_offboarded(inventory)
}

/// Reads every fact of access back, changing nothing: the check for a person offboarded earlier.
pub fn verification(dialect: Dialect, inventory: &Inventory) -> Plan {
    let target = Target::new(&inventory.user, dialect);
    // The facts of access (as the lockout proves them); ownership is the wizard's hand-over.
    let checks = access_facts(dialect);
    let steps = vec![step(
        "verify",
        "Verify access removed",
        "Reads the account back and checks each fact again; nothing is changed. Each check shows the answer it read.",
        Action::Verify { checks },
    )];
    plan(
        RunKind::Verification,
        dialect,
        target,
        Decisions::default(),
        steps,
    )
}

impl CheckKind {
    /// The facts an identity provider owns for a SCIM-managed user: the platform refuses to change
    /// them (API keys and pipelines are not the identity provider's, so they can be done here).
    pub fn owned_by_identity_provider(&self) -> bool {
        matches!(
            self,
            CheckKind::Disabled
                | CheckKind::OffboardingRecorded
                | CheckKind::NoGroups
                | CheckKind::NoPermissions
                | CheckKind::UserRemoved
                | CheckKind::UserDeleted
        )
    }
}

impl Action {
    /// Whether an identity provider owns what this action changes for a SCIM-managed person
    /// (the platform refuses it: the account's state and its groups), so it is done there.
    /// API keys are the platform's own, whoever manages the account.
    pub fn owned_by_identity_provider(&self) -> bool {
        matches!(self, Action::Disable { .. } | Action::RemoveGroups { .. })
    }
}

impl Step {
    /// The calls this step will make, as far as they are known before it runs (the dry run).
    /// A call the dialect has no form for is left out (its plans never ask for it).
    pub fn preview(&self, plan: &Plan) -> Vec<Request> {
        let api = plan.dialect.api();
        let target = &plan.target;
        let keys = || api.list_keys(&target.reference, 0);
        let calls: Vec<Option<Request>> = match &self.action {
            Action::Document => document_reads(api, target),
            Action::Disable { request } | Action::Reactivate { request } => {
                vec![Some(request.clone())]
            }
            Action::RevokeKeys { known } => std::iter::once(Some(keys()))
                .chain(
                    known
                        .iter()
                        .map(|key| Some(api.revoke_key(&target.reference, key))),
                )
                .chain([Some(keys())])
                .collect(),
            Action::RemoveGroups { known } => vec![
                api.list_groups(target),
                api.remove_groups(target, known),
                api.list_groups(target),
            ],
            Action::LockOut {
                keys: known,
                groups,
            } => {
                let mut calls: Vec<Option<Request>> = known
                    .iter()
                    .map(|key| Some(api.revoke_key(&target.reference, key)))
                    .collect();
                if !groups.is_empty() {
                    calls.push(api.remove_groups(target, groups));
                }
                calls.push(Some(keys()));
                calls.push(api.list_groups(target));
                calls
            }
            Action::Verify { checks } => checks
                .iter()
                .flat_map(|check| check_calls(check, plan))
                .map(Some)
                .collect(),
            Action::TransferPipelines { to, known } => std::iter::once(api.owned_pipelines(target))
                .chain(known.iter().map(|uid| api.transfer_pipeline(uid, to)))
                .chain([api.owned_pipelines(target)])
                .collect(),
            Action::RemoveUser { keys } => vec![api.remove_user(target, keys)],
            Action::DeleteUser => vec![api.delete_user(target)],
            Action::RestoreGroups { groups } => vec![api.assign_groups(target, groups)],
        };
        calls.into_iter().flatten().collect()
    }
}

/// What documenting current access reads: the user, then each part of access the dialect has
/// (the first page of keys shown; every page is read at run time).
fn document_reads(api: &dyn DialectApi, target: &Target) -> Vec<Option<Request>> {
    vec![
        Some(api.find_user(&target.reference)),
        api.list_roles(target),
        Some(api.list_keys(&target.reference, 0)),
        api.list_groups(target),
        api.list_permissions(target),
        api.owned_pipelines(target),
    ]
}

/// The read each check makes; a check the dialect cannot read has none (and stays unchecked).
pub fn check_calls(check: &CheckKind, plan: &Plan) -> Vec<Request> {
    let api = plan.dialect.api();
    let target = &plan.target;
    let reads = match check {
        CheckKind::Disabled
        | CheckKind::OffboardingRecorded
        | CheckKind::UserDeleted
        | CheckKind::Enabled => vec![Some(api.find_user(&target.reference))],
        CheckKind::GroupsRestored { .. } | CheckKind::NoGroups => vec![api.list_groups(target)],
        CheckKind::NoKeys => vec![Some(api.list_keys(&target.reference, 0))],
        CheckKind::NoPermissions => vec![api.list_permissions(target)],
        CheckKind::NoPipelines => vec![api.owned_pipelines(target)],
        CheckKind::UserRemoved => vec![Some(api.list_users(0, Some(&target.email)))],
        // The user list names the new owner's role, which the reassigned keys now carry.
        CheckKind::KeysReassigned { to, .. } => {
            vec![
                Some(api.list_keys(to, 0)),
                Some(api.list_users(0, Some(to))),
            ]
        }
    };
    reads.into_iter().flatten().collect()
}

// Reading plans back from a journal: see `crate::json` (the JSON is the one `Serialize` writes).

crate::deserialize_from_json!(Target, CheckKind, Action, Step, Decisions, Plan);

impl FromJson for Decisions {
    fn from_json(value: &Value) -> Read<Self> {
        let fields = Fields::of(value)?;
        Ok(Decisions {
            departure: fields.opt("departure")?,
            keys: fields.opt("keys")?,
        })
    }
}

impl FromJson for Departure {
    fn from_json(value: &Value) -> Read<Self> {
        let fields = Fields::of(value)?;
        Ok(Departure {
            date: fields.req("date")?,
            reason: fields.req("reason")?,
            handed_off_to: fields.req("handedOffTo")?,
        })
    }
}

impl FromJson for Target {
    fn from_json(value: &Value) -> Read<Self> {
        let fields = Fields::of(value)?;
        Ok(Target {
            reference: fields.req("reference")?,
            id: fields.req("id")?,
            email: fields.req("email")?,
            name: fields.req("name")?,
            role: fields.opt("role")?,
            scim_managed: fields.req("scimManaged")?,
            identity_provider: fields.opt("identityProvider")?,
        })
    }
}

impl FromJson for RunKind {
    fn from_json(value: &Value) -> Read<Self> {
        variant(
            value,
            &[
                RunKind::Wizard,
                RunKind::Emergency,
                RunKind::Verification,
                RunKind::Deletion,
                RunKind::Reactivation,
            ],
            |kind| match kind {
                RunKind::Wizard => "wizard",
                RunKind::Emergency => "emergency",
                RunKind::Verification => "verification",
                RunKind::Deletion => "deletion",
                RunKind::Reactivation => "reactivation",
            },
        )
    }
}

impl FromJson for CheckKind {
    fn from_json(value: &Value) -> Read<Self> {
        let fields = Fields::of(value)?;
        Ok(match fields.req::<String>("kind")?.as_str() {
            "disabled" => CheckKind::Disabled,
            "offboarding-recorded" => CheckKind::OffboardingRecorded,
            "no-keys" => CheckKind::NoKeys,
            "no-groups" => CheckKind::NoGroups,
            "no-permissions" => CheckKind::NoPermissions,
            "no-pipelines" => CheckKind::NoPipelines,
            "user-removed" => CheckKind::UserRemoved,
            "user-deleted" => CheckKind::UserDeleted,
            "enabled" => CheckKind::Enabled,
            "groups-restored" => CheckKind::GroupsRestored {
                groups: fields.req("groups")?,
            },
            "keys-reassigned" => CheckKind::KeysReassigned {
                to: fields.req("to")?,
                keys: fields.req("keys")?,
            },
            _ => return Err("unknown check"),
        })
    }
}

impl FromJson for Action {
    fn from_json(value: &Value) -> Read<Self> {
        let fields = Fields::of(value)?;
        Ok(match fields.req::<String>("kind")?.as_str() {
            "document" => Action::Document,
            "disable" => Action::Disable {
                request: fields.req("request")?,
            },
            "revoke-keys" => Action::RevokeKeys {
                known: fields.req("known")?,
            },
            "remove-groups" => Action::RemoveGroups {
                known: fields.req("known")?,
            },
            "lock-out" => Action::LockOut {
                keys: fields.req("keys")?,
                groups: fields.req("groups")?,
            },
            "verify" => Action::Verify {
                checks: fields.req("checks")?,
            },
            "transfer-pipelines" => Action::TransferPipelines {
                to: fields.req("to")?,
                known: fields.req("known")?,
            },
            "remove-user" => Action::RemoveUser {
                keys: fields.req("keys")?,
            },
            "delete-user" => Action::DeleteUser,
            "reactivate" => Action::Reactivate {
                request: fields.req("request")?,
            },
            "restore-groups" => Action::RestoreGroups {
                groups: fields.req("groups")?,
            },
            _ => return Err("unknown action"),
        })
    }
}

impl FromJson for Step {
    fn from_json(value: &Value) -> Read<Self> {
        let fields = Fields::of(value)?;
        Ok(Step {
            id: fields.req("id")?,
            title: fields.req("title")?,
            why: fields.req("why")?,
            action: fields.req("action")?,
        })
    }
}

impl FromJson for Plan {
    fn from_json(value: &Value) -> Read<Self> {
        let fields = Fields::of(value)?;
        Ok(Plan {
            kind: fields.req("kind")?,
            dialect: fields.req("dialect")?,
            target: fields.req("target")?,
            decisions: fields.req("decisions")?,
            steps: fields.req("steps")?,
        })
    }
}
