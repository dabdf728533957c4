//! Index stage, the breadcrumb trail of a page: Home › parent › sections › element › page,
//! from parts the caller resolved. Pure.

use serde::Serialize;

/// One step of a page's breadcrumb trail; the current page has no URL.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Crumb {
    pub label: String,
    pub url: Option<String>,
}

/// What a breadcrumb trail is made of, resolved by the caller (URLs include the base path).
pub struct Trail<'a> {
    pub home_url: &'a str,
    pub is_home: bool,
    /// The `parent` label and the resolved `breadcrumbs` target.
    pub parent: Option<(String, String)>,
    /// The sections above a page outside elements, top first: (title, URL).
    pub sections: Vec<(String, String)>,
    /// The element's heading and URL, when the page belongs to one.
    pub element: Option<(&'a str, String)>,
    pub is_overview: bool,
    pub title: &'a str,
}

/// Home › parent › sections › element › page. The Overview of an element ends at the element.
pub fn breadcrumbs(trail: Trail<'_>) -> Vec<Crumb> {
    if trail.is_home {
        return Vec::new();
    }
    let mut crumbs = vec![Crumb {
        label: "Home".to_string(),
        url: Some(trail.home_url.to_string()),
    }];
    if let Some((label, url)) = trail.parent
        && url != trail.home_url
        && !trail.sections.iter().any(|(_, section)| *section == url)
    {
        crumbs.push(Crumb {
            label,
            url: Some(url),
        });
    }
    for (label, url) in trail.sections {
        crumbs.push(Crumb {
            label,
            url: Some(url),
        });
    }
    match trail.element {
        Some((heading, _)) if trail.is_overview => crumbs.push(Crumb {
            label: heading.to_string(),
            url: None,
        }),
        Some((heading, url)) => {
            crumbs.push(Crumb {
                label: heading.to_string(),
                url: Some(url),
            });
            crumbs.push(Crumb {
                label: trail.title.to_string(),
                url: None,
            });
        }
        None => crumbs.push(Crumb {
            label: trail.title.to_string(),
            url: None,
        }),
    }
    crumbs
}
