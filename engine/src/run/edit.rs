//! Editing a wizard's plan as the person decides: the one place that starts a wizard's journal,
//! redraws its open steps from the decisions (departure, key option), and reads back what was
//! decided and what step 1 documented.
//!
//! Why redraw instead of waiting for the form: the journal has to exist from step 1 on, because
//! step 1's snapshot is kept in it (and a reloaded tab resumes from it). But the disable call
//! depends on the departure form (date, reason, replacement), the hand-over step gives the
//! pipelines to the same replacement, and Treasure Data's removal depends on what happens to the
//! keys. So the journal starts with the form's defaults, and every decision redraws the *whole*
//! plan with [`plan::wizard`] and takes the steps that have not run yet from it. Redrawing
//! everything (rather than patching one request by hand) keeps the plan the one place that
//! decides what a step sends, and keeps the steps in step with each other. A step that ran or
//! was skipped is never redrawn: the report must show it as it happened.

use super::journal::{Journal, StepStatus};
use super::plan::{self, Action, Departure, Inventory, Plan, Target};
use crate::dialect::KeyDisposal;
use crate::model::{Dialect, User};
use crate::snapshot::Section;

/// A new guided offboarding of `inventory.user`: the plan drawn with the form's defaults
/// (today, no reason yet, no replacement; Treasure Data's recommended key deletion), the
/// one-hour clock started now, and the steps an identity provider owns for a SCIM-managed
/// person marked as not possible here, with the reason in the report.
pub fn start_wizard(
    dialect: Dialect,
    inventory: &Inventory,
    today: &str,
    operator: String,
    endpoint: String,
    now_ms: f64,
) -> Journal {
    let departure = Departure {
        date: today.to_string(),
        reason: String::new(),
        handed_off_to: String::new(),
    };
    let plan = plan::wizard(dialect, inventory, &departure, KeyDisposal::Delete);
    let mut journal = Journal::new(plan, operator, endpoint, now_ms);
    journal.notified_at_ms = Some(now_ms);
    if journal.plan.leaves_steps_to_identity_provider() {
        let reason = scim_reason(&journal.plan.target);
        let owned: Vec<usize> = journal
            .plan
            .steps
            .iter()
            .enumerate()
            .filter(|(_, step)| step.action.owned_by_identity_provider())
            .map(|(index, _)| index)
            .collect();
        for index in owned {
            let _ = journal.skip(index, &reason, now_ms);
        }
    }
    journal
}

/// The reason recorded for a step the identity provider owns.
pub fn scim_reason(target: &Target) -> String {
    let idp = target.identity_provider_name();
    format!(
        "Not possible in Offboard: {} is managed by {idp} through SCIM, so this is done in {idp}.",
        target.email
    )
}

