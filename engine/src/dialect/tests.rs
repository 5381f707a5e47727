//! The dialect trait's two implementations, side by side: the same question asked of each gives
//! that platform's own call, and what one lacks it says it lacks instead of calling.

use super::{Capability, Dialect, has_next_page};
use crate::model::User;
use crate::run::plan::{CheckKind, Inventory, Target};
use serde_json::json;

fn person(dialect: Dialect) -> (Target, Inventory) {
    let user = User {
        id: "user-123".into(),
        email: "first.last@company.com".into(),
        ..User::default()
    };
    (
        Target::new(&user, dialect),
        Inventory {
            user,
            keys: vec!["AK-1".into()],
            groups: vec!["g-1".into()],
            ..Inventory::default()
        },
    )
}

#[test]
fn paging_stops_at_the_total_or_a_short_page() {
    assert!(has_next_page(0, Some(100), 100, Some(200)));
    assert!(!has_next_page(1, Some(100), 100, Some(200)));
    assert!(has_next_page(0, Some(20), 20, None));
    assert!(!has_next_page(3, Some(20), 7, None));
    assert!(
        !has_next_page(0, Some(20), 0, Some(500)),
        "an empty page ends a list that shrank"
    );
    assert!(!has_next_page(0, None, 1000, None), "one answer lists all");
}

#[test]
fn each_dialect_names_itself_and_reads_back_from_its_name() {
    for dialect in Dialect::ALL {
        let api = dialect.api();
        assert_eq!(api.dialect(), dialect);
        let json = serde_json::to_value(dialect).unwrap();
        assert_eq!(json, json!(api.name()));
        assert_eq!(
            <Dialect as crate::json::FromJson>::from_json(&json),
            Ok(dialect)
        );
    }
    assert_eq!(Dialect::Adoc.label(), "Acceldata ADOC");
    assert_eq!(Dialect::Td.label(), "Treasure Data");
}

#[test]
fn paths_name_a_user_by_id_on_adoc_and_by_email_on_td() {
    let (adoc, _) = person(Dialect::Adoc);
    let (td, _) = person(Dialect::Td);
    assert_eq!(adoc.reference, "user-123");
    assert_eq!(td.reference, "first.last@company.com");
    assert_eq!(
        Dialect::Adoc.api().list_keys(&adoc.reference, 2).line(),
        "GET /admin/api/users/user-123/api-keys?page=2&size=100"
    );
    assert_eq!(
        Dialect::Td.api().list_keys(&td.reference, 0).line(),
        "GET /v3/user/apikey/list/first.last@company.com"
    );
    assert_eq!(
        Dialect::Adoc
            .api()
            .revoke_key(&adoc.reference, "AK-1")
            .line(),
        "DELETE /admin/api/users/api-keys/AK-1"
    );
    assert_eq!(
        Dialect::Td.api().revoke_key(&td.reference, "AK-1").line(),
        "POST /v3/user/apikey/remove/first.last@company.com"
    );
}

#[test]
fn finding_a_user_searches_adoc_by_email_and_lists_td() {
    let adoc = Dialect::Adoc.api();
    assert_eq!(
        adoc.find_user("user-123").line(),
        "GET /admin/api/users/user-123"
    );
    assert!(
        adoc.find_user(" a@b.c ")
            .line()
            .ends_with("searchString=a@b.c")
    );
    let page = json!({"users": [{"userId": "u-1", "email": "A@B.c"}]});
    assert_eq!(adoc.pick_user("a@b.c", &page).unwrap().id, "u-1");
    assert!(adoc.pick_user("x@b.c", &page).is_err());

    let td = Dialect::Td.api();
    assert_eq!(td.find_user("a@b.c").line(), "GET /v3/user/list");
    let list = json!({"users": [{"id": 7, "email": "a@b.c"}]});
    assert_eq!(td.pick_user("A@B.C", &list).unwrap().id, "7");
    assert_eq!(td.pick_user("7", &list).unwrap().email, "a@b.c");
    assert!(matches!(
        td.pick_user("x@b.c", &list),
        Err(crate::error::ApiError::NotFound { .. })
    ));
}

