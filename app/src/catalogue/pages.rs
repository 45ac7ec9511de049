//! `/office/catalogue`: lines and their products as cards; rename, edit the text, hide,
//! move up and down, add, and delete (asking where the contracts go). Every form works
//! without the wasm too.

use leptos::prelude::*;

use super::texts::texts;
use super::{catalogue, DeleteLine, DeleteProduct, Line, MoveEntry, Product, SaveLine, SaveProduct};
use crate::auth::use_viewer;
use crate::ids::{LineId, ProductId};
use crate::ui::{action_error, FormError, LoadError, Loading, BUTTON, BUTTON_DANGER, BUTTON_SECONDARY};

const INPUT: &str = "block w-full rounded-lg border border-slate-300 px-3 py-2 focus:border-brand focus:outline-none focus:ring-2 focus:ring-brand/40";
const SMALL_BUTTON: &str = "rounded-md border border-slate-300 bg-white px-2 py-1 text-sm text-slate-700 hover:bg-slate-50 disabled:opacity-40";

/// The catalogue's actions, shared by every card so one list reloads after any of them.
#[derive(Clone, Copy)]
struct Actions {
    save_line: ServerAction<SaveLine>,
    save_product: ServerAction<SaveProduct>,
    move_entry: ServerAction<MoveEntry>,
    delete_line: ServerAction<DeleteLine>,
    delete_product: ServerAction<DeleteProduct>,
}

#[component]
pub fn CataloguePage() -> impl IntoView {
    let locale = use_viewer().locale;
    let ct = texts(locale);
    let actions = Actions {
        save_line: ServerAction::new(),
        save_product: ServerAction::new(),
        move_entry: ServerAction::new(),
        delete_line: ServerAction::new(),
        delete_product: ServerAction::new(),
    };
    let a = actions;
    let versions = move || {
        (
            a.save_line.version().get(),
            a.save_product.version().get(),
            a.move_entry.version().get(),
            a.delete_line.version().get(),
            a.delete_product.version().get(),
        )
    };
    let list = Resource::new(versions, |_| catalogue());
    let errors = [
        action_error(a.save_line.value()),
        action_error(a.save_product.value()),
        action_error(a.move_entry.value()),
        action_error(a.delete_line.value()),
        action_error(a.delete_product.value()),
    ];
    let error = Signal::derive(move || errors.iter().find_map(Signal::get));
    view! {
        <h1 class="mb-2 text-2xl font-semibold text-slate-900">{ct.title}</h1>
        <p class="mb-4 max-w-3xl text-slate-600">{ct.intro}</p>
        <FormError error/>
        <Transition fallback=Loading>
            {move || Suspend::new(async move {
                match list.await {
                    Err(e) => view! { <LoadError error=e/> }.into_any(),
                    Ok(lines) => {
                        let all: Vec<(LineId, String)> = lines.iter().map(|l| (l.id, l.name.clone())).collect();
                        let count = lines.len();
                        view! {
                            <ol class="space-y-4" data-testid="catalogue">
                                {lines.into_iter().enumerate().map(|(i, line)| view! {
                                    <LineCard line first=i == 0 last=i + 1 == count all_lines=all.clone() actions/>
                                }).collect_view()}
                            </ol>
                        }.into_any()
                    }
                }
            })}
        </Transition>
        <details class="mt-6 max-w-2xl rounded-xl bg-white p-4 ring-1 ring-slate-200">
            <summary class="cursor-pointer font-medium text-brand">{ct.add_line}</summary>
            <ActionForm action=actions.save_line attr:class="mt-3">
                <EntryFields name_label=ct.line_name name=String::new() description=String::new() hidden=false key="new-line"/>
                <button type="submit" class=BUTTON>{ct.add_line}</button>
            </ActionForm>
        </details>
    }
    .into_any()
}

