import { useState } from "react";
import { useAuth } from "../auth";
import { Button, Card, PageHeader, SelectField } from "../components/ui";
import { useToast } from "../components/toast";
import { setPrefs, usePrefs } from "../lib/prefs";

export function Settings() {
  const prefs = usePrefs();
  const { signOut } = useAuth();
  const toast = useToast();
  const [busy, setBusy] = useState(false);
  return (
    <>
      <PageHeader title="Settings" subtitle="Preferences for this browser." />
      <div className="grid grid-2">
        <Card title="Appearance">
          <div className="stack">
            <SelectField
              label="Theme"
              value={prefs.theme}
              onChange={(e) => setPrefs({ theme: e.target.value as typeof prefs.theme })}
              options={[
                { value: "system", label: "Match my device" },
                { value: "light", label: "Light" },
                { value: "dark", label: "Dark" },
              ]}
            />
            <label className="check">
              <input type="checkbox" checked={prefs.compact} onChange={(e) => setPrefs({ compact: e.target.checked })} />
              <span>
                <b>Compact layout</b>
                <div className="hint">Smaller text and spacing, to see more at once.</div>
              </span>
            </label>
          </div>
        </Card>
        <Card title="Time & live data">
          <div className="stack">
            <label className="check">
              <input type="checkbox" checked={prefs.utc} onChange={(e) => setPrefs({ utc: e.target.checked })} />
              <span>
                <b>Show times in UTC</b>
                <div className="hint">Otherwise times are shown in your device's time zone.</div>
              </span>
            </label>
            <label className="check">
              <input type="checkbox" checked={prefs.autoscroll} onChange={(e) => setPrefs({ autoscroll: e.target.checked })} />
              <span>
                <b>Keep the live log scrolled to the newest entry</b>
              </span>
            </label>
            <SelectField
              label="Refresh interval when live updates are unavailable"
              value={String(prefs.pollSeconds)}
              onChange={(e) => setPrefs({ pollSeconds: Number(e.target.value) })}
              options={[3, 5, 10, 30].map((s) => ({ value: String(s), label: `Every ${s} seconds` }))}
            />
          </div>
        </Card>
      </div>
      <Card title="Session" subtitle="Signing out ends the session in this browser.">
        <Button
          className="danger"
          icon="logout"
          busy={busy}
          onClick={async () => {
            setBusy(true);
            await signOut();
            toast("Signed out");
          }}
        >
          Sign out
        </Button>
      </Card>
    </>
  );
}
