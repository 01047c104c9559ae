//! A demo's table of text (`[data-table="<name>"]`): programs, nearest texts, sources. Cells
//! are text, never markup: a pasted text's words reach the page only as text nodes.

use leptos::prelude::*;
use occam_demos::protocol::Table;

/// Whether a cell reads as a number (right-aligned, in tabular figures).
fn is_numeric(cell: &str) -> bool {
    !cell.is_empty()
        && cell
            .chars()
            .all(|c| c.is_ascii_digit() || matches!(c, '.' | '-' | '−' | ',' | 'e' | '+'))
}

/// The table `table`, under `caption`; nothing while it is `None`. `full` spans both columns of
/// a demo's figures.
#[component]
pub fn TextTable(
    table: Signal<Option<Table>>,
    caption: &'static str,
    #[prop(optional)] full: bool,
) -> impl IntoView {
    move || {
        table.get().map(|table| {
            let head = table
                .columns
                .iter()
                .map(|column| view! { <th scope="col">{column.clone()}</th> })
                .collect_view();
            let rows = table
                .rows
                .iter()
                .map(|row| {
                    let cells = row
                        .iter()
                        .map(|cell| {
                            let class = if is_numeric(cell) { "num" } else { "" };
                            view! { <td class=class>{cell.clone()}</td> }
                        })
                        .collect_view();
                    view! { <tr>{cells}</tr> }
                })
                .collect_view();
            view! {
                <div class=if full { "table-wrap full" } else { "table-wrap" }>
                    <table class="code-table" data-table=table.name.clone()>
                        <caption>{caption}</caption>
                        <thead><tr>{head}</tr></thead>
                        <tbody>{rows}</tbody>
                    </table>
                </div>
            }
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_are_told_from_words() {
        for cell in ["10", "0.875", "−3", "1,234", "2.5e-7"] {
            assert!(is_numeric(cell), "{cell}");
        }
        for cell in ["", "a(n) = n + n", "English", "fails"] {
            assert!(!is_numeric(cell), "{cell}");
        }
    }
}
