//! The directory table, windowed: only the rows in view (plus a few either side) exist in the
//! DOM, so 10,000 users scroll and filter as fast as 10. Row height is fixed in CSS to match
//! [`ROW_HEIGHT`], and on a phone, where each row is stacked (name, then email, then role and
//! status as badges) instead of truncated into five columns, to [`PHONE_ROW_HEIGHT`].

use super::index::{Direction, DirectoryIndex, SortKey};
use crate::format::short_time;
use leptos::html::Div;
use leptos::prelude::*;
use offboard_engine::model::{Dialect, User};
use offboard_engine::platform::Capability;
use std::sync::Arc;

const ROW_HEIGHT: f64 = 44.0;
const PHONE_ROW_HEIGHT: f64 = 76.0;
/// The stylesheet's phone breakpoint (`style/main.css`), where rows become [`PHONE_ROW_HEIGHT`].
const PHONE: &str = "(max-width: 640px)";
const OVERSCAN: usize = 8;

fn row_height() -> f64 {
    let phone = window()
        .match_media(PHONE)
        .ok()
        .flatten()
        .is_some_and(|query| query.matches());
    if phone { PHONE_ROW_HEIGHT } else { ROW_HEIGHT }
}

#[component]
pub fn UserTable(
    index: RwSignal<Arc<DirectoryIndex>>,
    rows: Memo<Arc<Vec<u32>>>,
    sort: RwSignal<(SortKey, Direction)>,
    dialect: Dialect,
    #[prop(into)] busy: Signal<bool>,
) -> impl IntoView {
    let scroller = NodeRef::<Div>::new();
    let scroll_top = RwSignal::new(0.0);
    let viewport = RwSignal::new(640.0);
    // Read again when the window changes size (a phone turned, a window narrowed).
    let row = RwSignal::new(row_height());
    let resize = window_event_listener(leptos::ev::resize, move |_| {
        row.set(row_height());
        if let Some(element) = scroller.get_untracked() {
            viewport.set(f64::from(element.client_height().max(200)));
        }
    });
    on_cleanup(move || resize.remove());

    // A new search or sort starts at the top.
    crate::reactive::effect(move || {
        rows.track();
        if let Some(element) = scroller.get_untracked() {
            element.set_scroll_top(0);
        }
        scroll_top.set(0.0);
    });
    crate::reactive::effect(move || {
        if let Some(element) = scroller.get() {
            viewport.set(f64::from(element.client_height().max(200)));
        }
    });

    let window = move || {
        let top = scroll_top.get();
        let height = viewport.get();
        let row = row.get();
        rows.with(|rows| {
            let first = ((top / row) as usize)
                .saturating_sub(OVERSCAN)
                .min(rows.len());
            let count = (height / row).ceil() as usize + 2 * OVERSCAN;
            let last = (first + count).min(rows.len());
            (first, last, rows.len())
        })
    };
    let visible_rows = move || {
        let (first, last, _) = window();
        let shown = rows.with(|rows| rows[first..last].to_vec());
        index.with(|index| {
            shown
                .into_iter()
                .enumerate()
                .map(|(offset, i)| (first + offset, index.user(i).clone()))
                .collect::<Vec<_>>()
        })
    };
    // Set through the CSSOM (`style:height`), not a `style` attribute: the app's CSP has no
    // 'unsafe-inline' for styles, and browsers drop style attributes under it.
    let spacer_above = move || format!("{}px", window().0 as f64 * row.get());
    let spacer_below = move || {
        let (_, last, total) = window();
        format!("{}px", (total - last) as f64 * row.get())
    };
    let columns = SortKey::columns(dialect);
    // The spacers span exactly the columns there are (an extra one would be an empty column).
    let span = columns.len().to_string();

    view! {
        <div class="table-scroll" node_ref=scroller tabindex="0" aria-label="Users"
            aria-busy=move || busy.get().to_string()
            on:scroll=move |ev| {
                let target: web_sys::Element = event_target(&ev);
                scroll_top.set(f64::from(target.scroll_top()));
            }>
            <table aria-rowcount=move || rows.with(|rows| rows.len() + 1)>
                <thead>
                    <tr aria-rowindex="1">
                        {columns.into_iter().map(|key| view! { <SortHeader key=key sort=sort /> }).collect_view()}
                    </tr>
                </thead>
                <tbody>
                    <tr class="spacer" aria-hidden="true"><td colspan=span.clone() style:height=spacer_above></td></tr>
                    <For each=visible_rows key=|(position, user)| (*position, user.id.clone()) let((position, user))>
                        <UserRow position=position user=user dialect=dialect />
                    </For>
                    <tr class="spacer" aria-hidden="true"><td colspan=span style:height=spacer_below></td></tr>
                </tbody>
            </table>
        </div>
    }
}

#[component]
fn SortHeader(key: SortKey, sort: RwSignal<(SortKey, Direction)>) -> impl IntoView {
    let state = move || {
        let (current, direction) = sort.get();
        if current == key {
            direction.aria()
        } else {
            "none"
        }
    };
    let toggle = move |_| {
        sort.update(|(current, direction)| {
            if *current == key {
                *direction = direction.flipped();
            } else {
                *current = key;
                *direction = Direction::Ascending;
            }
        })
    };
    view! {
        <th scope="col" aria-sort=state>
            // The arrow is drawn by CSS from aria-sort, so the button's name stays the label.
            <button type="button" class="sort" on:click=toggle>{key.label()}</button>
        </th>
    }
}

#[component]
fn UserRow(position: usize, user: User, dialect: Dialect) -> impl IntoView {
    let href = crate::routes::user(user.reference(dialect));
    // Treasure Data has no status column: its users exist or not.
    let status = dialect.offers(Capability::Disable).then(|| user.status());
    let role = user.account_role.map_or("—", |role| role.as_str());
    let last_access = user.last_access_on.clone().unwrap_or_default();
    view! {
        <tr aria-rowindex=position + 2>
            <td class="name"><a href=href>{user.name.clone()}</a></td>
            <td class="email">{user.email.clone()}</td>
            <td class="role"><span class="badge badge-role">{role}</span></td>
            {status.map(|status| view! {
                <td class="status"><span class=format!("badge badge-{}", status_class(status))>{status.label()}</span></td>
            })}
            <td class="when" title=last_access.clone()>{short_time(&last_access)}</td>
        </tr>
    }
}

fn status_class(status: offboard_engine::model::UserStatus) -> &'static str {
    use offboard_engine::model::UserStatus::*;
    match status {
        Enabled => "enabled",
        Disabled => "disabled",
        Offboarded => "offboarded",
        ScimManaged => "scim-managed",
    }
}
