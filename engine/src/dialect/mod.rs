//! The two admin-API dialects: for each, the requests the runbooks make and the parsers that turn
//! answers into [`crate::model`] values.

pub mod adoc;
pub mod td;

use crate::error::ApiError;

/// How a page size and a page's contents decide whether another page follows.
pub fn has_next_page(
    page_index: u64,
    page_size: u64,
    items_on_page: usize,
    total: Option<u64>,
) -> bool {
    match total {
        Some(total) => (page_index + 1) * page_size < total && items_on_page > 0,
        None => items_on_page as u64 >= page_size,
    }
}

/// The error for an answer that is JSON but lacks what every version of the dialect sends.
pub(crate) fn missing(what: &str) -> ApiError {
    ApiError::Shape {
        detail: format!("the answer has no {what}"),
    }
}

#[cfg(test)]
mod tests {
    use super::has_next_page;

    #[test]
    fn paging_stops_at_the_total_or_a_short_page() {
        assert!(has_next_page(0, 100, 100, Some(200)));
        assert!(!has_next_page(1, 100, 100, Some(200)));
        assert!(has_next_page(0, 20, 20, None));
        assert!(!has_next_page(3, 20, 7, None));
        assert!(
            !has_next_page(0, 20, 0, Some(500)),
            "an empty page ends a list that shrank"
        );
    }
}
