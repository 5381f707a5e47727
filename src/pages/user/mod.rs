//! The user page (`/users/:reference`): a person's whole access on one screen, read with calls
//! that run in parallel, and the "document current access" snapshot (runbook step 1).

mod delete_user;
mod details;
mod everywhere;
mod reactivate;
mod rules;
mod sections;
mod snapshot_panel;

use crate::api;
use crate::components::audit_trail::AuditTrail;
use crate::components::error_notice::ApiErrorNotice;
use crate::components::no_such_person::{NoSuchPerson, is_missing};
use crate::routes;
use crate::session::Connection;
use delete_user::{DeleteUser, Holdings};
use details::Details;
use everywhere::Everywhere;
use leptos::prelude::*;
use leptos_router::hooks::use_params_map;
use offboard_engine::model::User;
use offboard_engine::platform::Capability;
use offboard_engine::platform::Platform;
use reactivate::Reactivate;
use sections::{
    Loaded, SectionCard, groups_list, keys_table, permissions_list, pipelines_list, roles_list,
};
use snapshot_panel::SnapshotPanel;

#[component]
pub fn UserPage(connection: Connection) -> impl IntoView {
    let params = use_params_map();
    let reference = move || routes::reference(params.with(|p| p.get("reference")));
    // Bumped by Refresh; every section reads it, so one click reloads them all.
    let version = RwSignal::new(0u32);

    let load = Loader {
        connection: connection.clone(),
        version,
    };
    let user = load.section(reference, async |platform, user| {
        platform.find_user(&user.id).await
    });
    let keys = load.section(reference, async |platform, user| platform.keys(user).await);
    // The parts of access beyond keys, where the platform has them (Treasure Data has none).
    let has_groups = connection.dialect().offers(Capability::Groups);
    let groups = load.section(reference, async |platform, user| {
        platform.groups(user).await
    });
    let roles = load.section(reference, async |platform, user| platform.roles(user).await);
    let permissions = load.section(reference, async |platform, user| {
        platform.permissions(user).await
    });
    // Pipelines are found by owner email, which ADOC paths do not carry: wait for the user.
    let pipelines = {
        let connection = connection.clone();
        Loaded::new(move || {
            let connection = connection.clone();
            async move {
                let owner = user.wait().await?;
                api::with_platform(&connection, async |p| p.pipelines(&owner).await).await
            }
        })
    };

    // A person who does not exist gets one plain message instead of the page: every section
    // would fail with the same 404, and offboarding no one is not an action to offer.
    let missing = Memo::new(move |_| {
        user.get()
            .is_some_and(|read| read.is_err_and(|e| is_missing(&e)))
    });

    let header = move || match user.get() {
        None => view! { <h1 tabindex="-1">"Loading…"</h1> }.into_any(),
        Some(Err(error)) => view! {
            <h1 tabindex="-1">{reference()}</h1>
            <ApiErrorNotice error=error />
        }
        .into_any(),
        Some(Ok(found)) => view! { <UserHeading user=found /> }.into_any(),
    };
    let details = move || {
        user.get()
            .and_then(Result::ok)
            .map(|found| view! { <Details user=found /> })
    };

    // Delete is offered once the person and what they hold are read: the modal restates them.
    // Memos, so an open dialog is not rebuilt when the same answers arrive again.
    let holdings = Memo::new(move |_| {
        let found = user.get()?.ok()?;
        let holdings = Holdings {
            keys: keys.get()?.ok()?,
            groups: match has_groups {
                true => groups.get()?.ok()?.into_iter().map(|g| g.id).collect(),
                false => Vec::new(),
            },
            pipelines: match has_groups {
                true => pipelines.get().and_then(Result::ok).map_or(0, |p| p.len()),
                false => 0,
            },
        };
        Some((found, holdings))
    });
    let found_user = Memo::new(move |_| user.get().and_then(Result::ok));
    let delete = {
        let connection = connection.clone();
        move || {
            let (found, holdings) = holdings.get()?;
            Some(
                view! { <DeleteUser connection=connection.clone() user=found holdings=holdings /> },
            )
        }
    };
    let reactivate = {
        let connection = connection.clone();
        move || {
            let found = found_user.get()?;
            let reread = Callback::new(move |()| version.update(|v| *v += 1));
            Some(view! { <Reactivate connection=connection.clone() user=found on_done=reread /> })
        }
    };
    // The platform's own record of what was done to this person, its chain checked here.
    let audit_trail = {
        let connection = connection.clone();
        move || {
            let person = found_user.get()?;
            Some(view! { <AuditTrail connection=connection.clone() person=person /> })
        }
    };
    let page = move || {
        if missing.get() {
            return view! {
                <section class="card no-such-person" aria-labelledby="no-such-person-title">
                    <h1 id="no-such-person-title" tabindex="-1">"Person not found"</h1>
                    <NoSuchPerson who=reference() connection=connection.clone() />
                </section>
                <Everywhere reference=reference() />
            }
            .into_any();
        }
        view! {
            <div class="page-head user-head">
                {header}
                // Not `no-print` as a whole: a dialog opened from here (a run's report) prints.
                <div class="actions">
                    <a class="button primary no-print" href=move || routes::wizard(&reference())>"Guided offboarding"</a>
                    <button type="button" class="quiet" on:click=move |_| version.update(|v| *v += 1)>"Refresh"</button>
                    <a class="button danger no-print" href=move || routes::emergency(&reference())>"Emergency lockout"</a>
                    {reactivate.clone()}
                    {delete.clone()}
                </div>
            </div>
            <SnapshotPanel connection=connection.clone() user=user keys=keys groups=groups roles=roles
                permissions=permissions pipelines=pipelines />
            <div class="sections">
                {details}
                <SectionCard title="API keys" resource=keys empty="No API keys." render=keys_table />
                {has_groups.then(|| view! {
                    <SectionCard title="Groups" resource=groups empty="Not a member of any group." render=groups_list />
                    <SectionCard title="Roles" resource=roles empty="No roles." render=roles_list />
                    <SectionCard title="Permissions" resource=permissions empty="No permissions." render=permissions_list />
                    <SectionCard title="Pipelines" resource=pipelines empty="Owns no pipelines." render=pipelines_list />
                })}
                {(!has_groups).then(|| view! {
                    <section class="card section">
                        <h2>"Groups, roles and pipelines"</h2>
                        <p class="muted">{format!("{} has none of these: a person's access is their account and their API keys.", connection.dialect().label())}</p>
                    </section>
                })}
            </div>
            {move || view! { <Everywhere reference=reference() /> }}
            {audit_trail.clone()}
        }
        .into_any()
    };

    view! {
        <nav class="breadcrumb no-print" aria-label="Breadcrumb"><a href=routes::DIRECTORY>"Directory"</a>" › "<span>{reference}</span></nav>
        {page}
    }
    .into_any()
}

