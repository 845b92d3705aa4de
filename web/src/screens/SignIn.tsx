import { useNavigate } from "@tanstack/react-router";
import { useEffect, useState, type SyntheticEvent } from "react";
import { useTranslation } from "react-i18next";
import { loadConfig, signInLocal, signInWithCognito, type AuthConfig } from "../auth/signIn";

export function SignIn() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const [config, setConfig] = useState<AuthConfig | null>(null);
  const [username, setUsername] = useState("");
  const [password, setPassword] = useState("");
  const [error, setError] = useState<string | null>(null);
  const [working, setWorking] = useState(false);

  useEffect(() => {
    void loadConfig().then(setConfig);
  }, []);

  async function submit(event: SyntheticEvent) {
    event.preventDefault();
    setWorking(true);
    setError(null);
    try {
      await signInLocal(username, password);
      await navigate({ to: "/" });
    } catch (failure) {
      const reason = failure instanceof Error ? failure.message : String(failure);
      setError(reason === "bad-credentials" ? t("signIn.bad") : t("signIn.failed", { reason }));
    } finally {
      setWorking(false); // the input stays as typed
    }
  }

  if (config?.mode === "cognito") {
    return (
      <section className="card narrow">
        <h1>{t("signIn.title")}</h1>
        <button type="button" onClick={() => void signInWithCognito(config)}>
          {t("signIn.thaid")}
        </button>
      </section>
    );
  }
  return (
    <section className="card narrow">
      <h1>{t("signIn.title")}</h1>
      <p className="hint">{t("signIn.local")}</p>
      <form onSubmit={(e) => void submit(e)}>
        <label>
          {t("signIn.username")}
          <input name="username" autoComplete="username" required value={username} onChange={(e) => setUsername(e.target.value)} />
        </label>
        <label>
          {t("signIn.password")}
          <input
            name="password"
            type="password"
            autoComplete="current-password"
            required
            value={password}
            onChange={(e) => setPassword(e.target.value)}
          />
        </label>
        {error && (
          <p role="alert" className="error">
            {error}
          </p>
        )}
        <button type="submit" disabled={working}>
          {working ? t("signIn.working") : t("signIn.submit")}
        </button>
      </form>
    </section>
  );
}
