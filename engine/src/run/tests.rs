//! The runner against the in-memory platform: plans, full runs, stragglers, retries, resume and
//! verdicts.

use super::execute::Runner;
use super::fake::Fake;
use super::journal::{CallKind, CallOutcome, Journal, StepStatus};
use super::plan::{self, Action, CheckKind, Departure, Inventory};
use super::{report, verify};
use crate::client::Client;
use crate::client::tests::FakeClock;
use crate::congestion::Protocol;
use crate::dialect::td::KeyDisposal;
use crate::http::Body;
use crate::model::{Dialect, User};
use crate::snapshot::Snapshot;
use futures::executor::block_on;
use serde_json::json;
use std::cell::RefCell;
use std::collections::BTreeMap;

fn user_123() -> User {
    let mut attributes = BTreeMap::new();
    attributes.insert("department".to_string(), vec!["Data".to_string()]);
    User {
        id: "user-123".into(),
        email: "first.last@company.com".into(),
        name: "First Last".into(),
        enabled: Some(true),
        attributes,
        ..User::default()
    }
}

fn inventory() -> Inventory {
    Inventory {
        user: user_123(),
        keys: vec!["AK-abc123".into(), "AK-def456".into()],
        groups: vec![
            "group-data-eng".into(),
            "group-pipeline-owners".into(),
            "group-prod-access".into(),
        ],
        pipelines: vec!["pl-customer-360".into(), "pl-daily-sales".into()],
    }
}

fn departure() -> Departure {
    Departure {
        date: "2024-12-05".into(),
        reason: "Voluntary - New Job".into(),
        handed_off_to: "replacement@company.com".into(),
    }
}

fn adoc_wizard() -> Journal {
    let plan = plan::wizard(
        Dialect::Adoc,
        &inventory(),
        &departure(),
        KeyDisposal::Delete,
    );
    Journal::new(
        plan,
        "Olivia Owner <owner@company.com>".into(),
        "http://127.0.0.1:8080".into(),
        1_733_391_000_000.0,
    )
}

fn run_all(fake: &Fake, journal: &RefCell<Journal>) {
    let client = Client::new(fake, FakeClock::default());
    let runner = Runner::new(&client, journal, &|| {});
    block_on(runner.run_remaining());
}

#[test]
fn the_adoc_wizard_follows_the_runbook_in_order() {
    let journal = adoc_wizard();
    let ids: Vec<&str> = journal.plan.steps.iter().map(|s| s.id.as_str()).collect();
    assert_eq!(
        ids,
        [
            "document",
            "disable",
            "revoke-keys",
            "remove-groups",
            "verify",
            "transfer-ownership"
        ]
    );

    let disable = journal.plan.steps[1].preview(&journal.plan);
    assert_eq!(disable.len(), 1);
    assert_eq!(disable[0].line(), "PUT /admin/api/users/user-123");
    assert_eq!(
        disable[0].body,
        Body::Json(json!({"enabled": false, "attributes": {
            "department": ["Data"], "status": ["OFFBOARDED"], "offboardDate": ["2024-12-05"],
            "reason": ["Voluntary - New Job"], "handedOffTo": ["replacement@company.com"]}})),
        "the runbook's four attributes, and the user's other attributes kept"
    );
    let revoke: Vec<String> = journal.plan.steps[2]
        .preview(&journal.plan)
        .iter()
        .map(|r| r.line())
        .collect();
    assert_eq!(
        revoke,
        [
            "GET /admin/api/users/user-123/api-keys?page=0&size=100",
            "DELETE /admin/api/users/api-keys/AK-abc123",
            "DELETE /admin/api/users/api-keys/AK-def456",
            "GET /admin/api/users/user-123/api-keys?page=0&size=100",
        ]
    );
    let transfer = journal.plan.steps[5].preview(&journal.plan);
    assert!(transfer.iter().any(|r| {
        r.body_text()
            .contains("\"owner\": \"replacement@company.com\"")
    }));
}

#[test]
fn emergency_plans_disable_first_and_spare_what_scim_owns() {
    let plan = plan::emergency(Dialect::Adoc, &inventory(), "2024-12-05");
    assert!(matches!(plan.steps[0].action, Action::Disable { .. }));
    assert!(
        matches!(plan.steps[1].action, Action::LockOut { ref keys, ref groups } if keys.len() == 2 && groups.len() == 3)
    );
    let body = plan.steps[0].preview(&plan)[0].body_text();
    assert!(body.contains("\"Emergency\"") && body.contains("OFFBOARDED"));

    let mut scim = inventory();
    scim.user.scim_managed = true;
    let plan = plan::emergency(Dialect::Adoc, &scim, "2024-12-05");
    let actions: Vec<&Action> = plan.steps.iter().map(|s| &s.action).collect();
    assert!(matches!(
        actions[..],
        [Action::RevokeKeys { .. }, Action::Verify { .. }]
    ));

    let td = plan::emergency(Dialect::Td, &inventory(), "2024-12-05");
    assert_eq!(
        td.steps[0].preview(&td)[0].line(),
        "POST /v3/user/remove/first.last@company.com"
    );
}

#[test]
fn a_whole_adoc_wizard_run_leaves_no_access_and_moves_the_pipelines() {
    let fake = Fake::runbook();
    let journal = RefCell::new(adoc_wizard());
    run_all(&fake, &journal);
    let journal = journal.into_inner();

    for (index, step) in journal.steps.iter().enumerate() {
        assert_eq!(step.status, StepStatus::Done, "step {index}");
    }
    let state = fake.state.borrow();
    let (_, enabled, attributes) = &state.users["user-123"];
    assert!(!enabled);
    assert_eq!(
        attributes["handedOffTo"],
        json!(["replacement@company.com"])
    );
    assert_eq!(attributes["department"], json!(["Data"]));
    assert!(state.keys.values().all(|user| user != "user-123"));
    assert!(state.memberships.is_empty());
    assert!(
        state
            .pipelines
            .values()
            .all(|owner| owner == "replacement@company.com")
    );

    let snapshot = journal
        .snapshot
        .as_ref()
        .map(Snapshot::to_json)
        .expect("the snapshot is kept with the run");
    assert_eq!(snapshot["apiKeys"].as_array().unwrap().len(), 2);
    assert_eq!(snapshot["takenBy"], "Olivia Owner <owner@company.com>");
    let verification = &journal.verifications[0];
    assert!(verification.passed(), "{verification:?}");
    assert!(
        verification
            .checks
            .iter()
            .any(|c| c.evidence.ends_with("→ 0 keys"))
    );
    assert!(journal.verifications.last().unwrap().checks[0].kind == CheckKind::NoPipelines);
}

