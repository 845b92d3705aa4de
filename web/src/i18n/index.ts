import i18next from "i18next";
import { initReactI18next } from "react-i18next";
import en from "./en.json";
import th from "./th.json";

// Thai first; English is a choice the person makes (kept for the page's life only).
void i18next.use(initReactI18next).init({
  resources: { th: { translation: th }, en: { translation: en } },
  lng: "th",
  fallbackLng: "th",
  interpolation: { escapeValue: false }, // React escapes what it renders
});

i18next.on("languageChanged", (language) => {
  document.documentElement.lang = language;
});

export default i18next;
