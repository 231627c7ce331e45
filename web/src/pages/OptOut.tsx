import { useState, type FormEvent } from "react";
import { isNotAvailable } from "../api/client";
import { publicApi } from "../api/blocklist";
import { Brand } from "../components/Layout";
import { Alert, Button, Card, FormError, TextArea, TextField } from "../components/ui";
import { parseGroup } from "../lib/groups";
import { useDocumentTitle } from "../lib/hooks";

export function OptOut() {
  useDocumentTitle("Opt out a group");
  const [group, setGroup] = useState("");
  const [contact, setContact] = useState("");
  const [reason, setReason] = useState("");
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>();
  const [done, setDone] = useState<string>();
  const parsed = group.trim() ? parseGroup(group) : null;

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      const r = await publicApi.optOut(group.trim(), contact.trim(), reason.trim());
      setDone(r.message);
    } catch (err) {
      setError(isNotAvailable(err) ? new Error("Opt-out requests are not accepted by this server yet. Please try again later.") : err);
    } finally {
      setBusy(false);
    }
  };

  return (
    <div className="public-wrap">
      <div className="public-card">
        <Brand />
        <Card>
          <div className="stack">
            <div>
              <h1>Stop adbots posting in your group</h1>
              <p className="muted" style={{ marginTop: 6 }}>
                If you own or run a Telegram group and do not want posts from this service, tell us here. It takes effect at once; an operator
                reviews the request afterwards. No account needed.
              </p>
            </div>
            {done ? (
              <Alert kind="ok" title="Request received">{done}</Alert>
            ) : (
              <form className="stack" onSubmit={submit} noValidate>
                <TextField
                  label="Group"
                  name="group"
                  required
                  placeholder="@yourgroup or https://t.me/yourgroup"
                  value={group}
                  onChange={(e) => setGroup(e.target.value)}
                  error={parsed && !parsed.ok ? parsed.reason : undefined}
                />
                <TextField label="How to reach you (optional)" name="contact" placeholder="@you or you@example.com" value={contact} onChange={(e) => setContact(e.target.value)} hint="Only used if we need to confirm you run the group." />
                <TextArea label="Anything we should know (optional)" name="reason" value={reason} onChange={(e) => setReason(e.target.value)} rows={3} style={{ minHeight: 90, fontFamily: "inherit" }} />
                <FormError error={error} />
                <Button type="submit" className="primary lg" busy={busy} disabled={!parsed?.ok}>Opt out this group</Button>
              </form>
            )}
          </div>
        </Card>
      </div>
    </div>
  );
}