#[test]
fn every_call_records_what_it_was_for_and_the_journal_keeps_it() {
    let fake = Fake::runbook();
    let journal = RefCell::new(adoc_wizard());
    run_all(&fake, &journal);
    let journal = journal.into_inner();
    let kinds =
        |wanted: fn(&CallKind) -> bool| journal.calls.iter().filter(|c| wanted(&c.kind)).count();
    assert_eq!(kinds(|k| *k == CallKind::Disable), 1);
    assert_eq!(kinds(|k| matches!(k, CallKind::RevokeKey { .. })), 2);
    assert_eq!(kinds(|k| matches!(k, CallKind::RemoveGroups { .. })), 1);
    assert!(kinds(|k| matches!(k, CallKind::TransferPipeline { .. })) > 0);
    assert!(
        journal
            .calls
            .iter()
            .all(|c| c.kind.is_change() == c.method.is_mutating()),
        "a read is a GET and a change is not"
    );
    let back = Journal::restore(&journal.to_json()).expect("reads back");
    assert_eq!(back.calls, journal.calls);
}

#[test]
fn a_key_created_mid_run_is_revoked_too() {
    let fake = Fake::runbook();
    *fake.create_key_mid_run.borrow_mut() = Some("AK-sneaky".into());
    let journal = RefCell::new(adoc_wizard());
    run_all(&fake, &journal);
    assert!(
        fake.changes_received()
            .contains(&"DELETE /admin/api/users/api-keys/AK-sneaky".to_string())
    );
    assert!(fake.state.borrow().keys.is_empty());
    assert_eq!(journal.borrow().steps[2].status, StepStatus::Done);
}

#[test]
fn a_listing_that_keeps_failing_for_a_while_is_asked_again_not_the_end_of_the_step() {
    // Listing the keys fails ten times in a row: step 1's listing (which records a section it
    // could not read and goes on) and every one of the client's five attempts at the revoke
    // step's first listing. Then the platform answers again: the step goes on.
    let fake = Fake::runbook();
    fake.faults
        .borrow_mut()
        .push(("/admin/api/users/user-123/api-keys".into(), 503, 10));
    let journal = RefCell::new(adoc_wizard());
    run_all(&fake, &journal);
    let journal = journal.into_inner();
    for (index, step) in journal.steps.iter().enumerate() {
        assert_eq!(step.status, StepStatus::Done, "step {index}");
    }
    assert!(
        fake.state
            .borrow()
            .keys
            .values()
            .all(|user| user != "user-123")
    );
    assert!(journal.verifications[0].passed());
}

#[test]
fn the_guided_steps_run_unattended_document_then_decide_then_finish() {
    let fake = Fake::runbook();
    let started = super::edit::start_wizard(
        Dialect::Adoc,
        &Inventory {
            user: user_123(),
            ..Inventory::default()
        },
        "2024-12-05",
        "o".into(),
        "e".into(),
        0.0,
    );
    let journal = RefCell::new(started);
    let client = Client::new(&fake, FakeClock::default());
    let runner = Runner::new(&client, &journal, &|| {});
    block_on(runner.run_guided(&departure(), KeyDisposal::Delete));
    let journal = journal.into_inner();
    assert!(
        journal.steps.iter().all(|s| s.status == StepStatus::Done),
        "{:?}",
        journal.steps
    );
    assert!(journal.plan.departure_confirmed());
    // The pipelines step 1 found went to the replacement the departure names.
    assert!(
        fake.state
            .borrow()
            .pipelines
            .values()
            .all(|o| o == "replacement@company.com")
    );
    assert!(report::verdict(&journal).passed());
}

#[test]
fn transient_failures_are_retried_and_a_missing_key_counts_as_revoked() {
    let fake = Fake::runbook();
    fake.faults
        .borrow_mut()
        .push(("/admin/api/users/api-keys/AK-abc123".into(), 503, 2));
    // Someone else revoked this one already: the DELETE answers 404.
    fake.state
        .borrow_mut()
        .keys
        .insert("AK-gone".into(), "user-123".into());
    let plan = plan::emergency(
        Dialect::Adoc,
        &Inventory {
            keys: vec!["AK-gone".into(), "AK-abc123".into(), "AK-def456".into()],
            ..inventory()
        },
        "2024-12-05",
    );
    fake.state.borrow_mut().keys.remove("AK-gone");
    let journal = RefCell::new(Journal::new(plan, "o".into(), "e".into(), 0.0));
    run_all(&fake, &journal);
    let journal = journal.into_inner();
    let retried = journal
        .calls
        .iter()
        .find(|c| c.path.ends_with("AK-abc123"))
        .unwrap();
    assert_eq!(
        (retried.attempts, retried.outcome.clone()),
        (3, CallOutcome::Ok)
    );
    let gone = journal
        .calls
        .iter()
        .find(|c| c.path.ends_with("AK-gone"))
        .unwrap();
    assert_eq!(gone.outcome, CallOutcome::AlreadyDone);
    assert!(journal.verifications[0].passed());
    let tally = report::tally(&journal, 1);
    assert_eq!(
        (tally.succeeded, tally.failed, tally.retried),
        (4, 0, 1),
        "3 keys + the group removal"
    );
}

#[test]
fn emergency_disables_before_anything_else_then_locks_out() {
    let fake = Fake::runbook();
    let plan = plan::emergency(Dialect::Adoc, &inventory(), "2024-12-05");
    let journal = RefCell::new(Journal::new(plan, "o".into(), "e".into(), 0.0));
    run_all(&fake, &journal);
    let changes = fake.changes_received();
    assert!(changes[0].starts_with("PUT /admin/api/users/user-123 {"));
    assert_eq!(
        changes.len(),
        4,
        "disable, remove-groups, two key deletes: {changes:?}"
    );
    assert!(journal.borrow().verifications[0].passed());
}

