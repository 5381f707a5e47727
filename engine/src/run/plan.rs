//! Plans: what an offboarding will do, step by step, before it does it.
//!
//! A plan is data. It is built from what was read about the person (an [`Inventory`]) and can
//! be shown as a dry run ([`Step::preview`]) with every call it will make. At run time each step
//! reconciles (lists what is still there and removes it), so the calls actually made can include
//! keys created after the plan was drawn; the journal records those.

use crate::dialect::td::KeyDisposal;
use crate::dialect::{adoc, td};
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
    pub steps: Vec<Step>,
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

/// The `handedOffTo` recorded when no one takes over, because the person owns nothing to hand
/// over (no pipelines).
pub const NOTHING_HANDED_OVER: &str = "nobody: nothing to hand over";

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

fn step(id: &str, title: &str, why: &str, action: Action) -> Step {
    Step {
        id: id.into(),
        title: title.into(),
        why: why.into(),
        action,
    }
}

/// The runbook's "Complete Offboarding Workflow" (ADOC) or the TD delete-user flow.
pub fn wizard(
    dialect: Dialect,
    inventory: &Inventory,
    departure: &Departure,
    td_keys: KeyDisposal,
) -> Plan {
    let target = Target::new(&inventory.user, dialect);
    let steps = match dialect {
        Dialect::Adoc => {
            // No replacement (the person owns nothing to hand over): the account says so in
            // words rather than with an empty `handedOffTo`.
            let handed_off_to = match departure.handed_off_to.as_str() {
                "" => NOTHING_HANDED_OVER,
                to => to,
            };
            let attributes = offboarding_attributes(
                &inventory.user.attributes,
                &departure.date,
                &departure.reason,
                Some(handed_off_to),
            );
            vec![
                step(
                    "document",
                    "Document current access",
                    "Records everything the person can reach, with who recorded it and when. It is the audit trail and the handover list, and it is kept with this run's report.",
                    Action::Document,
                ),
                step(
                    "disable",
                    "Disable the account (don't delete)",
                    "Disabling stops every sign-in and every API key at once while keeping the account: audit history and data lineage stay intact, compliance is met, and the person can be reactivated if they return.",
                    Action::Disable {
                        request: adoc::disable_user(&target.id, Some(&attributes)),
                    },
                ),
                step(
                    "revoke-keys",
                    "Revoke API keys",
                    "Deletes every API key, on every page of the list, so no script or tool can act as this person. The list is read again at the end to catch a key created meanwhile.",
                    Action::RevokeKeys {
                        known: inventory.keys.clone(),
                    },
                ),
                step(
                    "remove-groups",
                    "Remove group memberships",
                    "Groups grant roles and roles grant permissions: with no groups left, the account holds no permissions even if it were re-enabled by mistake.",
                    Action::RemoveGroups {
                        known: inventory.groups.clone(),
                    },
                ),
                step(
                    "verify",
                    "Verify access removed",
                    "Reads the account back and checks each fact: disabled, no keys, no groups, no permissions. Each check shows the answer it read.",
                    Action::Verify {
                        checks: vec![
                            CheckKind::Disabled,
                            CheckKind::OffboardingRecorded,
                            CheckKind::NoKeys,
                            CheckKind::NoGroups,
                            CheckKind::NoPermissions,
                        ],
                    },
                ),
                step(
                    "transfer-ownership",
                    "Update ownership",
                    "Moves every pipeline the person owns to their replacement, so nothing the team relies on is left without an owner.",
                    Action::TransferPipelines {
                        to: departure.handed_off_to.clone(),
                        known: inventory.pipelines.clone(),
                    },
                ),
            ]
        }
        Dialect::Td => {
            let mut checks = vec![CheckKind::UserRemoved, CheckKind::NoKeys];
            if let KeyDisposal::Reassign(Some(to)) = &td_keys {
                checks.push(CheckKind::KeysReassigned {
                    to: to.clone(),
                    keys: inventory.keys.clone(),
                });
            }
            vec![
                step(
                    "document",
                    "Document current access",
                    "Records the user and their API keys, with who recorded them and when, before anything changes.",
                    Action::Document,
                ),
                step(
                    "remove-user",
                    "Remove the user",
                    "Treasure Data has no disabled state: the user is removed. Their API keys are deleted (recommended: any script using them stops at once) or reassigned, which gives the keys the new owner's permissions.",
                    Action::RemoveUser { keys: td_keys },
                ),
                step(
                    "verify",
                    "Verify access removed",
                    "Checks the user is gone from the user list and that no key of theirs is still listed (unless reassigned, then under the new owner). Streaming ingest may keep working for up to one minute, so this is checked again after a minute.",
                    Action::Verify { checks },
                ),
            ]
        }
    };
    Plan {
        kind: RunKind::Wizard,
        dialect,
        target,
        steps,
    }
}

