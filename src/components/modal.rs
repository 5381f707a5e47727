//! A modal dialog: `role="dialog"` with `aria-modal`, labelled by its title; keyboard focus
//! starts on the element marked `data-autofocus` (Cancel, for a destructive dialog), stays
//! inside the dialog (Tab and Shift+Tab wrap), and Esc closes it. The opener gets focus back
//! from whoever closes it (the caller knows its own button; see `on_close`).

use leptos::prelude::*;
use wasm_bindgen::JsCast;

const FOCUSABLE: &str = "button:not([disabled]), input:not([disabled]), select:not([disabled]), \
     textarea:not([disabled]), a[href], summary, [tabindex]:not([tabindex='-1'])";

#[component]
pub fn Modal(
    /// The id of the dialog's title.
    labelled_by: &'static str,
    /// Esc (and the caller's own Cancel) close the dialog through this.
    on_close: Callback<()>,
    children: Children,
) -> impl IntoView {
    let dialog = NodeRef::<leptos::html::Div>::new();
    // Once mounted: focus the marked element (or the first focusable one).
    dialog.on_load(move |element| {
        request_animation_frame(move || {
            let target = element
                .query_selector("[data-autofocus]")
                .ok()
                .flatten()
                .or_else(|| focusables(&element).into_iter().next());
            if let Some(target) = target.and_then(|t| t.dyn_into::<web_sys::HtmlElement>().ok()) {
                let _ = target.focus();
            }
        });
    });
    let keydown = move |event: leptos::ev::KeyboardEvent| {
        let Some(element) = dialog.get_untracked() else {
            return;
        };
        match event.key().as_str() {
            "Escape" => {
                event.prevent_default();
                on_close.run(());
            }
            "Tab" => {
                let items = focusables(&element);
                let (Some(first), Some(last)) = (items.first(), items.last()) else {
                    return;
                };
                let active = document().active_element();
                let wrap_to = match (event.shift_key(), active.as_ref()) {
                    (true, Some(now)) if now == first => Some(last),
                    (false, Some(now)) if now == last => Some(first),
                    (_, None) => Some(first),
                    _ => None,
                };
                if let Some(target) = wrap_to.and_then(|t| t.dyn_ref::<web_sys::HtmlElement>()) {
                    event.prevent_default();
                    let _ = target.focus();
                }
            }
            _ => {}
        }
    };
    view! {
        <div class="modal-backdrop">
            <div class="modal" role="dialog" aria-modal="true" aria-labelledby=labelled_by
                node_ref=dialog on:keydown=keydown>
                {children()}
            </div>
        </div>
    }
}

/// The elements Tab can reach inside `root`, in document order (hidden ones excluded).
fn focusables(root: &web_sys::Element) -> Vec<web_sys::Element> {
    let Ok(list) = root.query_selector_all(FOCUSABLE) else {
        return Vec::new();
    };
    (0..list.length())
        .filter_map(|i| list.get(i))
        .filter_map(|node| node.dyn_into::<web_sys::HtmlElement>().ok())
        .filter(|element| element.offset_parent().is_some())
        .map(Into::into)
        .collect()
}