/// Replaces every step that has not run yet (pending, or failed and about to be retried) with
/// its newly drawn version, and records the decisions. Returns whether any step changed.
pub fn redraw(
    journal: &mut Journal,
    inventory: &Inventory,
    departure: &Departure,
    keys: KeyDisposal,
) -> bool {
    let fresh = plan::wizard(journal.plan.dialect, inventory, departure, keys);
    let mut decisions = fresh.decisions;
    // The step that sent the date and reason has run: they stay as sent (a later form only
    // chooses the replacement for the hand-over).
    if let (Some(new), Some(sent)) = (&mut decisions.departure, &journal.plan.decisions.departure)
        && !is_open(journal, |action| matches!(action, Action::Disable { .. }))
    {
        new.date = sent.date.clone();
        new.reason = sent.reason.clone();
    }
    journal.plan.decisions = decisions;
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

/// Whether the plan's step doing `action` (if any) has not run yet.
fn is_open(journal: &Journal, action: impl Fn(&Action) -> bool) -> bool {
    journal
        .plan
        .steps
        .iter()
        .zip(&journal.steps)
        .filter(|(step, _)| action(&step.action))
        .all(|(_, state)| {
            matches!(
                state.status,
                StepStatus::Pending | StepStatus::Failed { .. }
            )
        })
}

impl Plan {
    /// The departure the plan was last drawn with (what the form confirmed, or its defaults).
    pub fn departure(&self) -> Departure {
        self.decisions.departure.clone().unwrap_or(Departure {
            date: String::new(),
            reason: String::new(),
            handed_off_to: String::new(),
        })
    }

    /// Whether the departure form has been confirmed: a reason is recorded (the defaults the
    /// journal starts with have none, and the form never confirms without one). The replacement
    /// is not part of this test: the form requires one unless there is nothing to hand over
    /// ([`nothing_to_hand_over`]).
    pub fn departure_confirmed(&self) -> bool {
        !self.departure().reason.trim().is_empty()
    }

    /// Who takes over the pipelines, once chosen (and where the plan hands any over).
    pub fn replacement(&self) -> Option<String> {
        let hands_over = self
            .steps
            .iter()
            .any(|step| matches!(step.action, Action::TransferPipelines { .. }));
        Some(self.departure().handed_off_to).filter(|to| hands_over && !to.trim().is_empty())
    }

    /// What happens to the person's keys, as decided (deleted unless chosen otherwise).
    pub fn key_disposal(&self) -> KeyDisposal {
        self.decisions.keys.clone().unwrap_or(KeyDisposal::Delete)
    }

    /// Whether some steps are the identity provider's to do (a SCIM-managed person whose
    /// platform refuses them): they are marked as not possible here.
    pub fn leaves_steps_to_identity_provider(&self) -> bool {
        self.target.scim_managed
            && self
                .steps
                .iter()
                .any(|step| step.action.owned_by_identity_provider())
    }

    /// The step's index by its id, if the plan has it.
    pub fn step_index(&self, id: &str) -> Option<usize> {
        self.steps.iter().position(|step| step.id == id)
    }
}

/// Whether step 1 documented that the person owns no pipelines, so nobody has to take anything
/// over. Not knowing (step 1 skipped, or its pipelines could not be read, or a platform without
/// pipelines) is not "nothing": then a replacement is still asked for where one is needed.
pub fn nothing_to_hand_over(journal: &Journal) -> bool {
    journal.snapshot.as_ref().is_some_and(
        |snapshot| matches!(&snapshot.pipelines, Section::Read(owned) if owned.is_empty()),
    )
}

/// What step 1 documented, as an inventory for the later steps' previews; without a snapshot
/// (step 1 skipped), only the person as the plan names them.
pub fn documented(journal: &Journal) -> Inventory {
    let Some(snapshot) = &journal.snapshot else {
        return Inventory {
            user: journal.plan.target.as_user(),
            ..Inventory::default()
        };
    };
    Inventory {
        user: snapshot.user.clone(),
        keys: snapshot
            .api_keys
            .items()
            .iter()
            .map(|k| k.id.clone())
            .collect(),
        groups: snapshot
            .groups
            .items()
            .iter()
            .map(|g| g.id.clone())
            .collect(),
        pipelines: snapshot
            .pipelines
            .items()
            .iter()
            .map(|p| p.uid.clone())
            .collect(),
    }
}

impl Target {
    /// The identity provider as the reports name it (see [`crate::policy::identity_provider_name`]).
    pub fn identity_provider_name(&self) -> String {
        crate::policy::identity_provider_name(self.identity_provider.as_deref())
    }

    /// The person as the plan names them (enough for the steps' paths).
    pub fn as_user(&self) -> User {
        User {
            id: self.id.clone(),
            email: self.email.clone(),
            name: self.name.clone(),
            account_role: self.role,
            scim_managed: self.scim_managed,
            identity_provider: self.identity_provider.clone(),
            ..User::default()
        }
    }
}
#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{ApiKey, Group, KeyType, Pipeline};
    use crate::run::plan::CheckKind;
    use crate::snapshot::{Provenance, Snapshot};
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

    fn pipeline(uid: &str) -> Pipeline {
        Pipeline {
            uid: uid.into(),
            name: uid.into(),
            description: None,
            owner: None,
        }
    }

    /// What step 1 documents: the user with these keys, groups and pipelines.
    fn snapshot(keys: &[&str], groups: &[&str], pipelines: Section<Pipeline>) -> Snapshot {
        Snapshot {
            provenance: Provenance {
                taken_at: "2024-12-05T09:00:00Z".into(),
                taken_by: "o".into(),
                endpoint: "e".into(),
                dialect: Dialect::Adoc,
            },
            user: user_123(),
            api_keys: Section::Read(
                keys.iter()
                    .map(|id| ApiKey {
                        id: id.to_string(),
                        key_type: KeyType::Master,
                        description: None,
                        created_at: None,
                        valid_till: None,
                    })
                    .collect(),
            ),
            groups: Section::Read(
                groups
                    .iter()
                    .map(|id| Group {
                        id: id.to_string(),
                        name: id.to_string(),
                        description: None,
                        role: None,
                    })
                    .collect(),
            ),
            roles: Section::Read(vec![]),
            permissions: Section::Read(vec![]),
            pipelines,
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
        assert!(!journal.plan.departure_confirmed());
        assert_eq!(journal.plan.replacement(), None);
        journal.steps[0].status = StepStatus::Done;
        journal.snapshot = Some(snapshot(
            &["AK-abc123", "AK-def456"],
            &["group-data-eng"],
            Section::Read(vec![pipeline("pl-daily-sales")]),
        ));
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
        assert!(journal.plan.departure_confirmed());
        assert_eq!(journal.plan.departure(), departure);
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
            journal.plan.replacement().as_deref(),
            Some("replacement@company.com")
        );
        let revoke = journal.plan.steps[2].preview(&journal.plan);
        assert_eq!(revoke.len(), 4, "the documented keys are previewed");
    }

    #[test]
    fn nothing_to_hand_over_only_when_step_1_read_no_pipelines() {
        let mut journal = started();
        assert!(!nothing_to_hand_over(&journal), "not documented yet");
        journal.snapshot = Some(snapshot(&[], &[], Section::Failed("500".into())));
        assert!(!nothing_to_hand_over(&journal), "could not be read");
        journal.snapshot = Some(snapshot(&[], &[], Section::Read(vec![pipeline("pl-1")])));
        assert!(!nothing_to_hand_over(&journal));
        journal.snapshot = Some(snapshot(&[], &[], Section::Read(vec![])));
        assert!(nothing_to_hand_over(&journal));

        // Confirmed without a replacement: the account records no hand-over at all.
        let departure = Departure {
            reason: "Retirement".into(),
            ..defaults()
        };
        let inventory = documented(&journal);
        redraw(&mut journal, &inventory, &departure, KeyDisposal::Delete);
        assert!(journal.plan.departure_confirmed());
        let put = journal.plan.steps[1].preview(&journal.plan)[0].body_text();
        assert!(!put.contains("handedOffTo"), "{put}");
        assert_eq!(journal.plan.replacement(), None);
        assert_eq!(journal.plan.departure(), departure, "read back as no one");
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
        assert_eq!(journal.plan.departure().reason, "");
        assert_eq!(
            journal.plan.replacement().as_deref(),
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
        let verify = &plan.steps[plan.step_index("verify").unwrap()];
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
        assert_eq!(plan.key_disposal(), reassign);
    }

    #[test]
    fn a_scim_wizard_starts_with_the_identity_providers_steps_skipped_and_reasons_recorded() {
        let user = User {
            scim_managed: true,
            identity_provider: Some("Okta".into()),
            ..user_123()
        };
        let inventory = Inventory {
            user,
            ..Inventory::default()
        };
        let journal = start_wizard(
            Dialect::Adoc,
            &inventory,
            "2024-12-05",
            "o".into(),
            "e".into(),
            5.0,
        );
        assert_eq!(journal.notified_at_ms, Some(5.0));
        let skipped: Vec<&str> = journal
            .plan
            .steps
            .iter()
            .zip(&journal.steps)
            .filter(|(_, state)| matches!(state.status, StepStatus::Skipped { .. }))
            .map(|(step, _)| step.id.as_str())
            .collect();
        assert_eq!(skipped, ["disable", "remove-groups"]);
        assert_eq!(journal.plan.departure().date, "2024-12-05");
        assert!(!journal.plan.departure_confirmed());

        let plain = start_wizard(
            Dialect::Adoc,
            &Inventory {
                user: user_123(),
                ..Inventory::default()
            },
            "2024-12-05",
            "o".into(),
            "e".into(),
            5.0,
        );
        assert!(plain.steps.iter().all(|s| s.status == StepStatus::Pending));
    }

    #[test]
    fn the_decisions_are_kept_in_the_journal_and_read_back() {
        let mut journal = started();
        let departure = Departure {
            reason: "Retirement".into(),
            handed_off_to: "r@company.com".into(),
            ..defaults()
        };
        let inventory = documented(&journal);
        redraw(&mut journal, &inventory, &departure, KeyDisposal::Delete);
        journal.snapshot = Some(snapshot(
            &["AK-1"],
            &["g-1"],
            Section::Failed("could not be read (500)".into()),
        ));
        let back = Journal::restore(&journal.to_json()).expect("reads back");
        assert_eq!(
            back.snapshot, journal.snapshot,
            "the typed snapshot reads back whole"
        );
        assert_eq!(back.plan.decisions, journal.plan.decisions);
        assert_eq!(back.plan.departure(), departure);
        assert_eq!(back.plan.key_disposal(), KeyDisposal::Delete);
    }
}
