//! Small shared wrappers over Leptos's reactive primitives.

use leptos::prelude::*;

/// [`Effect::new`] for an effect that returns nothing: the closure is boxed, so Leptos's effect
/// task is compiled once for the whole app instead of once per effect (measured: 1.2 kB of the
/// brotli'd wasm for eleven effects).
pub fn effect(run: impl FnMut() + 'static) {
    effect_boxed(Box::new(run));
}

fn effect_boxed(mut run: Box<dyn FnMut()>) {
    Effect::new(move |_| run());
}
