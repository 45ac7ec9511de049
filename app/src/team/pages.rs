//! Settings: the team, and inviting a colleague (owners only).

use leptos::prelude::*;

use super::{list_staff, DeleteStaff, InviteStaff};
use crate::api_keys::pages::ApiKeySettings;
use crate::auth::pages::AccountActiveSwitch;
use crate::auth::{use_viewer, Role, SendReset, SetAccountActive};
use crate::brand::pages::BrandSettingsSections;
use crate::documents::pages::StorageUsage;
use crate::ui::{
    action_error, field_error, Confirm, FormError, LoadError, Loading, Notice, TextField, BUTTON,
    BUTTON_DANGER, BUTTON_SECONDARY,
};

#[component]
pub fn SettingsPage() -> impl IntoView {
    let viewer = use_viewer();
    let t = viewer.locale.texts();
    let is_owner = viewer.user.as_ref().is_some_and(|u| u.role == Role::Owner);
    let invite = ServerAction::<InviteStaff>::new();
    let reset = ServerAction::<SendReset>::new();
    let set_active = ServerAction::<SetAccountActive>::new();
    let delete = ServerAction::<DeleteStaff>::new();
    let staff = Resource::new(
        move || (invite.version().get(), set_active.version().get(), delete.version().get()),
        |_| list_staff(),
    );
    let set_active_error = action_error(set_active.value());
    let delete_error = action_error(delete.value());
    let me = viewer.user.as_ref().map(|u| u.id);
    let error = action_error(invite.value());
    let reset_error = action_error(reset.value());
    view! {
        <h1 class="mb-4 text-2xl font-semibold text-slate-900">{t.nav_settings}</h1>
        {is_owner.then(|| view! { <BrandSettingsSections/> })}
        {is_owner.then(|| view! { <ApiKeySettings/> })}
        {is_owner.then(|| view! { <crate::erasure::RetentionSetting/> })}
        {is_owner.then(|| view! { <crate::second_factor::pages::PolicySetting/> })}
        <StorageUsage/>
        <section class="mb-6 rounded-xl bg-white p-4 ring-1 ring-slate-200" aria-labelledby="team-heading">
            <h2 id="team-heading" class="mb-3 font-semibold text-slate-900">{t.team_heading}</h2>
            {move || matches!(reset.value().get(), Some(Ok(()))).then(|| view! { <Notice text=t.reset_sent/> })}
            <FormError error=reset_error/>
            <FormError error=set_active_error/>
            <FormError error=delete_error/>
            {move || matches!(delete.value().get(), Some(Ok(()))).then(|| view! { <Notice text=t.staff_deleted/> })}
            <Transition fallback=Loading>
                {move || Suspend::new(async move {
                    match staff.await {
                        Err(e) => view! { <LoadError error=e/> }.into_any(),
                        Ok(rows) => view! {
                            <ul class="divide-y divide-slate-100">
                                {rows.into_iter().map(|s| { let name = s.display_name.clone(); view! {
                                    <li class="flex flex-wrap items-center gap-x-4 gap-y-2 py-2">
                                        <span class="flex-1">
                                            <span class="font-medium text-slate-900">{s.display_name}</span>
                                            <span class="block text-sm text-slate-600">{s.email}</span>
                                        </span>
                                        <span class="text-sm text-slate-700">
                                            {if s.role == Role::Owner { t.role_owner } else { t.role_employee }}
                                            {(!s.active).then(|| format!(" · {}", t.access_invited))}
                                            {s.deactivated.then(|| format!(" · {}", t.access_deactivated))}
                                        </span>
                                        {(is_owner && !s.deactivated).then(|| view! {
                                            <ActionForm action=reset>
                                                <input type="hidden" name="user_id" value=s.user_id.0/>
                                                <button type="submit" class=BUTTON_SECONDARY>{t.send_reset_link}</button>
                                            </ActionForm>
                                        })}
                                        {(is_owner && me != Some(s.user_id)).then(|| view! {
                                            <AccountActiveSwitch user_id=s.user_id deactivated=s.deactivated action=set_active/>
                                            <crate::second_factor::pages::FactorReset user_id=s.user_id name=name.clone()/>
                                            <Confirm summary=t.delete_staff question=t.delete_staff_question context=name.clone()>
                                                <ActionForm action=delete>
                                                    <input type="hidden" name="user_id" value=s.user_id.0/>
                                                    <button type="submit" class=BUTTON_DANGER disabled=move || delete.pending().get()>
                                                        {t.confirm_delete_staff}
                                                    </button>
                                                </ActionForm>
                                            </Confirm>
                                        })}
                                    </li>
                                }}).collect_view()}
                            </ul>
                        }.into_any(),
                    }
                })}
            </Transition>
        </section>
        {is_owner.then(|| view! {
            <section class="rounded-xl bg-white p-4 ring-1 ring-slate-200" aria-labelledby="invite-staff-heading">
                <h2 id="invite-staff-heading" class="mb-3 font-semibold text-slate-900">{t.invite_staff}</h2>
                {move || matches!(invite.value().get(), Some(Ok(()))).then(|| view! { <Notice text=t.invite_sent/> })}
                <FormError error/>
                <ActionForm action=invite attr:class="max-w-md">
                    <TextField label=t.name name="display_name" required=true error=field_error(error, "display_name")/>
                    <TextField label=t.email name="email" kind="email" required=true error=field_error(error, "email")/>
                    <div class="mb-4">
                        <label for="field-role" class="mb-1 block text-sm font-medium text-slate-800">{t.role}</label>
                        <select id="field-role" name="role" class="block w-full rounded-lg border border-slate-300 px-3 py-2">
                            <option value="employee" selected=true>{t.role_employee}</option>
                            <option value="owner">{t.role_owner}</option>
                        </select>
                    </div>
                    <button type="submit" class=BUTTON disabled=move || invite.pending().get()>{t.send_invite}</button>
                </ActionForm>
            </section>
        })}
    }
}
