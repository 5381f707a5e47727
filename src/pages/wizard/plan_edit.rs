//! The wizard's plan: drawn by the engine (`plan::wizard`) when the wizard starts, and drawn
//! again as the person decides what the later steps do.
//!
//! Why draw again instead of waiting for the form: the journal has to exist from step 1 on,
//! because step 1's snapshot is kept in it (and a reloaded tab resumes from it). But the disable
//! `PUT` depends on the departure form (date, reason, replacement), step 6 hands the pipelines
//! to the same replacement, and Treasure Data's removal depends on what happens to the keys. So
//! the journal is created at start with the form's defaults, and every decision redraws the
//! *whole* plan with `plan::wizard` and takes the steps that have not run yet from it. Redrawing
//! everything (rather than patching step 2's request by hand) keeps the engine the one place
//! that decides what a step sends, and keeps step 6 in step with step 2. A step that ran or was
//! skipped is never redrawn: the report must show it as it happened.

use offboard_engine::dialect::td::KeyDisposal;
use offboard_engine::http::Body;
use offboard_engine::json::FromJson;
use offboard_engine::model::{Dialect, User};
use offboard_engine::run::journal::{Journal, StepStatus};
use offboard_engine::run::plan::{self, Action, Departure, Inventory, Plan, Target};

/// ADOC steps the server refuses for a SCIM-managed user: the identity provider owns them.
pub const SCIM_OWNED_STEPS: [&str; 2] = ["disable", "remove-groups"];

/// The identity provider's name, as the server names it in its refusals.
pub fn identity_provider(target: &Target) -> String {
    target
        .identity_provider
        .clone()
        .unwrap_or_else(|| "the identity provider".to_string())
}

/// The reason recorded for a step the identity provider owns.
pub fn scim_reason(target: &Target) -> String {
    let idp = identity_provider(target);
    format!(
        "Not possible in Offboard: {} is managed by {idp} through SCIM, so this is done in {idp}.",
        target.email
    )
}

/// Replaces every step that has not run yet (pending, or failed and about to be retried) with
/// its newly drawn version. Returns whether anything changed.
pub fn redraw(
    journal: &mut Journal,
    inventory: &Inventory,
    departure: &Departure,
    keys: KeyDisposal,
) -> bool {
    let fresh = plan::wizard(journal.plan.dialect, inventory, departure, keys);
    let mut changed = false;
    for (index, new) in fresh.steps.into_iter().enumerate() {
        let open = matches!(
            journal.steps.get(index).map(|s| &s.status),
            Some(StepStatus::Pending | StepStatus::Failed { .. })
        );
        if let Some(step) = journal.plan.steps.get_mut(index)
            && open
            && step.id == new.id
            && *step != new
        {
            *step = new;
            changed = true;
        }
    }
    changed
}

/// The departure the plan currently carries (what the form last confirmed, or its defaults).
pub fn departure_of(plan: &Plan) -> Departure {
    let mut departure = Departure {
        date: String::new(),
        reason: String::new(),
        handed_off_to: String::new(),
    };
    for step in &plan.steps {
        match &step.action {
            Action::Disable { request } => {
                if let Body::Json(body) = &request.body {
                    let attribute = |name: &str| {
                        body["attributes"][name][0]
                            .as_str()
                            .unwrap_or_default()
                            .to_string()
                    };
                    departure.date = attribute("offboardDate");
                    departure.reason = attribute("reason");
                    if departure.handed_off_to.is_empty() {
                        departure.handed_off_to = attribute("handedOffTo");
                    }
                }
            }
            Action::TransferPipelines { to, .. } if !to.is_empty() => {
                departure.handed_off_to = to.clone();
            }
            _ => {}
        }
    }
    departure
}

/// Whether the departure form has been confirmed: a reason is in the plan (the defaults the
/// journal starts with have none, and the form never confirms without one). The replacement is
/// not part of this test: the form requires one unless there is nothing to hand over
/// ([`nothing_to_hand_over`]).
pub fn departure_confirmed(plan: &Plan) -> bool {
    !departure_of(plan).reason.trim().is_empty()
}

