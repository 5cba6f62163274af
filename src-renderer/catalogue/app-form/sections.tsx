// The backends the app editor knows, by provider kind. A new backend adds its part
// (a *-form.ts for its values and checks, a *-section.tsx for its fields) and one line here.
import type { AppForms, SectionValues } from './app-form';
import { dockerSection } from './docker-section';
import { proxmoxSection } from './proxmox-section';
import type { AppSection } from './section-view';
import type { AppProvider } from './section-form';

export const APP_SECTIONS: { readonly [K in AppProvider]: AppSection<SectionValues> } = {
  docker: dockerSection,
  proxmox: proxmoxSection,
};

/** Every backend's form logic, for the functions of app-form.ts. */
export const APP_FORMS = Object.fromEntries(Object.entries(APP_SECTIONS).map(([kind, section]) => [kind, section.form])) as AppForms;
