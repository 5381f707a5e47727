//! Data read from the platform for a screen: a [`LocalResource`] behind a typed handle.
//!
//! Every `Loaded<T>` shares one resource type (its value boxed as `Rc<dyn Any>`), so the
//! framework's async machinery is compiled once instead of once per section type (measured:
//! 5 kB of the brotli'd wasm for the app's seven value types).

use leptos::prelude::*;
use offboard_engine::error::ApiError;
use offboard_engine::http::LocalBoxFuture;
use std::any::Any;
use std::future::Future;
use std::marker::PhantomData;
use std::rc::Rc;

type Erased = Result<Rc<dyn Any>, ApiError>;

/// A read that (re)starts whenever a signal its fetcher reads changes; `get` is `None` while
/// loading.
pub struct Loaded<T> {
    inner: LocalResource<Erased>,
    _value: PhantomData<fn() -> T>,
}

impl<T> Clone for Loaded<T> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<T> Copy for Loaded<T> {}

impl<T: Clone + 'static> Loaded<T> {
    pub fn new<Fut>(fetch: impl Fn() -> Fut + 'static) -> Self
    where
        Fut: Future<Output = Result<T, ApiError>> + 'static,
    {
        let fetch = move || -> LocalBoxFuture<'static, Erased> {
            let read = fetch();
            Box::pin(async move { read.await.map(|value| Rc::new(value) as Rc<dyn Any>) })
        };
        Self {
            inner: erased(Box::new(fetch)),
            _value: PhantomData,
        }
    }

    pub fn get(&self) -> Option<Result<T, ApiError>> {
        self.inner.get().map(typed)
    }

    pub fn get_untracked(&self) -> Option<Result<T, ApiError>> {
        self.inner.get_untracked().map(typed)
    }

    /// Waits for the value (and, inside another read, makes that read follow this one).
    pub async fn wait(self) -> Result<T, ApiError> {
        typed(self.inner.await)
    }
}

fn erased(fetch: Box<dyn Fn() -> LocalBoxFuture<'static, Erased>>) -> LocalResource<Erased> {
    LocalResource::new(fetch)
}

/// The value as the type it was read as (which `Loaded::new` guarantees).
fn typed<T: Clone + 'static>(read: Erased) -> Result<T, ApiError> {
    read?
        .downcast_ref::<T>()
        .cloned()
        .ok_or_else(|| ApiError::Shape {
            detail: "a read came back as another type".into(),
        })
}