/// The runbook's "Emergency Offboarding", done at once: disable, then revoke every key and remove
/// every group concurrently, then verify. A SCIM-managed user cannot be disabled or have groups
/// changed here (the identity provider owns them), so only their keys are revoked.
pub fn emergency(dialect: Dialect, inventory: &Inventory, date: &str) -> Plan {
    let target = Target::new(&inventory.user, dialect);
    let steps = match dialect {
        Dialect::Td => vec![
            step(
                "remove-user",
                "Remove the user and delete their keys",
                "Treasure Data has no disabled state: removing the user with their keys deleted is the lockout.",
                Action::RemoveUser {
                    keys: KeyDisposal::Delete,
                },
            ),
            step(
                "verify",
                "Verify",
                "Checks the user and their keys are gone.",
                Action::Verify {
                    checks: vec![CheckKind::UserRemoved, CheckKind::NoKeys],
                },
            ),
        ],
        Dialect::Adoc if inventory.user.scim_managed => vec![
            step(
                "revoke-keys",
                "Revoke every API key",
                "API keys are not managed by the identity provider, so they can be revoked here.",
                Action::RevokeKeys {
                    known: inventory.keys.clone(),
                },
            ),
            step(
                "verify",
                "Verify",
                "Checks no API key is left.",
                Action::Verify {
                    checks: vec![CheckKind::NoKeys],
                },
            ),
        ],
        Dialect::Adoc => {
            let attributes =
                offboarding_attributes(&inventory.user.attributes, date, "Emergency", None);
            vec![
                step(
                    "disable",
                    "Disable the account",
                    "First, so every key of the person stops working on its very next request.",
                    Action::Disable {
                        request: adoc::disable_user(&target.id, Some(&attributes)),
                    },
                ),
                step(
                    "lock-out",
                    "Revoke every key and remove every group",
                    "All at once, a few requests in flight, then a sweep for anything created meanwhile.",
                    Action::LockOut {
                        keys: inventory.keys.clone(),
                        groups: inventory.groups.clone(),
                    },
                ),
                step(
                    "verify",
                    "Verify",
                    "Reads the account back: disabled, no keys, no groups, no permissions.",
                    Action::Verify {
                        checks: vec![
                            CheckKind::Disabled,
                            CheckKind::NoKeys,
                            CheckKind::NoGroups,
                            CheckKind::NoPermissions,
                        ],
                    },
                ),
            ]
        }
    };
    Plan {
        kind: RunKind::Emergency,
        dialect,
        target,
        steps,
    }
}

impl Step {
    /// The calls this step will make, as far as they are known before it runs (the dry run).
    pub fn preview(&self, plan: &Plan) -> Vec<Request> {
        let target = &plan.target;
        match &self.action {
            Action::Document => match plan.dialect {
                Dialect::Adoc => vec![
                    adoc::get_user(&target.id),
                    adoc::roles(&target.id),
                    adoc::list_keys(&target.id, 0, adoc::KEYS_PAGE),
                    adoc::list_groups(&target.id),
                    adoc::permissions(&target.id),
                    adoc::pipelines_owned_by(&target.email),
                ],
                Dialect::Td => vec![td::list_users(), td::list_keys(&target.email)],
            },
            Action::Disable { request } => vec![request.clone()],
            Action::RevokeKeys { known } => {
                let mut calls = vec![adoc::list_keys(&target.id, 0, adoc::KEYS_PAGE)];
                calls.extend(known.iter().map(|key| adoc::delete_key(key)));
                calls.push(adoc::list_keys(&target.id, 0, adoc::KEYS_PAGE));
                calls
            }
            Action::RemoveGroups { known } => vec![
                adoc::list_groups(&target.id),
                adoc::remove_groups(&target.id, known),
                adoc::list_groups(&target.id),
            ],
            Action::LockOut { keys, groups } => {
                let mut calls: Vec<Request> =
                    keys.iter().map(|key| adoc::delete_key(key)).collect();
                if !groups.is_empty() {
                    calls.push(adoc::remove_groups(&target.id, groups));
                }
                calls.push(adoc::list_keys(&target.id, 0, adoc::KEYS_PAGE));
                calls.push(adoc::list_groups(&target.id));
                calls
            }
            Action::Verify { checks } => checks
                .iter()
                .flat_map(|check| check_calls(check, target))
                .collect(),
            Action::TransferPipelines { to, known } => {
                let mut calls = vec![adoc::pipelines_owned_by(&target.email)];
                calls.extend(known.iter().map(|uid| adoc::transfer_pipeline(uid, to)));
                calls.push(adoc::pipelines_owned_by(&target.email));
                calls
            }
            Action::RemoveUser { keys } => vec![td::remove_user(&target.email, keys)],
        }
    }
}

/// The read each check makes.
pub fn check_calls(check: &CheckKind, target: &Target) -> Vec<Request> {
    match check {
        CheckKind::Disabled | CheckKind::OffboardingRecorded => vec![adoc::get_user(&target.id)],
        CheckKind::NoKeys if target.reference == target.email && target.id != target.email => {
            vec![td::list_keys(&target.email)]
        }
        CheckKind::NoKeys => vec![adoc::list_keys(&target.id, 0, adoc::KEYS_PAGE)],
        CheckKind::NoGroups => vec![adoc::list_groups(&target.id)],
        CheckKind::NoPermissions => vec![adoc::permissions(&target.id)],
        CheckKind::NoPipelines => vec![adoc::pipelines_owned_by(&target.email)],
        CheckKind::UserRemoved => vec![td::list_users()],
        CheckKind::KeysReassigned { to, .. } => vec![td::list_keys(to)],
    }
}

// Reading plans back from a journal: see `crate::json` (the JSON is the one `Serialize` writes).

crate::deserialize_from_json!(Target, CheckKind, Action, Step, Plan);

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
            &[RunKind::Wizard, RunKind::Emergency],
            |kind| match kind {
                RunKind::Wizard => "wizard",
                RunKind::Emergency => "emergency",
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
            steps: fields.req("steps")?,
        })
    }
}
