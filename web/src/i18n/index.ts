import i18next, { type Resource } from "i18next";
import { initReactI18next } from "react-i18next";

// Thai first; English is a choice the person makes (kept for the page's life only). The words live in
// one file per screen or part (i18n/<language>/<namespace>.json: a screen adds its own file), read
// here as `t("<namespace>.<key>")`.
const files = import.meta.glob<Record<string, unknown>>("./*/*.json", { eager: true, import: "default" });
const resources: Resource = {};
for (const [path, words] of Object.entries(files)) {
  const [, language = "", namespace = ""] = /^\.\/([a-z]+)\/([A-Za-z0-9_-]+)\.json$/.exec(path) ?? [];
  const translation = (resources[language] ??= { translation: {} }).translation as Record<string, unknown>;
  translation[namespace] = words;
}

void i18next.use(initReactI18next).init({
  resources,
  lng: "th",
  fallbackLng: "th",
  interpolation: { escapeValue: false }, // React escapes what it renders
});

i18next.on("languageChanged", (language) => {
  document.documentElement.lang = language;
});

export default i18next;