/// Whether step 1 documented that the person owns no pipelines, so nobody has to take anything
/// over (ADOC; Treasure Data hands nothing over). Not knowing (step 1 skipped, or its pipelines
/// could not be read) is not "nothing": then a replacement is still asked for.
pub fn nothing_to_hand_over(journal: &Journal) -> bool {
    journal.plan.dialect == Dialect::Adoc
        && journal
            .snapshot
            .as_ref()
            .is_some_and(|snapshot| snapshot["pipelines"].as_array().is_some_and(Vec::is_empty))
}

/// Who takes over the pipelines, once chosen.
pub fn replacement(plan: &Plan) -> Option<String> {
    plan.steps.iter().find_map(|step| match &step.action {
        Action::TransferPipelines { to, .. } if !to.is_empty() => Some(to.clone()),
        _ => None,
    })
}

/// What happens to a Treasure Data user's keys, as the plan says now.
pub fn disposal_of(plan: &Plan) -> KeyDisposal {
    plan.steps
        .iter()
        .find_map(|step| match &step.action {
            Action::RemoveUser { keys } => Some(keys.clone()),
            _ => None,
        })
        .unwrap_or(KeyDisposal::Delete)
}

/// What step 1 documented, as an inventory for the later steps' previews; without a snapshot
/// (step 1 skipped), only the person as the plan names them.
pub fn documented(journal: &Journal) -> Inventory {
    let Some(snapshot) = &journal.snapshot else {
        return Inventory {
            user: user_of(&journal.plan.target),
            ..Inventory::default()
        };
    };
    let ids = |section: &str, field: &str| -> Vec<String> {
        snapshot[section]
            .as_array()
            .map(|items| {
                items
                    .iter()
                    .filter_map(|item| item[field].as_str().map(str::to_string))
                    .collect()
            })
            .unwrap_or_default()
    };
    Inventory {
        user: User::from_json(&snapshot["user"]).unwrap_or_else(|_| user_of(&journal.plan.target)),
        keys: ids("apiKeys", "id"),
        groups: ids("groups", "id"),
        pipelines: ids("pipelines", "uid"),
    }
}

/// The person as a plan's target names them (enough for the steps' paths).
pub fn user_of(target: &Target) -> User {
    User {
        id: target.id.clone(),
        email: target.email.clone(),
        name: target.name.clone(),
        account_role: target.role,
        scim_managed: target.scim_managed,
        identity_provider: target.identity_provider.clone(),
        ..User::default()
    }
}

/// The step's index by its id, if the plan has it.
pub fn step_index(plan: &Plan, id: &str) -> Option<usize> {
    plan.steps.iter().position(|step| step.id == id)
}

#[cfg(test)]
mod tests {
    use super::*;
    use offboard_engine::run::plan::CheckKind;
    use serde_json::json;
    use std::collections::BTreeMap;

    fn user_123() -> User {
        let mut attributes = BTreeMap::new();
        attributes.insert(
            "department".to_string(),
            vec!["Data Engineering".to_string()],
        );
        attributes.insert("location".to_string(), vec!["Berlin".to_string()]);
        User {
            id: "user-123".into(),
            email: "first.last@company.com".into(),
            name: "First Last".into(),
            enabled: Some(true),
            attributes,
            ..User::default()
        }
    }

    fn defaults() -> Departure {
        Departure {
            date: "2024-12-05".into(),
            reason: String::new(),
            handed_off_to: String::new(),
        }
    }

    fn started() -> Journal {
        let inventory = Inventory {
            user: user_123(),
            ..Inventory::default()
        };
        let plan = plan::wizard(Dialect::Adoc, &inventory, &defaults(), KeyDisposal::Delete);
        Journal::new(plan, "o".into(), "e".into(), 0.0)
    }

