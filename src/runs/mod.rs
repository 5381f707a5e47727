//! Runs in the browser: a journal the screens render, a signal that changes with it, and the
//! tasks that drive the engine's runner.

pub mod storage;

use crate::api;
use crate::session::Connection;
use leptos::prelude::*;
use leptos::task::spawn_local;
use offboard_engine::run::execute::Runner;
use offboard_engine::run::journal::Journal;
use std::cell::RefCell;
use std::rc::Rc;

/// Journal writes are throttled: a 200-key lockout changes it hundreds of times a second.
const PERSIST_EVERY_MS: u64 = 400;

/// A run shown on screen. Cheap to copy; every copy refers to the same journal.
#[derive(Clone, Copy)]
pub struct RunHandle {
    journal: StoredValue<Rc<RefCell<Journal>>, LocalStorage>,
    /// Changes whenever the journal does: views that read the journal track it.
    version: RwSignal<u32>,
    busy: RwSignal<bool>,
    persist_pending: StoredValue<bool>,
}

impl RunHandle {
    pub fn new(journal: Journal) -> Self {
        let handle = RunHandle {
            journal: StoredValue::new_local(Rc::new(RefCell::new(journal))),
            version: RwSignal::new(0),
            busy: RwSignal::new(false),
            persist_pending: StoredValue::new(false),
        };
        handle.persist_now();
        handle
    }

    /// Reads the journal, re-running the reader whenever the journal changes.
    pub fn with<R>(&self, read: impl FnOnce(&Journal) -> R) -> R {
        self.version.track();
        self.journal.with_value(|journal| read(&journal.borrow()))
    }

    /// Whether a step is running (buttons that would start another are disabled).
    pub fn busy(&self) -> bool {
        self.busy.get()
    }

    /// Changes the journal outside the runner (skip a step, set the notification time …).
    pub fn update(&self, change: impl FnOnce(&mut Journal)) {
        self.journal.with_value(|journal| change(&mut journal.borrow_mut()));
        self.changed();
        self.persist_now();
    }

    /// Runs one step (or, with `None`, every step not yet finished), then calls `done`.
    pub fn run(&self, connection: &Connection, step: Option<usize>, done: impl FnOnce() + 'static) {
        if self.busy.get_untracked() {
            return;
        }
        self.busy.set(true);
        let handle = *self;
        let journal = self.journal.get_value();
        let client = api::client(connection);
        spawn_local(async move {
            let notify = move || handle.changed();
            let runner = Runner::new(&client, &journal, &notify);
            match step {
                Some(index) => {
                    runner.run_step(index).await;
                }
                None => runner.run_remaining().await,
            }
            handle.persist_now();
            let _ = handle.busy.try_set(false);
            done();
        });
    }

    fn changed(&self) {
        let _ = self.version.try_update(|v| *v = v.wrapping_add(1));
        if self.persist_pending.try_get_value() == Some(false) {
            self.persist_pending.set_value(true);
            let handle = *self;
            spawn_local(async move {
                api::sleep(PERSIST_EVERY_MS).await;
                handle.persist_now();
            });
        }
    }

    fn persist_now(&self) {
        // `try_set_value` hands the value back (`Some`) only when the handle is disposed.
        if self.persist_pending.try_set_value(false).is_some() {
            return; // the page is gone
        }
        self.journal.with_value(|journal| storage::save(&journal.borrow()));
    }
}
