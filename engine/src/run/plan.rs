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
            // No replacement (the person owns nothing to hand over): no `handedOffTo` at all,
            // rather than an empty or invented one.
            let handed_off_to =
                Some(departure.handed_off_to.as_str()).filter(|to| !to.trim().is_empty());
            let attributes = offboarding_attributes(
                &inventory.user.attributes,
                &departure.date,
                &departure.reason,
                handed_off_to,
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
        Dialect::Td if inventory.user.scim_managed => vec![
            step(
                "document",
                "Document current access",
                "Records the user and their API keys, with who recorded them and when, before anything changes.",
                Action::Document,
            ),
            scim_td_revoke(&target, &inventory.keys),
            step(
                "verify",
                "Verify",
                "Checks no API key is left, and reads the user list: the account itself stays until it is removed in the identity provider.",
                Action::Verify {
                    checks: vec![CheckKind::UserRemoved, CheckKind::NoKeys],
                },
            ),
        ],
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
        Dialect::Td if inventory.user.scim_managed => vec![
            scim_td_revoke(&target, &inventory.keys),
            step(
                "verify",
                "Verify",
                "Checks no key is left, and whether the account is still listed (it stays until removed in the identity provider).",
                Action::Verify {
                    checks: vec![CheckKind::UserRemoved, CheckKind::NoKeys],
                },
            ),
        ],
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
                "Reads every fact back: no API key may be left; the account's enabled state, groups and permissions show what is left to do in the identity provider.",
                Action::Verify {
                    checks: vec![
                        CheckKind::Disabled,
                        CheckKind::NoKeys,
                        CheckKind::NoGroups,
                        CheckKind::NoPermissions,
                    ],
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

/// A SCIM-managed Treasure Data user: the platform refuses to remove the account (the identity
/// provider owns it), but their keys are not the identity provider's, so each is revoked here.
fn scim_td_revoke(target: &Target, keys: &[String]) -> Step {
    let idp = target
        .identity_provider
        .as_deref()
        .unwrap_or("the identity provider");
    step(
        "revoke-keys",
        "Revoke every API key",
        &format!(
            "{idp} owns this account through SCIM, so the platform refuses to remove it here. Its API keys are not {idp}'s: each is revoked here, one by one. Then remove the account in {idp}."
        ),
        Action::RevokeKeys {
            known: keys.to_vec(),
        },
    )
}

/// The delete-user modal's run. Treasure Data: remove the user with the chosen key option, then
/// verify. ADOC: revoke every key and remove every group first (so nothing of theirs outlives a
/// failed delete), then delete the account, then verify it and its keys are gone. The snapshot
/// comes first in both: a deleted account cannot be documented afterwards.
pub fn deletion(dialect: Dialect, inventory: &Inventory, keys: KeyDisposal) -> Plan {
    let target = Target::new(&inventory.user, dialect);
    let document = step(
        "document",
        "Document current access",
        "Records what the person could reach, kept with this report: a deleted account cannot be read afterwards.",
        Action::Document,
    );
    let steps = match dialect {
        Dialect::Td => {
            let mut checks = vec![CheckKind::UserRemoved, CheckKind::NoKeys];
            if let KeyDisposal::Reassign(Some(to)) = &keys {
                checks.push(CheckKind::KeysReassigned {
                    to: to.clone(),
                    keys: inventory.keys.clone(),
                });
            }
            vec![
                document,
                step(
                    "remove-user",
                    "Delete the user",
                    "POST /v3/user/remove: the account goes, and its API keys are deleted or reassigned as chosen.",
                    Action::RemoveUser { keys },
                ),
                step(
                    "verify",
                    "Verify",
                    "Checks the user is no longer listed and no key of theirs is (reassigned keys under their new owner).",
                    Action::Verify { checks },
                ),
            ]
        }
        Dialect::Adoc => vec![
            document,
            step(
                "revoke-keys",
                "Revoke every API key",
                "First, so no key outlives the account even if the delete fails.",
                Action::RevokeKeys {
                    known: inventory.keys.clone(),
                },
            ),
            step(
                "remove-groups",
                "Remove every group membership",
                "Groups grant roles and permissions: none is left behind.",
                Action::RemoveGroups {
                    known: inventory.groups.clone(),
                },
            ),
            step(
                "delete-user",
                "Delete the account",
                "DELETE /admin/api/users/:userId/remove-user.",
                Action::DeleteUser,
            ),
            step(
                "verify",
                "Verify",
                "Reads the account and its keys back: both must be gone.",
                Action::Verify {
                    checks: vec![CheckKind::UserDeleted, CheckKind::NoKeys],
                },
            ),
        ],
    };
    Plan {
        kind: RunKind::Deletion,
        dialect,
        target,
        steps,
    }
}

/// Bringing back a person who returns (ADOC, "can reactivate if they return"): re-enable the
/// account with `status` REACTIVATED, the date and who did it, keeping the offboarding
/// attributes as history; then, if chosen, restore the groups an offboarding run recorded.
/// API keys are never restored: they were secrets, and new ones must be issued.
pub fn reactivation(inventory: &Inventory, date: &str, by: &str, groups: &[String]) -> Plan {
    let target = Target::new(&inventory.user, Dialect::Adoc);
    let mut attributes = inventory.user.attributes.clone();
    attributes.insert("status".into(), vec!["REACTIVATED".into()]);
    attributes.insert("reactivatedDate".into(), vec![date.into()]);
    attributes.insert("reactivatedBy".into(), vec![by.into()]);
    let mut steps = vec![step(
        "reactivate",
        "Re-enable the account",
        "Sets enabled back to true and records the reactivation (status, date, who); the offboarding attributes stay as history.",
        Action::Reactivate {
            request: adoc::enable_user(&target.id, &attributes),
        },
    )];
    let mut checks = vec![CheckKind::Enabled];
    if !groups.is_empty() {
        steps.push(step(
            "restore-groups",
            "Restore group memberships",
            "Adds the person back to the groups the offboarding recorded, as reviewed.",
            Action::RestoreGroups {
                groups: groups.to_vec(),
            },
        ));
        checks.push(CheckKind::GroupsRestored {
            groups: groups.to_vec(),
        });
    }
    steps.push(step(
        "verify",
        "Verify",
        "Reads the account back: enabled, and a member of each restored group.",
        Action::Verify { checks },
    ));
    Plan {
        kind: RunKind::Reactivation,
        dialect: Dialect::Adoc,
        target,
        steps,
    }
}

/// The facts that together mean "no access left" on a platform: what every offboarding must
/// prove, whatever its steps (see `run::verdict`).
pub fn access_facts(dialect: Dialect) -> Vec<CheckKind> {
    match dialect {
        Dialect::Adoc => vec![
            CheckKind::Disabled,
            CheckKind::NoKeys,
            CheckKind::NoGroups,
            CheckKind::NoPermissions,
        ],
        Dialect::Td => vec![CheckKind::UserRemoved, CheckKind::NoKeys],
    }
}

/// Whether the person looks offboarded already: an ADOC account disabled with no API key left
/// (Treasure Data has no disabled state: a removed user is simply not found). Such a person is
/// offered a fresh verification rather than a second offboarding.
pub fn looks_offboarded(dialect: Dialect, inventory: &Inventory) -> bool {
    dialect == Dialect::Adoc && inventory.user.enabled == Some(false) && inventory.keys.is_empty()
}

/// Reads every fact of access back, changing nothing: the check for a person offboarded earlier.
pub fn verification(dialect: Dialect, inventory: &Inventory) -> Plan {
    let target = Target::new(&inventory.user, dialect);
    // The facts of access (as the lockout proves them); ownership is the wizard's hand-over.
    let checks = access_facts(dialect);
    Plan {
        kind: RunKind::Verification,
        dialect,
        target,
        steps: vec![step(
            "verify",
            "Verify access removed",
            "Reads the account back and checks each fact again; nothing is changed. Each check shows the answer it read.",
            Action::Verify { checks },
        )],
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
            Action::RevokeKeys { known } if plan.dialect == Dialect::Td => {
                let mut calls = vec![td::list_keys(&target.email)];
                calls.extend(known.iter().map(|key| td::remove_key(&target.email, key)));
                calls.push(td::list_keys(&target.email));
                calls
            }
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
            Action::DeleteUser => vec![adoc::delete_user(&target.id)],
            Action::Reactivate { request } => vec![request.clone()],
            Action::RestoreGroups { groups } => vec![adoc::assign_groups(&target.id, groups)],
        }
    }
}

/// The read each check makes.
pub fn check_calls(check: &CheckKind, target: &Target) -> Vec<Request> {
    match check {
        CheckKind::Disabled
        | CheckKind::OffboardingRecorded
        | CheckKind::UserDeleted
        | CheckKind::Enabled => vec![adoc::get_user(&target.id)],
        CheckKind::GroupsRestored { .. } => vec![adoc::list_groups(&target.id)],
        CheckKind::NoKeys if target.reference == target.email && target.id != target.email => {
            vec![td::list_keys(&target.email)]
        }
        CheckKind::NoKeys => vec![adoc::list_keys(&target.id, 0, adoc::KEYS_PAGE)],
        CheckKind::NoGroups => vec![adoc::list_groups(&target.id)],
        CheckKind::NoPermissions => vec![adoc::permissions(&target.id)],
        CheckKind::NoPipelines => vec![adoc::pipelines_owned_by(&target.email)],
        CheckKind::UserRemoved => vec![td::list_users()],
        // The user list names the new owner's role, which the reassigned keys now carry.
        CheckKind::KeysReassigned { to, .. } => vec![td::list_keys(to), td::list_users()],
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
            steps: fields.req("steps")?,
        })
    }
}