/// Name, text and the hide box of a line or product.
#[component]
fn EntryFields(
    name_label: &'static str,
    name: String,
    description: String,
    hidden: bool,
    #[prop(into)] key: String,
) -> impl IntoView {
    let ct = texts(use_viewer().locale);
    let id = move |part: &str| format!("{key}-{part}");
    view! {
        <div class="mb-3">
            <label for=id("name") class="mb-1 block text-sm font-medium text-slate-800">{name_label}</label>
            <input id=id("name") name="name" value=name required class=INPUT/>
        </div>
        <div class="mb-3">
            <label for=id("text") class="mb-1 block text-sm font-medium text-slate-800">{ct.text}</label>
            <textarea id=id("text") name="description" rows="3" class=INPUT aria-describedby=id("text-hint")>{description}</textarea>
            <p id=id("text-hint") class="mt-1 text-sm text-slate-600">{ct.text_hint}</p>
        </div>
        <div class="mb-3 flex items-start gap-2">
            <input id=id("hidden") type="checkbox" name="hidden" value="on" checked=hidden class="mt-1"/>
            <label for=id("hidden") class="text-sm text-slate-800">{ct.hidden}<span class="block text-slate-600">{ct.hidden_hint}</span></label>
        </div>
    }
    .into_any()
}

#[component]
fn LineCard(
    line: Line,
    first: bool,
    last: bool,
    all_lines: Vec<(LineId, String)>,
    actions: Actions,
) -> impl IntoView {
    let ct = texts(use_viewer().locale);
    let Line { id, name, description, hidden, contracts, products } = line;
    let product_count = products.len();
    let sr = format!(": {name}");
    let question = ct.delete_line_question.replace("{name}", &name);
    let edit_form = (name.clone(), description.clone());
    let others: Vec<(LineId, String)> = all_lines.into_iter().filter(|(other, _)| *other != id).collect();
    let siblings: Vec<(ProductId, String)> = products.iter().map(|p| (p.id, p.name.clone())).collect();
    let edit_key = format!("line-{id}");
    view! {
        <li class="rounded-xl bg-white p-4 ring-1 ring-slate-200" aria-label=name>
            <div class="flex flex-wrap items-start justify-between gap-3">
                <div class="min-w-0">
                    <h2 class="text-lg font-semibold text-slate-900">
                        {name.clone()}
                        {hidden.then(|| view! { <span class="ml-2 rounded bg-slate-100 px-2 py-0.5 text-xs font-normal text-slate-600">{ct.hidden_badge}</span> })}
                    </h2>
                    <p class="text-sm text-slate-600">{description}</p>
                    <p class="text-xs text-slate-500">{ct.in_use.replace("{n}", &contracts.to_string())}</p>
                </div>
                <MoveButtons kind="line" id=id.0 first last label=name.clone() actions/>
            </div>
            <details class="mt-3">
                <summary class="cursor-pointer text-sm text-brand underline">{ct.edit}<span class="sr-only">{sr.clone()}</span></summary>
                <ActionForm action=actions.save_line attr:class="mt-3 max-w-2xl">
                    <input type="hidden" name="id" value=id.0/>
                    <EntryFields name_label=ct.line_name name=edit_form.0 description=edit_form.1 hidden key=edit_key/>
                    <button type="submit" class=BUTTON>{ct.save}</button>
                </ActionForm>
            </details>
            <details class="mt-2">
                <summary class="cursor-pointer text-sm text-red-700 underline">{ct.delete}<span class="sr-only">{sr.clone()}</span></summary>
                <ActionForm action=actions.delete_line attr:class="mt-2 max-w-xl rounded-lg border border-red-200 bg-red-50 p-3 text-sm">
                    <input type="hidden" name="id" value=id.0/>
                    <p class="mb-2 text-red-900">{question}</p>
                    {(contracts > 0).then(|| view! {
                        <label for=format!("move-line-{id}") class="mb-1 block text-red-900">{ct.delete_line_move.replace("{n}", &contracts.to_string())}</label>
                        <select id=format!("move-line-{id}") name="move_to" required class="mb-2 block w-full rounded-lg border border-slate-300 bg-white px-2 py-1">
                            <option value="">{ct.choose}</option>
                            {others.into_iter().map(|(other, label)| view! { <option value=other.0>{label}</option> }).collect_view()}
                        </select>
                    })}
                    <button type="submit" class=BUTTON_DANGER>{ct.delete}</button>
                </ActionForm>
            </details>
            <h3 class="mt-4 mb-2 text-sm font-semibold uppercase tracking-wide text-slate-600">{ct.products}</h3>
            <ul class="divide-y divide-slate-100">
                {products.into_iter().enumerate().map(|(i, product)| view! {
                    <ProductRow product line_id=id first=i == 0 last=i + 1 == product_count siblings=siblings.clone() actions/>
                }).collect_view()}
            </ul>
            <details class="mt-3">
                <summary class="cursor-pointer text-sm text-brand underline">{ct.add_product}<span class="sr-only">{sr}</span></summary>
                <ActionForm action=actions.save_product attr:class="mt-3 max-w-2xl">
                    <input type="hidden" name="line_id" value=id.0/>
                    <EntryFields name_label=ct.product_name name=String::new() description=String::new() hidden=false
                        key=format!("new-product-{id}")/>
                    <button type="submit" class=BUTTON_SECONDARY>{ct.add_product}</button>
                </ActionForm>
            </details>
        </li>
    }
    .into_any()
}