#[test]
fn a_run_resumed_from_its_journal_repeats_no_finished_change() {
    let fake = Fake::runbook();
    for i in 0..5 {
        fake.state
            .borrow_mut()
            .keys
            .insert(format!("AK-extra-{i}"), "user-123".into());
    }
    // The tab goes away after the disable and three key deletes.
    fake.cut_after_changes.set(Some(4));
    let journal = RefCell::new(adoc_wizard());
    {
        let client =
            Client::new(&fake, FakeClock::default()).with_retry(crate::client::RetryPolicy::none());
        let runner = Runner::new(&client, &journal, &|| {});
        block_on(async {
            runner.run_step(0).await;
            runner.run_step(1).await;
            runner.run_step(2).await;
        });
    }
    let saved = journal.borrow().to_json();
    assert!(
        !saved.contains("demo-") && !saved.contains("secret"),
        "the journal holds no credential"
    );

    // A new tab: the journal is read back and the run goes on with a working network.
    fake.cut_after_changes.set(None);
    let restored = Journal::restore(&saved).expect("journal reads back");
    assert_eq!(
        restored.next_step(),
        Some(2),
        "step 3 did not finish and is next"
    );
    let journal = RefCell::new(restored);
    run_all(&fake, &journal);

    let changes = fake.changes_received();
    let distinct: std::collections::BTreeSet<&String> = changes.iter().collect();
    assert_eq!(
        distinct.len(),
        changes.len(),
        "no change reached the platform twice: {changes:?}"
    );
    assert_eq!(
        changes.iter().filter(|l| l.starts_with("DELETE")).count(),
        7,
        "each of the 7 keys deleted once"
    );
    assert!(journal.borrow().is_complete());
    assert!(fake.state.borrow().keys.is_empty());
}

#[test]
fn a_resumed_lockout_lists_first_and_sends_nothing_blind() {
    let fake = Fake::runbook();
    for i in 0..6 {
        fake.state
            .borrow_mut()
            .keys
            .insert(format!("AK-extra-{i}"), "user-123".into());
    }
    let keys: Vec<String> = fake.state.borrow().keys.keys().cloned().collect();
    let inventory = Inventory {
        keys,
        ..inventory()
    };
    let plan = plan::emergency(Dialect::Adoc, &inventory, "2024-12-05");
    // The tab goes away after the disable, the group removal and two key deletes.
    fake.cut_after_changes.set(Some(4));
    let journal = RefCell::new(Journal::new(plan, "o".into(), "e".into(), 0.0));
    {
        let client =
            Client::new(&fake, FakeClock::default()).with_retry(crate::client::RetryPolicy::none());
        let runner = Runner::new(&client, &journal, &|| {});
        block_on(async {
            runner.run_step(0).await;
            runner.run_step(1).await;
        });
    }
    let saved = journal.borrow().to_json();
    // One more delete had landed before the tab closed, its answer never kept.
    let landed = fake
        .state
        .borrow()
        .keys
        .keys()
        .next()
        .cloned()
        .expect("keys left");
    fake.state.borrow_mut().keys.remove(&landed);

    fake.cut_after_changes.set(None);
    let journal = RefCell::new(Journal::restore(&saved).expect("journal reads back"));
    run_all(&fake, &journal);
    let changes = fake.changes_received();
    assert!(
        !changes.iter().any(|c| c.contains(&landed)),
        "{landed} was gone and not sent again: {changes:?}"
    );
    let distinct: std::collections::BTreeSet<&String> = changes.iter().collect();
    assert_eq!(distinct.len(), changes.len(), "nothing twice: {changes:?}");
    assert!(fake.state.borrow().keys.is_empty());
    assert!(journal.borrow().verifications[0].passed());
}

#[test]
fn verdicts_fail_with_the_evidence_read() {
    let on = |dialect: Dialect, id: &str, email: &str| {
        let user = User {
            id: id.into(),
            email: email.into(),
            ..User::default()
        };
        let inventory = Inventory {
            user,
            ..Inventory::default()
        };
        plan::verification(dialect, &inventory)
    };
    let adoc = on(Dialect::Adoc, "u", "");
    let td = on(Dialect::Td, "1", "a@b.c");
    let (passed, evidence) = verify::judge(
        &CheckKind::Disabled,
        Some(&json!({"userId": "u", "enabled": true})),
        &adoc,
    );
    assert!(!passed);
    assert_eq!(evidence, "\"enabled\": true");
    let (passed, evidence) = verify::judge(
        &CheckKind::NoKeys,
        Some(&json!({"data": [{"accessKey": "AK-1"}], "meta": {"total": 1}})),
        &adoc,
    );
    assert!(!passed);
    assert_eq!(evidence, "1 key: AK-1");
    let (passed, _) = verify::judge(
        &CheckKind::NoPermissions,
        Some(&json!({"permissions": []})),
        &adoc,
    );
    assert!(passed);
    let (passed, evidence) = verify::judge(
        &CheckKind::UserRemoved,
        Some(&json!({"users": [{"email": "a@b.c"}]})),
        &td,
    );
    assert!(!passed);
    assert_eq!(evidence, "1 users, a@b.c still listed");
    let reassigned = CheckKind::KeysReassigned {
        to: "o@c".into(),
        keys: vec!["AK-1".into(), "AK-2".into()],
    };
    let (passed, evidence) = verify::judge(
        &reassigned,
        Some(&json!({"apikeys": [{"id": "AK-1"}]})),
        &td,
    );
    assert!(!passed);
    assert_eq!(evidence, "not listed under o@c: AK-2");
    let (passed, evidence) = verify::judge(
        &CheckKind::OffboardingRecorded,
        Some(&json!({"userId": "u", "enabled": false, "attributes": {"status": ["OFFBOARDED"]}})),
        &adoc,
    );
    assert!(!passed, "three attributes missing");
    assert!(evidence.contains("reason: missing"));
    // A 404 where absence is the fact: a deleted account, a removed user's keys.
    assert_eq!(
        verify::judge(&CheckKind::UserDeleted, None, &adoc),
        (true, "404: no such account".into())
    );
    assert_eq!(
        verify::judge(&CheckKind::NoKeys, None, &td),
        (true, "0 keys".into())
    );
}