    #[test]
    fn the_journal_starts_unconfirmed_and_the_form_redraws_steps_2_and_6() {
        let mut journal = started();
        assert!(!departure_confirmed(&journal.plan));
        assert_eq!(replacement(&journal.plan), None);
        journal.steps[0].status = StepStatus::Done;
        journal.snapshot = Some(json!({
            "user": user_123(),
            "apiKeys": [{"id": "AK-abc123"}, {"id": "AK-def456"}],
            "groups": [{"id": "group-data-eng"}],
            "pipelines": [{"uid": "pl-daily-sales"}],
        }));
        let departure = Departure {
            date: "2024-12-05".into(),
            reason: "Voluntary - New Job".into(),
            handed_off_to: "replacement@company.com".into(),
        };
        let before = journal.plan.steps[0].clone();
        let inventory = documented(&journal);
        assert!(redraw(
            &mut journal,
            &inventory,
            &departure,
            KeyDisposal::Delete
        ));
        assert_eq!(journal.plan.steps[0], before, "a finished step is kept");
        assert!(departure_confirmed(&journal.plan));
        assert_eq!(departure_of(&journal.plan), departure);
        let put = journal.plan.steps[1].preview(&journal.plan)[0].body_text();
        for wanted in [
            "\"OFFBOARDED\"",
            "\"Voluntary - New Job\"",
            "\"replacement@company.com\"",
            "\"Berlin\"",
            "\"Data Engineering\"",
        ] {
            assert!(put.contains(wanted), "{wanted} in {put}");
        }
        assert_eq!(
            replacement(&journal.plan).as_deref(),
            Some("replacement@company.com")
        );
        let revoke = journal.plan.steps[2].preview(&journal.plan);
        assert_eq!(revoke.len(), 4, "the documented keys are previewed");
    }

    #[test]
    fn nothing_to_hand_over_only_when_step_1_read_no_pipelines() {
        let mut journal = started();
        assert!(!nothing_to_hand_over(&journal), "not documented yet");
        journal.snapshot = Some(json!({"pipelines": null, "errors": {"pipelines": "500"}}));
        assert!(!nothing_to_hand_over(&journal), "could not be read");
        journal.snapshot = Some(json!({"pipelines": [{"uid": "pl-1"}]}));
        assert!(!nothing_to_hand_over(&journal));
        journal.snapshot = Some(json!({"pipelines": []}));
        assert!(nothing_to_hand_over(&journal));

        // Confirmed without a replacement: the account records no hand-over at all.
        let departure = Departure {
            reason: "Retirement".into(),
            ..defaults()
        };
        let inventory = documented(&journal);
        redraw(&mut journal, &inventory, &departure, KeyDisposal::Delete);
        assert!(departure_confirmed(&journal.plan));
        let put = journal.plan.steps[1].preview(&journal.plan)[0].body_text();
        assert!(!put.contains("handedOffTo"), "{put}");
        assert_eq!(replacement(&journal.plan), None);
        assert_eq!(
            departure_of(&journal.plan),
            departure,
            "read back as no one"
        );
    }

    #[test]
    fn a_step_that_ran_is_never_redrawn() {
        let mut journal = started();
        journal.steps[1].status = StepStatus::Done;
        let departure = Departure {
            reason: "Other".into(),
            handed_off_to: "x@company.com".into(),
            ..defaults()
        };
        let inventory = documented(&journal);
        redraw(&mut journal, &inventory, &departure, KeyDisposal::Delete);
        assert_eq!(departure_of(&journal.plan).reason, "");
        assert_eq!(
            replacement(&journal.plan).as_deref(),
            Some("x@company.com"),
            "step 6 still takes the replacement"
        );
    }

    #[test]
    fn scim_users_are_verified_on_every_fact_not_their_keys_alone() {
        // Checking only the keys once let a SCIM user's report say "verified" while the account
        // was enabled with a group and three permissions.
        let user = User {
            scim_managed: true,
            identity_provider: Some("Okta".into()),
            ..user_123()
        };
        let inventory = Inventory {
            user,
            ..Inventory::default()
        };
        let plan = plan::wizard(Dialect::Adoc, &inventory, &defaults(), KeyDisposal::Delete);
        let verify = &plan.steps[step_index(&plan, "verify").unwrap()];
        let Action::Verify { checks } = &verify.action else {
            panic!("verify step");
        };
        for fact in [
            CheckKind::Disabled,
            CheckKind::NoKeys,
            CheckKind::NoGroups,
            CheckKind::NoPermissions,
        ] {
            assert!(checks.contains(&fact), "{fact:?}");
        }
        assert!(scim_reason(&plan.target).contains("managed by Okta through SCIM"));
    }

    #[test]
    fn td_disposal_reads_back() {
        let inventory = Inventory {
            user: user_123(),
            ..Inventory::default()
        };
        let reassign = KeyDisposal::Reassign(Some("owner@company.com".into()));
        let plan = plan::wizard(Dialect::Td, &inventory, &defaults(), reassign.clone());
        assert_eq!(disposal_of(&plan), reassign);
    }
}
