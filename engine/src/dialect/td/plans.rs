//! The Treasure Data runbook's steps for each kind of run: TD has no disabled state, so
//! removing the user (their keys deleted or reassigned) is the offboarding.

use super::KeyDisposal;
use crate::run::plan::{Action, CheckKind, Inventory, Step, Target, step};

/// The "Deleting Users" flow: document, remove the user with the chosen key option, verify.
pub(super) fn wizard(target: &Target, inventory: &Inventory, td_keys: KeyDisposal) -> Vec<Step> {
    if inventory.user.scim_managed {
        return vec![
            step(
                "document",
                "Document current access",
                "Records the user and their API keys, with who recorded them and when, before anything changes.",
                Action::Document,
            ),
            scim_revoke(target, &inventory.keys),
            step(
                "verify",
                "Verify",
                "Checks no API key is left, and reads the user list: the account itself stays until it is removed in the identity provider.",
                Action::Verify {
                    checks: vec![CheckKind::UserRemoved, CheckKind::NoKeys],
                },
            ),
        ];
    }
    let checks = removal_checks(inventory, &td_keys);
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

/// The lockout: removing the user with their keys deleted.
pub(super) fn emergency(target: &Target, inventory: &Inventory) -> Vec<Step> {
    if inventory.user.scim_managed {
        return vec![
            scim_revoke(target, &inventory.keys),
            step(
                "verify",
                "Verify",
                "Checks no key is left, and whether the account is still listed (it stays until removed in the identity provider).",
                Action::Verify {
                    checks: vec![CheckKind::UserRemoved, CheckKind::NoKeys],
                },
            ),
        ];
    }
    vec![
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
    ]
}

/// A SCIM-managed user: the platform refuses to remove the account (the identity
/// provider owns it), but their keys are not the identity provider's, so each is revoked here.
fn scim_revoke(target: &Target, keys: &[String]) -> Step {
    let idp = target.identity_provider_name();
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

/// The delete-user modal: remove the user with the chosen key option, then verify. The snapshot
/// comes first: a removed user cannot be documented afterwards.
pub(super) fn deletion(inventory: &Inventory, keys: KeyDisposal) -> Vec<Step> {
    let document = crate::run::plan::deletion_snapshot();
    let checks = removal_checks(inventory, &keys);
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

/// What a removal must prove: the user and their keys gone, and reassigned keys listed under
/// their new owner.
fn removal_checks(inventory: &Inventory, keys: &KeyDisposal) -> Vec<CheckKind> {
    let mut checks = vec![CheckKind::UserRemoved, CheckKind::NoKeys];
    if let KeyDisposal::Reassign(Some(to)) = keys {
        checks.push(CheckKind::KeysReassigned {
            to: to.clone(),
            keys: inventory.keys.clone(),
        });
    }
    checks
}