#[component]
fn ProductRow(
    product: Product,
    line_id: LineId,
    first: bool,
    last: bool,
    siblings: Vec<(ProductId, String)>,
    actions: Actions,
) -> impl IntoView {
    let ct = texts(use_viewer().locale);
    let Product { id, name, description, hidden, contracts } = product;
    let sr = format!(": {name}");
    let question = ct.delete_product_question.replace("{name}", &name);
    let edit_form = (name.clone(), description.clone());
    let others: Vec<(ProductId, String)> = siblings.into_iter().filter(|(other, _)| *other != id).collect();
    let edit_key = format!("product-{id}");
    view! {
        <li class="py-3" aria-label=name>
            <div class="flex flex-wrap items-start justify-between gap-3">
                <div class="min-w-0">
                    <p class="font-medium text-slate-900">
                        {name.clone()}
                        {hidden.then(|| view! { <span class="ml-2 rounded bg-slate-100 px-2 py-0.5 text-xs font-normal text-slate-600">{ct.hidden_badge}</span> })}
                    </p>
                    <p class="text-sm text-slate-600">{description}</p>
                    <p class="text-xs text-slate-500">{ct.in_use.replace("{n}", &contracts.to_string())}</p>
                </div>
                <MoveButtons kind="product" id=id.0 first last label=name.clone() actions/>
            </div>
            <details class="mt-2">
                <summary class="cursor-pointer text-sm text-brand underline">{ct.edit}<span class="sr-only">{sr.clone()}</span></summary>
                <ActionForm action=actions.save_product attr:class="mt-3 max-w-2xl">
                    <input type="hidden" name="id" value=id.0/>
                    <input type="hidden" name="line_id" value=line_id.0/>
                    <EntryFields name_label=ct.product_name name=edit_form.0 description=edit_form.1 hidden key=edit_key/>
                    <button type="submit" class=BUTTON>{ct.save}</button>
                </ActionForm>
            </details>
            <details class="mt-1">
                <summary class="cursor-pointer text-sm text-red-700 underline">{ct.delete}<span class="sr-only">{sr}</span></summary>
                <ActionForm action=actions.delete_product attr:class="mt-2 max-w-xl rounded-lg border border-red-200 bg-red-50 p-3 text-sm">
                    <input type="hidden" name="id" value=id.0/>
                    <p class="mb-2 text-red-900">{question}</p>
                    {(contracts > 0).then(|| view! {
                        <label for=format!("move-product-{id}") class="mb-1 block text-red-900">{ct.delete_product_move.replace("{n}", &contracts.to_string())}</label>
                        <select id=format!("move-product-{id}") name="move_to" class="mb-2 block w-full rounded-lg border border-slate-300 bg-white px-2 py-1">
                            <option value="">{ct.keep_without_product}</option>
                            {others.into_iter().map(|(other, label)| view! { <option value=other.0>{label}</option> }).collect_view()}
                        </select>
                    })}
                    <button type="submit" class=BUTTON_DANGER>{ct.delete}</button>
                </ActionForm>
            </details>
        </li>
    }
    .into_any()
}

#[component]
fn MoveButtons(
    kind: &'static str,
    id: i64,
    first: bool,
    last: bool,
    label: String,
    actions: Actions,
) -> impl IntoView {
    let ct = texts(use_viewer().locale);
    let button = move |direction: &'static str, text: &'static str, symbol: &'static str, disabled: bool| {
        let label = format!("{text}: {label}");
        view! {
            <ActionForm action=actions.move_entry>
                <input type="hidden" name="kind" value=kind/>
                <input type="hidden" name="id" value=id/>
                <input type="hidden" name="direction" value=direction/>
                <button type="submit" class=SMALL_BUTTON disabled=disabled aria-label=label title=text>{symbol}</button>
            </ActionForm>
        }
    };
    view! {
        <div class="flex shrink-0 gap-1">
            {button("up", ct.up, "↑", first)}
            {button("down", ct.down, "↓", last)}
        </div>
    }
    .into_any()
}
