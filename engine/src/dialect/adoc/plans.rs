//! The ADOC runbook's steps for each kind of run, in its order and with its reasons.

use super::calls;
use crate::run::plan::{
    Action, CheckKind, Departure, Inventory, Step, Target, offboarding_attributes, step,
};

/// The runbook's "Complete Offboarding Workflow": document, disable (don't delete), revoke keys,
/// remove groups, verify, hand pipelines over.
pub(super) fn wizard(target: &Target, inventory: &Inventory, departure: &Departure) -> Vec<Step> {
    // No replacement (the person owns nothing to hand over): no `handedOffTo` at all,
    // rather than an empty or invented one.
    let handed_off_to = Some(departure.handed_off_to.as_str()).filter(|to| !to.trim().is_empty());
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
                request: calls::disable_user(&target.id, Some(&attributes)),
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

/// "Emergency Offboarding" at once: disable first, then every key and group together, then verify.
/// A SCIM-managed user cannot be disabled or have groups changed here (the identity provider owns
/// them), so only their keys are revoked.
pub(super) fn emergency(target: &Target, inventory: &Inventory, date: &str) -> Vec<Step> {
    if inventory.user.scim_managed {
        return vec![
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
                    checks: access_facts(),
                },
            ),
        ];
    }
    let attributes = offboarding_attributes(&inventory.user.attributes, date, "Emergency", None);
    vec![
        step(
            "disable",
            "Disable the account",
            "First, so every key of the person stops working on its very next request.",
            Action::Disable {
                request: calls::disable_user(&target.id, Some(&attributes)),
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
                checks: access_facts(),
            },
        ),
    ]
}

/// The delete-user modal: revoke every key and remove every group first (so nothing of theirs
/// outlives a failed delete), then delete the account, then verify it and its keys are gone. The
/// snapshot comes first: a deleted account cannot be documented afterwards.
pub(super) fn deletion(inventory: &Inventory) -> Vec<Step> {
    let document = crate::run::plan::deletion_snapshot();
    vec![
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
    ]
}

/// Bringing back a person who returns ("can reactivate if they return"): re-enable the account
/// with `status` REACTIVATED, the date and who did it, keeping the offboarding attributes as
/// history; then, if chosen, restore the groups an offboarding run recorded. API keys are never
/// restored: they were secrets, and new ones must be issued.
pub(super) fn reactivation(
    target: &Target,
    inventory: &Inventory,
    date: &str,
    by: &str,
    groups: &[String],
) -> Vec<Step> {
    let mut attributes = inventory.user.attributes.clone();
    attributes.insert("status".into(), vec!["REACTIVATED".into()]);
    attributes.insert("reactivatedDate".into(), vec![date.into()]);
    attributes.insert("reactivatedBy".into(), vec![by.into()]);
    let mut steps = vec![step(
        "reactivate",
        "Re-enable the account",
        "Sets enabled back to true and records the reactivation (status, date, who); the offboarding attributes stay as history.",
        Action::Reactivate {
            request: calls::enable_user(&target.id, &attributes),
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
    steps
}

/// Every fact of an ADOC account's access, as a verification reads them back: enabled, keys,
/// groups and the permissions the groups grant.
fn access_facts() -> Vec<CheckKind> {
    vec![
        CheckKind::Disabled,
        CheckKind::NoKeys,
        CheckKind::NoGroups,
        CheckKind::NoPermissions,
    ]
}
