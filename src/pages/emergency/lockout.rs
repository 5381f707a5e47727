//! One lockout: reads who will be locked out (with their keys and groups), checks the guards,
//! asks once, then runs and shows the timeline.

use super::confirm::Confirm;
use super::find_person::FindPerson;
use super::guard::{Guard, guard};
use super::prefetch;
use super::resume::ResumeLockout;
use super::timeline::Timeline;
use crate::api;
use crate::components::already_offboarded::AlreadyOffboarded;
use crate::components::awaited::Awaited;
use crate::components::error_notice::ApiErrorNotice;
use crate::components::no_such_person::{NoSuchPerson, is_missing};
use crate::runs::{RunHandle, storage};
use crate::session::Connection;
use leptos::prelude::*;
use offboard_engine::error::ApiError;
use offboard_engine::http::LocalBoxFuture;
use offboard_engine::platform::Capability;
use offboard_engine::run::journal::Journal;
use offboard_engine::run::plan::{self, Inventory};

/// The journal kind of a lockout (see `storage::save`).
const KIND: &str = "emergency";

/// Loads who will be locked out, checks the guards, asks once, then runs; offers to continue a
/// lockout of the same person that was interrupted in this browser.
#[component]
pub fn Lockout(who: String, connection: Connection) -> impl IntoView {
    let inventory = {
        let connection = connection.clone();
        let who = who.clone();
        crate::loaded::Loaded::new(move || {
            // Connect may have started this read already (see `prefetch`).
            let started = prefetch::take(&connection, &who);
            let (connection, who) = (connection.clone(), who.clone());
            async move {
                match started {
                    Some(read) => read.await,
                    None => load(connection, who).await,
                }
            }
        })
    };
    let run = RwSignal::new_local(None::<RunHandle>);
    // Set when the person chooses to lock out someone who already looks offboarded.
    let anyway = RwSignal::new(false);
    // Set when the person chooses to start over instead of continuing an interrupted lockout.
    let start_over = RwSignal::new(false);
    // The run outlives the confirmation that starts it, so its signals belong to this page.
    let owner = Owner::current().expect("rendered inside the app");

    let failed = {
        let (who, connection) = (who.clone(), connection.clone());
        Callback::new(move |error: ApiError| match is_missing(&error) {
            // Keeps the search so a mistyped address is corrected here, on the phone, in one go.
            true => view! {
                <div class="notice notice-warn" role="alert">
                    <NoSuchPerson who=who.clone() connection=connection.clone() />
                </div>
                <FindPerson typed=who.clone() />
            }
            .into_any(),
            false => view! { <ApiErrorNotice error=error /> }.into_any(),
        })
    };
    let found = move |found: Inventory| match run.get() {
        Some(handle) => {
            view! { <Timeline run=handle connection=connection.clone() inventory=found /> }
                .into_any()
        }
        None => {
            let owner = owner.clone();
            let start = move |journal| run.set(Some(owner.with(|| RunHandle::new(journal))));
            // An interrupted lockout comes first: the person may look offboarded half-way.
            let dialect = connection.dialect();
            let interrupted = (!start_over.get())
                .then(|| {
                    storage::unfinished(
                        &connection.base_url,
                        dialect.as_str(),
                        found.user.reference(dialect),
                        KIND,
                    )
                })
                .flatten()
                // A lockout the rules now refuse (another admin's connection) is not continued.
                .filter(|_| !matches!(guard(&connection, &found.user), Guard::Refused(_)));
            if let Some(journal) = interrupted {
                let (id, shown) = (journal.id.clone(), journal.clone());
                let resume = move || start(journal.clone());
                let discard = move || {
                    storage::discard(&id);
                    start_over.set(true);
                };
                return view! { <ResumeLockout journal=shown on_resume=resume on_start_over=discard /> }
                    .into_any();
            }
            if plan::looks_offboarded(connection.dialect(), &found) && !anyway.get() {
                let verify = {
                    let (connection, found) = (connection.clone(), found.clone());
                    Callback::new(move |()| {
                        let plan = plan::verification(connection.dialect(), &found);
                        start(Journal::new(
                            plan,
                            crate::session::operator(&connection),
                            connection.base_url.clone(),
                            js_sys::Date::now(),
                        ));
                    })
                };
                let earlier = storage::latest_finished(
                    &connection.base_url,
                    connection.dialect().as_str(),
                    found.user.reference(connection.dialect()),
                );
                return view! {
                    <AlreadyOffboarded user=found.user.clone() earlier=earlier on_verify=verify
                        anyway=("Lock out anyway", Callback::new(move |()| anyway.set(true))) />
                }
                .into_any();
            }
            view! { <Confirm connection=connection.clone() inventory=found start=start /> }
                .into_any()
        }
    };
    view! { <div><Awaited read=inventory loading=format!("Finding {who}…") failed=failed ready=found /></div> }
}

/// The read of a person for a lockout.
pub(super) type Read = LocalBoxFuture<'static, Result<Inventory, ApiError>>;

/// The person and their keys (and groups, ADOC), read at once so the confirmation shows counts
/// and the lockout can start revoking without listing first.
pub(super) fn load(connection: Connection, who: String) -> Read {
    Box::pin(async move { read_inventory(connection, who).await })
}

pub(crate) async fn read_inventory(
    connection: Connection,
    who: String,
) -> Result<Inventory, ApiError> {
    let user =
        api::with_platform(&connection, async |platform| platform.find_user(&who).await).await?;
    read_holdings(connection, user).await
}

/// The keys and groups of a person already found (a bulk run found everyone when it checked
/// the file, so each run reads only what they hold).
pub(crate) async fn read_holdings(
    connection: Connection,
    user: offboard_engine::model::User,
) -> Result<Inventory, ApiError> {
    api::with_platform(&connection, async |platform| {
        let (keys, groups) = futures::join!(platform.keys(&user), async {
            if platform.offers(Capability::Groups) {
                platform.groups(&user).await
            } else {
                Ok(Vec::new())
            }
        });
        Ok(Inventory {
            keys: keys?.into_iter().map(|key| key.id).collect(),
            groups: groups?.into_iter().map(|group| group.id).collect(),
            pipelines: Vec::new(),
            user,
        })
    })
    .await
}
