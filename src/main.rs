//! Offboard in the browser: mounts the app, nothing else.

mod api;
mod app;
mod components;
mod digest;
mod download;
mod everywhere;
mod format;
mod loaded;
mod pages;
mod reactive;
mod routes;
mod runs;
mod session;

fn main() {
    console_error_panic_hook::set_once();
    leptos::mount::mount_to_body(app::App);
}