#[component]
fn UserHeading(user: User) -> impl IntoView {
    // No badge where the platform has no state (Treasure Data): "enabled" would be made up.
    let status = user.known_status();
    view! {
        <div>
            <h1 tabindex="-1">{user.name.clone()}</h1>
            <p class="subtitle">
                <span>{user.email.clone()}</span>" "
                {user.account_role.map(|role| view! { <span class="badge badge-role">{role.as_str()}</span> })}" "
                {status.map(|status| view! { <span class=format!("badge badge-{}", status.label().to_lowercase())>{status.label()}</span> })}
            </p>
        </div>
    }
}

/// Starts one section's read when the page opens and on every refresh.
#[derive(Clone)]
struct Loader {
    connection: Connection,
    version: RwSignal<u32>,
}

impl Loader {
    /// A resource reading one section for the user the page shows. Sections need only the
    /// reference (ADOC id or TD email), so they start at once, in parallel with the user.
    fn section<T, F>(&self, reference: impl Fn() -> String + Copy + 'static, read: F) -> Loaded<T>
    where
        T: Clone + 'static,
        F: AsyncFn(
                &Platform<'_, api::FetchTransport, api::BrowserClock>,
                &User,
            ) -> Result<T, offboard_engine::error::ApiError>
            + Copy
            + 'static,
    {
        let connection = self.connection.clone();
        let version = self.version;
        Loaded::new(move || {
            version.track();
            let connection = connection.clone();
            let reference = reference();
            async move {
                let user = User {
                    id: reference.clone(),
                    email: reference,
                    ..User::default()
                };
                api::with_platform(&connection, async |platform| read(platform, &user).await).await
            }
        })
    }
}