#[test]
fn td_wizard_removes_the_user_with_keys_deleted_and_verifies() {
    let fake = Fake::runbook();
    let inventory = Inventory {
        user: User {
            id: "3".into(),
            ..user_123()
        },
        ..inventory()
    };
    let plan = plan::wizard(Dialect::Td, &inventory, &departure(), KeyDisposal::Delete);
    assert_eq!(plan.target.reference, "first.last@company.com");
    let journal = RefCell::new(Journal::new(plan, "o".into(), "e".into(), 0.0));
    run_all(&fake, &journal);
    let journal = journal.into_inner();
    assert!(journal.is_complete(), "{:?}", journal.steps);
    assert_eq!(
        fake.changes_received(),
        ["POST /v3/user/remove/first.last@company.com"]
    );
    let checks = &journal.verifications[0].checks;
    assert!(checks.iter().all(|c| c.passed), "{checks:?}");
    assert!(checks[1].evidence.contains("0 keys"));
    assert_eq!(
        journal.snapshot.as_ref().unwrap().to_json()["apiKeys"]
            .as_array()
            .unwrap()
            .len(),
        2
    );
}

#[test]
fn td_reassignment_adds_a_check_that_the_keys_moved() {
    let plan = plan::wizard(
        Dialect::Td,
        &inventory(),
        &departure(),
        KeyDisposal::Reassign(Some("owner@company.com".into())),
    );
    let Action::Verify { checks } = &plan.steps[2].action else {
        panic!()
    };
    assert!(checks.contains(&CheckKind::KeysReassigned {
        to: "owner@company.com".into(),
        keys: vec!["AK-abc123".into(), "AK-def456".into()]
    }));
}

#[test]
fn skipping_needs_a_reason_that_the_report_keeps() {
    let mut journal = adoc_wizard();
    assert!(journal.skip(5, "  ", 1.0).is_err());
    journal.skip(5, "No pipelines to hand over", 1.0).unwrap();
    assert!(report::to_csv(&journal).contains("skipped: No pipelines to hand over"));
    assert_eq!(
        report::to_json(&journal)["steps"][5]["status"]["reason"],
        "No pipelines to hand over"
    );
}

#[test]
fn the_report_has_every_call_with_time_status_duration_and_attempts() {
    let fake = Fake::runbook();
    let journal = RefCell::new(adoc_wizard());
    run_all(&fake, &journal);
    let journal = journal.into_inner();
    let report = report::to_json(&journal);
    assert_eq!(
        report["calls"].as_array().unwrap().len(),
        journal.calls.len()
    );
    let first_delete = report["calls"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["method"] == "DELETE")
        .unwrap();
    assert_eq!(first_delete["status"], 200);
    assert_eq!(first_delete["attempts"], 1);
    assert!(
        first_delete["time"]
            .as_str()
            .unwrap()
            .starts_with("2024-12-05T")
    );
    assert_eq!(report["verdict"]["passed"], true);
    assert_eq!(report["operator"], "Olivia Owner <owner@company.com>");
    let csv = report::to_csv(&journal);
    assert!(csv.starts_with("time,step,method,path,status,duration_ms,attempts,outcome\r\n"));
    assert!(csv.contains(",revoke-keys,DELETE,/admin/api/users/api-keys/AK-abc123,200,"));
}

#[test]
fn a_failed_access_check_is_not_hidden_by_the_pipeline_check_that_runs_after_it() {
    // The ADOC wizard verifies access in step 5 and then, in step 6, checks the pipelines moved:
    // the verdict must weigh every fact's latest evidence, not just the last verification.
    let fake = Fake::runbook();
    let journal = RefCell::new(adoc_wizard());
    {
        let client = Client::new(&fake, FakeClock::default());
        let runner = Runner::new(&client, &journal, &|| {});
        block_on(async {
            runner.run_step(0).await;
            // Steps 2-4 are skipped: the account keeps its access, so step 5 fails.
            runner.run_step(4).await;
            runner.run_step(5).await;
        });
    }
    let journal = journal.into_inner();
    assert!(!journal.verifications[0].passed());
    assert!(journal.verifications[1].passed(), "the pipelines moved");
    let verdict = report::verdict(&journal);
    assert!(!verdict.passed(), "{verdict:?}");
    let open: Vec<&str> = verdict.open_facts().map(|f| f.label.as_str()).collect();
    assert!(open.contains(&"Account disabled"), "{verdict:?}");

    // A later reading of the same fact supersedes an earlier one (TD's re-verification).
    let mut later = journal.clone();
    let mut fixed = later.verifications[0].clone();
    for check in &mut fixed.checks {
        check.passed = true;
    }
    later.verifications.push(fixed);
    let verdict = report::verdict(&later);
    assert!(verdict.passed(), "{verdict:?}");
    assert_eq!(verdict.summary, "All 6 checks passed.");
}

