//! Browser end-to-end tests: the real reference server (in-process, fresh SQLite database per
//! test) serving the release build in `dist/`, driven in Debian's Chromium through chromedriver.
//!
//! Screens are driven the way a person uses them: fields by their label, buttons and links by
//! their text, alerts by their role. Screenshots land in `tests/screenshots/`.

mod page_checks;
mod support;

mod accessibility;
mod bad_input;
mod bulk;
mod connect;
mod delete_user;
mod directory;
mod emergency;
mod faults;
mod http2;
mod navigation;
mod platforms;
mod reactivate;
mod runs;
mod secrets;
mod user_page;
mod verdicts;
mod wizard;
