//! The browser half: the reactive root for the page's islands. `page.js` loads this only on a
//! page that has islands and hydrates each of them; the rest of the page is server HTML.
#![recursion_limit = "512"]

// The islands are exported from the app crate: it must be linked although nothing here names it.
extern crate app;

#[wasm_bindgen::prelude::wasm_bindgen]
pub fn hydrate() {
    console_error_panic_hook::set_once();
    leptos::mount::hydrate_islands();
}