/// Every tagged enum reads back exactly what it writes (their `Deserialize` is hand-written over
/// a flat struct, their `Serialize` is serde's): the journal and report JSON keep their shape.
#[test]
fn every_tagged_value_reads_back_as_written() {
    use super::journal::StepStatus as S;
    use crate::http::{Method, Request};
    fn round_trip<T>(value: T, json: serde_json::Value)
    where
        T: serde::Serialize + serde::de::DeserializeOwned + PartialEq + std::fmt::Debug,
    {
        assert_eq!(serde_json::to_value(&value).unwrap(), json);
        let back: T = serde_json::from_str(&json.to_string()).unwrap();
        assert_eq!(back, value);
    }
    let request = Request::new(
        Method::Post,
        "/v3/user/remove/a",
        Body::Form(vec![("k".into(), "v".into())]),
    );
    round_trip(
        request.clone(),
        json!({"method": "POST", "path": "/v3/user/remove/a", "body": {"kind": "form", "value": [["k", "v"]]}}),
    );
    round_trip(Body::None, json!({"kind": "none"}));
    round_trip(
        Body::Json(json!({"a": [1]})),
        json!({"kind": "json", "value": {"a": [1]}}),
    );
    round_trip(
        Body::Json(json!(null)),
        json!({"kind": "json", "value": null}),
    );
    round_trip(KeyDisposal::Delete, json!({"kind": "delete"}));
    round_trip(
        KeyDisposal::Reassign(None),
        json!({"kind": "reassign", "to": null}),
    );
    round_trip(
        KeyDisposal::Reassign(Some("o@b.c".into())),
        json!({"kind": "reassign", "to": "o@b.c"}),
    );
    let ids = || vec!["k1".to_string(), "k2".to_string()];
    for (action, json) in [
        (Action::Document, json!({"kind": "document"})),
        (
            Action::Disable {
                request: request.clone(),
            },
            json!({"kind": "disable", "request": serde_json::to_value(&request).unwrap()}),
        ),
        (
            Action::RevokeKeys { known: ids() },
            json!({"kind": "revoke-keys", "known": ["k1", "k2"]}),
        ),
        (
            Action::RemoveGroups { known: vec![] },
            json!({"kind": "remove-groups", "known": []}),
        ),
        (
            Action::LockOut {
                keys: ids(),
                groups: vec!["g".into()],
            },
            json!({"kind": "lock-out", "keys": ["k1", "k2"], "groups": ["g"]}),
        ),
        (
            Action::Verify {
                checks: vec![
                    CheckKind::Disabled,
                    CheckKind::OffboardingRecorded,
                    CheckKind::NoKeys,
                    CheckKind::NoGroups,
                    CheckKind::NoPermissions,
                    CheckKind::NoPipelines,
                    CheckKind::UserRemoved,
                    CheckKind::KeysReassigned {
                        to: "o@b.c".into(),
                        keys: ids(),
                    },
                ],
            },
            json!({"kind": "verify", "checks": [
                {"kind": "disabled"}, {"kind": "offboarding-recorded"}, {"kind": "no-keys"},
                {"kind": "no-groups"}, {"kind": "no-permissions"}, {"kind": "no-pipelines"},
                {"kind": "user-removed"}, {"kind": "keys-reassigned", "to": "o@b.c", "keys": ["k1", "k2"]},
            ]}),
        ),
        (
            Action::TransferPipelines {
                to: "r@b.c".into(),
                known: ids(),
            },
            json!({"kind": "transfer-pipelines", "to": "r@b.c", "known": ["k1", "k2"]}),
        ),
        (
            Action::RemoveUser {
                keys: KeyDisposal::Reassign(Some("o@b.c".into())),
            },
            json!({"kind": "remove-user", "keys": {"kind": "reassign", "to": "o@b.c"}}),
        ),
        (
            Action::RemoveUser {
                keys: KeyDisposal::Delete,
            },
            json!({"kind": "remove-user", "keys": {"kind": "delete"}}),
        ),
    ] {
        round_trip(action, json);
    }
    for (status, json) in [
        (S::Pending, json!({"state": "pending"})),
        (S::Running, json!({"state": "running"})),
        (S::Done, json!({"state": "done"})),
        (
            S::Failed {
                summary: "x".into(),
            },
            json!({"state": "failed", "summary": "x"}),
        ),
        (
            S::Skipped { reason: "y".into() },
            json!({"state": "skipped", "reason": "y"}),
        ),
    ] {
        round_trip(status, json);
    }
    for (outcome, json) in [
        (CallOutcome::Running, json!({"state": "running"})),
        (CallOutcome::Ok, json!({"state": "ok"})),
        (CallOutcome::AlreadyDone, json!({"state": "already-done"})),
        (
            CallOutcome::Failed {
                summary: "s".into(),
                detail: "d".into(),
            },
            json!({"state": "failed", "summary": "s", "detail": "d"}),
        ),
        (CallOutcome::Interrupted, json!({"state": "interrupted"})),
    ] {
        round_trip(outcome, json);
    }
    // Incomplete or unknown values are refused, as serde's derive refuses them.
    assert!(serde_json::from_str::<Action>(r#"{"kind": "disable"}"#).is_err());
    assert!(
        serde_json::from_str::<Action>(
            r#"{"kind": "lock-out", "keys": {"kind": "delete"}, "groups": []}"#
        )
        .is_err()
    );
    assert!(serde_json::from_str::<S>(r#"{"state": "failed"}"#).is_err());
    assert!(serde_json::from_str::<CallOutcome>(r#"{"state": "gone"}"#).is_err());
    assert!(serde_json::from_str::<KeyDisposal>(r#"{"kind": "keep"}"#).is_err());
}

/// A whole finished run (snapshot, calls, verifications) and a full user read back unchanged.
#[test]
fn a_finished_journal_and_a_user_read_back_unchanged() {
    let fake = Fake::runbook();
    let journal = RefCell::new(adoc_wizard());
    run_all(&fake, &journal);
    let finished = journal.into_inner();
    assert!(finished.snapshot.is_some() && !finished.calls.is_empty());
    assert!(!finished.verifications.is_empty());
    let restored = Journal::restore(&finished.to_json()).expect("journal reads back");
    assert_eq!(restored, finished);

    let mut user = user_123();
    user.first_name = "First".into();
    user.account_role = Some(crate::policy::AccountRole::Admin);
    user.identity_provider = Some("okta".into());
    user.groups = vec!["g1".into()];
    user.created_on = Some("2024-01-02".into());
    let text = serde_json::to_string(&user).unwrap();
    assert_eq!(serde_json::from_str::<User>(&text).unwrap(), user);
    // A missing required field is an error; a missing optional one is `None`.
    let mut value: serde_json::Value = serde_json::from_str(&text).unwrap();
    value.as_object_mut().unwrap().remove("createdOn");
    assert_eq!(
        serde_json::from_value::<User>(value.clone())
            .unwrap()
            .created_on,
        None
    );
    value.as_object_mut().unwrap().remove("email");
    assert!(serde_json::from_value::<User>(value).is_err());
}

#[test]
fn a_refused_td_removal_revokes_every_key_one_by_one_and_is_not_verified() {
    // A SCIM-managed TD user the platform does not flag: `POST /v3/user/remove` answers 403.
    let fake = Fake::runbook();
    fake.faults
        .borrow_mut()
        .push(("/v3/user/remove/".into(), 403, 1));
    let plan = plan::emergency(Dialect::Td, &inventory(), "2024-12-05");
    let journal = RefCell::new(Journal::new(plan, "Olivia".into(), "http://x".into(), 0.0));
    run_all(&fake, &journal);
    assert!(fake.state.borrow().keys.is_empty(), "every key revoked");
    let received = fake.received.borrow().join("\n");
    assert!(
        received.contains("POST /v3/user/apikey/remove/first.last@company.com apikey=AK-abc123"),
        "{received}"
    );
    let journal = journal.into_inner();
    let StepStatus::Failed { summary } = &journal.steps[0].status else {
        panic!("{:?}", journal.steps[0].status);
    };
    assert!(summary.contains("refused to remove the user"), "{summary}");
    assert!(
        summary.contains("Every API key was revoked instead"),
        "{summary}"
    );
    // The verification read every fact: the keys are gone, the user is still listed.
    assert_eq!(journal.steps[1].status, StepStatus::Done);
    let verdict = report::verdict(&journal);
    assert!(!verdict.passed(), "{verdict:?}");
    let left: Vec<&str> = verdict.open_facts().map(|f| f.label.as_str()).collect();
    assert_eq!(left, ["User removed"]);
    assert!(
        !super::verdict::retry_may_help(&journal),
        "a 403 does not change on retry"
    );
}

#[test]
fn an_adoc_deletion_revokes_and_removes_first_then_deletes_and_verifies_the_account_gone() {
    let fake = Fake::runbook();
    let plan = plan::deletion(Dialect::Adoc, &inventory(), KeyDisposal::Delete);
    let ids: Vec<&str> = plan.steps.iter().map(|s| s.id.as_str()).collect();
    assert_eq!(
        ids,
        [
            "document",
            "revoke-keys",
            "remove-groups",
            "delete-user",
            "verify"
        ]
    );
    let journal = RefCell::new(Journal::new(plan, "Olivia".into(), "http://x".into(), 0.0));
    run_all(&fake, &journal);
    let journal = journal.into_inner();
    assert!(journal.is_complete(), "{:?}", journal.steps);
    assert!(!fake.state.borrow().users.contains_key("user-123"));
    let received = fake.received.borrow().join("\n");
    let delete = received
        .find("DELETE /admin/api/users/user-123/remove-user")
        .unwrap();
    assert!(
        received
            .find("PUT /admin/api/users/user-123/remove-groups")
            .unwrap()
            < delete
    );
    let verdict = report::verdict(&journal);
    assert!(verdict.passed(), "{verdict:?}");
    assert_eq!(verdict.summary, "Both checks passed.");
    let gone = &journal.verifications[0].checks[0];
    assert_eq!(gone.kind, CheckKind::UserDeleted);
    assert!(
        gone.evidence.ends_with("404: no such account"),
        "{}",
        gone.evidence
    );
}

#[test]
fn a_reactivation_re_enables_keeps_the_history_restores_groups_and_never_keys() {
    let fake = Fake::runbook();
    // Offboarded first (the runbook wizard), then brought back with the groups it recorded.
    let journal = RefCell::new(adoc_wizard());
    run_all(&fake, &journal);
    let recorded = plan_groups(&journal.borrow());
    assert_eq!(recorded.len(), 3);
    let mut returning = user_123();
    returning.enabled = Some(false);
    returning
        .attributes
        .insert("status".into(), vec!["OFFBOARDED".into()]);
    returning
        .attributes
        .insert("reason".into(), vec!["Voluntary - New Job".into()]);
    let inventory = Inventory {
        user: returning,
        ..Inventory::default()
    };
    let plan = plan::reactivation(
        Dialect::Adoc,
        &inventory,
        "2025-01-10",
        "owner@company.com",
        &recorded,
    )
    .expect("ADOC reactivates");
    let back = RefCell::new(Journal::new(plan, "Olivia".into(), "http://x".into(), 0.0));
    run_all(&fake, &back);
    let back = back.into_inner();
    let verdict = report::verdict(&back);
    assert!(verdict.passed(), "{verdict:?}");
    assert_eq!(verdict.headline, "Reactivated and verified.");
    let state = fake.state.borrow();
    let (_, enabled, attributes) = &state.users["user-123"];
    assert!(*enabled);
    assert_eq!(attributes["status"], json!(["REACTIVATED"]));
    assert_eq!(attributes["reactivatedBy"], json!(["owner@company.com"]));
    assert_eq!(
        attributes["reason"],
        json!(["Voluntary - New Job"]),
        "history kept"
    );
    assert_eq!(
        state
            .memberships
            .iter()
            .filter(|(u, _)| u == "user-123")
            .count(),
        3
    );
    assert!(
        !state.keys.values().any(|owner| owner == "user-123"),
        "keys are never restored"
    );
}

/// The groups a wizard run's snapshot recorded.
fn plan_groups(journal: &Journal) -> Vec<String> {
    journal.snapshot.as_ref().unwrap().to_json()["groups"]
        .as_array()
        .unwrap()
        .iter()
        .map(|g| g["id"].as_str().unwrap().to_string())
        .collect()
}

/// The runbook's user with `keys` more keys, reached over `protocol`.
fn heavy_fake(keys: usize, protocol: Protocol) -> Fake {
    let fake = Fake::runbook();
    for n in 0..keys {
        let key = format!("AK-heavy-{n:03}");
        fake.state.borrow_mut().keys.insert(key, "user-123".into());
    }
    fake.protocol.set(Some(protocol));
    fake
}

fn heavy_inventory(keys: usize) -> Inventory {
    let mut inventory = inventory();
    inventory
        .keys
        .extend((0..keys).map(|n| format!("AK-heavy-{n:03}")));
    inventory
}

fn lockout_over(fake: &Fake, keys: usize) -> RefCell<Journal> {
    let plan = plan::emergency(Dialect::Adoc, &heavy_inventory(keys), "2024-12-05");
    let journal = RefCell::new(Journal::new(plan, "o".into(), "e".into(), 0.0));
    run_all(fake, &journal);
    journal
}

#[test]
fn over_http1_a_lockout_keeps_six_calls_in_flight() {
    let fake = heavy_fake(200, Protocol::Http1);
    let journal = lockout_over(&fake, 200);
    let journal = journal.borrow();
    assert!(journal.verifications[0].passed());
    let concurrency = journal.concurrency.expect("recorded");
    assert_eq!(concurrency.peak, 6);
    assert_eq!(concurrency.protocol, Some(Protocol::Http1));
    assert_eq!(concurrency.backoffs, 0);
}

#[test]
fn over_http2_a_lockout_widens_to_the_cap_and_the_report_says_so() {
    let fake = heavy_fake(200, Protocol::Http2);
    let journal = lockout_over(&fake, 200);
    let journal = journal.borrow();
    assert!(journal.verifications[0].passed());
    assert!(
        fake.state
            .borrow()
            .keys
            .values()
            .all(|owner| owner != "user-123")
    );
    let concurrency = journal.concurrency.expect("recorded");
    assert_eq!(concurrency.peak, crate::congestion::DEFAULT_CAP);
    assert_eq!(concurrency.protocol, Some(Protocol::Http2));
    let report = report::to_json(&journal);
    assert_eq!(report["concurrency"]["protocol"], "h2");
    assert_eq!(report["concurrency"]["peak"], 64);
    assert!(report::to_csv(&journal).contains("up to 64 at once over HTTP/2 (cap 64)"));
}

#[test]
fn a_rate_limited_lockout_backs_off_and_still_revokes_every_key() {
    let fake = heavy_fake(200, Protocol::Http2);
    fake.faults
        .borrow_mut()
        .push(("/admin/api/users/api-keys/".into(), 429, 40));
    let journal = lockout_over(&fake, 200);
    let journal = journal.borrow();
    assert!(
        journal.verifications[0].passed(),
        "every key revoked in the end"
    );
    let concurrency = journal.concurrency.expect("recorded");
    assert!(concurrency.backoffs >= 1, "{concurrency:?}");
    assert!(
        concurrency.peak < crate::congestion::DEFAULT_CAP,
        "{concurrency:?}"
    );
}

#[test]
fn the_admins_cap_bounds_a_run() {
    let fake = heavy_fake(200, Protocol::Http2);
    let plan = plan::emergency(Dialect::Adoc, &heavy_inventory(200), "2024-12-05");
    let journal = RefCell::new(Journal::new(plan, "o".into(), "e".into(), 0.0));
    let client = Client::new(&fake, FakeClock::default()).with_concurrency_cap(10);
    block_on(Runner::new(&client, &journal, &|| {}).run_remaining());
    assert_eq!(journal.borrow().concurrency.expect("recorded").peak, 10);
    assert!(journal.borrow().verifications[0].passed());
}

mod evidence {
    use super::*;
    use crate::run::evidence::{AccountClosed, ControlStatus, evidence};

    /// The fake clock's epoch: every call of a run against the fake happens at this instant.
    const RUN_AT_MS: f64 = 1_733_390_000_000.0;
    const MINUTE_MS: f64 = 60_000.0;

    fn finished_wizard() -> Journal {
        let fake = Fake::runbook();
        let journal = RefCell::new(adoc_wizard());
        run_all(&fake, &journal);
        journal.into_inner()
    }

    fn statuses(journal: &Journal) -> Vec<ControlStatus> {
        evidence(journal)
            .controls
            .iter()
            .map(|c| c.status)
            .collect()
    }

    #[test]
    fn a_verified_run_is_timed_from_notification_against_each_control() {
        use ControlStatus::{Met, NoFixedLimit, NotMet};
        let mut journal = finished_wizard();
        journal.notified_at_ms = Some(RUN_AT_MS - 30.0 * MINUTE_MS);
        let found = evidence(&journal);
        assert_eq!(found.closed, Some((AccountClosed::Disabled, RUN_AT_MS)));
        assert_eq!(found.last_key_revoked_at_ms, Some(RUN_AT_MS));
        assert_eq!(found.access_removed_at_ms, Some(RUN_AT_MS));
        assert_eq!(found.verified_at_ms, Some(RUN_AT_MS));
        assert_eq!(found.removal_ms(), Some(30.0 * MINUTE_MS));
        let names: Vec<&str> = found.controls.iter().map(|c| c.control).collect();
        assert_eq!(
            names,
            [
                "The platform's offboarding runbook",
                "SOC 2 CC6.2",
                "ISO/IEC 27001:2022 A.5.18",
                "NIST SP 800-53 PS-4, FedRAMP High",
                "NIST SP 800-53 PS-4, FedRAMP Moderate",
                "PCI DSS v4.0 8.2.5"
            ]
        );
        assert_eq!(
            statuses(&journal),
            [Met, NoFixedLimit, NoFixedLimit, Met, Met, NoFixedLimit]
        );
        assert_eq!(
            found.controls[0].finding,
            "Access removed 30 min after notification, within 1 h."
        );

        // Notified two hours earlier: the one-hour targets are missed, the four-hour one met.
        journal.notified_at_ms = Some(RUN_AT_MS - 120.0 * MINUTE_MS);
        assert_eq!(
            statuses(&journal),
            [
                NotMet,
                NoFixedLimit,
                NoFixedLimit,
                NotMet,
                Met,
                NoFixedLimit
            ]
        );
        assert_eq!(
            evidence(&journal).controls[3].finding,
            "Access removed 2 h after notification, 1 h over the 1 h limit."
        );

        journal.notified_at_ms = None;
        assert!(
            statuses(&journal)
                .iter()
                .all(|status| *status == ControlStatus::Unknown)
        );
    }

    #[test]
    fn a_run_that_left_access_claims_no_removal_and_meets_no_control() {
        let fake = Fake::runbook();
        let mut unfinished = adoc_wizard();
        let verify = unfinished.plan.step_index("verify").unwrap();
        unfinished.skip(verify, "not now", RUN_AT_MS).unwrap();
        let journal = RefCell::new(unfinished);
        run_all(&fake, &journal);
        let mut journal = journal.into_inner();
        journal.notified_at_ms = Some(RUN_AT_MS - MINUTE_MS);
        let found = evidence(&journal);
        assert!(!report::verdict(&journal).passed());
        assert_eq!(found.access_removed_at_ms, None);
        assert_eq!(found.verified_at_ms, None);
        assert!(
            found
                .controls
                .iter()
                .all(|c| c.status == ControlStatus::NotMet
                    && c.finding == "Access is not proved removed: see the verdict.")
        );
    }

    #[test]
    fn reports_carry_the_evidence_and_a_verification_carries_none() {
        let mut journal = finished_wizard();
        journal.notified_at_ms = Some(RUN_AT_MS - 30.0 * MINUTE_MS);
        let json = report::to_json(&journal);
        assert_eq!(json["evidence"]["notifiedToAccessRemovedMs"], 1_800_000.0);
        assert_eq!(json["evidence"]["accountClosed"]["how"], "disabled");
        assert_eq!(json["evidence"]["controls"][3]["status"], "met");
        let csv = report::to_csv(&journal);
        assert!(
            csv.lines()
                .any(|line| line == ",evidence,,Account disabled,,,,2024-12-05T09:13:20Z"),
            "{csv}"
        );
        assert!(
            csv.lines().any(|line| line.starts_with(
                ",control,,PCI DSS v4.0 8.2.5,,,,\"No fixed limit. Access removed 30 min"
            )),
            "{csv}"
        );
        assert!(report::to_json_text(&journal).ends_with("}\n"));

        let verification = plan::verification(Dialect::Adoc, &inventory());
        let only_reads = Journal::new(verification, "o".into(), "e".into(), 0.0);
        assert!(report::to_json(&only_reads)["evidence"].is_null());
        assert!(!report::to_csv(&only_reads).contains(",evidence,"));
    }
}

mod history {
    use super::*;
    use crate::run::history::{RunSummary, Standing, to_csv};

    #[test]
    fn a_finished_run_is_summed_up_with_its_verdict_and_time_to_removal() {
        let fake = Fake::runbook();
        let journal = RefCell::new(adoc_wizard());
        journal.borrow_mut().notified_at_ms = Some(1_733_390_000_000.0 - 90_000.0);
        run_all(&fake, &journal);
        let summary = RunSummary::of(&journal.borrow());
        assert_eq!(summary.standing(), Standing::Verified);
        assert_eq!(summary.verdict_words(), "Access removed and verified.");
        assert_eq!(summary.removal_ms, Some(90_000.0));
        assert!(summary.finished_at_ms.is_some());
        assert!(summary.matches("first.last OLIVIA"));
        assert!(summary.matches("guided 127.0.0.1"));
        assert!(!summary.matches("first.last bob"));

        let csv = to_csv(&[summary]);
        let lines: Vec<&str> = csv.lines().collect();
        assert_eq!(lines.len(), 2);
        assert!(lines[0].starts_with("id,kind,platform,endpoint,run_by,person"));
        assert!(
            lines[1].contains(",Guided offboarding,Acceldata ADOC,http://127.0.0.1:8080,"),
            "{csv}"
        );
        assert!(
            lines[1].ends_with(",Access removed and verified.,2024-12-05T09:11:50Z,90"),
            "{csv}"
        );
    }

    #[test]
    fn an_unfinished_run_says_so_whatever_it_has_verified() {
        let unfinished = adoc_wizard();
        let summary = RunSummary::of(&unfinished);
        assert_eq!(summary.standing(), Standing::Unfinished);
        assert_eq!(summary.verdict_words(), "Not finished");
        assert_eq!(summary.finished_at_ms, None);
        assert_eq!(summary.removal_ms, None);
    }
}

#[test]
fn across_platforms_only_every_platform_verified_is_verified_and_each_is_named() {
    use super::across::{self, Part, Standing};
    let fake = Fake::runbook();
    let plan = plan::emergency(Dialect::Adoc, &inventory(), "2024-12-05");
    let done = RefCell::new(Journal::new(plan.clone(), "o".into(), "e".into(), 0.0));
    run_all(&fake, &done);
    let done = done.into_inner();
    let not_run = Journal::new(plan, "o".into(), "e".into(), 0.0);
    let part = |platform, standing| Part { platform, standing };

    let verified = across::verdict(&[
        part("ADOC prod", Standing::Ran(&done)),
        part("TD EU", Standing::NoAccount),
    ]);
    assert!(verified.passed(), "{verified:?}");
    assert_eq!(
        verified.headline,
        "Access removed and verified on the one platform with an account."
    );
    assert_eq!(
        verified.lines[1],
        "TD EU: no such person; nothing to remove."
    );

    // A platform not reached is not a quiet gap: nothing is known there.
    let unreached = across::verdict(&[
        part("ADOC prod", Standing::Ran(&done)),
        part("TD EU", Standing::Unreached("the network is down")),
    ]);
    assert!(!unreached.passed());
    assert_eq!(unreached.headline, "Not verified on TD EU.");
    assert_eq!(unreached.open_platforms, vec!["TD EU".to_string()]);

    // A refusal by rule leaves access, and outweighs a platform merely not verified yet.
    let left = across::verdict(&[
        part("ADOC prod", Standing::Ran(&not_run)),
        part(
            "ADOC dev",
            Standing::Refused("an admin may not lock out another admin"),
        ),
        part("TD EU", Standing::Ran(&done)),
    ]);
    assert_eq!(left.outcome, super::verdict::Outcome::AccessLeft);
    assert_eq!(
        left.headline,
        "Access is left on ADOC dev; not verified on ADOC prod."
    );
    assert_eq!(left.open_platforms, vec!["ADOC prod", "ADOC dev"]);
    assert!(left.lines[1].contains("may not lock out another admin"));

    // Found nowhere proves nothing was removed, so it is not "verified".
    let nowhere = across::verdict(&[part("TD EU", Standing::NoAccount)]);
    assert!(!nowhere.passed());
    assert!(
        nowhere
            .headline
            .starts_with("No account on any of the 1 platform")
    );

    // The one report carries each platform's own report.
    let report = across::to_json(
        "first.last@company.com",
        "o",
        0.0,
        &[
            part("ADOC prod", Standing::Ran(&done)),
            part("TD EU", Standing::NoAccount),
        ],
    );
    assert_eq!(report["verdict"]["passed"], true);
    assert_eq!(report["platforms"][0]["report"]["verdict"]["passed"], true);
    assert_eq!(report["platforms"][1]["standing"], "no-account");
}