#[test]
fn page_sizes_are_each_dialects_own() {
    assert_eq!(Dialect::Adoc.api().users_page_size(), Some(500));
    assert_eq!(Dialect::Adoc.api().keys_page_size(), Some(100));
    assert_eq!(Dialect::Td.api().users_page_size(), None);
    assert_eq!(Dialect::Td.api().keys_page_size(), None);
}

#[test]
fn treasure_data_lacks_every_part_of_access_but_users_and_keys() {
    let (target, _) = person(Dialect::Td);
    let td = Dialect::Td.api();
    for capability in [
        Capability::Groups,
        Capability::Roles,
        Capability::Permissions,
        Capability::Pipelines,
        Capability::Disable,
    ] {
        assert!(!td.offers(capability));
        assert!(Dialect::Adoc.offers(capability));
    }
    assert_eq!(td.list_groups(&target), None);
    assert_eq!(td.delete_user(&target), None);
    let error = td.parse_groups(&json!([])).unwrap_err();
    assert!(error.to_string().ends_with("Treasure Data has no groups"));
    assert!(
        td.remove_user(&target, &super::KeyDisposal::Delete)
            .is_some()
    );
    assert_eq!(
        Dialect::Adoc
            .api()
            .remove_user(&target, &super::KeyDisposal::Delete),
        None
    );
}

#[test]
fn the_facts_of_access_are_each_platforms_own() {
    assert_eq!(
        Dialect::Adoc.api().access_facts(),
        vec![
            CheckKind::Disabled,
            CheckKind::NoKeys,
            CheckKind::NoGroups,
            CheckKind::NoPermissions
        ]
    );
    assert_eq!(
        Dialect::Adoc.api().deletion_facts(),
        vec![CheckKind::UserDeleted, CheckKind::NoKeys]
    );
    assert_eq!(
        Dialect::Td.api().access_facts(),
        vec![CheckKind::UserRemoved, CheckKind::NoKeys]
    );
    assert_eq!(
        Dialect::Td.api().deletion_facts(),
        Dialect::Td.api().access_facts()
    );
    assert!(!Dialect::Adoc.api().missing_user_has_no_keys());
    assert!(Dialect::Td.api().missing_user_has_no_keys());
}

#[test]
fn only_a_disabled_adoc_account_without_keys_looks_offboarded() {
    let (_, mut inventory) = person(Dialect::Adoc);
    inventory.user.enabled = Some(false);
    assert!(
        !Dialect::Adoc.api().looks_offboarded(&inventory),
        "a key is left"
    );
    inventory.keys.clear();
    assert!(Dialect::Adoc.api().looks_offboarded(&inventory));
    assert!(!Dialect::Td.api().looks_offboarded(&inventory));
}

#[test]
fn each_dialect_plans_its_own_steps() {
    let ids =
        |steps: Vec<crate::run::plan::Step>| steps.into_iter().map(|s| s.id).collect::<Vec<_>>();
    let (adoc_target, adoc_inventory) = person(Dialect::Adoc);
    let adoc = Dialect::Adoc.api();
    assert_eq!(
        ids(adoc.emergency_steps(&adoc_target, &adoc_inventory, "2024-12-05")),
        ["disable", "lock-out", "verify"]
    );
    assert_eq!(
        ids(adoc.deletion_steps(&adoc_target, &adoc_inventory, super::KeyDisposal::Delete)),
        [
            "document",
            "revoke-keys",
            "remove-groups",
            "delete-user",
            "verify"
        ]
    );
    assert!(
        adoc.reactivation_steps(&adoc_target, &adoc_inventory, "d", "me", &[])
            .is_some()
    );

    let (td_target, td_inventory) = person(Dialect::Td);
    let td = Dialect::Td.api();
    assert_eq!(
        ids(td.emergency_steps(&td_target, &td_inventory, "2024-12-05")),
        ["remove-user", "verify"]
    );
    assert_eq!(
        ids(td.deletion_steps(&td_target, &td_inventory, super::KeyDisposal::Delete)),
        ["document", "remove-user", "verify"]
    );
    assert!(
        td.reactivation_steps(&td_target, &td_inventory, "d", "me", &[])
            .is_none(),
        "a removed user cannot be brought back"
    );
}
